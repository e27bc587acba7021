#!/usr/bin/env python3
"""Write what Keras' compile_config holds for loss, metric and learning-rate
schedule OBJECTS, and .keras models compiled with them.

    KERAS_BACKEND=jax python reference/make_compile_config_fixtures.py

Writes tests/fixtures/compile_config/ (deleted and rewritten):

  objects.json   one sample per loss class, metric class and learning-rate
                 schedule kerascpp has, with options that differ from the
                 defaults: {"name", "kind" ("loss" | "metric" | "schedule"),
                 "code", "object"}, "object" being
                 keras.saving.serialize_keras_object(obj). Each sample also
                 holds what the object Keras rebuilds from "object" computes
                 (so an option Keras drops on saving, such as Huber's delta,
                 is dropped here too):
                   loss:     "y_true", "y_pred", "value" (the reduced loss);
                   metric:   "y_true", "y_pred", "value" (result() after one
                             update_state);
                   schedule: "steps", "values" (the rate at each step).
                 The C++ tests read each object, write it back and compare,
                 and compute the same values.
  unsupported.json  serialized objects of Keras classes kerascpp does not
                 have, for the error tests: {"kind", "code", "object"}.
  models/<case>/ model.keras (model.save after compile(...) with objects and
                 one epoch of fit(shuffle=False, batch_size=4) on x_train /
                 y_train), x_train*.npy, y_train*.npy (one per input /
                 output), weights_after_NN.npy (the weights after one more
                 epoch of fit(shuffle=False, batch_size=4) on the same data
                 after keras.saving.load_model) and case.json ("code",
                 "compile" (the Python source of the compile arguments),
                 "iterations" (the optimizer's, saved), "iterations_after",
                 "history" (that epoch's logs)).

.keras files are normalized as make_saving_fixtures.py does (fixed
timestamps, date_saved and shared_object_id), so the script is deterministic.
"""

import json
import os
import shutil
import sys
import zlib

os.environ.setdefault("KERAS_BACKEND", "jax")
if os.environ["KERAS_BACKEND"] != "jax":
    sys.exit("run with KERAS_BACKEND=jax")

import numpy as np  # noqa: E402

import keras  # noqa: E402
from keras import layers  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_saving_fixtures import normalize_zip  # noqa: E402

ROOT = os.path.dirname(HERE)
OUT_DIR = os.path.join(ROOT, "tests", "fixtures", "compile_config")
GLOBAL_SEED = 1234

L = keras.losses
M = keras.metrics
S = keras.optimizers.schedules


def rng_for(name, salt):
    return np.random.default_rng([GLOBAL_SEED, zlib.crc32(name.encode()), salt])


# ---------------------------------------------------------------------------
# Inputs of the value checks, by kind of (y_true, y_pred): each a function of
# a numpy Generator returning float32 arrays (int32 labels for "sparse").
def regression(r):
    return r.uniform(0.0, 2.0, (3, 4)), r.uniform(0.1, 2.0, (3, 4))


def signed(r):
    return r.choice([-1.0, 1.0], (3, 4)), r.normal(0.0, 1.0, (3, 4))


def binary(r):
    return r.integers(0, 2, (3, 4)).astype(float), r.normal(0.0, 1.5, (3, 4))


def probabilities(r):
    return r.integers(0, 2, (3, 4)).astype(float), r.uniform(0.0, 1.0, (3, 4))


def one_hot(r):
    return np.eye(4)[r.integers(0, 4, 3)], r.normal(0.0, 1.5, (3, 4))


def softmax_pred(r):
    t, p = one_hot(r)
    e = np.exp(p)
    return t, e / e.sum(axis=-1, keepdims=True)


def sparse(r):
    return np.array([0, 2, 3], dtype=np.int32), r.normal(0.0, 1.5, (3, 4))


def positive(r):
    t = r.uniform(0.1, 1.0, (3, 4))
    p = r.uniform(0.1, 1.0, (3, 4))
    return t / t.sum(-1, keepdims=True), p / p.sum(-1, keepdims=True)


def equal_ints(r):
    return r.integers(0, 3, (3, 4)).astype(float), r.integers(0, 3, (3, 4)).astype(float)


# (name, code leaving the object in `obj`, inputs)
LOSSES = [
    ("mean_squared_error", 'obj = L.MeanSquaredError(reduction="sum", name="mse_sum")', regression),
    ("mean_absolute_error", 'obj = L.MeanAbsoluteError(name="l1")', regression),
    ("mean_absolute_percentage_error", 'obj = L.MeanAbsolutePercentageError(reduction="mean")',
     regression),
    ("mean_squared_logarithmic_error",
     'obj = L.MeanSquaredLogarithmicError(reduction="none", name="msle_each")', regression),
    ("cosine_similarity", 'obj = L.CosineSimilarity(reduction="sum", name="cos")', regression),
    # Keras does not write delta: the rebuilt Huber has delta 1.0.
    ("huber", 'obj = L.Huber(delta=0.5, reduction="sum", name="hub")', regression),
    ("log_cosh", 'obj = L.LogCosh(name="lc")', regression),
    ("hinge", 'obj = L.Hinge(reduction="sum")', signed),
    ("squared_hinge", 'obj = L.SquaredHinge(name="sh")', signed),
    ("categorical_hinge", 'obj = L.CategoricalHinge(reduction="mean_with_sample_weight")', one_hot),
    ("kl_divergence", 'obj = L.KLDivergence(reduction="sum", name="kl")', positive),
    ("poisson", 'obj = L.Poisson(name="poi")', positive),
    ("binary_crossentropy",
     'obj = L.BinaryCrossentropy(from_logits=True, label_smoothing=0.2, reduction="sum", '
     'name="bce")', binary),
    ("binary_crossentropy_probabilities", "obj = L.BinaryCrossentropy()", probabilities),
    ("categorical_crossentropy",
     "obj = L.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)", one_hot),
    ("sparse_categorical_crossentropy",
     "obj = L.SparseCategoricalCrossentropy(from_logits=True)", sparse),
    ("sparse_categorical_crossentropy_ignore",
     'obj = L.SparseCategoricalCrossentropy(from_logits=True, ignore_class=2, name="scce")',
     sparse),
]

METRICS = [
    ("accuracy", 'obj = M.Accuracy(name="same")', equal_ints),
    ("binary_accuracy", "obj = M.BinaryAccuracy(threshold=0.7)", probabilities),
    ("categorical_accuracy", 'obj = M.CategoricalAccuracy(name="cat")', one_hot),
    ("sparse_categorical_accuracy", 'obj = M.SparseCategoricalAccuracy(name="acc")', sparse),
    ("top_k_categorical_accuracy", 'obj = M.TopKCategoricalAccuracy(k=2, name="top2")', one_hot),
    ("sparse_top_k_categorical_accuracy", "obj = M.SparseTopKCategoricalAccuracy(k=3)", sparse),
    ("mean_squared_error", 'obj = M.MeanSquaredError(name="m")', regression),
    ("mean_absolute_error", 'obj = M.MeanAbsoluteError(name="mae_of_it")', regression),
    ("mean_absolute_percentage_error", "obj = M.MeanAbsolutePercentageError()", regression),
    ("mean_squared_logarithmic_error", 'obj = M.MeanSquaredLogarithmicError(name="msle")',
     regression),
    ("root_mean_squared_error", 'obj = M.RootMeanSquaredError(name="rmse")', regression),
    ("cosine_similarity", 'obj = M.CosineSimilarity(name="cos")', regression),
    ("log_cosh_error", 'obj = M.LogCoshError(name="lce")', regression),
    ("binary_crossentropy", "obj = M.BinaryCrossentropy(from_logits=True, label_smoothing=0.1)",
     binary),
    ("binary_crossentropy_default", "obj = M.BinaryCrossentropy()", probabilities),
    ("categorical_crossentropy",
     'obj = M.CategoricalCrossentropy(from_logits=True, label_smoothing=0.2, name="cce")', one_hot),
    ("sparse_categorical_crossentropy",
     "obj = M.SparseCategoricalCrossentropy(from_logits=True, ignore_class=3)", sparse),
    ("kl_divergence", 'obj = M.KLDivergence(name="kl")', positive),
    ("poisson", 'obj = M.Poisson(name="poi")', positive),
    ("hinge", 'obj = M.Hinge(name="h")', signed),
    ("squared_hinge", "obj = M.SquaredHinge()", signed),
    ("categorical_hinge", 'obj = M.CategoricalHinge(name="ch")', one_hot),
    ("true_positives", "obj = M.TruePositives(thresholds=[0.3, 0.7])", probabilities),
    ("true_negatives", 'obj = M.TrueNegatives(name="tn")', probabilities),
    ("false_positives", 'obj = M.FalsePositives(thresholds=[0.5], name="fp")', probabilities),
    ("false_negatives", "obj = M.FalseNegatives(thresholds=[0.2, 0.4, 0.9])", probabilities),
    ("precision", 'obj = M.Precision(thresholds=[0.3, 0.6], name="p")', probabilities),
    # Keras writes a single threshold as given: a number (kerascpp: a list of one).
    ("precision_scalar_threshold", 'obj = M.Precision(thresholds=0.4, name="p4")', probabilities),
    ("precision_top_k", 'obj = M.Precision(top_k=2, class_id=1, name="p_top2")', softmax_pred),
    ("recall", 'obj = M.Recall(thresholds=[0.4], class_id=2, name="r")', probabilities),
    ("auc", 'obj = M.AUC(num_thresholds=50, curve="PR", summation_method="majoring", '
            'from_logits=True, name="pr_auc")', binary),
    ("auc_thresholds", 'obj = M.AUC(thresholds=[0.7, 0.2, 0.5], name="auc_t")', probabilities),
]

SCHEDULES = [
    ("exponential_decay", 'obj = S.ExponentialDecay(0.1, 10, 0.5, staircase=True, name="exp")'),
    ("exponential_decay_default", "obj = S.ExponentialDecay(0.01, 100, 0.9)"),
    ("piecewise_constant_decay",
     'obj = S.PiecewiseConstantDecay([3, 8], [0.1, 0.05, 0.01], name="pw")'),
    ("cosine_decay", 'obj = S.CosineDecay(0.1, 20, alpha=0.1, name="cos")'),
    ("cosine_decay_warmup",
     "obj = S.CosineDecay(0.01, 20, alpha=0.05, warmup_target=0.1, warmup_steps=5)"),
    ("inverse_time_decay", "obj = S.InverseTimeDecay(0.2, 5, 0.5, staircase=True)"),
    ("inverse_time_decay_smooth", 'obj = S.InverseTimeDecay(0.2, 4, 1.5, name="itd")'),
    ("polynomial_decay", "obj = S.PolynomialDecay(0.1, 10)"),
    ("polynomial_decay_cycle",
     'obj = S.PolynomialDecay(0.1, 10, end_learning_rate=0.01, power=0.5, cycle=True, '
     'name="poly")'),
    ("cosine_decay_restarts",
     "obj = S.CosineDecayRestarts(0.1, 10, t_mul=2.0, m_mul=0.5, alpha=0.1)"),
    ("cosine_decay_restarts_constant_period",
     'obj = S.CosineDecayRestarts(0.1, 4, t_mul=1.0, name="sgdr")'),
]
SCHEDULE_STEPS = [0, 1, 3, 4, 5, 7, 9, 10, 11, 24, 25, 29, 30, 31, 69, 70, 71, 100]

UNSUPPORTED = [
    ("loss", "obj = L.BinaryFocalCrossentropy()"),
    ("loss", "obj = L.Dice()"),
    ("metric", "obj = M.F1Score()"),
    ("metric", "obj = M.MeanIoU(num_classes=3)"),
    ("loss", "obj = L.Tversky()"),
    ("metric", "obj = M.R2Score()"),
]


def make(code):
    ns = {"keras": keras, "L": L, "M": M, "S": S}
    exec(code, ns)
    return ns["obj"]


def as_json(x):
    return np.asarray(x, dtype=np.float64).tolist()


def sample(kind, name, code, inputs=None):
    obj = make(code)
    serialized = keras.saving.serialize_keras_object(obj)
    # What Keras' load_model gets back.
    again = keras.saving.deserialize_keras_object(json.loads(json.dumps(serialized)))
    out = {"name": name, "kind": kind, "code": code, "object": serialized}
    if kind == "schedule":
        out["steps"] = SCHEDULE_STEPS
        out["values"] = [float(np.asarray(again(s))) for s in SCHEDULE_STEPS]
        return out
    t, p = inputs(rng_for(kind + name, 1))
    t = t if t.dtype == np.int32 else t.astype(np.float32)
    p = p.astype(np.float32)
    out["y_true"] = as_json(t)
    out["y_true_dtype"] = "int32" if t.dtype == np.int32 else "float32"
    out["y_pred"] = as_json(p)
    if kind == "loss":
        out["value"] = as_json(again(t, p))
    else:
        again.update_state(t, p)
        out["value"] = as_json(again.result())
    return out


# ---------------------------------------------------------------------------
# Models: (code leaving the model in `model`, compile arguments as source,
# data maker).
MODEL_CASES = {
    # The idiom: a schedule, a loss object, a metric object and a name.
    "sparse_objects": dict(
        code="""model = keras.Sequential([
    keras.Input((5,)),
    layers.Dense(8, activation="tanh"),
    layers.Dense(4),
])""",
        compile="""dict(
    optimizer=keras.optimizers.Adam(
        learning_rate=keras.optimizers.schedules.ExponentialDecay(0.01, 100, 0.9)),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseCategoricalAccuracy(name="acc"), "accuracy"],
)""",
        targets="sparse4",
    ),
    # A schedule that changes fast, so the saved iterations matter, and the
    # confusion metrics.
    "schedule_continue": dict(
        code="""model = keras.Sequential([
    keras.Input((6,)),
    layers.Dense(5, activation="relu"),
    layers.Dense(1),
])""",
        compile="""dict(
    optimizer=keras.optimizers.SGD(
        learning_rate=keras.optimizers.schedules.CosineDecay(
            0.05, 6, alpha=0.1, warmup_target=0.2, warmup_steps=2),
        momentum=0.5),
    loss=keras.losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1),
    metrics=[keras.metrics.BinaryAccuracy(threshold=0.4),
             keras.metrics.AUC(num_thresholds=20, from_logits=True, name="auc"),
             keras.metrics.Precision(thresholds=[0.35], name="prec"),
             keras.metrics.TruePositives(name="tp")],
)""",
        targets="binary1",
    ),
    # Two outputs, with loss, loss_weights and metrics as dicts by output name.
    "two_outputs_dicts": dict(
        code="""inp = keras.Input((4,))
h = layers.Dense(6, activation="tanh", name="hidden")(inp)
cls = layers.Dense(3, activation="softmax", name="cls")(h)
reg = layers.Dense(2, name="reg")(h)
model = keras.Model(inp, [cls, reg])""",
        compile="""dict(
    optimizer=keras.optimizers.RMSprop(
        learning_rate=keras.optimizers.schedules.InverseTimeDecay(0.02, 2, 0.5)),
    loss={"cls": keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
          "reg": keras.losses.MeanSquaredError(name="sq")},
    loss_weights={"cls": 1.0, "reg": 0.25},
    metrics={"cls": [keras.metrics.CategoricalAccuracy(),
                     keras.metrics.TopKCategoricalAccuracy(k=2, name="top2")],
             "reg": [keras.metrics.RootMeanSquaredError(name="rmse"), "mae"]},
)""",
        targets="cls3_reg2",
    ),
}


def new_weights(model, rng):
    out = []
    for v in model.weights:
        shape = tuple(v.shape)
        std = 0.5
        if len(shape) >= 2:
            std = min(0.5, 1.0 / np.sqrt(float(np.prod(shape[:-1]))))
        out.append(rng.normal(0.0, std, shape).astype(v.dtype))
    return out


def make_data(name, case, model):
    r = rng_for(name, 2)
    xs = [r.standard_normal([8] + list(t.shape[1:])).astype(np.float32) for t in model.inputs]
    kind = case["targets"]
    if kind == "sparse4":
        ys = [r.integers(0, 4, 8).astype(np.int32)]
    elif kind == "binary1":
        ys = [r.integers(0, 2, (8, 1)).astype(np.float32)]
    else:
        ys = [np.eye(3, dtype=np.float32)[r.integers(0, 3, 8)],
              r.normal(0.0, 1.0, (8, 2)).astype(np.float32)]
    return xs, ys


def fit_data(v):
    return v if len(v) > 1 else v[0]


def write_model_case(name, case):
    d = os.path.join(OUT_DIR, "models", name)
    os.makedirs(d)
    keras.backend.clear_session()
    keras.utils.set_random_seed(GLOBAL_SEED)
    ns = {"keras": keras, "layers": layers, "np": np}
    exec(case["code"], ns)
    model = ns["model"]
    model.set_weights(new_weights(model, rng_for(name, 1)))
    model.compile(**eval(case["compile"], ns))
    xs, ys = make_data(name, case, model)
    model.fit(fit_data(xs), fit_data(ys), batch_size=4, epochs=1, shuffle=False, verbose=0)
    path = os.path.join(d, "model.keras")
    model.save(path)
    normalize_zip(path)
    for i, x in enumerate(xs):
        np.save(os.path.join(d, f"x_train{i}.npy"), x)
    for i, y in enumerate(ys):
        np.save(os.path.join(d, f"y_train{i}.npy"), y)
    again = keras.saving.load_model(path)
    history = again.fit(fit_data(xs), fit_data(ys), batch_size=4, epochs=1, shuffle=False,
                        verbose=0)
    for i, w in enumerate(again.get_weights()):
        np.save(os.path.join(d, f"weights_after_{i:02d}.npy"), w)
    info = {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "code": case["code"],
        "compile": case["compile"],
        "iterations": int(np.asarray(model.optimizer.iterations)),
        "iterations_after": int(np.asarray(again.optimizer.iterations)),
        "history": {k: as_json(v[0]) for k, v in history.history.items()},
    }
    with open(os.path.join(d, "case.json"), "w", encoding="utf-8") as f:
        json.dump(info, f, indent=1)
        f.write("\n")


def main():
    shutil.rmtree(OUT_DIR, ignore_errors=True)
    os.makedirs(OUT_DIR)
    keras.backend.clear_session()
    samples = [sample("loss", n, c, i) for n, c, i in LOSSES]
    samples += [sample("metric", n, c, i) for n, c, i in METRICS]
    samples += [sample("schedule", n, c) for n, c in SCHEDULES]
    with open(os.path.join(OUT_DIR, "objects.json"), "w", encoding="utf-8") as f:
        json.dump(samples, f, indent=1)
        f.write("\n")
    unsupported = [{"kind": k, "code": c,
                    "object": keras.saving.serialize_keras_object(make(c))}
                   for k, c in UNSUPPORTED]
    with open(os.path.join(OUT_DIR, "unsupported.json"), "w", encoding="utf-8") as f:
        json.dump(unsupported, f, indent=1)
        f.write("\n")
    for name, case in MODEL_CASES.items():
        write_model_case(name, case)
    print(f"wrote {len(samples)} objects and {len(MODEL_CASES)} models to {OUT_DIR}")


if __name__ == "__main__":
    main()

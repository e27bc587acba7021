#!/usr/bin/env python3
"""Write reference fixtures for training (compile / train_on_batch / fit /
evaluate / progress output) from REAL Keras.

Run (from anywhere):

    KERAS_BACKEND=jax python reference/make_training_fixtures.py

Writes tests/fixtures/training/<case>/ (see reference/README.md, section
"make_training_fixtures.py").  Every case is built after
`keras.backend.clear_session()` and `keras.utils.set_random_seed(1234)`; its
weights and data come from NumPy generators seeded from the case name, so
adding a case does not change the others.  Three kinds of case:

  steps     train_on_batch on the whole data set, 5 times; the weights after
            step 1 and step 5, the value returned by every call, and the
            gradient of the training loss at the initial weights.
  fit       model.fit(..., shuffle=False, verbose=0) with history, weights
            after fit and evaluate() results.
  progress  the text fit(verbose=2) and fit(verbose=1) print, captured in a
            child process whose stdout is a pipe (timing fields vary).

Internal mode (used by the script itself):
    --print-progress VERBOSE   run the progress case with verbose=VERBOSE and
                               let Keras print to stdout.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import zlib

os.environ.setdefault("KERAS_BACKEND", "jax")
if os.environ["KERAS_BACKEND"] != "jax":
    sys.exit("run with KERAS_BACKEND=jax")

import numpy as np  # noqa: E402

import jax  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT_DIR = os.path.join(ROOT, "tests", "fixtures", "training")

GLOBAL_SEED = 1234
STEPS = 5
CODE_PREAMBLE = "import keras\nfrom keras import layers\nimport numpy as np"

# --------------------------------------------------------------------------
# Models.  Each is a small graph description that case.json repeats in a
# machine-readable form ("model"), so a C++ test can rebuild it without
# parsing Python.  Dense layers only (plus the inputs).
#   kind "sequential": input_shape + a list of Dense layers in order.
#   kind "functional": named layers with their inbound layer names.
# --------------------------------------------------------------------------


def dense(units, activation="linear", name=None, inbound=None):
    d = {"class_name": "Dense", "units": units, "activation": activation}
    if name:
        d["name"] = name
    if inbound:
        d["inbound"] = inbound
    return d


def seq_model(input_shape, out_units, out_activation, hidden=8):
    return {
        "kind": "sequential",
        "input_shape": list(input_shape),
        "layers": [dense(hidden, "relu"), dense(out_units, out_activation)],
    }


def build_model(spec):
    """Keras model from a spec made by seq_model / the functional cases."""
    if spec["kind"] == "sequential":
        ls = [keras.Input(tuple(spec["input_shape"]))]
        for l in spec["layers"]:
            ls.append(layers.Dense(l["units"], activation=l["activation"]))
        return keras.Sequential(ls)
    tensors = {}
    for i in spec["inputs"]:
        tensors[i["name"]] = keras.Input(tuple(i["shape"]), name=i["name"])
    for l in spec["layers"]:
        kw = {"name": l["name"]} if l.get("name_given") else {}
        layer = layers.Dense(l["units"], activation=l["activation"], **kw)
        (src,) = l["inbound"]
        tensors[l["name"]] = layer(tensors[src])
        # The spec names layers by their Keras auto-name; check it matches.
        assert layer.name == l["name"], (layer.name, l["name"])
    return keras.Model(
        [tensors[n] for n in spec["input_names"]],
        [tensors[n] for n in spec["outputs"]],
    )


def model_code(spec):
    """Python source equivalent to build_model(spec) (for humans)."""
    if spec["kind"] == "sequential":
        parts = [f"keras.Input({tuple(spec['input_shape'])})"]
        for l in spec["layers"]:
            parts.append(f'layers.Dense({l["units"]}, activation="{l["activation"]}")')
        return "model = keras.Sequential([\n    " + ",\n    ".join(parts) + ",\n])"
    lines = []
    for i in spec["inputs"]:
        lines.append(f'{i["name"]} = keras.Input({tuple(i["shape"])}, name="{i["name"]}")')
    for l in spec["layers"]:
        name = f', name="{l["name"]}"' if l.get("name_given") else ""
        lines.append(
            f'{l["name"]} = layers.Dense({l["units"]}, activation="{l["activation"]}"'
            f'{name})({l["inbound"][0]})'
        )
    ins = ", ".join(spec["input_names"])
    outs = ", ".join(spec["outputs"])
    lines.append(f"model = keras.Model([{ins}], [{outs}])")
    return "\n".join(lines)


def functional_two_heads(named):
    """input -> Dense(8, relu) -> {Dense(3, softmax), Dense(2)}.  With
    named=False the layers keep their auto-names (dense, dense_1, dense_2),
    which is what the history keys are built from."""
    if named:
        hid, a, b = "hidden", "class_out", "reg_out"
    else:
        hid, a, b = "dense", "dense_1", "dense_2"
    return {
        "kind": "functional",
        "inputs": [{"name": "features", "shape": [6]}],
        "input_names": ["features"],
        "layers": [
            dict(dense(8, "relu", hid, ["features"]), name_given=named),
            dict(dense(3, "softmax", a, [hid]), name_given=named),
            dict(dense(2, "linear", b, [hid]), name_given=named),
        ],
        "outputs": [a, b],
    }


# --------------------------------------------------------------------------
# Optimizers and losses: (class name, constructor kwargs) so that case.json
# holds the class and its FULL get_config() (defaults included).
# --------------------------------------------------------------------------

LOSS_CLASSES = {
    "categorical_crossentropy": "CategoricalCrossentropy",
    "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy",
    "binary_crossentropy": "BinaryCrossentropy",
    "mean_squared_error": "MeanSquaredError",
    "mse": "MeanSquaredError",
    "mean_absolute_error": "MeanAbsoluteError",
    "huber": "Huber",
}

# Labels each loss needs: "onehot" (float32, last dim = classes), "sparse"
# (int32 class ids, no class dim), "sparse_col" (int32, trailing dim 1),
# "binary" (float32 0/1, trailing dim 1), "real" (float32 N(0,1)).


def make_loss(spec):
    """spec: a string (passed to compile as is) or (class_name, kwargs)."""
    if isinstance(spec, str):
        return spec
    cls, kw = spec
    return getattr(keras.losses, cls)(**kw)


def loss_info(spec):
    """Machine-readable loss: identifier (the string given to compile, or
    null), class_name and config of the equivalent loss object (a string
    identifier is compiled into a wrapper of the loss FUNCTION with the same
    defaults as the class; the class config shows them)."""
    if isinstance(spec, str):
        cls, kw, ident = LOSS_CLASSES[spec], {}, spec
    else:
        (cls, kw), ident = spec, None
    obj = getattr(keras.losses, cls)(**kw)
    cfg = obj.get_config()
    cfg.pop("dtype", None)
    # get_config() is not complete: Huber's omits `delta` (3.15.1), so
    # "params" = config + the constructor kwargs + Huber's default delta.
    params = dict(cfg, **kw)
    if cls == "Huber":
        params.setdefault("delta", 1.0)
    return {"identifier": ident, "class_name": cls, "kwargs": kw,
            "config": cfg, "params": params}


def make_optimizer(spec):
    cls, kw = spec
    return getattr(keras.optimizers, cls)(**kw)


def optimizer_info(opt):
    cfg = {
        k: v
        for k, v in opt.get_config().items()
        if isinstance(v, (int, float, bool, str, type(None)))
    }
    return {"class_name": opt.__class__.__name__, "config": cfg}


# --------------------------------------------------------------------------
# Case table.
# --------------------------------------------------------------------------

MLP_SOFTMAX = seq_model((6,), 3, "softmax")
MLP_LINEAR = seq_model((6,), 3, "linear")
MLP_SIGMOID = seq_model((6,), 1, "sigmoid")
MLP_LINEAR1 = seq_model((6,), 1, "linear")
MLP3D_SOFTMAX = seq_model((4, 6), 3, "softmax")
MLP3D_LINEAR = seq_model((4, 6), 3, "linear")

STEP_CASES = [
    # name, model, optimizer, loss, labels, metrics
    ("sgd_cce", MLP_SOFTMAX, ("SGD", dict(learning_rate=0.1)),
     "categorical_crossentropy", "onehot", None),
    ("sgd_momentum_sparse_cce", MLP_SOFTMAX,
     ("SGD", dict(learning_rate=0.1, momentum=0.9)),
     "sparse_categorical_crossentropy", "sparse", None),
    ("sgd_nesterov_mse_3d", MLP3D_LINEAR,
     ("SGD", dict(learning_rate=0.05, momentum=0.9, nesterov=True)),
     "mean_squared_error", "real", None),
    ("sgd_mae", MLP_LINEAR, ("SGD", dict(learning_rate=0.1)),
     "mean_absolute_error", "real", None),
    ("sgd_bce_from_logits", MLP_LINEAR1, ("SGD", dict(learning_rate=0.1)),
     ("BinaryCrossentropy", dict(from_logits=True)), "binary", None),
    ("rmsprop_mse", MLP_LINEAR, ("RMSprop", dict(learning_rate=0.01)),
     "mean_squared_error", "real", None),
    ("rmsprop_centered_momentum_bce", MLP_SIGMOID,
     ("RMSprop", dict(learning_rate=0.01, momentum=0.5, centered=True)),
     "binary_crossentropy", "binary", None),
    ("adam_bce", MLP_SIGMOID, ("Adam", dict(learning_rate=0.01)),
     "binary_crossentropy", "binary", None),
    ("adam_sparse_cce_3d", MLP3D_SOFTMAX, ("Adam", dict(learning_rate=0.01)),
     "sparse_categorical_crossentropy", "sparse", None),
    ("adam_cce_logits_smoothing", MLP_LINEAR, ("Adam", dict(learning_rate=0.01)),
     ("CategoricalCrossentropy", dict(from_logits=True, label_smoothing=0.1)),
     "onehot", None),
    ("adam_sparse_cce_accuracy", MLP_SOFTMAX, ("Adam", dict(learning_rate=0.01)),
     "sparse_categorical_crossentropy", "sparse", ["accuracy"]),
    ("adamw_cce", MLP_SOFTMAX,
     ("AdamW", dict(learning_rate=0.01, weight_decay=0.1)),
     "categorical_crossentropy", "onehot", None),
    ("adagrad_huber", MLP_LINEAR, ("Adagrad", dict(learning_rate=0.1)),
     "huber", "real", None),
    ("adadelta_sparse_cce_col", MLP_SOFTMAX, ("Adadelta", dict(learning_rate=1.0)),
     "sparse_categorical_crossentropy", "sparse_col", None),
    ("adamax_huber_delta_3d", MLP3D_LINEAR, ("Adamax", dict(learning_rate=0.01)),
     ("Huber", dict(delta=0.5)), "real", None),
    ("nadam_cce", MLP_SOFTMAX, ("Nadam", dict(learning_rate=0.01)),
     "categorical_crossentropy", "onehot", None),
    ("lion_bce", MLP_SIGMOID, ("Lion", dict(learning_rate=0.001)),
     "binary_crossentropy", "binary", None),
]

FIT_COMMON = dict(batch_size=4, epochs=3, shuffle=False)

FIT_CASES = [
    dict(name="fit_basic", model=MLP_SOFTMAX, n=13, labels="onehot",
         optimizer=("Adam", dict(learning_rate=0.01)),
         loss="categorical_crossentropy", metrics=["accuracy"],
         validation_split=0.2),
    dict(name="fit_sparse_n12", model=MLP_SOFTMAX, n=12, labels="sparse",
         optimizer=("SGD", dict(learning_rate=0.1, momentum=0.9)),
         loss="sparse_categorical_crossentropy", metrics=["accuracy"],
         validation_split=0.2),
    dict(name="fit_sample_weight", model=MLP_SOFTMAX, n=13, labels="sparse",
         optimizer=("Adam", dict(learning_rate=0.01)),
         loss="sparse_categorical_crossentropy", metrics=["accuracy"],
         validation_split=0.2, sample_weight=True),
    dict(name="fit_class_weight", model=MLP_SOFTMAX, n=13, labels="onehot",
         optimizer=("Adam", dict(learning_rate=0.01)),
         loss="categorical_crossentropy", metrics=["accuracy"],
         validation_split=0.2, class_weight={0: 1.0, 1: 2.0, 2: 0.5}),
    dict(name="fit_validation_data", model=MLP_SOFTMAX, n=11, labels="onehot",
         optimizer=("RMSprop", dict(learning_rate=0.01)),
         loss="categorical_crossentropy", metrics=["accuracy"],
         validation_data=5),
    dict(name="fit_regression_mae_mse", model=MLP_LINEAR, n=13, labels="real",
         optimizer=("Adam", dict(learning_rate=0.01)),
         loss="mean_squared_error", metrics=["mae", "mse"],
         validation_split=0.2),
    dict(name="fit_binary_accuracy", model=MLP_SIGMOID, n=13, labels="binary",
         optimizer=("Adam", dict(learning_rate=0.01)),
         loss="binary_crossentropy", metrics=["accuracy"],
         validation_split=0.2),
    dict(name="fit_no_metrics_no_validation", model=MLP_LINEAR, n=10,
         labels="real", optimizer=("SGD", dict(learning_rate=0.05)),
         loss="huber", metrics=None),
    # Multi-output, layers with auto-names, list-form losses/metrics.
    dict(name="fit_multi_output_list", model=functional_two_heads(False), n=13,
         labels=["onehot", "real2"],
         optimizer=("Adam", dict(learning_rate=0.01)),
         loss=["categorical_crossentropy", "mean_squared_error"],
         loss_weights=[1.0, 0.5], metrics=[["accuracy"], ["mae"]],
         validation_split=0.2),
    # Multi-output with named outputs and dict-form losses/metrics.
    dict(name="fit_multi_output_dict", model=functional_two_heads(True), n=13,
         labels=["sparse", "real2"],
         optimizer=("SGD", dict(learning_rate=0.05)),
         loss={"class_out": "sparse_categorical_crossentropy",
               "reg_out": "huber"},
         loss_weights={"class_out": 2.0, "reg_out": 0.25},
         metrics={"class_out": ["accuracy"], "reg_out": ["mse"]},
         validation_split=0.2),
]

PROGRESS_CASE = dict(name="progress", model=MLP_SOFTMAX, n=13, labels="onehot",
                     optimizer=("Adam", dict(learning_rate=0.01)),
                     loss="categorical_crossentropy", metrics=["accuracy"],
                     validation_split=0.2, batch_size=4, epochs=2,
                     shuffle=False)

# --------------------------------------------------------------------------


def case_rng(name, salt):
    return np.random.default_rng([GLOBAL_SEED, zlib.crc32(name.encode()), salt])


def fresh():
    keras.backend.clear_session()
    keras.utils.set_random_seed(GLOBAL_SEED)


def new_weights(model, rng):
    """Kernels N(0, min(0.5, 1/sqrt(fan_in))^2), biases N(0, 0.1^2)."""
    out = []
    for v in model.weights:
        shape = tuple(v.shape)
        if len(shape) >= 2:
            std = min(0.5, 1.0 / np.sqrt(float(np.prod(shape[:-1]))))
        else:
            std = 0.1
        out.append(rng.normal(0.0, std, shape).astype("float32"))
    return out


def make_x(spec, n, rng):
    shape = (n,) + tuple(
        spec["input_shape"] if spec["kind"] == "sequential" else spec["inputs"][0]["shape"]
    )
    return rng.standard_normal(shape).astype("float32")


def make_y(kind, x, out_units, rng):
    """Labels for an output with `out_units` units on input x (the label has
    x's leading dims without the feature dim)."""
    lead = x.shape[:-1]
    if kind == "onehot":
        ids = rng.integers(0, out_units, size=lead)
        return np.eye(out_units, dtype="float32")[ids]
    if kind == "sparse":
        return rng.integers(0, out_units, size=lead).astype("int32")
    if kind == "sparse_col":
        return rng.integers(0, out_units, size=lead + (1,)).astype("int32")
    if kind == "binary":
        return rng.integers(0, 2, size=lead + (1,)).astype("float32")
    if kind in ("real", "real2"):
        return rng.standard_normal(lead + (out_units,)).astype("float32")
    raise ValueError(kind)


def out_units_list(spec):
    if spec["kind"] == "sequential":
        return [spec["layers"][-1]["units"]]
    by_name = {l["name"]: l for l in spec["layers"]}
    return [by_name[o]["units"] for o in spec["outputs"]]


def make_ys(labels, spec, x, rng):
    kinds = labels if isinstance(labels, list) else [labels]
    return [make_y(k, x, u, rng) for k, u in zip(kinds, out_units_list(spec))]


def to_float(v):
    return float(np.asarray(v))


def tree_floats(v):
    if isinstance(v, dict):
        return {k: tree_floats(w) for k, w in v.items()}
    if isinstance(v, (list, tuple)):
        return [tree_floats(w) for w in v]
    return to_float(v)


def dump_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


def save_list(d, prefix, arrays):
    for i, a in enumerate(arrays):
        np.save(os.path.join(d, f"{prefix}_{i:02d}.npy"), np.asarray(a))


def save_data(d, name, arrays):
    """x.npy / y.npy for a single array, y_0.npy, y_1.npy ... for several."""
    if len(arrays) == 1:
        np.save(os.path.join(d, f"{name}.npy"), arrays[0])
        return [f"{name}.npy"]
    files = []
    for i, a in enumerate(arrays):
        np.save(os.path.join(d, f"{name}_{i}.npy"), a)
        files.append(f"{name}_{i}.npy")
    return files


def one_or_list(arrays):
    return arrays[0] if len(arrays) == 1 else list(arrays)


def weights_info(model):
    return [
        {"path": v.path, "shape": list(v.shape), "trainable": bool(v.trainable)}
        for v in model.weights
    ]


def loss_field(loss):
    if isinstance(loss, dict):
        return {k: loss_info(v) for k, v in loss.items()}
    if isinstance(loss, list):
        return [loss_info(v) for v in loss]
    return loss_info(loss)


def compile_loss_arg(loss):
    if isinstance(loss, dict):
        return {k: make_loss(v) for k, v in loss.items()}
    if isinstance(loss, list):
        return [make_loss(v) for v in loss]
    return make_loss(loss)


def loss_code(spec):
    if isinstance(spec, str):
        return repr(spec).replace("'", '"')
    cls, kw = spec
    args = ", ".join(f"{k}={v!r}" for k, v in kw.items())
    return f"keras.losses.{cls}({args})"


def compile_code(c):
    cls, kw = c["optimizer"]
    opt = f"keras.optimizers.{cls}(" + ", ".join(f"{k}={v!r}" for k, v in kw.items()) + ")"
    loss = c["loss"]
    if isinstance(loss, dict):
        loss_src = "{" + ", ".join(f'"{k}": {loss_code(v)}' for k, v in loss.items()) + "}"
    elif isinstance(loss, list):
        loss_src = "[" + ", ".join(loss_code(v) for v in loss) + "]"
    else:
        loss_src = loss_code(loss)
    args = [f"optimizer={opt}", f"loss={loss_src}"]
    if c.get("loss_weights") is not None:
        args.append(f"loss_weights={json.dumps(c['loss_weights'])}")
    if c.get("metrics") is not None:
        args.append(f"metrics={json.dumps(c['metrics'])}")
    return "model.compile(" + ", ".join(args) + ")"


def build_compiled(c, rng_name):
    """Fresh session, model with fixed weights, compiled as the case says."""
    fresh()
    model = build_model(c["model"])
    weights = new_weights(model, case_rng(rng_name, 1))
    model.set_weights(weights)
    opt = make_optimizer(c["optimizer"])
    model.compile(
        optimizer=opt,
        loss=compile_loss_arg(c["loss"]),
        loss_weights=c.get("loss_weights"),
        metrics=c.get("metrics"),
    )
    return model, weights, opt


def compile_fields(c, model, opt):
    return {
        "optimizer": optimizer_info(opt),
        "loss": loss_field(c["loss"]),
        "loss_weights": c.get("loss_weights"),
        "metrics": c.get("metrics"),
    }


def common_fields(c, model, code):
    return {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "code_preamble": CODE_PREAMBLE,
        "code": code,
        "model": c["model"],
        "model_name": model.name,
        # The names Keras uses for per-output log keys (Functional only).
        "output_names": list(getattr(model, "output_names", None) or [])
        or [t._keras_history.operation.name for t in model.outputs],
        "weights": weights_info(model),
        "weight_init": "kernels N(0, min(0.5, 1/sqrt(prod(shape[:-1])))^2), "
        "biases N(0, 0.1^2); saved as weights_NN.npy",
    }


# --------------------------------------------------------------------------
# "steps" cases.


def initial_gradients(model, x, y, sw=None):
    """d(training loss)/d(trainable weights) at the current weights, via
    jax.grad of the trainer's own stateless loss (training=False: the models
    here have no dropout/batch-norm, and training=True would need the
    optimizer's loss-scale variables)."""
    model._symbolic_build(data_batch=(x, y, sw))
    tv = [v.value for v in model.trainable_variables]
    ntv = [v.value for v in model.non_trainable_variables]
    mv = [v.value for v in model.metrics_variables]

    def f(tv):
        loss, _ = model.compute_loss_and_updates(tv, ntv, mv, x, y, sw, training=False)
        return loss

    loss, grads = jax.value_and_grad(f)(tv)
    return to_float(loss), [np.asarray(g, dtype="float32") for g in grads]


def write_step_case(c):
    name = c["name"]
    d = os.path.join(OUT_DIR, name)
    os.makedirs(d)
    model, weights, opt = build_compiled(c, name)
    rng = case_rng(name, 2)
    x = make_x(c["model"], 10, rng)
    (y,) = make_ys(c["labels"], c["model"], x, rng)

    save_list(d, "weights", weights)
    np.save(os.path.join(d, "x.npy"), x)
    np.save(os.path.join(d, "y.npy"), y)
    np.save(
        os.path.join(d, "predict_initial.npy"),
        np.asarray(model.predict(x, verbose=0), dtype="float32"),
    )
    grad_loss, grads = initial_gradients(model, x, y)
    save_list(d, "grads", grads)

    returns, returns_dict, losses = [], [], []
    for step in range(1, STEPS + 1):
        r = model.train_on_batch(x, y, return_dict=True)
        returns_dict.append(tree_floats(r))
        # The list train_on_batch returns without return_dict (same order).
        returns.append(tree_floats(model._flatten_metrics_in_order(r)))
        losses.append(to_float(r["loss"]))
        if step in (1, STEPS):
            save_list(d, f"weights_after_{step}", model.get_weights())

    info = common_fields(c, model, model_code(c["model"]) + "\n" + compile_code(c))
    info.update(compile_fields(c, model, opt))
    info.update({
        "kind": "steps",
        "labels": c["labels"],
        "x": {"file": "x.npy", "shape": list(x.shape), "dtype": str(x.dtype)},
        "y": {"file": "y.npy", "shape": list(y.shape), "dtype": str(y.dtype)},
        "procedure": f"for step in 1..{STEPS}: r = model.train_on_batch(x, y) "
        "(the whole data set is one batch)",
        "steps": STEPS,
        "losses": losses,
        "train_on_batch_returns": returns,
        "train_on_batch_returns_dict": returns_dict,
        "loss_at_initial_weights": grad_loss,
        "files": {
            "weights": "weights_NN.npy (initial, model.get_weights() order)",
            "weights_after_1": "weights_after_1_NN.npy",
            "weights_after_5": f"weights_after_{STEPS}_NN.npy",
            "grads": "grads_NN.npy: gradient of the loss at the initial "
            "weights, trainable weights order",
            "predict_initial": "predict_initial.npy: model.predict(x) at the "
            "initial weights",
        },
        "optimizer_iterations_after": int(np.asarray(opt.iterations.value)),
    })
    dump_json(os.path.join(d, "case.json"), info)
    print(f"{name:34s} {info['optimizer']['class_name']:8s} "
          f"losses={[round(v, 5) for v in losses]}")


# --------------------------------------------------------------------------
# "fit" cases.


def fit_arg_code(k, v, c):
    if k in ("validation_data", "sample_weight"):
        return f"{k}={v}"  # names of arrays, not literals
    if k == "class_weight":
        return f"{k}={c['class_weight']!r}"  # int keys (JSON has strings)
    return f"{k}={v!r}"


class BatchLogger(keras.callbacks.Callback):
    """Logs passed to on_train_batch_end (running values within an epoch)."""

    def __init__(self):
        super().__init__()
        self.batches = []

    def on_epoch_begin(self, epoch, logs=None):
        self.batches.append([])

    def on_train_batch_end(self, batch, logs=None):
        self.batches[-1].append({k: to_float(v) for k, v in (logs or {}).items()})


def write_fit_case(c):
    name = c["name"]
    d = os.path.join(OUT_DIR, name)
    os.makedirs(d)
    c = dict(FIT_COMMON, **c)
    model, weights, opt = build_compiled(c, name)
    rng = case_rng(name, 2)
    x = make_x(c["model"], c["n"], rng)
    ys = make_ys(c["labels"], c["model"], x, rng)

    save_list(d, "weights", weights)
    files = {"x": save_data(d, "x", [x]), "y": save_data(d, "y", ys)}
    fit_kw = dict(batch_size=c["batch_size"], epochs=c["epochs"],
                  shuffle=c["shuffle"], verbose=0)
    fit_args = {k: v for k, v in fit_kw.items()}
    if c.get("validation_split"):
        fit_kw["validation_split"] = c["validation_split"]
        fit_args["validation_split"] = c["validation_split"]
    val = None
    if c.get("validation_data"):
        nv = c["validation_data"]
        xv = make_x(c["model"], nv, rng)
        yvs = make_ys(c["labels"], c["model"], xv, rng)
        files["x_val"] = save_data(d, "x_val", [xv])
        files["y_val"] = save_data(d, "y_val", yvs)
        val = (xv, one_or_list(yvs))
        fit_kw["validation_data"] = val
        fit_args["validation_data"] = "(x_val, y_val)"
    if c.get("sample_weight"):
        sw = rng.uniform(0.2, 2.0, size=(c["n"],)).astype("float32")
        np.save(os.path.join(d, "sample_weight.npy"), sw)
        files["sample_weight"] = ["sample_weight.npy"]
        fit_kw["sample_weight"] = sw
        fit_args["sample_weight"] = "sample_weight"
    if c.get("class_weight"):
        fit_kw["class_weight"] = c["class_weight"]
        fit_args["class_weight"] = {str(k): v for k, v in c["class_weight"].items()}

    n = c["n"]
    if c.get("validation_split"):
        n_train = int(np.floor(n * (1.0 - c["validation_split"])))
    else:
        n_train = n
    steps = -(-n_train // c["batch_size"])

    logger = BatchLogger()
    hist = model.fit(x, one_or_list(ys), callbacks=[logger], **fit_kw)
    save_list(d, "weights_after_fit", model.get_weights())

    # evaluate on the validation part (or validation_data), and on all data.
    if val is None and n_train < n:
        val = (x[n_train:], one_or_list([y[n_train:] for y in ys]))
    evals = {}
    if val is not None:
        evals["validation"] = {
            "call": "model.evaluate(x_val, y_val, batch_size=4, verbose=0)"
            if c.get("validation_data")
            else f"model.evaluate(x[{n_train}:], y[{n_train}:], batch_size=4, verbose=0)",
            "returns": tree_floats(model.evaluate(*val, batch_size=4, verbose=0)),
            "returns_dict": tree_floats(
                model.evaluate(*val, batch_size=4, verbose=0, return_dict=True)),
        }
    evals["all"] = {
        "call": "model.evaluate(x, y, batch_size=4, verbose=0)",
        "returns": tree_floats(model.evaluate(x, one_or_list(ys), batch_size=4, verbose=0)),
        "returns_dict": tree_floats(model.evaluate(
            x, one_or_list(ys), batch_size=4, verbose=0, return_dict=True)),
    }
    np.save(os.path.join(d, "predict_after_fit_0.npy") if len(ys) > 1 else
            os.path.join(d, "predict_after_fit.npy"),
            np.asarray(keras.tree.flatten(model.predict(x, verbose=0))[0], dtype="float32"))
    if len(ys) > 1:
        for i, p in enumerate(keras.tree.flatten(model.predict(x, verbose=0))[1:], 1):
            np.save(os.path.join(d, f"predict_after_fit_{i}.npy"), np.asarray(p, "float32"))

    info = common_fields(c, model, model_code(c["model"]) + "\n" + compile_code(c)
                         + "\nhistory = model.fit(x, y, "
                         + ", ".join(fit_arg_code(k, v, c) for k, v in fit_args.items())
                         + ")")
    info.update(compile_fields(c, model, opt))
    info.update({
        "kind": "fit",
        "labels": c["labels"],
        "files": files,
        "n_samples": n,
        "n_train": n_train,
        "n_val": (c["validation_data"] if c.get("validation_data") else n - n_train),
        "fit_args": fit_args,
        "steps_per_epoch": steps,
        "history": {k: [to_float(v) for v in vs] for k, vs in hist.history.items()},
        "history_keys": list(hist.history.keys()),
        "history_epoch": list(hist.epoch),
        "history_params": hist.params,
        "batch_logs": logger.batches,
        "metrics_names": list(model.metrics_names),
        "evaluate": evals,
        "weights_after_fit": "weights_after_fit_NN.npy",
        "optimizer_iterations_after_fit": int(np.asarray(opt.iterations.value)),
    })
    dump_json(os.path.join(d, "case.json"), info)
    print(f"{name:34s} keys={info['history_keys']}")


# --------------------------------------------------------------------------
# "progress" case: text printed by fit(verbose=2) and fit(verbose=1).

ANSI = re.compile(r"\x1b\[[0-9;]*m")

# Fields that depend on time, in the visible text.
TIMING_V2 = re.compile(r"^( *\d+/\d+) - \d+s - \d+(?:s|ms|us)/step")
TIMING_V1 = re.compile(r"^( *\d+/\d+ ━+) \d+s \d+(?:s|ms|us)/step")


def run_progress(verbose):
    c = PROGRESS_CASE
    model, _, _ = build_compiled(c, c["name"])
    rng = case_rng(c["name"], 2)
    x = make_x(c["model"], c["n"], rng)
    (y,) = make_ys(c["labels"], c["model"], x, rng)
    sys.stdout.flush()
    model.fit(x, y, batch_size=c["batch_size"], epochs=c["epochs"],
              shuffle=c["shuffle"], verbose=verbose,
              validation_split=c["validation_split"])
    sys.stdout.flush()


def capture_progress(verbose):
    env = dict(os.environ)
    for k in ("COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR"):
        env.pop(k, None)
    env["KERAS_BACKEND"] = "jax"
    env["PYTHONIOENCODING"] = "utf-8"
    p = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--print-progress", str(verbose)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=env, check=False,
    )
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"progress child verbose={verbose} failed")
    return p.stdout


def visible_lines(raw):
    """What a terminal shows: per '\\n'-terminated line, the text after the
    last '\\r' with backspaces dropped and ANSI codes removed."""
    out = []
    for line in raw.decode("utf-8").split("\n")[:-1]:
        seg = line.split("\r")[-1].replace("\b", "")
        out.append(ANSI.sub("", seg).rstrip(" "))
    return out


def mask_line(line, pattern, repl):
    return pattern.sub(repl, line)


def write_progress_case():
    c = PROGRESS_CASE
    name = c["name"]
    d = os.path.join(OUT_DIR, name)
    os.makedirs(d)
    fresh()
    model, weights, opt = build_compiled(c, name)
    rng = case_rng(name, 2)
    x = make_x(c["model"], c["n"], rng)
    (y,) = make_ys(c["labels"], c["model"], x, rng)
    save_list(d, "weights", weights)
    np.save(os.path.join(d, "x.npy"), x)
    np.save(os.path.join(d, "y.npy"), y)
    hist = model.fit(x, y, batch_size=c["batch_size"], epochs=c["epochs"],
                     shuffle=False, verbose=0, validation_split=c["validation_split"])

    raw2 = capture_progress(2)
    raw1 = capture_progress(1)
    with open(os.path.join(d, "verbose2.txt"), "wb") as f:
        f.write(raw2)
    with open(os.path.join(d, "verbose1.raw"), "wb") as f:
        f.write(raw1)
    v2 = raw2.decode("utf-8").split("\n")[:-1]
    v1_vis = visible_lines(raw1)
    # Final (finalize=True) update of each epoch in verbose=1, raw bytes
    # after the last '\r' (ANSI codes kept, trailing padding kept).
    v1_final_raw = [ln.split("\r")[-1] for ln in raw1.decode("utf-8").split("\n")[:-1]]

    info = common_fields(c, model, model_code(c["model"]) + "\n" + compile_code(c)
                         + "\nmodel.fit(x, y, batch_size=4, epochs=2, shuffle=False, "
                         "verbose=V, validation_split=0.2)")
    info.update(compile_fields(c, model, opt))
    info.update({
        "kind": "progress",
        "labels": c["labels"],
        "files": {"x": ["x.npy"], "y": ["y.npy"],
                  "verbose2": "verbose2.txt: exact stdout of fit(verbose=2)",
                  "verbose1": "verbose1.raw: exact stdout of fit(verbose=1), "
                  "with ANSI codes, backspaces and carriage returns"},
        "fit_args": {"batch_size": c["batch_size"], "epochs": c["epochs"],
                     "shuffle": False, "validation_split": c["validation_split"]},
        "n_samples": c["n"],
        "steps_per_epoch": 3,
        "history": {k: [to_float(v) for v in vs] for k, vs in hist.history.items()},
        "stdout_is_tty": False,
        "verbose2_lines": v2,
        "verbose2_masked": [mask_line(l, TIMING_V2, r"\1 - <T>s - <S>/step") for l in v2],
        "verbose2_timing_fields": "on each metrics line, after `N/N - `: the "
        "elapsed seconds `%.0fs`, then ` - ` and the per-step time "
        "(`%.0fs/step`, `%.0fms/step` or `%.0fus/step`). Everything else "
        "(the `Epoch e/E` lines, the counts, metric names, order and values) "
        "is deterministic.",
        "verbose2_regex": r"^(\d+)/(\d+) - (\d+)s - (\d+)(s|ms|us)/step((?: - [a-z_]+: [-0-9.e+]+)*)$",
        "verbose1_visible_lines": v1_vis,
        "verbose1_visible_masked": [mask_line(l, TIMING_V1, r"\1 <T>s <S>/step")
                                    for l in v1_vis],
        "verbose1_final_raw": v1_final_raw,
        "verbose1_timing_fields": "in the final update of an epoch: the "
        "bold elapsed time `%.0fs` after the bar and the per-step time after "
        "it; intermediate updates show the ETA instead of the elapsed time "
        "and are throttled to one per 0.05 s, so HOW MANY intermediate "
        "redraws appear (and the space padding that depends on the previous "
        "redraw's width) varies between runs.",
    })
    dump_json(os.path.join(d, "case.json"), info)
    print(f"{name:34s} verbose2:")
    for l in v2:
        print("    " + l)
    print("  verbose1 visible:")
    for l in v1_vis:
        print("    " + l)


# --------------------------------------------------------------------------


def main():
    if "--print-progress" in sys.argv:
        run_progress(int(sys.argv[sys.argv.index("--print-progress") + 1]))
        return
    names = [c[0] for c in STEP_CASES] + [c["name"] for c in FIT_CASES] + [PROGRESS_CASE["name"]]
    assert len(names) == len(set(names)), "duplicate case names"
    print(f"keras {keras.__version__}, jax {jax.__version__}, "
          f"backend {keras.backend.backend()}, {len(names)} cases")

    if os.path.isdir(OUT_DIR):
        shutil.rmtree(OUT_DIR)
    os.makedirs(OUT_DIR)
    for name, model, opt, loss, labels, metrics in STEP_CASES:
        write_step_case(dict(name=name, model=model, optimizer=opt, loss=loss,
                             labels=labels, metrics=metrics))
    for c in FIT_CASES:
        write_fit_case(c)
    write_progress_case()
    dump_json(
        os.path.join(OUT_DIR, "index.json"),
        {
            "keras_version": keras.__version__,
            "steps_cases": [c[0] for c in STEP_CASES],
            "fit_cases": [c["name"] for c in FIT_CASES],
            "progress_cases": [PROGRESS_CASE["name"]],
        },
    )
    total = sum(
        os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(OUT_DIR) for f in fs
    )
    print(f"{len(names)} cases, {total / 1e6:.2f} MB in {OUT_DIR}")


if __name__ == "__main__":
    main()

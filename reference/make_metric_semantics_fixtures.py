#!/usr/bin/env python3
"""Write reference fixtures for how compile(metrics=...) is resolved and
logged by REAL Keras 3 (keras/src/trainers/compile_utils.py, CompileMetrics).

Run (from anywhere):

    KERAS_BACKEND=jax python reference/make_metric_semantics_fixtures.py

Writes tests/fixtures/training/metric_semantics/<case>/ and
metric_semantics/errors.json.  What the cases show:

  * a flat list given to a model with N outputs must have N entries, entry i
    being the metric(s) of output i (Keras 2 gave every output the whole
    list); a list of lists and a dict by output name are per output;
  * with one output, every metric of any structure applies to it;
  * log names are "{output}_{metric name}", then "_1", "_2" for a name
    already taken; a metric object keeps its options (threshold, name);
  * one metric OBJECT given for two outputs is one metric updated by both;
  * a metric with several thresholds logs a list (History holds one list per
    epoch, evaluate returns an array, the progress bar prints the mean,
    CSVLogger writes "[v, ...]");
  * evaluate() orders its list as _flatten_metrics_in_order (a name listed
    twice is returned twice).

Each case: a fixed small model (weights_NN.npy), data (x.npy, y_N.npy), a
2-epoch fit(batch_size=4, shuffle=False, validation_split=0.25, verbose=0),
History (a list of per-epoch values per key, each value a number or a list),
evaluate() on all the data (the list, arrays kept as lists, and the dict).
case.json "metrics" describes compile's argument so that a C++ test can
rebuild it: {"form": "list" | "per_output" | "dict", "value": ...} whose
leaves are a string, null, or {"object": key} naming an entry of "objects"
({key: {"class_name", "kwargs"}}), one Python object per key (a key used
twice is the same object twice).
"""

import contextlib
import csv  # noqa: F401  (CSVLogger's writer, named here for the reader)
import io
import json
import os
import re
import shutil
import sys
import tempfile

os.environ.setdefault("KERAS_BACKEND", "jax")
if os.environ["KERAS_BACKEND"] != "jax":
    sys.exit("run with KERAS_BACKEND=jax")

import numpy as np  # noqa: E402

import keras  # noqa: E402
from keras import layers  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT_DIR = os.path.join(ROOT, "tests", "fixtures", "training", "metric_semantics")

SEED = 1234
N = 12
FIT = dict(batch_size=4, epochs=2, shuffle=False, validation_split=0.25)

ANSI = re.compile(r"\x1b\[[0-9;]*m")
TIMING_V2 = re.compile(r"^( *\d+/\d+) - \d+s - \d+(?:s|ms|us)/step")
TIMING_V1 = re.compile(r"^( *\d+/\d+ ━+) \d+s \d+(?:s|ms|us)/step")


# ---- the two models ------------------------------------------------------
# two_heads: features (6) -> Dense(8, relu, "hidden") -> out_a Dense(3,
#   softmax) and out_b Dense(1, sigmoid); losses categorical / binary
#   crossentropy.
# one_head: features (6) -> Dense(8, relu, "hidden") -> out Dense(1, sigmoid);
#   binary crossentropy.


def build(kind):
    keras.backend.clear_session()
    keras.utils.set_random_seed(SEED)
    x = keras.Input((6,), name="features")
    h = layers.Dense(8, activation="relu", name="hidden")(x)
    if kind == "two_heads":
        a = layers.Dense(3, activation="softmax", name="out_a")(h)
        b = layers.Dense(1, activation="sigmoid", name="out_b")(h)
        return keras.Model(x, [a, b]), ["categorical_crossentropy", "binary_crossentropy"]
    out = layers.Dense(1, activation="sigmoid", name="out")(h)
    return keras.Model(x, out), "binary_crossentropy"


def weights_for(model):
    rng = np.random.default_rng([SEED, 1])
    out = []
    for v in model.weights:
        shape = tuple(v.shape)
        std = 1.0 / np.sqrt(shape[0]) if len(shape) == 2 else 0.1
        out.append(rng.normal(0.0, std, shape).astype("float32"))
    return out


def data_for(kind):
    rng = np.random.default_rng([SEED, 2])
    x = rng.standard_normal((N, 6)).astype("float32")
    y_a = np.eye(3, dtype="float32")[rng.integers(0, 3, N)]
    y_b = rng.integers(0, 2, (N, 1)).astype("float32")
    return x, ([y_a, y_b] if kind == "two_heads" else [y_b])


# ---- compile's metrics, described once for Python and for C++ -------------


def make_metrics(spec, objects):
    made = {k: getattr(keras.metrics, o["class_name"])(**o["kwargs"]) for k, o in objects.items()}

    def leaf(v):
        if isinstance(v, dict):
            return made[v["object"]]
        return v

    form, value = spec["form"], spec["value"]
    if form == "list":
        return [leaf(v) for v in value]
    if form == "per_output":
        return [[leaf(v) for v in lst] for lst in value]
    return {k: [leaf(v) for v in lst] for k, lst in value.items()}


def obj(key):
    return {"object": key}


CASES = [
    dict(name="two_flat_strings", model="two_heads",
         why="a list of N strings: one per output, not the whole list for every output",
         metrics={"form": "list", "value": ["accuracy", "mae"]}, objects={}),
    dict(name="two_flat_objects", model="two_heads",
         why="a list of N objects: each keeps its options (name 'acc', threshold 0.3)",
         metrics={"form": "list", "value": [obj("acc"), obj("p")]},
         objects={"acc": {"class_name": "CategoricalAccuracy", "kwargs": {"name": "acc"}},
                  "p": {"class_name": "Precision", "kwargs": {"thresholds": 0.3}}},
         differs_from={"p": {"class_name": "Precision", "kwargs": {}}}),
    dict(name="two_per_output_duplicates", model="two_heads",
         why="a list of lists; names already taken get _1; evaluate's order",
         metrics={"form": "per_output",
                  "value": [["accuracy", "accuracy"], ["mae", obj("r7"), "mae"]]},
         objects={"r7": {"class_name": "Recall", "kwargs": {"thresholds": 0.7, "name": "r7"}}}),
    dict(name="two_dict_partial", model="two_heads",
         why="a dict by output name; out_a, not named, gets no metric",
         metrics={"form": "dict", "value": {"out_b": ["accuracy", "mse"]}}, objects={}),
    dict(name="two_shared_object", model="two_heads",
         why="one Precision object for both outputs: one state, updated by both",
         metrics={"form": "per_output", "value": [[obj("p"), "accuracy"], [obj("p"), "accuracy"]]},
         objects={"p": {"class_name": "Precision", "kwargs": {"thresholds": 0.3, "name": "p3"}}}),
    dict(name="two_thresholds", model="two_heads",
         why="metrics of several thresholds log lists, validation too",
         metrics={"form": "per_output",
                  "value": [[obj("p")], [obj("r"), obj("tp")]]},
         objects={"p": {"class_name": "Precision", "kwargs": {"thresholds": [0.3, 0.5, 0.7]}},
                  "r": {"class_name": "Recall", "kwargs": {"thresholds": [0.4, 0.6]}},
                  "tp": {"class_name": "TruePositives", "kwargs": {"thresholds": [0.2, 0.8]}}}),
    dict(name="one_nested_duplicates", model="one_head",
         why="one output: every list applies to it; mae, mae_1; evaluate lists mae twice",
         metrics={"form": "per_output", "value": [["accuracy"], ["mae", "mae"]]}, objects={}),
    dict(name="one_thresholds", model="one_head",
         why="one output, Precision with 2 thresholds: History lists, progress bar means, CSV",
         metrics={"form": "list", "value": [obj("p"), "accuracy"]},
         objects={"p": {"class_name": "Precision", "kwargs": {"thresholds": [0.3, 0.5]}}},
         progress=True),
]

ERROR_CASES = [
    dict(name="flat_list_of_one", metrics={"form": "list", "value": ["accuracy"]}),
    dict(name="flat_list_of_three", metrics={"form": "list", "value": ["accuracy", "mae", "mse"]}),
    dict(name="per_output_one_list", metrics={"form": "per_output",
                                              "value": [["accuracy", "mae"]]}),
    dict(name="dict_unknown_output", metrics={"form": "dict", "value": {"out_c": ["mae"]}}),
]


# ---- running -----------------------------------------------------------------


def value_json(v):
    a = np.asarray(v)
    return a.tolist() if a.ndim > 0 else float(a)


def compiled(c, objects=None):
    model, loss = build(c["model"])
    model.set_weights(weights_for(model))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss=loss,
                  metrics=make_metrics(c["metrics"], objects if objects is not None else c["objects"]))
    return model


def fit_history(c, objects=None, **extra):
    model = compiled(c, objects)
    x, ys = data_for(c["model"])
    y = ys if len(ys) > 1 else ys[0]
    hist = model.fit(x, y, verbose=extra.pop("verbose", 0), **FIT, **extra)
    return model, hist, x, y


def visible_lines(raw):
    out = []
    for line in raw.split("\n")[:-1]:
        seg = line.split("\r")[-1].replace("\b", "")
        out.append(ANSI.sub("", seg).rstrip(" "))
    return out


def captured_fit(c, verbose):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        fit_history(c, verbose=verbose)
    return buffer.getvalue()


def write_case(c):
    d = os.path.join(OUT_DIR, c["name"])
    os.makedirs(d)
    model, hist, x, y = fit_history(c)
    ys = y if isinstance(y, list) else [y]
    initial = weights_for(build(c["model"])[0])
    for i, w in enumerate(initial):
        np.save(os.path.join(d, f"weights_{i:02d}.npy"), w)
    np.save(os.path.join(d, "x.npy"), x)
    for i, t in enumerate(ys):
        np.save(os.path.join(d, f"y_{i}.npy"), t)
    evaluate = model.evaluate(x, y, batch_size=4, verbose=0)
    evaluate_dict = model.evaluate(x, y, batch_size=4, verbose=0, return_dict=True)
    info = {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "why": c["why"],
        "model": c["model"],
        "output_names": list(model.output_names),
        "metrics": c["metrics"],
        "objects": c["objects"],
        "fit_args": dict(FIT, verbose=0),
        "history_keys": sorted(hist.history),
        "history": {k: [value_json(v) for v in vs] for k, vs in hist.history.items()},
        "evaluate": [value_json(v) for v in evaluate],
        "evaluate_dict": {k: value_json(v) for k, v in evaluate_dict.items()},
    }
    if "differs_from" in c:
        # The same fit with the object's default options gives other numbers,
        # so a C++ run that loses the options fails.
        other = dict(c["objects"], **c["differs_from"])
        _, other_hist, _, _ = fit_history(c, objects=other)
        assert any(other_hist.history[k] != hist.history[k] for k in hist.history), c["name"]
    if c.get("progress"):
        info["verbose2_masked"] = [TIMING_V2.sub(r"\1 - <T>s - <S>/step", l)
                                   for l in captured_fit(c, 2).split("\n")[:-1]]
        info["verbose1_visible_masked"] = [TIMING_V1.sub(r"\1 <T>s <S>/step", l)
                                           for l in visible_lines(captured_fit(c, 1))]
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "log.csv")
            fit_history(c, callbacks=[keras.callbacks.CSVLogger(path)])
            with open(path, newline="") as f:
                info["csv_logger"] = f.read()
    with open(os.path.join(d, "case.json"), "w", encoding="utf-8") as f:
        json.dump(info, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{c['name']:28s} {info['history_keys']}")


def error_of(c):
    model = compiled(dict(c, model="two_heads", objects={}))
    x, ys = data_for("two_heads")
    try:
        model.fit(x, ys, verbose=0, **FIT)
    except ValueError as e:
        return str(e)
    raise AssertionError(c["name"] + " fitted")


def main():
    print(f"keras {keras.__version__}, backend {keras.backend.backend()}")
    if os.path.isdir(OUT_DIR):
        shutil.rmtree(OUT_DIR)
    os.makedirs(OUT_DIR)
    for c in CASES:
        write_case(c)
    errors = [dict(c, keras_error=error_of(c)) for c in ERROR_CASES]
    with open(os.path.join(OUT_DIR, "errors.json"), "w", encoding="utf-8") as f:
        json.dump({"model": "two_heads", "output_names": ["out_a", "out_b"],
                   "raised_by": "fit (compile accepts them)", "cases": errors}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()

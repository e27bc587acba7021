#!/usr/bin/env python3
"""Write legacy HDF5 model files (model.save("m.h5")) saved by real Keras 2 and Keras 3.

    KERAS_BACKEND=jax /work/venv/keras/bin/python reference/make_legacy_h5_fixtures.py

Writes tests/fixtures/legacy_h5/<case>/ (the folder is deleted and rewritten):

  model.h5            model.save("model.h5") after the weights were set to
                      deterministic values and, for compiled cases, one epoch
                      of fit(batch_size=4, shuffle=False) on 8 samples (so the
                      file has a training_config and optimizer_weights)
  x_I.npy, y_I.npy    inputs (one per model input) and the saving Keras'
                      model.predict (one per output)
  summary.txt         what Keras 3 prints for keras.saving.load_model(...,
                      compile=False).summary() in a pipe (line length 76).
                      Uncompiled: Keras 3.15 compiles a legacy file with an
                      optimizer built for no variables ("Optimizer params: 2"),
                      and cannot compile many Keras 2 files at all ("Could not
                      deserialize 'keras.metrics.mse'"). Absent when Keras 3
                      cannot load the file (Keras 2 LSTM/GRU configs:
                      "Unrecognized keyword arguments passed to LSTM:
                      {'time_major': False}"; Keras 3's own functional model
                      with a masking Embedding: "Unknown layer: 'NotEqual'"), or
                      reads it otherwise than the Keras that wrote it
                      (case.json's "keras3_misreads").
  x_train.npy, y_train.npy, weights_after_NN.npy
                      (cases with continue_training) the weights after one more
                      epoch of fit(batch_size=4, shuffle=False) on x_train,
                      y_train by the saving Keras (tf_keras: after loading the
                      file; Keras 3, which cannot train a model loaded from a
                      legacy file: the saved model in memory): the
                      C++ test loads the file, trains the same epoch and must
                      reach the same weights (so the optimizer state came back).
  case.json           the code, the Keras version that saved it, the flags above.

Keras 3.15 cannot compile a legacy file whose loss is an alias ("mse", "mae",
...: "Could not deserialize 'keras.metrics.mse'"), so the Keras 3 cases that
reload their file spell the loss out ("mean_squared_error").

Cases named k2_* are saved by Keras 2 (tf_keras 2.x on TensorFlow, the Keras of
tf.keras): this script runs itself with the python of a throw-away venv that
has tensorflow-cpu and tf_keras (TFKERAS_PYTHON, default
/work/venv/tfkeras/bin/python; make it with `python3 -m venv /work/venv/tfkeras
&& /work/venv/tfkeras/bin/pip install tensorflow-cpu tf_keras`). Cases named
k3_* are saved by Keras 3 with the JAX backend. The case
k2_no_input_layer is k2_dense_input_shape with the InputLayer entry removed
from its model_config, as Keras <= 2.3 wrote Sequential configs.

HDF5 files hold no timestamps that Keras writes, but h5py's object headers
differ between runs only in their layout; the files are not byte-for-byte
reproducible, their contents are.
"""

import json
import os
import shutil
import subprocess
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT_DIR = os.path.join(ROOT, "tests", "fixtures", "legacy_h5")
GLOBAL_SEED = 1234
TFKERAS_PYTHON = os.environ.get("TFKERAS_PYTHON", "/work/venv/tfkeras/bin/python")

KERAS2 = "--keras2" in sys.argv
if KERAS2:
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import tf_keras as keras  # noqa: E402
    from tf_keras import layers  # noqa: E402
else:
    os.environ.setdefault("KERAS_BACKEND", "jax")
    if os.environ["KERAS_BACKEND"] != "jax":
        sys.exit("run with KERAS_BACKEND=jax")
    import keras  # noqa: E402
    from keras import layers  # noqa: E402

import numpy as np  # noqa: E402

# ---------------------------------------------------------------------------
# Cases: code leaving the model in `model`; compile arguments (code, as the
# optimizer may be an object); x: how inputs are drawn.
TAGGER = """model = keras.Sequential([
    keras.Input((7,), dtype="int32"),
    layers.Embedding(20, 6, mask_zero=True),
    layers.Bidirectional(layers.LSTM(5, return_sequences=True), merge_mode="ave"),
    layers.TimeDistributed(layers.Dense(4, activation="softmax")),
])"""
CNN = """model = keras.Sequential([
    keras.Input((8, 8, 1)),
    layers.Conv2D(4, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dropout(0.25),
    layers.Dense(3, activation="softmax"),
])"""
MLP = """model = keras.Sequential([
    keras.Input((4,)),
    layers.Dense(8, activation="tanh"),
    layers.Dense(3, activation="softmax"),
])"""
MLP_LOGITS = """model = keras.Sequential([
    keras.Input((4,)),
    layers.Dense(8, activation="tanh"),
    layers.Dense(3),
])"""
MLP_FUNCTIONAL = """inp = keras.Input((5,))
h = layers.Dense(6, activation="relu")(inp)
h = layers.Dropout(0.5)(h)
out = layers.Dense(2)(h)
model = keras.Model(inp, out)"""
GRU = """model = keras.Sequential([
    keras.Input((6, 3)),
    layers.GRU(4, return_sequences=True),
    layers.GRU(3, reset_after=False),
    layers.Dense(2),
])"""
BATCHNORM = """model = keras.Sequential([
    keras.Input((5,)),
    layers.Dense(6),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.Dense(2),
])"""

CASES_KERAS2 = {
    "k2_mlp_sequential": dict(
        code=MLP, compile='dict(optimizer="adam", loss="categorical_crossentropy", '
        'metrics=["accuracy"])', continue_training=True),
    # The TF 2.x "legacy" optimizer: its state does not fit Keras 3's
    # optimizer, so kerascpp starts it fresh (as Keras 3 does).
    "k2_mlp_functional": dict(
        code=MLP_FUNCTIONAL,
        compile='dict(optimizer=keras.optimizers.legacy.SGD(learning_rate=0.05, momentum=0.9), '
        'loss="mse", metrics=["mae"])'),
    "k2_cnn": dict(code=CNN, compile='dict(optimizer="adam", loss="categorical_crossentropy", '
                   'metrics=["accuracy"])', x="image"),
    "k2_tagger": dict(code=TAGGER, compile='dict(optimizer="rmsprop", '
                      'loss="categorical_crossentropy", metrics=["accuracy"])', x="tokens",
                      continue_training=True),
    "k2_gru": dict(code=GRU, compile='dict(optimizer=keras.optimizers.Adam(learning_rate=0.01), '
                   'loss="mse")', continue_training=True),
    "k2_batchnorm": dict(code=BATCHNORM, compile='dict(optimizer="sgd", loss="mse")',
                         continue_training=True),
    # Loss and metric objects with options: tf_keras writes the loss as
    # {"reduction": "auto", "fn": ..., "from_logits": true, ...}, which
    # Keras 3.15 cannot compile; kerascpp reads it as the Keras 3 object.
    "k2_logits_loss": dict(
        code=MLP_LOGITS,
        compile='dict(optimizer="adam", loss=keras.losses.CategoricalCrossentropy('
        'from_logits=True, label_smoothing=0.1), '
        'metrics=[keras.metrics.CategoricalAccuracy(name="acc")])', continue_training=True),
    "k2_dense_input_shape": dict(
        code='model = keras.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(2)])'),
}

CASES_KERAS3 = {
    "k3_mlp_sequential": dict(
        code="""model = keras.Sequential([
    keras.Input((3, 2)),
    layers.Dense(16),
    layers.Activation("relu"),
    layers.Flatten(),
    layers.Dense(4),
])""", compile='dict(optimizer="sgd", loss="mean_squared_error")'),
    "k3_adam_continue": dict(
        code=MLP, compile='dict(optimizer=keras.optimizers.Adam(learning_rate=0.01, beta_1=0.8, '
        'amsgrad=True), loss="mean_squared_error", metrics=["mae"])', continue_training=True),
    "k3_functional_multi_io": dict(
        code="""a = keras.Input((5,), name="a")
b = keras.Input((3,), name="b")
h = layers.Concatenate()([layers.Dense(4)(a), b])
out1 = layers.Dense(3, activation="softmax", name="probs")(h)
out2 = layers.Dense(2, name="values")(layers.Dropout(0.5)(h))
model = keras.Model([a, b], [out1, out2])""",
        compile='dict(optimizer="adam", loss=["categorical_crossentropy", "mse"], '
        'metrics=[["accuracy"], ["mae"]])'),
    "k3_cnn_batchnorm": dict(
        code="""model = keras.Sequential([
    keras.Input((8, 8, 1)),
    layers.Conv2D(4, 3, activation="relu"),
    layers.BatchNormalization(),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dropout(0.25),
    layers.Dense(3, activation="softmax"),
])""", compile='dict(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])',
        x="image"),
    "k3_tagger": dict(code=TAGGER, compile='dict(optimizer="rmsprop", '
                      'loss="categorical_crossentropy", metrics=["accuracy"])', x="tokens",
                      continue_training=True),
    "k3_functional_tagger": dict(
        code="""ids = keras.Input((7,), dtype="int32")
h = layers.Embedding(20, 6, mask_zero=True)(ids)
h = layers.Bidirectional(layers.LSTM(5, return_sequences=True), merge_mode="ave")(h)
out = layers.TimeDistributed(layers.Dense(4, activation="softmax"))(h)
model = keras.Model(ids, out)""", x="tokens"),
    "k3_gru": dict(code="""model = keras.Sequential([
    keras.Input((6, 3)),
    layers.Masking(),
    layers.SimpleRNN(4, return_sequences=True),
    layers.GRU(3, reset_after=False),
    layers.Dense(2),
])""", compile='dict(optimizer="adam", loss="mean_squared_error")', continue_training=True),
}


def case_rng(name, salt):
    return np.random.default_rng([GLOBAL_SEED, zlib.crc32(name.encode()), salt])


def new_weights(model, rng):
    """Non-zero biases, kernels that do not saturate, positive variances."""
    out = []
    for v in model.weights:
        shape = tuple(v.shape)
        std = 0.5
        if len(shape) >= 2:
            std = min(0.5, 1.0 / np.sqrt(float(np.prod(shape[:-1]))))
        w = rng.normal(0.0, std, shape).astype(np.float32)
        if "variance" in v.name:
            w = 0.5 + np.abs(w)
        out.append(w)
    return out


def make_inputs(name, case, model, batch, salt=2):
    rng = case_rng(name, salt)
    xs = []
    for t in model.inputs:
        shape = [batch if d is None else d for d in t.shape]
        kind = case.get("x", "normal")
        if kind == "tokens":
            x = rng.integers(1, 20, size=shape, dtype=np.int32)
            for b in range(shape[0]):  # padded rows, for the mask
                x[b, shape[1] - b % 3:] = 0
        elif kind == "image":
            x = rng.uniform(0.0, 1.0, size=shape).astype(np.float32)
        else:
            x = rng.standard_normal(shape).astype(np.float32)
        xs.append(x)
    return xs


def make_targets(name, model, batch):
    rng = case_rng(name, 3)
    ys = []
    for t in model.outputs:
        shape = [batch if d is None else d for d in t.shape]
        y = rng.uniform(0.0, 1.0, size=shape).astype(np.float32)
        y /= y.sum(axis=-1, keepdims=True)  # valid for crossentropy too
        ys.append(y)
    return ys


def one(xs):
    return xs if len(xs) > 1 else xs[0]


def write_case(name, case):
    d = os.path.join(OUT_DIR, name)
    os.makedirs(d)
    keras.backend.clear_session()
    keras.utils.set_random_seed(GLOBAL_SEED)
    ns = {"keras": keras, "layers": layers, "np": np}
    exec(case["code"], ns)
    model = ns["model"]
    model.set_weights(new_weights(model, case_rng(name, 1)))
    info = {"keras_version": keras.__version__, "code": case["code"],
            "compiled": "compile" in case}
    if KERAS2:
        info["saved_by"] = "tf_keras (Keras 2) on TensorFlow"
    else:
        info["saved_by"] = "Keras 3 (" + keras.backend.backend() + ")"
    if "compile" in case:
        model.compile(**eval(case["compile"], ns))
        info["compile"] = case["compile"]
        x_train = make_inputs(name, case, model, 8, salt=4)
        y_train = make_targets(name, model, 8)
        model.fit(one(x_train), one(y_train), batch_size=4, epochs=1, shuffle=False, verbose=0)
        info["fit"] = {"batch_size": 4, "shuffle": False, "samples": 8, "epochs": 1}
    path = os.path.join(d, "model.h5")
    model.save(path)
    xs = make_inputs(name, case, model, 3)
    ys = model.predict(one(xs), verbose=0)
    ys = ys if isinstance(ys, list) else [ys]
    for i, x in enumerate(xs):
        np.save(os.path.join(d, f"x_{i}.npy"), x)
    for i, y in enumerate(ys):
        np.save(os.path.join(d, f"y_{i}.npy"), np.asarray(y, dtype=np.float32))
    if case.get("continue_training"):
        x_train = make_inputs(name, case, model, 8, salt=5)
        y_train = make_targets(name, model, 8)
        np.save(os.path.join(d, "x_train.npy"), x_train[0])
        np.save(os.path.join(d, "y_train.npy"), y_train[0])
        # tf_keras loads its file and trains on. Keras 3.15 cannot train a
        # model loaded from a legacy file (its loader builds the optimizer for
        # model._trainable_variables, which is empty: "the optimizer was built
        # with 0 variables"), so there the saved model itself trains on.
        again = keras.models.load_model(path) if KERAS2 else model
        again.fit(x_train[0], y_train[0], batch_size=4, epochs=1, shuffle=False, verbose=0)
        for i, w in enumerate(again.get_weights()):
            np.save(os.path.join(d, f"weights_after_{i:02d}.npy"), w)
        info["optimizer_iterations_after"] = int(again.optimizer.iterations.numpy())
    info["num_inputs"] = len(xs)
    info["num_outputs"] = len(ys)
    with open(os.path.join(d, "case.json"), "w", encoding="utf-8") as f:
        json.dump(info, f, indent=1)
        f.write("\n")


def no_input_layer_case():
    """k2_dense_input_shape as Keras <= 2.3 wrote it: no InputLayer entry."""
    import h5py
    src = os.path.join(OUT_DIR, "k2_dense_input_shape")
    d = os.path.join(OUT_DIR, "k2_no_input_layer")
    shutil.copytree(src, d)
    with h5py.File(os.path.join(d, "model.h5"), "r+") as f:
        config = json.loads(f.attrs["model_config"])
        layers_ = config["config"]["layers"]
        assert layers_[0]["class_name"] == "InputLayer"
        config["config"]["layers"] = layers_[1:]
        f.attrs["model_config"] = json.dumps(config).encode("utf8")
    with open(os.path.join(d, "case.json"), encoding="utf-8") as f:
        info = json.load(f)
    info["edited"] = "model_config without its InputLayer entry (Keras <= 2.3 layout)"
    with open(os.path.join(d, "case.json"), "w", encoding="utf-8") as f:
        json.dump(info, f, indent=1)
        f.write("\n")


def child_env():
    env = dict(os.environ)
    for k in list(env):
        if k in ("COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE",
                 "TTY_INTERACTIVE", "CLICOLOR", "CLICOLOR_FORCE") or k.startswith("JUPYTER_"):
            del env[k]
    env["KERAS_BACKEND"] = "jax"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def keras3_summary(d):
    """Keras 3's summary of the file loaded with compile=False, or None."""
    code = "import sys, keras; keras.saving.load_model(sys.argv[1], compile=False).summary()"
    p = subprocess.run([sys.executable, "-c", code, os.path.join(d, "model.h5")],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=child_env(), check=False)
    if p.returncode == 0:
        return p.stdout, None
    return None, p.stderr.decode("utf-8", "replace").strip().splitlines()[-1]


# Files Keras 3 loads, but not as the Keras that wrote them meant: no summary.
KERAS3_MISREADS = {
    "k2_no_input_layer": "Keras 3 makes InputLayer(shape=batch_input_shape): inputs of shape "
                         "(None, None, 3) instead of (None, 3)",
}


def record_summaries():
    for name in sorted(os.listdir(OUT_DIR)):
        d = os.path.join(OUT_DIR, name)
        text, error = keras3_summary(d)
        with open(os.path.join(d, "case.json"), encoding="utf-8") as f:
            info = json.load(f)
        info["keras3_loads"] = text is not None
        if name in KERAS3_MISREADS:
            info["keras3_misreads"] = KERAS3_MISREADS[name]
        elif text is not None:
            with open(os.path.join(d, "summary.txt"), "wb") as f:
                f.write(text)
        else:
            info["keras3_error"] = error
        with open(os.path.join(d, "case.json"), "w", encoding="utf-8") as f:
            json.dump(info, f, indent=1)
            f.write("\n")


def main():
    if KERAS2:
        only = os.environ.get("ONLY_CASE")  # regenerate one case: ONLY_CASE=k2_x ... --keras2
        for name, case in CASES_KERAS2.items():
            if only is None or name == only:
                write_case(name, case)
        if only is not None:
            return
        no_input_layer_case()
        return
    shutil.rmtree(OUT_DIR, ignore_errors=True)
    os.makedirs(OUT_DIR)
    subprocess.run([TFKERAS_PYTHON, os.path.abspath(__file__), "--keras2"], check=True)
    for name, case in CASES_KERAS3.items():
        write_case(name, case)
    record_summaries()
    total = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(OUT_DIR) for f in fs)
    print(f"wrote {len(os.listdir(OUT_DIR))} cases ({total} bytes) to {OUT_DIR}")


if __name__ == "__main__":
    main()

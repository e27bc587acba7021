#!/usr/bin/env python3
"""Write reference fixtures for the core layers/models from REAL Keras.

Run (from anywhere):

    KERAS_BACKEND=jax python reference/make_core_fixtures.py

Writes tests/fixtures/core/<case>/ (see reference/README.md).  Every case is
built from a Python source string (stored verbatim in case.json "code"), in a
fresh `keras.backend.clear_session()` so auto-names are those of a fresh
process.  Summaries are captured from child processes whose stdout is a pipe
(never a tty), with COLUMNS removed (-> line_length 76) or COLUMNS=200
(-> Keras' defaults 88 / 108).

Internal modes (used by the script itself):
    --print-summaries   build every case and print its summary to stdout,
                        each one preceded by a marker line.
    --print-one CASE    print only the summary of CASE (used to cross-check
                        the marker-based capture against a plain run).
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

import keras  # noqa: E402
from keras import layers  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT_DIR = os.path.join(ROOT, "tests", "fixtures", "core")

GLOBAL_SEED = 1234
MARKER = "\x1e@@KERASCPP-CASE@@"
CODE_PREAMBLE = "import keras\nfrom keras import layers"

# --------------------------------------------------------------------------
# Case table.
#   name  : directory name
#   code  : Python source; must leave the model in variable `model`
#   x     : input generator: "normal" (default, float32 N(0,1)),
#           "uniform4" (float32 U(-4, 4)), "uniform255" (float32 U(0, 255)),
#           "uniform05" (float32 U(-0.5, 0.5)),
#           "seed2" (the fixed [[[1,2],[3,4],[5,6]]]), "tokens" (int32 indices)
#   batch : batch size of the generated inputs (default 3)
#   extra : dict merged into case.json
#   unbuilt_code : optional, summary of this goes to summary_unbuilt.txt
# --------------------------------------------------------------------------
CASES = []


def case(name, code, x="normal", batch=3, extra=None, unbuilt_code=None):
    code = code.strip("\n")
    CASES.append(
        dict(
            name=name,
            code=code,
            x=x,
            batch=batch,
            extra=extra or {},
            unbuilt_code=unbuilt_code,
        )
    )


# ---- seed questions -------------------------------------------------------
case(
    "seed1_dense_2x3",
    "model = keras.Sequential([keras.Input((2, 3)), layers.Dense(4)])",
)
case(
    "seed1_dense_20x5",
    "model = keras.Sequential([keras.Input((20, 5)), layers.Dense(10)])",
)
case(
    "seed1_timedistributed_20x5",
    "model = keras.Sequential([keras.Input((20, 5)), "
    "layers.TimeDistributed(layers.Dense(10))])",
)
case(
    "seed2_flatten",
    """
model = keras.Sequential([
    keras.Input((3, 2)),
    layers.Dense(16),
    layers.Activation("relu"),
    layers.Flatten(),
    layers.Dense(4),
])""",
    x="seed2",
    batch=1,
)
case(
    "seed2_no_flatten",
    """
model = keras.Sequential([
    keras.Input((3, 2)),
    layers.Dense(16),
    layers.Activation("relu"),
    layers.Dense(4),
])""",
    x="seed2",
    batch=1,
)
case(
    "seed2_functional",
    """
inp = keras.Input((3, 2))
h = layers.Dense(16)(inp)
h = layers.Activation("relu")(h)
h = layers.Flatten()(h)
out = layers.Dense(4)(h)
model = keras.Model(inp, out)""",
    x="seed2",
    batch=1,
)
case(
    "seed3_flatten",
    """
model = keras.Sequential([
    keras.Input((28, 28, 3)),
    layers.Flatten(),
    layers.Rescaling(1 / 255),
    layers.Dense(128, activation="relu"),
    layers.Dense(2, activation="softmax"),
])""",
    x="uniform255",
    batch=2,
)
case(
    "seed3_reshape",
    """
model = keras.Sequential([
    keras.Input((28, 28, 3)),
    layers.Reshape((2352,)),
    layers.Rescaling(1 / 255),
    layers.Dense(128, activation="relu"),
    layers.Dense(2, activation="softmax"),
])""",
    x="uniform255",
    batch=2,
)
case(
    "seed4_tagger",
    """
model = keras.Sequential([
    keras.Input((50,), dtype="int32"),
    layers.Embedding(10000, 64),
    layers.Bidirectional(layers.LSTM(75, return_sequences=True), merge_mode="ave"),
    layers.Dense(200),
    layers.TimeDistributed(layers.Dense(6, activation="softmax")),
])""",
    x="tokens",
    batch=2,
)

# ---- every core layer alone, on 2-D / 3-D / 4-D inputs ---------------------
SHAPE = {"2d": "(6,)", "3d": "(4, 6)", "4d": "(3, 4, 6)"}


def single(name, rank, layer_src, **kw):
    case(
        name,
        f"model = keras.Sequential([keras.Input({SHAPE[rank]}), {layer_src}])",
        **kw,
    )


for r in ("2d", "3d", "4d"):
    single(f"dense_{r}", r, "layers.Dense(5)")
single(
    "dense_relu_nobias_3d",
    "3d",
    'layers.Dense(5, activation="relu", use_bias=False)',
)


def activation_names():
    """Every identifier keras.activations.get accepts as a string (3.15.1:
    keras/src/activations/__init__.py ALL_OBJECTS_DICT incl. aliases)."""
    from keras.src import activations as act_mod

    names = sorted(act_mod.ALL_OBJECTS_DICT)
    for n in names:
        keras.activations.get(n)  # must not raise
    return names


for act in activation_names():
    single(
        f"activation_{act}_3d",
        "3d",
        f'layers.Activation("{act}")',
        x="uniform4",
        extra={"activation": act},
    )

# Inputs in (-0.5, 0.5): sparsemax then has supports of size >= 2, where
# Keras' threshold formula matters (see NOTES.md).
single(
    "activation_sparsemax_narrow_3d",
    "3d",
    'layers.Activation("sparsemax")',
    x="uniform05",
    extra={"activation": "sparsemax"},
)

for r in ("2d", "3d", "4d"):
    single(f"flatten_{r}", r, "layers.Flatten()")
single("reshape_2d", "2d", "layers.Reshape((2, 3))")
single("reshape_3d", "3d", "layers.Reshape((6, 4))")
single("reshape_4d", "4d", "layers.Reshape((12, 6))")
single("reshape_flat_3d", "3d", "layers.Reshape((-1,))")
single("reshape_2_minus1_3d", "3d", "layers.Reshape((2, -1))")
single("reshape_minus1_3d", "3d", "layers.Reshape((-1, 2))")
single("permute_3d", "3d", "layers.Permute((2, 1))")
single("permute_4d", "4d", "layers.Permute((3, 1, 2))")
single("repeat_vector_2d", "2d", "layers.RepeatVector(3)")
single("dropout_3d", "3d", "layers.Dropout(0.5)")
single("rescaling_3d", "3d", "layers.Rescaling(0.5, offset=-1.0)")
single(
    "time_distributed_dense_3d", "3d", "layers.TimeDistributed(layers.Dense(5))"
)
single(
    "time_distributed_dense_4d", "4d", "layers.TimeDistributed(layers.Dense(5))"
)
single(
    "time_distributed_flatten_4d",
    "4d",
    "layers.TimeDistributed(layers.Flatten())",
)
for r in ("2d", "3d", "4d"):
    single(f"softmax_{r}", r, "layers.Softmax()", x="uniform4")
single("softmax_axis1_3d", "3d", "layers.Softmax(axis=1)", x="uniform4")
single("relu_layer_3d", "3d", "layers.ReLU()", x="uniform4")
single(
    "relu_layer_options_3d",
    "3d",
    "layers.ReLU(max_value=1.5, negative_slope=0.1, threshold=0.2)",
    x="uniform4",
)
single("leaky_relu_3d", "3d", "layers.LeakyReLU()", x="uniform4")
single(
    "leaky_relu_slope_3d",
    "3d",
    "layers.LeakyReLU(negative_slope=0.2)",
    x="uniform4",
)

# ---- small recurrent / embedding building blocks of seed4 ------------------
case(
    "embedding_2d",
    """
model = keras.Sequential([keras.Input((5,), dtype="int32"), layers.Embedding(20, 4)])""",
    x="tokens",
)
single("lstm_3d", "3d", "layers.LSTM(5)")
single("lstm_seq_3d", "3d", "layers.LSTM(5, return_sequences=True)")
for mode in ("concat", "sum", "mul", "ave"):
    single(
        f"bidirectional_lstm_{mode}_3d",
        "3d",
        "layers.Bidirectional(layers.LSTM(5, return_sequences=True), "
        f'merge_mode="{mode}")',
    )
case(
    "tagger_small",
    """
model = keras.Sequential([
    keras.Input((7,), dtype="int32"),
    layers.Embedding(30, 8),
    layers.Bidirectional(layers.LSTM(5, return_sequences=True), merge_mode="ave"),
    layers.Dense(6),
    layers.TimeDistributed(layers.Dense(4, activation="softmax")),
])""",
    x="tokens",
)

# ---- models -----------------------------------------------------------------
case(
    "functional_branch_concat",
    """
inp = keras.Input((3, 2))
a = layers.Dense(16)(inp)
b = layers.Dense(16)(inp)
c = layers.Concatenate()([a, b])
out = layers.Dense(4)(layers.Flatten()(c))
model = keras.Model(inp, out)""",
)
case(
    "functional_multi_io_shared",
    """
in1 = keras.Input((4, 6))
in2 = keras.Input((4, 6))
shared = layers.Dense(8)
s = layers.Add()([shared(in1), shared(in2)])
out1 = layers.Dense(3)(s)
out2 = layers.Dense(2)(layers.Flatten()(s))
model = keras.Model([in1, in2], [out1, out2])""",
)
case(
    "nested_sequential_in_functional",
    """
inner = keras.Sequential([
    keras.Input((6,)),
    layers.Dense(4, activation="relu"),
    layers.Dense(3),
])
inp = keras.Input((6,))
h = layers.Dense(6)(inp)
out = inner(h)
out = layers.Dense(2)(out)
model = keras.Model(inp, out)""",
)
case(
    "nested_functional_in_sequential",
    """
i = keras.Input((6,))
h = layers.Dense(4, activation="relu")(i)
o = layers.Dense(3)(h)
inner = keras.Model(i, o)
model = keras.Sequential([keras.Input((6,)), layers.Dense(6), inner, layers.Dense(2)])""",
)
case(
    "sequential_no_input_built_later",
    """
model = keras.Sequential([layers.Dense(4), layers.Dense(2)])
model.build((None, 5))""",
    unbuilt_code="model = keras.Sequential([layers.Dense(4), layers.Dense(2)])",
)
case(
    "sequential_named",
    """
model = keras.Sequential([
    keras.Input((6,), name="features"),
    layers.Dense(8, activation="relu", name="encoder"),
    layers.Dense(4, name="bottleneck"),
    layers.Dense(6, name="decoder"),
], name="my_model")""",
)

# ---- extra cases catching common mistakes ----------------------------------
# A layer name longer than the 31-char name cell (76 cols): the word is cut
# with an ellipsis, the class name goes on the next line.  Also a name that
# only wraps at the space before "(ClassName)".
case(
    "long_layer_names",
    """
model = keras.Sequential([
    keras.Input((6,)),
    layers.Dense(4, name="a_dense_layer_with_a_really_long_name_that_wraps"),
    layers.Dense(3, name="medium_length_layer_name_x"),
    layers.Dense(2, name="two words"),
], name="a_model_with_a_rather_long_name_for_the_title_line")""",
)
# A title longer than the console: rich wraps the "Model: ..." line at the
# CONSOLE width (80 in a pipe without COLUMNS), not at the table's 76.
case(
    "long_model_name_title_wrap",
    'model = keras.Sequential([keras.Input((6,)), layers.Dense(4)], name="m" * 95)',
)
# "Connected to" holding three inputs: wraps over several lines at 76 and at
# 108 columns; also a Functional named explicitly.
case(
    "functional_concat3_wrap",
    """
inp = keras.Input((5,), name="the_input")
a = layers.Dense(3, name="first_branch_dense")(inp)
b = layers.Dense(3, name="second_branch_dense")(inp)
c = layers.Dense(3)(inp)
m = layers.Concatenate(name="merge")([a, b, c])
out = layers.Dense(2)(m)
model = keras.Model(inp, out, name="three_way")""",
)
# A layer with several outputs: shape printed as a list of shapes.
case(
    "functional_lstm_return_state",
    """
inp = keras.Input((4, 6))
seq, h, c = layers.LSTM(3, return_sequences=True, return_state=True)(inp)
model = keras.Model(inp, [seq, h, c])""",
)
# Sequential grown with add(): every add() after the Input rebuilds the
# internal Functional, each consuming a "functional" auto-name, so the outer
# Model is "functional_2".
case(
    "sequential_add_nested",
    """
seq = keras.Sequential()
seq.add(keras.Input((6,)))
seq.add(layers.Dense(4, activation="relu"))
seq.add(layers.Dense(2))
inp = keras.Input((6,))
model = keras.Model(inp, layers.Dense(3)(seq(inp)))""",
)
# Legacy `input_shape=` on the first layer (warns; creates an InputLayer).
case(
    "sequential_input_shape_kwarg",
    "model = keras.Sequential([layers.Dense(4, input_shape=(5,)), layers.Dense(2)])",
)
# Non-trainable weights in the footer (Dense(trainable=False)).
case(
    "dense_frozen",
    """
model = keras.Sequential([
    keras.Input((6,)),
    layers.Dense(5, trainable=False),
    layers.Dense(3),
])""",
)
# Fixed batch size: output shapes print 3 instead of None.
case(
    "fixed_batch_size",
    "model = keras.Sequential([keras.Input((6,), batch_size=3), layers.Dense(5)])",
)
# Straight-chain functional with several Dense: 3-column style + input row,
# and thousands separators in Param # / footer.
case(
    "functional_chain_thousands",
    """
inp = keras.Input((64,))
h = layers.Dense(100, activation="relu")(inp)
h = layers.Dense(30, activation="tanh")(h)
out = layers.Dense(10, activation="softmax")(h)
model = keras.Model(inp, out)""",
)


# --------------------------------------------------------------------------
def build(code):
    keras.backend.clear_session()
    keras.utils.set_random_seed(GLOBAL_SEED)
    ns = {"keras": keras, "layers": layers, "np": np}
    exec(code, ns)
    return ns["model"]


def case_rng(name, salt):
    return np.random.default_rng([GLOBAL_SEED, zlib.crc32(name.encode()), salt])


def shape_list(shape):
    return [None if d is None else int(d) for d in shape]


def layer_output_shape(layer):
    """Output shape(s) as summary_utils.format_layer_shape sees them (the
    LAST inbound node wins for a shared layer)."""
    if layer._inbound_nodes:
        outs = layer._inbound_nodes[-1].output_tensors
        flat = keras.tree.flatten(outs)
        shapes = [shape_list(t.shape) for t in flat]
        return shapes[0] if len(flat) == 1 else shapes
    try:
        s = layer.compute_output_shape(**layer._build_shapes_dict)
    except Exception:
        return None
    if s and isinstance(s[0], (tuple, list)):
        return [shape_list(t) for t in s]
    return shape_list(s)


def new_weights(model, rng):
    """Random weights so that biases are non-zero.  std 0.5, except kernels
    (rank >= 2, not embeddings) which use min(0.5, 1/sqrt(fan_in)) with
    fan_in = prod(shape[:-1]) so that deep/recurrent nets do not saturate."""
    out = []
    for v in model.weights:
        shape = tuple(v.shape)
        std = 0.5
        if len(shape) >= 2 and not v.path.endswith("embeddings"):
            std = min(0.5, 1.0 / np.sqrt(float(np.prod(shape[:-1]))))
        out.append(rng.normal(0.0, std, shape).astype(v.dtype))
    return out


def make_inputs(c, model):
    rng = case_rng(c["name"], 2)
    xs = []
    for t in model.inputs:
        shape = [c["batch"] if d is None else d for d in t.shape]
        kind = c["x"]
        if kind == "seed2":
            x = np.array([[[1, 2], [3, 4], [5, 6]]], dtype=np.float32)
        elif kind == "tokens":
            emb = [
                l for l in model._flatten_layers() if isinstance(l, layers.Embedding)
            ][0]
            x = rng.integers(1, emb.input_dim, size=shape, dtype=np.int32)
        elif kind == "uniform4":
            x = rng.uniform(-4.0, 4.0, size=shape).astype(np.float32)
        elif kind == "uniform05":
            x = rng.uniform(-0.5, 0.5, size=shape).astype(np.float32)
        elif kind == "uniform255":
            x = rng.uniform(0.0, 255.0, size=shape).astype(np.float32)
        else:
            x = rng.standard_normal(shape).astype(np.float32)
        assert list(x.shape) == shape, (c["name"], x.shape, shape)
        xs.append(x)
    return xs


def dump_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


# --------------------------------------------------------------------------
# Summary capture in child processes.


def child_env(columns):
    env = dict(os.environ)
    for k in list(env):
        if k in (
            "COLUMNS",
            "LINES",
            "FORCE_COLOR",
            "NO_COLOR",
            "TTY_COMPATIBLE",
            "TTY_INTERACTIVE",
            "CLICOLOR",
            "CLICOLOR_FORCE",
        ) or k.startswith("JUPYTER_"):
            del env[k]
    if columns is not None:
        env["COLUMNS"] = str(columns)
    env["KERAS_BACKEND"] = "jax"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run_child(args, columns):
    # stdin/stdout/stderr are all non-ttys: rich also probes stdin and stderr
    # for a terminal size.
    p = subprocess.run(
        [sys.executable, os.path.abspath(__file__)] + args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(columns),
        check=False,
    )
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"child {args} failed")
    return p.stdout


def capture_all_summaries(columns):
    raw = run_child(["--print-summaries"], columns)
    marker = MARKER.encode()
    parts = raw.split(marker)
    if parts[0] != b"":
        raise SystemExit(f"unexpected stdout before first marker: {parts[0]!r}")
    result = {}
    for part in parts[1:]:
        head, _, body = part.partition(b"\n")
        result[head.decode()] = body
    return result


def child_print_summaries():
    for c in CASES:
        for tag, code in (("", c["code"]), (":unbuilt", c["unbuilt_code"])):
            if code is None:
                continue
            model = build(code)
            sys.stdout.write(f"{MARKER}{c['name']}{tag}\n")
            sys.stdout.flush()
            model.summary()
            sys.stdout.flush()


def child_print_one(name):
    (c,) = [c for c in CASES if c["name"] == name]
    build(c["code"]).summary()
    sys.stdout.flush()


# --------------------------------------------------------------------------


def write_case(c, summaries76, summaries200):
    name = c["name"]
    d = os.path.join(OUT_DIR, name)
    os.makedirs(d, exist_ok=True)
    model = build(c["code"])

    weights = new_weights(model, case_rng(name, 1))
    model.set_weights(weights)

    with open(os.path.join(d, "model.json"), "w", encoding="utf-8") as f:
        f.write(model.to_json())
    with open(os.path.join(d, "summary.txt"), "wb") as f:
        f.write(summaries76[name])
    with open(os.path.join(d, "summary_wide.txt"), "wb") as f:
        f.write(summaries200[name])
    if c["unbuilt_code"] is not None:
        with open(os.path.join(d, "summary_unbuilt.txt"), "wb") as f:
            f.write(summaries76[name + ":unbuilt"])
        with open(os.path.join(d, "summary_unbuilt_wide.txt"), "wb") as f:
            f.write(summaries200[name + ":unbuilt"])

    for i, w in enumerate(model.get_weights()):
        np.save(os.path.join(d, f"weights_{i:02d}.npy"), w)

    xs = make_inputs(c, model)
    predict_error = None
    try:
        ys = model.predict(xs[0] if len(xs) == 1 else xs, verbose=0)
    except Exception as e:  # e.g. Activation("threshold")
        msg = re.sub(r"\x1b\[[0-9;]*m", "", str(e))
        lines = [ln.strip() for ln in msg.splitlines() if ln.strip()]
        if len(lines) > 1 and lines[0].startswith("Exception encountered"):
            lines = lines[1:]
        predict_error = f"{type(e).__name__}: {lines[0]}"
        ys = None
    if ys is not None:
        ys = keras.tree.flatten(ys)
        for i, x in enumerate(xs):
            np.save(os.path.join(d, f"x_{i}.npy"), x)
        for i, y in enumerate(ys):
            np.save(os.path.join(d, f"y_{i}.npy"), np.asarray(y, dtype=np.float32))

    info = {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "code_preamble": CODE_PREAMBLE,
        "code": c["code"],
        **c["extra"],
        "model_name": model.name,
        "model_class": model.__class__.__name__,
        "count_params": int(model.count_params()),
        "trainable_params": int(
            sum(int(np.prod(w.shape)) for w in model.trainable_weights)
        ),
        "non_trainable_params": int(
            sum(int(np.prod(w.shape)) for w in model.non_trainable_weights)
        ),
        "inputs": [
            {
                "name": t._keras_history.operation.name,
                "shape": shape_list(t.shape),
                "dtype": t.dtype,
            }
            for t in model.inputs
        ],
        "outputs": [{"shape": shape_list(t.shape)} for t in model.outputs],
        "layers": [
            {
                "name": l.name,
                "class_name": l.__class__.__name__,
                "output_shape": layer_output_shape(l),
                "count_params": int(l.count_params()) if l.built else 0,
                "trainable": bool(l.trainable),
            }
            for l in model.layers
        ],
        "weights": [
            {"path": v.path, "shape": list(v.shape), "trainable": bool(v.trainable)}
            for v in model.weights
        ],
        "weight_init": "std 0.5 normal; kernels (rank>=2, not embeddings): "
        "std min(0.5, 1/sqrt(prod(shape[:-1])))",
        "input_kind": c["x"],
        "batch": c["batch"],
    }
    if predict_error:
        info["predict_error"] = predict_error
    dump_json(os.path.join(d, "case.json"), info)

    nfiles = len(os.listdir(d))
    print(
        f"{name:40s} {model.__class__.__name__:10s} params={model.count_params():>7,}"
        f" weights={len(weights):2d} files={nfiles:2d}"
        + (f"  [predict error: {predict_error}]" if predict_error else "")
    )


def main():
    if "--print-summaries" in sys.argv:
        child_print_summaries()
        return
    if "--print-one" in sys.argv:
        child_print_one(sys.argv[sys.argv.index("--print-one") + 1])
        return

    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"

    np.random.seed(GLOBAL_SEED)
    print(f"keras {keras.__version__}, backend {keras.backend.backend()}, "
          f"{len(CASES)} cases")
    s76 = capture_all_summaries(None)
    s200 = capture_all_summaries(200)

    # Cross-check: a plain child printing ONE summary gives the same bytes.
    for probe in ("seed2_flatten", "functional_branch_concat"):
        for cols, table in ((None, s76), (200, s200)):
            single_bytes = run_child(["--print-one", probe], cols)
            if single_bytes != table[probe]:
                raise SystemExit(f"capture mismatch for {probe} COLUMNS={cols}")

    if os.path.isdir(OUT_DIR):
        shutil.rmtree(OUT_DIR)
    os.makedirs(OUT_DIR)
    for c in CASES:
        write_case(c, s76, s200)
    dump_json(
        os.path.join(OUT_DIR, "index.json"),
        {"keras_version": keras.__version__, "cases": names},
    )
    total = sum(
        os.path.getsize(os.path.join(dp, f))
        for dp, _, fs in os.walk(OUT_DIR)
        for f in fs
    )
    print(f"{len(CASES)} cases, {total / 1e6:.2f} MB in {OUT_DIR}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Write reference fixtures for the recurrent layers from REAL Keras.

Run (from anywhere):

    KERAS_BACKEND=jax python reference/make_rnn_fixtures.py

Writes tests/fixtures/rnn/<case>/ (see reference/README.md): small
functional models around SimpleRNN, LSTM, GRU, Bidirectional, Embedding,
Masking and TimeDistributed, with Keras' outputs, the gradients of a fixed
scalar loss and the weights after one RMSprop step.  Every case is built from
a Python source string (kept in case.json "code") after
`keras.backend.clear_session()` + `keras.utils.set_random_seed(1234)`.

The loss is L = sum_i sum(y_i * r_i) over the model's outputs y_i, with fixed
random "cotangents" r_i, so dL/dy_i = r_i: every output element gets its own
weight in the gradient.

After writing, the script checks its own gradients in a child process with
float64 JAX (`--check-gradients`): the model is rebuilt in float64, its
gradients are compared with the float32 ones written, and against central
finite differences (along a random direction over all weights and float
inputs, and per weight at its largest gradient entry).

Internal modes (used by the script itself):
    --print-summaries   print every case's summary, each after a marker line
    --print-one CASE    print only the summary of CASE (cross-check)
    --check-gradients   the float64 check described above; prints JSON
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

CHECK_MODE = "--check-gradients" in sys.argv
if CHECK_MODE:
    # float64 only for the check; must be set before JAX makes any array.
    import jax

    jax.config.update("jax_enable_x64", True)

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

import keras  # noqa: E402
from keras import layers  # noqa: E402

if CHECK_MODE:
    keras.config.set_floatx("float64")
    # Keras' JAX type promotion maps float64 results to float32 (to follow
    # JAX's default of no x64); with x64 enabled that breaks the RNN loop
    # (float64 carry in, float32 out). For the check only, keep float64.
    from keras.src.backend.common import dtypes as _keras_dtypes

    _keras_dtypes.BIT64_TO_BIT32_DTYPE["float64"] = "float64"

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT_DIR = os.path.join(ROOT, "tests", "fixtures", "rnn")

GLOBAL_SEED = 1234
MARKER = "\x1e@@KERASCPP-CASE@@"
CODE_PREAMBLE = "import keras\nfrom keras import layers"
LEARNING_RATE = 0.01

# What the C++ harness allows (|got - keras| <= atol + rtol * |keras|).
TOLERANCES = {
    "outputs": {"rtol": 1e-5, "atol": 1e-6},
    "gradients": {"rtol": 1e-4, "atol": 1e-5},
    "weights_after_rmsprop": {"rtol": 1e-5, "atol": 1e-6},
}

# Masks, one string per sample ("1" = real step), batch 4 x 5 steps.  The
# last sample is fully masked; "pre" pads at the start; "holes" masks steps
# in the middle (Keras skips any masked step, not only padding).
MASKS = {
    "post": ["11111", "11100", "10000", "00000"],
    "pre": ["00011", "11111", "01111", "00000"],
    "holes": ["10101", "11011", "01110", "11111"],
}

# --------------------------------------------------------------------------
# Case table.
#   name   : directory name
#   code   : Python source leaving the model in `model` (`keras`, `layers`
#            in scope)
#   inputs : one spec per model input, in model.inputs order:
#            "normal"            float32 N(0, 1)
#            "state"             float32 N(0, 0.5^2) (initial states)
#            ("tokens", MASK)    int32 ids in [1, input_dim) of the model's
#                                first Embedding; 0 where MASK has "0"
#            ("padded", MASK)    float32 N(0, 1); all features 0.0 where MASK
#                                has "0" (Masking's mask_value)
#   kind   : "numeric" (outputs, gradients, RMSprop step), "stateful"
#            (outputs of successive calls) or "summary_only"
# --------------------------------------------------------------------------
CASES = []


def case(name, code, inputs=("normal",), kind="numeric", batch=4):
    CASES.append(
        dict(name=name, code=code.strip("\n"), inputs=list(inputs), kind=kind, batch=batch)
    )


def on_sequence(name, layer_src, front="", inputs=("normal",)):
    """Input((5, 3)) [-> front] -> layer, as a functional model."""
    lines = ["inp = keras.Input((5, 3))", "h = inp"]
    if front:
        lines.append(f"h = {front}(h)")
    lines += [f"out = {layer_src}(h)", "model = keras.Model(inp, out)"]
    case(name, "\n".join(lines), inputs)


# Masked cases are Sequential models: in a FUNCTIONAL model Keras 3.15.1
# records the mask computation as graph nodes of their own (NotEqual for
# Embedding(mask_zero=True), NotEqual + Any for Masking) and passes the mask
# to the next layer as an explicit `mask` argument, which model.json and the
# summary show.  The *_functional cases keep that form on purpose.
def on_tokens(name, layer_src, mask="post", vocab=20, dim=3):
    """int32 Input((5,)) -> Embedding(mask_zero=True) -> layer."""
    case(
        name,
        f"""
model = keras.Sequential([
    keras.Input((5,), dtype="int32"),
    layers.Embedding({vocab}, {dim}, mask_zero=True),
    {layer_src},
])""",
        [("tokens", mask)],
    )


def on_masking(name, layer_src, mask="post"):
    """Input((5, 3)) -> Masking() -> layer."""
    case(
        name,
        f"""
model = keras.Sequential([
    keras.Input((5, 3)),
    layers.Masking(),
    {layer_src},
])""",
        [("padded", mask)],
    )


# ---- SimpleRNN ----------------------------------------------------------------
on_sequence("simple_rnn", "layers.SimpleRNN(4)")
on_sequence("simple_rnn_seq", "layers.SimpleRNN(4, return_sequences=True)")
on_sequence(
    "simple_rnn_seq_state",
    "layers.SimpleRNN(4, return_sequences=True, return_state=True)",
)
on_sequence(
    "simple_rnn_backwards_seq",
    "layers.SimpleRNN(4, go_backwards=True, return_sequences=True)",
)
on_sequence(
    "simple_rnn_relu_nobias",
    'layers.SimpleRNN(4, activation="relu", use_bias=False)',
)
on_masking("simple_rnn_masking_post_seq", "layers.SimpleRNN(4, return_sequences=True)")
case(
    "simple_rnn_initial_state",
    """
x = keras.Input((5, 3))
h0 = keras.Input((4,))
out = layers.SimpleRNN(4, return_sequences=True)(x, initial_state=h0)
model = keras.Model([x, h0], out)""",
    ["normal", "state"],
)

# ---- LSTM -------------------------------------------------------------------
on_sequence("lstm", "layers.LSTM(4)")
on_sequence("lstm_seq", "layers.LSTM(4, return_sequences=True)")
on_sequence("lstm_state", "layers.LSTM(4, return_state=True)")
on_sequence("lstm_seq_state", "layers.LSTM(4, return_sequences=True, return_state=True)")
on_sequence("lstm_backwards", "layers.LSTM(4, go_backwards=True)")
on_sequence("lstm_backwards_seq", "layers.LSTM(4, go_backwards=True, return_sequences=True)")
on_sequence("lstm_nobias_seq", "layers.LSTM(4, use_bias=False, return_sequences=True)")
on_sequence(
    "lstm_activations_seq",
    'layers.LSTM(4, activation="relu", recurrent_activation="hard_sigmoid", '
    "return_sequences=True)",
)
on_sequence("lstm_no_unit_forget_bias", "layers.LSTM(4, unit_forget_bias=False)")
case(
    "lstm_initial_state",
    """
x = keras.Input((5, 3))
h0 = keras.Input((4,))
c0 = keras.Input((4,))
seq, h, c = layers.LSTM(4, return_sequences=True, return_state=True)(x, initial_state=[h0, c0])
model = keras.Model([x, h0, c0], [seq, h, c])""",
    ["normal", "state", "state"],
)
on_tokens("lstm_embedding_mask_post_seq", "layers.LSTM(4, return_sequences=True)", "post")
on_tokens("lstm_embedding_mask_pre", "layers.LSTM(4)", "pre")
on_tokens(
    "lstm_embedding_mask_holes_seq_state",
    "layers.LSTM(4, return_sequences=True, return_state=True)",
    "holes",
)
on_masking("lstm_masking_post", "layers.LSTM(4)", "post")
on_masking("lstm_masking_pre_seq", "layers.LSTM(4, return_sequences=True)", "pre")
on_masking(
    "lstm_masking_backwards_seq",
    "layers.LSTM(4, go_backwards=True, return_sequences=True)",
    "post",
)
case(
    "lstm_stacked_masked",
    """
model = keras.Sequential([
    keras.Input((5,), dtype="int32"),
    layers.Embedding(20, 3, mask_zero=True),
    layers.LSTM(4, return_sequences=True),
    layers.LSTM(3, return_sequences=True),
    layers.LSTM(2),
])""",
    [("tokens", "post")],
)
case(
    "lstm_time_distributed_masked",
    """
model = keras.Sequential([
    keras.Input((5,), dtype="int32"),
    layers.Embedding(20, 3, mask_zero=True),
    layers.LSTM(4, return_sequences=True),
    layers.TimeDistributed(layers.Dense(3)),
])""",
    [("tokens", "pre")],
)
# The functional form: the graph holds NotEqual + Any op nodes and the LSTM
# node gets `mask=any[0][0]` (see on_tokens).
case(
    "lstm_masking_functional",
    """
inp = keras.Input((5, 3))
h = layers.Masking()(inp)
out = layers.LSTM(4, return_sequences=True)(h)
model = keras.Model(inp, out)""",
    [("padded", "post")],
)
# Called three times: x_0, then x_1 (starting from the states x_0 left), then
# reset_states() and x_1 again.
case(
    "lstm_stateful",
    """
inp = keras.Input(batch_shape=(2, 5, 3))
out = layers.LSTM(4, stateful=True, return_sequences=True)(inp)
model = keras.Model(inp, out)""",
    kind="stateful",
    batch=2,
)

# ---- GRU --------------------------------------------------------------------
on_sequence("gru", "layers.GRU(4)")
on_sequence("gru_seq", "layers.GRU(4, return_sequences=True)")
on_sequence("gru_reset_before", "layers.GRU(4, reset_after=False)")
on_sequence("gru_reset_before_seq", "layers.GRU(4, reset_after=False, return_sequences=True)")
on_sequence("gru_seq_state", "layers.GRU(4, return_sequences=True, return_state=True)")
on_sequence("gru_reset_before_state", "layers.GRU(4, reset_after=False, return_state=True)")
on_sequence("gru_backwards_seq", "layers.GRU(4, go_backwards=True, return_sequences=True)")
on_sequence("gru_nobias", "layers.GRU(4, use_bias=False, return_sequences=True)")
on_sequence(
    "gru_reset_before_nobias", "layers.GRU(4, reset_after=False, use_bias=False)"
)
on_sequence(
    "gru_activations_seq",
    'layers.GRU(4, activation="elu", recurrent_activation="hard_sigmoid", '
    "return_sequences=True)",
)
case(
    "gru_initial_state",
    """
x = keras.Input((5, 3))
h0 = keras.Input((4,))
out = layers.GRU(4, reset_after=False)(x, initial_state=[h0])
model = keras.Model([x, h0], out)""",
    ["normal", "state"],
)
on_masking("gru_masking_post_seq", "layers.GRU(4, return_sequences=True)", "post")
on_tokens(
    "gru_reset_before_embedding_mask_pre", "layers.GRU(4, reset_after=False)", "pre"
)

# ---- Bidirectional ---------------------------------------------------------
for mode in ("concat", "sum", "mul", "ave", "None"):
    arg = "None" if mode == "None" else f'"{mode}"'
    tag = mode.lower()
    on_sequence(
        f"bidirectional_{tag}_seq",
        f"layers.Bidirectional(layers.LSTM(4, return_sequences=True), merge_mode={arg})",
    )
on_tokens(
    "bidirectional_concat_masked_seq",
    "layers.Bidirectional(layers.LSTM(4, return_sequences=True))",
    "post",
)
on_tokens(
    "bidirectional_sum_masked",
    'layers.Bidirectional(layers.LSTM(4), merge_mode="sum")',
    "pre",
)
on_tokens(
    "bidirectional_mul_gru_masked_seq",
    'layers.Bidirectional(layers.GRU(4, return_sequences=True), merge_mode="mul")',
    "holes",
)
on_masking(
    "bidirectional_ave_simple_rnn_masking_seq",
    'layers.Bidirectional(layers.SimpleRNN(4, return_sequences=True), merge_mode="ave")',
    "post",
)
on_tokens(
    "bidirectional_none_masked_seq",
    "layers.Bidirectional(layers.LSTM(4, return_sequences=True), merge_mode=None)",
    "pre",
)
on_sequence(
    "bidirectional_concat_state",
    "layers.Bidirectional(layers.LSTM(4, return_state=True))",
)
on_tokens(
    "bidirectional_none_masked_seq_state",
    "layers.Bidirectional(layers.GRU(4, return_sequences=True, return_state=True), "
    "merge_mode=None)",
    "post",
)
on_sequence(
    "bidirectional_backward_layer",
    "layers.Bidirectional(layers.LSTM(4, return_sequences=True), "
    "backward_layer=layers.GRU(3, go_backwards=True, return_sequences=True))",
)
case(
    "bidirectional_initial_state",
    """
x = keras.Input((5, 3))
hf = keras.Input((4,))
hb = keras.Input((4,))
out = layers.Bidirectional(layers.GRU(4), merge_mode="sum")(x, initial_state=[hf, hb])
model = keras.Model([x, hf, hb], out)""",
    ["normal", "state", "state"],
)

# ---- Embedding --------------------------------------------------------------
case(
    "embedding",
    """
inp = keras.Input((5,), dtype="int32")
out = layers.Embedding(20, 3)(inp)
model = keras.Model(inp, out)""",
    [("tokens", "holes")],
)

# ---- the seed tagger ---------------------------------------------------------
# Functional as in DESIGN.md (the graph gets a NotEqual node for the mask),
# and the same model as a Sequential.
case(
    "tagger_small_sequential",
    """
model = keras.Sequential([
    keras.Input((5,), dtype="int32"),
    layers.Embedding(50, 8, mask_zero=True),
    layers.Bidirectional(layers.LSTM(6, return_sequences=True), merge_mode="ave"),
    layers.Dense(7),
    layers.TimeDistributed(layers.Dense(3, activation="softmax")),
])""",
    [("tokens", "post")],
)
case(
    "tagger_small",
    """
tokens = keras.Input((5,), dtype="int32")
h = layers.Embedding(50, 8, mask_zero=True)(tokens)
h = layers.Bidirectional(layers.LSTM(6, return_sequences=True), merge_mode="ave")(h)
h = layers.Dense(7)(h)
tags = layers.TimeDistributed(layers.Dense(3, activation="softmax"))(h)
model = keras.Model(tokens, tags)""",
    [("tokens", "post")],
)
# At full size, as DESIGN.md writes it (no mask), and with mask_zero=True
# (one more row in the summary: not_equal (NotEqual)).
case(
    "tagger_summary",
    """
tokens = keras.Input((50,), dtype="int32")
h = layers.Embedding(10000, 64)(tokens)
h = layers.Bidirectional(layers.LSTM(75, return_sequences=True), merge_mode="ave")(h)
h = layers.Dense(200)(h)
tags = layers.TimeDistributed(layers.Dense(6, activation="softmax"))(h)
model = keras.Model(tokens, tags)""",
    kind="summary_only",
)
case(
    "tagger_summary_mask_zero",
    """
tokens = keras.Input((50,), dtype="int32")
h = layers.Embedding(10000, 64, mask_zero=True)(tokens)
h = layers.Bidirectional(layers.LSTM(75, return_sequences=True), merge_mode="ave")(h)
h = layers.Dense(200)(h)
tags = layers.TimeDistributed(layers.Dense(6, activation="softmax"))(h)
model = keras.Model(tokens, tags)""",
    kind="summary_only",
)


# --------------------------------------------------------------------------
def build(code):
    keras.backend.clear_session()
    keras.utils.set_random_seed(GLOBAL_SEED)
    ns = {"keras": keras, "layers": layers}
    exec(code, ns)
    return ns["model"]


def case_rng(name, salt):
    return np.random.default_rng([GLOBAL_SEED, zlib.crc32(name.encode()), salt])


def shape_list(shape):
    return [None if d is None else int(d) for d in shape]


def new_weights(model, rng):
    """Random weights (as make_core_fixtures.py): std 0.5, except kernels
    (rank >= 2, not embeddings): std min(0.5, 1/sqrt(prod(shape[:-1]))), so
    that nothing saturates and every bias is non-zero."""
    out = []
    for v in model.weights:
        shape = tuple(v.shape)
        std = 0.5
        if len(shape) >= 2 and not v.path.endswith("embeddings"):
            std = min(0.5, 1.0 / np.sqrt(float(np.prod(shape[:-1]))))
        out.append(rng.normal(0.0, std, shape).astype(np.float32))
    return out


def mask_array(rows, batch, steps):
    m = np.array([[c == "1" for c in r] for r in rows], dtype=bool)
    assert m.shape == (batch, steps), (m.shape, batch, steps)
    return m


def embedding_input_dim(model):
    emb = [l for l in model._flatten_layers() if isinstance(l, layers.Embedding)]
    return emb[0].input_dim


def make_inputs(c, model, salt=2):
    """One array per model input, and the mask rows each one carries."""
    rng = case_rng(c["name"], salt)
    xs, masks = [], []
    for spec, t in zip(c["inputs"], model.inputs):
        shape = [c["batch"] if d is None else d for d in t.shape]
        kind, rows = (spec, None) if isinstance(spec, str) else spec
        if kind == "normal":
            x = rng.standard_normal(shape).astype(np.float32)
        elif kind == "state":
            x = (0.5 * rng.standard_normal(shape)).astype(np.float32)
        elif kind == "tokens":
            x = rng.integers(1, embedding_input_dim(model), size=shape, dtype=np.int32)
            x[~mask_array(MASKS[rows], *shape)] = 0
        elif kind == "padded":
            x = rng.standard_normal(shape).astype(np.float32)
            x[~mask_array(MASKS[rows], *shape[:2])] = 0.0
        else:
            raise ValueError(kind)
        assert str(x.dtype) == t.dtype, (c["name"], x.dtype, t.dtype)
        xs.append(x)
        masks.append(MASKS[rows] if rows else None)
    return xs, masks


def model_arg(xs):
    return xs[0] if len(xs) == 1 else list(xs)


def is_float(x):
    return np.issubdtype(np.asarray(x).dtype, np.floating)


def loss_and_grads(model, xs, rs):
    """L = sum_i sum(y_i * r_i) and its gradients with respect to the
    trainable variables (model.trainable_variables order) and to each float
    input (None for integer inputs), through model.stateless_call."""
    trainable = [v.value for v in model.trainable_variables]
    frozen = [v.value for v in model.non_trainable_variables]
    float_idx = [i for i, x in enumerate(xs) if is_float(x)]

    def loss(tv, fx):
        full = list(xs)
        for i, v in zip(float_idx, fx):
            full[i] = v
        ys, _ = model.stateless_call(tv, frozen, model_arg(full), training=False)
        ys = keras.tree.flatten(ys)
        return sum(jnp.sum(y * r) for y, r in zip(ys, rs))

    # Compiled once per case: far faster than tracing Keras eagerly each time.
    loss = jax.jit(loss)
    fx = [jnp.asarray(xs[i]) for i in float_idx]
    value, (g_w, g_x) = jax.jit(jax.value_and_grad(loss, argnums=(0, 1)))(trainable, fx)
    grads_x = [None] * len(xs)
    for i, g in zip(float_idx, g_x):
        grads_x[i] = np.asarray(g)
    return loss, float(value), [np.asarray(g) for g in g_w], grads_x, trainable, fx


def dump_json(path, obj):
    """indent=1, with lists of numbers/strings (shapes, masks) kept on one line."""
    text = json.dumps(obj, indent=1)
    text = re.sub(
        r"\[\s+([^\[\]{}]*?)\s+\]",
        lambda m: "[" + re.sub(r",\s+", ", ", m.group(1)) + "]",
        text,
    )
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + "\n")


def save(d, name, array):
    np.save(os.path.join(d, name), array)
    return name


# --------------------------------------------------------------------------
# Summary capture in child processes (as make_core_fixtures.py: every
# standard stream a pipe, COLUMNS unset -> Keras' 76-column table).


def child_env():
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
    env["KERAS_BACKEND"] = "jax"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run_child(args):
    p = subprocess.run(
        [sys.executable, os.path.abspath(__file__)] + args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
        check=False,
    )
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"child {args} failed")
    return p.stdout


def capture_all_summaries():
    parts = run_child(["--print-summaries"]).split(MARKER.encode())
    if parts[0] != b"":
        raise SystemExit(f"unexpected stdout before first marker: {parts[0]!r}")
    result = {}
    for part in parts[1:]:
        head, _, body = part.partition(b"\n")
        result[head.decode()] = body
    return result


def child_print_summaries():
    for c in CASES:
        model = build(c["code"])
        sys.stdout.write(f"{MARKER}{c['name']}\n")
        sys.stdout.flush()
        model.summary()
        sys.stdout.flush()


def child_print_one(name):
    (c,) = [c for c in CASES if c["name"] == name]
    build(c["code"]).summary()
    sys.stdout.flush()


# --------------------------------------------------------------------------
# Writing one case.


def base_info(c, model):
    return {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "kind": c["kind"],
        "code_preamble": CODE_PREAMBLE,
        "code": c["code"],
        "model_name": model.name,
        "count_params": int(model.count_params()),
        "layers": [
            {"name": l.name, "class_name": l.__class__.__name__} for l in model.layers
        ],
    }


def weights_info(model):
    return [
        {
            "path": v.path,
            "shape": list(v.shape),
            "trainable": bool(v.trainable),
            "file": f"weights_{i:02d}.npy",
        }
        for i, v in enumerate(model.weights)
    ]


def inputs_info(model, xs, masks):
    return [
        {
            "name": t._keras_history.operation.name,
            "shape": list(x.shape),
            "dtype": str(x.dtype),
            "file": f"x_{i}.npy",
            "mask": m,
        }
        for i, (t, x, m) in enumerate(zip(model.inputs, xs, masks))
    ]


def write_numeric(c, d, model, info):
    xs, masks = make_inputs(c, model)
    ys = [np.asarray(y) for y in keras.tree.flatten(model(model_arg(xs), training=False))]
    rng = case_rng(c["name"], 3)
    rs = [rng.standard_normal(y.shape).astype(np.float32) for y in ys]
    _, value, g_w, g_x, _, _ = loss_and_grads(model, xs, rs)

    # The same forward pass, two ways (eager call vs stateless_call).
    ys2, _ = model.stateless_call(
        [v.value for v in model.trainable_variables],
        [v.value for v in model.non_trainable_variables],
        model_arg(xs),
        training=False,
    )
    for a, b in zip(ys, keras.tree.flatten(ys2)):
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-6, atol=1e-7)

    info["inputs"] = inputs_info(model, xs, masks)
    for i, (x, g) in enumerate(zip(xs, g_x)):
        save(d, f"x_{i}.npy", x)
        info["inputs"][i]["gradient"] = (
            save(d, f"grad_x_{i}.npy", g.astype(np.float32)) if g is not None else None
        )
    info["outputs"] = [
        {
            "shape": list(y.shape),
            "file": save(d, f"y_{i}.npy", y.astype(np.float32)),
            "cotangent": save(d, f"r_{i}.npy", r),
        }
        for i, (y, r) in enumerate(zip(ys, rs))
    ]
    info["loss"] = "sum over outputs i of sum(y_i * r_i)"
    info["loss_value"] = value

    paths = [v.path for v in model.weights]
    info["trainable_weights"] = [
        {
            "path": v.path,
            "weight_index": paths.index(v.path),
            "gradient": save(d, f"grad_weights_{k:02d}.npy", g.astype(np.float32)),
        }
        for k, (v, g) in enumerate(zip(model.trainable_variables, g_w))
    ]

    opt = keras.optimizers.RMSprop(learning_rate=LEARNING_RATE)
    opt.apply_gradients(zip([jnp.asarray(g) for g in g_w], model.trainable_variables))
    for i, w in enumerate(model.get_weights()):
        info["weights"][i]["after_rmsprop"] = save(d, f"rmsprop_weights_{i:02d}.npy", w)
    info["optimizer"] = {
        "class_name": "RMSprop",
        "config": {
            k: v
            for k, v in opt.get_config().items()
            if isinstance(v, (int, float, bool, str, type(None)))
        },
        "steps": 1,
    }
    info["tolerances"] = TOLERANCES


def write_stateful(c, d, model, info):
    """Three calls: x_0; x_1 (continuing from x_0's final states); then
    reset_states() and x_1 again."""
    c0 = dict(c, name=c["name"] + "/0")
    c1 = dict(c, name=c["name"] + "/1")
    (x0,), _ = make_inputs(c0, model)
    (x1,), _ = make_inputs(c1, model)
    save(d, "x_0.npy", x0)
    save(d, "x_1.npy", x1)
    y0 = np.asarray(model(x0, training=False))
    y1 = np.asarray(model(x1, training=False))
    for layer in model.layers:
        if hasattr(layer, "reset_states"):
            layer.reset_states()
    y2 = np.asarray(model(x1, training=False))
    assert not np.allclose(y1, y2), "the states carried over nothing"
    info["inputs"] = inputs_info(model, [x0], [None])
    info["calls"] = [
        {"reset_states_before": False, "inputs": ["x_0.npy"],
         "outputs": [save(d, "y_0.npy", y0)]},
        {"reset_states_before": False, "inputs": ["x_1.npy"],
         "outputs": [save(d, "y_1.npy", y1)]},
        {"reset_states_before": True, "inputs": ["x_1.npy"],
         "outputs": [save(d, "y_2.npy", y2)]},
    ]
    info["tolerances"] = {"outputs": TOLERANCES["outputs"]}


def write_case(c, summaries):
    name = c["name"]
    d = os.path.join(OUT_DIR, name)
    os.makedirs(d, exist_ok=True)
    model = build(c["code"])
    with open(os.path.join(d, "model.json"), "w", encoding="utf-8") as f:
        f.write(model.to_json())
    with open(os.path.join(d, "summary.txt"), "wb") as f:
        f.write(summaries[name])
    info = base_info(c, model)
    if c["kind"] != "summary_only":
        model.set_weights(new_weights(model, case_rng(name, 1)))
        info["weights"] = weights_info(model)
        for i, w in enumerate(model.get_weights()):
            save(d, f"weights_{i:02d}.npy", w)
        if c["kind"] == "numeric":
            write_numeric(c, d, model, info)
        else:
            write_stateful(c, d, model, info)
    dump_json(os.path.join(d, "case.json"), info)
    size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
    print(f"{name:44s} {c['kind']:12s} params={model.count_params():>9,} "
          f"files={len(os.listdir(d)):2d} bytes={size:6d}")


# --------------------------------------------------------------------------
# The float64 check (child process with jax_enable_x64 and floatx float64).


def load(d, f):
    return np.load(os.path.join(d, f))


def worst_ratio(got, want, tol):
    """max |got - want| / (atol + rtol |want|): <= 1 means within tolerance."""
    err = np.abs(got.astype(np.float64) - want) / (tol["atol"] + tol["rtol"] * np.abs(want))
    return float(err.max()) if err.size else 0.0


def check_case(c):
    d = os.path.join(OUT_DIR, c["name"])
    info = json.load(open(os.path.join(d, "case.json")))
    model = build(c["code"])
    model.set_weights([load(d, w["file"]).astype(np.float64) for w in info["weights"]])
    xs = [load(d, i["file"]) for i in info["inputs"]]
    xs = [x.astype(np.float64) if is_float(x) else x for x in xs]
    rs = [load(d, o["cotangent"]).astype(np.float64) for o in info["outputs"]]
    loss, _, g_w, g_x, tv, fx = loss_and_grads(model, xs, rs)

    ys = keras.tree.flatten(model(model_arg(xs), training=False))
    out_ratio = max(
        worst_ratio(load(d, o["file"]), np.asarray(y), TOLERANCES["outputs"])
        for o, y in zip(info["outputs"], ys)
    )
    # The float32 gradients written vs float64 ones.
    tol = TOLERANCES["gradients"]
    grad_ratio = 0.0
    for t, g in zip(info["trainable_weights"], g_w):
        grad_ratio = max(grad_ratio, worst_ratio(load(d, t["gradient"]), g, tol))
    for i, g in zip(info["inputs"], g_x):
        if g is not None:
            grad_ratio = max(grad_ratio, worst_ratio(load(d, i["gradient"]), g, tol))

    # Central differences in float64.  Inputs move only where they are real
    # steps: a padded 0.0 that moves would change Masking's mask.
    rng = case_rng(c["name"], 4)
    dir_w = [rng.standard_normal(np.shape(w)) for w in tv]
    float_idx = [k for k, x in enumerate(xs) if is_float(x)]
    dir_x = [rng.standard_normal(np.shape(xs[k])) * (xs[k] != 0) for k in float_idx]
    eps = 1e-5

    def shifted(s):
        return loss(
            [w + s * e for w, e in zip(tv, dir_w)],
            [x + s * e for x, e in zip(fx, dir_x)],
        )

    fd = (float(shifted(eps)) - float(shifted(-eps))) / (2 * eps)
    analytic = sum(float(np.sum(g * e)) for g, e in zip(g_w, dir_w)) + sum(
        float(np.sum(g_x[k] * e)) for k, e in zip(float_idx, dir_x)
    )
    dir_err = abs(fd - analytic) / max(1.0, abs(analytic))

    # One entry per weight: its largest gradient component.
    coord_err = 0.0
    for k, g in enumerate(g_w):
        if not np.any(g):
            continue
        idx = np.unravel_index(np.argmax(np.abs(g)), g.shape)
        e = np.zeros_like(np.asarray(tv[k]))
        e[idx] = eps
        plus = [w + (e if j == k else 0) for j, w in enumerate(tv)]
        minus = [w - (e if j == k else 0) for j, w in enumerate(tv)]
        fd_k = (float(loss(plus, fx)) - float(loss(minus, fx))) / (2 * eps)
        coord_err = max(coord_err, abs(fd_k - g[idx]) / max(1.0, abs(g[idx])))

    return {
        "outputs_vs_float64": out_ratio,
        "gradients_vs_float64": grad_ratio,
        "directional_finite_difference_error": dir_err,
        "per_weight_finite_difference_error": coord_err,
    }


def child_check_gradients():
    results = {}
    for c in CASES:
        if c["kind"] == "numeric":
            results[c["name"]] = check_case(c)
    sys.stdout.write(json.dumps(results))
    sys.stdout.flush()


def check_gradients():
    """Runs the float64 check and records a summary of it in each case.json."""
    results = json.loads(run_child(["--check-gradients"]).decode())
    failures = []
    for name, r in results.items():
        # The written float32 values must be well within the C++ tolerances
        # of the float64 truth, and the float64 gradients must match finite
        # differences.
        ok = (
            r["outputs_vs_float64"] <= 0.25
            and r["gradients_vs_float64"] <= 0.25
            and r["directional_finite_difference_error"] <= 1e-6
            and r["per_weight_finite_difference_error"] <= 1e-6
        )
        if not ok:
            failures.append(f"{name}: {r}")
        path = os.path.join(OUT_DIR, name, "case.json")
        info = json.load(open(path))
        info["gradient_check"] = {
            "method": "float64 JAX gradients vs the float32 files and vs central "
            "differences (eps 1e-5) along a random direction and per weight",
            "passed": ok,
        }
        dump_json(path, info)
    worst = {
        k: max(r[k] for r in results.values())
        for k in next(iter(results.values()))
    }
    print(f"gradient check over {len(results)} cases, worst: "
          + ", ".join(f"{k}={v:.2g}" for k, v in worst.items()))
    if failures:
        raise SystemExit("gradient check failed:\n" + "\n".join(failures))


def main():
    if "--print-summaries" in sys.argv:
        child_print_summaries()
        return
    if "--print-one" in sys.argv:
        child_print_one(sys.argv[sys.argv.index("--print-one") + 1])
        return
    if CHECK_MODE:
        child_check_gradients()
        return

    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    print(f"keras {keras.__version__}, backend {keras.backend.backend()}, "
          f"{len(CASES)} cases")
    summaries = capture_all_summaries()
    if run_child(["--print-one", "tagger_summary"]) != summaries["tagger_summary"]:
        raise SystemExit("summary capture mismatch for tagger_summary")

    if os.path.isdir(OUT_DIR):
        shutil.rmtree(OUT_DIR)
    os.makedirs(OUT_DIR)
    for c in CASES:
        write_case(c, summaries)
    dump_json(
        os.path.join(OUT_DIR, "index.json"),
        {"keras_version": keras.__version__, "cases": names},
    )
    check_gradients()
    total = sum(
        os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(OUT_DIR) for f in fs
    )
    print(f"{len(CASES)} cases, {total / 1e3:.0f} KB in {OUT_DIR}")


if __name__ == "__main__":
    main()

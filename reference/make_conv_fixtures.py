#!/usr/bin/env python3
"""Write reference fixtures for the convolution and pooling layers from REAL Keras.

Run (from anywhere):

    KERAS_BACKEND=jax python reference/make_conv_fixtures.py

Writes tests/fixtures/conv/<case>/: small models around Conv1D, Conv2D,
Conv2DTranspose, DepthwiseConv2D, SeparableConv2D, the max/average pooling
layers (1-D, 2-D, global), UpSampling2D, ZeroPadding2D and Cropping2D, in
both data formats, with odd sizes, strides, dilation with "same" padding and
groups.  Each case holds Keras' model.json, summary.txt (76 columns, as in a
pipe), the weights, one input, the output, and the gradients of the scalar
loss L = sum(y * r) (r a fixed random "cotangent", so dL/dy = r) with respect
to every trainable weight and the input.  Cases of kind "summary_only" keep
model.json and summary.txt only (full-size models whose weights would be
large).  Every case is built from a Python source string (kept in case.json
"code") after keras.backend.clear_session() + keras.utils.set_random_seed(1234).

Weights are redrawn as in make_core_fixtures.py: std 0.5 for biases,
min(0.5, 1/sqrt(prod(shape[:-1]))) for kernels, so nothing is near zero and
every bias matters.  Inputs are float32 N(0, 1), batch 2 (no ties for max
pooling), except token ids for the masked GlobalAveragePooling1D case.

Internal modes (used by the script itself):
    --print-summaries   print every case's summary, each after a marker line
    --print-one CASE    print only the summary of CASE (cross-check)
"""

import json
import os
import shutil
import subprocess
import sys
import zlib

os.environ.setdefault("KERAS_BACKEND", "jax")
if os.environ["KERAS_BACKEND"] != "jax":
    sys.exit("run with KERAS_BACKEND=jax")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

import keras  # noqa: E402
from keras import layers  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT_DIR = os.path.join(ROOT, "tests", "fixtures", "conv")

GLOBAL_SEED = 1234
MARKER = "\x1e@@KERASCPP-CASE@@"
CODE_PREAMBLE = "import keras\nfrom keras import layers"
BATCH = 2

# What the C++ harness allows (|got - keras| <= atol + rtol * |keras|).
TOLERANCES = {
    "outputs": {"rtol": 1e-5, "atol": 1e-6},
    "gradients": {"rtol": 1e-4, "atol": 1e-5},
}

# --------------------------------------------------------------------------
# Case table.
#   name   : directory name
#   code   : Python source leaving the model in `model`
#   inputs : "normal" (float32 N(0, 1)) or "tokens" (int32 ids, zeros at the
#            end of each row: a mask_zero Embedding masks them)
#   kind   : "numeric" or "summary_only"
# --------------------------------------------------------------------------
CASES = []


def case(name, code, inputs="normal", kind="numeric"):
    CASES.append(dict(name=name, code=code.strip("\n"), inputs=inputs, kind=kind))


def single(name, input_shape, layer_src):
    """keras.Input(input_shape) -> layer, as a Sequential model."""
    case(name, f"model = keras.Sequential([keras.Input({input_shape}), {layer_src}])")


# ---- Conv2D ---------------------------------------------------------------
single("conv2d_valid", "(7, 6, 3)", "layers.Conv2D(4, 3)")
single("conv2d_same_strides2_odd", "(7, 9, 3)",
       'layers.Conv2D(4, (3, 2), strides=2, padding="same")')
single("conv2d_same_even_kernel_strides_2_1", "(8, 6, 2)",
       'layers.Conv2D(3, (4, 3), strides=(2, 1), padding="same")')
single("conv2d_same_dilation2_relu", "(9, 8, 2)",
       'layers.Conv2D(3, 3, dilation_rate=2, padding="same", activation="relu")')
single("conv2d_valid_dilation_2_3", "(9, 10, 2)",
       "layers.Conv2D(3, (2, 3), dilation_rate=(2, 3))")
single("conv2d_groups2_same", "(6, 7, 4)", 'layers.Conv2D(6, 3, groups=2, padding="same")')
single("conv2d_groups3_strides2", "(7, 7, 6)", "layers.Conv2D(3, (3, 2), strides=2, groups=3)")
single("conv2d_1x1_nobias", "(5, 4, 3)", "layers.Conv2D(5, 1, use_bias=False)")
single("conv2d_channels_first_strides2_tanh", "(3, 7, 6)",
       'layers.Conv2D(4, 3, strides=2, data_format="channels_first", activation="tanh")')
single("conv2d_channels_first_same_dilation2", "(2, 8, 7)",
       'layers.Conv2D(3, (3, 2), dilation_rate=2, padding="same", data_format="channels_first")')
single("conv2d_softmax", "(5, 6, 3)", 'layers.Conv2D(4, 3, padding="same", activation="softmax")')
single("conv2d_channels_first_softmax", "(3, 5, 6)",
       'layers.Conv2D(4, 3, data_format="channels_first", activation="softmax")')
single("conv2d_big_kernel_same", "(6, 5, 2)",
       'layers.Conv2D(2, (5, 6), strides=(1, 2), padding="same", activation="sigmoid")')

# ---- Conv1D ---------------------------------------------------------------
single("conv1d_valid", "(10, 3)", "layers.Conv1D(4, 3)")
single("conv1d_same_strides2", "(11, 3)", 'layers.Conv1D(4, 4, strides=2, padding="same")')
single("conv1d_causal_dilation2", "(10, 3)",
       'layers.Conv1D(3, 3, padding="causal", dilation_rate=2, activation="relu")')
single("conv1d_causal_strides3", "(10, 2)", 'layers.Conv1D(3, 2, strides=3, padding="causal")')
single("conv1d_channels_first_same", "(3, 10)",
       'layers.Conv1D(4, 3, padding="same", data_format="channels_first")')
single("conv1d_groups2", "(9, 4)", "layers.Conv1D(6, 3, groups=2)")

# ---- Conv2DTranspose --------------------------------------------------------
single("conv2d_transpose_valid", "(4, 5, 3)", "layers.Conv2DTranspose(4, 3)")
single("conv2d_transpose_same_strides2", "(4, 5, 3)",
       'layers.Conv2DTranspose(4, 3, strides=2, padding="same")')
single("conv2d_transpose_valid_strides2_output_padding1", "(3, 4, 2)",
       "layers.Conv2DTranspose(3, 3, strides=2, output_padding=1)")
single("conv2d_transpose_same_strides_3_2_output_padding", "(3, 4, 2)",
       'layers.Conv2DTranspose(3, (4, 3), strides=(3, 2), padding="same", output_padding=(1, 0))')
single("conv2d_transpose_same_dilation2", "(5, 4, 2)",
       'layers.Conv2DTranspose(3, 3, dilation_rate=2, padding="same", activation="relu")')
single("conv2d_transpose_valid_stride_above_kernel", "(3, 4, 2)",
       "layers.Conv2DTranspose(2, 2, strides=3)")
single("conv2d_transpose_channels_first", "(3, 4, 5)",
       'layers.Conv2DTranspose(2, 2, strides=2, data_format="channels_first", use_bias=False)')
single("conv2d_transpose_same_even_kernel", "(4, 3, 2)",
       'layers.Conv2DTranspose(3, (2, 4), padding="same")')

# ---- DepthwiseConv2D --------------------------------------------------------
single("depthwise_conv2d_valid", "(7, 6, 3)", "layers.DepthwiseConv2D(3)")
single("depthwise_conv2d_multiplier2_same_strides2", "(7, 8, 3)",
       'layers.DepthwiseConv2D((3, 2), strides=2, padding="same", depth_multiplier=2)')
single("depthwise_conv2d_same_dilation2_relu", "(8, 7, 4)",
       'layers.DepthwiseConv2D(3, dilation_rate=2, padding="same", activation="relu")')
single("depthwise_conv2d_channels_first_multiplier3", "(2, 6, 5)",
       'layers.DepthwiseConv2D(3, depth_multiplier=3, data_format="channels_first", '
       "use_bias=False)")

# ---- SeparableConv2D --------------------------------------------------------
single("separable_conv2d_valid", "(7, 6, 3)", "layers.SeparableConv2D(4, 3)")
single("separable_conv2d_same_strides2_multiplier2_relu", "(8, 7, 3)",
       'layers.SeparableConv2D(5, 3, strides=2, padding="same", depth_multiplier=2, '
       'activation="relu")')
single("separable_conv2d_channels_first_dilation2", "(3, 9, 8)",
       'layers.SeparableConv2D(4, (3, 2), dilation_rate=2, data_format="channels_first")')

# ---- pooling ----------------------------------------------------------------
single("max_pooling2d_default", "(7, 9, 3)", "layers.MaxPooling2D()")
single("max_pooling2d_same_3_strides2", "(7, 8, 3)",
       'layers.MaxPooling2D(3, strides=2, padding="same")')
single("max_pooling2d_rect_strides1", "(5, 7, 2)", "layers.MaxPooling2D((2, 3), strides=1)")
single("max_pooling2d_channels_first_same", "(3, 7, 5)",
       'layers.MaxPooling2D((3, 2), padding="same", data_format="channels_first")')
single("average_pooling2d_2", "(7, 9, 3)", "layers.AveragePooling2D(2)")
single("average_pooling2d_same_3_strides2", "(7, 8, 3)",
       'layers.AveragePooling2D(3, strides=2, padding="same")')
single("average_pooling2d_channels_first_same_strides_1_2", "(3, 6, 7)",
       'layers.AveragePooling2D((2, 3), strides=(1, 2), padding="same", '
       'data_format="channels_first")')
single("max_pooling1d_default", "(9, 3)", "layers.MaxPooling1D()")
single("max_pooling1d_same_3_strides2", "(10, 3)",
       'layers.MaxPooling1D(3, strides=2, padding="same")')
single("max_pooling1d_channels_first", "(3, 9)",
       'layers.MaxPooling1D(3, strides=1, data_format="channels_first")')
single("average_pooling1d_2", "(9, 3)", "layers.AveragePooling1D(2)")
single("average_pooling1d_same_3_strides2", "(10, 3)",
       'layers.AveragePooling1D(3, strides=2, padding="same")')
single("average_pooling1d_channels_first_same", "(3, 8)",
       'layers.AveragePooling1D(4, strides=3, padding="same", data_format="channels_first")')
single("global_average_pooling2d", "(5, 6, 3)", "layers.GlobalAveragePooling2D()")
single("global_average_pooling2d_keepdims_channels_first", "(3, 5, 6)",
       'layers.GlobalAveragePooling2D(data_format="channels_first", keepdims=True)')
single("global_max_pooling2d", "(5, 6, 3)", "layers.GlobalMaxPooling2D()")
single("global_max_pooling2d_keepdims", "(5, 6, 3)", "layers.GlobalMaxPooling2D(keepdims=True)")
single("global_average_pooling1d", "(7, 3)", "layers.GlobalAveragePooling1D()")
single("global_average_pooling1d_channels_first_keepdims", "(3, 7)",
       'layers.GlobalAveragePooling1D(data_format="channels_first", keepdims=True)')
single("global_max_pooling1d", "(7, 3)", "layers.GlobalMaxPooling1D()")
single("global_max_pooling1d_channels_first", "(3, 7)",
       'layers.GlobalMaxPooling1D(data_format="channels_first")')
case(
    "global_average_pooling1d_masked",
    """
model = keras.Sequential([
    keras.Input((6,), dtype="int32"),
    layers.Embedding(20, 3, mask_zero=True),
    layers.GlobalAveragePooling1D(),
])""",
    inputs="tokens",
)

# ---- spatial reshaping --------------------------------------------------------
single("up_sampling2d_nearest", "(3, 4, 2)", "layers.UpSampling2D()")
single("up_sampling2d_nearest_2_3_channels_first", "(2, 3, 4)",
       'layers.UpSampling2D((2, 3), data_format="channels_first")')
single("up_sampling2d_bilinear", "(3, 4, 2)", 'layers.UpSampling2D(interpolation="bilinear")')
single("up_sampling2d_bilinear_3_2_channels_first", "(2, 3, 4)",
       'layers.UpSampling2D((3, 2), data_format="channels_first", interpolation="bilinear")')
single("zero_padding2d_default", "(3, 4, 2)", "layers.ZeroPadding2D()")
single("zero_padding2d_asymmetric", "(3, 4, 2)", "layers.ZeroPadding2D(((1, 2), (3, 0)))")
single("zero_padding2d_channels_first", "(2, 3, 4)",
       'layers.ZeroPadding2D((1, 2), data_format="channels_first")')
single("cropping2d_asymmetric", "(6, 7, 2)", "layers.Cropping2D(((1, 2), (0, 1)))")
single("cropping2d_int", "(5, 6, 2)", "layers.Cropping2D(1)")
single("cropping2d_channels_first", "(2, 6, 5)",
       'layers.Cropping2D((2, 1), data_format="channels_first")')

# ---- models -----------------------------------------------------------------
# The CNN on Fashion-MNIST, full size (summary and parameter counts).
case(
    "cnn_fashion_mnist_summary",
    """
model = keras.Sequential([
    keras.Input((28, 28, 1)),
    layers.Conv2D(32, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dropout(0.5),
    layers.Dense(10, activation="softmax"),
])""",
    kind="summary_only",
)
# The same architecture, small enough to keep its numbers.
case(
    "cnn_small",
    """
model = keras.Sequential([
    keras.Input((14, 14, 1)),
    layers.Conv2D(8, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dropout(0.5),
    layers.Dense(10, activation="softmax"),
])""",
)
# Every layer family in one functional graph.
case(
    "mixed_functional",
    """
inp = keras.Input((9, 8, 3))
h = layers.Conv2D(4, 3, padding="same", activation="relu")(inp)
h = layers.ZeroPadding2D(((1, 0), (0, 1)))(h)
h = layers.DepthwiseConv2D(3, strides=2, depth_multiplier=2)(h)
h = layers.SeparableConv2D(5, 2, padding="same", activation="elu")(h)
h = layers.Conv2DTranspose(3, 3, strides=2, padding="same")(h)
h = layers.UpSampling2D()(h)
h = layers.Cropping2D(((2, 1), (1, 3)))(h)
a = layers.GlobalMaxPooling2D()(h)
b = layers.GlobalAveragePooling2D()(layers.AveragePooling2D(2, padding="same")(h))
h = layers.Concatenate()([a, b])
out = layers.Dense(2)(h)
model = keras.Model(inp, out)""",
)
case(
    "conv1d_stack",
    """
model = keras.Sequential([
    keras.Input((16, 3)),
    layers.Conv1D(6, 5, padding="causal", activation="relu"),
    layers.MaxPooling1D(2),
    layers.Conv1D(4, 3, strides=2, padding="same"),
    layers.AveragePooling1D(2, padding="same"),
    layers.GlobalMaxPooling1D(),
    layers.Dense(3),
])""",
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


def new_weights(model, rng):
    out = []
    for v in model.weights:
        shape = tuple(v.shape)
        std = 0.5
        if len(shape) >= 2 and not v.path.endswith("embeddings"):
            std = min(0.5, 1.0 / np.sqrt(float(np.prod(shape[:-1]))))
        out.append(rng.normal(0.0, std, shape).astype(np.float32))
    return out


def make_input(c, model):
    rng = case_rng(c["name"], 2)
    (t,) = model.inputs
    shape = [BATCH if d is None else d for d in t.shape]
    if c["inputs"] == "tokens":
        x = rng.integers(1, 20, size=shape, dtype=np.int32)
        for row, keep in zip(x, (6, 3)):  # real steps per sample
            row[keep:] = 0
        return x
    return rng.standard_normal(shape).astype(np.float32)


def is_float(x):
    return np.issubdtype(np.asarray(x).dtype, np.floating)


def loss_and_grads(model, x, r):
    trainable = [v.value for v in model.trainable_variables]
    frozen = [v.value for v in model.non_trainable_variables]

    def loss(tv, xv):
        y, _ = model.stateless_call(tv, frozen, xv, training=False)
        return jnp.sum(y * r)

    if is_float(x):
        value, (g_w, g_x) = jax.jit(jax.value_and_grad(loss, argnums=(0, 1)))(
            trainable, jnp.asarray(x))
        g_x = np.asarray(g_x)
    else:
        value, g_w = jax.jit(jax.value_and_grad(loss, argnums=0))(trainable, jnp.asarray(x))
        g_x = None
    return float(value), [np.asarray(g) for g in g_w], g_x


def dump_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


def save(d, name, array):
    np.save(os.path.join(d, name), array)
    return name


# --------------------------------------------------------------------------
# Summary capture in child processes (every standard stream a pipe, COLUMNS
# unset -> Keras' 76-column table), as make_core_fixtures.py.


def child_env():
    env = dict(os.environ)
    for k in list(env):
        if k in ("COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE",
                 "TTY_INTERACTIVE", "CLICOLOR", "CLICOLOR_FORCE") or k.startswith("JUPYTER_"):
            del env[k]
    env["KERAS_BACKEND"] = "jax"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run_child(args):
    p = subprocess.run(
        [sys.executable, os.path.abspath(__file__)] + args,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=child_env(), check=False,
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


def layer_info(layer):
    shape = layer.output.shape if hasattr(layer, "output") else None
    return {
        "name": layer.name,
        "class_name": layer.__class__.__name__,
        "output_shape": None if shape is None else [d for d in shape],
        "count_params": int(layer.count_params()),
    }


def write_case(c, summaries):
    name = c["name"]
    d = os.path.join(OUT_DIR, name)
    os.makedirs(d, exist_ok=True)
    model = build(c["code"])
    with open(os.path.join(d, "model.json"), "w", encoding="utf-8") as f:
        f.write(model.to_json())
    with open(os.path.join(d, "summary.txt"), "wb") as f:
        f.write(summaries[name])
    info = {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "kind": c["kind"],
        "code_preamble": CODE_PREAMBLE,
        "code": c["code"],
        "model_name": model.name,
        "count_params": int(model.count_params()),
        "trainable_params": int(sum(np.prod(v.shape) for v in model.trainable_weights)),
        "layers": [layer_info(l) for l in model.layers],
        "output_shape": [d for d in model.outputs[0].shape],
        "weights": [
            {"path": v.path, "shape": list(v.shape), "trainable": bool(v.trainable)}
            for v in model.weights
        ],
    }
    if c["kind"] == "numeric":
        model.set_weights(new_weights(model, case_rng(name, 1)))
        for i, (w, entry) in enumerate(zip(model.get_weights(), info["weights"])):
            entry["file"] = save(d, f"weights_{i:02d}.npy", w)
        x = make_input(c, model)
        y = np.asarray(model(x, training=False))
        r = case_rng(name, 3).standard_normal(y.shape).astype(np.float32)
        value, g_w, g_x = loss_and_grads(model, x, r)
        # The same forward pass through stateless_call (as the gradients see it).
        y2, _ = model.stateless_call([v.value for v in model.trainable_variables],
                                     [v.value for v in model.non_trainable_variables], x,
                                     training=False)
        np.testing.assert_allclose(y, np.asarray(y2), rtol=1e-6, atol=1e-7)
        info["input"] = {
            "shape": list(x.shape),
            "dtype": str(x.dtype),
            "file": save(d, "x.npy", x),
            "gradient": None if g_x is None else save(d, "grad_x.npy", g_x.astype(np.float32)),
        }
        info["output"] = {
            "shape": list(y.shape),
            "file": save(d, "y.npy", y.astype(np.float32)),
            "cotangent": save(d, "r.npy", r),
        }
        info["loss"] = "sum(y * r)"
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
        info["tolerances"] = TOLERANCES
    dump_json(os.path.join(d, "case.json"), info)
    size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
    print(f"{name:52s} {c['kind']:12s} params={model.count_params():>7,} bytes={size:7d}")


def main():
    if "--print-summaries" in sys.argv:
        child_print_summaries()
        return
    if "--print-one" in sys.argv:
        child_print_one(sys.argv[sys.argv.index("--print-one") + 1])
        return

    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    print(f"keras {keras.__version__}, backend {keras.backend.backend()}, {len(CASES)} cases")
    summaries = capture_all_summaries()
    check = "mixed_functional"
    if run_child(["--print-one", check]) != summaries[check]:
        raise SystemExit(f"summary capture mismatch for {check}")

    if os.path.isdir(OUT_DIR):
        shutil.rmtree(OUT_DIR)
    os.makedirs(OUT_DIR)
    for c in CASES:
        write_case(c, summaries)
    dump_json(os.path.join(OUT_DIR, "index.json"),
              {"keras_version": keras.__version__, "cases": names})
    total = sum(
        os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(OUT_DIR) for f in fs
    )
    print(f"{len(CASES)} cases, {total / 1e3:.0f} KB in {OUT_DIR}")


if __name__ == "__main__":
    main()

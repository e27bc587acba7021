#!/usr/bin/env python3
"""Write reference fixtures for the normalization, merging, noise and
regularization layers, the regularizers and the constraints, from REAL Keras.

Run (from anywhere):

    KERAS_BACKEND=jax python reference/make_norm_fixtures.py

Writes tests/fixtures/norm/<case>/ (see reference/README.md): small models
around BatchNormalization, LayerNormalization, GroupNormalization,
UnitNormalization, the merge layers (Add, Subtract, Multiply, Average,
Maximum, Minimum, Concatenate, Dot), SpatialDropout1D/2D, GaussianNoise,
ActivityRegularization, and Dense with regularizers and constraints. Every
case is built from a Python source string (kept in case.json "code") after
`keras.backend.clear_session()` + `keras.utils.set_random_seed(1234)`.

Per case: model.json, summary.txt (76 columns, as in a pipe), the weights, the
inputs, the outputs in inference mode, and the gradients of
L = sum_i sum(y_i * r_i) (fixed random r_i) with respect to the trainable
weights and the float inputs. Cases marked "training" also have the outputs
and gradients of a call with training=True (BatchNormalization's batch
statistics). Cases marked "train_step" are compiled with
SGD(learning_rate=LEARNING_RATE) and loss "mse" against fixed targets, and
record the loss test_on_batch reports (regularization included), the loss of
one train_on_batch step, and every weight after that step (moving statistics
and constrained weights included).

Internal modes (used by the script itself):
    --print-summaries   print every case's summary, each after a marker line
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
OUT_DIR = os.path.join(ROOT, "tests", "fixtures", "norm")

GLOBAL_SEED = 1234
MARKER = "\x1e@@KERASCPP-CASE@@"
CODE_PREAMBLE = "import keras\nfrom keras import layers"
LEARNING_RATE = 0.1

# What the C++ harness allows (|got - keras| <= atol + rtol * |keras|).
TOLERANCES = {
    "outputs": {"rtol": 1e-5, "atol": 1e-5},
    "gradients": {"rtol": 1e-4, "atol": 1e-4},
    "loss": {"rtol": 1e-5, "atol": 1e-6},
    "weights_after_step": {"rtol": 1e-5, "atol": 1e-5},
}

# --------------------------------------------------------------------------
# Case table.
#   name   : directory name
#   code   : Python source leaving the model in `model`
#   inputs : one spec per model input: "normal" (float32 N(0, 1)),
#            "shifted" (N(3, 2^2): statistics far from 0 and 1),
#            "zero_row" (normal with the first sample all zeros),
#            "tokens" (int32 ids in [1, 10) with trailing zeros: a mask)
#   training   : also outputs/gradients of a training=True call
#   train_step : one SGD train_on_batch step (loss "mse")
#   numeric    : False for summary-only cases
# --------------------------------------------------------------------------
CASES = []


def case(name, code, inputs=("normal",), training=False, train_step=False, numeric=True,
         batch=4):
    CASES.append(
        dict(
            name=name,
            code=code.strip("\n"),
            inputs=list(inputs),
            training=training,
            train_step=train_step,
            numeric=numeric,
            batch=batch,
        )
    )


def single(name, shape, layer_src, **kw):
    """Input(shape) -> layer, as a Sequential."""
    case(name, f"model = keras.Sequential([keras.Input({shape}), {layer_src}])", **kw)


# ---- BatchNormalization -----------------------------------------------------
BN = dict(inputs=("shifted",), training=True, train_step=True)
single("batch_norm_2d", "(6,)", "layers.BatchNormalization()", **BN)
single("batch_norm_3d", "(5, 4)", "layers.BatchNormalization()", **BN)
single("batch_norm_4d_momentum", "(3, 4, 2)",
       "layers.BatchNormalization(momentum=0.9, epsilon=0.01)", **BN)
single("batch_norm_axis1_4d", "(3, 4, 5)", "layers.BatchNormalization(axis=1)", **BN)
single("batch_norm_axis2_3d", "(3, 4, 5)", "layers.BatchNormalization(axis=-2)", **BN)
single("batch_norm_no_center", "(6,)", "layers.BatchNormalization(center=False)", **BN)
single("batch_norm_no_scale_3d", "(5, 4)", "layers.BatchNormalization(scale=False)", **BN)
single("batch_norm_no_center_no_scale", "(6,)",
       "layers.BatchNormalization(center=False, scale=False)", **BN)
single(
    "batch_norm_renorm",
    "(5, 4)",
    'layers.BatchNormalization(renorm=True, renorm_clipping={"rmax": 1.2, "rmin": 0.8, '
    '"dmax": 0.1}, renorm_momentum=0.9)',
    **BN,
)
single("batch_norm_renorm_unclipped", "(6,)", "layers.BatchNormalization(renorm=True)", **BN)
single(
    "batch_norm_regularized",
    "(6,)",
    'layers.BatchNormalization(gamma_regularizer="l2", beta_regularizer=keras.regularizers.L1(0.1), '
    "beta_constraint=keras.constraints.NonNeg())",
    **BN,
)
single("batch_norm_frozen", "(6,)", "layers.BatchNormalization(trainable=False)", **BN)
case(
    "batch_norm_masked",
    """
model = keras.Sequential([
    keras.Input((5,), dtype="int32"),
    layers.Embedding(10, 3, mask_zero=True),
    layers.BatchNormalization(),
])""",
    inputs=("tokens",),
    training=True,
    train_step=True,
)
case(
    "batch_norm_mlp",
    """
model = keras.Sequential([
    keras.Input((5,)),
    layers.Dense(8),
    layers.BatchNormalization(),
    layers.Activation("relu"),
    layers.Dense(3),
])""",
    training=True,
    train_step=True,
)

# ---- LayerNormalization -----------------------------------------------------
LN = dict(inputs=("shifted",), train_step=True)
single("layer_norm_2d", "(6,)", "layers.LayerNormalization()", **LN)
single("layer_norm_3d", "(5, 4)", "layers.LayerNormalization()", **LN)
single("layer_norm_axis1_3d", "(5, 4)", "layers.LayerNormalization(axis=1)", **LN)
single("layer_norm_trailing_axes_4d", "(3, 4, 5)", "layers.LayerNormalization(axis=[-2, -1])",
       **LN)
single("layer_norm_middle_axes_4d", "(3, 4, 5)", "layers.LayerNormalization(axis=[1, 2])", **LN)
single("layer_norm_split_axes_4d", "(3, 4, 5)", "layers.LayerNormalization(axis=[1, 3])", **LN)
single("layer_norm_no_center", "(6,)", "layers.LayerNormalization(center=False, epsilon=0.1)",
       **LN)
single("layer_norm_no_scale_3d", "(5, 4)", "layers.LayerNormalization(scale=False)", **LN)
single("layer_norm_rms_scaling", "(5, 4)", "layers.LayerNormalization(rms_scaling=True)", **LN)
single(
    "layer_norm_regularized",
    "(6,)",
    'layers.LayerNormalization(gamma_regularizer=keras.regularizers.L1L2(0.01, 0.02), '
    "gamma_constraint=keras.constraints.MaxNorm(1.1))",
    **LN,
)

# ---- GroupNormalization -----------------------------------------------------
GN = dict(inputs=("shifted",), train_step=True)
single("group_norm_default_32", "(3, 32)", "layers.GroupNormalization()", **GN)
single("group_norm_groups2_3d", "(5, 6)", "layers.GroupNormalization(groups=2)", **GN)
single("group_norm_4d", "(3, 3, 4)", "layers.GroupNormalization(groups=2)", **GN)
single("group_norm_instance", "(3, 3, 4)", "layers.GroupNormalization(groups=-1)", **GN)
single("group_norm_groups1", "(5, 6)", "layers.GroupNormalization(groups=1)", **GN)
single("group_norm_axis1", "(6, 5)", "layers.GroupNormalization(groups=3, axis=1)", **GN)
single("group_norm_axis1_4d", "(4, 3, 2)", "layers.GroupNormalization(groups=2, axis=1)", **GN)
single("group_norm_no_center_no_scale", "(5, 6)",
       "layers.GroupNormalization(groups=3, center=False, scale=False, epsilon=0.01)", **GN)

# ---- UnitNormalization ------------------------------------------------------
single("unit_norm_2d", "(6,)", "layers.UnitNormalization()", inputs=("zero_row",))
single("unit_norm_3d", "(5, 4)", "layers.UnitNormalization()")
single("unit_norm_axis1_3d", "(5, 4)", "layers.UnitNormalization(axis=1)")
single("unit_norm_axes_4d", "(3, 4, 5)", "layers.UnitNormalization(axis=[1, 2])")
single("unit_norm_split_axes_4d", "(3, 4, 5)", "layers.UnitNormalization(axis=[1, 3])")


# ---- merging ----------------------------------------------------------------
def merge(name, shapes, layer_src, **kw):
    lines = [f"x{i} = keras.Input({s})" for i, s in enumerate(shapes)]
    names = ", ".join(f"x{i}" for i in range(len(shapes)))
    lines += [f"out = {layer_src}([{names}])", f"model = keras.Model([{names}], out)"]
    case(name, "\n".join(lines), inputs=("normal",) * len(shapes), **kw)


merge("add_three", ["(4,)"] * 3, "layers.Add()")
merge("add_broadcast", ["(3, 4)", "(1, 4)"], "layers.Add()")
merge("add_lower_rank", ["(3, 4)", "(4,)"], "layers.Add()")
merge("subtract", ["(2, 4)", "(2, 4)"], "layers.Subtract()")
merge("subtract_broadcast", ["(3, 1)", "(3, 4)"], "layers.Subtract()")
merge("multiply_three", ["(4,)"] * 3, "layers.Multiply()")
merge("multiply_broadcast", ["(3, 4)", "(3, 1)"], "layers.Multiply()")
merge("average_three", ["(2, 4)"] * 3, "layers.Average()")
merge("average_broadcast", ["(3, 4)", "(1, 4)"], "layers.Average()")
merge("maximum", ["(4,)", "(4,)"], "layers.Maximum()")
merge("maximum_three", ["(2, 3)"] * 3, "layers.Maximum()")
merge("minimum", ["(2, 3)", "(2, 3)"], "layers.Minimum()")
merge("minimum_broadcast", ["(3, 4)", "(1, 4)"], "layers.Minimum()")
merge("concatenate_axis1", ["(2, 3)", "(4, 3)"], "layers.Concatenate(axis=1)")
merge("concatenate_last", ["(2, 3)", "(2, 5)"], "layers.Concatenate()")
merge("dot_2d", ["(4,)", "(4,)"], "layers.Dot(axes=1)")
merge("dot_axes_pair", ["(3, 5)", "(10, 3)"], "layers.Dot(axes=(1, 2))")
merge("dot_negative", ["(3, 5)", "(4, 5)"], "layers.Dot(axes=-1)")
merge("dot_2d_3d", ["(4,)", "(4, 3)"], "layers.Dot(axes=1)")
merge("dot_4d", ["(2, 3, 4)", "(4, 5)"], "layers.Dot(axes=(3, 1))")
merge("dot_normalize", ["(3, 5)", "(4, 5)"], "layers.Dot(axes=(2, 2), normalize=True)")

# Residual blocks (x -> Dense/BN -> Add([x, y])): the summary's "Connected to"
# column and the graph of a small ResNet-style model.
case(
    "resnet_dense",
    """
inputs = keras.Input((8,))
x = layers.Dense(8, activation="relu")(inputs)
for _ in range(2):
    y = layers.Dense(8)(x)
    y = layers.BatchNormalization()(y)
    y = layers.Activation("relu")(y)
    y = layers.Dense(8)(y)
    x = layers.Add()([x, y])
    x = layers.Activation("relu")(x)
x = layers.LayerNormalization()(x)
outputs = layers.Dense(3)(x)
model = keras.Model(inputs, outputs)""",
    training=True,
    train_step=True,
)
case(
    "resnet_two_inputs",
    """
a = keras.Input((6,), name="a")
b = keras.Input((6,), name="b")
ha = layers.Dense(6)(a)
hb = layers.Dense(6)(b)
s = layers.Subtract()([ha, hb])
m = layers.Multiply()([ha, hb])
h = layers.Concatenate()([s, m, layers.Maximum()([a, b])])
h = layers.GroupNormalization(groups=3)(h)
d = layers.Dot(axes=1, normalize=True)([ha, hb])
out = layers.Concatenate()([layers.Dense(2)(h), d])
model = keras.Model([a, b], out)""",
    inputs=("normal", "normal"),
    train_step=True,
)

# The convolutional residual block (Conv2D -> BN -> ReLU -> Conv2D -> BN, a
# 1x1 Conv2D + BN projection on the shortcut when the shape changes, Add,
# ReLU): issue 5's ResNet-style summary, numbers and one training step.
case(
    "resnet_conv",
    """
inputs = keras.Input((8, 8, 3))
x = layers.Conv2D(8, 3, padding="same", use_bias=False)(inputs)
x = layers.BatchNormalization()(x)
x = layers.Activation("relu")(x)
for filters, strides in ((8, 1), (16, 2)):
    y = layers.Conv2D(filters, 3, strides=strides, padding="same", use_bias=False)(x)
    y = layers.BatchNormalization()(y)
    y = layers.Activation("relu")(y)
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False)(y)
    y = layers.BatchNormalization()(y)
    if strides != 1 or x.shape[-1] != filters:
        x = layers.Conv2D(filters, 1, strides=strides, use_bias=False)(x)
        x = layers.BatchNormalization()(x)
    x = layers.Add()([x, y])
    x = layers.Activation("relu")(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(3, activation="softmax")(x)
model = keras.Model(inputs, outputs)""",
    training=True,
    train_step=True,
)

# ---- noise and regularization layers (identity at inference) ---------------
single("spatial_dropout1d", "(5, 4)", "layers.SpatialDropout1D(0.3)")
single("spatial_dropout2d", "(3, 4, 2)", "layers.SpatialDropout2D(0.3, seed=7)")
single("spatial_dropout2d_channels_first", "(2, 3, 4)",
       'layers.SpatialDropout2D(0.5, data_format="channels_first")')
single("gaussian_noise", "(5, 4)", "layers.GaussianNoise(0.2, seed=3)")
case(
    "activity_regularization",
    """
model = keras.Sequential([
    keras.Input((5,)),
    layers.Dense(4),
    layers.ActivityRegularization(l1=0.01, l2=0.02),
    layers.Dense(2),
])""",
    train_step=True,
)

# ---- regularizers and constraints on Dense ---------------------------------
def dense(name, args, **kw):
    case(
        name,
        f"""
model = keras.Sequential([
    keras.Input((5,)),
    layers.Dense(4, {args}),
    layers.Dense(2),
])""",
        train_step=True,
        **kw,
    )


dense("dense_l2_kernel", 'kernel_regularizer="l2"')
dense("dense_l1_kernel_l2_bias",
      "kernel_regularizer=keras.regularizers.L1(0.05), bias_regularizer=keras.regularizers.L2(0.2)")
dense("dense_l1l2", "kernel_regularizer=keras.regularizers.L1L2(l1=0.01, l2=0.03)")
dense("dense_activity_l2", 'activity_regularizer=keras.regularizers.L2(0.1)')
dense("dense_orthogonal_rows", "kernel_regularizer=keras.regularizers.OrthogonalRegularizer(0.1)")
dense(
    "dense_orthogonal_columns",
    'kernel_regularizer=keras.regularizers.OrthogonalRegularizer(0.2, mode="columns")',
)
dense("dense_max_norm", "kernel_constraint=keras.constraints.MaxNorm(0.6)")
dense("dense_max_norm_string", 'kernel_constraint="max_norm", bias_constraint="non_neg"')
dense("dense_unit_norm_axis1", "kernel_constraint=keras.constraints.UnitNorm(axis=1)")
dense(
    "dense_min_max_norm",
    "kernel_constraint=keras.constraints.MinMaxNorm(min_value=0.5, max_value=0.8, rate=0.7)",
)
dense(
    "dense_everything",
    "kernel_regularizer=keras.regularizers.L2(0.02), bias_regularizer=keras.regularizers.L1(0.01), "
    "activity_regularizer=keras.regularizers.L1L2(0.01, 0.01), "
    "kernel_constraint=keras.constraints.MaxNorm(1.0, axis=[0]), "
    "bias_constraint=keras.constraints.NonNeg()",
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
    """Random weights: kernels std min(0.5, 1/sqrt(fan_in)); gamma around 1;
    moving variances and renorm stddevs positive; everything else std 0.5."""
    out = []
    for v in model.weights:
        shape = tuple(v.shape)
        name = v.path.split("/")[-1]
        if name in ("gamma",):
            w = 1.0 + 0.3 * rng.standard_normal(shape)
        elif name in ("moving_variance", "moving_stddev", "renorm_stddev"):
            w = rng.uniform(0.5, 2.0, shape)
        elif len(shape) >= 2 and name != "embeddings":
            w = rng.normal(0.0, min(0.5, 1.0 / np.sqrt(float(np.prod(shape[:-1])))), shape)
        else:
            w = rng.normal(0.0, 0.5, shape)
        out.append(np.asarray(w, dtype=np.float32))
    return out


def make_inputs(c, model, salt=2):
    rng = case_rng(c["name"], salt)
    xs = []
    for spec, t in zip(c["inputs"], model.inputs):
        shape = [c["batch"] if d is None else d for d in t.shape]
        if spec == "normal":
            x = rng.standard_normal(shape)
        elif spec == "shifted":
            x = 3.0 + 2.0 * rng.standard_normal(shape)
        elif spec == "zero_row":
            x = rng.standard_normal(shape)
            x[0] = 0.0
        elif spec == "tokens":
            x = rng.integers(1, 10, size=shape)
            x[:, -2:] = 0  # the last two steps are padding
            x[0, 1:] = 0
        else:
            raise ValueError(spec)
        x = x.astype(np.int32 if spec == "tokens" else np.float32)
        assert str(x.dtype) == t.dtype, (c["name"], x.dtype, t.dtype)
        xs.append(x)
    return xs


def model_arg(xs):
    return xs[0] if len(xs) == 1 else list(xs)


def is_float(x):
    return np.issubdtype(np.asarray(x).dtype, np.floating)


def loss_and_grads(model, xs, rs, training):
    """L = sum_i sum(y_i * r_i), its gradients with respect to the trainable
    variables and the float inputs, and the outputs, through stateless_call
    (which leaves the model's variables as they are)."""
    trainable = [v.value for v in model.trainable_variables]
    frozen = [v.value for v in model.non_trainable_variables]
    float_idx = [i for i, x in enumerate(xs) if is_float(x)]

    def loss(tv, fx):
        full = list(xs)
        for i, v in zip(float_idx, fx):
            full[i] = v
        ys, _ = model.stateless_call(tv, frozen, model_arg(full), training=training)
        ys = keras.tree.flatten(ys)
        return sum(jnp.sum(y * r) for y, r in zip(ys, rs)), ys

    fx = [jnp.asarray(xs[i]) for i in float_idx]
    (value, ys), (g_w, g_x) = jax.value_and_grad(loss, argnums=(0, 1), has_aux=True)(trainable, fx)
    grads_x = [None] * len(xs)
    for i, g in zip(float_idx, g_x):
        grads_x[i] = np.asarray(g)
    return float(value), [np.asarray(y) for y in ys], [np.asarray(g) for g in g_w], grads_x


def dump_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


def save(d, name, array):
    np.save(os.path.join(d, name), np.asarray(array))
    return name


# --------------------------------------------------------------------------
# Summary capture in a child process (as make_core_fixtures.py: every
# standard stream a pipe, COLUMNS unset -> Keras' 76-column table).


def child_env():
    env = dict(os.environ)
    for k in list(env):
        if k in ("COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE",
                 "TTY_INTERACTIVE", "CLICOLOR", "CLICOLOR_FORCE") or k.startswith("JUPYTER_"):
            del env[k]
    env["KERAS_BACKEND"] = "jax"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def capture_all_summaries():
    p = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--print-summaries"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=child_env(), check=False,
    )
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode("utf-8", "replace"))
        raise SystemExit("child --print-summaries failed")
    parts = p.stdout.split(MARKER.encode())
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


# --------------------------------------------------------------------------
# Writing one case.


def shape_list(shape):
    return [None if d is None else int(d) for d in shape]


def base_info(c, model):
    trainable = sum(int(np.prod(v.shape)) for v in model.trainable_weights)
    frozen = sum(int(np.prod(v.shape)) for v in model.non_trainable_weights)
    return {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "code_preamble": CODE_PREAMBLE,
        "code": c["code"],
        "model_name": model.name,
        "count_params": int(model.count_params()),
        "trainable_params": trainable,
        "non_trainable_params": frozen,
        "layers": [
            {
                "name": l.name,
                "class_name": l.__class__.__name__,
                "count_params": int(l.count_params()),
                "output_shape": shape_list(l.output.shape),
            }
            for l in model.layers
        ],
    }


def write_numeric(c, d, model, info):
    model.set_weights(new_weights(model, case_rng(c["name"], 1)))
    info["weights"] = [
        {"path": v.path, "shape": list(v.shape), "trainable": bool(v.trainable),
         "file": save(d, f"weights_{i:02d}.npy", w)}
        for i, (v, w) in enumerate(zip(model.weights, model.get_weights()))
    ]
    xs = make_inputs(c, model)
    info["inputs"] = [
        {"shape": list(x.shape), "dtype": str(x.dtype), "file": save(d, f"x_{i}.npy", x)}
        for i, x in enumerate(xs)
    ]
    ys = [np.asarray(y) for y in keras.tree.flatten(model(model_arg(xs), training=False))]
    rng = case_rng(c["name"], 3)
    rs = [rng.standard_normal(y.shape).astype(np.float32) for y in ys]
    paths = [v.path for v in model.weights]
    info["trainable_weights"] = [paths.index(v.path) for v in model.trainable_variables]

    modes = [("inference", False)] + ([("training", True)] if c["training"] else [])
    for mode, training in modes:
        value, ys2, g_w, g_x = loss_and_grads(model, xs, rs, training)
        if not training:
            for a, b in zip(ys, ys2):
                np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)
        prefix = "" if mode == "inference" else "train_"
        info[mode] = {
            "outputs": [save(d, f"{prefix}y_{i}.npy", y.astype(np.float32))
                        for i, y in enumerate(ys2)],
            "loss_value": value,
            "weight_gradients": [save(d, f"{prefix}grad_weights_{k:02d}.npy",
                                      g.astype(np.float32)) for k, g in enumerate(g_w)],
            "input_gradients": [
                save(d, f"{prefix}grad_x_{i}.npy", g.astype(np.float32)) if g is not None else None
                for i, g in enumerate(g_x)
            ],
        }
    info["cotangents"] = [save(d, f"r_{i}.npy", r) for i, r in enumerate(rs)]
    if "zero_row" in c["inputs"]:
        # JAX differentiates x * min(rsqrt(sum x^2), 1/eps) at x = 0 as
        # 0 * inf = NaN; the function is c * x there, whose derivative
        # kerascpp gives. The harness accepts any finite value where Keras has NaN.
        info["keras_nan_gradients"] = (
            "Keras' gradient of an all-zero sample is NaN (0 * inf in JAX's chain rule)"
        )
    info["loss"] = "sum over outputs i of sum(y_i * r_i)"

    if c["train_step"]:
        trng = case_rng(c["name"], 5)
        targets = [trng.standard_normal(y.shape).astype(np.float32) for y in ys]
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=LEARNING_RATE), loss="mse")
        test_loss = float(model.test_on_batch(model_arg(xs), model_arg(targets)))
        train_loss = float(model.train_on_batch(model_arg(xs), model_arg(targets)))
        info["train_step"] = {
            "optimizer": "SGD",
            "learning_rate": LEARNING_RATE,
            "loss": "mse",
            "targets": [save(d, f"t_{i}.npy", t) for i, t in enumerate(targets)],
            "test_loss": test_loss,
            "train_loss": train_loss,
            "weights_after": [save(d, f"step_weights_{i:02d}.npy", w)
                              for i, w in enumerate(model.get_weights())],
        }
    info["tolerances"] = TOLERANCES


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
    if c["numeric"]:
        write_numeric(c, d, model, info)
    dump_json(os.path.join(d, "case.json"), info)
    size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
    print(f"{name:36s} params={model.count_params():>6,} files={len(os.listdir(d)):2d} "
          f"bytes={size:6d}")
    return size


def main():
    if "--print-summaries" in sys.argv:
        child_print_summaries()
        return
    summaries = capture_all_summaries()
    if os.path.isdir(OUT_DIR):
        shutil.rmtree(OUT_DIR)
    os.makedirs(OUT_DIR)
    total = sum(write_case(c, summaries) for c in CASES)
    dump_json(os.path.join(OUT_DIR, "index.json"), {"cases": [c["name"] for c in CASES]})
    print(f"{len(CASES)} cases, {total} bytes")


if __name__ == "__main__":
    main()

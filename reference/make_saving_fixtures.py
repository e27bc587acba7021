#!/usr/bin/env python3
"""Write .keras files saved by real Keras, and every layer's serialized config.

    KERAS_BACKEND=jax python reference/make_saving_fixtures.py

Writes tests/fixtures/saving_keras/ (layer_configs.json and models/, deleted and
rewritten; kerascpp_saved/ is the C++ tests' and stays):

  layer_configs.json   one sample per layer variant: {"name", "class_name",
                       "code", "object"}, "object" being
                       keras.saving.serialize_keras_object(layer) after the
                       layer was called on keras.Input tensors (so it holds a
                       build_config when Keras writes one). The C++ tests read
                       each object, write it back and compare.
  models/<case>/       model.keras (model.save), x_I.npy (inputs, one per model
                       input), y_I.npy (model.predict, one per output),
                       summary.txt (what `keras.saving.load_model(...).summary()`
                       prints to a pipe, COLUMNS unset: line length 76) and
                       case.json (code, compiled, trained, ...).
                       The case "adam_continue" also has x_train.npy,
                       y_train.npy and weights_after_NN.npy: the weights after
                       one more epoch of fit(shuffle=False, batch_size=4) from
                       the saved state, which the C++ test reproduces after
                       load_model.
  custom/<case>/       the same for models with a custom layer class
                       (registered with register_keras_serializable; the
                       C++ test registers a class of its own under the name).

So that the script is deterministic, each .keras file is rewritten with the
same members and bytes except metadata.json's date_saved (fixed to
"2025-01-01@00:00:00"), config.json's shared_object_id values (Python ids,
renumbered 1, 2, ... in order of appearance) and the zip entries' timestamps
(1980-01-01). Keras reads none of these but the ids, which stay consistent.
"""

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
import zlib

os.environ.setdefault("KERAS_BACKEND", "jax")
if os.environ["KERAS_BACKEND"] != "jax":
    sys.exit("run with KERAS_BACKEND=jax")

import numpy as np  # noqa: E402

import keras  # noqa: E402
from keras import layers  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT_DIR = os.path.join(ROOT, "tests", "fixtures", "saving_keras")
GLOBAL_SEED = 1234
FIXED_DATE = "2025-01-01@00:00:00"

# ---------------------------------------------------------------------------
# Layer samples: (name, code leaving the layer in `layer`, input shapes
# (without batch), input dtype). Every class of src/layers/layer_factory.cpp
# has at least one sample; the options cover each config field that differs
# from its default somewhere.
LAYER_SAMPLES = [
    ("activation_relu", 'layer = layers.Activation("relu")', [(4, 3)]),
    ("activation_swish", 'layer = layers.Activation("swish", name="act")', [(4, 3)]),
    ("add", "layer = layers.Add()", [(4, 3), (4, 3)]),
    ("concatenate", "layer = layers.Concatenate()", [(4, 3), (4, 2)]),
    ("concatenate_axis1", "layer = layers.Concatenate(axis=1)", [(4, 3), (2, 3)]),
    ("dense", "layer = layers.Dense(5)", [(4, 3)]),
    (
        "dense_options",
        'layer = layers.Dense(5, activation="relu", use_bias=False, '
        'kernel_initializer=keras.initializers.HeNormal(seed=3), name="d", trainable=False)',
        [(3,)],
    ),
    (
        "dense_initializers",
        "layer = layers.Dense(2, kernel_initializer=keras.initializers.RandomNormal(0.5, 0.1, seed=7), "
        'bias_initializer=keras.initializers.Constant(0.25))',
        [(3,)],
    ),
    (
        "dense_variance_scaling",
        "layer = layers.Dense(2, kernel_initializer=keras.initializers.VarianceScaling("
        'scale=2.0, mode="fan_avg", distribution="uniform"), '
        'bias_initializer="ones")',
        [(3,)],
    ),
    (
        "dense_regularized",
        'layer = layers.Dense(2, kernel_regularizer=keras.regularizers.L2(0.001), '
        'bias_regularizer=keras.regularizers.L1L2(l1=0.01, l2=0.02), '
        'activity_regularizer=keras.regularizers.L1(0.05), '
        'kernel_constraint=keras.constraints.MaxNorm(3.0), '
        'bias_constraint=keras.constraints.NonNeg())',
        [(3,)],
    ),
    ("dropout", "layer = layers.Dropout(0.25)", [(4, 3)]),
    ("dropout_options", "layer = layers.Dropout(0.5, noise_shape=(None, 1, 3), seed=11)", [(4, 3)]),
    ("flatten", "layer = layers.Flatten()", [(3, 4)]),
    ("flatten_channels_first", 'layer = layers.Flatten(data_format="channels_first")', [(3, 4, 2)]),
    ("input_layer", "layer = keras.Input((3, 4))._keras_history[0]", None),
    (
        "input_layer_int",
        "layer = keras.Input((7,), dtype='int32', batch_size=2, name='tokens')"
        "._keras_history[0]",
        None,
    ),
    ("leaky_relu", "layer = layers.LeakyReLU()", [(4, 3)]),
    ("leaky_relu_slope", "layer = layers.LeakyReLU(negative_slope=0.1)", [(4, 3)]),
    ("permute", "layer = layers.Permute((2, 1))", [(4, 3)]),
    ("relu", "layer = layers.ReLU()", [(4, 3)]),
    ("relu_options", "layer = layers.ReLU(max_value=6.0, negative_slope=0.1, threshold=0.5)", [(4, 3)]),
    ("repeat_vector", "layer = layers.RepeatVector(3)", [(4,)]),
    ("rescaling", "layer = layers.Rescaling(1 / 255)", [(4, 3)]),
    ("rescaling_offset", "layer = layers.Rescaling(2.0, offset=-1.0)", [(4, 3)]),
    ("reshape", "layer = layers.Reshape((2, 6))", [(3, 4)]),
    ("reshape_minus1", "layer = layers.Reshape((-1, 2))", [(3, 4)]),
    ("softmax", "layer = layers.Softmax()", [(4, 3)]),
    ("softmax_axis", "layer = layers.Softmax(axis=1)", [(4, 3)]),
    ("time_distributed", "layer = layers.TimeDistributed(layers.Dense(3))", [(5, 4)]),
    (
        "time_distributed_flatten",
        "layer = layers.TimeDistributed(layers.Flatten())",
        [(5, 4, 2)],
    ),
    # Recurrent layers.
    ("bidirectional", "layer = layers.Bidirectional(layers.LSTM(3, return_sequences=True))", [(5, 4)]),
    (
        "bidirectional_ave_gru",
        'layer = layers.Bidirectional(layers.GRU(3), merge_mode="ave")',
        [(5, 4)],
    ),
    ("embedding", "layer = layers.Embedding(10, 4)", [((6,), "int32")]),
    ("embedding_mask_zero", "layer = layers.Embedding(10, 4, mask_zero=True)", [((6,), "int32")]),
    (
        "embedding_options",
        "layer = layers.Embedding(12, 3, "
        "embeddings_initializer=keras.initializers.RandomNormal(stddev=0.1, seed=4), "
        "embeddings_regularizer=keras.regularizers.L2(0.01), "
        "activity_regularizer=keras.regularizers.L1(0.02), "
        'embeddings_constraint=keras.constraints.MaxNorm(2.0), name="emb")',
        [((6,), "int32")],
    ),
    ("masking", "layer = layers.Masking()", [(5, 3)]),
    ("masking_value", "layer = layers.Masking(mask_value=-1.0)", [(5, 3)]),
    ("gru", "layer = layers.GRU(3)", [(5, 4)]),
    ("lstm", "layer = layers.LSTM(3, return_sequences=True)", [(5, 4)]),
    ("simple_rnn", "layer = layers.SimpleRNN(3)", [(5, 4)]),
    (
        "gru_reset_before",
        "layer = layers.GRU(3, reset_after=False, return_sequences=True, go_backwards=True, "
        "dropout=0.1, recurrent_dropout=0.2, seed=5)",
        [(5, 4)],
    ),
    (
        "lstm_options",
        'layer = layers.LSTM(4, activation="relu", recurrent_activation="hard_sigmoid", '
        "use_bias=False, unit_forget_bias=False, "
        "kernel_initializer=keras.initializers.HeNormal(seed=1), "
        "recurrent_initializer=keras.initializers.Orthogonal(gain=0.5, seed=2), "
        'return_state=True, unroll=True, seed=3, name="l", trainable=False)',
        [(5, 4)],
    ),
    (
        "lstm_initial_state",
        "layer = layers.LSTM(3, return_state=True)\n"
        "layer(keras.Input((5, 4)), initial_state=[keras.Input((3,)), keras.Input((3,))])",
        None,
    ),
    (
        "simple_rnn_options",
        'layer = layers.SimpleRNN(2, activation="relu", return_sequences=True, dropout=0.25, '
        'recurrent_dropout=0.5, bias_initializer="ones", zero_output_for_mask=True)',
        [(5, 4)],
    ),
    (
        "bidirectional_backward_layer",
        "layer = layers.Bidirectional(layers.LSTM(3, return_sequences=True), "
        "backward_layer=layers.LSTM(3, return_sequences=True, go_backwards=True), "
        'merge_mode="sum")',
        [(5, 4)],
    ),
    (
        "bidirectional_merge_none",
        "layer = layers.Bidirectional(layers.SimpleRNN(2, return_state=True), merge_mode=None)",
        [(5, 4)],
    ),
    (
        "bidirectional_initial_state",
        'layer = layers.Bidirectional(layers.GRU(2), merge_mode="mul")\n'
        "layer(keras.Input((5, 4)), initial_state=[keras.Input((2,)), keras.Input((2,))])",
        None,
    ),
    # Normalization, merging and regularization layers.
    ("activity_regularization", "layer = layers.ActivityRegularization(l1=0.01, l2=0.02)", [(4, 3)]),
    ("average", "layer = layers.Average()", [(4, 3), (4, 3)]),
    ("batch_normalization", "layer = layers.BatchNormalization()", [(4, 3)]),
    ("dot", "layer = layers.Dot(axes=1)", [(3,), (3,)]),
    ("gaussian_noise", "layer = layers.GaussianNoise(0.1)", [(4, 3)]),
    ("group_normalization", "layer = layers.GroupNormalization(groups=2)", [(4, 4)]),
    ("layer_normalization", "layer = layers.LayerNormalization()", [(4, 3)]),
    ("maximum", "layer = layers.Maximum()", [(4, 3), (4, 3)]),
    ("minimum", "layer = layers.Minimum()", [(4, 3), (4, 3)]),
    ("multiply", "layer = layers.Multiply()", [(4, 3), (4, 3)]),
    ("spatial_dropout1d", "layer = layers.SpatialDropout1D(0.2)", [(4, 3)]),
    ("spatial_dropout2d", "layer = layers.SpatialDropout2D(0.2)", [(4, 4, 3)]),
    ("subtract", "layer = layers.Subtract()", [(4, 3), (4, 3)]),
    ("unit_normalization", "layer = layers.UnitNormalization()", [(4, 3)]),
    # Convolution, pooling and spatial reshaping layers.
    ("average_pooling1d", "layer = layers.AveragePooling1D(2)", [(6, 3)]),
    ("average_pooling2d", "layer = layers.AveragePooling2D(2)", [(6, 6, 3)]),
    ("conv1d", "layer = layers.Conv1D(4, 3)", [(6, 3)]),
    ("conv2d", 'layer = layers.Conv2D(4, 3, padding="same", activation="relu")', [(6, 6, 3)]),
    ("conv2d_transpose", "layer = layers.Conv2DTranspose(4, 3, strides=2)", [(6, 6, 3)]),
    ("cropping2d", "layer = layers.Cropping2D(1)", [(6, 6, 3)]),
    ("depthwise_conv2d", "layer = layers.DepthwiseConv2D(3)", [(6, 6, 3)]),
    ("global_average_pooling1d", "layer = layers.GlobalAveragePooling1D()", [(6, 3)]),
    ("global_average_pooling2d", "layer = layers.GlobalAveragePooling2D()", [(6, 6, 3)]),
    ("global_max_pooling1d", "layer = layers.GlobalMaxPooling1D()", [(6, 3)]),
    ("global_max_pooling2d", "layer = layers.GlobalMaxPooling2D()", [(6, 6, 3)]),
    ("max_pooling1d", "layer = layers.MaxPooling1D()", [(6, 3)]),
    ("max_pooling2d", "layer = layers.MaxPooling2D()", [(6, 6, 3)]),
    ("separable_conv2d", "layer = layers.SeparableConv2D(4, 3)", [(6, 6, 3)]),
    ("up_sampling2d", "layer = layers.UpSampling2D(2)", [(6, 6, 3)]),
    ("zero_padding2d", "layer = layers.ZeroPadding2D(1)", [(6, 6, 3)]),
    (
        "average_pooling1d_channels_first",
        'layer = layers.AveragePooling1D(3, strides=1, data_format="channels_first")',
        [(3, 6)],
    ),
    (
        "max_pooling2d_options",
        'layer = layers.MaxPooling2D((3, 2), strides=(1, 2), padding="same")',
        [(6, 6, 3)],
    ),
    ("global_average_pooling1d_keepdims", "layer = layers.GlobalAveragePooling1D(keepdims=True)", [(6, 3)]),
    (
        "global_max_pooling2d_channels_first",
        'layer = layers.GlobalMaxPooling2D(data_format="channels_first", keepdims=True)',
        [(3, 6, 6)],
    ),
    (
        "conv1d_causal",
        'layer = layers.Conv1D(2, 3, padding="causal", dilation_rate=2, activation="tanh")',
        [(8, 3)],
    ),
    (
        "conv2d_options",
        'layer = layers.Conv2D(4, (3, 2), dilation_rate=(2, 1), groups=2, use_bias=False, '
        'kernel_initializer="he_uniform", kernel_regularizer=keras.regularizers.L2(0.01), '
        "activity_regularizer=keras.regularizers.L1(0.01), "
        "kernel_constraint=keras.constraints.UnitNorm(axis=[0, 1, 2]))",
        [(7, 6, 4)],
    ),
    (
        "conv2d_channels_first",
        'layer = layers.Conv2D(3, 2, strides=2, data_format="channels_first", '
        'bias_initializer="ones", name="c")',
        [(2, 6, 6)],
    ),
    (
        "conv2d_transpose_options",
        'layer = layers.Conv2DTranspose(2, 3, strides=2, padding="same", output_padding=1, '
        'activation="relu", use_bias=False)',
        [(4, 4, 3)],
    ),
    (
        "depthwise_conv2d_options",
        'layer = layers.DepthwiseConv2D(2, depth_multiplier=2, padding="same", strides=2, '
        'depthwise_initializer="ones", depthwise_regularizer="l2", bias_constraint="non_neg")',
        [(6, 6, 3)],
    ),
    (
        "separable_conv2d_options",
        'layer = layers.SeparableConv2D(4, 3, depth_multiplier=2, dilation_rate=2, padding="same", '
        'pointwise_initializer="zeros", pointwise_regularizer=keras.regularizers.L1(0.01), '
        'activation="relu")',
        [(7, 7, 3)],
    ),
    ("cropping2d_asymmetric", "layer = layers.Cropping2D(((1, 0), (2, 1)))", [(6, 6, 3)]),
    (
        "up_sampling2d_bilinear",
        'layer = layers.UpSampling2D((2, 3), interpolation="bilinear")',
        [(4, 4, 3)],
    ),
    (
        "zero_padding2d_channels_first",
        'layer = layers.ZeroPadding2D((1, 2), data_format="channels_first")',
        [(3, 6, 6)],
    ),
]


def layer_sample(name, code, inputs):
    keras.backend.clear_session()
    keras.utils.set_random_seed(GLOBAL_SEED)
    ns = {"keras": keras, "layers": layers, "np": np}
    exec(code, ns)
    layer = ns["layer"]
    if inputs is not None:
        tensors = []
        for spec in inputs:
            shape, dtype = spec if isinstance(spec[-1], str) else (spec, "float32")
            tensors.append(keras.Input(shape, dtype=dtype))
        layer(tensors if len(tensors) > 1 else tensors[0])
    return {
        "name": name,
        "class_name": layer.__class__.__name__,
        "code": code,
        "object": keras.saving.serialize_keras_object(layer),
    }


# ---------------------------------------------------------------------------
# Model cases: code leaving the model in `model`; optional compile arguments;
# epochs of fit before saving.
# A custom layer class, registered as Keras users do; the C++ test registers
# its own class under the same name (keras::register_layer).
CUSTOM_SCALE = """
@keras.saving.register_keras_serializable(package="my_package")
class Scale(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

    def call(self, x):
        return x * self.w * self.factor

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor})
        return config
"""

MODEL_CASES = {
    "seed1_dense_20x5": dict(
        code="model = keras.Sequential([keras.Input((20, 5)), layers.Dense(10)])",
    ),
    "seed1_timedistributed_20x5": dict(
        code="model = keras.Sequential([keras.Input((20, 5)), "
        "layers.TimeDistributed(layers.Dense(10))])",
    ),
    "seed2_flatten": dict(
        code="""model = keras.Sequential([
    keras.Input((3, 2)),
    layers.Dense(16),
    layers.Activation("relu"),
    layers.Flatten(),
    layers.Dense(4),
])""",
        compile=dict(optimizer="sgd", loss="mean_squared_error"),
        epochs=1,
    ),
    "seed2_functional": dict(
        code="""inp = keras.Input((3, 2))
h = layers.Dense(16)(inp)
h = layers.Activation("relu")(h)
h = layers.Flatten()(h)
out = layers.Dense(4)(h)
model = keras.Model(inp, out)""",
        compile=dict(optimizer="adam", loss="mse", metrics=["mae"]),
        epochs=1,
    ),
    # seed3 with a smaller image, so that the file stays small.
    "seed3_flatten_small": dict(
        code="""model = keras.Sequential([
    keras.Input((6, 6, 3)),
    layers.Flatten(),
    layers.Rescaling(1 / 255),
    layers.Dense(16, activation="relu"),
    layers.Dense(2, activation="softmax"),
])""",
        x="uniform255",
        compile=dict(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"]),
        epochs=1,
    ),
    "seed3_reshape_small": dict(
        code="""model = keras.Sequential([
    keras.Input((6, 6, 3)),
    layers.Reshape((108,)),
    layers.Rescaling(1 / 255),
    layers.Dense(16, activation="relu"),
    layers.Dense(2, activation="softmax"),
])""",
        x="uniform255",
    ),
    # seed4's tagger at a small size (the full one is 2.9 MB).
    "seed4_tagger_small": dict(
        code="""model = keras.Sequential([
    keras.Input((7,), dtype="int32"),
    layers.Embedding(30, 8),
    layers.Bidirectional(layers.LSTM(5, return_sequences=True), merge_mode="ave"),
    layers.Dense(6),
    layers.TimeDistributed(layers.Dense(4, activation="softmax")),
])""",
        x="tokens",
    ),
    "nested_functional_in_sequential": dict(
        code="""i = keras.Input((6,))
h = layers.Dense(4, activation="relu")(i)
o = layers.Dense(3)(h)
inner = keras.Model(i, o)
model = keras.Sequential([keras.Input((6,)), layers.Dense(6), inner, layers.Dense(2)])""",
    ),
    "nested_sequential_in_functional": dict(
        code="""inner = keras.Sequential([
    keras.Input((6,)),
    layers.Dense(4, activation="relu"),
    layers.Dense(3),
])
inp = keras.Input((6,))
h = layers.Dense(6)(inp)
out = inner(h)
out = layers.Dense(2)(out)
model = keras.Model(inp, out)""",
    ),
    "functional_multi_io_shared": dict(
        code="""in1 = keras.Input((4, 6))
in2 = keras.Input((4, 6))
shared = layers.Dense(8)
s = layers.Add()([shared(in1), shared(in2)])
out1 = layers.Dense(3)(s)
out2 = layers.Dense(2)(layers.Flatten()(s))
model = keras.Model([in1, in2], [out1, out2])""",
    ),
    "functional_concat_dropout": dict(
        code="""a = keras.Input((5,), name="a")
b = keras.Input((3,), name="b")
h = layers.Concatenate()([layers.Dense(4)(a), b])
h = layers.Dropout(0.5)(h)
h = layers.RepeatVector(2)(h)
h = layers.Permute((2, 1))(h)
h = layers.Reshape((14,))(h)
h = layers.LeakyReLU(negative_slope=0.2)(h)
h = layers.ReLU(max_value=6.0)(h)
out = layers.Softmax()(layers.Dense(3)(h))
model = keras.Model([a, b], out, name="two_inputs")""",
        compile=dict(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"]),
        epochs=1,
    ),
    # Saved after one epoch with Adam; weights_after_NN.npy hold the weights
    # after one more epoch from the saved state.
    "custom_layer_scale": dict(
        prelude=CUSTOM_SCALE,
        code="""model = keras.Sequential([
    keras.Input((4,)),
    layers.Dense(3),
    Scale(2.5, name="scale"),
    layers.Dense(2),
])""",
        compile=dict(optimizer="adam", loss="mse"),
        epochs=1,
    ),
    "adam_continue": dict(
        code="""model = keras.Sequential([
    keras.Input((4,)),
    layers.Dense(8, activation="tanh"),
    layers.Dense(3),
])""",
        compile=dict(
            optimizer="__adam__", loss="mse", metrics=["mae"]
        ),
        epochs=1,
        continue_training=True,
    ),
}


def case_rng(name, salt):
    return np.random.default_rng([GLOBAL_SEED, zlib.crc32(name.encode()), salt])


def new_weights(model, rng):
    """As make_core_fixtures.py: non-zero biases, kernels that do not saturate."""
    out = []
    for v in model.weights:
        shape = tuple(v.shape)
        std = 0.5
        if len(shape) >= 2 and not v.path.endswith("embeddings"):
            std = min(0.5, 1.0 / np.sqrt(float(np.prod(shape[:-1]))))
        out.append(rng.normal(0.0, std, shape).astype(v.dtype))
    return out


def make_inputs(name, case, model, batch):
    rng = case_rng(name, 2)
    xs = []
    for t in model.inputs:
        shape = [batch if d is None else d for d in t.shape]
        kind = case.get("x", "normal")
        if kind == "tokens":
            x = rng.integers(1, 30, size=shape, dtype=np.int32)
        elif kind == "uniform255":
            x = rng.uniform(0.0, 255.0, size=shape).astype(np.float32)
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


def renumber_shared_ids(value, ids):
    """Keras' shared_object_id is a Python id(), different in every process;
    number them 1, 2, ... in order of appearance instead (Keras only needs
    equal ids for shared objects within one file)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k == "shared_object_id":
                out[k] = ids.setdefault(v, len(ids) + 1)
            else:
                out[k] = renumber_shared_ids(v, ids)
        return out
    if isinstance(value, list):
        return [renumber_shared_ids(v, ids) for v in value]
    return value


def normalize_zip(path):
    """Rewrites the archive with fixed timestamps, date_saved and object ids."""
    with zipfile.ZipFile(path) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members:
            if name == "metadata.json":
                meta = json.loads(data)
                meta["date_saved"] = FIXED_DATE
                data = json.dumps(meta).encode()
            elif name == "config.json":
                data = json.dumps(renumber_shared_ids(json.loads(data), {})).encode()
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            z.writestr(info, data)


def child_env():
    env = dict(os.environ)
    for k in list(env):
        if k in ("COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE",
                 "TTY_INTERACTIVE", "CLICOLOR", "CLICOLOR_FORCE") or k.startswith("JUPYTER_"):
            del env[k]
    env["KERAS_BACKEND"] = "jax"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def loaded_summary(path, prelude=""):
    """What load_model(path).summary() prints to a pipe (line length 76)."""
    code = "import sys, keras\n" + prelude + "\nkeras.saving.load_model(sys.argv[1]).summary()"
    p = subprocess.run([sys.executable, "-c", code, path], stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(),
                       check=False)
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"summary of {path} failed")
    return p.stdout


def compile_args(case):
    args = dict(case["compile"])
    if args.get("optimizer") == "__adam__":
        args["optimizer"] = keras.optimizers.Adam(learning_rate=0.01, beta_1=0.8, amsgrad=True)
    return args


def write_model_case(name, case):
    # Cases with a custom class need it registered to load: they go apart, so
    # that the tests that load every case of models/ need no registration.
    d = os.path.join(OUT_DIR, "custom" if "prelude" in case else "models", name)
    os.makedirs(d)
    keras.backend.clear_session()
    keras.utils.set_random_seed(GLOBAL_SEED)
    ns = {"keras": keras, "layers": layers, "np": np}
    exec(case.get("prelude", "") + case["code"], ns)
    model = ns["model"]
    model.set_weights(new_weights(model, case_rng(name, 1)))
    info = {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "code": case.get("prelude", "") + case["code"],
        "compiled": "compile" in case,
        "epochs": case.get("epochs", 0),
    }
    if "compile" in case:
        model.compile(**compile_args(case))
        info["compile"] = {k: v for k, v in case["compile"].items()}
        if case.get("epochs", 0):
            x_train = make_inputs(name, case, model, 8)
            y_train = make_targets(name, model, 8)
            model.fit(
                x_train if len(x_train) > 1 else x_train[0],
                y_train if len(y_train) > 1 else y_train[0],
                batch_size=4, epochs=case["epochs"], shuffle=False, verbose=0,
            )
            info["fit"] = {"batch_size": 4, "shuffle": False, "samples": 8}
    path = os.path.join(d, "model.keras")
    model.save(path)
    normalize_zip(path)
    xs = make_inputs(name, case, model, 3)
    ys = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    ys = ys if isinstance(ys, list) else [ys]
    for i, x in enumerate(xs):
        np.save(os.path.join(d, f"x_{i}.npy"), x)
    for i, y in enumerate(ys):
        np.save(os.path.join(d, f"y_{i}.npy"), np.asarray(y, dtype=np.float32))
    if case.get("continue_training"):
        x_train = make_inputs(name, case, model, 8)
        y_train = make_targets(name, model, 8)
        np.save(os.path.join(d, "x_train.npy"), x_train[0])
        np.save(os.path.join(d, "y_train.npy"), y_train[0])
        again = keras.saving.load_model(path)
        again.fit(x_train[0], y_train[0], batch_size=4, epochs=1, shuffle=False, verbose=0)
        for i, w in enumerate(again.get_weights()):
            np.save(os.path.join(d, f"weights_after_{i:02d}.npy"), w)
        info["optimizer_iterations_after"] = int(again.optimizer.iterations.numpy())
    info["num_inputs"] = len(xs)
    info["num_outputs"] = len(ys)
    with open(os.path.join(d, "summary.txt"), "wb") as f:
        f.write(loaded_summary(path, case.get("prelude", "")))
    with open(os.path.join(d, "case.json"), "w", encoding="utf-8") as f:
        json.dump(info, f, indent=1)
        f.write("\n")


def main():
    # kerascpp_saved/ (written by the C++ tests) stays.
    shutil.rmtree(os.path.join(OUT_DIR, "models"), ignore_errors=True)
    shutil.rmtree(os.path.join(OUT_DIR, "custom"), ignore_errors=True)
    os.makedirs(OUT_DIR, exist_ok=True)
    samples = [layer_sample(*s) for s in LAYER_SAMPLES]
    with open(os.path.join(OUT_DIR, "layer_configs.json"), "w", encoding="utf-8") as f:
        json.dump(samples, f, indent=1)
        f.write("\n")
    for name, case in MODEL_CASES.items():
        write_model_case(name, case)
    print(f"wrote {len(samples)} layer samples and {len(MODEL_CASES)} models to {OUT_DIR}")


if __name__ == "__main__":
    main()

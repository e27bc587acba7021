#!/usr/bin/env python3
"""Reference outputs of keras.activations / keras.ops for the C++ op tests.

    KERAS_BACKEND=jax python reference/make_ops_fixtures.py

Writes tests/fixtures/ops/<case>_x.npy (input), <case>_y.npy (Keras' output)
and cases.json ({case: {"code", "dtype", "keras_dtype"}}) for every case below, in
float32 and float64 (JAX with x64 enabled, so float64 is computed in float64).
The C++ test (tests/ops/keras_reference_test.cpp) has one entry per case name
and fails if the two lists differ.
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import activations as A  # noqa: E402
from keras import ops  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(os.path.dirname(HERE), "tests", "fixtures", "ops")

# name -> (python expression of x, input kind)
CASES = {
    # keras.activations by name, with their defaults
    "act_relu": "A.relu(x)",
    "act_leaky_relu": "A.leaky_relu(x)",
    "act_relu6": "A.relu6(x)",
    "act_softmax": "A.softmax(x)",
    "act_celu": "A.celu(x)",
    "act_elu": "A.elu(x)",
    "act_selu": "A.selu(x)",
    "act_softplus": "A.softplus(x)",
    "act_softsign": "A.softsign(x)",
    "act_squareplus": "A.squareplus(x)",
    "act_soft_shrink": "A.soft_shrink(x)",
    "act_sparse_plus": "A.sparse_plus(x)",
    "act_silu": "A.silu(x)",
    "act_swish": "A.swish(x)",
    "act_gelu": "A.gelu(x)",
    "act_glu": "A.glu(x)",
    "act_tanh": "A.tanh(x)",
    "act_tanh_shrink": "A.tanh_shrink(x)",
    "act_sigmoid": "A.sigmoid(x)",
    "act_sparse_sigmoid": "A.sparse_sigmoid(x)",
    "act_exponential": "A.exponential(x)",
    "act_hard_sigmoid": "A.hard_sigmoid(x)",
    "act_hard_silu": "A.hard_silu(x)",
    "act_hard_swish": "A.hard_swish(x)",
    "act_hard_tanh": "A.hard_tanh(x)",
    "act_hard_shrink": "A.hard_shrink(x)",
    "act_linear": "A.linear(x)",
    "act_mish": "A.mish(x)",
    "act_log_softmax": "A.log_softmax(x)",
    "act_log_sigmoid": "A.log_sigmoid(x)",
    "act_sparsemax": "A.sparsemax(x)",
    # keras.activations.relu options (the ReLU layer)
    "act_relu_slope": "A.relu(x, negative_slope=0.1)",
    "act_relu_max": "A.relu(x, max_value=1.5)",
    "act_relu_max6": "A.relu(x, max_value=6.0)",
    "act_relu_threshold": "A.relu(x, threshold=0.2)",
    "act_relu_all": "A.relu(x, negative_slope=0.1, max_value=1.5, threshold=0.2)",
    "act_relu_slope_threshold": "A.relu(x, negative_slope=0.3, threshold=-0.5)",
    # keras.ops with non-default arguments (and ops' own defaults)
    "ops_gelu": "ops.gelu(x)",
    "ops_gelu_exact": "ops.gelu(x, approximate=False)",
    "ops_elu_alpha": "ops.elu(x, alpha=0.5)",
    "ops_celu_alpha": "ops.celu(x, alpha=2.0)",
    "ops_leaky_relu_slope": "ops.leaky_relu(x, negative_slope=0.05)",
    "ops_softmax_axis0": "ops.softmax(x, axis=0)",
    "ops_softmax_axis1": "ops.softmax(x, axis=1)",
    "ops_log_softmax_axis1": "ops.log_softmax(x, axis=1)",
    "ops_glu_axis1": "ops.glu(x, axis=1)",
    "ops_sparsemax_axis0": "ops.sparsemax(x, axis=0)",
    "ops_squareplus_b": "ops.squareplus(x, b=1.0)",
    "ops_soft_shrink_1": "ops.soft_shrink(x, threshold=1.0)",
    "ops_hard_shrink_1": "ops.hard_shrink(x, threshold=1.0)",
    "ops_threshold": "ops.threshold(x, 0.3, -2.0)",
    "ops_logsumexp_axis1": "ops.logsumexp(x, axis=1)",
    "ops_logsumexp_all": "ops.logsumexp(x)",
    "ops_var_axis02": "ops.var(x, axis=(0, 2))",
    "ops_mean_axis2_keepdims": "ops.mean(x, axis=2, keepdims=True)",
    "ops_max_axis1": "ops.max(x, axis=1)",
    "ops_min_axis0": "ops.min(x, axis=0)",
    "ops_sum_axis12": "ops.sum(x, axis=(1, 2))",
    "ops_round": "ops.round(x * 2.0)",
    "ops_sign": "ops.sign(ops.round(x))",
    "ops_erf": "ops.erf(x)",
    "ops_expm1": "ops.expm1(x)",
    "ops_log1p": "ops.log1p(ops.abs(x))",
    "ops_log": "ops.log(ops.abs(x) + 0.001)",
    "ops_sqrt": "ops.sqrt(ops.abs(x))",
    "ops_rsqrt": "ops.rsqrt(ops.abs(x) + 0.01)",
    "ops_power": "ops.power(ops.abs(x), 1.7)",
    "ops_clip": "ops.clip(x, -1.25, 2.5)",
    "ops_transpose": "ops.transpose(x, (2, 0, 1))",
    "ops_tile": "ops.tile(x, (2, 1, 3))",
    "ops_repeat": "ops.repeat(x, 2, axis=1)",
    "ops_flip": "ops.flip(x, axis=2)",
    "ops_matmul_batched": "ops.matmul(x, ops.transpose(x, (0, 2, 1)))",
}

# Values that sit on the kinks and thresholds of the activations.
SPECIAL = [0.0, 1.0, -1.0, 3.0, -3.0, 0.5, -0.5, 6.0, 0.2, 0.3, 1.5, 1e-4, -1e-4, 2.0]


def make_input(rng, dtype):
    x = rng.uniform(-6.0, 6.0, size=(3, 4, 6))
    flat = x.reshape(-1)
    flat[: len(SPECIAL)] = SPECIAL
    rng.shuffle(flat)
    return flat.reshape(3, 4, 6).astype(dtype)


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    rng = np.random.default_rng(20240601)
    index = {}
    for name, code in CASES.items():
        for dtype in ("float32", "float64"):
            # floatx decides the result dtype of some ops (tanh promotes with float).
            keras.config.set_floatx(dtype)
            x = make_input(rng, dtype)
            # A JAX array keeps float64 (Keras converts float64 NumPy input to floatx).
            xj = jax.numpy.asarray(x)
            y = np.asarray(eval(code, {"A": A, "ops": ops, "x": xj}))  # noqa: S307
            # Keras returns float32 for a few float64 inputs (ops.tanh promotes
            # with a weak float that resolves to float32); y keeps Keras' dtype and
            # the C++ test compares at that precision.
            case = f"{name}_{dtype}"
            np.save(os.path.join(OUT_DIR, f"{case}_x.npy"), x)
            np.save(os.path.join(OUT_DIR, f"{case}_y.npy"), y)
            index[case] = {"code": code, "dtype": dtype, "keras_dtype": str(y.dtype)}
    with open(os.path.join(OUT_DIR, "cases.json"), "w") as f:
        json.dump({"keras_version": keras.__version__, "cases": index}, f, indent=1)
    print(f"wrote {len(index)} cases to {OUT_DIR}")


if __name__ == "__main__":
    main()

"""Optimizer update rules from real Keras: fixed variables, fixed gradient
sequences, and the variables after step 1 and step 5, for every optimizer and
its main options. Writes tests/fixtures/optimizers/<case>/.

    KERAS_BACKEND=jax python reference/make_optimizer_fixtures.py
"""
import json
import os
import pathlib

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "optimizers"
S = keras.optimizers.schedules

CASES = {
    "sgd": lambda: keras.optimizers.SGD(),
    "sgd_momentum": lambda: keras.optimizers.SGD(learning_rate=0.05, momentum=0.9),
    "sgd_nesterov": lambda: keras.optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True),
    "rmsprop": lambda: keras.optimizers.RMSprop(),
    "rmsprop_momentum_centered": lambda: keras.optimizers.RMSprop(momentum=0.5, centered=True),
    "adam": lambda: keras.optimizers.Adam(),
    "adam_amsgrad": lambda: keras.optimizers.Adam(learning_rate=0.01, amsgrad=True),
    "adamw": lambda: keras.optimizers.AdamW(),
    "adagrad": lambda: keras.optimizers.Adagrad(learning_rate=0.1),
    "adadelta": lambda: keras.optimizers.Adadelta(learning_rate=1.0),
    "adamax": lambda: keras.optimizers.Adamax(),
    "nadam": lambda: keras.optimizers.Nadam(),
    "lion": lambda: keras.optimizers.Lion(),
    "sgd_clipnorm": lambda: keras.optimizers.SGD(learning_rate=0.1, clipnorm=0.5),
    "sgd_clipvalue": lambda: keras.optimizers.SGD(learning_rate=0.1, clipvalue=0.3),
    "sgd_global_clipnorm": lambda: keras.optimizers.SGD(learning_rate=0.1, global_clipnorm=0.7),
    "adam_weight_decay": lambda: keras.optimizers.Adam(weight_decay=0.1),
    "sgd_exponential_decay": lambda: keras.optimizers.SGD(
        learning_rate=S.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5)),
    "sgd_piecewise_constant_decay": lambda: keras.optimizers.SGD(
        learning_rate=S.PiecewiseConstantDecay([1, 3], [0.1, 0.05, 0.01])),
    "sgd_cosine_decay": lambda: keras.optimizers.SGD(
        learning_rate=S.CosineDecay(0.1, decay_steps=4, alpha=0.1)),
    "sgd_cosine_decay_warmup": lambda: keras.optimizers.SGD(
        learning_rate=S.CosineDecay(0.0, decay_steps=3, warmup_target=0.1, warmup_steps=2)),
    "sgd_inverse_time_decay": lambda: keras.optimizers.SGD(
        learning_rate=S.InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.5, staircase=True)),
}

SHAPES = [(3, 4), (4,)]
STEPS = 5

# Variables wide enough for the vectorised update loops (16 floats at a time
# plus a tail), with gradients that are zero in places (velocity 0) and tiny
# in others.
WIDE_CASES = {
    "adam_wide": lambda: keras.optimizers.Adam(),
    "adam_amsgrad_wide": lambda: keras.optimizers.Adam(learning_rate=0.01, amsgrad=True),
    "adamw_wide": lambda: keras.optimizers.AdamW(),
}
WIDE_SHAPES = [(37, 29), (45,)]


def wide_gradient(rng, shape):
    g = rng.normal(0, 1, shape).astype("float32")
    flat = g.reshape(-1)
    flat[::7] = 0.0
    flat[3::11] *= 1e-6
    return g


def main():
    rng = np.random.default_rng(7)
    initial = [rng.normal(0, 1, s).astype("float32") for s in SHAPES]
    grads = [[rng.normal(0, 1, s).astype("float32") for s in SHAPES] for _ in range(STEPS)]
    write_cases(CASES, initial, grads)
    wide_rng = np.random.default_rng(11)
    wide_initial = [wide_rng.normal(0, 1, s).astype("float32") for s in WIDE_SHAPES]
    wide_grads = [[wide_gradient(wide_rng, s) for s in WIDE_SHAPES] for _ in range(STEPS)]
    write_cases(WIDE_CASES, wide_initial, wide_grads)


def write_cases(cases, initial, grads):
    for name, make in cases.items():
        d = OUT / name
        d.mkdir(parents=True, exist_ok=True)
        variables = [keras.Variable(w.copy(), name=f"w{i}") for i, w in enumerate(initial)]
        opt = make()
        for i, w in enumerate(initial):
            np.save(d / f"initial_{i}.npy", w)
        lrs = []
        for step in range(STEPS):
            lrs.append(float(keras.ops.convert_to_numpy(opt.learning_rate)))
            for i, g in enumerate(grads[step]):
                np.save(d / f"grad_{step}_{i}.npy", g)
            opt.apply([keras.ops.convert_to_tensor(g) for g in grads[step]], variables)
            if step in (0, STEPS - 1):
                for i, v in enumerate(variables):
                    np.save(d / f"after_{step + 1}_{i}.npy", keras.ops.convert_to_numpy(v))
        info = {
            "keras_version": keras.__version__,
            "class_name": opt.__class__.__name__,
            "config": {k: v for k, v in opt.get_config().items()
                       if isinstance(v, (int, float, bool, str, type(None)))},
            "steps": STEPS,
            "num_variables": len(initial),
            "learning_rates": lrs,
            "optimizer_variables": [v.path for v in opt.variables],
        }
        (d / "case.json").write_text(json.dumps(info, indent=1) + "\n")
        print(name, info["class_name"], [round(x, 6) for x in lrs])


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Write .weights.h5 files saved by real Keras, for the C++ load_weights tests.

    KERAS_BACKEND=jax python reference/make_weights_fixtures.py

Writes tests/fixtures/saving/<case>/ with model.json (model.to_json()),
model.weights.h5 (model.save_weights after one fit epoch with Adam, so the
optimizer's variables are in the file too), x.npy and y.npy (y =
model.predict(x) with the saved weights). The script deletes and rewrites
tests/fixtures/saving/ only.
"""

import json
import os
import shutil

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(os.path.dirname(HERE), "tests", "fixtures", "saving")


def sequential():
    return keras.Sequential(
        [keras.Input((3, 2)), layers.Dense(4), layers.Flatten(), layers.Dense(2)]
    )


def functional_time_distributed():
    a = keras.Input((5, 3), name="a")
    b = keras.Input((5, 3), name="b")
    h = layers.TimeDistributed(layers.Dense(4, activation="relu"))(a)
    h = layers.Add()([h, layers.Dense(4)(b)])
    out = layers.Dense(2)(h)
    return keras.Model([a, b], out)


CASES = {
    "sequential": (sequential, [(3, 2)], (2,)),
    "functional_time_distributed": (
        functional_time_distributed,
        [(5, 3), (5, 3)],
        (5, 2),
    ),
}


def main():
    shutil.rmtree(OUT_DIR, ignore_errors=True)
    for name, (make, input_shapes, output_shape) in CASES.items():
        keras.backend.clear_session()
        keras.utils.set_random_seed(1234)
        model = make()
        rng = np.random.default_rng(7)
        xs = [rng.standard_normal((4,) + s).astype(np.float32) for s in input_shapes]
        y_train = rng.standard_normal((4,) + output_shape).astype(np.float32)
        model.compile(optimizer="adam", loss="mse")
        inputs = xs[0] if len(xs) == 1 else xs
        model.fit(inputs, y_train, epochs=1, batch_size=2, verbose=0)
        case_dir = os.path.join(OUT_DIR, name)
        os.makedirs(case_dir)
        model.save_weights(os.path.join(case_dir, "model.weights.h5"))
        with open(os.path.join(case_dir, "model.json"), "w") as f:
            f.write(json.dumps(json.loads(model.to_json()), indent=1, sort_keys=True))
            f.write("\n")
        for i, x in enumerate(xs):
            np.save(os.path.join(case_dir, f"x_{i}.npy"), x)
        np.save(os.path.join(case_dir, "y.npy"), model.predict(inputs, verbose=0))


if __name__ == "__main__":
    main()

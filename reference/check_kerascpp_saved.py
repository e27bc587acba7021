#!/usr/bin/env python3
"""Load the .keras files kerascpp saved in real Keras, and check them.

    KERAS_BACKEND=jax python reference/check_kerascpp_saved.py

Reads tests/fixtures/saving_keras/kerascpp_saved/<case>/ (written by
`KERASCPP_WRITE_SAVED_FIXTURES=1 kerascpp_saving_tests
--gtest_filter='KerascppSaved.*'`): each model.keras must load with
keras.saving.load_model (safe_mode on, compiled), predict y_I.npy from x_I.npy
to 1e-5, and, where x_train.npy is present, continue training from kerascpp's
optimizer state: one more epoch of fit(batch_size=4, shuffle=False) must reach
kerascpp's weights_after_NN.npy to 1e-5 (a model with Dropout has no
weights_after files, as Keras draws other dropout masks: there the epoch must
run, advance the optimizer's iterations and move the weights, which stay
finite). Also saves each loaded model again
with Keras and loads that file, so the round trip C++ -> Keras -> Keras works.
Not run by CI; prints one line per case and exits 1 on any failure.
"""

import glob
import os
import sys
import tempfile

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(os.path.dirname(HERE), "tests", "fixtures", "saving_keras", "kerascpp_saved")


def numbered(d, prefix):
    files = sorted(glob.glob(os.path.join(d, prefix + "[0-9]*.npy")),
                   key=lambda p: int(os.path.basename(p)[len(prefix):-4]))
    return [np.load(f) for f in files]


def close(got, want, what):
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        raise AssertionError(f"{what}: shape {got.shape} != {want.shape}")
    err = np.max(np.abs(got - want) / np.maximum(1.0, np.abs(want)), initial=0.0)
    if err > 1e-5:
        raise AssertionError(f"{what}: max relative error {err:.3g}")
    return err


def check(d):
    name = os.path.basename(d)
    model = keras.saving.load_model(os.path.join(d, "model.keras"))
    xs = numbered(d, "x_")
    ys = numbered(d, "y_")
    out = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    out = out if isinstance(out, (list, tuple)) else [out]
    worst = max(close(o, y, f"{name} y_{i}") for i, (o, y) in enumerate(zip(out, ys)))
    notes = [f"predict max err {worst:.2g}"]
    if model.compiled:
        notes.append(f"compiled ({model.optimizer.__class__.__name__}, "
                     f"iterations={int(model.optimizer.iterations.numpy())})")
    if os.path.exists(os.path.join(d, "x_train.npy")):
        x = np.load(os.path.join(d, "x_train.npy"))
        y = np.load(os.path.join(d, "y_train.npy"))
        before = model.get_weights()
        iterations = int(model.optimizer.iterations.numpy())
        model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
        want = numbered(d, "weights_after_")
        got = model.get_weights()
        if want:
            assert len(got) == len(want), f"{name}: {len(got)} weights, want {len(want)}"
            worst = max(close(g, w, f"{name} weight {i}")
                        for i, (g, w) in enumerate(zip(got, want)))
            notes.append(f"training continues (weights max err {worst:.2g})")
        else:
            steps = -(-len(x) // 4)
            after = int(model.optimizer.iterations.numpy())
            assert after == iterations + steps, f"{name}: iterations {iterations} -> {after}"
            assert all(np.all(np.isfinite(w)) for w in got), f"{name}: non-finite weights"
            assert any(not np.array_equal(a, b) for a, b in zip(before, got)), \
                f"{name}: fit did not change the weights"
            notes.append(f"training continues (iterations {iterations} -> {after}; "
                         "dropout: weights not compared)")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "again.keras")
        model.save(path)
        keras.saving.load_model(path)
    notes.append("re-saved by Keras")
    return name + ": ok, " + ", ".join(notes)


def main():
    dirs = sorted(d for d in glob.glob(os.path.join(CASES, "*")) if os.path.isdir(d))
    if not dirs:
        sys.exit(f"no cases under {CASES}")
    failures = 0
    for d in dirs:
        try:
            print(check(d))
        except Exception as e:  # report every case, then fail
            failures += 1
            print(f"{os.path.basename(d)}: FAILED: {type(e).__name__}: {e}")
    print(f"keras {keras.__version__}: {len(dirs) - failures}/{len(dirs)} kerascpp files load and agree")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

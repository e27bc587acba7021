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

Then the same for the legacy .h5 files kerascpp saved,
tests/fixtures/legacy_h5_kerascpp_saved/<case>/ (written by
`KERASCPP_WRITE_SAVED_H5_FIXTURES=1 kerascpp_saving_tests
--gtest_filter='LegacyH5Saved.*'`): model.h5 must load with
keras.saving.load_model (compiled from its training_config), predict y_0.npy,
and continue training from kerascpp's optimizer_weights. Keras 3.15's legacy
loader cannot train on (it builds the optimizer for model._trainable_variables,
which is empty, assigns only iteration and learning_rate, and fit then fails:
"the optimizer was built with 0 variables"), so the script does what that
loader means to do: a fresh optimizer from the loaded one's config, built for
model.trainable_variables, set_weights(the file's optimizer_weights in order),
then one epoch of fit that must reach weights_after_NN.npy. Each loaded model
is saved again by Keras as .h5 and loaded back.
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
FIXTURES = os.path.join(os.path.dirname(HERE), "tests", "fixtures")
CASES = os.path.join(FIXTURES, "saving_keras", "kerascpp_saved")
H5_CASES = os.path.join(FIXTURES, "legacy_h5_kerascpp_saved")


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


def train_on_from_file(model, path):
    """What Keras' legacy loader means to do with optimizer_weights."""
    import h5py
    with h5py.File(path, "r") as f:
        group = f["optimizer_weights"]
        names = [n.decode("utf8") if hasattr(n, "decode") else n
                 for n in group.attrs["weight_names"]]
        values = [np.asarray(group[n]) for n in names]
    loaded = model.optimizer
    fresh = loaded.__class__.from_config(loaded.get_config())
    config = dict(model._compile_config.config)
    config["optimizer"] = fresh
    model.compile(**config)
    fresh.build(model.trainable_variables)
    assert len(values) == len(fresh.variables), \
        f"{len(values)} optimizer weights in the file, Keras' optimizer has {len(fresh.variables)}"
    fresh.set_weights(values)
    return int(fresh.iterations.numpy())


def check_h5(d):
    name = os.path.basename(d)
    path = os.path.join(d, "model.h5")
    model = keras.saving.load_model(path)
    out = model.predict(np.load(os.path.join(d, "x_0.npy")), verbose=0)
    notes = [f"predict max err {close(out, np.load(os.path.join(d, 'y_0.npy')), name):.2g}"]
    if model.compiled:
        notes.append(f"compiled ({model.optimizer.__class__.__name__})")
    if os.path.exists(os.path.join(d, "x_train.npy")):
        assert model.compiled, f"{name}: not compiled from its training_config"
        iterations = train_on_from_file(model, path)
        x = np.load(os.path.join(d, "x_train.npy"))
        y = np.load(os.path.join(d, "y_train.npy"))
        before = model.get_weights()
        model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
        got = model.get_weights()
        want = numbered(d, "weights_after_")
        if want:
            assert len(got) == len(want), f"{name}: {len(got)} weights, want {len(want)}"
            worst = max(close(g, w, f"{name} weight {i}")
                        for i, (g, w) in enumerate(zip(got, want)))
            notes.append(f"training continues from iteration {iterations} "
                         f"(weights max err {worst:.2g})")
        else:
            assert all(np.all(np.isfinite(w)) for w in got), f"{name}: non-finite weights"
            assert any(not np.array_equal(a, b) for a, b in zip(before, got)), \
                f"{name}: fit did not change the weights"
            notes.append(f"training continues from iteration {iterations} "
                         "(dropout: weights not compared)")
    with tempfile.TemporaryDirectory() as tmp:
        again = os.path.join(tmp, "again.h5")
        model.save(again)
        try:
            keras.saving.load_model(again, compile=False)
            notes.append("re-saved by Keras")
        except ValueError as e:
            # Keras 3 writes a functional model's NotEqual mask operation
            # without its module and then cannot read it; kerascpp keeps it.
            if "Unknown layer: 'NotEqual'" not in str(e):
                raise
            notes.append("re-saved by Keras (which cannot load its own re-saved file: "
                         "Unknown layer 'NotEqual')")
    return name + " (.h5): ok, " + ", ".join(notes)


def run(label, dirs, check_fn):
    failures = 0
    for d in dirs:
        try:
            print(check_fn(d))
        except Exception as e:  # report every case, then fail
            failures += 1
            print(f"{os.path.basename(d)}: FAILED: {type(e).__name__}: {e}")
    print(f"keras {keras.__version__}: {len(dirs) - failures}/{len(dirs)} kerascpp {label} files "
          "load and agree")
    return failures


def main():
    dirs = sorted(d for d in glob.glob(os.path.join(CASES, "*")) if os.path.isdir(d))
    h5_dirs = sorted(d for d in glob.glob(os.path.join(H5_CASES, "*")) if os.path.isdir(d))
    if not dirs or not h5_dirs:
        sys.exit(f"no cases under {CASES} or {H5_CASES}")
    failures = run(".keras", dirs, check) + run(".h5", h5_dirs, check_h5)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

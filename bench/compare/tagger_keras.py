#!/usr/bin/env python3
"""Time the seed sequence tagger in Keras 3 (JAX): training steps and batch-1 latency.

    KERAS_BACKEND=jax /work/venv/keras/bin/python bench/compare/tagger_keras.py
        [--steps N] [--warmup W] [--latency-calls C] [--mask-zero]

Model (DESIGN.md's tagger): Input((50,), int32) -> Embedding(10000, 64) ->
Bidirectional(LSTM(75, return_sequences=True), merge_mode="ave") ->
Dense(200) -> TimeDistributed(Dense(6, activation="softmax")), compiled with
optimizer="rmsprop" (lr 0.001) and loss="categorical_crossentropy", no
metrics.  Synthetic data as in tagger_torch.py: ids uniform in [1, 10000),
one-hot tags of 6 classes, batch 30, length 50.  --mask-zero adds
mask_zero=True to the Embedding (the LSTMs then run their masked loop).

Training: fit(..., batch_size=30, shuffle=False, verbose=0) on W batches
(this compiles the train step), then a timed fit on N batches.
Inference: one sequence (batch 1), the median of C calls after 10 warm-up
calls (3 after 1 for the eager call, which takes seconds: JAX traces the
LSTM loop again each time), for three ways of predicting: model(x) (eager),
model.predict_on_batch (Keras' compiled predict function) and jax.jit over
model.stateless_call.  The fastest is reported and named in predict_method;
so far that was always jit_stateless_call (predict_on_batch runs the same
kind of compiled function with Keras' Python around it; eager model(x) is
about 3 s per call here).  Prints one line:

    framework=keras-jax train_steps_per_second=<s> predict_latency_ms=<ms> peak_rss_mib=<n> ... predict_method=<m>

JAX uses its own thread pool (XLA's CPU client); XLA_FLAGS may limit it, e.g.
"--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=2".
"""

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "jax")
HERE = os.path.dirname(os.path.abspath(__file__))
VOCAB, EMBED, UNITS, HIDDEN, TAGS = 10000, 64, 75, 200, 6


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--latency-calls", type=int, default=200)
    p.add_argument("--eager-calls", type=int, default=3,
                   help="calls of the eager model(x) for its median (seconds each: "
                        "JAX traces the LSTM loop again on every eager call)")
    p.add_argument("--batch-size", type=int, default=30)
    p.add_argument("--seq-len", type=int, default=50)
    p.add_argument("--mask-zero", action="store_true")
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args()


def build_model(keras, layers, seq_len, mask_zero):
    tokens = keras.Input((seq_len,), dtype="int32")
    h = layers.Embedding(VOCAB, EMBED, mask_zero=mask_zero)(tokens)
    h = layers.Bidirectional(layers.LSTM(UNITS, return_sequences=True), merge_mode="ave")(h)
    h = layers.Dense(HIDDEN)(h)
    tags = layers.TimeDistributed(layers.Dense(TAGS, activation="softmax"))(h)
    model = keras.Model(tokens, tags)
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy")
    return model


def median_seconds(fn, calls, warmup=10):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(calls):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    args = parse_args()
    import jax
    import keras
    import numpy as np
    from keras import layers

    sys.path.insert(0, HERE)
    from fashion_mnist import peak_rss_mib

    keras.utils.set_random_seed(args.seed)
    model = build_model(keras, layers, args.seq_len, args.mask_zero)

    rng = np.random.default_rng(args.seed)
    bs = args.batch_size

    def data(n_batches):
        x = rng.integers(1, VOCAB, (n_batches * bs, args.seq_len), dtype=np.int32)
        y = np.eye(TAGS, dtype=np.float32)[rng.integers(0, TAGS, x.shape)]
        return x, y

    x, y = data(args.warmup)
    model.fit(x, y, batch_size=bs, epochs=1, shuffle=False, verbose=0)
    x, y = data(args.steps)
    t0 = time.perf_counter()
    hist = model.fit(x, y, batch_size=bs, epochs=1, shuffle=False, verbose=0)
    steps_per_second = args.steps / (time.perf_counter() - t0)
    print(f"tagger_keras: {args.steps} steps, {steps_per_second:.2f} steps/s, "
          f"loss {hist.history['loss'][-1]:.4f}", file=sys.stderr)

    one = rng.integers(1, VOCAB, (1, args.seq_len), dtype=np.int32)
    trainable = [v.value for v in model.trainable_variables]
    frozen = [v.value for v in model.non_trainable_variables]
    jitted = jax.jit(lambda tv, ntv, x: model.stateless_call(tv, ntv, x, training=False)[0])
    one_device = jax.numpy.asarray(one)
    ways = {
        "jit_stateless_call": (
            lambda: jitted(trainable, frozen, one_device).block_until_ready(),
            args.latency_calls,
            10,
        ),
        "predict_on_batch": (lambda: model.predict_on_batch(one), args.latency_calls, 10),
        "eager_call": (lambda: np.asarray(model(one, training=False)), args.eager_calls, 1),
    }
    latency = {}
    for name, (fn, calls, warmup) in ways.items():
        latency[name] = median_seconds(fn, calls, warmup)
        print(f"tagger_keras: predict {name}: {1e3 * latency[name]:.3f} ms", file=sys.stderr)
    best = min(latency, key=latency.get)

    print(f"framework=keras-{keras.backend.backend()} "
          f"train_steps_per_second={steps_per_second:.3f} "
          f"predict_latency_ms={1e3 * latency[best]:.3f} peak_rss_mib={peak_rss_mib():.0f} "
          f"batch_size={bs} seq_len={args.seq_len} steps={args.steps} "
          f"mask_zero={int(args.mask_zero)} predict_method={best}", flush=True)


if __name__ == "__main__":
    main()

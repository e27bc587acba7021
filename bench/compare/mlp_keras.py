#!/usr/bin/env python3
"""Time one training epoch of the Fashion-MNIST MLP in Keras 3 (JAX backend).

    KERAS_BACKEND=jax /work/venv/keras/bin/python bench/compare/mlp_keras.py [--epochs N]

Model: Sequential([Input((28, 28)), Flatten(), Rescaling(1/255),
Dense(512, relu), Dense(256, relu), Dense(10, softmax)]), Adam() defaults,
sparse_categorical_crossentropy, metrics=["accuracy"], batch 128, fit(...,
shuffle=True, verbose=0).  Images are given as uint8.  Epoch times come from
a callback (on_epoch_begin .. on_epoch_end); epoch 1 includes the XLA
compilation, so the reported figure is the median of epochs 2..N.  Prints:

    framework=keras-jax seconds_per_epoch=<s> test_accuracy=<a> peak_rss_mib=<n>
"""

import argparse
import os
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "jax")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args()


def main():
    args = parse_args()
    import keras
    from keras import layers

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import fashion_mnist

    keras.utils.set_random_seed(args.seed)
    x_train, y_train = fashion_mnist.load("train")
    x_test, y_test = fashion_mnist.load("test")

    model = keras.Sequential([
        keras.Input((28, 28)),
        layers.Flatten(),
        layers.Rescaling(1 / 255),
        layers.Dense(512, activation="relu"),
        layers.Dense(256, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])

    class EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self._t0 = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            dt = time.perf_counter() - self._t0
            self.seconds.append(dt)
            print(f"mlp_keras: epoch {epoch + 1}/{args.epochs} {dt:.3f}s "
                  f"loss {logs['loss']:.4f}", file=sys.stderr)

    timer = EpochTimer()
    model.fit(x_train, y_train, batch_size=args.batch_size, epochs=args.epochs,
              shuffle=True, verbose=0, callbacks=[timer])
    _, acc = model.evaluate(x_test, y_test, batch_size=1000, verbose=0)
    print(fashion_mnist.result_line(f"keras-{keras.backend.backend()}",
                                    timer.seconds, float(acc)), flush=True)


if __name__ == "__main__":
    main()

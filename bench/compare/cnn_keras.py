#!/usr/bin/env python3
"""Time training epochs of the Fashion-MNIST CNN in Keras 3 (JAX backend).

    KERAS_BACKEND=jax /work/venv/keras/bin/python bench/compare/cnn_keras.py [--epochs N] [--samples S]

Model, as examples/cnn_fashion_mnist.cpp and `kerascpp demo --model cnn`:
Sequential([Input((28, 28, 1)), Rescaling(1/255), Conv2D(32, 3, relu),
MaxPooling2D(), Conv2D(64, 3, relu), MaxPooling2D(), Flatten(), Dropout(0.5),
Dense(10, softmax)]), Adam() defaults, sparse_categorical_crossentropy,
metrics=["accuracy"], batch 128, fit(..., shuffle=True, verbose=0), uint8
images.  Epoch 1 includes the XLA compilation: the reported figure is the
median of epochs 2..N.  --samples trains on the first S images only (a quick
check of the script); times are then scaled to the full 60000.  Prints:

    framework=keras-jax seconds_per_epoch=<s> test_accuracy=<a> peak_rss_mib=<n> samples=<S>
"""

import argparse
import os
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "jax")

TRAIN_SIZE = 60000


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--samples", type=int, default=TRAIN_SIZE)
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
    x_train, y_train = x_train[: args.samples, :, :, None], y_train[: args.samples]
    x_test = x_test[:, :, :, None]
    scale = TRAIN_SIZE / x_train.shape[0]

    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Rescaling(1 / 255),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dropout(0.5),
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
            dt = (time.perf_counter() - self._t0) * scale
            self.seconds.append(dt)
            print(f"cnn_keras: epoch {epoch + 1}/{args.epochs} {dt:.3f}s (per 60000 images) "
                  f"loss {logs['loss']:.4f}", file=sys.stderr)

    timer = EpochTimer()
    model.fit(x_train, y_train, batch_size=args.batch_size, epochs=args.epochs,
              shuffle=True, verbose=0, callbacks=[timer])
    _, acc = model.evaluate(x_test, y_test, batch_size=1000, verbose=0)
    print(fashion_mnist.result_line(f"keras-{keras.backend.backend()}", timer.seconds,
                                    float(acc)) + f" samples={x_train.shape[0]}", flush=True)


if __name__ == "__main__":
    main()

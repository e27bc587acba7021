#!/usr/bin/python3
"""Time training epochs of the Fashion-MNIST CNN in PyTorch.

    /usr/bin/python3 bench/compare/cnn_torch.py [--epochs N] [--threads T] [--samples S]

Model (Keras' "simple convnet", as examples/cnn_fashion_mnist.cpp and
`kerascpp demo --model cnn`): x/255, Conv2d(1, 32, 3) + ReLU, MaxPool2d(2),
Conv2d(32, 64, 3) + ReLU, MaxPool2d(2), Flatten, Dropout(0.5), Linear(1600,
10) with softmax + sparse categorical crossentropy (fused as
CrossEntropyLoss on the logits, the usual PyTorch form); Adam(lr 1e-3, eps
1e-7 as in Keras), batch 128, shuffled every epoch, Glorot-uniform weights and
zero biases as in Keras.  --samples trains on the first S images only (a quick
check of the script); the time is then scaled to the full 60000.  Prints one
line:

    framework=pytorch seconds_per_epoch=<median of epochs 2..N> test_accuracy=<a> peak_rss_mib=<n> samples=<S>

BLAS set-up as in mlp_torch.py (the OpenMP build of OpenBLAS preloaded, a
kernel for this CPU, 2 threads); on a loaded host also set
OMP_WAIT_POLICY=PASSIVE.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mlp_torch  # noqa: E402  (blas_env / ensure_blas_env)

TRAIN_SIZE = 60000


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--samples", type=int, default=TRAIN_SIZE)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-preload", action="store_true")
    p.add_argument("--no-coretype", action="store_true")
    return p.parse_args()


def main():
    args = parse_args()
    mlp_torch.ensure_blas_env(args)

    import numpy as np
    import torch
    from torch import nn

    import fashion_mnist

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    x_train, y_train = fashion_mnist.load("train")
    x_test, y_test = fashion_mnist.load("test")
    x_train, y_train = x_train[: args.samples], y_train[: args.samples]
    # uint8 images with a channel axis, rescaled per batch (as Rescaling(1/255)).
    x_train = torch.from_numpy(np.ascontiguousarray(x_train[:, None]))
    y_train = torch.from_numpy(y_train.astype(np.int64))
    x_test = torch.from_numpy(np.ascontiguousarray(x_test[:, None]))
    y_test = torch.from_numpy(y_test.astype(np.int64))

    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10),
    )
    for m in model:
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()

    n = x_train.shape[0]
    bs = args.batch_size
    epoch_seconds = []
    for epoch in range(args.epochs):
        model.train()
        t0 = time.perf_counter()
        perm = torch.randperm(n)
        total, seen = 0.0, 0
        for start in range(0, n, bs):
            idx = perm[start:start + bs]
            xb = x_train[idx].float().mul_(1.0 / 255.0)
            yb = y_train[idx]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
            seen += len(idx)
        dt = (time.perf_counter() - t0) * TRAIN_SIZE / n
        epoch_seconds.append(dt)
        print(f"cnn_torch: epoch {epoch + 1}/{args.epochs} {dt:.3f}s (per 60000 images) "
              f"loss {total / seen:.4f}", file=sys.stderr)

    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, x_test.shape[0], 1000):
            xb = x_test[start:start + 1000].float().mul_(1.0 / 255.0)
            correct += int((model(xb).argmax(1) == y_test[start:start + 1000]).sum())
    acc = correct / x_test.shape[0]
    print(fashion_mnist.result_line("pytorch", epoch_seconds, acc) + f" samples={n}", flush=True)


if __name__ == "__main__":
    main()

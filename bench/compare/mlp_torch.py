#!/usr/bin/python3
"""Time one training epoch of the Fashion-MNIST MLP in PyTorch.

    /usr/bin/python3 bench/compare/mlp_torch.py [--epochs N] [--threads T]

Model: Flatten, x/255, Dense(512, relu), Dense(256, relu), Dense(10) with
softmax + sparse categorical crossentropy (fused as CrossEntropyLoss on the
logits, the usual PyTorch form); Adam(lr 1e-3, eps 1e-7 as in Keras), batch
128, data shuffled every epoch, Glorot-uniform kernels and zero biases as in
Keras.  Prints one line:

    framework=pytorch seconds_per_epoch=<median of epochs 2..N> test_accuracy=<a> peak_rss_mib=<n>

Uses Debian's python3-torch.  Its BLAS is libblas.so.3, by default the
pthread build of OpenBLAS, whose thread pool fights PyTorch's OpenMP pool on
2 cores; so unless LD_PRELOAD already names it (or --no-preload is given)
the script re-executes itself with the OpenMP build of OpenBLAS preloaded
(see /work/shared/perf-notes.md), and with OPENBLAS_CORETYPE set when
OpenBLAS 0.3.21 would not recognise the CPU (see blas_env).  On a loaded
host also set OMP_WAIT_POLICY=PASSIVE (busy-waiting OpenMP threads that get
descheduled made an epoch take 179 s instead of 10 s at load 7).
"""

import argparse
import os
import sys
import time

OPENMP_OPENBLAS = "/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-preload", action="store_true",
                   help="do not preload the OpenMP build of OpenBLAS")
    p.add_argument("--no-coretype", action="store_true",
                   help="do not set OPENBLAS_CORETYPE (let OpenBLAS detect the CPU)")
    return p.parse_args()


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def blas_env(args):
    """Environment changes for a fair OpenBLAS: the OpenMP build, and a
    kernel for this CPU.  OpenBLAS 0.3.21 (Debian 12) does not recognise
    recent Intel models (e.g. family 6 model 207) and falls back to its
    generic "Prescott" SSE3 kernel: 13-20 GFLOP/s instead of 60-120 on the
    128x784x512 GEMM.  OPENBLAS_CORETYPE picks the AVX-512 (SkylakeX) or
    AVX2 (Haswell) kernel instead, unless the caller set it."""
    env = {}
    if not args.no_preload and "openblas-openmp" not in os.environ.get("LD_PRELOAD", ""):
        if os.path.exists(OPENMP_OPENBLAS):
            env["LD_PRELOAD"] = " ".join(
                x for x in (OPENMP_OPENBLAS, os.environ.get("LD_PRELOAD")) if x)
        else:
            print(f"mlp_torch: {OPENMP_OPENBLAS} not found; running without it",
                  file=sys.stderr)
    if not args.no_coretype and "OPENBLAS_CORETYPE" not in os.environ:
        flags = cpu_flags()
        if "avx512f" in flags:
            env["OPENBLAS_CORETYPE"] = "SkylakeX"
        elif "avx2" in flags:
            env["OPENBLAS_CORETYPE"] = "Haswell"
    if "OMP_NUM_THREADS" not in os.environ:
        env["OMP_NUM_THREADS"] = str(args.threads)
    return env


def ensure_blas_env(args):
    """Re-execute once with blas_env() applied (LD_PRELOAD and the OpenBLAS
    variables are read when the library loads, i.e. at `import torch`)."""
    changes = blas_env(args)
    if not changes or os.environ.get("MLP_TORCH_REEXEC"):
        return
    env = dict(os.environ, MLP_TORCH_REEXEC="1", **changes)
    print("mlp_torch: " + " ".join(f"{k}={v}" for k, v in changes.items()),
          file=sys.stderr)
    os.execve(sys.executable, [sys.executable] + sys.argv, env)


def main():
    args = parse_args()
    ensure_blas_env(args)

    import numpy as np
    import torch
    from torch import nn

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import fashion_mnist

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    x_train, y_train = fashion_mnist.load("train")
    x_test, y_test = fashion_mnist.load("test")
    # uint8 images, rescaled per batch (like Rescaling(1/255) in the model).
    x_train = torch.from_numpy(np.ascontiguousarray(x_train))
    y_train = torch.from_numpy(y_train.astype(np.int64))
    x_test = torch.from_numpy(np.ascontiguousarray(x_test))
    y_test = torch.from_numpy(y_test.astype(np.int64))

    model = nn.Sequential(
        nn.Flatten(),
        nn.Linear(784, 512), nn.ReLU(),
        nn.Linear(512, 256), nn.ReLU(),
        nn.Linear(256, 10),
    )
    for m in model:
        if isinstance(m, nn.Linear):
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
        dt = time.perf_counter() - t0
        epoch_seconds.append(dt)
        print(f"mlp_torch: epoch {epoch + 1}/{args.epochs} {dt:.3f}s "
              f"loss {total / seen:.4f}", file=sys.stderr)

    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, x_test.shape[0], 1000):
            xb = x_test[start:start + 1000].float().mul_(1.0 / 255.0)
            correct += int((model(xb).argmax(1) == y_test[start:start + 1000]).sum())
    acc = correct / x_test.shape[0]
    print(fashion_mnist.result_line("pytorch", epoch_seconds, acc), flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Time the seed sequence tagger in PyTorch: training steps and batch-1 latency.

    /usr/bin/python3 bench/compare/tagger_torch.py [--steps N] [--warmup W]
        [--latency-calls C] [--threads T]

Model (DESIGN.md's tagger): Embedding(10000, 64, padding_idx=0) ->
LSTM(64, 75, bidirectional=True, batch_first=True) with the two directions
averaged (Keras' merge_mode="ave") -> Linear(75, 200) -> Linear(200, 6), with
softmax cross-entropy on the logits (CrossEntropyLoss, the usual PyTorch form
of Dense(6, softmax) + categorical_crossentropy).  RMSprop with Keras'
defaults: lr 0.001, rho (alpha) 0.9, epsilon 1e-7.  Synthetic data: token ids
uniform in [1, 10000) (no padding, so padding_idx changes nothing), tags
uniform in [0, 6), batch 30, length 50, 2 threads (torch.set_num_threads).

Training: W warm-up steps, then N timed steps (forward, backward, update)
cycling over 8 prepared batches.  Inference: model.eval() under
torch.inference_mode(), one sequence (batch 1, length 50), the median of C
calls after 10 warm-up calls.  Prints one line:

    framework=pytorch train_steps_per_second=<s> predict_latency_ms=<ms> peak_rss_mib=<n> ...

Like mlp_torch.py it re-executes itself once with the OpenMP build of
OpenBLAS preloaded and OPENBLAS_CORETYPE set on CPUs OpenBLAS 0.3.21 does
not recognise (see mlp_torch.blas_env); --no-preload / --no-coretype turn
that off.  On a loaded host set OMP_WAIT_POLICY=PASSIVE (the driver
run_tagger_comparison.sh does): at load 8 on 2 cores this script made 0.23
steps/s with busy-waiting OpenMP threads and 15.7 with passive ones.
"""

import argparse
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
VOCAB, EMBED, UNITS, HIDDEN, TAGS = 10000, 64, 75, 200, 6


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--latency-calls", type=int, default=200)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=30)
    p.add_argument("--seq-len", type=int, default=50)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-preload", action="store_true",
                   help="do not preload the OpenMP build of OpenBLAS")
    p.add_argument("--no-coretype", action="store_true",
                   help="do not set OPENBLAS_CORETYPE (let OpenBLAS detect the CPU)")
    return p.parse_args()


def ensure_blas_env(args):
    """Re-execute once with mlp_torch.blas_env() applied: LD_PRELOAD and the
    OpenBLAS variables are read when the library loads (at import torch)."""
    sys.path.insert(0, HERE)
    from mlp_torch import blas_env

    changes = blas_env(args)
    if not changes or os.environ.get("TAGGER_TORCH_REEXEC"):
        return
    env = dict(os.environ, TAGGER_TORCH_REEXEC="1", **changes)
    print("tagger_torch: " + " ".join(f"{k}={v}" for k, v in changes.items()),
          file=sys.stderr)
    os.execve(sys.executable, [sys.executable] + sys.argv, env)


def build_model(torch, nn):
    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(VOCAB, EMBED, padding_idx=0)
            self.lstm = nn.LSTM(EMBED, UNITS, bidirectional=True, batch_first=True)
            self.dense = nn.Linear(UNITS, HIDDEN)
            self.tags = nn.Linear(HIDDEN, TAGS)
            # Keras' initialisers where they are simple to state.
            nn.init.uniform_(self.embedding.weight, -0.05, 0.05)
            with torch.no_grad():
                self.embedding.weight[0].zero_()
            for m in (self.dense, self.tags):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)

        def forward(self, tokens):
            h, _ = self.lstm(self.embedding(tokens))
            forward, backward = h.chunk(2, dim=-1)
            h = (forward + backward) * 0.5  # merge_mode="ave"
            return self.tags(self.dense(h))  # logits; softmax is in the loss

    return Tagger()


def main():
    args = parse_args()
    ensure_blas_env(args)

    import torch
    from torch import nn

    sys.path.insert(0, HERE)
    from fashion_mnist import peak_rss_mib

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = build_model(torch, nn)
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()

    g = torch.Generator().manual_seed(args.seed)
    shape = (args.batch_size, args.seq_len)
    batches = [(torch.randint(1, VOCAB, shape, generator=g),
                torch.randint(0, TAGS, shape, generator=g)) for _ in range(8)]

    def step(i):
        x, y = batches[i % len(batches)]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x).reshape(-1, TAGS), y.reshape(-1))
        loss.backward()
        opt.step()
        return loss

    model.train()
    for i in range(args.warmup):
        step(i)
    t0 = time.perf_counter()
    for i in range(args.steps):
        loss = step(i)
    loss = float(loss)  # waits for the last step
    steps_per_second = args.steps / (time.perf_counter() - t0)
    print(f"tagger_torch: {args.steps} steps, {steps_per_second:.2f} steps/s, "
          f"last loss {loss:.4f}", file=sys.stderr)

    model.eval()
    one = torch.randint(1, VOCAB, (1, args.seq_len), generator=g)
    times = []
    with torch.inference_mode():
        for i in range(10 + args.latency_calls):
            t0 = time.perf_counter()
            probs = torch.softmax(model(one), dim=-1)
            dt = time.perf_counter() - t0
            if i >= 10:
                times.append(dt)
    assert probs.shape == (1, args.seq_len, TAGS)
    latency_ms = 1e3 * statistics.median(times)

    print(f"framework=pytorch train_steps_per_second={steps_per_second:.3f} "
          f"predict_latency_ms={latency_ms:.3f} peak_rss_mib={peak_rss_mib():.0f} "
          f"batch_size={args.batch_size} seq_len={args.seq_len} steps={args.steps} "
          f"threads={args.threads} predict_method=eager", flush=True)


if __name__ == "__main__":
    main()

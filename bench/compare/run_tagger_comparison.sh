#!/bin/sh
# The seed sequence tagger (Embedding 10000x64 -> BiLSTM 75 "ave" -> Dense 200
# -> TimeDistributed Dense 6 softmax, batch 30, length 50): training steps per
# second and batch-1 inference latency, PyTorch vs Keras (JAX) vs kerascpp.
#
#   bench/compare/run_tagger_comparison.sh [--steps N] [KERASCPP_COMMAND...]
#
# Runs bench/compare/tagger_torch.py (Debian python3-torch, OpenMP OpenBLAS
# preloaded, 2 threads), bench/compare/tagger_keras.py (venv
# ${KERAS_VENV:-/work/venv/keras}, JAX backend) and, if given, the kerascpp
# command, which must print a line
#   framework=kerascpp train_steps_per_second=<s> predict_latency_ms=<ms> [key=value ...]
# (N, the number of timed steps, is passed to it as KERASCPP_TAGGER_STEPS).
# Then prints a table and, per framework, the ratios
#   train: kerascpp steps/s / other steps/s; latency: other ms / kerascpp ms
# (> 1 means kerascpp is faster).  The programs run one after the other; the
# load average is printed because on a shared 2-core host timings swing by
# up to 2x.  OMP_WAIT_POLICY defaults to PASSIVE (see run_mlp_comparison.sh).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
STEPS=50
if [ "${1:-}" = "--steps" ]; then
    STEPS=$2
    shift 2
fi
KERAS_VENV=${KERAS_VENV:-/work/venv/keras}
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT

echo "== load before: $(cat /proc/loadavg)" >&2
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
echo "== OMP_WAIT_POLICY=$OMP_WAIT_POLICY" >&2
if awk '{ exit !($1 > 2.5) }' /proc/loadavg; then
    echo "warning: load average above 2.5: timings will be noisy" >&2
fi
echo "== pytorch ($STEPS steps)" >&2
/usr/bin/python3 "$HERE/tagger_torch.py" --steps "$STEPS" --threads 2 | tee -a "$OUT"
echo "== keras-jax ($STEPS steps)" >&2
KERAS_BACKEND=jax "$KERAS_VENV/bin/python" "$HERE/tagger_keras.py" --steps "$STEPS" | tee -a "$OUT"
if [ $# -gt 0 ]; then
    echo "== kerascpp: $*" >&2
    KERASCPP_TAGGER_STEPS=$STEPS "$@" | tee -a "$OUT"
fi
echo "== load after: $(cat /proc/loadavg)" >&2

/usr/bin/python3 - "$OUT" <<'EOF'
import sys

FIELDS = ("train_steps_per_second", "predict_latency_ms")
results = {}
for line in open(sys.argv[1]):
    kv = dict(tok.split("=", 1) for tok in line.split() if "=" in tok)
    if "framework" in kv and all(f in kv for f in FIELDS):
        try:
            results[kv["framework"]] = {f: float(kv[f]) for f in FIELDS} | {
                "peak_rss_mib": float(kv.get("peak_rss_mib", "nan")),
                "predict_method": kv.get("predict_method", "-"),
            }
        except ValueError:
            pass
if not results:
    sys.exit("run_tagger_comparison: no result lines")
print(f"{'framework':<12} {'steps/s':>9} {'latency_ms':>11} {'peak_MiB':>9}  predict_method")
for name, r in results.items():
    print(f"{name:<12} {r['train_steps_per_second']:>9.2f} {r['predict_latency_ms']:>11.3f} "
          f"{r['peak_rss_mib']:>9.0f}  {r['predict_method']}")
base = results.get("kerascpp")
if base is None:
    print("(no kerascpp result: no ratios)")
    sys.exit(0)
for name, r in results.items():
    if name == "kerascpp":
        continue
    train = base["train_steps_per_second"] / r["train_steps_per_second"]
    latency = r["predict_latency_ms"] / base["predict_latency_ms"]
    print(f"ratio {name}/kerascpp: train_speed={train:.2f} predict_latency={latency:.2f} "
          "(> 1: kerascpp faster)")
EOF

#!/bin/sh
# Fashion-MNIST MLP, one training epoch: PyTorch vs Keras (JAX) vs kerascpp.
#
#   bench/compare/run_mlp_comparison.sh [--epochs N] [KERASCPP_COMMAND...]
#
# Runs bench/compare/mlp_torch.py (Debian python3-torch, OpenMP OpenBLAS
# preloaded, 2 threads), bench/compare/mlp_keras.py (venv
# ${KERAS_VENV:-/work/venv/keras}, JAX backend) and, if given, the kerascpp
# command (e.g. build/examples/demo --model mlp --epochs 5), which must print
#   demo: model=mlp epochs=5 seconds_per_epoch=<s> test_accuracy=<a> peak_rss_mib=<n>
# Then prints a table and the ratios other/kerascpp.  The programs run one
# after the other (never at the same time); the load average is printed
# because on a shared 2-core host timings swing by up to 2x.  Environment
# variables (OMP_WAIT_POLICY, KERAS_VENV, FASHION_MNIST_DIR) pass through.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
EPOCHS=2
if [ "${1:-}" = "--epochs" ]; then
    EPOCHS=$2
    shift 2
fi
KERAS_VENV=${KERAS_VENV:-/work/venv/keras}
OPENMP_OPENBLAS=/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT

echo "== load before: $(cat /proc/loadavg)" >&2
# With more runnable threads than cores, libgomp's busy-waiting threads get
# descheduled at every barrier: PyTorch took 48-179 s/epoch instead of 2-10 s
# at load 4-9 on 2 cores.  So OMP_WAIT_POLICY defaults to PASSIVE here, for
# every program (set OMP_WAIT_POLICY=ACTIVE to measure on an idle host).
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
echo "== OMP_WAIT_POLICY=$OMP_WAIT_POLICY" >&2
if awk '{ exit !($1 > 2.5) }' /proc/loadavg; then
    echo "warning: load average above 2.5: timings will be noisy" >&2
fi
echo "== pytorch ($EPOCHS epochs)" >&2
LD_PRELOAD=$OPENMP_OPENBLAS OMP_NUM_THREADS=${OMP_NUM_THREADS:-2} \
    /usr/bin/python3 "$HERE/mlp_torch.py" --epochs "$EPOCHS" --threads 2 | tee -a "$OUT"
echo "== keras-jax ($EPOCHS epochs)" >&2
KERAS_BACKEND=jax "$KERAS_VENV/bin/python" "$HERE/mlp_keras.py" --epochs "$EPOCHS" | tee -a "$OUT"
if [ $# -gt 0 ]; then
    echo "== kerascpp: $*" >&2
    "$@" | tee -a "$OUT"
fi
echo "== load after: $(cat /proc/loadavg)" >&2
/usr/bin/python3 "$HERE/summarize_comparison.py" < "$OUT"

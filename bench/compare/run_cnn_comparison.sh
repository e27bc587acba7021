#!/bin/sh
# Fashion-MNIST CNN, training epochs: PyTorch vs Keras (JAX) vs kerascpp.
#
#   bench/compare/run_cnn_comparison.sh [--epochs N] [--samples S] [KERASCPP_COMMAND...]
#
# Runs bench/compare/cnn_torch.py (Debian python3-torch, OpenMP OpenBLAS
# preloaded, 2 threads), bench/compare/cnn_keras.py (venv
# ${KERAS_VENV:-/work/venv/keras}, JAX backend) and, if given, the kerascpp
# command, e.g.
#   build/tools/kerascpp/kerascpp demo --model cnn --epochs 2 --verbose 0
# which must print
#   demo: model=cnn epochs=2 seconds_per_epoch=<s> test_accuracy=<a> peak_rss_mib=<n>
# Then prints a table and the ratios other/kerascpp (bench/compare/
# summarize_comparison.py).  Each Python script reports the median of epochs
# 2..N (epoch 1 holds compilation and warm-up).  --samples S makes the Python
# runs train on S images only, their times scaled to 60000: a quick check that
# everything runs, not a measurement.  The programs run one after the other;
# the load average is printed because on a shared 2-core host timings swing by
# up to 2x.  Environment variables (OMP_WAIT_POLICY, KERAS_VENV,
# FASHION_MNIST_DIR) pass through.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
EPOCHS=2
SAMPLES=60000
while [ $# -gt 0 ]; do
    case "$1" in
        --epochs) EPOCHS=$2; shift 2 ;;
        --samples) SAMPLES=$2; shift 2 ;;
        *) break ;;
    esac
done
KERAS_VENV=${KERAS_VENV:-/work/venv/keras}
OPENMP_OPENBLAS=/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT

echo "== load before: $(cat /proc/loadavg)" >&2
# Busy-waiting OpenMP threads get descheduled at every barrier on a loaded
# host (see run_mlp_comparison.sh): PASSIVE unless the caller chose.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
echo "== OMP_WAIT_POLICY=$OMP_WAIT_POLICY" >&2
if awk '{ exit !($1 > 2.5) }' /proc/loadavg; then
    echo "warning: load average above 2.5: timings will be noisy" >&2
fi
echo "== pytorch ($EPOCHS epochs, $SAMPLES images)" >&2
LD_PRELOAD=$OPENMP_OPENBLAS OMP_NUM_THREADS=${OMP_NUM_THREADS:-2} \
    /usr/bin/python3 "$HERE/cnn_torch.py" --epochs "$EPOCHS" --threads 2 --samples "$SAMPLES" \
    | tee -a "$OUT"
echo "== keras-jax ($EPOCHS epochs, $SAMPLES images)" >&2
KERAS_BACKEND=jax "$KERAS_VENV/bin/python" "$HERE/cnn_keras.py" --epochs "$EPOCHS" \
    --samples "$SAMPLES" | tee -a "$OUT"
if [ $# -gt 0 ]; then
    echo "== kerascpp: $*" >&2
    "$@" | tee -a "$OUT"
fi
echo "== load after: $(cat /proc/loadavg)" >&2
/usr/bin/python3 "$HERE/summarize_comparison.py" < "$OUT"

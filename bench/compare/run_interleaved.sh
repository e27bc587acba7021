#!/bin/sh
# Two or more kerascpp demo configurations, run in turn, round after round.
#
#   bench/compare/run_interleaved.sh [--rounds N] [--epochs N] [--model M] CONFIG...
#
# Each CONFIG is a command that runs the kerascpp tool, optionally with
# environment assignments in front, e.g.
#
#   bench/compare/run_interleaved.sh --rounds 4 \
#       "KERASCPP_GEMM=blas build/release/tools/kerascpp/kerascpp" \
#       "build/release/tools/kerascpp/kerascpp"
#
# On a shared 2-core machine one configuration's seconds per epoch drift by
# several percent from one minute to the next; running the configurations in
# turn puts them on the same drift, so a difference of a few percent shows.
# Prints, per configuration, the best and the median seconds per epoch and
# every run's figure. OMP_WAIT_POLICY defaults to ACTIVE (an idle machine).
set -eu
ROUNDS=3
EPOCHS=3
MODEL=mlp
while [ $# -gt 0 ]; do
    case $1 in
        --rounds) ROUNDS=$2; shift 2 ;;
        --epochs) EPOCHS=$2; shift 2 ;;
        --model) MODEL=$2; shift 2 ;;
        *) break ;;
    esac
done
if [ $# -lt 1 ]; then
    echo "usage: $0 [--rounds N] [--epochs N] [--model M] CONFIG..." >&2
    exit 2
fi
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-ACTIVE}"
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
round=1
while [ "$round" -le "$ROUNDS" ]; do
    index=1
    for config in "$@"; do
        line=$(sh -c "$config demo --model $MODEL --epochs $EPOCHS --verbose 0" | tail -n 1)
        seconds=$(echo "$line" | sed -n 's/.*seconds_per_epoch=\([0-9.]*\).*/\1/p')
        if [ -z "$seconds" ]; then
            echo "error: config $index printed no seconds_per_epoch: $line" >&2
            exit 1
        fi
        echo "$index $seconds" >> "$OUT"
        index=$((index + 1))
    done
    round=$((round + 1))
done
index=1
for config in "$@"; do
    runs=$(awk -v i="$index" '$1 == i { print $2 }' "$OUT" | sort -n)
    best=$(echo "$runs" | head -n 1)
    median=$(echo "$runs" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    echo "config $index: best $best median $median s/epoch (runs: $(echo "$runs" | tr '\n' ' '))  $config"
    index=$((index + 1))
done

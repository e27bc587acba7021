#!/bin/sh
# CTest: `kerascpp demo` trains the MLP for 5 epochs and must reach the issue's
# 88% test accuracy; its last line must be the machine-readable summary.
set -eu
last=$("$1" demo --verbose 0 | tail -n 1)
echo "$last"
echo "$last" | grep -Eq '^demo: model=mlp epochs=5 seconds_per_epoch=[0-9.]+ test_accuracy=0\.[0-9]{4} peak_rss_mib=[0-9]+$'
accuracy=$(echo "$last" | sed -E 's/.*test_accuracy=([0-9.]+).*/\1/')
awk -v a="$accuracy" 'BEGIN { exit !(a >= 0.88) }'

#!/bin/sh
# Issue 6's speed figure: loading the seed tagger's .keras file and predicting
# one sequence, as a whole process, kerascpp vs Keras:
#   kerascpp predict seed_tagger.keras x.npy -o y.npy
#   python -c "import keras; keras.saving.load_model(...).predict(...)"
#
#   bench/compare/run_predict_process_comparison.sh [--runs N] KERASCPP_BINARY
#
# The model (Embedding(10000, 64, mask_zero=True) -> Bidirectional(LSTM(75,
# return_sequences=True), "ave") -> Dense(200) -> TimeDistributed(Dense(6,
# softmax)), length 50) and one padded sequence are made by Keras in a
# temporary folder (never in git). Each command runs N times (default 5) one
# after the other; the script prints every wall time, the medians, the ratio
# (python / kerascpp, > 1 means kerascpp is faster) and checks that both
# predictions agree to 1e-5.
set -eu
RUNS=5
if [ "${1:-}" = "--runs" ]; then
    RUNS=$2
    shift 2
fi
if [ $# -ne 1 ]; then
    echo "usage: $0 [--runs N] path/to/kerascpp" >&2
    exit 2
fi
KERASCPP=$1
KERAS_VENV=${KERAS_VENV:-/work/venv/keras}
PY="$KERAS_VENV/bin/python"
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
export KERAS_BACKEND=jax

echo "== load before: $(cat /proc/loadavg)" >&2
"$PY" - "$DIR" <<'PYEOF'
import os, sys
import numpy as np
import keras
from keras import layers
d = sys.argv[1]
keras.utils.set_random_seed(1)
inp = keras.Input((50,), dtype="int32")
h = layers.Embedding(10000, 64, mask_zero=True)(inp)
h = layers.Bidirectional(layers.LSTM(75, return_sequences=True), merge_mode="ave")(h)
h = layers.Dense(200)(h)
out = layers.TimeDistributed(layers.Dense(6, activation="softmax"))(h)
model = keras.Model(inp, out)
model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
model.save(os.path.join(d, "seed_tagger.keras"))
x = np.zeros((1, 50), dtype=np.int32)
x[0, :37] = np.random.default_rng(2).integers(1, 10000, 37)
np.save(os.path.join(d, "x.npy"), x)
PYEOF
ls -l "$DIR/seed_tagger.keras" >&2

cat > "$DIR/predict.py" <<'PYEOF'
import sys
import numpy as np
import keras
model = keras.saving.load_model(sys.argv[1])
np.save(sys.argv[3], model.predict(np.load(sys.argv[2]), verbose=0))
PYEOF

# Wall seconds of one run of "$@", its output discarded.
wall() {
    start=$(date +%s.%N)
    "$@" > /dev/null 2>&1
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }' 
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: > "$DIR/cpp.txt"
: > "$DIR/py.txt"
i=0
while [ $i -lt "$RUNS" ]; do
    wall "$KERASCPP" predict "$DIR/seed_tagger.keras" "$DIR/x.npy" -o "$DIR/y_cpp.npy" >> "$DIR/cpp.txt"
    wall "$PY" "$DIR/predict.py" "$DIR/seed_tagger.keras" "$DIR/x.npy" "$DIR/y_py.npy" >> "$DIR/py.txt"
    i=$((i + 1))
done
echo "== load after: $(cat /proc/loadavg)" >&2
echo "kerascpp predict (s): $(tr '\n' ' ' < "$DIR/cpp.txt")"
echo "python load_model+predict (s): $(tr '\n' ' ' < "$DIR/py.txt")"
CPP=$(median < "$DIR/cpp.txt")
PYT=$(median < "$DIR/py.txt")
echo "median: kerascpp $CPP s, python $PYT s, ratio $(awk -v a="$PYT" -v b="$CPP" 'BEGIN { printf "%.1f", a / b }')x"
"$PY" - "$DIR/y_cpp.npy" "$DIR/y_py.npy" <<'PYEOF'
import sys
import numpy as np
a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
err = float(np.max(np.abs(a - b)))
print(f"predictions agree: max |kerascpp - keras| = {err:.2e}")
sys.exit(0 if a.shape == b.shape and err <= 1e-5 else 1)
PYEOF

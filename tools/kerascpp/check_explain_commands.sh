#!/bin/sh
# CTest: `kerascpp explain` and `kerascpp plot` on .keras files saved by real
# Keras (tests/fixtures/saving_keras/models): the explanation of the
# 60-parameter seed model, written out by hand below; the DOT graph of a
# two-output model; .svg/.png drawn only when Graphviz's dot is installed;
# and the exit codes (0 success, 1 failed run, 2 bad usage).
# Usage: check_explain_commands.sh KERASCPP FIXTURES_DIR WORK_DIR
set -u
tool=$1
fixtures=$2/saving_keras/models
work=$3
. "$(dirname "$0")/command_check_harness.sh"

# ---- explain ----
cat >"$work/want_explain" <<'TEXT'
Model: "sequential" (Sequential): (None, 20, 5) -> (None, 20, 10)

dense (Dense): (None, 20, 5) -> (None, 20, 10)
  y[b,t,u] = sum_c x[b,t,c] * kernel[c,u] + bias[u]
  contracts the last axis (5 -> 10); the same kernel is used at each of the 20 positions
  params: kernel (5, 10) = 50 + bias (10,) = 10 -> 60

Total params: 60 (trainable: 60, non-trainable: 0)
TEXT
expect_exit 0 "$tool" explain "$fixtures/seed1_dense_20x5/model.keras"
cmp -s "$work/out" "$work/want_explain" || {
  fail "explain of seed1_dense_20x5 differs:"
  diff "$work/out" "$work/want_explain"
}
expect_exit 0 "$tool" explain "$fixtures/seed4_tagger_small/model.keras"
grep -q "i.e. 4 \* units \* (input_dim + units + 1) = 4 \* 5 \* (8 + 5 + 1) = 280" "$work/out" ||
  fail "the tagger's explanation lacks the LSTM parameter rule"
grep -q "params: forward_lstm: 280 + backward_lstm: 280 -> 560" "$work/out" ||
  fail "the tagger's explanation lacks Bidirectional's two copies"
expect_exit 0 "$tool" explain --help
expect_exit 1 "$tool" explain "$work/absent.keras"
grep -q "absent.keras" "$work/err" || fail "the error does not name the file: $(cat "$work/err")"
expect_exit 2 "$tool" explain

# ---- plot ----
m=$fixtures/functional_multi_io_shared/model.keras
expect_exit 0 "$tool" plot "$m"
cp "$work/out" "$work/stdout.dot"
for line in \
  '  "dense" [label="dense\nDense\n56 params"];' \
  '  "input_layer" -> "dense" [label="(None, 4, 6)"];' \
  '  "input_layer_1" -> "dense" [label="(None, 4, 6)"];' \
  '  "flatten" -> "dense_2" [label="(None, 32)"];' \
  '  "dense_2" -> "/output_1" [label="(None, 2)"];'; do
  grep -qxF "$line" "$work/stdout.dot" || fail "plot lacks the line: $line"
done
head -1 "$work/stdout.dot" | grep -qxF 'digraph "functional" {' || fail "plot does not start a digraph"
expect_exit 0 "$tool" plot "$m" -o "$work/model.dot" --rankdir LR --show-dtype
grep -qF 'rankdir="LR"' "$work/model.dot" || fail "--rankdir LR is not in model.dot"
grep -qF '[label="(None, 4, 6) float32"]' "$work/model.dot" || fail "--show-dtype is not in model.dot"
if command -v dot >/dev/null 2>&1; then
  expect_exit 0 "$tool" plot "$m" -o "$work/model.svg"
  grep -q "<svg" "$work/model.svg" || fail "model.svg is not an SVG file"
else
  expect_exit 1 "$tool" plot "$m" -o "$work/model.svg"
  grep -q "graphviz" "$work/err" || fail "the error does not say to install graphviz"
  [ ! -e "$work/model.svg" ] || fail "model.svg was written without dot"
fi
# The drawing step, with a stand-in for Graphviz's dot that records how it
# was run: -T<format> -o OUT, then the DOT file, which is removed afterwards.
mkdir -p "$work/bin"
cat >"$work/bin/dot" <<'FAKE'
#!/bin/sh
echo "$@" >"$(dirname "$0")/args"
cp "$4" "$(dirname "$0")/input.dot"
printf 'drawn\n' >"$3"
FAKE
chmod +x "$work/bin/dot"
expect_exit 0 env PATH="$work/bin:$PATH" "$tool" plot "$m" -o "$work/fake.png"
[ "$(cat "$work/fake.png" 2>/dev/null)" = "drawn" ] || fail "plot -o fake.png did not run dot"
grep -q "^-Tpng -o $work/fake.png $work/fake.png.dot.tmp\$" "$work/bin/args" ||
  fail "dot was run as: $(cat "$work/bin/args")"
cmp -s "$work/bin/input.dot" "$work/stdout.dot" || fail "dot was given other DOT text"
[ ! -e "$work/fake.png.dot.tmp" ] || fail "the temporary DOT file was left behind"
grep -qxF "$work/fake.png" "$work/out" || fail "plot did not report $work/fake.png"
printf '#!/bin/sh\nexit 3\n' >"$work/bin/dot"
expect_exit 1 env PATH="$work/bin:$PATH" "$tool" plot "$m" -o "$work/failed.svg"
[ ! -e "$work/failed.svg.dot.tmp" ] || fail "a failed drawing left its DOT file behind"
expect_exit 2 "$tool" plot "$m" -o "$work/model.txt"
expect_exit 2 "$tool" plot "$m" --rankdir UP
expect_exit 1 "$tool" plot "$work/absent.keras"
expect_exit 0 "$tool" plot --help

finish_checks "all explain and plot checks passed"

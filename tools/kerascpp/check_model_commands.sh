#!/bin/sh
# CTest: `kerascpp summary` and `kerascpp predict` on .keras files saved by
# real Keras (tests/fixtures/saving_keras/models): Keras' summary text, Keras'
# predictions (to 1e-5), the output files of a two-output model, and the exit
# codes (0 success, 1 failed run, 2 bad usage) with one line on stderr.
# Usage: check_model_commands.sh KERASCPP FIXTURES_DIR WORK_DIR
set -u
tool=$1
fixtures=$2/saving_keras/models
work=$3
. "$(dirname "$0")/command_check_harness.sh"

# ---- summary ----
for case in seed2_flatten seed2_functional functional_multi_io_shared nested_functional_in_sequential seed4_tagger_small; do
  expect_exit 0 "$tool" summary "$fixtures/$case/model.keras"
  cmp -s "$work/out" "$fixtures/$case/summary.txt" || {
    fail "summary of $case differs from Keras':"
    diff "$work/out" "$fixtures/$case/summary.txt" | head -20
  }
done
# As Keras, the table is cropped to the console's width (80 in a pipe without
# COLUMNS): a wider console shows the whole line length. The top border has
# one 3-byte character per column.
COLUMNS=200 "$tool" summary --line-length 100 "$fixtures/seed2_flatten/model.keras" >"$work/wide" ||
  fail "summary --line-length 100 failed"
width=$(($(sed -n 2p "$work/wide" | wc -c) / 3))
[ "$width" -eq 100 ] || fail "--line-length 100 gave a table $width wide"
expect_exit 0 "$tool" summary --help
grep -q -- "--line-length" "$work/out" || fail "summary --help does not list --line-length"
expect_exit 1 "$tool" summary "$work/absent.keras"
grep -q "absent.keras" "$work/err" || fail "the error does not name the file: $(cat "$work/err")"
echo "not a zip" >"$work/bad.keras"
expect_exit 1 "$tool" summary "$work/bad.keras"
expect_exit 2 "$tool" summary
expect_exit 2 "$tool" summary --line-length 0 "$fixtures/seed2_flatten/model.keras"

# ---- predict ----
for case in seed2_flatten seed3_flatten_small seed4_tagger_small nested_sequential_in_functional; do
  expect_exit 0 "$tool" predict "$fixtures/$case/model.keras" "$fixtures/$case/x_0.npy" -o "$work/$case.npy"
  same_values "$work/$case.npy" "$fixtures/$case/y_0.npy"
  grep -q "$work/$case.npy" "$work/out" || fail "predict did not report $work/$case.npy"
done
expect_exit 0 "$tool" predict "$fixtures/seed2_flatten/model.keras" "$fixtures/seed2_flatten/x_0.npy" \
  -o "$work/batch1.npy" --batch-size 1
same_values "$work/batch1.npy" "$fixtures/seed2_flatten/y_0.npy"
m=$fixtures/functional_multi_io_shared
expect_exit 0 "$tool" predict "$m/model.keras" "$m/x_0.npy" "$m/x_1.npy" -o "$work/multi.npy"
same_values "$work/multi_0.npy" "$m/y_0.npy"
same_values "$work/multi_1.npy" "$m/y_1.npy"
[ ! -e "$work/multi.npy" ] || fail "a two-output model wrote multi.npy"
m=$fixtures/functional_concat_dropout
expect_exit 0 "$tool" predict "$m/model.keras" "$m/x_0.npy" "$m/x_1.npy" -o "$work/concat.npy"
same_values "$work/concat.npy" "$m/y_0.npy"

expect_exit 2 "$tool" predict
expect_exit 2 "$tool" predict "$m/model.keras" "$m/x_0.npy" "$m/x_1.npy"
expect_exit 2 "$tool" predict "$m/model.keras" "$m/x_0.npy" -o "$work/one.npy"
expect_exit 2 "$tool" predict "$m/model.keras" "$m/x_0.npy" "$m/x_1.npy" -o "$work/o.npy" --batch-size 0
expect_exit 1 "$tool" predict "$work/bad.keras" "$m/x_0.npy" -o "$work/o.npy"
expect_exit 1 "$tool" predict "$fixtures/seed2_flatten/model.keras" "$work/bad.keras" -o "$work/o.npy"
expect_exit 1 "$tool" predict "$fixtures/seed2_flatten/model.keras" \
  "$fixtures/seed1_dense_20x5/x_0.npy" -o "$work/o.npy"
expect_exit 0 "$tool" predict --help

finish_checks "all model command checks passed"

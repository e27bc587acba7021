#!/bin/sh
# CTest: `kerascpp convert` between .keras and legacy .h5 files, and `summary`
# / `predict` on .h5 files saved by real Keras 2 and Keras 3
# (tests/fixtures/legacy_h5): the converted files predict Keras' outputs (to
# 1e-5), keep the training state, and the exit codes are 0 on success, 1 on a
# failed run (one line on stderr), 2 on bad usage.
# Usage: check_convert_command.sh KERASCPP FIXTURES_DIR WORK_DIR
set -u
tool=$1
fixtures=$2/legacy_h5
work=$3
. "$(dirname "$0")/command_check_harness.sh"

# ---- summary and predict on .h5 files ----
expect_exit 0 "$tool" summary "$fixtures/k2_dense_input_shape/model.h5"
cmp -s "$work/out" "$fixtures/k2_dense_input_shape/summary.txt" || {
  fail "summary of k2_dense_input_shape differs from Keras':"
  diff "$work/out" "$fixtures/k2_dense_input_shape/summary.txt" | head -20
}
# Compiled files: Keras 3's summary.txt is of the uncompiled model (see
# reference/make_legacy_h5_fixtures.py); convert --no-compile drops the training state.
for case in k2_cnn k3_mlp_sequential k3_cnn_batchnorm; do
  expect_exit 0 "$tool" convert --no-compile "$fixtures/$case/model.h5" "$work/plain_$case.h5"
  expect_exit 0 "$tool" summary "$work/plain_$case.h5"
  cmp -s "$work/out" "$fixtures/$case/summary.txt" || {
    fail "summary of $case differs from Keras':"
    diff "$work/out" "$fixtures/$case/summary.txt" | head -20
  }
done
for case in k2_tagger k2_gru k3_functional_tagger k3_cnn_batchnorm; do
  expect_exit 0 "$tool" predict "$fixtures/$case/model.h5" "$fixtures/$case/x_0.npy" -o "$work/$case.npy"
  same_values "$work/$case.npy" "$fixtures/$case/y_0.npy"
done

# ---- convert: .h5 -> .keras -> .h5, predictions kept ----
for case in k2_tagger k2_mlp_sequential k3_functional_tagger k3_functional_multi_io; do
  m=$fixtures/$case
  expect_exit 0 "$tool" convert "$m/model.h5" "$work/$case.keras"
  grep -q "$work/$case.keras (Keras 3 .keras)" "$work/out" || fail "convert did not report $case.keras"
  expect_exit 0 "$tool" convert "$work/$case.keras" "$work/$case.h5"
  grep -q "$work/$case.h5 (legacy HDF5 .h5)" "$work/out" || fail "convert did not report $case.h5"
  inputs=$(ls "$m"/x_[0-9].npy)
  for file in "$work/$case.keras" "$work/$case.h5"; do
    # shellcheck disable=SC2086
    expect_exit 0 "$tool" predict "$file" $inputs -o "$work/out.npy"
    if [ -e "$m/y_1.npy" ]; then
      same_values "$work/out_0.npy" "$m/y_0.npy"
      same_values "$work/out_1.npy" "$m/y_1.npy"
    else
      same_values "$work/out.npy" "$m/y_0.npy"
    fi
  done
done
# The training state travels: Adam's 2 x 67 slots, iteration and learning rate.
expect_exit 0 "$tool" summary "$work/k2_mlp_sequential.h5"
grep -q "Optimizer params: 136" "$work/out" || fail "the converted file lost the optimizer state: $(cat "$work/out")"
expect_exit 0 "$tool" convert --no-compile "$fixtures/k2_mlp_sequential/model.h5" "$work/plain.keras"
expect_exit 0 "$tool" summary "$work/plain.keras"
grep -q "Optimizer params" "$work/out" && fail "--no-compile kept the optimizer"
# .keras -> .keras and .h5 -> .hdf5 rewrite in the same format.
expect_exit 0 "$tool" convert "$work/k2_tagger.keras" "$work/again.keras"
expect_exit 0 "$tool" convert "$fixtures/k2_cnn/model.h5" "$work/cnn.hdf5"
expect_exit 0 "$tool" predict "$work/cnn.hdf5" "$fixtures/k2_cnn/x_0.npy" -o "$work/cnn.npy"
same_values "$work/cnn.npy" "$fixtures/k2_cnn/y_0.npy"

# ---- failures and usage ----
expect_exit 0 "$tool" convert --help
grep -q "OUTPUT" "$work/out" || fail "convert --help does not describe OUTPUT"
expect_exit 2 "$tool" convert
expect_exit 2 "$tool" convert "$fixtures/k2_cnn/model.h5"
expect_exit 2 "$tool" convert "$fixtures/k2_cnn/model.h5" "$work/out.txt"
expect_exit 2 "$tool" convert "$work/model.json" "$work/out.keras"
expect_exit 1 "$tool" convert "$work/absent.h5" "$work/out.keras"
grep -q "absent.h5" "$work/err" || fail "the error does not name the file: $(cat "$work/err")"
echo "not HDF5" >"$work/bad.h5"
expect_exit 1 "$tool" convert "$work/bad.h5" "$work/out.keras"
expect_exit 1 "$tool" summary "$work/bad.h5"
expect_exit 1 "$tool" convert "$fixtures/k2_cnn/model.h5" "$work/missing/out.keras"
[ ! -e "$work/out.keras" ] || fail "a failed convert left $work/out.keras"

finish_checks "all convert checks passed"

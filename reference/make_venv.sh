#!/usr/bin/env bash
# Create (or reuse) a throw-away venv with the pinned reference Keras.
# Usage: reference/make_venv.sh            (venv at $KERASCPP_REF_VENV,
#                                          default /tmp/kerascpp-ref-venv)
# Idempotent: re-running only re-checks the pinned packages.  CI never runs it.
set -euo pipefail

VENV="${KERASCPP_REF_VENV:-/tmp/kerascpp-ref-venv}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi

"$VENV/bin/python" -m pip install --quiet --upgrade pip
# rich renders model.summary(); pinned to the version the fixtures were made with.
"$VENV/bin/python" -m pip install --quiet "keras==3.15.1" "rich==15.0.0" "jax[cpu]" numpy

KERAS_BACKEND=jax "$VENV/bin/python" -c \
    'import keras, jax, numpy; print("keras", keras.__version__, "jax", jax.__version__, "numpy", numpy.__version__)'
echo "venv ready: $VENV"

#!/usr/bin/env python3
"""Keras 3.15.1's summary() with the options kerascpp's tests exercise
(show_trainable, expand_nested, layer_range, line_length, positions).

Run with real Keras, stdout a pipe (not a terminal), stdin from /dev/null:

    COLUMNS=80  KERAS_BACKEND=jax python make_summary_options.py </dev/null >summary_options_80.txt
    COLUMNS=200 KERAS_BACKEND=jax python make_summary_options.py </dev/null >summary_options_200.txt

Each summary is preceded by a line "@@<case>"; tests/models/summary_test.cpp
builds the same models and compares.
"""
import keras
from keras import layers


def nested():
    keras.backend.clear_session()
    inner = keras.Sequential(
        [keras.Input((6,)), layers.Dense(4, activation="relu"), layers.Dense(3)]
    )
    inp = keras.Input((6,))
    h = layers.Dense(6, trainable=False)(inp)
    out = layers.Dense(2)(inner(h))
    return keras.Model(inp, out)


def branch():
    keras.backend.clear_session()
    inp = keras.Input((3, 2))
    a = layers.Dense(16)(inp)
    b = layers.Dense(16)(inp)
    c = layers.Concatenate()([a, b])
    return keras.Model(inp, layers.Dense(4)(layers.Flatten()(c)))


def long_names():
    keras.backend.clear_session()
    return keras.Sequential(
        [keras.Input((3, 2)), layers.Dense(16, name="x" * 100)], name="m" * 90
    )


def empty():
    keras.backend.clear_session()
    return keras.Sequential([keras.Input((5,))])


CASES = [
    ("nested_trainable_expanded", nested, dict(show_trainable=True, expand_nested=True)),
    ("nested_layer_range", nested, dict(layer_range=("dense_2", "sequential"))),
    ("nested_line_length_40", nested, dict(line_length=40)),
    ("nested_positions", nested, dict(line_length=60, positions=[0.5, 0.7, 1.0])),
    ("branch_trainable", branch, dict(show_trainable=True)),
    ("branch_line_length_150", branch, dict(line_length=150)),
    ("branch_positions_short", branch, dict(line_length=120, positions=[0.2, 0.4, 0.5, 0.8])),
    ("branch_expanded_default", branch, dict(expand_nested=True)),
    ("long_names_120", long_names, dict(line_length=120)),
    ("long_names_40", long_names, dict(line_length=40)),
    ("long_names_default", long_names, dict()),
    ("empty_sequential", empty, dict()),
]

for name, make, kwargs in CASES:
    model = make()
    print(f"@@{name}", flush=True)
    model.summary(**kwargs)

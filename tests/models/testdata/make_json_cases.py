#!/usr/bin/env python3
"""Model configs (model.to_json()) for kerascpp's model_from_json tests,
with the summary Keras prints for each (COLUMNS=80, stdout a pipe):

    COLUMNS=80 KERAS_BACKEND=jax python make_json_cases.py </dev/null

writes <case>.json and <case>.summary.txt next to this script.
"""
import io
import os
import contextlib

import keras
from keras import layers

HERE = os.path.dirname(os.path.abspath(__file__))


def nested_functional_output():
    # The outer model's output is the nested Functional's own output: Keras
    # saves its node index shifted by one.
    i = keras.Input((4,))
    inner = keras.Model(i, layers.Dense(3)(i), name="inner")
    x = keras.Input((4,))
    return keras.Model(x, [inner(x), layers.Dense(2)(x)], name="outer")


def shared_twice_nested():
    # A Sequential called twice inside a Functional, plus a legacy-style list
    # of outputs.
    seq = keras.Sequential([keras.Input((5,)), layers.Dense(2)], name="tower")
    a = keras.Input((5,))
    b = keras.Input((5,))
    s = layers.Add()([seq(a), seq(b)])
    return keras.Model([a, b], s)


CASES = {"nested_functional_output": nested_functional_output,
         "shared_twice_nested": shared_twice_nested}

for name, make in CASES.items():
    keras.backend.clear_session()
    model = make()
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        f.write(model.to_json())
    buf = io.StringIO()
    model.summary(print_fn=lambda s, **kw: buf.write(s))
    with open(os.path.join(HERE, name + ".summary.txt"), "w") as f:
        f.write(buf.getvalue())

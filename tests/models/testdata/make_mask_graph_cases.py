#!/usr/bin/env python3
"""Functional models whose masks are graph operations (Embedding(mask_zero=True)'s
NotEqual, Masking's NotEqual and Any), as Keras 3.15.1 builds, prints, saves
and runs them, for tests/models/mask_graph_test.cpp:

    COLUMNS=80 KERAS_BACKEND=jax python make_mask_graph_cases.py </dev/null

writes mask_graph_cases.json next to this script: per case, the summary
(stdout a pipe, COLUMNS=80), model.to_json(), and predict() on fixed inputs
with fixed weights (weight k, flattened, is 0.5 * sin(0.37 * i + k)).
"""
import contextlib
import io
import json
import os

import numpy as np

import keras
from keras import layers

HERE = os.path.dirname(os.path.abspath(__file__))


def nested_model_takes_mask():
    # A Functional's call takes mask=: the Embedding's not_equal is one of
    # its connections, and the inner LSTM sees it.
    i = keras.Input((5, 8))
    inner = keras.Model(i, layers.LSTM(4)(i), name="inner")
    tok = keras.Input((5,), dtype="int32")
    h = layers.Embedding(20, 8, mask_zero=True)(tok)
    out = layers.Dense(2)(inner(h))
    return keras.Model(tok, out)


def masking_bidirectional_two_outputs():
    # Masking(mask_value=-1.0): not_equal(x, -1.0) then any(axis=-1); a
    # Bidirectional without merge passes the mask to both of its outputs.
    inp = keras.Input((6, 4))
    h = layers.Masking(mask_value=-1.0)(inp)
    a, b = layers.Bidirectional(layers.GRU(3, return_sequences=True), merge_mode=None)(h)
    ta = layers.TimeDistributed(layers.Dense(2))(a)
    o = layers.LSTM(2)(b)
    return keras.Model(inp, [ta, o])


def two_embeddings():
    # Two masks: not_equal and not_equal_1. An RNN's last output has no mask.
    t1 = keras.Input((5,), dtype="int32")
    t2 = keras.Input((5,), dtype="int32")
    l1 = layers.LSTM(3)(layers.Embedding(30, 4, mask_zero=True)(t1))
    l2 = layers.GRU(3)(layers.Embedding(30, 4, mask_zero=True)(t2))
    return keras.Model([t1, t2], layers.Add()([l1, l2]))


def shared_embedding():
    # One Embedding called twice: a NotEqual per call, and node indices
    # embedding[0] and embedding[1].
    t1 = keras.Input((5,), dtype="int32")
    t2 = keras.Input((5,), dtype="int32")
    emb = layers.Embedding(30, 4, mask_zero=True)
    s1 = layers.SimpleRNN(3, return_sequences=True)(emb(t1))
    s2 = layers.SimpleRNN(3)(emb(t2))
    return keras.Model([t1, t2], [s1, s2])


CASES = {
    "nested_model_takes_mask": nested_model_takes_mask,
    "masking_bidirectional_two_outputs": masking_bidirectional_two_outputs,
    "two_embeddings": two_embeddings,
    "shared_embedding": shared_embedding,
}


def fixed_weights(model):
    values = []
    for k, w in enumerate(model.get_weights()):
        i = np.arange(w.size, dtype=np.float64)
        values.append((0.5 * np.sin(0.37 * i + k)).astype(np.float32).reshape(w.shape))
    model.set_weights(values)


def fixed_input(x, index):
    # Token ids with padding (zeros) at different places per sample, or
    # floats with masked steps equal to -1.
    shape = (3,) + tuple(x.shape[1:])
    n = int(np.prod(shape))
    if x.dtype.startswith("int"):
        v = (np.arange(n) * 7 + 3 * index) % 19 + 1
        v = v.reshape(shape)
        v[0, -2:] = 0
        v[1, :2] = 0
        v[2, 2] = 0
        return v.astype(np.int32)
    v = (np.cos(np.arange(n) * 0.5 + index) * 0.8).reshape(shape).astype(np.float32)
    v[0, -2:, :] = -1.0
    v[1, 1, :] = -1.0
    return v


def main():
    out = {}
    for name, make in CASES.items():
        keras.backend.clear_session()
        model = make()
        fixed_weights(model)
        text = io.StringIO()
        with contextlib.redirect_stdout(text):
            model.summary()
        xs = [fixed_input(x, i) for i, x in enumerate(model.inputs)]
        ys = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
        if not isinstance(ys, (list, tuple)):
            ys = [ys]
        out[name] = {
            "summary": text.getvalue(),
            "config": json.loads(model.to_json()),
            "inputs": [{"dtype": str(x.dtype), "shape": list(x.shape), "values": x.ravel().tolist()}
                       for x in xs],
            "outputs": [{"shape": list(y.shape), "values": np.asarray(y).ravel().tolist()}
                        for y in ys],
        }
    with open(os.path.join(HERE, "mask_graph_cases.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()

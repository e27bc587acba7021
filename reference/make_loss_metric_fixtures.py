"""Losses and metrics from real Keras, as JSON fixtures for the C++ tests.

For every loss and its main options: y_true, y_pred, sample_weight and mask
(when used), the per-sample values of the loss function, and for each
reduction the reduced loss and its gradient with respect to y_pred (jax.grad).
For every metric: a few update_state calls on fixed data, result() after each,
then reset_state() and one more update. Also the metric / loss that compile
picks for "accuracy" and "crossentropy" on a few shape pairs.

Writes tests/fixtures/losses/losses.json and tests/fixtures/metrics/metrics.json.

    KERAS_BACKEND=jax /work/venv/keras/bin/python reference/make_loss_metric_fixtures.py
"""
import json
import os
import pathlib

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras.src import backend  # noqa: E402
from keras.src.losses.loss import reduce_weighted_values  # noqa: E402
from keras.src.trainers import compile_utils  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures"
REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none"]
rng = np.random.default_rng(20240515)


def arr(x):
    """A JSON tensor: shape, dtype and values in row-major order."""
    if x is None:
        return None
    x = np.asarray(x)
    if x.dtype == np.bool_:
        data = [bool(v) for v in x.reshape(-1)]
    elif np.issubdtype(x.dtype, np.integer):
        data = [int(v) for v in x.reshape(-1)]
    else:
        # JSON has no NaN: null stands for it.
        data = [None if np.isnan(v) else float(v) for v in x.reshape(-1)]
    return {"shape": list(x.shape), "dtype": str(x.dtype), "data": data}


def f32(x):
    return np.asarray(x, dtype="float32")


def uniform(shape, lo=0.05, hi=0.95):
    return f32(rng.uniform(lo, hi, shape))


def normal(shape, scale=1.0):
    return f32(rng.normal(0.0, scale, shape))


def probs(shape, axis=-1):
    p = rng.uniform(0.05, 1.0, shape)
    return f32(p / p.sum(axis=axis, keepdims=True))


def one_hot(labels, classes):
    return f32(np.eye(classes)[labels])


def binary(shape):
    return f32(rng.integers(0, 2, shape))


# ---------------------------------------------------------------- losses

def loss_case(name, cls, options, y_true, y_pred, sample_weight=None, mask=None,
              fn=None, fn_kwargs=None):
    """Runs Keras' loss class for every reduction; `fn` is the free function."""
    out = {
        "name": name,
        "class_name": cls.__name__,
        "options": options,
        "y_true": arr(y_true),
        "y_pred": arr(y_pred),
        "sample_weight": arr(sample_weight),
        "mask": arr(mask),
        "reductions": {},
    }
    if fn is not None:
        out["function"] = fn.__name__
        out["values"] = arr(fn(y_true, y_pred, **(fn_kwargs or {})))
    for reduction in REDUCTIONS:
        loss = cls(reduction=reduction, **options)

        def f(p):
            if mask is not None:
                backend.set_keras_mask(p, jnp.asarray(mask))
            return loss(y_true, p, sample_weight=sample_weight)

        value = np.asarray(f(jnp.asarray(y_pred)))
        grad = np.asarray(jax.grad(lambda p: jnp.sum(f(p)))(jnp.asarray(y_pred)))
        out["reductions"][reduction] = {"loss": arr(value), "grad": arr(grad)}
    if not out["reductions"]["none"]:
        raise RuntimeError(name)
    out["loss_name"] = cls(**options).name
    return out


def make_losses():
    L = keras.losses
    cases = []
    B, C = 4, 3
    yt, yp = normal((B, C)), normal((B, C))
    sw = f32([0.5, 1.0, 2.0, 0.0])
    # Sequences (B, T, C) with a mask over (B, T) and per-sample weights.
    yt3, yp3 = normal((2, 3, 4)), normal((2, 3, 4))
    mask3 = np.array([[True, True, False], [True, False, False]])
    # Keras 3 cannot multiply a (B,) weight with a (B, T) mask (it fails to
    # broadcast), so the per-sample weights of masked sequences are (B, 1).
    sw3 = f32([[1.5], [0.5]])
    sw3_t = f32([[1.0, 2.0, 0.5], [0.0, 1.0, 3.0]])

    regression = [
        (L.MeanSquaredError, L.mean_squared_error, "mse"),
        (L.MeanAbsoluteError, L.mean_absolute_error, "mae"),
        (L.LogCosh, L.log_cosh, "log_cosh"),
    ]
    for cls, fn, tag in regression:
        cases.append(loss_case(f"{tag}_2d", cls, {}, yt, yp, fn=fn))
        cases.append(loss_case(f"{tag}_2d_weighted", cls, {}, yt, yp, sample_weight=sw, fn=fn))
        cases.append(loss_case(f"{tag}_3d_masked", cls, {}, yt3, yp3, sample_weight=sw3,
                               mask=mask3, fn=fn))
    cases.append(loss_case("mse_3d_mask_only", L.MeanSquaredError, {}, yt3, yp3, mask=mask3,
                           fn=L.mean_squared_error))
    cases.append(loss_case("mse_3d_timestep_weights", L.MeanSquaredError, {}, yt3, yp3,
                           sample_weight=sw3_t, mask=mask3, fn=L.mean_squared_error))
    cases.append(loss_case("mse_3d_all_masked", L.MeanSquaredError, {}, yt3, yp3,
                           mask=np.zeros((2, 3), bool), fn=L.mean_squared_error))
    # Rank fixing: y_true (B,) against y_pred (B, 1); y_true (B, 1) against (B,);
    # a trailing-1 sample weight.
    cases.append(loss_case("mse_rank_expand", L.MeanSquaredError, {}, normal((B,)),
                           normal((B, 1)), sample_weight=f32(sw[:, None]),
                           fn=L.mean_squared_error))
    cases.append(loss_case("mse_rank_squeeze", L.MeanSquaredError, {}, normal((B, 1)),
                           normal((B,)), fn=L.mean_squared_error))
    cases.append(loss_case("mse_1d", L.MeanSquaredError, {}, normal((5,)), normal((5,)),
                           fn=L.mean_squared_error))

    pos_t, pos_p = uniform((B, C), 0.1, 3.0), uniform((B, C), 0.1, 3.0)
    cases.append(loss_case("mape", L.MeanAbsolutePercentageError, {}, f32(yt + 0.1), yp,
                           sample_weight=sw, fn=L.mean_absolute_percentage_error))
    cases.append(loss_case("mape_zero_true", L.MeanAbsolutePercentageError, {},
                           f32([[0.0, 1.0], [2.0, 0.0]]), f32([[0.5, 1.5], [1.0, -0.3]]),
                           fn=L.mean_absolute_percentage_error))
    cases.append(loss_case("msle", L.MeanSquaredLogarithmicError, {}, pos_t, pos_p,
                           sample_weight=sw, fn=L.mean_squared_logarithmic_error))
    cases.append(loss_case("msle_negative", L.MeanSquaredLogarithmicError, {},
                           f32([[0.5, -1.0], [2.0, 0.3]]), f32([[-0.4, 1.0], [1.0, 0.7]]),
                           fn=L.mean_squared_logarithmic_error))
    cases.append(loss_case("huber", L.Huber, {}, f32(yt * 2), f32(yp * 2), sample_weight=sw,
                           fn=L.huber))
    cases.append(loss_case("huber_delta", L.Huber, {"delta": 0.5}, f32(yt * 2), f32(yp * 2),
                           fn=L.huber, fn_kwargs={"delta": 0.5}))
    cases.append(loss_case("log_cosh_large", L.LogCosh, {}, f32([[0.0, 1.0], [-3.0, 2.0]]),
                           f32([[30.0, -25.0], [4.0, 2.5]]), fn=L.log_cosh))
    cases.append(loss_case("cosine_similarity", L.CosineSimilarity, {}, yt, yp,
                           sample_weight=sw, fn=L.cosine_similarity))
    cases.append(loss_case("cosine_similarity_axis1", L.CosineSimilarity, {"axis": 1}, yt3,
                           yp3, fn=L.cosine_similarity, fn_kwargs={"axis": 1}))
    cases.append(loss_case("cosine_similarity_zero", L.CosineSimilarity, {},
                           f32([[0.0, 0.0], [1.0, 2.0]]), f32([[1.0, 2.0], [0.0, 0.0]]),
                           fn=L.cosine_similarity))

    p2 = probs((B, C))
    cases.append(loss_case("kl_divergence", L.KLDivergence, {}, probs((B, C)), p2,
                           sample_weight=sw, fn=L.kl_divergence))
    cases.append(loss_case("kl_divergence_zeros", L.KLDivergence, {},
                           f32([[0.0, 1.0], [0.3, 0.7]]), f32([[0.5, 0.5], [0.9, 0.1]]),
                           fn=L.kl_divergence))
    cases.append(loss_case("poisson", L.Poisson, {}, pos_t, pos_p, sample_weight=sw,
                           fn=L.poisson))

    hinge_pm = f32(np.where(binary((B, C)) > 0, 1.0, -1.0))
    for cls, fn, tag in [(L.Hinge, L.hinge, "hinge"), (L.SquaredHinge, L.squared_hinge,
                                                           "squared_hinge")]:
        cases.append(loss_case(f"{tag}_binary_labels", cls, {}, binary((B, C)), yp,
                               sample_weight=sw, fn=fn))
        cases.append(loss_case(f"{tag}_pm1_labels", cls, {}, hinge_pm, yp, fn=fn))
    cases.append(loss_case("categorical_hinge", L.CategoricalHinge, {},
                           one_hot([0, 2, 1, 1], C), yp, sample_weight=sw,
                           fn=L.categorical_hinge))

    # Binary crossentropy.
    yb = binary((B, 1))
    pb = uniform((B, 1))
    cases.append(loss_case("bce", L.BinaryCrossentropy, {}, yb, pb, sample_weight=sw,
                           fn=L.binary_crossentropy))
    cases.append(loss_case("bce_multilabel", L.BinaryCrossentropy, {}, binary((B, C)),
                           uniform((B, C)), fn=L.binary_crossentropy))
    cases.append(loss_case("bce_rank1_labels", L.BinaryCrossentropy, {}, f32(yb[:, 0]), pb,
                           fn=None))
    cases.append(loss_case("bce_clipped", L.BinaryCrossentropy, {},
                           f32([[1.0], [0.0], [1.0]]), f32([[1e-9], [1.0 - 1e-9], [0.5]]),
                           fn=L.binary_crossentropy))
    cases.append(loss_case("bce_logits", L.BinaryCrossentropy, {"from_logits": True},
                           binary((B, C)), f32(yp * 3), sample_weight=sw,
                           fn=L.binary_crossentropy, fn_kwargs={"from_logits": True}))
    cases.append(loss_case("bce_label_smoothing", L.BinaryCrossentropy,
                           {"label_smoothing": 0.2}, binary((B, C)), uniform((B, C)),
                           fn=L.binary_crossentropy, fn_kwargs={"label_smoothing": 0.2}))
    cases.append(loss_case("bce_logits_smoothing_axis", L.BinaryCrossentropy,
                           {"from_logits": True, "label_smoothing": 0.1, "axis": 1},
                           binary((2, 3, 4)), yp3, fn=L.binary_crossentropy,
                           fn_kwargs={"from_logits": True, "label_smoothing": 0.1,
                                      "axis": 1}))

    # Categorical crossentropy.
    labels = np.array([0, 2, 1, 2])
    yc = one_hot(labels, C)
    unnormalised = uniform((B, C), 0.05, 2.0)
    cases.append(loss_case("cce", L.CategoricalCrossentropy, {}, yc, probs((B, C)),
                           sample_weight=sw, fn=L.categorical_crossentropy))
    cases.append(loss_case("cce_unnormalised", L.CategoricalCrossentropy, {}, yc, unnormalised,
                           fn=L.categorical_crossentropy))
    cases.append(loss_case("cce_logits", L.CategoricalCrossentropy, {"from_logits": True}, yc,
                           f32(yp * 3), sample_weight=sw, fn=L.categorical_crossentropy,
                           fn_kwargs={"from_logits": True}))
    cases.append(loss_case("cce_label_smoothing", L.CategoricalCrossentropy,
                           {"label_smoothing": 0.1}, yc, probs((B, C)),
                           fn=L.categorical_crossentropy, fn_kwargs={"label_smoothing": 0.1}))
    cases.append(loss_case("cce_logits_smoothing", L.CategoricalCrossentropy,
                           {"from_logits": True, "label_smoothing": 0.3}, yc, yp,
                           fn=L.categorical_crossentropy,
                           fn_kwargs={"from_logits": True, "label_smoothing": 0.3}))
    seq_labels = np.array([[0, 3, 1], [2, 2, 0]])
    cases.append(loss_case("cce_3d_masked", L.CategoricalCrossentropy, {},
                           one_hot(seq_labels, 4), probs((2, 3, 4)), sample_weight=sw3,
                           mask=mask3, fn=L.categorical_crossentropy))
    cases.append(loss_case("cce_axis1", L.CategoricalCrossentropy, {"axis": 1},
                           one_hot(seq_labels, 4).transpose(0, 2, 1).copy(),
                           probs((2, 4, 3), axis=1), fn=L.categorical_crossentropy,
                           fn_kwargs={"axis": 1}))

    # Sparse categorical crossentropy (labels given as floats, as Keras casts them).
    cases.append(loss_case("scce", L.SparseCategoricalCrossentropy, {}, f32(labels),
                           probs((B, C)), sample_weight=sw,
                           fn=L.sparse_categorical_crossentropy))
    cases.append(loss_case("scce_trailing_1", L.SparseCategoricalCrossentropy, {},
                           f32(labels[:, None]), unnormalised,
                           fn=L.sparse_categorical_crossentropy))
    cases.append(loss_case("scce_logits", L.SparseCategoricalCrossentropy,
                           {"from_logits": True}, f32(labels), f32(yp * 3), sample_weight=sw,
                           fn=L.sparse_categorical_crossentropy,
                           fn_kwargs={"from_logits": True}))
    cases.append(loss_case("scce_ignore_class", L.SparseCategoricalCrossentropy,
                           {"ignore_class": 2}, f32(labels), probs((B, C)),
                           sample_weight=sw, fn=L.sparse_categorical_crossentropy,
                           fn_kwargs={"ignore_class": 2}))
    cases.append(loss_case("scce_3d_masked", L.SparseCategoricalCrossentropy,
                           {"from_logits": True}, f32(seq_labels), yp3, sample_weight=sw3,
                           mask=mask3, fn=L.sparse_categorical_crossentropy,
                           fn_kwargs={"from_logits": True}))
    cases.append(loss_case("scce_3d_ignore_class_masked", L.SparseCategoricalCrossentropy,
                           {"ignore_class": 0}, f32(seq_labels), probs((2, 3, 4)),
                           mask=mask3, fn=L.sparse_categorical_crossentropy,
                           fn_kwargs={"ignore_class": 0}))
    # Probabilities clipped below (a label of probability 0) and above (1),
    # and a sequence of unnormalised probabilities. Fixed values: a draw
    # from rng here would change every later case.
    cases.append(loss_case("scce_clipped", L.SparseCategoricalCrossentropy, {},
                           f32([0, 1, 2]),
                           f32([[0.0, 0.5, 0.5], [1e-9, 1.0, 1e-9], [0.2, 0.3, 0.5]]),
                           fn=L.sparse_categorical_crossentropy))
    seq_probs = f32(np.linspace(0.05, 1.2, 24).reshape(2, 3, 4)[:, :, ::-1])
    cases.append(loss_case("scce_3d", L.SparseCategoricalCrossentropy, {}, f32(seq_labels),
                           seq_probs, sample_weight=sw3, mask=mask3,
                           fn=L.sparse_categorical_crossentropy))
    return cases


# ---------------------------------------------------------------- metrics

def metric_case(name, make, updates, class_options=None):
    """updates: list of dicts with y_true, y_pred (or values), sample_weight, mask."""
    m = make()
    out = {"name": name, "class_name": m.__class__.__name__, "metric_name": m.name,
           "options": class_options or {}, "updates": [], "results": []}

    def run(u):
        if "values" in u:
            m.update_state(u["values"], sample_weight=u.get("sample_weight"))
        else:
            y_pred = jnp.asarray(u["y_pred"])
            if u.get("mask") is not None:
                backend.set_keras_mask(y_pred, jnp.asarray(u["mask"]))
            m.update_state(u["y_true"], y_pred, sample_weight=u.get("sample_weight"))
        return arr(np.asarray(m.result()))

    for u in updates:
        out["updates"].append({k: arr(v) for k, v in u.items()})
        out["results"].append(run(u))
    m.reset_state()
    out["after_reset"] = arr(np.asarray(m.result()))
    out["results_after_reset"] = run(updates[-1])
    return out


def make_metrics():
    M = keras.metrics
    cases = []
    B, C = 6, 4

    def cls_updates(n=3, classes=C, batch=B, weighted=True):
        ups = []
        for i in range(n):
            lab = rng.integers(0, classes, batch)
            u = {"y_true": one_hot(lab, classes), "y_pred": probs((batch, classes))}
            if weighted and i == 1:
                u["sample_weight"] = f32(rng.uniform(0, 2, batch))
            ups.append(u)
        return ups

    cases.append(metric_case("mean", lambda: M.Mean(), [
        {"values": f32([1.0, 2.0, 3.0])},
        {"values": f32([4.0, 5.0]), "sample_weight": f32([0.5, 2.0])},
        {"values": f32(2.5)},
        {"values": f32([[1.0, 2.0], [3.0, 4.0]]), "sample_weight": f32([1.0, 0.0])},
        {"values": f32(7.0), "sample_weight": f32(32.0)},
    ]))
    cases.append(metric_case("mean_timestep_weights", lambda: M.Mean(), [
        {"values": f32([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
         "sample_weight": f32([[1.0, 0.0, 1.0], [0.5, 0.5, 0.0]])},
    ]))

    # Accuracy family.
    cases.append(metric_case("accuracy", lambda: M.Accuracy(), [
        {"y_true": f32([[1], [2], [3], [4]]), "y_pred": f32([[0], [2], [3], [4]])},
        {"y_true": f32([1, 2, 3]), "y_pred": f32([1, 0, 3]),
         "sample_weight": f32([1.0, 2.0, 0.5])},
    ]))
    bin_ups = [
        {"y_true": binary((B, 1)), "y_pred": uniform((B, 1), 0.0, 1.0)},
        {"y_true": binary((B, 1)), "y_pred": uniform((B, 1), 0.0, 1.0),
         "sample_weight": f32(rng.uniform(0, 2, B))},
        {"y_true": binary((B, 3)), "y_pred": uniform((B, 3), 0.0, 1.0)},
        {"y_true": f32([1, 0, 1]), "y_pred": f32([[0.5], [0.5], [0.9]])},
    ]
    cases.append(metric_case("binary_accuracy", lambda: M.BinaryAccuracy(), bin_ups))
    cases.append(metric_case("binary_accuracy_threshold", lambda: M.BinaryAccuracy(threshold=0.7),
                             bin_ups[:3], {"threshold": 0.7}))
    cases.append(metric_case("categorical_accuracy", lambda: M.CategoricalAccuracy(),
                             cls_updates()))
    seq_lab = rng.integers(0, C, (2, 5))
    seq_mask = np.array([[True] * 5, [True, True, False, False, False]])
    seq_update = {"y_true": one_hot(seq_lab, C), "y_pred": probs((2, 5, C)), "mask": seq_mask}
    seq_update_w = dict(seq_update, sample_weight=f32([[1.0], [3.0]]))
    cases.append(metric_case("categorical_accuracy_3d_masked", lambda: M.CategoricalAccuracy(),
                             [seq_update, seq_update_w]))
    sparse_ups = []
    for i, u in enumerate(cls_updates()):
        lab = np.argmax(u["y_true"], -1)
        sparse_ups.append(dict(u, y_true=f32(lab[:, None] if i == 1 else lab)))
    cases.append(metric_case("sparse_categorical_accuracy",
                             lambda: M.SparseCategoricalAccuracy(), sparse_ups))
    seq_sparse = dict(seq_update, y_true=f32(seq_lab))
    cases.append(metric_case("sparse_categorical_accuracy_3d_masked",
                             lambda: M.SparseCategoricalAccuracy(),
                             [seq_sparse, dict(seq_sparse, sample_weight=f32([[1.0], [3.0]]))]))
    topk_ups = cls_updates(classes=7)
    cases.append(metric_case("top_k_categorical_accuracy",
                             lambda: M.TopKCategoricalAccuracy(), topk_ups))
    cases.append(metric_case("top_k_categorical_accuracy_k2",
                             lambda: M.TopKCategoricalAccuracy(k=2), topk_ups, {"k": 2}))
    sparse_topk = [dict(u, y_true=f32(np.argmax(u["y_true"], -1))) for u in topk_ups]
    cases.append(metric_case("sparse_top_k_categorical_accuracy",
                             lambda: M.SparseTopKCategoricalAccuracy(), sparse_topk))
    cases.append(metric_case("sparse_top_k_categorical_accuracy_k2",
                             lambda: M.SparseTopKCategoricalAccuracy(k=2), sparse_topk, {"k": 2}))

    # Metrics wrapping loss functions.
    reg_ups = [
        {"y_true": normal((B, 3)), "y_pred": normal((B, 3))},
        {"y_true": normal((B, 3)), "y_pred": normal((B, 3)),
         "sample_weight": f32(rng.uniform(0, 2, B))},
    ]
    reg_seq = {"y_true": normal((2, 5, 3)), "y_pred": normal((2, 5, 3)), "mask": seq_mask}
    pos_ups = [{"y_true": uniform((B, 3), 0.1, 3), "y_pred": uniform((B, 3), 0.1, 3)},
               {"y_true": uniform((B, 3), 0.1, 3), "y_pred": uniform((B, 3), 0.1, 3),
                "sample_weight": f32(rng.uniform(0, 2, B))}]
    for make, tag, ups in [
        (M.MeanSquaredError, "mean_squared_error", reg_ups + [reg_seq]),
        (M.MeanAbsoluteError, "mean_absolute_error", reg_ups + [reg_seq]),
        (M.MeanAbsolutePercentageError, "mean_absolute_percentage_error", pos_ups),
        (M.MeanSquaredLogarithmicError, "mean_squared_logarithmic_error", pos_ups),
        (M.RootMeanSquaredError, "root_mean_squared_error", reg_ups),
        (M.LogCoshError, "logcosh", reg_ups),
        (M.CosineSimilarity, "cosine_similarity", reg_ups),
        (M.Poisson, "poisson", pos_ups),
        (M.Hinge, "hinge", [dict(u, y_true=binary((B, 3))) for u in reg_ups]),
        (M.SquaredHinge, "squared_hinge", [dict(u, y_true=binary((B, 3))) for u in reg_ups]),
    ]:
        cases.append(metric_case(tag, make, ups))
    cls_ups = cls_updates()
    cases.append(metric_case("categorical_hinge", M.CategoricalHinge, cls_ups))
    cases.append(metric_case("kl_divergence", M.KLDivergence,
                             [dict(u, y_true=probs((B, C))) for u in cls_ups]))
    cases.append(metric_case("categorical_crossentropy", M.CategoricalCrossentropy,
                             cls_ups + [seq_update]))
    cases.append(metric_case("sparse_categorical_crossentropy",
                             M.SparseCategoricalCrossentropy, sparse_ups + [seq_sparse]))
    cases.append(metric_case("sparse_categorical_crossentropy_ignore_class",
                             lambda: M.SparseCategoricalCrossentropy(ignore_class=1),
                             [sparse_ups[0], dict(sparse_ups[0], sample_weight=f32(np.ones(B)))],
                             {"ignore_class": 1}))
    cases.append(metric_case("binary_crossentropy", M.BinaryCrossentropy,
                             [dict(u, y_pred=f32(np.clip(u["y_pred"], 0.01, 0.99)))
                              for u in bin_ups[:3]]))

    # Confusion-matrix metrics.
    pr_ups = [
        {"y_true": binary((8, 1)), "y_pred": uniform((8, 1), 0.0, 1.0)},
        {"y_true": binary((8,)), "y_pred": uniform((8,), 0.0, 1.0),
         "sample_weight": f32(rng.uniform(0, 2, 8))},
        {"y_true": binary((4, 3)), "y_pred": uniform((4, 3), 0.0, 1.0)},
        {"y_true": f32([1, 0, 1, 0]), "y_pred": f32([0.5, 0.5, 1.0, 0.0])},
    ]
    mc_ups = [{"y_true": one_hot(rng.integers(0, C, B), C), "y_pred": probs((B, C))}
              for _ in range(2)]
    mc_ups[1]["sample_weight"] = f32(rng.uniform(0, 2, B))
    cid_ups = [{"y_true": binary((B, C)), "y_pred": uniform((B, C), 0.0, 1.0)},
               {"y_true": binary((B, C)), "y_pred": uniform((B, C), 0.0, 1.0),
                "sample_weight": f32(rng.uniform(0, 2, B))}]
    for cls, tag in [(M.TruePositives, "true_positives"), (M.TrueNegatives, "true_negatives"),
                     (M.FalsePositives, "false_positives"), (M.FalseNegatives, "false_negatives")]:
        cases.append(metric_case(tag, lambda cls=cls: cls(thresholds=[0.25, 0.5]), pr_ups,
                                 {"thresholds": [0.25, 0.5]}))
    for cls, tag in [(M.Precision, "precision"), (M.Recall, "recall")]:
        cases.append(metric_case(tag, cls, pr_ups))
        cases.append(metric_case(f"{tag}_thresholds",
                                 lambda cls=cls: cls(thresholds=[0.3, 0.5, 0.8]), pr_ups,
                                 {"thresholds": [0.3, 0.5, 0.8]}))
        cases.append(metric_case(f"{tag}_top_k", lambda cls=cls: cls(top_k=2), mc_ups,
                                 {"top_k": 2}))
        cases.append(metric_case(f"{tag}_class_id", lambda cls=cls: cls(class_id=1), cid_ups,
                                 {"class_id": 1}))
        cases.append(metric_case(f"{tag}_even_thresholds",
                                 lambda cls=cls: cls(thresholds=[0.0, 0.5, 1.0]), pr_ups,
                                 {"thresholds": [0.0, 0.5, 1.0]}))
    auc_ups = [
        {"y_true": binary((10, 1)), "y_pred": uniform((10, 1), 0.0, 1.0)},
        {"y_true": binary((10,)), "y_pred": uniform((10,), 0.0, 1.0),
         "sample_weight": f32(rng.uniform(0, 2, 10))},
        {"y_true": binary((5, 3)), "y_pred": uniform((5, 3), 0.0, 1.0)},
        {"y_true": f32([1, 0, 1, 0, 1]), "y_pred": f32([0.5, 0.5, 1.0, 0.0, 0.25])},
    ]
    auc_variants = {
        "auc": {},
        "auc_pr": {"curve": "PR"},
        "auc_small": {"num_thresholds": 7},
        "auc_pr_small": {"num_thresholds": 7, "curve": "PR"},
        "auc_majoring": {"num_thresholds": 11, "summation_method": "majoring"},
        "auc_minoring_pr": {"num_thresholds": 11, "curve": "PR",
                            "summation_method": "minoring"},
        "auc_from_logits": {"from_logits": True},
        "auc_thresholds": {"thresholds": [0.2, 0.5, 0.9]},
        "auc_prgain": {"num_thresholds": 11, "curve": "PRGAIN"},
    }
    for tag, opts in auc_variants.items():
        ups = auc_ups
        if opts.get("from_logits"):
            ups = [dict(u, y_pred=f32((u["y_pred"] - 0.5) * 8)) for u in auc_ups]
        cases.append(metric_case(tag, lambda opts=opts: M.AUC(**opts), ups, opts))
    return cases


def make_resolution():
    """What compile makes of "accuracy" and "crossentropy" for shape pairs."""
    pairs = [((None, 1), (None, 1)), ((None,), (None, 1)), ((None,), (None, 5)),
             ((None, 1), (None, 5)), ((None, 5), (None, 5)), ((None, 7), (None, 7, 5)),
             ((None, 7, 5), (None, 7, 5)), ((None, 7, 1), (None, 7, 5)),
             ((None, 7), (None, 7, 1)), ((None, 3), (None, 3))]
    out = []
    for yt, yp in pairs:
        t = keras.KerasTensor(yt)
        p = keras.KerasTensor(yp)
        for name in ["accuracy", "acc"]:
            m = compile_utils.get_metric(name, t, p)
            out.append({"kind": "metric", "identifier": name, "y_true_shape": list(yt),
                        "y_pred_shape": list(yp), "class_name": m.__class__.__name__,
                        "name": m.name})
        for name in ["crossentropy", "ce"]:
            loss = compile_utils.get_loss(name, t, p)
            out.append({"kind": "loss", "identifier": name, "y_true_shape": list(yt),
                        "y_pred_shape": list(yp), "function": loss.fn.__name__,
                        "name": loss.name})
    return out


def main():
    losses = make_losses()
    metrics = make_metrics()
    for sub, payload in [("losses", {"keras_version": keras.__version__, "cases": losses}),
                         ("metrics", {"keras_version": keras.__version__, "cases": metrics,
                                      "resolution": make_resolution()})]:
        d = ROOT / sub
        d.mkdir(parents=True, exist_ok=True)
        with open(d / f"{sub}.json", "w") as f:
            json.dump(payload, f, separators=(",", ":"), allow_nan=False)
            f.write("\n")
        print(f"{sub}: {len(payload['cases'])} cases, {(d / (sub + '.json')).stat().st_size} bytes")


if __name__ == "__main__":
    main()

"""Training: gradient descent learns on real MNIST, and a too-large learning rate is caught."""

import numpy as np
import pytest

from helpers import (
    TrainingDiverged,
    backward_prop,
    batches,
    cross_entropy_loss,
    evaluate,
    forward_prop,
    gradient_descent,
    init_params,
    l2_gradients,
    minibatch_sgd,
    momentum_step,
    one_hot,
    plain_gradient_descent,
    quadratic_descent,
    top_curvature,
    update_params,
)
from helpers.progress import Progress

SUBSET = 2000
CHANCE = 0.1


@pytest.fixture(scope="module")
def subset(mnist):
    X = np.ascontiguousarray(mnist["X_train"][:, :SUBSET])
    y = mnist["y_train"][:SUBSET]
    return X, one_hot(y), y


def test_gradient_descent_learns(subset, mnist):
    X, Y, _ = subset
    params, history = gradient_descent(X, Y, 0.10, 200, rng=np.random.default_rng(0),
                                       X_dev=mnist["X_dev"], y_dev=mnist["y_dev"], progress="off")
    loss = np.array(history["train_loss"])
    assert history["iteration"][:3] == [0, 10, 20] and history["iteration"][-1] == 200  # 0: the start
    assert (np.diff(loss) < 0).all(), "the training loss must fall between every record (every 10 iterations)"
    assert history["train_accuracy"][-1] > 0.7 > 5 * CHANCE
    assert history["dev_accuracy"][-1] > 0.6
    assert all(p.dtype == np.float32 for p in params)


def test_callback_sees_every_record(subset):
    X, Y, _ = subset
    seen = []
    gradient_descent(X, Y, 0.1, 30, progress="off", callback=lambda i, params, h: seen.append(i))
    assert seen == [10, 20, 30]


TOO_LARGE = 1e10  # with a max-subtracted softmax, only a huge alpha overflows float32


def test_divergence_raises_with_iteration_and_last_finite_params(subset):
    X, Y, _ = subset
    message = r"NaN or inf at iteration \d+ with alpha = 1e\+10.*smaller alpha"
    with pytest.raises(TrainingDiverged, match=message) as err:
        gradient_descent(X, Y, TOO_LARGE, 50, progress="off")
    assert err.value.iteration >= 1
    assert all(np.isfinite(p).all() for p in err.value.params)


def test_divergence_can_return_instead(subset):
    X, Y, _ = subset
    params, history = gradient_descent(X, Y, TOO_LARGE, 50, progress="off", on_divergence="return")
    assert history["diverged_at"] >= 1 and all(np.isfinite(p).all() for p in params)


def test_training_rejects_nan_pixels(subset):
    X, Y, _ = subset
    X = X.copy()
    X[100, 7] = np.nan
    with pytest.raises(ValueError, match="NaN or inf"):
        gradient_descent(X, Y, 0.1, 1, progress="off")


def test_training_rejects_labels_instead_of_one_hot(subset):
    X, _, y = subset
    with pytest.raises(ValueError, match="one_hot"):
        gradient_descent(X, y.reshape(1, -1), 0.1, 1, progress="off")


def test_minibatch_sgd_beats_full_batch_on_the_same_subset(subset, mnist):
    X, Y, _ = subset
    _, history = minibatch_sgd(X, Y, 0.05, 5, rng=np.random.default_rng(0),
                               X_dev=mnist["X_dev"], y_dev=mnist["y_dev"], progress="off")
    assert history["iteration"] == [0, 1, 2, 3, 4, 5]  # epoch 0: the start
    assert history["dev_accuracy"][-1] > 0.8


def test_text_progress_prints_about_ten_lines(capsys):
    bar = Progress(100, "demo", mode="text")
    for step in range(1, 101):
        bar.update(step, {"loss": 1 / step})
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 10 and out[-1] == "demo: 100/100  loss 0.010"


def test_both_loops_record_the_start_as_iteration_0(subset):
    X, Y, y = subset
    start = init_params(np.random.default_rng(3), dtype=X.dtype)
    loss0, acc0 = evaluate(start, X, y)
    for loop in (gradient_descent, minibatch_sgd):
        _, history = loop(X, Y, 0.05, 2, params=start, progress="off")
        assert history["iteration"][0] == 0
        assert np.isclose(history["train_loss"][0], loss0, rtol=1e-4) and history["train_accuracy"][0] == acc0


def test_gradient_descent_takes_the_steps_of_the_plain_loop(subset):
    """The fast loop (gradients in blocks) and the seed's plain loop end at the same parameters (float64)."""
    X, Y, _ = subset
    X64, Y64 = X[:, :500].astype(np.float64), Y[:, :500].astype(np.float64)
    start = init_params(np.random.default_rng(1), dtype=np.float64)
    plain = plain_gradient_descent(X64, Y64, 0.1, 15, start)
    fast, _ = gradient_descent(X64, Y64, 0.1, 15, params=start, progress="off")
    for p, q in zip(plain, fast):
        assert p.shape == q.shape and np.allclose(p, q, rtol=1e-10, atol=1e-12)


def penalised_loss(params, X, Y, lam):
    W1, _, W2, _ = params
    return cross_entropy_loss(forward_prop(*params, X)[3], Y) + lam / 2 * ((W1 ** 2).sum() + (W2 ** 2).sum())


def test_l2_gradients_are_the_gradients_of_the_penalised_loss(small_batch):
    X, Y, _ = small_batch
    params = init_params(np.random.default_rng(2), dtype=np.float64)
    lam, eps = 0.3, 1e-6
    grads = l2_gradients(backward_prop(*forward_prop(*params, X), params[0], params[2], X, Y), params, lam)
    rng = np.random.default_rng(0)
    for which in range(4):
        for _ in range(5):
            index = tuple(rng.integers(0, n) for n in params[which].shape)
            plus = [p.copy() for p in params]
            minus = [p.copy() for p in params]
            plus[which][index] += eps
            minus[which][index] -= eps
            numeric = (penalised_loss(plus, X, Y, lam) - penalised_loss(minus, X, Y, lam)) / (2 * eps)
            assert np.isclose(grads[which][index], numeric, rtol=1e-5, atol=1e-8), (which, index)
    assert l2_gradients(grads, params, 0) == grads  # lambda = 0: unchanged


def test_momentum_step_without_momentum_is_update_params():
    rng = np.random.default_rng(0)
    params = init_params(rng, dtype=np.float64)
    grads = tuple(rng.standard_normal(p.shape) for p in params)
    new, velocity = momentum_step(params, tuple(np.zeros_like(p) for p in params), grads, 0.1, 0.0)
    for a, b in zip(new, update_params(*params, *grads, 0.1)):
        assert np.array_equal(a, b)
    again, velocity2 = momentum_step(new, velocity, grads, 0.1, 0.9)  # with momentum the old velocity adds in
    for v2, v, g in zip(velocity2, velocity, grads):
        assert np.allclose(v2, 0.9 * v - 0.1 * g)


def test_batches_cover_every_example_once(subset):
    X, Y, y = subset
    seen = []
    images, labels = np.ascontiguousarray(X.T), np.ascontiguousarray(Y.T)
    for Xb, Yb in batches(images, labels, 300, np.random.default_rng(0)):
        assert Xb.shape[0] == 784 and Yb.shape[0] == 10 and Xb.shape[1] == Yb.shape[1] <= 300
        seen.append(Xb.T)
    assert sum(len(s) for s in seen) == X.shape[1] and len(seen) == -(-X.shape[1] // 300)
    assert np.allclose(np.sort(np.concatenate(seen).sum(axis=1)), np.sort(X.sum(axis=0)), rtol=1e-5)


@pytest.fixture(scope="module")
def full_run_300(subset, mnist):
    """1,000 iterations on 300 images with dev records every 20 and no early stopping: the records to stop on."""
    X, Y, _ = subset
    return gradient_descent(X[:, :300], Y[:, :300], 0.5, 1000, rng=np.random.default_rng(0), record_every=20,
                            X_dev=mnist["X_dev"], y_dev=mnist["y_dev"], progress="off")[1]


def stops_as_the_records_say(history, full, watched):
    """stopping_point (the transfer exercise of 06), read off the full run's records, stops where the loop did."""
    from helpers import stopping_point

    stop, best = stopping_point(watched, 5)
    assert stop < len(watched) - 1  # it stops early: two stops compared, not two ends
    assert (full["iteration"][stop], full["iteration"][best]) == (history["iteration"][-1], history["best_iteration"])


def test_early_stopping_returns_the_parameters_of_the_lowest_dev_loss(subset, mnist, full_run_300):
    X, Y, _ = subset
    X_small, Y_small = X[:, :300], Y[:, :300]  # 300 images: the dev loss soon rises again
    seen = {}
    kwargs = dict(rng=np.random.default_rng(0), X_dev=mnist["X_dev"], y_dev=mnist["y_dev"], progress="off")
    params, history = gradient_descent(X_small, Y_small, 0.5, 1000, patience=5, record_every=20,
                                       callback=lambda i, p, h: seen.update({i: p}), **kwargs)
    best = history["best_iteration"]
    assert history["dev_loss"][history["iteration"].index(best)] == min(history["dev_loss"])
    assert history["iteration"][-1] == best + 5 * 20 < 1000  # stopped 5 records after the best
    assert all(np.array_equal(p, q) for p, q in zip(params, seen[best]))
    stops_as_the_records_say(history, full_run_300, full_run_300["dev_loss"])
    with pytest.raises(ValueError, match="patience"):
        gradient_descent(X_small, Y_small, 0.5, 10, patience=3, progress="off")  # no dev set


def test_weight_decay_shrinks_the_weights(subset):
    X, Y, _ = subset
    norms = {}
    for lam in (0.0, 0.01):
        (W1, _, W2, _), _ = minibatch_sgd(X, Y, 0.05, 3, weight_decay=lam, rng=np.random.default_rng(0),
                                          progress="off")
        norms[lam] = np.linalg.norm(W1) + np.linalg.norm(W2)
    assert norms[0.01] < 0.9 * norms[0.0]


def test_quadratic_descent_converges_oscillates_or_diverges_around_2_over_curvature():
    smooth, zigzag, away = (quadratic_descent(4.0, alpha, 1.0, 20) for alpha in (0.125, 0.375, 0.55))
    assert (np.diff(smooth) < 0).all() and (smooth > 0).all()  # alpha c = 0.5: straight down
    assert (np.sign(zigzag[1:]) != np.sign(zigzag[:-1])).all() and abs(zigzag[-1]) < 1e-5  # 1.5: flips, shrinks
    assert np.allclose(np.abs(away), 1.2 ** np.arange(21))  # 2.2: |1 - 2.2| = 1.2 per step, growing


def test_top_curvature_finds_the_largest_second_derivative(small_batch):
    """Against the full matrix of second derivatives of the loss in b2 alone (10 x 10, by finite differences)."""
    X, Y, _ = small_batch
    params = init_params(np.random.default_rng(0), dtype=np.float64)
    c_max = top_curvature(params, X, Y, iterations=100)
    # The curvature along any single parameter (a second derivative in one variable) is at most c_max ...
    W1, b1, W2, b2 = params
    eps = 1e-4
    loss = lambda b: cross_entropy_loss(forward_prop(W1, b1, W2, b, X)[3], Y)  # noqa: E731
    for k in range(10):
        e = np.zeros_like(b2)
        e[k] = eps
        second = (loss(b2 + e) - 2 * loss(b2) + loss(b2 - e)) / eps ** 2
        assert second <= c_max * (1 + 1e-3)
    # ... and for the softmax layer's bias alone the Hessian is the mean of diag(a) - a a^T: check its top eigenvalue
    A2 = forward_prop(*params, X)[3]
    H_b2 = np.mean([np.diag(a) - np.outer(a, a) for a in A2.T], axis=0)
    assert np.linalg.eigvalsh(H_b2).max() <= c_max * (1 + 1e-3) and c_max > 0


@pytest.mark.parametrize("keep", [[405], [0], [510]])
def test_train_seed_network_keeps_only_recorded_iterations(keep):
    from helpers import train_seed_network

    with pytest.raises(ValueError, match="keep must list iterations from 10 to 500 in steps of 10"):
        train_seed_network({}, keep=keep)  # refused before any training


def test_early_stopping_on_the_dev_error_keeps_the_fewest_mistakes(subset, mnist, full_run_300):
    from helpers.training import STOP_ON

    X, Y, _ = subset
    X_small, Y_small = X[:, :300], Y[:, :300]
    kwargs = dict(rng=np.random.default_rng(0), X_dev=mnist["X_dev"], y_dev=mnist["y_dev"], progress="off")
    params, history = gradient_descent(X_small, Y_small, 0.5, 1000, patience=5, record_every=20,
                                       stop_on="dev_error", **kwargs)
    best = history["best_iteration"]
    at = history["iteration"].index(best)
    assert history["dev_accuracy"][at] == max(history["dev_accuracy"])
    assert history["dev_accuracy"].index(max(history["dev_accuracy"])) == at  # the first record with the fewest
    assert evaluate(params, mnist["X_dev"], mnist["y_dev"])[1] == history["dev_accuracy"][at]
    assert history["iteration"][-1] == best + 5 * 20 or history["iteration"][-1] == 1000
    stops_as_the_records_say(history, full_run_300, [1 - a for a in full_run_300["dev_accuracy"]])
    assert STOP_ON == ("dev_loss", "dev_error")
    with pytest.raises(ValueError, match="stop_on"):
        gradient_descent(X_small, Y_small, 0.5, 10, patience=3, stop_on="dev_accuracy", **kwargs)


def test_quadratic_descent_2d_is_one_quadratic_per_axis_and_momentum_helps_in_a_narrow_valley():
    from helpers import quadratic_descent_2d

    path = quadratic_descent_2d((1.0, 100.0), 0.019, steps=30, w0=(-1.0, 0.1))
    assert path.shape == (31, 2)
    assert np.allclose(path[:, 0], quadratic_descent(1.0, 0.019, -1.0, 30))
    assert np.allclose(path[:, 1], quadratic_descent(100.0, 0.019, 0.1, 30))
    heavy = quadratic_descent_2d((1.0, 100.0), 0.019, momentum=0.9, steps=50, w0=(-1.0, 0.1))
    plain = quadratic_descent_2d((1.0, 100.0), 0.019, steps=50, w0=(-1.0, 0.1))
    long_plain = quadratic_descent_2d((1.0, 100.0), 0.19, steps=50, w0=(-1.0, 0.1))
    assert np.linalg.norm(heavy[-1]) < np.linalg.norm(plain[-1]) / 3 and np.abs(long_plain[-1, 1]) > 1e10
    with pytest.raises(ValueError, match="curvatures"):
        quadratic_descent_2d((1.0, -2.0), 0.1)


def test_lr_range_test_takes_one_step_per_alpha_from_where_the_last_left_off(subset):
    from helpers import lr_range_test

    X, Y, _ = subset
    X64, Y64 = X[:, :200].astype(np.float64), Y[:, :200].astype(np.float64)
    start = init_params(np.random.default_rng(0), dtype=np.float64)
    alphas = np.logspace(-3, 0, 7)
    losses = lr_range_test(start, X64, Y64, alphas)
    params = start
    for alpha, loss in zip(alphas, losses):
        params = update_params(*params, *backward_prop(*forward_prop(*params, X64), params[0], params[2], X64, Y64),
                               alpha)
        assert np.isclose(loss, cross_entropy_loss(forward_prop(*params, X64)[3], Y64))
    assert losses.shape == (7,) and losses[-1] < losses[0]


def test_stopping_point_ties_and_never_stopping():
    from helpers import stopping_point

    assert stopping_point([0.5, 0.4, 0.4, 0.4], 2) == (3, 1)  # a tie is no new best
    assert stopping_point([0.5, 0.4, 0.3], 2) == (2, 2)  # never stops: the last record, the best
    assert stopping_point([0.5], 1) == (0, 0)

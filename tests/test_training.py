"""Training: gradient descent learns on real MNIST, and a too-large learning rate is caught."""

import numpy as np
import pytest

from helpers import TrainingDiverged, evaluate, gradient_descent, init_params, minibatch_sgd, one_hot
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
    with pytest.raises(TrainingDiverged, match=r"NaN or inf at iteration \d+ with alpha = 1e\+10.*smaller alpha") as err:
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

"""Plot helpers: they draw without a screen and return the numbers they show."""

import matplotlib

matplotlib.use("Agg")  # no screen in CI

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import (
    block_column,
    calibration_bins,
    confusion_matrix,
    init_params,
    label_counts,
    make_blocks,
    misclassified,
    one_hot,
    plot_blocks,
    plot_confusion_matrix,
    plot_digit_grid,
    plot_hidden_units,
    plot_history,
    plot_misclassified,
    plot_reliability,
    plot_training_runs,
    plot_votes,
    test_prediction,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_label_counts():
    assert label_counts(np.array([0, 0, 9])).tolist() == [2, 0, 0, 0, 0, 0, 0, 0, 0, 1]


def test_confusion_matrix_counts():
    C = confusion_matrix(np.array([1, 1, 2, 3]), np.array([1, 2, 2, 3]))
    assert C.sum() == 4 and C[1, 1] == 1 and C[1, 2] == 1 and np.trace(C) == 3
    plot_confusion_matrix(C)


def test_misclassified_most_confident_first():
    y = np.array([0, 1, 2])
    A2 = np.full((10, 3), 0.01)
    A2[0, 0] = 0.9  # right
    A2[5, 1] = 0.6  # wrong, p = 0.6
    A2[7, 2] = 0.8  # wrong, p = 0.8
    assert misclassified(y, A2).tolist() == [2, 1]


def test_test_prediction_prints_and_returns(mnist, capsys):
    params = init_params(np.random.default_rng(0))
    prediction, label = test_prediction(0, *params, X=mnist["X_test"], y=mnist["y_test"])
    assert label == 7 and 0 <= prediction <= 9
    assert capsys.readouterr().out == f"Prediction: {prediction}  Label: 7\n"
    with pytest.raises(IndexError, match="between 0 and 9999"):
        test_prediction(10_000, *params, X=mnist["X_test"], y=mnist["y_test"])


def test_figures_draw(mnist):
    X, y = mnist["X_dev"], mnist["y_dev"]
    fig = plot_digit_grid(X, y, n=12, predictions=y)
    assert len(fig.axes) == 20
    history = {"iteration": [10, 20], "train_accuracy": [0.5, 0.6], "dev_accuracy": [0.4, 0.5]}
    ax = plot_history(history)
    assert [line.get_label() for line in ax.get_lines()] == ["train", "dev"]
    params = init_params(np.random.default_rng(0))
    assert len(plot_hidden_units(params[0]).axes) == 10
    A2 = np.full((10, 1000), 0.1)
    A2[0] = 0.5
    shown = plot_misclassified(X, y, A2, n=6)
    assert len(shown) == 6 and (y[shown] != 0).all()


def test_plot_blocks_shows_the_kept_pixels(mnist):
    X, y = mnist["X_dev"], mnist["y_dev"]
    blocks = make_blocks(X, one_hot(y), 250)
    fig, kept = plot_blocks(blocks, [0, 3])
    assert kept == [blocks[0].pixels.size, blocks[3].pixels.size] and len(fig.axes) == 2
    picture = fig.axes[1].get_images()[0].get_array()
    assert ((picture > 0).ravel() == np.isin(np.arange(784), blocks[3].pixels)).all()  # gray = kept
    x = block_column(blocks[3], 0)  # the block's first image, as a full column of X
    ids = make_blocks(X, np.arange(X.shape[1])[None, :], 250)[3].Y[0].astype(int)
    assert np.array_equal(x, X[:, ids[0]])


def test_confusion_matrix_has_a_colour_bar_in_counts():
    C = np.diag([900, 50, 7, 0, 1, 2, 3, 4, 5, 6])
    C[0, 1] = 12
    ax = plot_confusion_matrix(C, title="demo")
    assert len(ax.figure.axes) == 2, "the matrix and its colour bar"
    np.testing.assert_allclose(ax.get_images()[0].get_array(), np.log1p(C))  # log colour scale
    bar = ax.figure.axes[1]
    assert [t.get_text() for t in bar.get_yticklabels()] == ["0", "1", "10", "100"]  # counts up to C.max()
    np.testing.assert_allclose(bar.get_yticks(), np.log1p([0, 1, 10, 100]))
    assert "log" in bar.get_ylabel() and ax.get_title() == "demo"
    assert len(plot_confusion_matrix(C, colorbar=False).figure.axes) == 1
    texts = [t.get_text() for t in ax.texts]
    assert texts[:2] == ["900", "12"] and len(texts) == 100


def test_plot_votes_draws_W2_with_its_values():
    W2 = np.arange(100, dtype=float).reshape(10, 10) / 10 - 5  # row j digit, column k unit
    ax = plot_votes(W2)
    np.testing.assert_array_equal(ax.get_images()[0].get_array(), W2)
    assert ax.get_images()[0].get_clim() == (-5.0, 5.0)  # symmetric: 0 is white
    assert ax.texts[12].get_text() == f"{W2[1, 2]:.1f}" and ax.texts[12].get_position() == (2, 1)
    assert ax.get_xlabel() == "hidden unit k" and ax.get_ylabel() == "digit j"
    assert len(ax.figure.axes) == 2  # with its colour bar


def _probabilities(confidences, predicted):
    """A2 (10, m) whose column i puts confidences[i] on digit predicted[i] and spreads the rest evenly."""
    m = len(confidences)
    A2 = np.tile(((1 - np.asarray(confidences)) / 9)[None, :], (10, 1))
    A2[predicted, np.arange(m)] = confidences
    return A2


def test_calibration_bins_by_hand():
    confidences = np.array([0.95, 0.92, 0.91, 0.99, 0.55, 0.45, 0.15, 1.0])
    predicted = np.array([1, 1, 1, 1, 2, 3, 4, 5])
    y = np.array([1, 1, 1, 0, 2, 0, 0, 5])  # wrong: images 3, 5, 6
    bins = calibration_bins(_probabilities(confidences, predicted), y, n_bins=10)
    np.testing.assert_allclose(bins["edges"], np.linspace(0, 1, 11))
    assert bins["count"].tolist() == [0, 1, 0, 0, 1, 1, 0, 0, 0, 5]  # 1.0 lands in the last bin
    assert bins["accuracy"][9] == 0.8 and bins["accuracy"][5] == 1 and bins["accuracy"][4] == 0
    np.testing.assert_allclose(bins["confidence"][9], (0.95 + 0.92 + 0.91 + 0.99 + 1.0) / 5)
    np.testing.assert_allclose(bins["confidence"][[1, 4, 5]], [0.15, 0.45, 0.55])
    np.testing.assert_allclose(bins["se"][9], np.sqrt(0.8 * 0.2 / 5))
    assert np.isnan(bins["accuracy"][0]) and np.isnan(bins["confidence"][0]) and np.isnan(bins["se"][0])
    with pytest.raises(ValueError, match="shape"):
        calibration_bins(np.ones((10, 3)) / 10, y)


def test_calibration_bins_of_a_real_network(mnist):
    X, y = mnist["X_dev"], mnist["y_dev"]
    from helpers import forward_prop

    A2 = forward_prop(*init_params(np.random.default_rng(0)), X)[3]
    bins = calibration_bins(A2, y, n_bins=5)
    full = bins["count"] > 0
    assert bins["count"].sum() == y.size
    right = (A2.argmax(axis=0) == y).mean()  # the bins' accuracies, weighted by their counts
    assert np.isclose((bins["count"][full] * bins["accuracy"][full]).sum() / y.size, right)
    assert np.isclose((bins["count"][full] * bins["confidence"][full]).sum() / y.size, A2.max(axis=0).mean())
    low, high = bins["edges"][:-1][full], bins["edges"][1:][full]
    assert ((low <= bins["confidence"][full]) & (bins["confidence"][full] <= high)).all()


def test_plot_reliability_draws_the_bins():
    confidences = np.array([0.95, 0.92, 0.91, 0.99, 0.55, 0.45])
    predicted = np.array([1, 1, 1, 1, 2, 3])
    y = np.array([1, 1, 1, 0, 2, 0])
    A2 = _probabilities(confidences, predicted)
    fig, ax = plt.subplots()
    bins = plot_reliability(A2, y, ax=ax, label="net a")
    plot_reliability(A2, y, ax=ax, label="net b")  # a second network on the same axes
    diagonal = [line for line in ax.get_lines() if line.get_gid() == "calibrated"]
    assert len(diagonal) == 1
    assert [c.get_label() for c in ax.containers] == ["net a", "net b"]
    points = ax.containers[0].lines[0]  # the markers of net a (its error bars are the other parts)
    full = bins["count"] > 0
    np.testing.assert_allclose(points.get_xdata(), bins["confidence"][full])
    np.testing.assert_allclose(points.get_ydata(), bins["accuracy"][full])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["calibrated", "net a", "net b"]


def test_plot_training_runs_shows_both_runs_from_the_start():
    seed = {"iteration": [0, 10, 20], "train_accuracy": [0.1, 0.5, 0.6], "dev_accuracy": [0.1, 0.4, 0.5],
            "train_loss": [3.0, 1.0, 0.8], "dev_loss": [3.1, 1.2, 0.9]}
    better = {"iteration": [0, 1], "train_accuracy": [0.1, 0.9], "dev_accuracy": [0.1, 0.88],
              "train_loss": [2.3, 0.4], "dev_loss": [2.3, 0.45]}
    fig = plot_training_runs([("seed", seed, "iteration"), ("better", better, "epoch")])
    acc_seed, acc_better, loss_seed, loss_better = fig.axes
    assert acc_seed.get_ylim() == (0, 1) and acc_better.get_ylim() == (0, 1)  # accuracy from 0, said
    assert loss_seed.get_ylim()[0] == 0 and loss_seed.get_ylim()[1] >= 3.1
    assert acc_seed.get_title() == "seed" and acc_better.get_xlabel() == "epoch"
    assert loss_seed.get_xlim() == (0, 20) and acc_better.get_xlim() == (0, 1)  # start to end
    np.testing.assert_array_equal(loss_better.get_lines()[1].get_ydata(), better["dev_loss"])
    np.testing.assert_array_equal(acc_seed.get_lines()[0].get_xdata(), seed["iteration"])
    assert [line.get_label() for line in loss_seed.get_lines()] == ["train", "dev"]

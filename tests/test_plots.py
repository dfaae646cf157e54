"""Plot helpers: they draw without a screen and return the numbers they show."""

import matplotlib

matplotlib.use("Agg")  # no screen in CI

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import (
    block_column,
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
    plot_step_sizes,
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


def test_plot_step_sizes_draws_the_iterates_on_the_parabola():
    fig, paths = plot_step_sizes(2.0, [0.25, 0.75, 1.05], steps=6)
    assert len(fig.axes) == 3 and [len(w) for w in paths] == [7, 7, 7]
    assert np.allclose(paths[1], (1 - 1.5) ** np.arange(7))
    x, y = fig.axes[0].lines[1].get_data()  # the points of the first panel lie on f(w) = w^2
    assert np.allclose(x, paths[0]) and np.allclose(y, x ** 2)
    plt.close(fig)


def test_plot_history_names_the_run_of_each_curve():
    history = {"iteration": [0, 1, 2], "train_loss": [2.3, 1.0, 0.5], "dev_loss": [2.3, 1.2, 0.9]}
    ax = plot_history(history, "loss", run="L2", color="tab:red")
    labels = [line.get_label() for line in ax.lines]
    assert labels == ["L2: train", "L2: dev"] and ax.lines[0].get_linestyle() == "--"
    assert list(ax.lines[1].get_ydata()) == [2.3, 1.2, 0.9]
    plt.close(ax.figure)


# ---- Pictures of the math (01-03) ----

def test_computation_graph_draws_every_node_and_edge():
    from helpers import plot_computation_graph

    drawn = plot_computation_graph()
    ax = drawn["ax"]
    assert list(drawn["nodes"]) == ["X", "Z1", "A1", "Z2", "A2", "L", "W1, b1", "W2, b2", "Y"]
    chain = ["X", "Z1", "A1", "Z2", "A2", "L"]
    xs = [drawn["nodes"][n][0] for n in chain]
    assert xs == sorted(xs) and len({drawn["nodes"][n][1] for n in chain}) == 1  # one row, left to right
    assert [(a, b) for a, b, _ in drawn["forward"]][:5] == list(zip(chain, chain[1:]))
    assert [(a, b) for a, b, _ in drawn["backward"]][:4] == [("L", "A2"), ("A2", "Z2"), ("Z2", "A1"), ("A1", "Z1")]
    texts = [t.get_text() for t in ax.texts]
    assert sum(t.startswith("$Z_1$\n10×m") for t in texts) == 1 and any(t.startswith("$X$\n784×m") for t in texts)
    labels = [label for _, _, label in drawn["forward"] + drawn["backward"] if label]
    assert all(label in texts for label in labels)
    assert any("A_2-Y" in t for t in texts) and any("W_2^\\top dZ_2" in t for t in texts)
    arrows = [c for c in ax.get_children() if type(c).__name__ == "Annotation" and c.arrow_patch is not None]
    assert len(arrows) == len(drawn["forward"]) + len(drawn["backward"])
    colors = {matplotlib.colors.to_hex(a.arrow_patch.get_edgecolor()) for a in arrows}
    assert colors == {matplotlib.colors.to_hex("black"), matplotlib.colors.to_hex("tab:red")}


def test_activations_plot_the_network_functions():
    from helpers import plot_activations, relu, softmax

    z_column = np.array([1.0, 3.0, -2.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 2.0])
    drawn = plot_activations(z_column)
    z = drawn["z"]
    assert np.array_equal(drawn["relu"], np.maximum(z, 0)) and np.array_equal(drawn["slope"], (z > 0) * 1.0)
    ax_r, ax_z, ax_a = drawn["fig"].axes
    relu_line, slope_line = ax_r.get_lines()
    assert np.array_equal(relu_line.get_ydata(), relu(z)) and set(slope_line.get_ydata()) == {0.0, 1.0}
    heights = [bar.get_height() for bar in ax_a.patches]
    assert np.allclose(heights, softmax(z_column[:, None])[:, 0]) and np.isclose(sum(heights), 1)
    assert np.allclose([bar.get_height() for bar in ax_z.patches], z_column)
    assert int(np.argmax(heights)) == 1  # the largest logit gets the largest probability


def test_step_errors_plot_the_data_on_log_axes():
    from helpers import plot_step_errors

    eps = np.logspace(-1, -10, 10)
    errors = eps**2 + 1e-16 / eps
    ax = plot_step_errors(eps, errors, chosen=1e-5)
    measured, chosen = ax.get_lines()
    assert np.array_equal(measured.get_xdata(), eps) and np.array_equal(measured.get_ydata(), errors)
    assert list(chosen.get_xdata()) == [1e-5, 1e-5]
    assert ax.get_xscale() == ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["measured error", "ε = 1e-05"]

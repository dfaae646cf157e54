"""Plot helpers: they draw without a screen and return the numbers they show."""

import matplotlib

matplotlib.use("Agg")  # no screen in CI

from pathlib import Path

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
    plot_label_histogram,
    plot_misclassified,
    plot_reliability,
    plot_step_sizes,
    plot_training_runs,
    plot_unit_responses,
    plot_votes,
    readme_folder,
    readme_picture,
    test_prediction,
)
from helpers.figures import MIN_TEXT_PT, description, smallest_text_pt, use_series_style
from helpers.plots import SHOWN_MISTAKES


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def series_style():
    """The series' figure style, as a notebook's set-up cell applies it (use_series_figures), then the old one."""
    old = use_series_style()
    yield
    matplotlib.rcParams.update(old)


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
    assert len(plot_hidden_units(params[0]).axes) == 11  # 10 units and the colour bar
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

def test_computation_graph_keeps_values_forward_and_gradients_backward_apart():
    from helpers import plot_computation_graph

    drawn = plot_computation_graph()
    ax_f, ax_b = drawn["axes"]
    assert list(drawn["nodes"]) == ["X", "Z1", "A1", "Z2", "A2", "L", "W1, b1", "W2, b2", "Y"]
    chain = ["X", "Z1", "A1", "Z2", "A2", "L"]
    xs = [drawn["nodes"][n][0] for n in chain]
    assert xs == sorted(xs) and len({drawn["nodes"][n][1] for n in chain}) == 1  # one row, left to right
    assert [(a, b) for a, b, _ in drawn["forward"]][:5] == list(zip(chain, chain[1:]))
    assert [(a, b) for a, b, _ in drawn["backward"]][:4] == [("L", "A2"), ("A2", "Z2"), ("Z2", "A1"), ("A1", "Z1")]
    forward_texts = [t.get_text() for t in ax_f.texts]
    backward_texts = [t.get_text() for t in ax_b.texts]
    assert sum(t.startswith("$Z_1$\n10×m") for t in forward_texts) == 1  # shapes on the forward panel
    assert any(t.startswith("$L$\n") and "ell_i" in t for t in forward_texts)  # L is the mean of the ell_i
    # each panel carries only its own pass: values on top, gradients below
    assert all(label in forward_texts for _, _, label in drawn["forward"] if label)
    assert all(label in backward_texts for _, _, label in drawn["backward"])
    assert not any("d" in label and "_" in label for label in forward_texts if label.startswith("$d"))
    assert not any(label in backward_texts for _, _, label in drawn["forward"] if label)
    assert any("A_2-Y" in t for t in backward_texts) and any("W_2^\\top dZ_2" in t for t in backward_texts)
    arrows = [c for c in ax_b.get_children() if type(c).__name__ == "Annotation"]
    assert len(arrows) == len(drawn["backward"]) and all(a.arrow_patch.get_linestyle() == "--" for a in arrows)
    assert all(a.arrow_patch.get_linestyle() == "-" for a in ax_f.get_children()
               if type(a).__name__ == "Annotation")  # line style, not only colour, tells the passes apart
    titles = [ax.get_title(loc="left") for ax in (ax_f, ax_b)]
    assert titles == drawn["titles"] and "Forward" in titles[0] and "Backward" in titles[1]
    sizes = {t.get_fontsize() for ax in (ax_f, ax_b) for t in [*ax.texts, ax._left_title] if t.get_text()}
    assert min(sizes) >= 14
    assert all(line in backward_texts for line in drawn["caption"])
    plt.close(drawn["fig"])


def test_computation_graph_marks_where_a_lesson_picks_up():
    from helpers import plot_computation_graph

    drawn = plot_computation_graph(reached="Z2")
    ax_b = drawn["axes"][1]
    assert [(a, b) for a, b, _ in drawn["done"]] == [("L", "A2"), ("A2", "Z2")]  # notebook 03's part only
    arrows = [c for c in ax_b.get_children() if type(c).__name__ == "Annotation" and c.arrow_patch is not None]
    styles = {c.arrow_patch.get_linestyle() for c in arrows}
    assert ":" in styles and "--" in styles  # derived earlier vs this lesson, not only by colour
    texts = [t.get_text() for t in ax_b.texts]
    assert "we are here" in texts and any("Grey dotted" in t for t in texts)
    labels = [label for _, _, label in drawn["backward"]]
    assert "$dA_1=W_2^\\top dZ_2$" in labels and any(label.startswith("$dZ_1=dA_1") for label in labels)
    plt.close(drawn["fig"])
    with pytest.raises(ValueError, match="a node of the chain"):
        plot_computation_graph(reached="W2, b2")


def test_error_times_input_shows_white_zero_and_honest_scales():
    from matplotlib.colors import to_rgb

    from helpers.plots import plot_error_times_input

    rng = np.random.default_rng(0)
    X = rng.random((784, 30)) * (rng.random((784, 30)) < 0.2)
    dZ1 = rng.normal(0, 0.3, (10, 30))
    dZ1[0, 2] = 0.0
    shown = plot_error_times_input(X, dZ1, unit=0, images=[0, 1, 2])
    fig = shown["fig"]
    assert np.allclose(shown["row"], (dZ1 @ X.T / 30)[0])
    images = [ax.images[0] for ax in fig.axes if ax.images][3:]  # the bottom row: 3 terms, then the mean
    assert all(min(to_rgb(im.cmap(im.norm(0.0)))) > 0.99 for im in images)  # zero is white, not light grey
    limit, row_limit = shown["limits"]
    assert all(im.get_clim() == (-limit, limit) for im in images[:3])  # one symmetric scale for the terms
    assert images[3].get_clim() == (-row_limit, row_limit) and row_limit < limit
    bars = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    assert len(bars) == 2  # each scale has its colour bar
    plt.close(fig)


def test_activations_plot_the_network_functions():
    from helpers import plot_activations, relu, softmax

    z_column = np.array([1.0, 3.0, -2.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 2.0])
    drawn = plot_activations(z_column)
    z = drawn["z"]
    assert np.array_equal(drawn["relu"], np.maximum(z, 0)) and np.array_equal(drawn["slope"], (z > 0) * 1.0)
    ax_r, ax_z, ax_a = drawn["fig"].axes
    relu_line, slope_left, slope_right, closed, opened = ax_r.get_lines()
    assert np.array_equal(relu_line.get_ydata(), relu(z))
    # ReLU' in two flat pieces (no vertical segment at 0 suggesting values between 0 and 1)
    assert set(slope_left.get_ydata()) == {0.0} and max(slope_left.get_xdata()) < 0
    assert set(slope_right.get_ydata()) == {1.0} and min(slope_right.get_xdata()) > 0
    # at z = 0: the filled dot at the helpers' value, 0; the open dot at 1
    assert list(closed.get_xydata()[0]) == [0.0, 0.0] and list(opened.get_xydata()[0]) == [0.0, 1.0]
    assert opened.get_markerfacecolor() == "white" and closed.get_markerfacecolor() != "white"
    heights = [bar.get_height() for bar in ax_a.patches]
    assert np.allclose(heights, softmax(z_column[:, None])[:, 0]) and np.isclose(sum(heights), 1)
    assert np.allclose([bar.get_height() for bar in ax_z.patches], z_column)
    assert int(np.argmax(heights)) == 1  # the largest logit gets the largest probability
    named = plot_activations(z_column, image="dev image 0")["fig"].axes
    assert all("dev image 0" in ax.get_title() for ax in named[1:]) and "dev image" not in named[0].get_title()


def test_step_errors_plot_the_data_on_log_axes():
    from helpers import plot_step_errors

    eps = np.logspace(-1, -10, 10)
    errors = eps**2 + 1e-16 / eps
    ax = plot_step_errors(eps, errors, chosen=1e-5)
    measured, square, inverse, chosen = ax.get_lines()
    assert np.array_equal(measured.get_xdata(), eps) and np.array_equal(measured.get_ydata(), errors)
    # the guides: slope 2 through the largest step's error, slope -1 through the smallest step's
    assert np.allclose(square.get_ydata() / eps**2, errors[0] / eps[0] ** 2)
    assert np.allclose(inverse.get_ydata() * eps, errors[-1] * eps[-1])
    assert list(chosen.get_xdata()) == [1e-5, 1e-5]
    assert ax.get_xscale() == ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "measured error", "∝ ε² (Taylor)", "∝ 1/ε (rounding)", "ε = 1e-05"]


def test_label_histogram_writes_each_count_over_its_bar():
    y = np.array([0] * 90 + [1] + [3] * 398)
    fig, (ax_plain, ax_counts) = plt.subplots(1, 2, sharey=True)
    assert plot_label_histogram(y, ax=ax_plain).tolist() == [90, 1, 0, 398, 0, 0, 0, 0, 0, 0]
    assert len(ax_plain.texts) == 0  # no numbers unless asked
    plot_label_histogram(y, ax=ax_counts, annotate=True)
    numbers = [(t.get_text(), round(t.xy[0]), t.xy[1]) for t in ax_counts.texts]
    assert [n for n, _, _ in numbers] == ["90", "1", "0", "398", "0", "0", "0", "0", "0", "0"]
    assert [x for _, x, _ in numbers] == list(range(10)) and [h for _, _, h in numbers][:4] == [90, 1, 0, 398]
    assert ax_counts.get_ylim()[1] > 398  # the tallest bar's number fits


def test_never_inked_pixels_are_painted():
    from helpers.plots import plot_never_inked

    X = np.zeros((784, 3))
    X[28 * 14 + 14, 0] = 0.2  # faint ink in one image: not "never"
    X[28 * 10 + 5, 2] = 1.0
    drawn = plot_never_inked(X)
    assert np.array_equal(drawn["darkest"], X.max(axis=1))
    assert drawn["never"].sum() == 782 and not drawn["never"][[28 * 14 + 14, 28 * 10 + 5]].any()
    digit, overlay = drawn["ax"].get_images()
    assert np.array_equal(digit.get_array(), X.max(axis=1).reshape(28, 28))  # black = ink, as every digit
    painted = np.asarray(overlay.get_array())[..., 3] > 0  # opaque where painted
    assert np.array_equal(painted, drawn["never"].reshape(28, 28))
    assert "782" in drawn["ax"].get_title()
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
    assert [t.get_text() for t in ax.texts] == ["12"]  # only the mistakes are written: here one


def test_confusion_matrix_writes_only_its_largest_mistakes_legibly_and_describes_both_panels(series_style):
    C = np.diag([900, 800, 700, 600, 500, 400, 300, 200, 100, 50])
    for (k, k2), n in {(9, 4): 111, (4, 9): 98, (5, 3): 63, (8, 5): 62, (5, 8): 59, (8, 3): 55, (0, 5): 21}.items():
        C[k, k2] = n
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), layout="constrained")
    plot_confusion_matrix(C, axes[0], title="seed")
    plot_confusion_matrix(C.T, axes[1], title="transposed")
    written = [(t.get_text(), t.get_position()) for t in axes[0].texts]
    assert SHOWN_MISTAKES == 6 and written == [("111", (4, 9)), ("98", (9, 4)), ("63", (3, 5)), ("62", (5, 8)),
                                               ("59", (8, 5)), ("55", (3, 8))]  # not 21, nor the diagonal
    text = description(fig)
    assert text.startswith(f"seed: confusion matrix of {C.sum():,} images") and "transposed: confusion" in text
    assert f"{np.trace(C):,} on the diagonal (right) and 469 mistakes" in text
    assert "9→4 (111), 4→9 (98), 5→3 (63), 8→5 (62), 5→8 (59), 8→3 (55)" in text and "4→9 (111)" in text
    assert smallest_text_pt(fig) >= MIN_TEXT_PT


def test_plot_votes_draws_W2_with_its_values():
    W2 = np.arange(100, dtype=float).reshape(10, 10) / 10 - 5  # row k digit, column j unit
    ax = plot_votes(W2)
    np.testing.assert_array_equal(ax.get_images()[0].get_array(), W2)
    assert ax.get_images()[0].get_clim() == (-5.0, 5.0)  # symmetric: 0 is white
    # written: per unit, the votes >= half its top vote; unit 2's top vote is 4.2 (digit 9): 2.2 (7) and up
    written = {(int(t.get_position()[1]), int(t.get_position()[0])): t.get_text() for t in ax.texts}
    assert written[(9, 2)] == "4.2" and written[(7, 2)] == "2.2" and (6, 2) not in written
    assert (0, 0) not in written and len(written) == 10 * 3
    assert ax.get_xlabel() == "hidden unit j" and ax.get_ylabel() == "digit k"
    assert len(ax.figure.axes) == 2  # with its colour bar
    assert plot_votes(W2, vmax=8).get_images()[0].get_clim() == (-8.0, 8.0)  # a shared scale


def test_plot_votes_writes_the_strong_votes_legibly_and_says_them(series_style):
    W2 = np.full((10, 10), -0.1)
    W2[3, 0], W2[5, 0], W2[1, 0] = 1.2, 0.7, 0.5  # unit 0: votes 3 (1.2) and 5 (0.7), not 1 (0.5 < 0.6)
    W2[np.arange(10), np.arange(10)] += np.r_[0, np.ones(9)]  # units 1-9: one strong vote each, for digit j
    fig, axes = plt.subplots(1, 2, figsize=(11.6, 4.5), layout="constrained")
    plot_votes(W2, ax=axes[0], title="seed", vmax=2)
    plot_votes(-W2, ax=axes[1], title="negated", vmax=2)
    assert sorted(t.get_text() for t in axes[0].texts if t.get_position()[0] == 0) == ["0.7", "1.2"]
    text = description(fig)
    assert text.startswith("seed: W2 as a heat map") and "from −2.0 (blue) through 0 (white) to +2.0 (red)" in text
    assert "1 of 10 units give two or more digits" in text and "unit 0: 3 (1.2), 5 (0.7); unit 1: 1 (0.9)" in text
    assert "negated: W2" in text and smallest_text_pt(fig) >= MIN_TEXT_PT


def test_plot_unit_responses_draws_R_from_zero():
    R = np.arange(100, dtype=float).reshape(10, 10) / 10  # row j unit, column k digit
    ax = plot_unit_responses(R, title="demo")
    np.testing.assert_array_equal(ax.get_images()[0].get_array(), R)
    assert ax.get_images()[0].get_clim() == (0.0, 9.9) and ax.get_title() == "demo"
    written = [(t.get_text(), t.get_position()) for t in ax.texts]  # each unit's two largest: digits 9, 8
    assert len(written) == 20 and written[2:4] == [("1.8", (8, 1)), ("1.9", (9, 1))]
    assert ax.get_xlabel() == "true digit k" and ax.get_ylabel() == "hidden unit j"


def test_plot_unit_responses_is_legible_and_says_each_units_two_largest(series_style):
    R = np.zeros((10, 10))
    R[np.arange(10), np.arange(10)] = 10 + np.arange(10) / 10  # unit j: digit j largest
    R[np.arange(10), (np.arange(10) + 3) % 10] = 5.0  # then digit j + 3
    fig, axes = plt.subplots(1, 2, figsize=(11.6, 4.5), layout="constrained")
    plot_unit_responses(R, ax=axes[0], title="seed")
    plot_unit_responses(R / 2, ax=axes[1], title="halved")
    text = description(fig)
    assert "seed: R as a heat map" in text and "from 0 (white) to 10.9 (dark blue)" in text
    assert "unit 0: 0 (10.0), 3 (5.0); unit 1: 1 (10.1), 4 (5.0)" in text and "unit 9: 9 (10.9), 2 (5.0)" in text
    assert "halved: R" in text and "to 5.5 (dark blue)" in text  # 10.9 / 2 = 5.45, rounded half to even
    assert smallest_text_pt(fig) >= MIN_TEXT_PT


def test_plot_hidden_units_one_scale_with_a_colour_bar():
    W1 = np.zeros((10, 784))
    W1[3, 100], W1[7, 200] = 0.5, -2.0
    fig = plot_hidden_units(W1, label="change")
    images = [ax.get_images()[0] for ax in fig.axes[:10]]
    assert all(image.get_clim() == (-2.0, 2.0) for image in images)  # one scale for all units
    np.testing.assert_array_equal(images[3].get_array(), W1[3].reshape(28, 28))
    assert len(fig.axes) == 11 and fig.axes[10].get_ylabel() == "change"  # the colour bar
    assert fig.axes[7].get_title() == "unit 7"
    shared = plot_hidden_units(W1, vmax=4.0)
    assert shared.axes[0].get_images()[0].get_clim() == (-4.0, 4.0)


def test_plot_hidden_units_is_legible_and_described(series_style):
    W1 = np.zeros((10, 784))
    W1[:, 100:] = 0.25
    W1[3, 100:200] = -0.5  # unit 3: mean |W1| (100 × 0.5 + 584 × 0.25) / 784 = 0.250
    fig = plot_hidden_units(W1, label="W1", title="demo")
    text = description(fig)
    assert text.startswith("demo: the 10 hidden units' W1 as 28 × 28 images") and "−0.50 to +0.50" in text
    assert "100 pixels are exactly 0 (white) for every unit" in text
    assert "mean size |W1| 0.221 (per unit 0.218 to 0.250)" in text
    assert smallest_text_pt(fig) >= MIN_TEXT_PT and fig.get_size_inches()[0] <= 12


def test_plot_misclassified_titles_label_prediction_and_confidence(mnist):
    X, y = mnist["X_dev"], mnist["y_dev"]
    A2 = np.full((10, 1000), 0.0001 / 9)
    A2[0] = 0.9999  # every image said 0, with c = 0.9999: shown rounded down, 0.999
    shown = plot_misclassified(X, y, A2, n=3, title="demo network")
    fig = plt.gcf()
    titles = [ax.get_title() for ax in fig.axes[:3]]
    assert titles == [f"{y[i]}→0, c 0.999" for i in shown]
    assert fig._suptitle.get_text() == "demo network"


def test_plot_misclassified_is_legible_and_names_its_mistakes(mnist, series_style):
    X, y = mnist["X_dev"], mnist["y_dev"]
    A2 = np.full((10, 1000), 0.01)
    A2[(y + 1) % 10, np.arange(1000)] = 0.5  # every image read as the next digit, c rising with its index
    A2[(y[:10] + 1) % 10, np.arange(10)] = np.linspace(0.981, 0.999, 10)
    shown = plot_misclassified(X, y, A2, n=10, title="demo")
    fig = plt.gcf()
    assert shown.tolist() == list(range(9, -1, -1))
    pairs = ", ".join(sorted(f"{y[i]}→{(y[i] + 1) % 10}" for i in shown))
    assert description(fig) == ("demo: 10 images the network got wrong with the highest confidence c, each titled "
                                f"label→prediction and c; every c is above 0.98. Label→prediction, in label "
                                f"order: {pairs}.")
    assert smallest_text_pt(fig) >= MIN_TEXT_PT and fig.get_size_inches()[0] <= 12


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
    assert ax.get_legend().get_title().get_text() == "error bars: ±1 SE"
    a, b = (container.lines[0] for container in ax.containers)  # told apart by more than colour
    assert a.get_marker() != b.get_marker() and a.get_linestyle() != b.get_linestyle()


def test_plot_reliability_is_legible_and_describes_every_network(series_style):
    confidences = np.array([0.95, 0.92, 0.91, 0.99, 0.55, 0.45])
    A2 = _probabilities(confidences, np.array([1, 1, 1, 1, 2, 3]))
    y = np.array([1, 1, 1, 0, 2, 0])  # bin 9: 3 of 4 right at mean c 0.9425 (below); bin 5 right, bin 4 wrong
    fig, (ax, counts_ax) = plt.subplots(1, 2, figsize=(10, 4.5), layout="constrained")
    plot_reliability(A2, y, ax=ax, counts_ax=counts_ax, label="net a")
    plot_reliability(A2, np.array([1, 1, 1, 1, 2, 3]), ax=ax, counts_ax=counts_ax, label="net b")  # all right
    text = description(fig)
    assert text.startswith("Reliability diagram:") and "beside it, the number of images per bin" in text
    assert ("net a: 3 of 10 confidence bins hold images (6 in all), 1 of them above the diagonal (right more often "
            "than it says), 2 below; mean confidence 0.80, fraction right 0.67") in text
    assert "net b: 3 of 10 confidence bins hold images (6 in all), 3 of them above" in text
    assert smallest_text_pt(fig) >= MIN_TEXT_PT


def test_plot_reliability_counts_under_the_diagram():
    confidences = np.array([0.95, 0.92, 0.91, 0.99, 0.55, 0.45])
    A2 = _probabilities(confidences, np.array([1, 1, 1, 1, 2, 3]))
    fig, (ax, counts_ax) = plt.subplots(2, 1)
    bins = plot_reliability(A2, np.array([1, 1, 1, 0, 2, 0]), ax=ax, counts_ax=counts_ax, label="net a")
    steps = counts_ax.patches[0]  # the step line of the counts
    values, edges = steps.get_data().values, steps.get_data().edges
    np.testing.assert_array_equal(values, np.maximum(bins["count"], 0.5))
    np.testing.assert_allclose(edges, np.linspace(0, 1, 11))
    assert values[9] == 4 and values[4] == values[5] == 1 and counts_ax.get_yscale() == "log"
    assert matplotlib.colors.same_color(steps.get_edgecolor(), ax.containers[0].lines[0].get_color())


def test_plot_training_runs_shows_both_runs_from_the_start():
    seed = {"iteration": [0, 10, 20], "train_accuracy": [0.1, 0.5, 0.6], "dev_accuracy": [0.1, 0.4, 0.5],
            "train_loss": [3.0, 1.0, 0.8], "dev_loss": [3.1, 1.2, 0.9]}
    better = {"iteration": [0, 1], "train_accuracy": [0.1, 0.9], "dev_accuracy": [0.1, 0.88],
              "train_loss": [2.3, 0.4], "dev_loss": [2.3, 0.45]}
    fig = plot_training_runs([("seed", seed, "iteration"), ("better", better, "epoch")])
    acc_seed, acc_better, loss_seed, loss_better = fig.axes
    assert acc_seed.get_ylim() == (0, 1) and acc_better.get_ylim() == (0, 1)  # accuracy from 0, said
    assert loss_seed.get_ylim()[0] == 0 and loss_seed.get_ylim()[1] >= 3.1
    assert acc_seed.get_title() == "seed" and loss_better.get_xlabel() == "epoch" and acc_better.get_xlabel() == ""
    assert loss_seed.get_xlim() == (0, 20) and acc_better.get_xlim() == (0, 1)  # start to end
    np.testing.assert_array_equal(loss_better.get_lines()[1].get_ydata(), better["dev_loss"])
    np.testing.assert_array_equal(acc_seed.get_lines()[0].get_xdata(), seed["iteration"])
    assert [line.get_label() for line in loss_seed.get_lines()] == ["train", "dev"]
    assert acc_seed.get_legend() is not None and all(ax.get_legend() is None for ax in fig.axes[1:])  # one legend
    assert description(fig) == (
        "Train and dev accuracy (top row, from 0 to 1) and loss (bottom row, from 0) of 2 training runs, one column "
        "each. seed, from 0 to 20 iterations: at the end train accuracy 0.60, dev accuracy 0.50, train loss 0.80, "
        "dev loss 0.90; better, from 0 to 1 epochs: at the end train accuracy 0.90, dev accuracy 0.88, train loss "
        "0.40, dev loss 0.45.")


def test_plot_training_runs_is_legible(series_style):
    run = {"iteration": [0, 10], "train_accuracy": [0.1, 0.6], "dev_accuracy": [0.1, 0.5],
           "train_loss": [3.0, 1.0], "dev_loss": [3.1, 1.2]}
    fig = plot_training_runs([("seed", run, "iteration"), ("again", run, "iteration")], figsize=(11.5, 4.5))
    assert smallest_text_pt(fig) >= MIN_TEXT_PT


def _repository_images():
    folder = Path(__file__).resolve().parent.parent / "images"
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_readme_picture_from_another_folder_writes_beside_it_not_into_the_repository(tmp_path, monkeypatch):
    before = _repository_images()
    monkeypatch.chdir(tmp_path)  # a student edition run from /tmp/student_ed
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    path = readme_picture(fig, "demo.png")
    plt.close(fig)
    assert path == tmp_path / "images" / "demo.png" and path.read_bytes().startswith(b"\x89PNG")
    assert readme_folder() == tmp_path / "images"
    assert _repository_images() == before  # nothing added or changed in the repository's images/


def test_readme_folder_is_the_repository_images_only_from_its_notebooks_folder(tmp_path):
    root = Path(__file__).resolve().parent.parent
    assert readme_folder(root / "notebooks") == root / "images"
    assert readme_folder(tmp_path / "notebooks") == tmp_path / "notebooks" / "images"
    assert readme_folder(root) == root / "images"  # the repository root's images/: beside README.md anyway


def test_readme_picture_writes_the_same_bytes_twice(tmp_path):
    fig, ax = plt.subplots()
    ax.imshow(np.arange(12.0).reshape(3, 4))
    first = readme_picture(fig, "a.png", here=tmp_path).read_bytes()
    second = readme_picture(fig, "a.png", here=tmp_path).read_bytes()
    plt.close(fig)
    assert first == second and b"Software" not in first


# ---------------------------------------------------------------- 02: the network picture and the ReLU kinks

def _smallest_font(fig):
    return min(t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if t.get_text().strip())


def test_plot_network_draws_every_layer_and_shape():
    from helpers.plots import plot_network

    drawn = plot_network(highlight=3)
    assert drawn["nodes"] == {"X": 6, "hidden": 10, "output": 10}
    assert drawn["edges"] == {"X-hidden": 6 * 10, "hidden-output": 10 * 10}
    text = " ".join(drawn["labels"].values())
    for shape in ("784 × m", "10 × 784", "10 × 10", "10 × 1", "10 × m"):
        assert shape in text
    assert "row 3 of $W_1$" in drawn["labels"]["W1"]
    dashed = [line for line in drawn["ax"].get_lines() if line.get_linestyle() == "--"]
    assert len(dashed) == 6 + 10  # into hidden unit 3 from the 6 drawn pixels, into output 3 from the 10 units
    assert _smallest_font(drawn["ax"].figure) >= 14
    plt.close("all")


def test_plot_relu_kinks_sums_the_units_and_bends_only_at_the_kinks():
    from helpers.plots import KINK_UNITS, plot_relu_kinks

    drawn = plot_relu_kinks()
    x, total = drawn["x"], drawn["total"]
    assert drawn["units"].shape == (len(KINK_UNITS), x.size)
    assert np.allclose(total, 0.5 + drawn["units"].sum(axis=0))
    slopes = np.diff(total) / np.diff(x)
    bends = x[1:-1][~np.isclose(slopes[1:], slopes[:-1])]  # where the slope changes: only next to the kinks
    assert all(np.min(np.abs(drawn["kinks"] - b)) < 2 * (x[1] - x[0]) for b in bends) and bends.size >= 3
    assert np.allclose(np.diff(drawn["linear"], 2), 0, atol=1e-12)  # without ReLU: a straight line
    assert drawn["max_error"] < 0.15 and drawn["fit_kinks"].size == 10
    assert _smallest_font(drawn["fig"]) >= 14
    plt.close("all")


def test_plot_reliability_count_ticks_are_written_out():
    """The count panel's log axis reads 1, 10, 100, 1,000, ... up to the largest bin, nothing in between."""
    from helpers import softmax

    rng = np.random.default_rng(3)
    A2 = softmax(rng.normal(0, 3, (10, 3_000)))
    y = rng.integers(0, 10, 3_000)
    fig, (ax, counts_ax) = plt.subplots(2, 1)
    bins = plot_reliability(A2, y, ax=ax, counts_ax=counts_ax)
    labels = [t.get_text() for t in counts_ax.get_yticklabels()]
    assert labels[:4] == ["1", "10", "100", "1,000"] and len(labels) == len(counts_ax.get_yticks())
    assert 10 ** (len(labels) - 1) <= 3 * bins["count"].max()
    assert not counts_ax.yaxis.get_minor_ticks() or not any(
        t.label1.get_visible() and t.label1.get_text() for t in counts_ax.yaxis.get_minor_ticks())
    plt.close(fig)


def test_test_prediction_titles_label_first(mnist, series_style):
    params = init_params(np.random.default_rng(0))
    fig, ax = plt.subplots(figsize=(3, 3))
    prediction, label = test_prediction(0, *params, X=mnist["X_test"], y=mnist["y_test"], ax=ax)
    assert ax.get_title() == f"label {label} → predicted {prediction}"
    verdict = "right" if prediction == label == 7 else "wrong"
    assert description(fig) == (f"Image 0: a handwritten 7 (its label), which the network predicts as {prediction}: "
                                f"{verdict}.")
    assert smallest_text_pt(fig) >= MIN_TEXT_PT
    plt.close(fig)


def test_plot_quadratic_paths_draws_each_run_with_its_own_style_and_stops_a_diverging_one_at_the_edge():
    from helpers import plot_quadratic_paths

    runs = {"plain": (0.019, 0.0), "momentum": (0.019, 0.9), "too long": (0.19, 0.0)}
    ax, paths = plot_quadratic_paths((1.0, 100.0), runs, w0=(-1.0, 0.1), steps=50)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert {lines[name].get_marker() for name in runs} == {"o", "^", "x"}
    assert len({lines[name].get_linestyle() for name in runs}) == 3  # colour is not the only cue
    assert len(lines["plain"].get_xdata()) == 51 and len(lines["too long"].get_xdata()) == 2  # start, first outside
    assert ax.xaxis.label.get_fontsize() >= 14 and ax.title.get_fontsize() >= 14
    assert set(paths) == set(runs) and paths["plain"].shape == (51, 2)
    with pytest.raises(ValueError, match="at most 3"):
        plot_quadratic_paths((1.0, 100.0), {**runs, "fourth": (0.01, 0.5)})
    plt.close("all")


# ---------------------------------------------------------------------------------------------------------
# Issue 21: every figure drawn in the series' style says what it shows (from the data it drew), legibly: its
# smallest text at least MIN_TEXT_PT, at most 12 in (1,200 px at 100 dpi) wide.


def _legible(fig):
    from helpers.figures import MIN_TEXT_PT, smallest_text_pt

    assert smallest_text_pt(fig) >= MIN_TEXT_PT, smallest_text_pt(fig)
    assert fig.get_size_inches()[0] <= 12 and fig.get_size_inches()[1] <= 6.2, fig.get_size_inches()


def test_digit_grid_is_described_with_its_labels_or_its_mistakes(mnist, series_style):
    from helpers.figures import WRONG, description

    X, y = mnist["X_dev"], mnist["y_dev"]
    fig = plot_digit_grid(X, y, n=12)
    labels = " ".join(str(label) for label in y[:12])
    assert "12 handwritten digits" in description(fig) and f"titled with its label: {labels};" in description(fig)
    ink = X[:, :12].sum(axis=0)
    assert f"the most ink: the {y[ink.argmax()]}, the least: the {y[ink.argmin()]}" in description(fig)
    _legible(fig)
    predictions = y.copy()
    predictions[[1, 4]] = (y[[1, 4]] + 1) % 10
    fig = plot_digit_grid(X, y, n=12, predictions=predictions)
    wrong = [f"{y[i]}→{predictions[i]}" for i in (1, 4)]
    assert f"10 right, 2 wrong (in red and bold): {wrong[0]}, {wrong[1]}" in description(fig)
    titles = [ax.title for ax in fig.axes[:12]]
    marked = [i for i, t in enumerate(titles) if t.get_fontweight() == "bold"]
    assert marked == [1, 4] and all(matplotlib.colors.same_color(titles[i].get_color(), WRONG) for i in marked)
    _legible(fig)


def test_show_digit_describes_only_a_figure_of_its_own(mnist, series_style):
    from helpers import show_digit
    from helpers.figures import description

    x = mnist["X_dev"][:, 7]
    ax = show_digit(x, title="dev image 7")
    inked = int((x > 0).sum())
    assert description(ax) == (f"one handwritten digit, dev image 7, drawn as 28 × 28 pixels, black ink on white: "
                               f"{inked} of the 784 pixels have ink")
    _legible(ax.figure)
    _, ax = plt.subplots()
    show_digit(x, "in a grid", ax=ax)  # drawn into someone else's figure: that figure's description is theirs
    assert description(ax) is None


def test_label_histograms_on_one_figure_are_described_together(series_style):
    from helpers.figures import describe, description

    y = np.array([0] * 90 + [1] + [3] * 398)
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 3))
    plot_label_histogram(y, ax=left, title="dev labels", annotate=True)
    assert description(fig) == ("bar chart of images per digit. dev labels: 489 images, per digit 0 to 9: "
                                "90, 1, 0, 398, 0, 0, 0, 0, 0, 0 (most: 3, 398; fewest: 2, 0)")
    plot_label_histogram(np.arange(10), ax=right, title="one each")
    assert description(fig).startswith("bar charts of images per digit. dev labels: 489 images")
    assert description(fig).endswith("; one each: 10 images, per digit 0 to 9: 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 "
                                     "(most: 0, 1; fewest: 0, 1)")
    _legible(fig)
    describe(fig, "a description of its own")  # a later histogram no longer appends to it
    plot_label_histogram(y, ax=right, title="again")
    assert description(fig).startswith("bar chart of images per digit. again: 489 images")
    plot_label_histogram(y)  # on a figure of its own, the default size
    _legible(plt.gcf())


def test_never_inked_says_how_many_and_where(series_style):
    from helpers.figures import VERMILLION, description
    from helpers.plots import plot_never_inked

    X = np.full((784, 2), 0.5)
    never = [28 * 0 + 0, 28 * 0 + 27, 28 * 1 + 14]  # two corners, one pixel in the second row
    X[never] = 0
    drawn = plot_never_inked(X)
    (crosses,) = drawn["ax"].get_lines()
    assert sorted(zip(crosses.get_ydata(), crosses.get_xdata())) == [(0, 0), (0, 27), (1, 14)]  # a second cue
    overlay = drawn["ax"].get_images()[1].get_array()
    assert matplotlib.colors.same_color(overlay[0, 0], VERMILLION)
    text = description(drawn["ax"])
    assert "over 2 images" in text and "3 pixels never have any ink, painted red and crossed" in text
    assert "all in the outer 2 pixels of the border, 2 of them in the four 5 × 5 corners" in text
    assert "(3)" in drawn["ax"].get_title()
    _legible(drawn["ax"].figure)


def test_network_relu_kinks_and_activations_are_described(series_style):
    from helpers import plot_activations
    from helpers.figures import description
    from helpers.plots import plot_network, plot_relu_kinks

    drawn = plot_network(highlight=3)
    text = description(drawn["ax"])
    assert text.startswith("the 784-10-10 network") and "6 of the 784 input pixels" in text
    assert "(60 of W1's drawn, all 100 of W2's)" in text and "(row 3 of W1 and of W2) are thick and dashed" in text
    _legible(drawn["ax"].figure)
    kinks = plot_relu_kinks()
    text = description(kinks["fig"])
    assert "1 · ReLU(x + 1), −2 · ReLU(x), 1.5 · ReLU(x − 1.2)" in text and "x = −1, 0, 1.2" in text
    assert text.endswith(f"within {kinks['max_error']:.2f}")
    _legible(kinks["fig"])
    z = np.array([1.0, 3.0, -2.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 2.0])
    activations = plot_activations(z, image="dev image 5")
    text = description(activations["fig"])
    top = activations["probabilities"].max()
    assert "the 10 logits z_k of dev image 5 as bars, from −2.0 (digit 2) to 3.0 (digit 1)" in text
    assert f"to {top:.2f}, the largest for digit 1" in text and "at z = 0, 0." in text
    _legible(activations["fig"])


def test_computation_graph_is_described_pass_by_pass(series_style):
    from helpers import plot_computation_graph
    from helpers.figures import description

    drawn = plot_computation_graph()
    text = description(drawn["fig"])
    assert "X (784×m) → Z1 (10×m) → A1 (10×m) → Z2 (10×m) → A2 (10×m) → L (mean of ℓi)" in text
    assert "Z1 = W1X + b1; A1 = ReLU(Z1);" in text and "L = −Σk Yk log A2,k" in text
    for gradient in ("dA2 = −Y/A2", "dZ2 = A2 − Y", "dA1 = W2ᵀ dZ2", "dZ1 = dA1 ⊙ ReLU′(Z1)",
                     "dW1, db1 (from Z1 up to W1, b1)"):
        assert gradient in text, gradient
    assert "derived earlier" not in text and "we are here" not in text
    _legible(drawn["fig"])
    text = description(plot_computation_graph(reached="Z2")["fig"])
    assert text.count("(grey dotted, derived earlier)") == 2 and text.endswith("Marked 'we are here': Z2.")


def test_step_errors_are_described_by_powers_of_ten(series_style):
    from helpers import plot_step_errors
    from helpers.figures import description

    eps = np.logspace(-1, -10, 10)
    errors = eps**2 + 1e-16 / eps
    ax = plot_step_errors(eps, errors, chosen=1e-5)
    text = description(ax)
    assert "10 steps from 1e-01 down to 1e-10" in text and "from about 1e-02 at the largest step" in text
    assert "the guides cross near ε = 1e-05" in text  # eps^2 = 1e-16 / eps
    assert text.endswith("; the chosen step ε = 1e-05 is the dashed vertical line")
    text = description(plot_step_errors(eps, 100 * eps**2 + 1e-16 / eps))
    assert "from about 1e+00 at the largest step" in text and "the guides cross near ε = 1e-06" in text
    assert "chosen" not in text
    _legible(ax.figure)
    assert min(t.get_fontsize() for t in ax.get_legend().get_texts()) >= 14


def test_error_times_input_is_described_with_both_scales(series_style):
    from helpers.figures import description
    from helpers.plots import plot_error_times_input

    rng = np.random.default_rng(0)
    X = rng.random((784, 30)) * (rng.random((784, 30)) < 0.2)
    dZ1 = rng.normal(0, 0.3, (10, 30))
    dZ1[1, 2] = 0.0
    shown = plot_error_times_input(X, dZ1, unit=1, images=[0, 1, 2])
    text = description(shown["fig"])
    limit, row_limit = shown["limits"]
    e0, e1 = (f"{e:+.2f}".replace("-", "−") for e in shown["errors"][:2])
    assert f"image 0 times {e0}, image 1 times {e1}, image 2 times +0.00" in text
    assert f"one scale from −{limit:.2f} to {limit:.2f}; image 2's term is blank (error 0)" in text
    assert f"the mean of all 30 terms, on its own scale from −{row_limit:.3f} to {row_limit:.3f}" in text
    _legible(shown["fig"])


def test_plot_history_describes_every_panel_from_its_data(series_style):
    from helpers.figures import MIN_TEXT_PT, description, smallest_text_pt

    history = {"iteration": [0, 10, 20, 30], "train_accuracy": [0.1, 0.5, 0.7, 0.9],
               "dev_accuracy": [0.12, 0.5, 0.66, 0.8], "train_loss": [2.3, 1.0, 0.5, 0.2],
               "dev_loss": [2.31, 0.9, 0.8, 1.1]}
    fig, (ax_acc, ax_loss) = plt.subplots(1, 2, figsize=(11.5, 4))
    plot_history(history, "accuracy", ax=ax_acc)
    assert description(fig) == ("Accuracy over 30 iterations: train rises from 0.10 to 0.90, "
                                "dev rises from 0.12 to 0.80.")
    plot_history(history, "loss", ax=ax_loss)
    text = description(fig)
    assert text.startswith("Accuracy over 30 iterations:") and "; loss over 30 iterations:" in text  # both panels
    assert "train falls from 2.30 to 0.20" in text
    assert "dev falls from 2.31 to 1.10 (lowest 0.80 at iteration 20)" in text
    assert [line.get_linestyle() for line in ax_acc.lines] == ["-", "--"]  # not colour alone
    assert smallest_text_pt(fig, bbox_inches="tight") >= MIN_TEXT_PT


def test_plot_history_of_two_runs_on_one_axes_names_both():
    from helpers.figures import description

    history = {"iteration": [0, 1, 2], "train_loss": [2.3, 1.0, 0.5], "dev_loss": [2.3, 1.2, 0.9]}
    ax = plot_history(history, "loss", run="no cure")
    plot_history({**history, "dev_loss": [2.3, 1.0, 0.7]}, "loss", ax=ax, run="L2")
    assert description(ax) == ("No cure: loss over 2 iterations: train falls from 2.30 to 0.50, dev falls from 2.30 "
                               "to 0.90; L2: loss over 2 iterations: train falls from 2.30 to 0.50, dev falls from "
                               "2.30 to 0.70.")
    ax = plot_history({**history, "iteration": [0, 10, 20]}, "loss", xlabel="epoch")
    assert description(ax).startswith("Loss over 20 epochs: train falls")  # the x axis's unit, not "iterations"


def test_plot_step_sizes_describes_each_panel_and_is_legible(series_style):
    from helpers.figures import MIN_TEXT_PT, description, smallest_text_pt

    fig, paths = plot_step_sizes(1.0, [0.5, 1.5, 2.1], steps=8)
    text = description(fig)
    assert "8 steps of gradient descent from w = 1" in text
    assert "= 0.5: w slides down, |w| 1 to 0.0039" in text and "= 1.5: w zigzags inwards" in text
    assert f"= 2.1: w zigzags outwards, |w| 1 to {abs(paths[2][-1]):.2g}" in text
    assert smallest_text_pt(fig, bbox_inches="tight") >= MIN_TEXT_PT
    assert fig.get_figwidth() <= 12 and fig.get_figheight() <= 4.5
    assert any(t.get_text() == "start" for t in fig.axes[0].texts)  # the start: a label, not only a colour


def test_plot_quadratic_paths_says_where_each_path_ends(series_style):
    from helpers import plot_quadratic_paths
    from helpers.figures import MIN_TEXT_PT, description, smallest_text_pt

    runs = {"plain": (0.019, 0.0), "momentum": (0.019, 0.9), "too long": (0.19, 0.0)}
    ax, paths = plot_quadratic_paths((1.0, 100.0), runs, w0=(-1.0, 0.1), steps=50)
    text = description(ax)
    assert f"plain ends {np.linalg.norm(paths['plain'][-1]):.2g} from the minimum" in text
    assert f"momentum ends {np.linalg.norm(paths['momentum'][-1]):.2g}" in text
    assert "too long leaves the picture at step 1 (it diverges)" in text
    assert smallest_text_pt(ax.figure, bbox_inches="tight") >= MIN_TEXT_PT
    ax.figure.canvas.draw()
    assert ax.figure.get_tightbbox().width * ax.figure.dpi <= 1200  # at most the slide's width


def test_plot_blocks_describes_the_pixels_kept(mnist, series_style):
    from helpers.figures import MIN_TEXT_PT, description, smallest_text_pt

    blocks = make_blocks(mnist["X_dev"], one_hot(mnist["y_dev"]), 250)
    fig, kept = plot_blocks(blocks, [0, 3])
    text = description(fig)
    assert f"block 0 ({blocks[0].X.shape[1]} images) keeps {kept[0]}" in text
    assert f"block 3 ({blocks[3].X.shape[1]} images) keeps {kept[1]} of the 784 pixels" in text
    assert smallest_text_pt(fig, bbox_inches="tight") >= MIN_TEXT_PT

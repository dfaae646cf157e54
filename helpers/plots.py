"""Pictures: digits, training curves, the confusion matrix, hidden units.

Plotting boilerplate lives here so that the notebooks keep the math in view. Every function draws
on a Matplotlib ``Axes`` (made for you when ``ax`` is None) and returns what it drew, so a notebook
can check a figure's numbers with an ``assert`` (nbval does not compare images).
"""

from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np

from .data import IMAGE_SIDE, N_CLASSES, N_PIXELS, check_labels, check_X, load_data
from .network import forward_prop, get_predictions

DIGIT_CMAP = "gray_r"  # dark ink on white paper
GRID_COLUMNS = 10


def _axes(ax, figsize=(3, 3)):
    """Return ``ax``, or a new figure's single Axes. (Plotting boilerplate.)"""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def column_to_image(x):
    """One column of X, shape (784,) or (784, 1), back to a 28 x 28 image."""
    return np.asarray(x).reshape(IMAGE_SIDE, IMAGE_SIDE)


def show_digit(x, title=None, ax=None):
    """Draw one digit, a column of X (784,), as a 28 x 28 image. Taught in ``01_data.ipynb``."""
    ax = _axes(ax)
    ax.imshow(column_to_image(x), cmap=DIGIT_CMAP, vmin=0, vmax=1, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title, fontsize=9)
    return ax


def plot_digit_grid(X, y, n=20, predictions=None, columns=GRID_COLUMNS):
    """A grid of the first ``n`` digits of X (784, m) titled with their labels y (m,).

    Taught in ``01_data.ipynb``. With ``predictions`` (m,), titles read "label -> prediction" and
    mistakes are marked in red. Returns the figure.
    """
    rows = int(np.ceil(n / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(columns * 0.9, rows * 1.0))
    for i, ax in enumerate(np.ravel(axes)):
        if i >= n:
            ax.axis("off")
            continue
        title = f"{y[i]}" if predictions is None else f"{y[i]}→{predictions[i]}"
        show_digit(X[:, i], title, ax)
        if predictions is not None and predictions[i] != y[i]:
            ax.title.set_color("red")
    fig.tight_layout()
    return fig


def label_counts(y):
    """How many examples of each digit: (10,) ints. Taught in ``01_data.ipynb``."""
    return np.bincount(check_labels(y), minlength=N_CLASSES)


def plot_label_histogram(y, ax=None, title="labels"):
    """Bar chart of ``label_counts(y)``. Returns the counts (10,)."""
    counts = label_counts(y)
    ax = _axes(ax, figsize=(5, 2.5))
    ax.bar(range(N_CLASSES), counts, color="tab:blue")
    ax.set_xticks(range(N_CLASSES))
    ax.set_xlabel("digit")
    ax.set_ylabel("images")
    ax.set_title(title)
    return counts


@lru_cache(maxsize=1)
def _test_set():
    """The 10,000 test images (784, 10000) and labels, loaded once per session for ``test_prediction``."""
    data = load_data()
    return data["X_test"], data["y_test"]


def test_prediction(index, W1, b1, W2, b2, X=None, y=None, ax=None):
    """Show image ``index`` of X with the network's prediction and the true label (the seed's function).

    Taught in ``05_evaluation.ipynb``. X (784, m) and y (m,) default to the 10,000 test images.
    Prints ``Prediction: p  Label: l`` and returns ``(prediction, label)`` as ints.
    """
    if X is None or y is None:
        X, y = _test_set()
    check_X(X, finite=False)
    if not 0 <= index < X.shape[1]:
        raise IndexError(f"index must be between 0 and {X.shape[1] - 1}; got {index}.")
    x = X[:, index, None]  # keep it a column: (784, 1)
    prediction = int(get_predictions(forward_prop(W1, b1, W2, b2, x)[3])[0])
    label = int(y[index])
    print(f"Prediction: {prediction}  Label: {label}")
    show_digit(x, f"predicted {prediction}, label {label}", ax=_axes(ax, figsize=(2.5, 2.5)))
    plt.show()
    return prediction, label


test_prediction.__test__ = False  # a seed name, not a pytest test


def plot_history(history, metric="accuracy", ax=None, title=None, xlabel="iteration", run=None, color=None):
    """Train (and dev) ``metric`` ('accuracy' or 'loss') against iterations. Taught in ``04_training.ipynb``.

    To compare runs on one Axes, name each with ``run`` (and a ``color``): its curves are then labelled
    "run: train" (dashed) and "run: dev" (solid), in that colour. Returns the Axes.
    """
    ax = _axes(ax, figsize=(5, 3))
    if run is None:
        styles = {"train": {"label": "train"}, "dev": {"label": "dev"}}
    else:
        styles = {"train": {"label": f"{run}: train", "linestyle": "--", "color": color},
                  "dev": {"label": f"{run}: dev", "color": color}}
    ax.plot(history["iteration"], history[f"train_{metric}"], **styles["train"])
    if history.get(f"dev_{metric}"):
        ax.plot(history["iteration"], history[f"dev_{metric}"], **styles["dev"])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(metric)
    ax.grid(alpha=0.3)
    ax.legend()
    if title:
        ax.set_title(title)
    return ax


def plot_step_sizes(curvature, alphas, steps=8, w0=1.0):
    """One panel per learning rate: f(w) = curvature/2 w^2 with the points of ``quadratic_descent`` on it.

    Taught in ``04_training.ipynb`` (why too large a step overshoots). Returns the figure and the list of
    iterates (one float64 array of ``steps + 1`` values per alpha).
    """
    from .training import quadratic_descent  # plots -> training -> plots would be circular at import time

    paths = [quadratic_descent(curvature, alpha, w0, steps) for alpha in alphas]
    fig, axes = plt.subplots(1, len(alphas), figsize=(2.6 * len(alphas), 2.4), squeeze=False)
    for ax, alpha, w in zip(axes[0], alphas, paths):
        reach = max(1.2 * abs(w0), min(np.abs(w).max(), 4 * abs(w0)))
        grid = np.linspace(-reach, reach, 200)
        ax.plot(grid, curvature / 2 * grid ** 2, color="lightgray")
        shown = np.abs(w) <= reach
        ax.plot(w[shown], curvature / 2 * w[shown] ** 2, "o-", color="tab:blue", markersize=3, linewidth=0.8)
        ax.plot(w[0], curvature / 2 * w[0] ** 2, "o", color="tab:red", markersize=5)  # the start
        ax.set_title(f"alpha x curvature = {alpha * curvature:g}", fontsize=9)
        ax.set_xlabel("w")
        ax.set_yticks([])
    axes[0][0].set_ylabel("f(w)")
    fig.tight_layout()
    return fig, paths


def confusion_matrix(y, predictions):
    """C[i, j] = number of images with label i predicted as j: (10, 10) ints. Taught in ``05_evaluation.ipynb``."""
    y, predictions = check_labels(y), check_labels(predictions)
    C = np.zeros((N_CLASSES, N_CLASSES), dtype=np.int64)
    np.add.at(C, (y, predictions), 1)
    return C


def plot_confusion_matrix(C, ax=None):
    """Draw a confusion matrix (10, 10) with its counts written in the cells. Returns the Axes."""
    ax = _axes(ax, figsize=(4.5, 4.5))
    ax.imshow(np.log1p(C), cmap="Blues")  # log scale so that the few mistakes stay visible
    for i in range(N_CLASSES):
        for j in range(N_CLASSES):
            color = "white" if i == j else "black"
            ax.text(j, i, str(C[i, j]), ha="center", va="center", fontsize=7, color=color)
    ax.set_xticks(range(N_CLASSES))
    ax.set_yticks(range(N_CLASSES))
    ax.set_xlabel("predicted")
    ax.set_ylabel("true label")
    return ax


def misclassified(y, A2):
    """Indices of the mistakes, most confident first: (k,) ints. y (m,), A2 (10, m)."""
    predictions = get_predictions(A2)
    wrong = np.flatnonzero(predictions != check_labels(y))
    confidence = A2[predictions[wrong], wrong]
    return wrong[np.argsort(-confidence, kind="stable")]


def plot_misclassified(X, y, A2, n=10, columns=5):
    """Gallery of the ``n`` most confident mistakes: each digit with its label, prediction and p.

    Taught in ``05_evaluation.ipynb``. X (784, m), y (m,), A2 (10, m). Returns the indices shown.
    """
    shown = misclassified(y, A2)[:n]
    rows = int(np.ceil(len(shown) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(columns * 1.5, rows * 1.85), squeeze=False)
    predictions = get_predictions(A2)
    for ax, i in zip(axes.ravel(), shown):
        p = predictions[i]
        show_digit(X[:, i], f"label {y[i]}, said {p}\np = {A2[p, i]:.2f}", ax)
    for ax in axes.ravel()[len(shown):]:
        ax.axis("off")
    fig.tight_layout()
    return shown


def plot_hidden_units(W1, columns=5):
    """Each hidden unit's 784 input weights (a row of W1, (10, 784)) as a 28 x 28 image.

    Taught in ``05_evaluation.ipynb``. Red: pixels that excite the unit; blue: pixels that inhibit it.
    Returns the figure.
    """
    units = W1.shape[0]
    rows = int(np.ceil(units / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(columns * 1.4, rows * 1.5))
    limit = np.abs(W1).max()
    for k, ax in enumerate(np.ravel(axes)):
        ax.imshow(column_to_image(W1[k]), cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_title(f"unit {k}", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def block_column(block, j, n_pixels=N_PIXELS):
    """Image j of a block (see ``helpers.blocks``) back as a full column (784,): its left-out pixels are 0."""
    x = np.zeros(n_pixels, dtype=block.X.dtype)
    x[block.pixels] = block.X[:, j]
    return x


def plot_blocks(blocks, which):
    """For each block in ``which``: the pixels it keeps (gray) under its middle image (ink in black).

    Taught in ``04_training.ipynb``: white pixels are blank in every image of the block, so the block
    leaves them out of both products. Returns the figure and the number of pixels each block keeps.
    """
    fig, axes = plt.subplots(1, len(which), figsize=(1.75 * len(which), 2.3), squeeze=False)
    kept = []
    for ax, b in zip(axes[0], which):
        block = blocks[b]
        picture = np.zeros(N_PIXELS)
        picture[block.pixels] = 0.25  # kept: light gray
        picture = np.maximum(picture, block_column(block, block.X.shape[1] // 2))  # its middle image, on top
        show_digit(picture, f"block {b}: {block.pixels.size} pixels", ax)
        kept.append(block.pixels.size)
    fig.tight_layout()
    return fig, kept

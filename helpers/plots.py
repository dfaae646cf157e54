"""Pictures: digits, training curves, the confusion matrix, hidden units.

Plotting boilerplate lives here so that the notebooks keep the math in view. Every function draws
on a Matplotlib ``Axes`` (made for you when ``ax`` is None) and returns what it drew, so a notebook
can check a figure's numbers with an ``assert`` (nbval does not compare images).
"""

from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from .data import IMAGE_SIDE, N_CLASSES, N_PIXELS, check_labels, check_X, load_data
from .network import forward_prop, get_predictions
from .stats import accuracy_se

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


def plot_history(history, metric="accuracy", ax=None, title=None, xlabel="iteration"):
    """Train (and dev) ``metric`` ('accuracy' or 'loss') against iterations. Taught in ``04_training.ipynb``.

    Returns the Axes.
    """
    ax = _axes(ax, figsize=(5, 3))
    ax.plot(history["iteration"], history[f"train_{metric}"], label="train")
    if history.get(f"dev_{metric}"):
        ax.plot(history["iteration"], history[f"dev_{metric}"], label="dev")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(metric)
    ax.grid(alpha=0.3)
    ax.legend()
    if title:
        ax.set_title(title)
    return ax


def confusion_matrix(y, predictions):
    """C[i, j] = number of images with label i predicted as j: (10, 10) ints. Taught in ``05_evaluation.ipynb``."""
    y, predictions = check_labels(y), check_labels(predictions)
    C = np.zeros((N_CLASSES, N_CLASSES), dtype=np.int64)
    np.add.at(C, (y, predictions), 1)
    return C


def plot_confusion_matrix(C, ax=None, title=None, colorbar=True):
    """Draw a confusion matrix (10, 10) with its counts written in the cells. Returns the Axes.

    Taught in ``05_evaluation.ipynb``. The colour is log(1 + count): on a linear scale the ~1,000
    right answers per digit would leave every mistake white. The colour bar is labelled in counts.
    """
    ax = _axes(ax, figsize=(5.2, 4.5))
    image = ax.imshow(np.log1p(C), cmap="Blues")  # log scale so that the few mistakes stay visible
    if colorbar:
        bar = ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
        counts = [n for n in (0, 1, 10, 100, 1000, 10_000) if n <= max(int(C.max()), 1)]
        bar.set_ticks(np.log1p(counts), labels=[f"{n:,}" for n in counts])
        bar.set_label("images (log scale)")
    if title:
        ax.set_title(title, fontsize=10)
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


def plot_votes(W2, ax=None, title=None):
    """W2 (10, 10) as a heat map: row j is digit j, column k is hidden unit k. Returns the Axes.

    Taught in ``05_evaluation.ipynb``. Z2[j] = sum_k W2[j, k] A1[k] + b2[j], so column k says how an
    active unit k votes: red raises digit j's score, blue lowers it. Each cell shows its value.
    """
    W2 = np.asarray(W2)
    ax = _axes(ax, figsize=(5.2, 4.5))
    limit = float(np.abs(W2).max()) or 1.0
    image = ax.imshow(W2, cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="W2[j, k]")
    for j in range(W2.shape[0]):
        for k in range(W2.shape[1]):
            color = "white" if abs(W2[j, k]) > 0.6 * limit else "black"
            text = f"{W2[j, k]:.1f}".replace("-0.0", "0.0")  # no minus sign on a value that shows as 0
            ax.text(k, j, text, ha="center", va="center", fontsize=7, color=color)
    ax.set_xticks(range(W2.shape[1]))
    ax.set_yticks(range(W2.shape[0]))
    ax.set_xlabel("hidden unit k")
    ax.set_ylabel("digit j")
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def calibration_bins(A2, y, n_bins=10):
    """The numbers of a reliability (calibration) diagram. Taught in ``05_evaluation.ipynb``.

    A2 (10, m) softmax outputs, y (m,) labels. An image's *confidence* is its largest probability,
    max_k A2[k, i], the probability of the predicted digit. The images are grouped by confidence
    into ``n_bins`` equal bins of [0, 1] (bin b holds edges[b] <= confidence < edges[b + 1]; the
    last bin includes 1). A calibrated network is right, in every bin, as often as it says.

    Returns a dict: ``edges`` (n_bins + 1,); ``count`` (n_bins,) ints; ``confidence`` (mean
    confidence), ``accuracy`` (fraction predicted right) and ``se`` (its binomial standard error,
    ``stats.accuracy_se``), each (n_bins,) floats, NaN for an empty bin.
    """
    A2 = np.asarray(A2)
    y = check_labels(y)
    if A2.ndim != 2 or A2.shape != (N_CLASSES, y.size):
        raise ValueError(f"A2 must have shape (10, m) = (10, {y.size}) to match y; got {A2.shape}.")
    if int(n_bins) != n_bins or n_bins < 1:
        raise ValueError(f"n_bins must be a whole number, at least 1; got {n_bins!r}.")
    confidence = A2.max(axis=0).astype(np.float64)
    right = get_predictions(A2) == y
    edges = np.linspace(0, 1, n_bins + 1)
    which = np.clip(np.searchsorted(edges, confidence, side="right") - 1, 0, n_bins - 1)
    count = np.bincount(which, minlength=n_bins)
    mean_confidence = np.full(n_bins, np.nan)
    accuracy = np.full(n_bins, np.nan)
    se = np.full(n_bins, np.nan)
    for b in np.flatnonzero(count):
        mean_confidence[b] = confidence[which == b].mean()
        accuracy[b] = right[which == b].mean()
        se[b] = accuracy_se(accuracy[b], count[b])
    return {"edges": edges, "count": count, "confidence": mean_confidence, "accuracy": accuracy, "se": se}


def plot_reliability(A2, y, n_bins=10, ax=None, label=None):
    """Reliability diagram: per confidence bin, the fraction right against the mean confidence.

    Taught in ``05_evaluation.ipynb``. A2 (10, m), y (m,). Points on the diagonal: calibrated; below
    it: overconfident (right less often than it says); above: underconfident. Error bars: one
    standard error. Call it again with the same ``ax`` to compare networks. Returns
    ``calibration_bins(A2, y, n_bins)``.
    """
    bins = calibration_bins(A2, y, n_bins)
    ax = _axes(ax, figsize=(4.5, 4.5))
    if not any(line.get_gid() == "calibrated" for line in ax.get_lines()):
        ax.plot([0, 1], [0, 1], color="gray", linestyle=":", gid="calibrated", label="calibrated")
    full = bins["count"] > 0
    ax.errorbar(bins["confidence"][full], bins["accuracy"][full], yerr=bins["se"][full], marker="o",
                markersize=4, capsize=3, label=label)
    ax.set(xlim=(0, 1), ylim=(0, 1), aspect="equal")
    ax.set_xlabel("confidence (largest probability)")
    ax.set_ylabel("fraction predicted right")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    return bins


def plot_training_runs(runs, figsize=None):
    """Train and dev curves of several runs: accuracy (top row, 0 to 1) and loss (bottom row, from 0).

    Taught in ``05_evaluation.ipynb``. ``runs`` is a list of ``(title, history, xlabel)``, one column
    each (``history`` as ``gradient_descent`` or ``minibatch_sgd`` return it). Returns the figure;
    ``fig.axes[r]`` is run r's accuracy and ``fig.axes[len(runs) + r]`` its loss.
    """
    figsize = figsize or (4.5 * len(runs), 5.5)
    fig, axes = plt.subplots(2, len(runs), figsize=figsize, squeeze=False)
    for r, (title, history, xlabel) in enumerate(runs):
        plot_history(history, "accuracy", ax=axes[0, r], title=title, xlabel=xlabel)
        axes[0, r].set_ylim(0, 1)
        plot_history(history, "loss", ax=axes[1, r], xlabel=xlabel)
        axes[1, r].set_ylim(bottom=0)
        for ax in axes[:, r]:
            ax.set_xlim(0, history["iteration"][-1])  # from the start to the last record
            ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))  # whole steps
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

"""Pictures: digits, training curves, the confusion matrix, hidden units.

Plotting boilerplate lives here so that the notebooks keep the math in view. Every function draws
on a Matplotlib ``Axes`` (made for you when ``ax`` is None) and returns what it drew, so a notebook
can check a figure's numbers with an ``assert`` (nbval does not compare images).
"""

import os
from functools import lru_cache
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from .data import IMAGE_SIDE, N_CLASSES, N_PIXELS, check_labels, check_X, load_data
from .figures import (
    BLACK,
    BLUE,
    GREEN,
    MIN_TEXT_PT,
    ORANGE,
    PURPLE,
    SERIES_COLORS,
    SERIES_LINESTYLES,
    SKY,
    VERMILLION,
    WRONG,
    describe,
    description,
    figure_of,
)
from .network import forward_prop, get_predictions
from .stats import accuracy_se

DIGIT_CMAP = "gray_r"  # dark ink on white paper
ERROR_CMAP = "bwr"  # blue negative, white exactly 0, red positive
GRID_COLUMNS = 10
REPOSITORY = Path(__file__).resolve().parent.parent
# PNGs for the README: fixed dpi and no "Software" version stamp, so a rerun writes the same bytes
README_SAVE = {"dpi": 100, "bbox_inches": "tight", "metadata": {"Software": None}}


def readme_folder(here=None):
    """Where ``08_evaluation.ipynb`` saves its README pictures: the repository's ``images/`` when the notebook
    runs from the repository's own ``notebooks/`` folder (``here``, default the current directory); anywhere
    else (a student edition in another folder) an ``images/`` folder beside the running notebook, so a copy
    never writes into the repository.
    """
    here = Path.cwd() if here is None else Path(here)
    if here.resolve() == REPOSITORY / "notebooks":
        return REPOSITORY / "images"
    return here / "images"


def readme_picture(fig, name, here=None):
    """Save ``fig`` as the README picture ``name`` (a .png) into ``readme_folder(here)``; return its path.

    Used in ``08_evaluation.ipynb``; the same figure always gives the same bytes (fixed dpi, no version stamp).
    """
    folder = readme_folder(here)
    folder.mkdir(exist_ok=True)
    path = folder / name
    partial = folder / f".{name}.{os.getpid()}.partial.png"
    fig.savefig(partial, **README_SAVE)
    os.replace(partial, path)  # whole or not at all: a test reading images/ meanwhile never sees half a file
    return path


def _axes(ax, figsize=(3, 3)):
    """Return ``ax``, or a new figure's single Axes. (Plotting boilerplate.)"""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def column_to_image(x):
    """One column of X, shape (784,) or (784, 1), back to a 28 x 28 image."""
    return np.asarray(x).reshape(IMAGE_SIDE, IMAGE_SIDE)


DIGIT_SIZE = (3.8, 3.8)  # inches: one digit on its own figure (about 330 px on the slide after the crop)
#: What the series calls its colours in titles and descriptions (a colour given by its hex code).
COLOR_NAMES = {VERMILLION: "red", BLUE: "blue", ORANGE: "orange", SKY: "light blue", BLACK: "black"}


def show_digit(x, title=None, ax=None):
    """Draw one digit, a column of X (784,), as a 28 x 28 image. Taught in ``01_data.ipynb``.

    Titles use the series' style (``helpers.figures``). On a figure of its own (``ax`` None) the figure is
    described: the title and how many of the 784 pixels have ink. Returns the Axes.
    """
    own = ax is None
    ax = _axes(ax, figsize=DIGIT_SIZE)
    image = column_to_image(x)
    ax.imshow(image, cmap=DIGIT_CMAP, vmin=0, vmax=1, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title)
    if own:
        named = f", {title}" if title else ""
        describe(ax, f"one handwritten digit{named}, drawn as 28 × 28 pixels, black ink on white: "
                     f"{int(np.count_nonzero(image > 0))} of the 784 pixels have ink")
    return ax


def plot_digit_grid(X, y, n=20, predictions=None, columns=GRID_COLUMNS):
    """A grid of the first ``n`` digits of X (784, m) titled with their labels y (m,).

    Taught in ``01_data.ipynb``. With ``predictions`` (m,), titles read "label→prediction" and
    mistakes are marked in red and bold (colour is not the only cue). Titles in the series' style, about
    1.1 in per column (11 in for 10 columns). The figure is described: the labels, or the mistakes.
    Returns the figure.
    """
    rows = int(np.ceil(n / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(columns * 1.1, rows * 1.35), squeeze=False)
    wrong = []
    for i, ax in enumerate(axes.ravel()):
        if i >= n:
            ax.axis("off")
            continue
        title = f"{y[i]}" if predictions is None else f"{y[i]}→{predictions[i]}"
        show_digit(X[:, i], title, ax)
        if predictions is not None and predictions[i] != y[i]:
            ax.title.set_color(WRONG)
            ax.title.set_fontweight("bold")
            wrong.append(title)
    fig.tight_layout()
    shown = f"{n} handwritten digits (28 × 28 pixels each) in {rows} row{'s' * (rows > 1)} of {columns}"
    if predictions is None:
        ink = np.asarray(X[:, :n]).sum(axis=0)
        text = (f"{shown}, each titled with its label: {' '.join(str(label) for label in y[:n])}; "
                f"the most ink: the {y[int(ink.argmax())]}, the least: the {y[int(ink.argmin())]}")
    else:
        mistakes = f": {', '.join(wrong)}" if wrong else ""
        text = (f"{shown}, each titled label→prediction: {n - len(wrong)} right, {len(wrong)} wrong "
                f"(in red and bold){mistakes}")
    describe(fig, text)
    return fig


def label_counts(y):
    """How many examples of each digit: (10,) ints. Taught in ``01_data.ipynb``."""
    return np.bincount(check_labels(y), minlength=N_CLASSES)


def plot_label_histogram(y, ax=None, title="labels", annotate=False):
    """Bar chart of ``label_counts(y)``. Returns the counts (10,).

    Taught in ``01_data.ipynb``. With ``annotate=True`` each bar's count is written above it, so a bar
    of 1 image is told apart from a bar of 0 (``02_forward.ipynb``). The figure is described with every
    count; histograms drawn side by side on one figure are described together, in the order drawn.
    """
    counts = label_counts(y)
    ax = _axes(ax, figsize=(10, 3.2))
    bars = ax.bar(range(N_CLASSES), counts, color=BLUE)
    if annotate:
        ax.bar_label(bars, labels=[str(c) for c in counts], padding=2)
        ax.set_ylim(0, max(ax.get_ylim()[1], 1.2 * counts.max()))  # room for the numbers (axes may share y)
    ax.set_xticks(range(N_CLASSES))
    ax.set_xlabel("digit")
    ax.set_ylabel("images")
    ax.set_title(title)
    most, fewest = int(counts.argmax()), int(counts.argmin())
    part = (f"{title}: {counts.sum():,} images, per digit 0 to 9: {', '.join(f'{c:,}' for c in counts)} "
            f"(most: {most}, {counts[most]:,}; fewest: {fewest}, {counts[fewest]:,})")
    fig = ax.figure
    written, parts = getattr(fig, "_label_histograms", (None, []))
    parts = [*parts, part] if written is not None and description(fig) == written else [part]
    describe(fig, f"bar chart{'s' * (len(parts) > 1)} of images per digit. " + "; ".join(parts))
    fig._label_histograms = (description(fig), parts)  # the next histogram on this figure adds its part
    return counts


def plot_never_inked(X, ax=None, color=VERMILLION):
    """Where the ink can be: the darkest value each pixel takes over the columns of X (784, m).

    Taught in ``01_data.ipynb``. Drawn like a digit (black = ink, white = only faint ink), big (on a new
    figure each pixel is about 18 px on the slide), with the pixels that are 0 in every column painted ``color`` and
    crossed, so they cannot be mistaken for faint ones (and colour is not the only cue). The figure is
    described: how many such pixels and where. Returns a dict with the Axes, 'darkest' (784,) and
    'never' (784,) booleans: the painted pixels.
    """
    check_X(X)
    darkest = X.max(axis=1)
    never = darkest == 0
    if ax is None:  # big: each of the 28 x 28 pixels about 20 px on the slide
        _, ax = plt.subplots(figsize=(5.0, 5.4), layout="constrained")
    show_digit(darkest, ax=ax)
    overlay = np.zeros((IMAGE_SIDE, IMAGE_SIDE, 4))
    overlay[column_to_image(never)] = matplotlib.colors.to_rgba(color)
    ax.imshow(overlay, interpolation="nearest")
    rows, columns = np.nonzero(column_to_image(never))
    ax.plot(columns, rows, "x", color="black", markersize=7, markeredgewidth=1.2, linestyle="none")
    name = COLOR_NAMES.get(color, str(color).removeprefix("tab:"))
    ax.set_title(f"darkest ink of each pixel\n{name}, crossed: never any ink ({never.sum()})")
    where = ""
    if never.any():
        depth = np.minimum.reduce([rows, columns, IMAGE_SIDE - 1 - rows, IMAGE_SIDE - 1 - columns])
        corner = ((np.minimum(rows, IMAGE_SIDE - 1 - rows) < 5) & (np.minimum(columns, IMAGE_SIDE - 1 - columns) < 5))
        ring = "pixel" if depth.max() == 0 else f"{depth.max() + 1} pixels"
        where = f", all in the outer {ring} of the border, {int(corner.sum())} of them in the four 5 × 5 corners"
    describe(ax, f"the darkest value each of the 784 pixels takes over {X.shape[1]:,} images, drawn like a digit "
                 f"(black: ink in some image; white: faint ink at most); {int(never.sum())} pixels never have any "
                 f"ink, painted {name} and crossed{where}")
    return {"ax": ax, "darkest": darkest, "never": never}


@lru_cache(maxsize=1)
def _test_set():
    """The 10,000 test images (784, 10000) and labels, loaded once per session for ``test_prediction``."""
    data = load_data()
    return data["X_test"], data["y_test"]


def test_prediction(index, W1, b1, W2, b2, X=None, y=None, ax=None):
    """Show image ``index`` of X with the network's prediction and the true label (the seed's function).

    Taught in ``08_evaluation.ipynb``. X (784, m) and y (m,) default to the 10,000 test images.
    Prints ``Prediction: p  Label: l`` (the seed's words) and returns ``(prediction, label)`` as ints; the
    picture is titled "label l → predicted p", the series' order (label first, as in "9→4"), and described
    for screen readers.
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
    ax = show_digit(x, ax=_axes(ax, figsize=(3, 3)))
    ax.set_title(f"label {label} → predicted {prediction}", fontsize=MIN_TEXT_PT)  # the series' size
    verdict = "right" if prediction == label else "wrong"
    describe(ax, f"Image {index}: a handwritten {label} (its label), which the network predicts as {prediction}: "
                 f"{verdict}.")
    plt.show()
    return prediction, label


test_prediction.__test__ = False  # a seed name, not a pytest test


def _history_sentence(history, metric, run=None, xlabel="iteration"):
    """What one ``plot_history`` panel shows, in words: each curve's first and last value (2 decimals, the
    series' printed precision), and for a dev loss that turns, its lowest point."""
    iterations = history["iteration"]
    parts = []
    for split in ("train", "dev"):
        values = history.get(f"{split}_{metric}")
        if not values:
            continue
        first, last = float(values[0]), float(values[-1])
        verb = "rises" if last > first else "falls"
        part = f"{split} {verb} from {first:.2f} to {last:.2f}"
        lowest = int(np.argmin(values))
        if metric == "loss" and 0 < lowest < len(values) - 1 and f"{float(values[lowest]):.2f}" != f"{last:.2f}":
            part += f" (lowest {float(values[lowest]):.2f} at {xlabel} {iterations[lowest]})"
        parts.append(part)
    name = f"{run}: " if run is not None else ""
    span = (f"over {iterations[-1]:,} {xlabel}s" if xlabel in ("iteration", "epoch", "step")
            else f"against {xlabel}, up to {iterations[-1]:,}")
    return f"{name}{metric} {span}: " + ", ".join(parts)


def plot_history(history, metric="accuracy", ax=None, title=None, xlabel="iteration", run=None, color=None):
    """Train (and dev) ``metric`` ('accuracy' or 'loss') against iterations. Taught in ``05_training.ipynb``.

    Train is a solid line, dev a dashed one (in two colours: never colour alone). To compare runs on one
    Axes, name each with ``run`` (and a ``color``): its curves are then labelled "run: train" (dashed) and
    "run: dev" (solid), in that colour. The figure's description (``helpers.figures.describe``) says what
    every ``plot_history`` call on it drew (first and last values), panel after panel. Returns the Axes.
    """
    ax = _axes(ax, figsize=(10, 4))
    if run is None:
        styles = {"train": {"label": "train", "color": BLUE, "linestyle": "-"},
                  "dev": {"label": "dev", "color": VERMILLION, "linestyle": "--"}}
    else:
        styles = {"train": {"label": f"{run}: train", "linestyle": "--", "color": color},
                  "dev": {"label": f"{run}: dev", "linestyle": "-", "color": color}}
    ax.plot(history["iteration"], history[f"train_{metric}"], **styles["train"])
    if history.get(f"dev_{metric}"):
        ax.plot(history["iteration"], history[f"dev_{metric}"], **styles["dev"])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(metric)
    ax.grid(alpha=0.3)
    ax.legend()
    if title:
        ax.set_title(title)
    fig = figure_of(ax)  # the Figure itself, also for an Axes on a SubFigure (Matplotlib 3.7 has no root=)
    sentences = getattr(fig, "_history_sentences", [])  # every plot_history panel of this figure, in order
    fig._history_sentences = sentences + [_history_sentence(history, metric, run, xlabel)]
    text = "; ".join(fig._history_sentences) + "."
    describe(fig, text[0].upper() + text[1:])
    return ax


def _step_story(w):
    """How the iterates w of ``quadratic_descent`` move, in words (2 significant digits: float64, exact enough)."""
    flips = bool(np.all(np.sign(w[1:]) == -np.sign(w[:-1])))
    grows = abs(w[-1]) > abs(w[0])
    how = ("zigzags outwards" if grows else "zigzags inwards") if flips else ("slides away" if grows else "slides down")
    return f"{how}, |w| {abs(w[0]):.2g} to {abs(w[-1]):.2g}"


def plot_step_sizes(curvature, alphas, steps=8, w0=1.0):
    """One panel per learning rate: f(w) = curvature/2 w^2 with the points of ``quadratic_descent`` on it.

    Taught in ``05_training.ipynb`` (why too large a step overshoots). The start is a large vermillion dot,
    labelled "start". Returns the figure and the list of iterates (one float64 array of ``steps + 1`` values
    per alpha).
    """
    from .training import quadratic_descent  # plots -> training -> plots would be circular at import time

    paths = [quadratic_descent(curvature, alpha, w0, steps) for alpha in alphas]
    fig, axes = plt.subplots(1, len(alphas), figsize=(min(12, 3.8 * len(alphas)), 3.4), squeeze=False,
                             layout="constrained")
    for ax, alpha, w in zip(axes[0], alphas, paths):
        reach = max(1.2 * abs(w0), min(np.abs(w).max(), 4 * abs(w0)))
        grid = np.linspace(-reach, reach, 200)
        ax.plot(grid, curvature / 2 * grid ** 2, color="0.75", linestyle="-")
        shown = np.abs(w) <= reach
        ax.plot(w[shown], curvature / 2 * w[shown] ** 2, "o-", color=BLUE, markersize=5, linewidth=1.2)
        ax.plot(w[0], curvature / 2 * w[0] ** 2, "o", color=VERMILLION, markersize=10)  # the start
        ax.annotate("start", (w[0], curvature / 2 * w[0] ** 2), xytext=(0, 10), textcoords="offset points",
                    ha="center", va="bottom", color=VERMILLION)
        ax.set_title(f"α × curvature = {alpha * curvature:g}")
        ax.set_xlabel("w")
        ax.set_yticks([])
        ax.set_ylim(top=curvature / 2 * reach ** 2 * 1.3)  # room for the label above the start
    axes[0][0].set_ylabel("f(w)")
    stories = "; ".join(f"α × curvature = {alpha * curvature:g}: w {_step_story(w)}" for alpha, w in zip(alphas, paths))
    describe(fig, f"The valley f(w) = {curvature:g}/2 w² with {steps} steps of gradient descent from w = {w0:g}, one "
                  f"panel per step size: {stories}.")
    return fig, paths


SHOWN_MISTAKES = 6  # plot_confusion_matrix writes the counts of this many of the largest mistakes
RELIABILITY_MARKERS = ("o", "s", "^", "D")  # plot_reliability: one marker per network drawn on the same axes


def _describe_panel(ax, text, key=None, lead=""):
    """Describe one panel (``ax``, or one network drawn on it, ``key``) of a figure whose other panels are
    described too: the figure's description joins every panel's, in the order drawn. (Plotting boilerplate.)"""
    fig = ax.figure
    panels = fig.__dict__.setdefault("_panel_descriptions", {})  # (id(ax), key) -> (lead, text)
    panels[(id(ax), key)] = (lead, text)
    by_axes = {}
    for (axes_id, _), (panel_lead, panel_text) in panels.items():
        by_axes.setdefault(axes_id, [panel_lead, []])[1].append(panel_text)
    describe(fig, " ".join(f"{panel_lead}{'; '.join(texts)}." for panel_lead, texts in by_axes.values()))


def confusion_matrix(y, predictions):
    """C[i, j] = number of images with label i predicted as j: (10, 10) ints. Taught in ``08_evaluation.ipynb``."""
    y, predictions = check_labels(y), check_labels(predictions)
    C = np.zeros((N_CLASSES, N_CLASSES), dtype=np.int64)
    np.add.at(C, (y, predictions), 1)
    return C


def plot_confusion_matrix(C, ax=None, title=None, colorbar=True):
    """Draw a confusion matrix (10, 10), its largest mistakes written in their cells. Returns the Axes.

    Taught in ``08_evaluation.ipynb``. The colour is log(1 + count): on a linear scale the ~1,000
    right answers per digit would leave every mistake white. The colour bar is labelled in counts.
    Only the ``SHOWN_MISTAKES`` largest off-diagonal counts are written (at the series' text size, legible
    on a slide); the notebook prints the rest. The figure is described for screen readers (both panels,
    when two matrices share a figure).
    """
    C = np.asarray(C)
    ax = _axes(ax, figsize=(5.5, 4.5))
    shade = np.log1p(C)
    image = ax.imshow(shade, cmap="Blues")  # log scale so that the few mistakes stay visible
    if colorbar:
        bar = ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
        counts = [n for n in (0, 1, 10, 100, 1000, 10_000) if n <= max(int(C.max()), 1)]
        bar.set_ticks(np.log1p(counts), labels=[f"{n:,}" for n in counts])
        bar.set_label("images (log scale)")
    if title:
        ax.set_title(title)
    off = C - np.diag(np.diag(C))  # the mistakes: the diagonal zeroed
    largest = np.argsort(-off, axis=None, kind="stable")[:SHOWN_MISTAKES]
    largest = [(int(k), int(k2)) for k, k2 in zip(*np.unravel_index(largest, C.shape)) if off[k, k2] > 0]
    dark = 0.6 * (float(shade.max()) or 1.0)  # white numbers on the darker cells
    for k, k2 in largest:
        ax.text(k2, k, str(C[k, k2]), ha="center", va="center", color="white" if shade[k, k2] > dark else "black",
                fontweight="bold")
    ax.set_xticks(range(N_CLASSES))
    ax.set_yticks(range(N_CLASSES))
    ax.set_xlabel("predicted")
    ax.set_ylabel("true label")
    mistakes = ", ".join(f"{k}→{k2} ({C[k, k2]})" for k, k2 in largest)
    _describe_panel(ax, f"{title + ': ' if title else ''}confusion matrix of {int(C.sum()):,} images (rows: true "
                        f"label, columns: prediction; colour: log of the count), {int(np.trace(C)):,} on the "
                        f"diagonal (right) and {int(off.sum()):,} mistakes; the {len(largest)} largest, written in "
                        f"their cells: {mistakes}")
    return ax


def misclassified(y, A2):
    """Indices of the mistakes, most confident first: (k,) ints. y (m,), A2 (10, m)."""
    predictions = get_predictions(A2)
    wrong = np.flatnonzero(predictions != check_labels(y))
    confidence = A2[predictions[wrong], wrong]
    return wrong[np.argsort(-confidence, kind="stable")]


def plot_misclassified(X, y, A2, n=10, columns=5, title=None):
    """Gallery of the ``n`` most confident mistakes: each digit titled "label→prediction" and its confidence.

    Taught in ``08_evaluation.ipynb``. X (784, m), y (m,), A2 (10, m). The confidence of image i is
    c = max_k A2[k, i], the probability of the (wrong) prediction, written rounded *down* to 3 decimals
    so that 0.9996 shows as 0.999, not 1.000. ``title`` (e.g. the network's name) goes above the
    gallery; the figure is described for screen readers. Returns the indices shown.
    """
    shown = misclassified(y, A2)[:n]
    rows = int(np.ceil(len(shown) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(columns * 2.0, rows * 2.05 + 0.4 * bool(title)),
                             squeeze=False, layout="constrained")
    predictions = get_predictions(A2)
    for ax, i in zip(axes.ravel(), shown):
        p = predictions[i]
        c = np.floor(1000 * A2[p, i]) / 1000  # rounded down: never "1.000" for a probability below 1
        show_digit(X[:, i], ax=ax).set_title(f"{y[i]}→{p}, c {c:.3f}", fontsize=MIN_TEXT_PT)
    for ax in axes.ravel()[len(shown):]:
        ax.axis("off")
    if title:
        fig.suptitle(title)
    lowest = np.floor(100 * A2[predictions[shown], shown].min()) / 100  # to 2 decimals: holds on other CPUs
    pairs = ", ".join(sorted(f"{y[i]}→{predictions[i]}" for i in shown))  # sorted: near-equal c may swap places
    describe(fig, f"{title + ': ' if title else ''}{len(shown)} images the network got wrong with the highest "
                  f"confidence c, each titled label→prediction and c; every c is above {lowest:.2f}. "
                  f"Label→prediction, in label order: {pairs}.")
    return shown


def plot_hidden_units(W1, columns=5, vmax=None, label="weight", title=None):
    """Each hidden unit's 784 input weights (a row of W1, (10, 784)) as a 28 x 28 image.

    Taught in ``08_evaluation.ipynb`` (W1), ``A3_hidden_units.ipynb`` (W1 - W1_start). Red: positive, blue:
    negative, white: 0, on one colour scale from -vmax to +vmax shared by all units (default: the largest
    |W1|), shown by a colour bar labelled ``label``. Pass the same ``vmax`` to draw two matrices on the
    same scale. For W1 itself red pixels excite the unit and blue ones inhibit it; for a change
    W1 - W1_start red means "training raised this weight". Described for screen readers (sizes of the
    weights, the pixels that never moved from 0). Returns the figure (its last Axes is the colour bar).
    """
    W1 = np.asarray(W1)
    units = W1.shape[0]
    rows = int(np.ceil(units / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(columns * 1.75 + 1.2, rows * 1.75 + 0.4 * bool(title)),
                             layout="constrained", squeeze=False)
    limit = float(vmax) if vmax is not None else (float(np.abs(W1).max()) or 1.0)
    for j, ax in enumerate(axes.ravel()):
        if j < units:
            image = ax.imshow(column_to_image(W1[j]), cmap="RdBu_r", vmin=-limit, vmax=limit)
            ax.set_title(f"unit {j}")
        else:
            ax.axis("off")
        ax.set_xticks([])
        ax.set_yticks([])
    fig.colorbar(image, ax=axes, fraction=0.04, pad=0.02, label=label)
    if title:
        fig.suptitle(title)
    size = np.abs(W1).mean(axis=1)  # (units,): the mean |value| of each unit's 784 weights
    zero = int((W1 == 0).all(axis=0).sum())  # pixels whose weights are exactly 0 for every unit
    still = f"; {zero} pixels are exactly 0 (white) for every unit" if zero else ""
    describe(fig, f"{title + ': ' if title else ''}the {units} hidden units' {label} as 28 × 28 images, red "
                  f"positive, blue negative, white 0, on one colour scale from −{limit:.2f} to +{limit:.2f}; mean "
                  f"size |{label}| {np.abs(W1).mean():.3f} (per unit {size.min():.3f} to {size.max():.3f}){still}.")
    return fig


def plot_votes(W2, ax=None, title=None, vmax=None):
    """W2 (10, 10) as a heat map: row k is digit k, column j is hidden unit j. Returns the Axes.

    Taught in ``08_evaluation.ipynb``. Z2[k] = sum_j W2[k, j] A1[j] + b2[k], so column j says how an
    active unit j votes: red raises digit k's score, blue lowers it. The colours run from -vmax to +vmax
    (default: the largest |W2|), white at 0; pass the same ``vmax`` to two heat maps to put them on one
    scale. Only each unit's strong votes are written, those at least half its top vote (fewer numbers,
    legible on a slide); the figure is described for screen readers.
    """
    W2 = np.asarray(W2)
    limit = float(vmax) if vmax is not None else (float(np.abs(W2).max()) or 1.0)
    top = W2.max(axis=0)  # (10,): each unit's largest vote
    strong = (W2 >= 0.5 * top) & (top > 0)  # per column: the votes at least half the unit's top vote
    ax = _heat_map(W2, ax, "RdBu_r", -limit, limit, "W2[k, j]", "hidden unit j", "digit k", title, strong)
    votes = "; ".join(f"unit {j}: " + ", ".join(f"{k} ({W2[k, j]:.1f})" for k in np.flatnonzero(strong[:, j]))
                      for j in range(W2.shape[1]))
    _describe_panel(ax, f"{title + ': ' if title else ''}W2 as a heat map, rows digits k, columns hidden units j, "
                        f"from −{limit:.1f} (blue) through 0 (white) to +{limit:.1f} (red); "
                        f"{int((strong.sum(axis=0) >= 2).sum())} of {W2.shape[1]} units give two or more digits at "
                        f"least half their top vote. Written, each unit's votes of at least half its top vote: {votes}")
    return ax


def _heat_map(M, ax, cmap, vmin, vmax, label, xlabel, ylabel, title, written):
    """A matrix as a heat map with a colour bar, the cells marked in ``written`` showing their values.

    (Plotting boilerplate.) The numbers are drawn at the series' text size; the cells may be wider than tall
    (``aspect="auto"``), which leaves room for a value like "14.6".
    """
    ax = _axes(ax, figsize=(6, 4.5))
    image = ax.imshow(M, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.03, label=label)
    for row, column in zip(*np.nonzero(written)):
        color = "white" if abs(M[row, column]) > 0.6 * vmax else "black"
        text = f"{M[row, column]:.1f}".replace("-0.0", "0.0")  # no minus sign on a value that shows as 0
        ax.text(column, row, text, ha="center", va="center", color=color)
    ax.set_xticks(range(M.shape[1]))
    ax.set_yticks(range(M.shape[0]))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    return ax


def plot_unit_responses(R, ax=None, title=None):
    """R (units, 10): a unit's mean activation per true digit, as a heat map with its largest values.

    Taught in ``A3_hidden_units.ipynb`` (``R = unit_digit_means(params, X, y)``): row j is hidden unit
    j, column k is digit k; R[j, k] is the mean of A1[j, i] over the images i of digit k. White is 0,
    dark blue the largest value. Only each unit's two largest values are written (legible on a slide);
    the figure is described for screen readers. Returns the Axes.
    """
    R = np.asarray(R)
    order = np.argsort(-R, axis=1, kind="stable")[:, :2]  # (units, 2): each unit's two largest, largest first
    written = np.zeros(R.shape, dtype=bool)
    np.put_along_axis(written, order, True, axis=1)
    ax = _heat_map(R, ax, "Blues", 0, float(R.max()) or 1.0, "mean A1[j] per digit", "true digit k",
                   "hidden unit j", title, written)
    largest = "; ".join(f"unit {j}: {a} ({R[j, a]:.1f}), {b} ({R[j, b]:.1f})" for j, (a, b) in enumerate(order))
    _describe_panel(ax, f"{title + ': ' if title else ''}R as a heat map, rows hidden units j, columns digits k, "
                        f"from 0 (white) to {R.max():.1f} (dark blue). Written, each unit's two largest R, digit "
                        f"(value): {largest}")
    return ax


def calibration_bins(A2, y, n_bins=10):
    """The numbers of a reliability (calibration) diagram. Taught in ``08_evaluation.ipynb``.

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


def plot_reliability(A2, y, n_bins=10, ax=None, label=None, counts_ax=None):
    """Reliability diagram: per confidence bin, the fraction right against the mean confidence.

    Taught in ``08_evaluation.ipynb``. A2 (10, m), y (m,). Points on the diagonal: calibrated; below
    it: overconfident (right less often than it says); above: underconfident. Error bars: one
    standard error (the legend says so). With ``counts_ax`` (e.g. a second Axes beside or under ``ax``), the
    number of images per bin is drawn there as a step line on a log scale (ticks 1, 10, 100, 1,000, ...
    written out), in the same colour and line style, so that a large error bar can be seen to come from a
    small bin. Call it again with the same axes to compare networks: each gets its own colour, line style
    and marker, and the figure's description names them all. Returns ``calibration_bins(A2, y, n_bins)``.
    """
    bins = calibration_bins(A2, y, n_bins)
    ax = _axes(ax, figsize=(4.5, 4.5))
    if not any(line.get_gid() == "calibrated" for line in ax.get_lines()):
        ax.plot([0, 1], [0, 1], color=BLACK, linestyle=":", linewidth=1.5, gid="calibrated", label="calibrated")
    runs = len(ax.containers)  # the networks already drawn here
    color, linestyle = SERIES_COLORS[runs % len(SERIES_COLORS)], SERIES_LINESTYLES[runs % len(SERIES_LINESTYLES)]
    full = bins["count"] > 0
    ax.errorbar(bins["confidence"][full], bins["accuracy"][full], yerr=bins["se"][full],
                marker=RELIABILITY_MARKERS[runs % len(RELIABILITY_MARKERS)], markersize=7, capsize=4,
                color=color, linestyle=linestyle, label=label)
    ax.set(xlim=(0, 1), ylim=(0, 1), aspect="equal")
    ax.set_xlabel("confidence (largest probability)")
    ax.set_ylabel("fraction predicted right")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", title="error bars: ±1 SE")
    if counts_ax is not None:
        counts_ax.stairs(np.maximum(bins["count"], 0.5), bins["edges"], color=color, linestyle=linestyle,
                         linewidth=2, label=label, baseline=None)  # an empty bin at 0.5, below the log scale's 1
        top = max([2, bins["count"].max()] + [patch.get_data().values.max() for patch in counts_ax.patches]) * 3
        counts_ax.set(xlim=(0, 1), yscale="log", ylim=(0.5, top))
        ticks = [n for n in (1, 10, 100, 1_000, 10_000, 100_000) if n <= top]
        counts_ax.set_yticks(ticks, labels=[f"{n:,}" for n in ticks])  # every power of 10, written out
        counts_ax.minorticks_off()
        counts_ax.set_xlabel("confidence bin")
        counts_ax.set_ylabel("images per bin")
        counts_ax.grid(alpha=0.3)
    gap = bins["accuracy"] - bins["confidence"]
    above, below = int((full & (gap > 0)).sum()), int((full & (gap < 0)).sum())
    m = int(bins["count"].sum())
    mean_c = float(np.nansum(bins["count"] * bins["confidence"]) / m)
    right = float(np.nansum(bins["count"] * bins["accuracy"]) / m)
    _describe_panel(ax, f"{label or 'network'}: {int(full.sum())} of {n_bins} confidence bins hold images "
                        f"({m:,} in all), {above} of them above the diagonal (right more often than it says), "
                        f"{below} below; mean confidence {mean_c:.2f}, fraction right {right:.2f}", key=label,
                    lead=f"Reliability diagram: the fraction of images predicted right against the mean confidence, "
                         f"per confidence bin of width {1 / n_bins:g}, with ±1 standard error bars and the diagonal "
                         f"of a calibrated network" + ("; beside it, the number of images per bin (log scale)"
                                                       if counts_ax is not None else "") + ". ")
    return bins


def plot_training_runs(runs, figsize=None):
    """Train and dev curves of several runs: accuracy (top row, 0 to 1) and loss (bottom row, from 0).

    Taught in ``08_evaluation.ipynb``. ``runs`` is a list of ``(title, history, xlabel)``, one column
    each (``history`` as ``gradient_descent`` or ``minibatch_sgd`` return it). One legend (train / dev, the
    same styles in every panel), and a description for screen readers. Returns the figure;
    ``fig.axes[r]`` is run r's accuracy and ``fig.axes[len(runs) + r]`` its loss.
    """
    figsize = figsize or (5 * len(runs), 4.5)
    fig, axes = plt.subplots(2, len(runs), figsize=figsize, squeeze=False, sharex="col", layout="constrained")
    parts = []
    for r, (title, history, xlabel) in enumerate(runs):
        plot_history(history, "accuracy", ax=axes[0, r], title=title, xlabel=xlabel)
        axes[0, r].set_ylim(0, 1)
        axes[0, r].set_xlabel("")  # the loss panel below names the x axis
        plot_history(history, "loss", ax=axes[1, r], xlabel=xlabel)
        axes[1, r].set_ylim(bottom=0)
        for ax in axes[:, r]:
            ax.set_xlim(0, history["iteration"][-1])  # from the start to the last record
            ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))  # whole steps
        last = {key: history[key][-1] for key in ("train_accuracy", "dev_accuracy", "train_loss", "dev_loss")
                if history.get(key)}
        reached = ", ".join(f"{key.replace('_', ' ')} {value:.2f}" for key, value in last.items())
        parts.append(f"{title}, from 0 to {history['iteration'][-1]} {xlabel}s: at the end {reached}")
    for ax in axes.ravel()[1:]:
        if ax.get_legend() is not None:
            ax.get_legend().remove()  # one legend for the figure: the styles are the same in every panel
    describe(fig, f"Train and dev accuracy (top row, from 0 to 1) and loss (bottom row, from 0) of {len(runs)} "
                  f"training runs, one column each. " + "; ".join(parts) + ".")
    return fig


def block_column(block, j, n_pixels=N_PIXELS):
    """Image j of a block (see ``helpers.blocks``) back as a full column (784,): its left-out pixels are 0."""
    x = np.zeros(n_pixels, dtype=block.X.dtype)
    x[block.pixels] = block.X[:, j]
    return x


def plot_blocks(blocks, which):
    """For each block in ``which``: the pixels it keeps (gray) under its middle image (ink in black).

    Taught in ``A1_fast_gradients.ipynb``: white pixels are blank in every image of the block, so the block
    leaves them out of both products. Returns the figure and the number of pixels each block keeps.
    """
    fig, axes = plt.subplots(1, len(which), figsize=(min(12, 2.9 * len(which)), 3.6), squeeze=False,
                             layout="constrained")
    kept = []
    for ax, b in zip(axes[0], which):
        block = blocks[b]
        picture = np.zeros(N_PIXELS)
        picture[block.pixels] = 0.25  # kept: light gray
        picture = np.maximum(picture, block_column(block, block.X.shape[1] // 2))  # its middle image, on top
        show_digit(picture, ax=ax)
        ax.set_title(f"block {b}: {block.X.shape[1]} images,\n{block.pixels.size} pixels kept")
        kept.append(block.pixels.size)
    listed = ", ".join(f"block {b} ({blocks[b].X.shape[1]} images) keeps {k}" for b, k in zip(which, kept))
    describe(fig, f"{len(which)} of the {len(blocks)} blocks, each as its middle image (black ink) over the pixels "
                  f"the block keeps (gray; white pixels are blank in all its images and left out): {listed} of the "
                  f"{N_PIXELS} pixels.")
    return fig, kept


# ---- Pictures of the math (01-03) ----

#: The network as a computation graph (``plot_computation_graph``): each node's position (x, y), the same in
#: both panels.
GRAPH_NODES = {
    "X": (0.0, 0.0), "Z1": (2.4, 0.0), "A1": (4.8, 0.0), "Z2": (7.2, 0.0), "A2": (9.6, 0.0), "L": (12.0, 0.0),
    "W1, b1": (2.4, 1.5), "W2, b2": (7.2, 1.5), "Y": (12.0, 1.5),
}
#: Forward edges (from, to, the value computed at the arrow's head; "" for an input feeding that step).
GRAPH_FORWARD = [
    ("X", "Z1", r"$W_1X+b_1$"),
    ("Z1", "A1", r"ReLU"),
    ("A1", "Z2", r"$W_2A_1+b_2$"),
    ("Z2", "A2", r"softmax"),
    ("A2", "L", r"$-\Sigma_k Y_k\log A_{2,k}$"),  # an inline sum: narrow, clear of the arrow from Y
    ("W1, b1", "Z1", ""),
    ("W2, b2", "Z2", ""),
    ("Y", "L", ""),
]
#: Backward edges (from, to, the gradient that arrives at the arrow's head).
GRAPH_BACKWARD = [
    ("L", "A2", r"$dA_2=-Y/A_2$"),
    ("A2", "Z2", r"$dZ_2=A_2-Y$"),
    ("Z2", "A1", r"$dA_1=W_2^\top dZ_2$"),
    ("A1", "Z1", r"$dZ_1=dA_1\odot\mathrm{ReLU}'(Z_1)$"),
    ("Z2", "W2, b2", r"$dW_2, db_2$"),
    ("Z1", "W1, b1", r"$dW_1, db_1$"),
]
GRAPH_SHAPES = {"X": "784×m", "Z1": "10×m", "A1": "10×m", "Z2": "10×m", "A2": "10×m", "L": r"mean $\ell_i$",
                "W1, b1": "10×784, 10×1", "W2, b2": "10×10, 10×1", "Y": "10×m"}
FORWARD_COLOR, BACKWARD_COLOR, DONE_COLOR = "black", VERMILLION, "gray"
GRAPH_TITLES = ("Forward: values, left to right (solid black arrows)",
                "Backward: gradients of the loss, right to left (dashed red arrows)")
#: What the labels mean, written under the graph (one line each).
GRAPH_CAPTION = [
    r"Each gradient is the one arriving from the right times the local derivative of that step (chain rule).",
    r"Labels per image $i$ (column $i$, loss $\ell_i$); $dW$, $db$ average over the $m$ images.  "
    r"$\odot$: elementwise product.",
]
_HALF_WIDTH, _HALF_HEIGHT = 0.62, 0.36  # a node's box, in data units (the arrows start and end at its edge)
_GRAPH_FONT = 14  # every text of the figure, in points (house rule: >= 14 pt)


def _spoken(label):
    """A graph label as plain text for the figure's description: '$dZ_2=A_2-Y$' -> 'dZ2 = A2 − Y'."""
    import re

    text = label.replace("$", "").replace(r"\odot", " ⊙ ").replace(r"^\top", "ᵀ").replace(r"\log", " log ")
    text = text.replace(r"\Sigma_k", "Σ_k ").replace("'", "′")
    text = re.sub(r"\\mathrm\{([^}]*)\}", r"\1", text)
    text = re.sub(r"_\{([^}]*)\}", r"\1", text)
    text = re.sub(r"_(\w)", r"\1", text)
    text = re.sub(r"(?<=\w)-(?=\w)", " − ", text.replace("=", " = ").replace("+", " + ")).replace("-", "−")
    return " ".join(text.split())


def _node_label(name):
    """'Z1' -> '$Z_1$', 'W1, b1' -> '$W_1, b_1$' (mathtext)."""
    parts = [p[0] + (f"_{p[1:]}" if len(p) > 1 else "") for p in name.split(", ")]
    return "$" + ", ".join(parts) + "$"


def _arrow(ax, start, end, color, rad=0.0, dashed=False):
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "color": color, "lw": 1.8,
                                                      "shrinkA": 0, "shrinkB": 0, "ls": "--" if dashed else "-",
                                                      "connectionstyle": f"arc3,rad={rad}"})


def _graph_nodes(ax, shapes):
    for name, (x, y) in GRAPH_NODES.items():
        is_input = "," in name or name in ("X", "Y")
        text = f"{_node_label(name)}\n{GRAPH_SHAPES[name]}" if shapes else _node_label(name)
        ax.text(x, y, text, ha="center", va="center", fontsize=_GRAPH_FONT,
                bbox={"boxstyle": "round,pad=0.3", "lw": 1.2, "fc": "lightyellow" if is_input else "aliceblue",
                      "ec": "gray" if is_input else BLUE})


def plot_computation_graph(reached=None):
    """The network as a computation graph, in two panels: values forward (top), gradients backward (bottom).

    Taught in ``03_backward_loss.ipynb`` (and recalled in ``04_backward_gradients.ipynb``). Top: the forward
    pass X -> Z1 -> A1 -> Z2 -> A2 -> L, solid black arrows, each labelled with the value computed at its head;
    the parameters and Y feed in from above; every node shows its shape. Bottom: the same nodes, dashed red
    arrows from L back to each parameter, each labelled with the gradient that arrives at its head (named
    dA, dZ, dW, db as in the lessons). Labels are per image (one column); a caption says so. Text is 14 pt;
    line style (solid / dashed) and colour both tell the passes apart.

    ``reached`` (a node of the chain, e.g. "Z2"): where a lesson picks up. The backward arrows along the
    chain up to that node are drawn grey and dotted (derived earlier), the node is marked "we are here",
    and a caption line says what the two styles mean. Returns a dict: 'fig', 'axes' (forward, backward),
    'nodes', 'titles', 'caption', 'done' (the backward edges drawn as derived earlier), and the edges drawn
    as (from, to, label) under 'forward' and 'backward' (see ``GRAPH_*``).
    """
    fig, (ax_f, ax_b) = plt.subplots(2, 1, figsize=(12, 5.0), gridspec_kw={"height_ratios": [1, 1.25]})
    drawn = {"forward": [], "backward": []}
    _graph_nodes(ax_f, shapes=True)
    for start, end, label in GRAPH_FORWARD:
        (x0, y0), (x1, y1) = GRAPH_NODES[start], GRAPH_NODES[end]
        if y0 == y1:  # along the chain, left to right; the label above the arrow
            _arrow(ax_f, (x0 + _HALF_WIDTH, y0), (x1 - _HALF_WIDTH, y1), FORWARD_COLOR)
            loss = end == "L"  # the loss is wider than the gap: above the boxes, clear of the arrow from Y
            ax_f.text((x0 + x1) / 2 - 0.2 * loss, y0 + (0.42 if loss else 0.12), label, ha="center", va="bottom",
                      fontsize=_GRAPH_FONT, color=FORWARD_COLOR)
        else:  # down from a parameter (or Y)
            _arrow(ax_f, (x0, y0 - _HALF_HEIGHT - 0.05), (x1, y1 + _HALF_HEIGHT + 0.05), FORWARD_COLOR)
        drawn["forward"].append((start, end, label))
    _graph_nodes(ax_b, shapes=False)
    if reached is not None and (reached not in GRAPH_NODES or GRAPH_NODES[reached][1] != 0.0):
        chain = [n for n, (_, y) in GRAPH_NODES.items() if y == 0.0]
        raise ValueError(f"reached must be a node of the chain {chain}, got {reached!r}")
    done = [] if reached is None else [(a, b, t) for a, b, t in GRAPH_BACKWARD
                                       if GRAPH_NODES[b][1] == 0.0 and GRAPH_NODES[b][0] >= GRAPH_NODES[reached][0]]
    caption = list(GRAPH_CAPTION)
    for start, end, label in GRAPH_BACKWARD:
        (x0, y0), (x1, y1) = GRAPH_NODES[start], GRAPH_NODES[end]
        if y0 == y1:  # along the chain, right to left; the label under the arrow
            color = DONE_COLOR if (start, end, label) in done else BACKWARD_COLOR
            ax_b.annotate("", xy=(x1 + _HALF_WIDTH - 0.25, y1 - 0.3), xytext=(x0 - _HALF_WIDTH + 0.25, y0 - 0.3),
                          arrowprops={"arrowstyle": "-|>", "color": color, "lw": 1.8, "shrinkA": 0, "shrinkB": 0,
                                      "ls": ":" if color == DONE_COLOR else "--"})
            ax_b.text((x0 + x1) / 2, y0 - 0.42, label, ha="center", va="top", fontsize=_GRAPH_FONT, color=color)
        else:  # up to a parameter; the label beside it
            _arrow(ax_b, (x0, y0 + 0.3), (x1, y1 - 0.3), BACKWARD_COLOR, dashed=True)
            ax_b.text(x0 + 0.12, (y0 + y1) / 2, label, ha="left", va="center", fontsize=_GRAPH_FONT,
                      color=BACKWARD_COLOR)
        drawn["backward"].append((start, end, label))
    for ax, title, bottom in ((ax_f, GRAPH_TITLES[0], -0.6), (ax_b, GRAPH_TITLES[1], -1.9)):
        ax.set_title(title, fontsize=_GRAPH_FONT, loc="left")
        ax.set_xlim(-0.8, 12.8)
        ax.set_ylim(bottom, 2.0)
        ax.axis("off")
    if reached is not None:
        x, y = GRAPH_NODES[reached]
        ax_b.annotate("we are here", xy=(x - _HALF_WIDTH + 0.1, y + 0.25), xytext=(x - 1.3, y + 0.8), ha="center",
                      va="center", fontsize=_GRAPH_FONT, fontweight="bold",
                      arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.5})
        caption.append("Grey dotted: derived earlier (notebook 03).  Red dashed: this lesson.")
    for row, line in enumerate(caption):
        ax_b.text(-0.7, -1.25 - 0.38 * row, line, ha="left", va="top", fontsize=_GRAPH_FONT, color="dimgray")
    fig.tight_layout()
    chain = [n for n, (_, y) in GRAPH_NODES.items() if y == 0.0]
    steps = [f"{end} = {_spoken(label)}" + (f"({start})" if label.isalpha() else "")
             for start, end, label in drawn["forward"] if label]
    feeds = [f"{start} into {end}" for start, end, label in drawn["forward"] if not label]
    back = [_spoken(label) + (f" (from {a} up to {b})" if GRAPH_NODES[b][1] != 0.0 else "")
            + (" (grey dotted, derived earlier)" if (a, b, label) in done else "") for a, b, label in drawn["backward"]]
    text = (f"the network as a computation graph in two panels. Top, forward, solid black arrows left to right: "
            f"{' → '.join(f'{n} ({GRAPH_SHAPES[n]})' for n in chain)}: {'; '.join(steps)}; "
            f"{', '.join(feeds)} from above. Bottom, backward, dashed red arrows right to left from L: "
            f"{'; '.join(back)}.")
    if reached is not None:
        text += f" Marked 'we are here': {reached}."
    describe(fig, text.replace(r"mean $\ell_i$", "mean of ℓi"))
    return {"fig": fig, "axes": (ax_f, ax_b), "nodes": dict(GRAPH_NODES), "titles": list(GRAPH_TITLES),
            "caption": caption, "done": done, **drawn}


def plot_activations(z_column, z_range=3.0, image=None):
    """ReLU and its slope ReLU', and the softmax of one column of logits.

    Taught in ``02_forward.ipynb``. Left: ReLU(z) (solid) and ReLU'(z) (dashed: 0 for z < 0, 1 for
    z > 0; at the corner z = 0 a filled dot marks the value the helpers use, 0, and an open dot the 1
    they do not). Middle and right: the logits z_k of one image (10,) and their softmax a_k, which sum
    to 1; ``image`` (e.g. "dev image 0") names the image in the titles. 12 in wide, text in the series' style;
    the figure is described with the logits' and probabilities' ranges.
    Returns a dict with the figure and the plotted data: 'z', 'relu', 'slope', 'logits', 'probabilities'.
    """
    from .network import relu, relu_derivative, softmax  # the same functions the network uses

    logits = np.asarray(z_column, dtype=np.float64).ravel()
    probabilities = softmax(logits[:, None])[:, 0]
    z = np.linspace(-z_range, z_range, 601)
    fig, (ax_r, ax_z, ax_a) = plt.subplots(1, 3, figsize=(12, 4), gridspec_kw={"width_ratios": [1, 1.2, 1.2]})
    ax_r.plot(z, relu(z), color=BLUE, label="ReLU(z)")
    slope = relu_derivative(z).astype(float)
    for side, label in ((z < 0, "ReLU'(z)"), (z > 0, None)):  # two pieces: no vertical jump drawn at 0
        ax_r.plot(z[side], slope[side], "--", color=VERMILLION, label=label)
    at_zero = float(relu_derivative(np.zeros(1))[0])  # the value the helpers use at the corner
    ax_r.plot([0], [at_zero], "o", color=VERMILLION, ms=7)
    ax_r.plot([0], [1 - at_zero], "o", mfc="white", mec=VERMILLION, ms=7)
    ax_r.set_xlabel("z")
    ax_r.set_title("ReLU and its slope")
    ax_r.legend(loc="upper left")
    ax_r.grid(alpha=0.3)
    of = f" of {image}" if image else ""
    ax_z.bar(range(logits.size), logits, color="gray")
    ax_z.axhline(0, color="black", lw=0.8)
    ax_z.set_title(f"logits $z_k${of}\n(any real number)")
    ax_a.bar(range(probabilities.size), probabilities, color=GREEN)
    ax_a.set_title(f"softmax $a_k${of}\n(positive, sum 1)")
    for ax in (ax_z, ax_a):
        ax.set_xticks(range(logits.size))
        ax.set_xlabel("digit k")
    fig.tight_layout()
    top, low = int(logits.argmax()), int(logits.argmin())
    describe(fig, f"three panels. Left: ReLU(z) for z from {-z_range:g} to {z_range:g}, 0 up to z = 0, then z; "
                  f"its slope ReLU'(z) (dashed) is 0, then 1, with a filled dot at the value the helpers use at "
                  f"z = 0, {at_zero:g}. Middle: the {logits.size} logits z_k{of} as bars, from {logits[low]:.1f} "
                  f"(digit {low}) to {logits[top]:.1f} (digit {top}). Right: their softmax a_k, all positive, "
                  f"summing to 1, from {probabilities.min():.2f} to {probabilities[top]:.2f}, the largest for "
                  f"digit {top}, the digit of the largest logit".replace("-", "−"))
    return {"fig": fig, "z": z, "relu": relu(z), "slope": slope, "logits": logits, "probabilities": probabilities}


def plot_step_errors(eps, errors, chosen=None, ax=None):
    """Error of a finite-difference derivative against its step eps, on log-log axes.

    Taught in ``04_backward_gradients.ipynb``: for large eps the O(eps^2) truncation error dominates (the right
    branch, slope 2), for small eps the rounding error of the loss divided by 2 eps (the left branch,
    slope -1). Two black guides show those slopes: C eps^2 through the point of the largest step and
    C / eps through the point of the smallest. ``chosen`` (a step) is marked with a vertical line.
    Drawn 10.5 in wide with the legend beside the axes. The figure is described with the error at the largest
    step and where the guides cross, as powers of ten (the rounding side is ragged and differs between CPUs).
    Returns the Axes; its lines are, in order: the measured errors, eps^2, 1/eps, the chosen step.
    """
    eps, errors = np.asarray(eps, dtype=float), np.asarray(errors, dtype=float)
    ax = _axes(ax, figsize=(10.5, 4))
    ax.loglog(eps, errors, "o-", color=BLUE, ms=5, label="measured error")
    big, small = eps.argmax(), eps.argmin()
    ax.loglog(eps, errors[big] * (eps / eps[big]) ** 2, ":", color="black", lw=1.6, zorder=3,
              label="∝ ε² (Taylor)")  # drawn over the data: where they agree, the dots show it
    ax.loglog(eps, errors[small] * eps[small] / eps, "-.", color="black", lw=1.2, zorder=3,
              label="∝ 1/ε (rounding)")
    ax.set_ylim(0.3 * errors.min(), 3 * errors.max())
    if chosen is not None:
        ax.axvline(chosen, color=VERMILLION, ls="--", lw=1.6, label=f"ε = {chosen:.0e}")
    ax.set_xlabel("step ε")
    ax.set_ylabel("relative error")
    ax.grid(alpha=0.3, which="both")
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5))

    def power(e):  # a positive number as the nearest power of ten: "1e-03"
        return f"{10.0 ** np.round(np.log10(e)):.0e}"

    # where the guides cross, C eps^2 = C' / eps: a cube root, so it moves little when the ragged rounding
    # errors differ between CPUs (the errors on that side are therefore not quoted)
    cross = (errors[small] * eps[small] / (errors[big] / eps[big] ** 2)) ** (1 / 3)
    text = (f"relative error of a finite-difference derivative against its step ε, {eps.size} steps from "
            f"{eps.max():.0e} down to {eps.min():.0e}, on log-log axes: from about {power(errors[big])} at the largest "
            f"step it falls with ε² (the dotted black guide, Taylor's error) and, ragged, it rises again toward the "
            f"smallest step with 1/ε (the dash-dotted guide, rounding); the guides cross near ε = {power(cross)}")
    if chosen is not None:
        text += f"; the chosen step ε = {chosen:.0e} is the dashed vertical line"
    describe(ax, text)
    return ax


# ---------------------------------------------------------------- 02: the network and its kinks

NETWORK_FONT = 14  # points: every text of the two figures below (legible on a slide)


def plot_network(ax=None, highlight=0):
    """The series' 784-10-10 network: its layers, the weights between them, and every shape.

    Taught in ``02_forward.ipynb``. Left to right: the 784 pixels of one image (a column of X, 784 x m;
    6 of them drawn, the rest elided), the 10 hidden units j (Z1 = W1 X + b1, A1 = ReLU(Z1), 10 x m) and
    the 10 output units, one per digit k (Z2 = W2 A1 + b2, A2 = softmax(Z2), 10 x m). Every line is one
    weight: W1 (10 x 784) joins each pixel to each hidden unit, W2 (10 x 10) each hidden unit to each
    output. The weights into hidden unit ``highlight`` (row ``highlight`` of W1) and into output
    ``highlight`` (row ``highlight`` of W2) are drawn thick and dashed.
    Returns a dict: 'ax', 'nodes' (layer name -> number of circles drawn), 'edges' (layer pair -> lines
    drawn), 'labels' (the texts written under and above the layers).
    """
    ax = _axes(ax, figsize=(12, 6))
    pixels = [0, 1, 2, None, 781, 782, 783]  # None: the elided pixels 3 ... 780
    x_in, x_hid, x_out = 0.0, 6.0, 12.0
    y_in, y_hid, y_out = (np.linspace(9.0, 0.0, n) for n in (len(pixels), 10, 10))
    edges = {"X-hidden": 0, "hidden-output": 0}
    for (x0, ys0, drawn), (x1, ys1, color, key) in (((x_in, y_in, pixels), (x_hid, y_hid, BLUE, "X-hidden")),
                                                    ((x_hid, y_hid, range(10)), (x_out, y_out, ORANGE,
                                                                                 "hidden-output"))):
        for y0, p in zip(ys0, drawn):
            if p is None:
                continue
            for j, y1 in enumerate(ys1):
                bold = j == highlight
                ax.plot([x0, x1], [y0, y1], color=color if bold else "lightgray", lw=2.4 if bold else 0.7,
                        ls="--" if bold else "-", zorder=1)
                edges[key] += 1
    nodes = {"X": 0, "hidden": 0, "output": 0}
    for y, p in zip(y_in, pixels):
        if p is None:
            ax.text(x_in, y, "⋮", ha="center", va="center", fontsize=NETWORK_FONT + 8)
            continue
        ax.scatter([x_in], [y], s=420, c="white", edgecolors="black", linewidths=1.2, zorder=2)
        ax.text(x_in - 0.45, y, f"$x_{{{p}}}$", ha="right", va="center", fontsize=NETWORK_FONT)
        nodes["X"] += 1
    for name, x, ys, face in (("hidden", x_hid, y_hid, "aliceblue"), ("output", x_out, y_out, "honeydew")):
        for j, y in enumerate(ys):
            ax.scatter([x], [y], s=420, c=face, edgecolors="black", linewidths=1.2, zorder=2)
            ax.text(x, y, str(j), ha="center", va="center", fontsize=NETWORK_FONT, zorder=3)
            nodes[name] += 1
    labels = {
        "X": "input: 784 pixels\nof one image\n$X$: 784 × m",
        "hidden": "hidden layer: 10 units $j$\n$Z_1 = W_1X + b_1$\n$A_1 = \\mathrm{ReLU}(Z_1)$: 10 × m",
        "output": "output: 10 digits $k$\n$Z_2 = W_2A_1 + b_2$\n$A_2 = \\mathrm{softmax}(Z_2)$: 10 × m",
        "W1": f"$W_1$: 10 × 784, $b_1$: 10 × 1\ndashed: row {highlight} of $W_1$",
        "W2": f"$W_2$: 10 × 10, $b_2$: 10 × 1\ndashed: row {highlight} of $W_2$",
    }
    for key, x in (("X", x_in), ("hidden", x_hid), ("output", x_out)):
        ax.text(x, -0.8, labels[key], ha="center", va="top", fontsize=NETWORK_FONT)
    for key, x in (("W1", (x_in + x_hid) / 2), ("W2", (x_hid + x_out) / 2)):
        ax.text(x, 9.7, labels[key], ha="center", va="bottom", fontsize=NETWORK_FONT)
    ax.set_xlim(-2.2, 14.0)
    ax.set_ylim(-3.6, 11.4)
    ax.axis("off")
    describe(ax, f"the 784-10-10 network, left to right: {nodes['X']} of the 784 input pixels of one image "
                 f"(x_0 to x_783, the rest elided; X is 784 × m), {nodes['hidden']} hidden units j (Z1 = W1 X + b1, "
                 f"A1 = ReLU(Z1), 10 × m) and {nodes['output']} output units, one per digit k (Z2 = W2 A1 + b2, "
                 f"A2 = softmax(Z2), 10 × m). Every line is one weight ({edges['X-hidden']} of W1's drawn, all "
                 f"{edges['hidden-output']} of W2's): W1 is 10 × 784 and W2 10 × 10, b1 and b2 10 × 1; the weights "
                 f"into hidden unit {highlight} and into output {highlight} (row {highlight} of W1 and of W2) are "
                 "thick and dashed")
    return {"ax": ax, "nodes": nodes, "edges": edges, "labels": labels}


#: The three units of the left panels of ``plot_relu_kinks``: (kink c_j, scale phi_j) of phi_j ReLU(x - c_j).
KINK_UNITS = ((-1.0, 1.0), (0.0, -2.0), (1.2, 1.5))
KINK_STYLES = ("-", "--", ":")


def plot_relu_kinks(n_fit=10, units=KINK_UNITS, bias=0.5):
    """Why ReLU units make a network non-linear: a sum of shifted, scaled ReLU kinks builds a curve.

    Taught in ``02_forward.ipynb`` (after Prince, *Understanding Deep Learning*, ch. 3). One input x
    instead of 784 pixels. Left: three hidden units, each a scaled, shifted ReLU, phi_j ReLU(x - c_j)
    (``units`` holds the pairs (c_j, phi_j); line styles tell them apart). Middle: their sum plus
    ``bias``, a line that bends at each kink c_j (the same units without the ReLU add up to one straight
    line, drawn dash-dotted). Right: ``n_fit`` units with kinks spread evenly over [-2.5, 2.5] and the
    output weights phi fitted by least squares follow the curve sin(2x) + x / 2.
    Returns a dict: 'fig', 'x' (401,), 'units' (3, 401), 'total' (401,), 'linear' (401,), 'kinks' (3,),
    'fit' (401,), 'target' (401,), 'fit_kinks' (n_fit,), 'max_error' (the fit's largest |error|, a float).
    """
    from .network import relu  # the network's own ReLU

    x = np.linspace(-2.5, 2.5, 401)
    kinks = np.array([c for c, _ in units])
    scales = np.array([phi for _, phi in units])
    curves = scales[:, None] * relu(x[None, :] - kinks[:, None])
    total = bias + curves.sum(axis=0)
    linear = bias + (scales[:, None] * (x[None, :] - kinks[:, None])).sum(axis=0)
    target = np.sin(2 * x) + x / 2
    fit_kinks = np.linspace(-2.5, 2.5, n_fit + 1)[:-1]  # the last unit's kink at the left edge: a slope there
    H = np.column_stack([np.ones_like(x), relu(x[:, None] - fit_kinks[None, :])])  # (401, 1 + n_fit)
    phi = np.linalg.lstsq(H, target, rcond=None)[0]
    fit = H @ phi
    fig, (ax_u, ax_s, ax_f) = plt.subplots(1, 3, figsize=(12, 4.4))
    names = []
    for j, (curve, style, color) in enumerate(zip(curves, KINK_STYLES, (BLUE, VERMILLION, GREEN))):
        shift = "x" if kinks[j] == 0 else f"x {'−' if kinks[j] > 0 else '+'} {abs(kinks[j]):g}"
        names.append(f"{scales[j]:g} · ReLU({shift})".replace("-", "−"))
        ax_u.plot(x, curve, style, color=color, lw=2.2, label=names[-1])
    ax_u.set_title("3 hidden units", fontsize=NETWORK_FONT)
    ax_u.legend(fontsize=NETWORK_FONT, loc="upper left")
    ax_s.plot(x, total, "-", color="black", lw=2.4, label="their sum + bias")
    ax_s.plot(x, linear, "-.", color="gray", lw=1.6, label="same, without ReLU")
    ax_s.plot(kinks, bias + (scales[:, None] * relu(kinks[None, :] - kinks[:, None])).sum(axis=0), "o",
              color="black", ms=7)
    ax_s.set_title("sum: bends at each kink", fontsize=NETWORK_FONT)
    ax_s.legend(fontsize=NETWORK_FONT, loc="lower right")
    ax_f.plot(x, target, ":", color="gray", lw=3, label="sin(2x) + x/2")
    ax_f.plot(x, fit, "-", color=BLUE, lw=2, label=f"{n_fit} units, fitted")
    ax_f.plot(fit_kinks, H[np.searchsorted(x, fit_kinks)] @ phi, "o", color=BLUE, ms=5)
    ax_f.set_title(f"{n_fit} units follow a curve", fontsize=NETWORK_FONT)
    ax_f.legend(fontsize=NETWORK_FONT, loc="upper left")
    for ax in (ax_u, ax_s, ax_f):
        ax.set_xlabel("input x", fontsize=NETWORK_FONT)
        ax.tick_params(labelsize=NETWORK_FONT)
        ax.grid(alpha=0.3)
    ax_u.set_ylabel("output", fontsize=NETWORK_FONT)
    fig.tight_layout()
    max_error = float(np.abs(fit - target).max())
    def minus(v):  # a number as the figure writes it: −1, not -1
        return f"{v:g}".replace("-", "−")

    describe(fig, f"three panels, one input x from {minus(x[0])} to {minus(x[-1])}. Left: {len(units)} hidden units, "
                  f"{', '.join(names)}, each 0 up to its kink, then a straight line. Middle: their sum plus "
                  f"{minus(bias)}, a line that bends at each kink, x = {', '.join(minus(c) for c in kinks)}; without "
                  f"ReLU the same units add up to one straight line (dash-dotted). Right: {n_fit} units with fitted "
                  f"output weights follow the curve sin(2x) + x/2 within {max_error:.2f}")
    return {"fig": fig, "x": x, "units": curves, "total": total, "linear": linear, "kinks": kinks, "fit": fit,
            "target": target, "fit_kinks": fit_kinks, "max_error": max_error}


def digit_means(X, y):
    """The mean image of each digit: M (784, 10), column k the mean of the columns of X whose label is k.

    The transfer exercise of ``01_data.ipynb``. X (784, m) pixels in [0, 1], y (m,) labels 0-9, every
    digit present at least once (a digit with no image has no mean: ``ValueError`` naming it).
    """
    check_X(X)
    y = check_labels(y)
    if y.shape != (X.shape[1],):
        raise ValueError(f"y must hold one label per column of X, shape ({X.shape[1]},); got {y.shape}.")
    counts = np.bincount(y, minlength=N_CLASSES)
    if (counts == 0).any():
        raise ValueError(f"no image of digit(s) {np.flatnonzero(counts == 0).tolist()} in y: their mean is undefined")
    return np.stack([X[:, y == k].mean(axis=1) for k in range(N_CLASSES)], axis=1)


def plot_error_times_input(X, dZ1, unit, images):
    """``dW = error × input activity``: one row of dW1 = 1/m dZ1 X^T as 28 x 28 images, term by term.

    Taught in ``04_backward_gradients.ipynb``. X (784, m) the images, dZ1 (10, m) the hidden layer's errors,
    ``unit`` a hidden unit j, ``images`` a few image indices i. Top row: each image x_i (the input
    activity, gray). Bottom row: its term dZ1[j, i] x_i of row j of dW1 (the error dZ1[j, i] in the title),
    and last the whole row j of dW1, the mean of all m terms. Colours: red positive, blue negative, white
    exactly 0 (a diverging map whose middle is white); the terms share one symmetric scale, with its colour
    bar, and the mean (far smaller) has its own symmetric scale and colour bar. Text in the series' style
    (>= 14 pt); the figure is described with the errors and both scales. Returns a dict:
    'fig', 'errors' (the dZ1[j, i] shown), 'row' (row j of dW1, (784,)), 'terms' (the images' terms,
    (len(images), 784)), 'limits' (the terms' and the row's colour limits: each scale runs from -limit to limit).
    """
    X, dZ1 = np.asarray(X, dtype=np.float64), np.asarray(dZ1, dtype=np.float64)
    m = X.shape[1]
    row = dZ1[unit] @ X.T / m  # row j of dW1 = 1/m sum_i dZ1[j, i] x_i
    errors = dZ1[unit, list(images)]
    terms = errors[:, None] * X[:, list(images)].T
    n = len(images)
    fig, axes = plt.subplots(2, n + 1, figsize=(2.4 * (n + 1) + 1.2, 5.0), layout="constrained")
    limit = float(np.abs(terms).max()) or 1.0
    for c, (i, e, term) in enumerate(zip(images, errors, terms)):
        axes[0, c].imshow(column_to_image(X[:, i]), cmap=DIGIT_CMAP, vmin=0, vmax=1)
        axes[0, c].set_title(f"image {i}: $x_i$")
        terms_shown = axes[1, c].imshow(column_to_image(term), cmap=ERROR_CMAP, vmin=-limit, vmax=limit)
        axes[1, c].set_title(f"$dZ_1$ = {e:+.2f}\n× $x_i$".replace("-", "−"))
    row_limit = float(np.abs(row).max()) or 1.0
    row_shown = axes[1, n].imshow(column_to_image(row), cmap=ERROR_CMAP, vmin=-row_limit, vmax=row_limit)
    axes[1, n].set_title(f"row {unit} of $dW_1$:\nmean of {m:,} terms")
    legend = f"unit $j$ = {unit}\nred +, blue −,\nwhite 0;\nthe terms: one scale,\nthe mean: its own"
    axes[0, n].text(0.5, 0.5, legend, ha="center", va="center", transform=axes[0, n].transAxes)
    for ax in axes.ravel():
        ax.set_xticks([])
        ax.set_yticks([])
    axes[0, n].axis("off")
    for shown, where in ((terms_shown, list(axes[1, :n])), (row_shown, axes[1, n])):
        fig.colorbar(shown, ax=where, fraction=0.05, pad=0.02, shrink=0.9)
    blank = [i for i, e in zip(images, errors) if e == 0]
    terms_text = ", ".join(f"image {i} times {e:+.2f}".replace("-", "−") for i, e in zip(images, errors))
    blank_text = f"; image {', '.join(map(str, blank))}'s term is blank (error 0)" if blank else ""
    describe(fig, f"hidden unit {unit}'s row of dW1 as error × input, in two rows of pictures 28 × 28. Top: images "
                  f"{', '.join(map(str, images))}, black ink on white. Bottom: each image times unit {unit}'s error on "
                  f"it, dZ1: {terms_text}, red where positive, blue where negative, white 0, on one scale from "
                  f"−{limit:.2f} to {limit:.2f}{blank_text}; last, row {unit} of dW1, the mean of all {m:,} terms, on "
                  f"its own scale from −{row_limit:.3f} to {row_limit:.3f}, {limit / row_limit:.0f} times smaller")
    return {"fig": fig, "errors": errors, "row": row, "terms": terms, "limits": (limit, row_limit)}


#: Line styles of the paths in ``plot_quadratic_paths``: marker and dash differ, so colour is never the only cue.
PATH_STYLES = ({"linestyle": "-", "marker": "o", "color": BLUE},
               {"linestyle": "--", "marker": "^", "color": VERMILLION},
               {"linestyle": ":", "marker": "x", "color": PURPLE})


def plot_quadratic_paths(curvatures, runs, w0=(1.0, 1.0), steps=50, ax=None, fontsize=14):
    """Paths of gradient descent (with or without momentum) on f(w) = (c_1 w_1^2 + c_2 w_2^2) / 2, over its contours.

    Taught in ``07_training_further.ipynb`` (momentum in a narrow valley). ``curvatures`` (c_1, c_2);
    ``runs`` maps a legend label to (alpha, momentum), at most three runs, each drawn with its own line style
    and marker. A path that leaves the picture (it diverges) is drawn up to its first point outside.
    Text >= ``fontsize`` pt (at least the series' 14). The figure's description says where each path ends.
    Returns (Axes, {label: path}) with each path a (steps + 1, 2) float64 array from ``quadratic_descent_2d``.
    """
    from .training import quadratic_descent_2d  # plots -> training -> plots would be circular at import time

    if len(runs) > len(PATH_STYLES):
        raise ValueError(f"at most {len(PATH_STYLES)} runs fit one picture; got {len(runs)}.")
    fontsize = max(fontsize, MIN_TEXT_PT)
    if ax is None:
        _, ax = plt.subplots(figsize=(11.5, 3.6), layout="constrained")
    c1, c2 = curvatures
    reach = 1.25 * np.abs(np.asarray(w0, dtype=np.float64))
    g1, g2 = np.meshgrid(np.linspace(-reach[0], reach[0], 200), np.linspace(-reach[1], reach[1], 200))
    ax.contour(g1, g2, (c1 * g1 ** 2 + c2 * g2 ** 2) / 2, levels=8, colors="0.8", linewidths=1)
    paths, ends = {}, []
    for (label, (alpha, momentum)), style in zip(runs.items(), PATH_STYLES):
        path = paths[label] = quadratic_descent_2d(curvatures, alpha, momentum, w0, steps)
        inside = np.all(np.abs(path) <= reach, axis=1)
        shown = path if inside.all() else path[: np.argmin(inside) + 1]  # until it leaves the picture
        ax.plot(shown[:, 0], shown[:, 1], markersize=6, linewidth=1.5, label=label, **style)
        if inside.all():
            ends.append(f"{label} ends {np.linalg.norm(path[-1]):.2g} from the minimum")
        else:
            ends.append(f"{label} leaves the picture at step {int(np.argmin(inside))} (it diverges)")
    ax.plot(*w0, "s", color="black", markersize=9, label="start")
    ax.plot(0, 0, "*", color="black", markersize=16, label="minimum")
    ax.set_xlim(-reach[0], reach[0])
    ax.set_ylim(-reach[1], reach[1])
    ax.set_xlabel(f"$w_1$ (flat: curvature {c1:g})", fontsize=fontsize)
    ax.set_ylabel(f"$w_2$ (steep: {c2:g})", fontsize=fontsize)
    ax.tick_params(labelsize=fontsize)
    ax.legend(fontsize=fontsize, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(f"{steps} steps on $f(w) = ({c1:g}\\, w_1^2 + {c2:g}\\, w_2^2) / 2$", fontsize=fontsize)
    describe(ax, f"Contours of the narrow valley f(w) = ({c1:g} w1² + {c2:g} w2²)/2 with {steps} steps of each "
                 f"run from ({w0[0]:g}, {w0[1]:g}): " + "; ".join(ends) + ".")
    return ax, paths

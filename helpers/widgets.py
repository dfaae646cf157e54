"""Interactive explorers (ipywidgets): browse predictions, train with your own alpha, look inside the network.

Each explorer is two functions:

* a **plain function** that computes what is shown (no widgets, unit-tested), e.g. ``prediction_view``;
* a **builder** that returns an ``ipywidgets.VBox``. Its controls are attributes (``.slider``,
  ``.only_mistakes``, ``.train_button``, ...) and ``.result`` holds the plain function's latest result.

Setting a control from code (``browser.slider.value = 7``, ``trainer.train_button.click()``) updates
``.result`` and the picture at once, in the same cell, without a browser: a notebook shows the widget
in one cell (tagged ``nbval-ignore-output``) and drives it from the next, asserting on ``.result``.

Pictures are Matplotlib figures rendered to PNG into an ``ipywidgets.Image``, not drawn with
``plt.show()`` inside an ``ipywidgets.Output``: an Output widget driven from another cell sends its
figures as that cell's display messages, which nbval records as cell output while the stored
notebook (nbclient) files them inside the widget, so strict nbval would fail. An Image changes by
widget messages only, which nbval ignores. ``ipywidgets`` is imported only when a builder is called.
"""

import functools
import io
import math

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .data import N_CLASSES, check_labels, check_X, one_hot
from .figures import BLUE, DPI, MIN_TEXT_PT, RIGHT, SERIES_STYLE, VERMILLION, WRONG, describe, description
from .network import N_HIDDEN, forward_prop, make_predictions
from .plots import column_to_image, plot_history, show_digit
from .training import TrainingDiverged, gradient_descent

CHANCE = 1 / N_CLASSES  # accuracy of guessing
FAILED_BELOW = 2 * CHANCE  # a training run whose train accuracy stays below this has failed
N_TRAIN_EXPLORER = 2_000  # training images the training explorer uses (answers within seconds)
RECORDS = 50  # about this many points per training curve
STEPS = ("Z1", "A1", "Z2", "A2")  # the forward pass, in order
FORMULAS = {"Z1": "Z1 = W1 x + b1", "A1": "A1 = ReLU(Z1)", "Z2": "Z2 = W2 A1 + b2", "A2": "A2 = softmax(Z2)"}
TOP_N = 8  # digits shown by the hidden-unit viewer
ALPHA_STEP = 0.05  # the training explorer's alpha slider: one arrow key, x 10^0.05 = 1.12
#: An explorer's picture is shown at DPI (100) pixels per inch of its figure, so its text of at least MIN_TEXT_PT
#: points is MIN_TEXT_PT * 100 / 72 = 19.4 px tall as shown, and stored with PNG_SCALE times as many pixels, so it
#: stays sharp on a projector or a high-density screen that enlarges it (up to PNG_SCALE times).
PNG_SCALE = 2
#: Figure sizes (inches) of the explorers' pictures: at most 11.5 in wide (1,150 px, inside a 1280 x 720 slide's
#: output area) and 4.0 in tall (400 px: under the live slideshow's 440 px cap, tools/slide_metadata.py).
PREDICTION_FIGSIZE = (10.0, 3.4)
TRAINING_FIGSIZE = (10.5, 3.8)
HIDDEN_UNIT_FIGSIZE = (11.5, 4.0)
FORWARD_STEP_FIGSIZE = (10.0, 3.4)


# ----------------------------------------------------------------------------------------------
# Plumbing shared by the builders


def _ipywidgets():
    """Import ipywidgets on first use, so that ``import helpers`` stays cheap."""
    import ipywidgets

    return ipywidgets


def _series_figure(draw):
    """Decorate a ``draw_*`` function: it draws in the series' style (``helpers.figures.SERIES_STYLE``, text of at
    least 14 pt) whatever the notebook's rcParams, and every tick label of its figure is at least that size."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with rc_context(SERIES_STYLE):
            fig = draw(*args, **kwargs)
        for ax in fig.axes:  # tick labels are made when drawn, after the style is gone: fix their size now
            ax.tick_params(labelsize=MIN_TEXT_PT)
        return fig

    return wrapper


def shown_width(fig):
    """The width (CSS px) at which an explorer shows ``fig``: DPI pixels per inch, so 14 pt is 19.4 px tall."""
    return round(fig.get_figwidth() * DPI)


def _png(fig):
    """Render a Matplotlib figure to PNG bytes (no pyplot, no screen, no global state), with ``PNG_SCALE`` times
    the pixels it is shown with (``shown_width``), so that it stays sharp where it is enlarged."""
    buffer = io.BytesIO()
    with rc_context(SERIES_STYLE):
        fig.savefig(buffer, format="png", dpi=DPI * PNG_SCALE, metadata={"Software": None})
    return buffer.getvalue()


def _picture():
    """An ``ipywidgets.Image`` for an explorer's figure, whose ``tooltip`` (set by ``_show``) is its text
    alternative: the browser's ``title``, which names the picture for screen readers and axe.

    ipywidgets 8 draws an Image's tooltip only if the model has a ``description`` (its DOMWidgetView reads
    ``description.length``; without one the view fails to render), so this Image carries an empty one.
    """
    w = _ipywidgets()
    global _DescribedImage
    if _DescribedImage is None:
        from traitlets import Unicode

        class DescribedImage(w.Image):
            description = Unicode("", help="empty: lets ipywidgets 8 draw the tooltip").tag(sync=True)

        _DescribedImage = DescribedImage
    return _DescribedImage(format="png")


_DescribedImage = None


def _show(picture, fig):
    """Put ``fig`` into an explorer's ``picture`` (``_picture``) with its description as the text alternative,
    shown ``shown_width(fig)`` px wide (never enlarged past its design size; narrower only on a narrower page)."""
    picture.value = _png(fig)
    picture.layout.width = f"{shown_width(fig)}px"
    picture.layout.max_width = "100%"
    picture.tooltip = description(fig) or "figure"


def _explorer(children, **attributes):
    """A VBox of ``children`` with the given attributes (its controls) and ``result = None``."""
    box = _ipywidgets().VBox(children)
    box.result = None
    for name, value in attributes.items():
        setattr(box, name, value)
    return box


def format_values(values, decimals=2):
    """``[1.234, -0.5]`` -> ``'[1.23, -0.50]'``: values of any shape as text (flattened). ``02_forward.ipynb``."""
    return "[" + ", ".join(f"{float(v):.{decimals}f}" for v in np.ravel(values)) + "]"


# ----------------------------------------------------------------------------------------------
# Prediction browser (08_evaluation)


def prediction_view(index, X, y, params):
    """What the prediction browser shows for image ``index``. Used in ``08_evaluation.ipynb``.

    X (784, m), y (m,), params = (W1, b1, W2, b2). Returns a dict: ``index``, ``label`` and
    ``prediction`` (ints), ``probabilities`` (10,) (the softmax output A2 of that column),
    ``correct`` (bool).
    """
    check_X(X, finite=False)
    if not 0 <= index < X.shape[1]:
        raise IndexError(f"index must be between 0 and {X.shape[1] - 1}; got {index}.")
    probabilities = forward_prop(*params, X[:, index, None])[3][:, 0]  # keep x a column (784, 1)
    prediction = int(np.argmax(probabilities))
    label = int(y[index])
    return {"index": int(index), "label": label, "prediction": prediction,
            "probabilities": probabilities, "correct": prediction == label}


def mistake_indices(X, y, params):
    """Indices (ascending) of the images of X (784, m), y (m,) the network gets wrong: (k,) ints.

    Used by the prediction browser in ``08_evaluation.ipynb`` (``plots.misclassified`` orders them by confidence).
    """
    return np.flatnonzero(make_predictions(X, *params) != check_labels(y))


@_series_figure
def draw_prediction(view, x):
    """Figure of ``prediction_view``'s result: the digit x (784,), the ten probabilities as bars. ``08_evaluation``.

    The label's bar is green (``RIGHT``), a wrong prediction's vermillion (``WRONG``) and hatched, and both are
    named under their digit ("label", "predicted"): colour is never the only cue.
    """
    fig = Figure(figsize=PREDICTION_FIGSIZE, layout="constrained")
    ax_digit, ax_bars = fig.subplots(1, 2, width_ratios=(1, 2.6))
    label, prediction, p = view["label"], view["prediction"], view["probabilities"]
    show_digit(x, ax=ax_digit)
    ax_digit.set_title(f"label {label} → predicted {prediction}")
    colors, names = ["0.75"] * N_CLASSES, [str(k) for k in range(N_CLASSES)]
    colors[label] = RIGHT
    names[label] = f"{label}\nlabel" + ("" if not view["correct"] else ", predicted")
    if not view["correct"]:
        colors[prediction] = WRONG
        names[prediction] = f"{prediction}\npredicted"
    bars = ax_bars.bar(range(N_CLASSES), p, color=colors, edgecolor="black", linewidth=0.8)
    if not view["correct"]:
        bars[prediction].set_hatch("//")
    ax_bars.set_xticks(range(N_CLASSES), names)
    ax_bars.set(ylim=(0, 1), yticks=[0, 0.5, 1], ylabel="probability")
    ax_bars.set_title("softmax output A2: the probability of each digit")
    wrong = "" if view["correct"] else (f"; the label's bar (green), {label}, at {p[label]:.2f}, the wrong "
                                        f"prediction's bar vermillion and hatched")
    describe(fig, f"Image {view['index']}, a handwritten {label}, and the network's ten probabilities as "
                  f"bars: the tallest is digit {prediction} at {p[prediction]:.2f}"
                  f"{', the label: right' if view['correct'] else ''}{wrong}.")
    return fig


def prediction_browser(X, y, params, index=0, only_mistakes=False):
    """Browse the network's predictions on X (784, m), y (m,). Used in ``08_evaluation.ipynb``.

    Controls: ``.slider`` (position in the images browsed), ``.index_box`` (type an image index),
    ``.only_mistakes`` (Checkbox: the slider then runs over the mistakes only, ``.candidates``).
    In "only mistakes" mode a typed index that is not a mistake moves to the next mistake.
    ``.result`` is ``prediction_view`` of the image shown; ``.mistakes`` the indices of all mistakes.

    Drive it from code::

        browser.only_mistakes.value = True
        browser.slider.value = 3            # the 4th mistake
        browser.result["label"], browser.result["prediction"]
    """
    w = _ipywidgets()
    check_X(X, finite=False)
    y = check_labels(y)
    m = X.shape[1]
    wrong = mistake_indices(X, y, params)
    everything = np.arange(m)
    slider = w.IntSlider(value=0, min=0, max=m - 1, description="position", continuous_update=False,
                         tooltip="position among the images browsed")
    index_box = w.BoundedIntText(value=0, min=0, max=m - 1, description="image", layout=w.Layout(width="170px"))
    toggle = w.Checkbox(value=False, description=f"only mistakes ({wrong.size})", disabled=wrong.size == 0,
                        indent=False)  # no blank label column before the box: room for the text on a slide
    text, picture = w.HTML(), _picture()
    box = _explorer([w.HBox([slider, index_box, toggle]), text, picture], slider=slider, index_box=index_box,
                    only_mistakes=toggle, text=text, picture=picture, mistakes=wrong, candidates=everything)
    busy = []  # non-empty while goto() moves the controls, so their observers do not call it again

    def show(position):
        index = int(box.candidates[position])
        view = prediction_view(index, X, y, params)
        verdict = "right" if view["correct"] else "<b style='color:#c00'>wrong</b>"
        where = f"mistake {position + 1} of {wrong.size}: image {index}" if toggle.value else f"image {index} of {m}"
        text.value = (f"{where}: label {view['label']} → predicted {view['prediction']} "
                      f"(p = {view['probabilities'][view['prediction']]:.2f}), {verdict}")
        _show(picture, draw_prediction(view, X[:, index]))
        box.result = view

    def goto(index, force=False):
        """Show the first candidate image at or after ``index`` and move both controls there."""
        position = min(int(np.searchsorted(box.candidates, index)), box.candidates.size - 1)
        busy.append(True)
        try:
            slider.max = box.candidates.size - 1  # before the value: a smaller max clamps the value
            slider.value = position
            index_box.value = int(box.candidates[position])
        finally:
            busy.pop()
        if force or box.result is None or box.result["index"] != index_box.value:
            show(position)

    def on_toggle(change):
        box.candidates = wrong if change.new else everything
        goto(index_box.value, force=True)

    slider.observe(lambda change: busy or goto(int(box.candidates[change.new])), names="value")
    index_box.observe(lambda change: busy or goto(change.new), names="value")
    toggle.observe(on_toggle, names="value")
    goto(index)
    toggle.value = bool(only_mistakes) and wrong.size > 0
    return box


# ----------------------------------------------------------------------------------------------
# Training explorer (05_training)


def dead_units(params, X):
    """How many hidden ReLUs are dead on X (784, m): Z1 <= 0 for every image, so no gradient flows. ``05_training``."""
    Z1 = forward_prop(*params, X)[0]
    return int(np.sum(~(Z1 > 0).any(axis=1)))


def train_explorer_run(alpha, iterations, X, y, X_dev=None, y_dev=None, seed=0, record_every=None):
    """Train with ``gradient_descent`` and say how it went. Used in ``05_training.ipynb``.

    X (784, m), y (m,): the (small) training set; X_dev (784, n), y_dev (n,): the dev set (optional).
    Parameters start from ``init_params(default_rng(seed))``, so a run with the same alpha and
    iterations gives the same result. ``record_every`` defaults to about ``RECORDS`` points per curve.

    Returns a dict:
    ``status``: ``"ok"``; ``"diverged"`` (NaN or inf: alpha absurdly large, ~1e10 and up depending on
    the images; the max-subtracted softmax keeps smaller ones finite); or ``"chance"`` (train
    accuracy below ``FAILED_BELOW``: the
    ReLUs died because alpha is too large, ~2 and up, or alpha and iterations are too small);
    ``diverged``, ``failed`` (bools); ``message`` (a sentence saying which, and what to try);
    ``history`` (see ``gradient_descent``); ``params`` (the last finite ones);
    ``train_accuracy``, ``dev_accuracy`` (floats, None when diverged or without a dev set);
    ``dead_units`` (int, of 10; None when diverged); ``diverged_at`` (iteration, or None);
    ``alpha``, ``iterations``.
    """
    record_every = record_every or max(1, iterations // RECORDS)
    result = {"alpha": float(alpha), "iterations": int(iterations), "diverged": False, "failed": False,
              "diverged_at": None, "train_accuracy": None, "dev_accuracy": None}
    try:
        params, history = gradient_descent(X, one_hot(y, dtype=X.dtype), alpha, iterations,
                                           rng=np.random.default_rng(seed), X_dev=X_dev, y_dev=y_dev,
                                           record_every=record_every, progress="off")
    except TrainingDiverged as err:
        message = (f"alpha = {alpha:.3g}: training DIVERGED: the parameters became NaN or inf at iteration "
                   f"{err.iteration}. The learning rate is far too large; try alpha between 0.1 and 1.")
        result.update(status="diverged", diverged=True, failed=True, diverged_at=err.iteration, message=message,
                      history=err.history, params=err.params, dead_units=None)
        return result
    dead = dead_units(params, X)
    train_acc = history["train_accuracy"][-1]
    dev_acc = history["dev_accuracy"][-1] if history["dev_accuracy"] else None
    result.update(history=history, params=params, dead_units=dead, train_accuracy=train_acc, dev_accuracy=dev_acc)
    died = f"{dead} of {N_HIDDEN} hidden ReLUs are dead (Z1 <= 0 for every training image, so no gradient reaches them)"
    if train_acc < FAILED_BELOW:
        if dead:
            why = f"{died}: alpha is too large. Try alpha between 0.1 and 1."
        else:
            why = "the steps are too small or too few: raise alpha or the number of iterations."
        message = (f"alpha = {alpha:.3g}: training FAILED: after {iterations} iterations the train accuracy "
                   f"({train_acc:.1%}) is still near chance ({CHANCE:.0%}); {why}")
        result.update(status="chance", failed=True, message=message)
    else:
        dev = "" if dev_acc is None else f", dev accuracy {dev_acc:.1%}"
        message = f"alpha = {alpha:.3g}, {iterations} iterations: train accuracy {train_acc:.1%}{dev}."
        if dead:
            message += f" Beware: {died}."
        result.update(status="ok", message=message)
    return result


@_series_figure
def draw_training(run=None):
    """Figure of the train (and dev) accuracy curves of a ``train_explorer_run`` (None: empty). ``05_training``."""
    fig = Figure(figsize=TRAINING_FIGSIZE, layout="constrained")
    ax = fig.subplots()
    if run is not None:
        plot_history(run["history"], ax=ax)
    ax.axhline(CHANCE, color="0.4", linestyle=":", label="chance")
    ax.set(ylim=(0, 1), xlabel="iteration", ylabel="accuracy")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    if run is None:
        ax.set_title("press train")
    else:
        verdict = {"ok": "trained", "chance": "FAILED: accuracy near chance",
                   "diverged": f"DIVERGED at iteration {run['diverged_at']}"}[run["status"]]
        ax.set_title(f"alpha = {run['alpha']:.3g}, {run['iterations']} iterations: {verdict}",
                     color=VERMILLION if run["failed"] else "black")
        ax.set_xlim(0, run["iterations"])  # the whole run, even when it stopped early
    if run is None:
        describe(fig, "Empty accuracy axes (iteration against accuracy, chance level dotted at 0.1): press train.")
    else:
        history = run["history"]
        ends = [f"{name} accuracy {history[key][0]:.2f} at the start, {history[key][-1]:.2f} at the end" for name, key
                in (("train", "train_accuracy"), ("dev", "dev_accuracy")) if history.get(key)]
        describe(fig, f"Accuracy over {run['iterations']} iterations with alpha = {run['alpha']:.3g}: {verdict}; "
                      f"{', '.join(ends) or 'no accuracy recorded'} (chance is 0.1).")
    return fig


def training_explorer(X, y, X_dev=None, y_dev=None, n_train=N_TRAIN_EXPLORER, alpha=0.1, iterations=100,
                      alpha_min=1e-3, alpha_max=1e2, max_iterations=500, seed=0):
    """Try learning rates: train on the first ``n_train`` images and redraw the curves. ``05_training.ipynb``.

    X (784, m), y (m,): the training set (only its first ``n_train`` columns are used, so a run
    answers within seconds); X_dev (784, n), y_dev (n,): the dev set for the dev curve.
    Controls: ``.alpha`` (FloatLogSlider from ``alpha_min`` to ``alpha_max``; pass ``alpha_max=1e12``
    to let students reach NaN, which needs alpha ~1e10 or more: a merely large alpha kills the ReLUs
    instead), ``.iterations``
    (IntSlider), ``.train_button``.
    ``.result`` is the latest ``train_explorer_run`` (None before the first click).

    Drive it from code::

        trainer.alpha.value = 10
        trainer.train_button.click()        # trains now, in this cell
        trainer.result["status"], trainer.result["message"]
    """
    w = _ipywidgets()
    X_small = np.ascontiguousarray(X[:, :n_train])
    y_small = check_labels(y)[:n_train]
    # one arrow key moves alpha by ALPHA_STEP in log10 alpha (x 1.12: 0.1, 0.112, 0.126, ...). The browser sets
    # its handle to that grid; continuous_update=False keeps it from writing the grid value back over a value set
    # from code (3, 0.5): the kernel's value, which the run and its message use, changes only when a student moves
    # the slider (a drag released, a key pressed)
    alpha_slider = w.FloatLogSlider(value=alpha, base=10, min=math.log10(alpha_min), max=math.log10(alpha_max),
                                    step=ALPHA_STEP, description="alpha", readout_format=".3g",
                                    continuous_update=False, tooltip="step size alpha (log scale)")
    iterations_slider = w.IntSlider(value=iterations, min=10, max=max_iterations, step=10, description="iterations",
                                    tooltip="number of gradient-descent iterations")
    button = w.Button(description="train", button_style="primary", icon="play")
    text, picture = w.HTML(f"Training uses {X_small.shape[1]} images. Press train."), _picture()
    box = _explorer([w.HBox([alpha_slider, iterations_slider, button]), text, picture], alpha=alpha_slider,
                    iterations=iterations_slider, train_button=button, text=text, picture=picture)

    def train(_button):
        button.disabled = True
        text.value = f"training: alpha = {alpha_slider.value:.3g}, {iterations_slider.value} iterations ..."
        try:
            run = train_explorer_run(alpha_slider.value, iterations_slider.value, X_small, y_small,
                                     X_dev, y_dev, seed=seed)
        finally:
            button.disabled = False
        color = "#c00" if run["failed"] else "#060"
        text.value = f"<b style='color:{color}'>{run['message']}</b>"
        _show(picture, draw_training(run))
        box.result = run

    button.on_click(train)
    _show(picture, draw_training())
    return box


# ----------------------------------------------------------------------------------------------
# Hidden-unit viewer (A3_hidden_units)


def top_exciting(W1, b1, X, unit, n=TOP_N):
    """Indices (n,) of the columns of X (784, m) with the largest Z1[unit] = W1[unit] x + b1[unit], largest first.

    Used in ``A3_hidden_units.ipynb``. W1 (10, 784), b1 (10, 1). Ties keep the lower index first.
    """
    z = hidden_activity(W1, b1, X, unit)
    return np.argsort(-z, kind="stable")[:n]


def hidden_activity(W1, b1, X, unit):
    """Z1[unit] for every column of X (784, m): (m,), only that row of Z1 = W1 X + b1. ``A3_hidden_units.ipynb``."""
    check_X(X, finite=False)
    if not 0 <= unit < W1.shape[0]:
        raise IndexError(f"unit must be between 0 and {W1.shape[0] - 1}; got {unit}.")
    return W1[unit] @ X + b1[unit, 0]


def hidden_unit_view(params, X, unit, n=TOP_N, start=None):
    """What the hidden-unit viewer shows for ``unit``. Used in ``A3_hidden_units.ipynb``.

    params = (W1, b1, W2, b2); X (784, m); start: the W1 (10, 784) training started from, or None.
    Returns a dict: ``unit``; ``weights`` (28, 28), the unit's row of W1 as an image, or with
    ``start`` its change W1[unit] - start[unit] (what training learned; ``change`` says which);
    ``indices`` (n,), the columns of X that excite it most (``top_exciting``, ranked by Z1, not by
    the change); ``z1`` (n,), their Z1[unit] values; ``ink`` (n,), their amount of ink (the sum of
    their pixels) and ``mean_ink``, the same averaged over all of X: Z1 adds up weight x ink, so where
    the weights are positive the ranking rewards heavy strokes; ``active``, the fraction of X with
    Z1[unit] > 0 (0: a dead ReLU);
    ``votes`` (10,), the unit's column of W2: how much its A1 adds to each digit's Z2.
    """
    W1, b1, W2 = params[0], params[1], params[2]
    indices = top_exciting(W1, b1, X, unit, n)
    weights = W1[unit] if start is None else W1[unit] - np.asarray(start)[unit]
    return {"unit": int(unit), "weights": column_to_image(weights), "change": start is not None,
            "indices": indices, "z1": hidden_activity(W1, b1, X[:, indices], unit),
            "ink": X[:, indices].sum(axis=0), "mean_ink": float(X.sum(axis=0).mean()),
            "active": float(np.mean(hidden_activity(W1, b1, X, unit) > 0)), "votes": W2[:, unit]}


@_series_figure
def draw_hidden_unit(view, X, fig=None):
    """Figure of ``hidden_unit_view``'s result: weights (red +, blue -), top digits, votes. ``A3_hidden_units``.

    Draws on ``fig`` if given (e.g. ``plt.figure(figsize=HIDDEN_UNIT_FIGSIZE, layout="constrained")``, for a
    static picture shown with ``plt.show()``), else on a new pyplot-free Figure (the viewer's PNG).
    Each digit is titled "#index:" over "Z1 value"; the votes on an axis symmetric around 0. Returns the figure.
    """
    n = len(view["indices"])
    columns = max(1, math.ceil(n / 2))
    if fig is None:
        fig = Figure(figsize=HIDDEN_UNIT_FIGSIZE, layout="constrained")
    grid = fig.add_gridspec(2, columns + 4)
    ax = fig.add_subplot(grid[:, :2])
    limit = float(np.abs(view["weights"]).max()) or 1.0
    image = ax.imshow(view["weights"], cmap="RdBu_r", vmin=-limit, vmax=limit)
    colorbar = fig.colorbar(image, ax=ax, fraction=0.046, pad=0.02)
    colorbar.ax.yaxis.set_major_locator(MaxNLocator(4, symmetric=True))
    ax.set(xticks=[], yticks=[])
    j = view["unit"]
    what = f"W1[{j}] - W1_start[{j}]" if view.get("change") else f"W1[{j}]"
    ax.set_title(f"unit {j}: {what}" if not view.get("change") else f"unit {j}:\n{what}")
    for position, (i, z) in enumerate(zip(view["indices"], view["z1"])):
        cell = grid[position // columns, 2 + position % columns]
        digit = fig.add_subplot(cell)
        show_digit(X[:, i], ax=digit)
        digit.set_title(f"#{i}:\nZ1 {z:.1f}")
    if "votes" in view:
        ax_votes = fig.add_subplot(grid[:, columns + 2:])
        votes = np.asarray(view["votes"])
        ax_votes.barh(range(votes.size), votes, color=np.where(votes > 0, VERMILLION, BLUE))
        ax_votes.axvline(0, color="black", linewidth=0.8)
        limit = 1.1 * (float(np.abs(votes).max()) or 1.0)  # symmetric around 0: a long bar is a large vote
        ax_votes.set(yticks=range(votes.size), ylabel="digit k", xlim=(-limit, limit))
        ax_votes.xaxis.set_major_locator(MaxNLocator(3, symmetric=True))
        ax_votes.invert_yaxis()
        ax_votes.set_title(f"votes W2[:, {j}]")
    votes = "" if "votes" not in view else (f"; its votes W2[:, {j}] are largest for digit {np.argmax(view['votes'])}, "
                                            f"smallest for {np.argmin(view['votes'])}")
    describe(fig, f"Hidden unit {j}: its weights {what} as a 28 by 28 image (red positive, blue negative), and the "
                  f"{n} images that excite it most (numbers {', '.join(str(int(i)) for i in view['indices'])}), "
                  f"with Z1 from {min(view['z1']):.1f} to {max(view['z1']):.1f}{votes}.")
    return fig


def hidden_unit_viewer(params, X, unit=0, n=TOP_N, start=None):
    """Pick a hidden unit: its weights as a 28 x 28 image, the digits of X that excite it most, its votes.

    Used in ``A3_hidden_units.ipynb``. params = (W1, b1, W2, b2); X (784, m), e.g. the dev set;
    start: the W1 (10, 784) training started from: the viewer then draws the change W1 - start.
    Controls: ``.unit`` (IntSlider 0-9). ``.result`` is ``hidden_unit_view`` of the unit shown.

    Drive it from code::

        viewer.unit.value = 3
        viewer.result["indices"]            # the n most exciting images
    """
    w = _ipywidgets()
    check_X(X, finite=False)
    unit_slider = w.IntSlider(value=unit, min=0, max=params[0].shape[0] - 1, description="hidden unit",
                              tooltip="hidden unit shown")
    text, picture = w.HTML(), _picture()
    box = _explorer([unit_slider, text, picture], unit=unit_slider, text=text, picture=picture)

    def show(change=None):
        view = hidden_unit_view(params, X, unit_slider.value, n, start=start)
        j = view["unit"]
        text.value = (f"unit {j}: the {n} images (of {X.shape[1]}) with the largest Z1[{j}] = W1[{j}] x + b1[{j}]. "
                      f"Z1 adds up weight &times; ink: where the weights are positive, more ink gives a larger Z1, "
                      f"so the ranking rewards heavy strokes as well as shape. Their ink (sum of the 784 pixel "
                      f"values, each 0 to 1) averages {view['ink'].mean():.0f}, against {view['mean_ink']:.0f} "
                      f"for all {X.shape[1]} images. Active (Z1 &gt; 0) on {view['active']:.0%} of them.")
        _show(picture, draw_hidden_unit(view, X))
        box.result = view

    unit_slider.observe(show, names="value")
    show()
    return box


def unit_digit_means(params, X, y):
    """R (units, 10): R[j, k] = mean of A1[j, i] over the images i of X (784, m) with label k. ``A3_hidden_units``.

    What unit j responds to, digit by digit, over *all* the images: unlike a top-n list, one heavy
    image cannot dominate it. params = (W1, b1, W2, b2); y (m,). A digit absent from y gives NaN.
    """
    y = check_labels(y)
    A1 = forward_prop(*params, X)[1].astype(np.float64)  # (units, m)
    counts = np.bincount(y, minlength=N_CLASSES)
    sums = A1 @ one_hot(y, N_CLASSES, dtype=np.float64).T  # (units, 10): the sum of A1 over each digit's images
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / counts


def hidden_unit_summary(params, X, y, n=20):
    """What each hidden unit responds to and what it says, in numbers. Used in ``A3_hidden_units.ipynb``.

    params = (W1, b1, W2, b2); X (784, m), y (m,), e.g. the dev set. For every unit j, a dict:
    ``unit``; ``digit``, the most common label among its ``n`` most exciting images (``top_exciting``;
    ties: the smaller digit) and ``count``, how many of the n have it; ``runner_up`` and
    ``runner_up_count``, the second most common label and its count; ``chance``, the count of
    ``digit`` expected among n images drawn at random from X (n times its share of y);
    ``in_top_active``, how many of the n have Z1[j] > 0 (fewer than n: the list is padded with images
    the unit ignores); ``vote``, the digit whose score it raises most, argmax_k W2[k, j], with
    ``weight`` = W2[vote, j]; ``vote_2`` and ``weight_2``, the digit it raises second most and its
    W2 (a vote is clear only if ``weight`` is well above ``weight_2``); ``against``, argmin_k W2[k, j];
    ``active``, the fraction of X with Z1[j] > 0 (0: inactive on X; dead only if that holds on every
    training image).
    """
    y = check_labels(y)
    shares = np.bincount(y, minlength=N_CLASSES) / y.size
    summary = []
    for j in range(params[0].shape[0]):
        view = hidden_unit_view(params, X, j, n)
        labels = np.bincount(y[view["indices"]], minlength=N_CLASSES)
        order = np.argsort(-labels, kind="stable")  # most common first, ties: the smaller digit
        votes = view["votes"]
        by_vote = np.argsort(-votes, kind="stable")  # the digits it raises most, first
        summary.append({"unit": j, "digit": int(order[0]), "count": int(labels[order[0]]),
                        "runner_up": int(order[1]), "runner_up_count": int(labels[order[1]]),
                        "chance": float(n * shares[order[0]]), "in_top_active": int((view["z1"] > 0).sum()),
                        "vote": int(by_vote[0]), "weight": float(votes[by_vote[0]]),
                        "vote_2": int(by_vote[1]), "weight_2": float(votes[by_vote[1]]),
                        "against": int(np.argmin(votes)), "active": view["active"]})
    return summary


# ----------------------------------------------------------------------------------------------
# Forward-pass stepper (02_forward)


def forward_steps(params, x):
    """The forward pass of one image, step by step. Used in ``02_forward.ipynb``.

    params = (W1, b1, W2, b2); x : one column of X, (784,) or (784, 1).
    Returns a dict of columns, in order: ``Z1``, ``A1``, ``Z2``, ``A2``, each (10, 1).
    """
    x = np.asarray(x).reshape(-1, 1)
    return dict(zip(STEPS, forward_prop(*params, x)))


@_series_figure
def draw_forward_step(step, values, x):
    """Figure of one forward step: the image x (784,) and the step's 10 values (10, 1) as bars. ``02_forward``.

    Bars above zero are blue, those at or below zero vermillion (and below the zero line: not colour alone).
    """
    fig = Figure(figsize=FORWARD_STEP_FIGSIZE, layout="constrained")
    ax_digit, ax_bars = fig.subplots(1, 2, width_ratios=(1, 2.6))
    show_digit(x, ax=ax_digit)
    ax_digit.set_title("input x")
    values = np.ravel(values)
    ax_bars.bar(range(values.size), values, color=np.where(values > 0, BLUE, VERMILLION))
    ax_bars.axhline(0, color="black", linewidth=0.8)
    row = "hidden unit" if step in ("Z1", "A1") else "digit"
    ax_bars.set(xticks=range(values.size), xlabel=row)
    if step == "A2":
        ax_bars.set_ylim(0, 1)
    ax_bars.set_title(f"{FORMULAS[step]}   shape {(values.size, 1)}")
    describe(fig, f"The input image and the {values.size} values of {FORMULAS[step]} as bars: the largest, "
                  f"{values.max():.2f}, at {row} {int(values.argmax())}; the smallest {values.min():.2f}; "
                  f"{int(np.sum(values > 0))} above zero.")
    return fig


def forward_stepper(params, X, index=0, step="Z1"):
    """Step through the forward pass of image ``index`` of X (784, m). Used in ``02_forward.ipynb``.

    Controls: ``.slider`` (image index), ``.step`` (ToggleButtons Z1, A1, Z2, A2).
    ``.result`` is a dict: ``index``, ``step``, ``formula``, ``values`` (10, 1) (that step's column),
    ``shape`` (a tuple) and ``text`` (the values with 2 decimals, as shown).

    Drive it from code::

        stepper.slider.value = 5
        stepper.step.value = "A1"
        print(stepper.result["shape"], stepper.result["text"])
    """
    w = _ipywidgets()
    check_X(X, finite=False)
    slider = w.IntSlider(value=index, min=0, max=X.shape[1] - 1, description="image", continuous_update=False,
                         tooltip="image shown")
    step_buttons = w.ToggleButtons(options=STEPS, value=step, description="step",
                                   style={"button_width": "60px"})
    text, picture = w.HTML(), _picture()
    box = _explorer([w.HBox([slider, step_buttons]), text, picture], slider=slider, step=step_buttons,
                    text=text, picture=picture)

    def show(change=None):
        index, step = slider.value, step_buttons.value
        values = forward_steps(params, X[:, index])[step]
        result = {"index": index, "step": step, "formula": FORMULAS[step], "values": values,
                  "shape": tuple(values.shape), "text": format_values(values)}
        text.value = f"<code>{result['formula']}</code>, shape {result['shape']}:<br><code>{result['text']}</code>"
        _show(picture, draw_forward_step(step, values, X[:, index]))
        box.result = result

    slider.observe(show, names="value")
    step_buttons.observe(show, names="value")
    show()
    return box

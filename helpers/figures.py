"""Figures that say what they show: a text alternative for every figure, in JupyterLab, nbconvert's HTML and the decks.

A plot helper attaches a description to the figure it draws, built from the data it drew::

    describe(fig, f"training and dev accuracy over {n} iterations: train rises to {train:.2f}, dev to {dev:.2f}")

and a notebook calls ``show_descriptions()`` once, in its set-up cell (importing this module changes nothing).
From then on a described figure is shown as two outputs:

1. the picture (``image/png``, as Matplotlib's inline backend draws it) with the description as its
   ``text/plain`` (instead of ``<Figure size 640x480 with 1 Axes>``) and as ``{"image/png": {"alt": ...}}`` in the
   output's metadata: nbconvert's classic template and this repository's deck and page templates
   (tools/deck.py) write it as the picture's ``alt``; nbval compares the ``text/plain``, so a description
   that changes with the data fails the notebook's test like any other printed number;
2. the description once more, as a paragraph that is visually hidden but read by screen readers
   (``text/html``, output metadata ``{"figure_description": true}``), for JupyterLab: JupyterLab 4 draws an
   output picture without ``alt`` and ignores the metadata (jupyter/enhancement-proposals#120), so this is
   the "description right after the picture" that a screen reader reaches there. The deck and page
   templates leave it out (their picture has the ``alt``).

A figure without a description is shown as Matplotlib shows it (and the tests of the published decks and
pages name it). ``SERIES_STYLE`` is the series' figure style (sizes for the projector); ``use_series_style``
applies it (nothing applies it on import).
"""

import html
import io
from contextlib import contextmanager

from cycler import cycler
from matplotlib.figure import Figure

ATTRIBUTE = "_text_alternative"  # where describe() keeps the text on the figure
DESCRIPTION_METADATA = "figure_description"  # marks the screen-reader paragraph (output metadata)
PICTURE_MIMES = ("image/png", "image/jpeg", "image/svg+xml")
# visually hidden, still in the accessibility tree (the usual "sr-only" rules; JupyterLab's sanitizer keeps them)
SCREEN_READER_ONLY = ("position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;"
                      "clip:rect(0,0,0,0);white-space:nowrap;border:0")
PLACEHOLDERS = ("<Figure size", "No description has been provided")  # what an undescribed figure shows

# The series' figure style (issue 21), applied only by use_series_style(). Sizes: a figure is drawn at most
# as wide as the slide's content (12 in at 100 dpi = 1,200 px of the 1280 x 720 slide) and never enlarged, so
# text of MIN_TEXT_PT points is MIN_TEXT_PT * 100 / 72 = 19.4 px tall on the slide (>= SLIDE_TEXT_PX).
MIN_TEXT_PT = 14
SLIDE_TEXT_PX = 18  # the smallest text of a figure as drawn on a 1280 x 720 slide (tests/test_browser_*.py)
NOTEBOOK_TEXT_PX = 12  # ... and in the notebook view
DPI = 100
# Okabe & Ito's colour-blind-safe palette (Color Universal Design), most distinct first; every line also
# gets its own line style, so colour is never the only cue (tests/test_figures.py checks the colours
# under simulated deuteranopia, protanopia and tritanopia).
SERIES_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY, BLACK = SERIES_COLORS
RIGHT, WRONG = GREEN, VERMILLION  # a right / wrong prediction (with a second cue: a label, hatching or a marker)
SERIES_LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (1, 1)), (0, (8, 2)))
SERIES_STYLE = {
    "font.size": MIN_TEXT_PT,
    "axes.titlesize": MIN_TEXT_PT + 1,
    "axes.labelsize": MIN_TEXT_PT,
    "xtick.labelsize": MIN_TEXT_PT,
    "ytick.labelsize": MIN_TEXT_PT,
    "legend.fontsize": MIN_TEXT_PT,
    "legend.title_fontsize": MIN_TEXT_PT,
    "figure.titlesize": MIN_TEXT_PT + 2,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "lines.linewidth": 2.0,
    "axes.prop_cycle": cycler(color=SERIES_COLORS) + cycler(linestyle=SERIES_LINESTYLES),
}


def figure_of(target):
    """The Matplotlib Figure of ``target``: a Figure, or anything drawn on one (an Axes, a SubFigure)."""
    fig = target if isinstance(target, Figure) else getattr(target, "figure", None)
    while fig is not None and not isinstance(fig, Figure):  # a SubFigure's .figure is its parent
        fig = getattr(fig, "figure", None)
    if fig is None:
        raise TypeError(f"describe() needs a Matplotlib Figure or Axes; got {type(target).__name__}.")
    return fig


def describe(target, text):
    """Attach ``text``, what the figure shows and what to read from it, to the figure of ``target``
    (a Figure or one of its Axes); return the figure. The last description given wins.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"a figure's description must be a non-empty string (what it shows); got {text!r}.")
    if text.lstrip().startswith(PLACEHOLDERS):
        raise ValueError(f"{text[:40]!r}... is a placeholder, not a description: say what the figure shows.")
    fig = figure_of(target)
    setattr(fig, ATTRIBUTE, " ".join(text.split()))
    return fig


def description(target):
    """The description attached to the figure of ``target`` by ``describe``, or None."""
    return getattr(figure_of(target), ATTRIBUTE, None)


def description_html(text):
    """The screen-reader paragraph shown after a described figure (JupyterLab reaches it; see the module doc)."""
    return f'<p class="figure-description" style="{SCREEN_READER_ONLY}">Figure: {html.escape(text)}</p>'


@contextmanager
def recording_text_sizes():
    """Meanwhile, record the size in points of every non-empty text Matplotlib's Agg renderer draws (ticks,
    labels, legends, titles, annotations: what a PNG shows); yields the list they are appended to."""
    from matplotlib.backends.backend_agg import RendererAgg

    sizes = []
    original = RendererAgg.draw_text

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if str(s).strip():
            sizes.append(float(prop.get_size_in_points()))
        return original(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    RendererAgg.draw_text = draw_text
    try:
        yield sizes
    finally:
        RendererAgg.draw_text = original


def smallest_text_pt(fig, **savefig):
    """The smallest text (points) in ``fig`` as saved to PNG with ``savefig`` options; None if it has no text."""
    with recording_text_sizes() as sizes:
        fig.savefig(io.BytesIO(), format="png", **savefig)
    return min(sizes, default=None)


def figure_bundle(fig, formatters):
    """(data, metadata) of a figure's picture output: what IPython's display ``formatters`` (by MIME type)
    draw for it; for a described figure, the description as ``text/plain`` and as each picture's ``alt``."""
    text = description(fig)
    data, metadata = {}, {}
    for mime, formatter in formatters.items():
        with recording_text_sizes() as sizes:
            value = formatter(fig) if formatter.enabled else None
        if value is None:
            continue
        if isinstance(value, tuple):  # (data, metadata), e.g. the width and height of a retina PNG
            value, metadata[mime] = value
        data[mime] = value
        if mime == "image/png" and sizes:  # the smallest text, in the PNG's pixels (the browser tests scale it)
            metadata[mime] = {**(metadata.get(mime) or {}), "text_px": round(min(sizes) * fig.dpi / 72, 1)}
    if text is not None:
        data["text/plain"] = text
        for mime in PICTURE_MIMES:
            if mime in data:
                metadata[mime] = {**(metadata.get(mime) or {}), "alt": text}
    try:  # the inline backend's own metadata (needs_background, for dark themes)
        from matplotlib_inline.backend_inline import _fetch_figure_metadata

        metadata.update(_fetch_figure_metadata(fig) or {})
    except ImportError:
        pass
    return data, metadata


def _display_figure(fig):
    """IPython's display hook for a Figure: a described figure as two outputs (module doc), others as usual."""
    from IPython import get_ipython
    from IPython.display import publish_display_data

    data, metadata = figure_bundle(fig, get_ipython().display_formatter.formatters)
    publish_display_data(data, metadata)
    text = description(fig)
    if text is not None and any(mime in data for mime in PICTURE_MIMES):
        publish_display_data({"text/html": description_html(text)}, {DESCRIPTION_METADATA: True})


def show_descriptions(shell=None):
    """Show every described figure with its text alternative (module doc), in this IPython ``shell``
    (default: the running one). Call it once in a notebook's set-up cell; calling it again changes nothing."""
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if shell is None:
        raise RuntimeError("show_descriptions() works inside IPython or Jupyter (a notebook's kernel); "
                           "in a plain Python script, read description(fig) instead.")
    shell.display_formatter.ipython_display_formatter.for_type(Figure, _display_figure)


def use_series_style():
    """Apply ``SERIES_STYLE`` to Matplotlib's rcParams (the series' figure sizes); return the old values."""
    import matplotlib

    old = {key: matplotlib.rcParams[key] for key in SERIES_STYLE}
    matplotlib.rcParams.update(SERIES_STYLE)
    return old


def use_series_figures(shell=None):
    """A notebook's set-up call: the series' figure style (``use_series_style``) and every described figure
    shown with its text alternative (``show_descriptions``)."""
    use_series_style()
    show_descriptions(shell)

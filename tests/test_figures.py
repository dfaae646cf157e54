"""helpers.figures: a figure's text alternative, in a real kernel and in the HTML that tools/deck.py writes."""

import base64
import importlib.util
import os
import re
import struct
from pathlib import Path

import matplotlib
import nbformat
import pytest
from matplotlib.figure import Figure

from helpers.figures import (
    DESCRIPTION_METADATA,
    DPI,
    MIN_TEXT_PT,
    NOTEBOOK_TEXT_PX,
    SERIES_STYLE,
    SLIDE_TEXT_PX,
    describe,
    description,
    description_html,
    show_descriptions,
    use_series_style,
)

REPO = Path(__file__).resolve().parent.parent
PLACEHOLDER = "No description has been provided for this image"


def test_describe_attaches_the_text_to_the_figure_of_an_axes():
    fig = Figure()
    ax = fig.subplots()
    assert description(fig) is None
    assert describe(ax, "  a line\n rising ") is fig
    assert description(fig) == description(ax) == "a line rising"
    describe(fig, "the last description wins")
    assert description(ax) == "the last description wins"


@pytest.mark.parametrize("text", ["", "   ", None, 3, "<Figure size 640x480 with 1 Axes>", PLACEHOLDER])
def test_describe_refuses_empty_and_placeholder_text(text):
    with pytest.raises(ValueError, match="description"):
        describe(Figure(), text)


def test_describe_needs_a_figure():
    with pytest.raises(TypeError, match="Figure or Axes"):
        describe([1, 2], "a list")


def test_show_descriptions_needs_ipython():
    with pytest.raises(RuntimeError, match="inside IPython"):
        show_descriptions()


def test_description_html_is_escaped_and_visually_hidden():
    html = description_html("a < b & c")
    assert "a &lt; b &amp; c" in html and "position:absolute" in html and "clip:rect(0,0,0,0)" in html


def test_series_style_is_applied_only_when_asked():
    before = {key: matplotlib.rcParams[key] for key in SERIES_STYLE}
    assert before != SERIES_STYLE  # importing helpers changed nothing
    old = use_series_style()
    try:
        assert {key: matplotlib.rcParams[key] for key in SERIES_STYLE} == SERIES_STYLE
    finally:
        matplotlib.rcParams.update(old)
    assert old == before


CELLS = [
    "import matplotlib.pyplot as plt\nfrom helpers.figures import describe, use_series_figures\nuse_series_figures()",
    "fig, ax = plt.subplots()\nax.plot([0, 1])\ndescribe(ax, 'a line rising from 0 to 1 <fast>')\nplt.show()",
    "fig, ax = plt.subplots()\nax.plot([1, 0])\nplt.show()",
]


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """A notebook run in a real kernel (this worktree's helpers): a described figure, then an undescribed one."""
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder = tmp_path_factory.mktemp("figures")
    with pytest.MonkeyPatch.context() as patch:  # the kernel imports this worktree's helpers
        patch.setenv("PYTHONPATH", os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
        NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(folder)}}).execute()
    path = folder / "figures.ipynb"
    nbformat.write(nb, path)
    return path, nb


def test_a_described_figure_carries_its_text_in_a_kernel(executed):
    _, nb = executed
    assert nb.cells[0].outputs == []  # the set-up call prints nothing
    picture, paragraph = nb.cells[1].outputs
    assert "image/png" in picture.data
    assert picture.data["text/plain"] == "a line rising from 0 to 1 <fast>"  # not <Figure size ...>
    assert picture.metadata["image/png"]["alt"] == "a line rising from 0 to 1 <fast>"
    assert picture.metadata["image/png"]["text_px"] == round(MIN_TEXT_PT * DPI / 72, 1)  # the series' tick labels
    assert paragraph.metadata == {DESCRIPTION_METADATA: True}
    assert "Figure: a line rising from 0 to 1 &lt;fast&gt;" in paragraph.data["text/html"]


def test_an_undescribed_figure_is_shown_as_matplotlib_shows_it(executed):
    _, nb = executed
    (picture,) = nb.cells[2].outputs
    assert "image/png" in picture.data and picture.data["text/plain"].startswith("<Figure size")
    assert "alt" not in picture.metadata.get("image/png", {})


def _deck_tool():
    spec = importlib.util.spec_from_file_location("deck_tool", REPO / "tools" / "deck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_deck_and_page_write_the_description_as_alt(executed, tmp_path):
    pytest.importorskip("a11y_pygments", reason="accessible-pygments is in requirements-dev.txt: pip install it")
    from bs4 import BeautifulSoup

    deck = _deck_tool()
    path, _ = executed
    for html in (deck.export(path, tmp_path), deck.export_page(path, tmp_path)):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        alts = [img.get("alt") for img in soup.select("img")]
        assert alts == ["a line rising from 0 to 1 <fast>", PLACEHOLDER], f"{html.name}: {alts}"
        assert not soup.select(".figure-description"), f"{html.name}: the screen-reader copy is not left out"


def test_nbconvert_classic_template_reads_the_same_metadata(executed):
    from nbconvert import HTMLExporter

    path, _ = executed
    body, _ = HTMLExporter(template_name="classic").from_filename(str(path))
    assert 'alt="a line rising from 0 to 1 &lt;fast&gt;"' in body


# ---------------------------------------------------------------------------------------------------------
# The stored notebooks' figures (issue 21): described, and legible on the slide and in the notebook view

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
SLIDE_CONTENT_PX = 1200  # the widest picture a 1280 x 720 slide shows unshrunk (the browser tests measure it)
NOTEBOOK_OUTPUT_PX = 900  # JupyterLab's output area at a 1280 px wide window, narrower pictures are not shrunk


def png_size(data):
    """(width, height) of a base64 PNG, from its IHDR chunk."""
    raw = base64.b64decode(data[:64])
    return struct.unpack(">II", raw[16:24])


def stored_figures(notebook):
    """(cell index, output) of every picture output (not a widget's) stored in ``notebook``."""
    nb = nbformat.read(notebook, as_version=4)
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                yield index, output


def test_the_series_style_draws_text_big_enough_for_a_slide():
    assert MIN_TEXT_PT * DPI / 72 >= SLIDE_TEXT_PX  # a figure drawn 1:1 on the slide


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_figures_are_described_and_legible(notebook):
    """Every figure a notebook shows: a description (not matplotlib's repr), its smallest text recorded by
    helpers.figures at >= 18 px in the PNG's pixels, and at most as wide as the slide (drawn 1:1 there, so
    >= 18 px as drawn; tests/test_browser_decks.py measures it in the decks); >= 12 px in the notebook view."""
    problems = []
    for index, output in stored_figures(notebook):
        where = f"cell {index}"
        meta = output.get("metadata", {}).get("image/png", {})
        alt = meta.get("alt", "")
        if not alt or alt.startswith(("<Figure size", PLACEHOLDER)) or output["data"]["text/plain"] != alt:
            problems.append(f"{where}: no description (helpers.figures.describe)")
        width, _ = png_size(output["data"]["image/png"])
        text_px = meta.get("text_px")
        if text_px is None:
            problems.append(f"{where}: no text size recorded (does the set-up cell call use_series_figures()?)")
            continue
        if text_px < SLIDE_TEXT_PX:
            problems.append(f"{where}: smallest text {text_px} px < {SLIDE_TEXT_PX} px (at least {MIN_TEXT_PT} pt)")
        if width > SLIDE_CONTENT_PX:
            problems.append(f"{where}: {width} px wide, wider than the slide's {SLIDE_CONTENT_PX} px (shrunk there)")
        if text_px * min(1, NOTEBOOK_OUTPUT_PX / width) < NOTEBOOK_TEXT_PX:
            problems.append(f"{where}: smallest text below {NOTEBOOK_TEXT_PX} px in the notebook view")
    assert not problems, f"{notebook.name}:\n" + "\n".join(problems)


# ---------------------------------------------------------------------------------------------------------
# Colour for every eye: the series' line colours and the ends of every colour map the helpers use stay apart
# under simulated deuteranopia, protanopia and tritanopia (Machado et al. 2009 at full severity, colorspacious)

MIN_DELTA_E = 10  # CAM02-UCS distance: 10 is a clearly visible difference between two plotted colours
DEFICIENCIES = (None, "deuteranomaly", "protanomaly", "tritanomaly")


def _seen(rgb, deficiency):
    import numpy as np
    from colorspacious import cspace_convert

    if deficiency is None:
        return np.asarray(rgb, dtype=float)
    cvd = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
    return np.clip(cspace_convert(np.asarray(rgb, dtype=float), cvd, "sRGB1"), 0, 1)


def _distance(a, b, deficiency):
    from colorspacious import deltaE

    return float(deltaE(_seen(a, deficiency), _seen(b, deficiency), input_space="sRGB1"))


def helpers_colormaps():
    """Every colour map named in helpers/ (``cmap="..."`` or a ``*_CMAP = "..."`` constant)."""
    found = set()
    for path in (REPO / "helpers").glob("*.py"):
        found |= set(re.findall(r"""(?:cmap=|_CMAP = )["']([A-Za-z_]+)["']""", path.read_text()))
    return sorted(found)


@pytest.mark.parametrize("deficiency", DEFICIENCIES, ids=lambda d: d or "typical")
def test_series_colours_stay_apart(deficiency):
    pytest.importorskip("colorspacious", reason="colorspacious is in requirements-dev.txt")
    from itertools import combinations

    from matplotlib.colors import to_rgb

    from helpers.figures import SERIES_COLORS

    close = [(a, b, round(d, 1)) for a, b in combinations(SERIES_COLORS, 2)
             if (d := _distance(to_rgb(a), to_rgb(b), deficiency)) < MIN_DELTA_E]
    assert not close, f"colours closer than {MIN_DELTA_E} (CAM02-UCS) for {deficiency}: {close}"


@pytest.mark.parametrize("deficiency", DEFICIENCIES, ids=lambda d: d or "typical")
def test_colormap_ends_stay_apart(deficiency):
    pytest.importorskip("colorspacious", reason="colorspacious is in requirements-dev.txt")
    maps = helpers_colormaps()
    assert "gray_r" in maps, maps  # the search finds the digits' map
    close = []
    for name in maps:
        cmap = matplotlib.colormaps[name]
        low, middle, high = (cmap(x)[:3] for x in (0.0, 0.5, 1.0))
        pairs = [("ends", low, high), ("low-middle", low, middle), ("middle-high", middle, high)]
        close += [(name, what, round(d, 1)) for what, a, b in pairs if (d := _distance(a, b, deficiency)) < MIN_DELTA_E]
    assert not close, f"colour maps whose parts look alike for {deficiency}: {close}"

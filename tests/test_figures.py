"""helpers.figures: a figure's text alternative, in a real kernel and in the HTML that tools/deck.py writes."""

import importlib.util
import os
from pathlib import Path

import matplotlib
import nbformat
import pytest
from matplotlib.figure import Figure

from helpers.figures import (
    DESCRIPTION_METADATA,
    SERIES_STYLE,
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
    "import matplotlib.pyplot as plt\nfrom helpers.figures import describe, show_descriptions\nshow_descriptions()",
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

"""The notebooks are also the instructor's slides: build every deck without a browser and check it.

A deck is made by ``jupyter nbconvert --to slides`` (reveal.js): each cell marked ``slide`` opens a
top-level <section>, each ``subslide`` a nested one, ``fragment`` cells appear step by step,
``notes`` become speaker notes and ``skip`` cells (set-up, plumbing) are left out.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbconvert import SlidesExporter

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))  # lessons 01, 02, ..., then appendices A1, A2, ...
SERIES = ["01_data", "02_forward", "03_backward_loss", "04_backward_gradients", "05_training",
          "06_training_overfitting", "07_training_further", "08_evaluation"]
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
NEW_SLIDE = {"slide", "subslide"}

# What fits on a 1280 x 720 projector at the presenting font sizes (text 20 px, code 18 px; see
# tools/slide_metadata.py). Whether each slide fits is measured in Chromium by tests/test_browser_*.py; these
# limits are the quick checks that need no browser.
MAX_CODE_LINES = 12  # lines of one code cell on a slide
MAX_LINE_CHARS = 99  # characters of one line of code (at 18 px, 99 fit in the slide's width)


def slide_type(cell):
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


class DeckParser(HTMLParser):
    """Counts the reveal.js structure of an exported deck: slides, subslides, fragments, notes."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.top_sections = 0
        self.nested_sections = 0
        self.fragments = 0
        self.notes = 0

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "section":
            self.depth += 1
            if self.depth == 1:
                self.top_sections += 1
            elif self.depth == 2:
                self.nested_sections += 1
        elif "fragment" in classes:
            self.fragments += 1
        elif tag == "aside" and "notes" in classes:
            self.notes += 1

    def handle_endtag(self, tag):
        if tag == "section":
            self.depth -= 1


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def notebook(request):
    return nbformat.read(request.param, as_version=4)


def test_the_series_is_complete():
    assert [p.stem for p in NOTEBOOKS][: len(SERIES)] == SERIES


def test_every_cell_has_a_slide_type(notebook):
    missing = [i for i, c in enumerate(notebook.cells) if slide_type(c) not in SLIDE_TYPES
               or "slideshow" not in c.metadata]
    assert not missing, f"cells {missing} have no valid metadata.slideshow.slide_type"


def test_title_slide(notebook):
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and slide_type(first) == "slide"
    assert re.match(r"# (\d\d|A\d) · ", first.source), "the deck opens with a title like '# 02 · Forward propagation'"


def test_deck_builds_with_one_section_per_slide(notebook):
    body, _ = SlidesExporter().from_notebook_node(notebook)
    deck = DeckParser()
    deck.feed(body)
    types = [slide_type(c) for c in notebook.cells]
    assert deck.top_sections == types.count("slide")
    assert deck.nested_sections == types.count("slide") + types.count("subslide")
    assert deck.fragments == types.count("fragment")
    assert deck.notes >= 1 if "notes" in types else deck.notes == 0
    assert deck.top_sections >= 5


def test_setup_cells_are_skipped(notebook):
    for cell in notebook.cells:
        if cell.cell_type == "code" and re.search(r"^(from helpers import|import helpers)", cell.source, re.M):
            if "import" in cell.source.splitlines()[0]:
                assert slide_type(cell) == "skip", "the set-up (import) cell is plumbing: mark it skip"
                return
    pytest.fail("no set-up cell importing from helpers")


def test_every_derivation_step_is_revealed_on_its_own(notebook):
    """Each Markdown cell with a display equation is a slide, a subslide or a fragment."""
    steps = [c for c in notebook.cells if c.cell_type == "markdown" and "$$" in c.source
             and slide_type(c) not in {"skip", "notes"}]
    assert steps, "a notebook of this series derives at least one equation"
    hidden = [c.source.splitlines()[0] for c in steps if slide_type(c) not in NEW_SLIDE | {"fragment"}]
    assert not hidden, f"derivation steps not revealed as their own slide/fragment: {hidden}"


def test_code_cells_fit_on_a_slide(notebook):
    problems = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or slide_type(cell) in {"skip", "notes"}:
            continue
        if "hide-input" in cell.metadata.get("tags", []):
            continue  # plotting-only code: off the slide (tools/deck.py), collapsed in JupyterLab
        lines = cell.source.splitlines()
        if len(lines) > MAX_CODE_LINES:
            problems.append(f"{len(lines)} lines (> {MAX_CODE_LINES}): {lines[0][:60]}")
        problems += [f"{len(line)} characters (> {MAX_LINE_CHARS}): {line[:60]}"
                     for line in lines if len(line) > MAX_LINE_CHARS]
    assert not problems, "code cells too big for a slide:\n" + "\n".join(problems)


def test_slide_metadata_is_normalized():
    """tools/slide_metadata.py has been run: presenting font sizes, no '-' slide types, the measured splits."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("slide_metadata", ROOT / "tools" / "slide_metadata.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    stale = {p.stem: tool.normalize(nbformat.read(p, as_version=4)) for p in NOTEBOOKS}
    stale = {name: changes for name, changes in stale.items() if changes}
    assert not stale, f"run `.venv/bin/python tools/slide_metadata.py`: {stale}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_saved_widget_state_only_with_widgets_shown(notebook):
    """A notebook stores widget state only if one of its outputs shows a widget: nbclient keeps old state when a
    re-run makes no widgets, and the offline deck then waits for widgets that never come (A2's deck timed out so)."""
    nb = nbformat.read(notebook, as_version=4)
    shown = any("application/vnd.jupyter.widget-view+json" in out.get("data", {})
                for cell in nb.cells for out in cell.get("outputs", []))
    assert shown or "widgets" not in nb.metadata, f"{notebook.name}: stale widget state in its metadata"

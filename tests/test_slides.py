"""The notebooks are also the instructor's slides: build every deck without a browser and check it.

A deck is made by ``jupyter nbconvert --to slides`` (reveal.js): each cell marked ``slide`` opens a
top-level <section>, each ``subslide`` a nested one, ``fragment`` cells appear step by step,
``notes`` become speaker notes and ``skip`` cells (set-up, plumbing) are left out.
"""

import base64
import re
import struct
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbconvert import SlidesExporter

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SERIES = ["01_data", "02_forward", "03_backward", "04_training", "05_evaluation"]
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
NEW_SLIDE = {"slide", "subslide"}

# What fits on a 1280 x 720 projector. The heights below (pixels) were fitted by least squares to the
# measured heights of all 131 slides of the series, exported with the command in the README and rendered
# in headless Chromium at 1280 x 720 (residual spread about 40 px); a slide whose content ran past about
# 710 px was cut off at the bottom.
SCREEN_HEIGHT = 700  # the budget for the estimate (its error is about 40 px either way)
MAX_CODE_LINES = 12  # lines of one code cell on a slide
MAX_LINE_CHARS = 99  # characters of one line of code (measured: 100 scroll sideways at 1280 px)
MARKDOWN_LINE = 28  # height of a line of Markdown text
HEADING_LINE = 92  # height of a heading, with its margins
EQUATION = 79  # height of a display equation
CODE_LINE = 23  # height of a line of code
OUTPUT_LINE = 30  # height of a line of printed output
IMAGE_SCALE = 1.2  # a figure's height on the slide per pixel of its PNG
CELL_GAP = 26  # padding around each cell
WIDGET = 400  # a widget's height when rendered (a widget needs a slide to itself)
MAX_OUTPUT_LINES = 12  # printed lines shown on a slide before it scrolls


def slide_type(cell):
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


def png_height(data):
    """Height in pixels of a base64 PNG (read from its header)."""
    raw = base64.b64decode(data)
    return struct.unpack(">I", raw[20:24])[0]


def cell_height(cell):
    """A rough height on screen, in pixels, of one cell with its outputs (see the constants above)."""
    height = CELL_GAP
    if cell.cell_type == "markdown":
        in_math = False
        for line in cell.source.splitlines():
            if line.strip().startswith("$$"):
                in_math = not in_math if line.strip() == "$$" else in_math
                height += EQUATION
            elif in_math:
                continue
            elif line.startswith("#"):
                height += HEADING_LINE
            elif line.strip():
                height += MARKDOWN_LINE * (1 + len(line) // 110)
        return height
    height += CODE_LINE * len(cell.source.splitlines())
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if "image/png" in data:
            height += IMAGE_SCALE * png_height(data["image/png"])
        elif "application/vnd.jupyter.widget-view+json" in data:
            height += WIDGET
        elif "text" in out or "text/plain" in data:
            text = out.get("text", data.get("text/plain", ""))
            height += OUTPUT_LINE * min(len(text.splitlines()), MAX_OUTPUT_LINES)
    return height


def slides_of(nb):
    """Group the shown cells into (sub)slides: lists of cells, each starting at a slide/subslide cell."""
    groups = []
    for cell in nb.cells:
        kind = slide_type(cell)
        if kind in {"skip", "notes"}:
            continue
        if kind in NEW_SLIDE or not groups:
            groups.append([])
        groups[-1].append(cell)
    return groups


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
    assert re.match(r"# \d\d · ", first.source), "the deck opens with a title like '# 02 · Forward propagation'"


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
        lines = cell.source.splitlines()
        if len(lines) > MAX_CODE_LINES:
            problems.append(f"{len(lines)} lines (> {MAX_CODE_LINES}): {lines[0][:60]}")
        problems += [f"{len(line)} characters (> {MAX_LINE_CHARS}): {line[:60]}"
                     for line in lines if len(line) > MAX_LINE_CHARS]
    assert not problems, "code cells too big for a slide:\n" + "\n".join(problems)


def test_no_slide_overflows_the_screen(notebook):
    problems = []
    for group in slides_of(notebook):
        height = sum(cell_height(c) for c in group)
        first = group[0].source.splitlines()[0] if group[0].source else "(empty)"
        if height > SCREEN_HEIGHT:
            problems.append(f"'{first[:60]}' is about {height:.0f} px tall")
    assert not problems, f"slides taller than {SCREEN_HEIGHT} px (split them):\n" + "\n".join(problems)

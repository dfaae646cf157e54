"""Make the notebooks' slide metadata what the live slideshow (jupyterlab-slideshow) needs. Re-runnable.

Usage, from the repository root (after any edit that adds cells or changes slide types)::

    .venv/bin/python tools/slide_metadata.py          # rewrite notebooks/*.ipynb in place
    .venv/bin/python tools/slide_metadata.py --check  # exit 1 and list what it would change

It changes metadata only (never sources or outputs), so the notebooks need no re-execution, and it is
idempotent: a second run changes nothing. What it does, keyed on cell ids and slide types, not positions:

1. Notebook level: the presenting font sizes (``PRESENTING``), stored where jupyterlab-slideshow's font
   manager (``@deathbeds/jupyterlab-fonts``) reads them, scoped to presenting mode, so the notebook
   view in JupyterLab, GitHub and nbviewer keeps its usual sizes; and the figures' look in a dark theme
   (``DARK_PICTURES``).
2. Cells whose ``slide_type`` is ``"-"`` ("shown with the slide before it") lose that key:
   jupyterlab-slideshow 0.3.4 understands that meaning only as a missing (null) slide type and leaves a
   ``"-"`` cell off the slide altogether; nbconvert and RISE read a missing key as ``"-"``.
3. ``SPLITS``: cells that open a new subslide so that no slide runs past 1280 x 720 at the presenting
   font size (measured in Chromium by tests/test_browser_*.py). Keyed on the cell id.
4. ``WIDE_EQUATIONS``: display equations wider than the slide at the presenting size, broken in two
   (Markdown source only; keyed on the cell id and the exact text, so it applies once and never guesses).
5. The notebook-level ``rise`` metadata (RISE's frame size) goes: the series no longer uses RISE
   (jupyterlab-rise 0.43 loses ipywidgets 8, rise#119) and tools/deck.py sets the deck's frame itself.
6. Cells tagged ``hide-input`` (plotting-only code: the figure matters, not how it is drawn) have their
   input collapsed in JupyterLab (``jupyter.source_hidden``; one click shows it) and tools/deck.py leaves
   it off the decks and pages. The notebook test still runs them.
"""

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
FONTS_KEY = "@deathbeds/jupyterlab-fonts"
PRESENTING_SELECTOR = "body[data-jp-deck-mode='presenting'] &"
#: Presenting font sizes: text >= 20 px and code >= 18 px tall on a 1280 x 720 screen (1/36 and 1/40 of
#: its height; JupyterLab's defaults are 14 px and 13 px, 1/51 and 1/55).
PRESENTING = {
    "--jp-content-font-size1": "20px",  # Markdown text, lists, tables
    "--jp-code-font-size": "18px",  # code cells
    "--jp-content-font-size0": "20px",  # small text: table cells
    "--jp-ui-font-size1": "20px",  # tables (they use the UI font size)
    "--jp-widgets-font-size": "18px",  # the explorers' labels, readouts, buttons and messages
    "--jp-widgets-inline-height": "36px",  # a control row tall enough for 18 px
    "--jp-widgets-inline-label-width": "110px",  # room for "iterations" at 18 px
}
#: An explorer's picture shrinks (keeping its shape) to leave room on its slide for its code, controls and
#: message at the presenting sizes.
PRESENTING_PICTURE = {"max-height": "440px", "width": "auto", "object-fit": "contain"}
#: JupyterLab's dark themes (``data-jp-theme-light="false"`` on the body): figures and the explorers' pictures are
#: drawn dark-on-light, so there they are shown inverted with their hues kept (white paper -> dark grey, black text ->
#: light grey, blue stays blue), instead of glaring white panels; the notebook view and slideshow in a light theme,
#: the decks and the pages are unchanged. jupyterlab-fonts applies it, like the presenting sizes.
DARK_SELECTOR = "body[data-jp-theme-light='false'] &"
DARK_PICTURES = {"filter": "invert(0.9) hue-rotate(180deg)"}
#: Cell id -> slide type, for cells that must start a new (sub)slide at the presenting font size.
SPLITS = {
    "4f81448f": "subslide",  # 02: the forward stepper (630 px tall) on a subslide of its own
    "6261e859": "subslide",  # 08: the prediction browser (580 px)
    "97b2a417": "subslide",  # A1: gradient_descent's loop as it runs (530 px of printed source)
    "c0d68546": "subslide",  # 05: McNemar against independent samples, after the count of disagreements
    "7219f4be": "subslide",  # 06: early stopping against 1,000 iterations, after the two stopped runs
    "c0feeffe": "subslide",  # A1: why half the arithmetic is not half the time, after the timing
    "28f492b5": "subslide",  # 07: one epoch of batches against 500 iterations, the seeds' loop and its count
    "f7e96910": "subslide",  # 07: paired(), He's start minus the seed's, seed by seed
    "55696cea": "subslide",  # 07: momentum against plain steps, paired by seed
}


#: Cell id -> (text, replacement) in a Markdown cell's source.
WIDE_EQUATIONS = {
    "aa246ac6": (  # 04, the worked example's forward pass: wider than the slide at 20 px
        r"= (0.1192,\ 0.8808), \qquad \ell = -\log(1 - q)",
        "= (0.1192,\\ 0.8808)$$\n\n$$\\ell = -\\log(1 - q)",
    ),
}


def fonts_metadata():
    return {"styles": {"": {PRESENTING_SELECTOR: dict(PRESENTING),
                            PRESENTING_SELECTOR + " .widget-image": dict(PRESENTING_PICTURE),
                            DARK_SELECTOR + " .jp-RenderedImage img": dict(DARK_PICTURES),
                            DARK_SELECTOR + " .widget-image": dict(DARK_PICTURES)}}}


def normalize(nb):
    """Apply the rules above to a notebook node in place; return a list of what changed."""
    changes = []
    if nb.metadata.get(FONTS_KEY) != fonts_metadata():
        nb.metadata[FONTS_KEY] = fonts_metadata()
        changes.append("presenting font sizes")
    if nb.metadata.pop("rise", None) is not None:
        changes.append("RISE metadata removed")
    for cell in nb.cells:
        old, new = WIDE_EQUATIONS.get(cell.get("id"), (None, None))
        if cell.cell_type == "markdown" and old and old in cell.source:
            cell.source = cell.source.replace(old, new)
            changes.append(f"cell {cell.id}: equation broken in two")
        show = cell.metadata.setdefault("slideshow", {})
        if cell.get("id") in SPLITS and show.get("slide_type") != SPLITS[cell.id]:
            show["slide_type"] = SPLITS[cell.id]
            changes.append(f"cell {cell.id}: {SPLITS[cell.id]}")
        hidden = cell.metadata.setdefault("jupyter", {}) if "hide-input" in cell.metadata.get("tags", []) else None
        if hidden is not None and not hidden.get("source_hidden"):
            hidden["source_hidden"] = True
            changes.append(f"cell {cell.id}: input collapsed")
        if not cell.metadata.get("jupyter", True):
            del cell.metadata["jupyter"]
        if show.get("slide_type") == "-":
            del show["slide_type"]
            changes.append(f"cell {cell.id}: '-' -> no slide type")
    return changes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook needs changes")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        default=sorted((ROOT / "notebooks").glob("*.ipynb")))
    args = parser.parse_args(argv)
    unknown = set(SPLITS)
    dirty = False
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        unknown -= {c.get("id") for c in nb.cells}
        changes = normalize(nb)
        if changes:
            dirty = True
            more = " ..." if len(changes) > 5 else ""
            print(f"{path.name}: {len(changes)} change(s): " + "; ".join(changes[:5]) + more)
            if not args.check:
                nbformat.write(nb, path)
    if unknown and len(args.notebooks) > 1:
        print(f"warning: SPLITS names cell ids found in no notebook: {sorted(unknown)}", file=sys.stderr)
    return 1 if (dirty and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())

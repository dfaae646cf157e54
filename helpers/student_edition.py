"""The student edition of the series, in one command: ``python -m helpers.student_edition OUT_DIR``.

Plumbing for the instructor (README, "Teach with it"); no notebook teaches it. The stored notebooks are
the instructor edition: every "Your turn" exercise holds its solution between ``### BEGIN SOLUTION`` and
``### END SOLUTION`` lines (nbgrader's markers), runs, and its check prints the pass line. The student
edition is written from them with nbformat alone, by these rules:

1. **Solution regions.** In a code cell, the lines from one that reads ``### BEGIN SOLUTION`` (after its
   indentation) to the next one that reads ``### END SOLUTION``, both included, become two lines at the
   indentation of the BEGIN line: ``# YOUR CODE HERE`` and ``raise NotImplementedError()``. The lines
   before and after the region (a ``def`` line, a docstring, a ``return``) stay. The cell's outputs are
   cleared. A BEGIN without its END, or an END without a BEGIN, is an error naming the cell.
2. **Check cells.** A code cell with a line that starts with a call of a ``helpers.checks`` function
   (e.g. ``check_softmax(my_softmax)``) has its outputs cleared.
3. **Worked solutions.** A Markdown cell whose first line is ``## Solutions`` opens the worked-solutions
   section; it runs up to, not including, the next Markdown cell whose first line is a heading of level 1
   or 2 (``# ...`` or ``## ...``), or to the end of the notebook. The section is removed, and with it the
   line "Solutions are at the end of the notebook." wherever a Markdown cell has it.
4. Everything else (derivations, figures, widgets, speaker notes, metadata) is copied unchanged.

The student edition runs from any folder with the repository's environment: the notebooks find the data
through the installed ``helpers`` package (``pip install -e .`` of the Quick start), not through paths
relative to the notebook. ``08_evaluation.ipynb`` writes its README pictures (``helpers.readme_picture``)
into the repository's ``images/`` only when it runs from the repository's ``notebooks/``; a student
edition writes them into an ``images/`` folder beside itself. The suggested OUT_DIR, ``student_edition/``,
is ignored by git.
"""

import argparse
import re
import sys
from pathlib import Path

import nbformat

from . import checks

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
DEFAULT_OUT_DIR = "student_edition"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
SOLUTIONS_HEADING = "## Solutions"
POINTER = "Solutions are at the end of the notebook."
CHECKS = sorted(name for name in vars(checks) if name.startswith("check_"))  # check_one_hot, check_softmax, ...
CHECK_CALL = re.compile(rf"^({'|'.join(CHECKS)})\(", re.M)
SECTION_HEADING = re.compile(r"^#{1,2} ")


class StudentEditionError(ValueError):
    """A notebook or an OUT_DIR the student edition cannot be made from (the message says how to fix it)."""


def strip_solutions(source, where="a cell"):
    """Replace each solution region of a code cell's source by the stub (rule 1). Returns (source, regions)."""
    lines, out, regions, begin = source.splitlines(), [], 0, None
    for number, line in enumerate(lines, 1):
        marker = line.strip()
        if marker == BEGIN:
            if begin is not None:
                raise StudentEditionError(f"{where}: line {number} opens a solution region inside the one "
                                          f"opened on line {begin}; close it with {END!r} first")
            begin, indent = number, line[: len(line) - len(line.lstrip())]
        elif marker == END:
            if begin is None:
                raise StudentEditionError(f"{where}: line {number} has {END!r} without a {BEGIN!r} before it")
            out += [indent + STUB[0], indent + STUB[1]]
            begin, regions = None, regions + 1
        elif begin is None:
            out.append(line)
    if begin is not None:
        raise StudentEditionError(f"{where}: the solution region opened on line {begin} has no {END!r}")
    return "\n".join(out), regions


def solution_lines(nb):
    """The lines inside the solution regions of a notebook (markers excluded, stripped, non-blank)."""
    found = []
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines() if cell.cell_type == "code" else []:
            if line.strip() in (BEGIN, END):
                inside = line.strip() == BEGIN
            elif inside and line.strip():
                found.append(line.strip())
    return found


def _clear(cell):
    cell.outputs, cell.execution_count = [], None


def is_check_cell(cell):
    """A code cell that calls a check of ``helpers.checks`` at the start of a line (rule 2)."""
    return cell.cell_type == "code" and bool(CHECK_CALL.search(cell.source))


def _opens_solutions(cell):
    return cell.cell_type == "markdown" and cell.source.splitlines()[:1] == [SOLUTIONS_HEADING]


def _ends_section(cell):
    return cell.cell_type == "markdown" and bool(SECTION_HEADING.match(cell.source))


def without_worked_solutions(nb):
    """A copy of the notebook without its worked-solutions section and the line pointing to it (rule 3)."""
    nb = nbformat.from_dict(nb)  # a deep copy
    kept, skipping = [], False
    for cell in nb.cells:
        if _opens_solutions(cell):
            skipping = True
            continue
        if skipping and _ends_section(cell):
            skipping = False
        if skipping:
            continue
        if cell.cell_type == "markdown" and POINTER in cell.source:
            cell.source = "\n".join(line for line in cell.source.splitlines() if line.strip() != POINTER).rstrip()
        kept.append(cell)
    nb.cells = kept
    return nb


def student_notebook(nb, name="notebook"):
    """The student edition of one notebook (a new NotebookNode; ``nb`` is not changed). Rules 1-4."""
    nb = without_worked_solutions(nb)
    kept = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            source, regions = strip_solutions(cell.source, f"{name}, cell {index}")
            if regions:
                cell.source = source
                _clear(cell)
            elif is_check_cell(cell):
                _clear(cell)
        kept.append(cell)
    nb.cells = kept
    return nb


def _check_out_dir(out_dir, source_dir, names, force):
    out_dir, source_dir = Path(out_dir).resolve(), Path(source_dir).resolve()
    if out_dir == source_dir or source_dir in out_dir.parents:
        raise StudentEditionError(f"OUT_DIR {out_dir} is inside {source_dir}: the student edition would mix with "
                                  f"(or overwrite) the instructor edition; use e.g. {DEFAULT_OUT_DIR}/")
    if out_dir.exists() and not out_dir.is_dir():
        raise StudentEditionError(f"OUT_DIR {out_dir} is a file, not a folder: choose a folder name")
    existing = [n for n in names if (out_dir / n).exists()]
    if existing and not force:
        raise StudentEditionError(f"{out_dir / existing[0]} exists (and {len(existing) - 1} more): a student's work "
                                  "there would be overwritten; choose another OUT_DIR, or pass --force")
    return out_dir


def write_student_edition(out_dir, source_dir=NOTEBOOKS, force=False):
    """Write the student edition of every notebook of ``source_dir`` into ``out_dir``; returns the paths."""
    books = sorted(Path(source_dir).glob("*.ipynb"))
    if not books:
        raise StudentEditionError(f"no notebooks (*.ipynb) in {source_dir}")
    out_dir = _check_out_dir(out_dir, source_dir, [b.name for b in books], force)
    editions = [student_notebook(nbformat.read(b, as_version=4), b.name) for b in books]  # all checked first
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for book, nb in zip(books, editions):
        nbformat.validate(nb)
        nbformat.write(nb, out_dir / book.name)
        written.append(out_dir / book.name)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m helpers.student_edition",
        description="Write the student edition of the notebooks: solution regions replaced by "
                    "'# YOUR CODE HERE' / 'raise NotImplementedError()', worked solutions removed, "
                    "outputs of exercise and check cells cleared.")
    parser.add_argument("out_dir", metavar="OUT_DIR", help=f"folder to write into, e.g. {DEFAULT_OUT_DIR}/ "
                        "(ignored by git); not inside notebooks/")
    parser.add_argument("--force", action="store_true", help="overwrite notebooks that already exist in OUT_DIR")
    parser.add_argument("--notebooks", default=str(NOTEBOOKS), help="the instructor edition (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        written = write_student_edition(args.out_dir, args.notebooks, args.force)
    except StudentEditionError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"wrote the student edition of {len(written)} notebooks to {args.out_dir}: "
          + ", ".join(p.name for p in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Give the exercises nbgrader's cell metadata, and lay out an nbgrader course. Re-runnable.

Usage, from the repository root (after any edit that adds, moves or renames an exercise)::

    .venv/bin/python tools/nbgrader_metadata.py          # rewrite notebooks/*.ipynb in place
    .venv/bin/python tools/nbgrader_metadata.py --check  # exit 1 and list what it would change
    .venv/bin/python tools/nbgrader_metadata.py --course COURSE_DIR [--assignment NAME]

It changes cell metadata only (never sources or outputs), so the notebooks need no re-execution, and it is
idempotent. Keyed on each cell's content, not on positions, so it holds after notebooks are restructured:

1. A **solution cell** (a code cell with a ``### BEGIN SOLUTION`` line: the "Your turn" exercise) gets
   ``{"solution": true, "grade": false, "locked": false, "grade_id": "solution_<function>"}``, the function
   being the one its ``def`` line defines (``solution_my_softmax``).
2. A **check cell** (a code cell with a line that starts with a call of a ``helpers.checks`` check, e.g.
   ``check_softmax(my_softmax)``) gets ``{"grade": true, "solution": false, "locked": true, "points": 1,
   "grade_id": "check_softmax_my_softmax"}``: the check raises CheckFailed when the answer is wrong or not
   written, so the cell errs and nbgrader gives it no points.
3. Every other cell loses any nbgrader metadata. A cell outside the solution cells in which nbgrader would
   read a marker (it reads ``BEGIN SOLUTION`` or ``END SOLUTION`` anywhere in a line, Markdown included)
   is an error naming the cell: nbgrader would refuse the notebook.

``--course COURSE_DIR`` writes an nbgrader course: ``COURSE_DIR/nbgrader_config.py`` (a copy of
``tools/nbgrader_config.py``) and ``COURSE_DIR/source/<assignment>/<notebook>.ipynb``, one assignment per
notebook with exercises, named after it (``02_forward``), or all of them in one assignment ``NAME`` with
``--assignment NAME``. The source notebooks are the instructor edition with that metadata and without the
worked-solutions section (rule 3 of ``helpers.student_edition``: the "On your own" answers are not graded
and nbgrader would hand them out). Then, in COURSE_DIR, ``nbgrader generate_assignment 02_forward`` writes
the student version (``release/``), whose stubs are those of ``python -m helpers.student_edition``.
"""

import argparse
import re
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the repository's helpers, also when run as a script from elsewhere

from helpers.student_edition import BEGIN, is_check_cell, without_worked_solutions  # noqa: E402

CONFIG = Path(__file__).resolve().parent / "nbgrader_config.py"
SCHEMA_VERSION = 3  # nbgrader 0.9's cell metadata schema
POINTS = 1  # per check cell
NBGRADER_MARKERS = ("BEGIN SOLUTION", "END SOLUTION")  # what nbgrader's ClearSolutions looks for, in any line
DEF = re.compile(r"^\s*def (\w+)\(", re.M)


class MetadataError(ValueError):
    """A cell nbgrader would refuse or that cannot be keyed (the message names it and says how to fix it)."""


def is_solution_cell(cell):
    return cell.cell_type == "code" and any(line.strip() == BEGIN for line in cell.source.splitlines())


def grade_id(cell, where):
    """The grade id of a solution or check cell, from its content."""
    if is_solution_cell(cell):
        found = DEF.search(cell.source)
        if not found:
            raise MetadataError(f"{where}: a solution cell without a `def` line: an exercise defines a function")
        return f"solution_{found.group(1)}"
    call = next(line for line in cell.source.splitlines() if line.startswith("check_"))
    return "_".join(re.findall(r"\w+", call))  # check_softmax(my_softmax) -> check_softmax_my_softmax


def wanted(cell, where):
    """The nbgrader metadata a cell should have (None: none)."""
    solution, check = is_solution_cell(cell), is_check_cell(cell)
    if solution and check:
        raise MetadataError(f"{where}: an exercise and its check share a cell; put the check in a cell of its own")
    if not (solution or check) and any(marker in line for line in cell.source.splitlines()
                                       for marker in NBGRADER_MARKERS):
        raise MetadataError(f"{where}: a line names {' or '.join(NBGRADER_MARKERS)} outside a solution region, and "
                            "nbgrader reads it as a marker (in Markdown too); reword it, e.g. 'the marker lines'")
    if not (solution or check):
        return None
    meta = {"grade": check, "grade_id": grade_id(cell, where), "locked": check, "schema_version": SCHEMA_VERSION,
            "solution": solution, "task": False}
    if check:
        meta["points"] = POINTS
    return meta


def normalize(nb, name="notebook"):
    """Give the cells of a notebook node the metadata above, in place; return a list of what changed."""
    changes, ids = [], {}
    for index, cell in enumerate(nb.cells):
        where = f"{name}, cell {index}"
        meta = wanted(cell, where)
        if meta and meta["grade_id"] in ids:
            raise MetadataError(f"{where}: grade id {meta['grade_id']} again (cell {ids[meta['grade_id']]} has it): "
                                "each exercise needs a function name of its own")
        if meta:
            ids[meta["grade_id"]] = index
        if cell.metadata.get("nbgrader") != meta:
            if meta is None:
                del cell.metadata["nbgrader"]
                changes.append(f"cell {index}: nbgrader metadata removed")
            else:
                cell.metadata["nbgrader"] = meta
                changes.append(f"cell {index}: {meta['grade_id']}")
    return changes


def write_course(course_dir, notebooks, assignment=None):
    """Lay out an nbgrader course from the notebooks that have exercises; returns the source notebooks."""
    course_dir = Path(course_dir)
    course_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CONFIG, course_dir / "nbgrader_config.py")
    written = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        if not any(is_solution_cell(c) for c in nb.cells):
            continue
        normalize(nb, path.name)
        folder = course_dir / "source" / (assignment or path.stem)
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(without_worked_solutions(nb), folder / path.name)
        written.append(folder / path.name)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook needs changes")
    parser.add_argument("--course", type=Path, help="write an nbgrader course into this folder instead")
    parser.add_argument("--assignment", help="with --course: one assignment of this name holding every notebook")
    parser.add_argument("notebooks", nargs="*", type=Path, default=sorted((ROOT / "notebooks").glob("*.ipynb")))
    args = parser.parse_args(argv)
    try:
        if args.course:
            written = write_course(args.course, args.notebooks, args.assignment)
            print(f"wrote {len(written)} source notebooks and nbgrader_config.py into {args.course}")
            return 0
        dirty = False
        for path in args.notebooks:
            nb = nbformat.read(path, as_version=4)
            changes = normalize(nb, path.name)
            if changes:
                dirty = True
                print(f"{path.name}: {len(changes)} change(s): " + "; ".join(changes))
                if not args.check:
                    nbformat.write(nb, path)
    except MetadataError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 1 if (dirty and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())

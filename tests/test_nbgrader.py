"""Grading with nbgrader, for real: the stored notebooks carry its metadata, and a round trip scores right.

tools/nbgrader_metadata.py gives every exercise (solution cell) and every check cell nbgrader's metadata;
here: the stored notebooks are normalised, then one nbgrader course holds every notebook with exercises
as one assignment. ``nbgrader generate_assignment`` writes the student version, which must be the student
edition (``python -m helpers.student_edition``) cell for cell; ``nbgrader autograde`` then grades two
submissions in one run:

- **blank**: the student version as handed out, its set-up cell and the exercises' cells (each left as handed out,
  then its check): its only errors are the check cells' CheckFailed, each saying "not written yet", and it scores 0.
- **solutions**: the same cells with the solutions pasted back, as in one lab kernel: every check prints its pass
  line and the submission scores full marks.

Strict nbval already runs the instructor edition whole, and tests/test_student_edition.py checks that no cell
after a blank exercise needs it (so the student edition runs past it), so the rest of each notebook is not run
again here.

So this module costs about one run of each set-up cell per submission. Its round trip is marked ``edition_run``:
the version matrix (noxfile.py) leaves it to the README's test command, like the browser tests.

nbgrader comes with requirements-dev.txt; without it the round trip is skipped (the metadata test runs).
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from helpers.student_edition import NOTEBOOKS, is_check_cell, student_notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import nbgrader_metadata  # noqa: E402
from test_student_edition import text_of  # noqa: E402  (what a code cell printed)

BOOKS = sorted(NOTEBOOKS.glob("*.ipynb"))
ASSIGNMENT = "series"
SUBMISSIONS = ("blank", "solutions")


def test_the_stored_notebooks_carry_nbgrader_metadata():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "nbgrader_metadata.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, "run tools/nbgrader_metadata.py:\n" + result.stdout + result.stderr


def test_the_metadata_follows_content_not_positions():
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    exercise = code("def my_f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION")
    check = code("check_softmax(my_f)")
    nb = nbformat.v4.new_notebook(cells=[md("# 99 · A title"), exercise, check])
    assert nbgrader_metadata.normalize(nb) == ["cell 1: solution_my_f", "cell 2: check_softmax_my_f"]
    nb.cells.insert(0, md("A new first cell"))  # restructured: the same cells keep the same metadata
    nb.cells[0].metadata["nbgrader"] = {"grade": True}  # stale metadata on a cell that is no exercise goes
    assert nbgrader_metadata.normalize(nb) == ["cell 0: nbgrader metadata removed"]
    assert nb.cells[3].metadata["nbgrader"] == {"grade": True, "grade_id": "check_softmax_my_f", "locked": True,
                                                "points": 1, "schema_version": 3, "solution": False, "task": False}
    assert nb.cells[2].metadata["nbgrader"]["solution"] is True and not nb.cells[2].metadata["nbgrader"]["locked"]


@pytest.mark.parametrize("source", ["In the instructor edition the solution sits between `### BEGIN SOLUTION` and",
                                    "print('END SOLUTION')"])
def test_a_marker_nbgrader_would_read_outside_a_solution_is_an_error(source):
    cell = nbformat.v4.new_markdown_cell(source) if source.startswith("In") else nbformat.v4.new_code_cell(source)
    with pytest.raises(nbgrader_metadata.MetadataError, match="nbgrader reads it as a marker"):
        nbgrader_metadata.normalize(nbformat.v4.new_notebook(cells=[cell]), "99_x.ipynb")


# ---------------------------------------------------------------- the round trip

def nbgrader(course, *args):
    """Run nbgrader in the course folder; its own tools (alembic) from the Python that runs the tests."""
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def grade_ids(nb):
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}


def is_setup_cell(cell):
    """A notebook's set-up cell: the one that imports the helpers."""
    return cell.cell_type == "code" and "from helpers import" in cell.source


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course with one assignment, its student version, and both submissions autograded (one run)."""
    pytest.importorskip("nbgrader", reason="nbgrader is installed by requirements-dev.txt")
    course = tmp_path_factory.mktemp("course")
    sources = nbgrader_metadata.write_course(course, BOOKS, ASSIGNMENT)
    assert sources, "no notebook has an exercise"
    nbgrader(course, "generate_assignment", ASSIGNMENT)
    release = course / "release" / ASSIGNMENT
    for student in SUBMISSIONS:
        shutil.copytree(release, course / "submitted" / student / ASSIGNMENT)
    for source in sources:  # each submission: the set-up cell and the exercises' cells
        for student in SUBMISSIONS:
            path = course / "submitted" / student / ASSIGNMENT / source.name
            submitted, solved = nbformat.read(path, as_version=4), grade_ids(nbformat.read(source, as_version=4))
            for grade_id, cell in grade_ids(submitted).items():
                if student == "solutions" and cell.metadata["nbgrader"]["solution"]:
                    cell.source = solved[grade_id].source  # the solutions pasted back, exercise by exercise
            submitted.cells = [c for c in submitted.cells if is_setup_cell(c) or "nbgrader" in c.metadata]
            nbformat.write(submitted, path)
    start = time.perf_counter()
    nbgrader(course, "autograde", ASSIGNMENT)
    print(f"nbgrader autograde of {len(SUBMISSIONS)} submissions x {len(sources)} notebooks: "
          f"{time.perf_counter() - start:.0f} s")
    return course, sources


def autograded(course_dir, student, source):
    return nbformat.read(course_dir / "autograded" / student / ASSIGNMENT / source.name, as_version=4)


def scores(course):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {student: (gradebook.find_submission(ASSIGNMENT, student).score,
                          gradebook.find_submission(ASSIGNMENT, student).max_score) for student in SUBMISSIONS}


@pytest.mark.edition_run
def test_nbgrader_s_student_version_is_the_student_edition(course):
    """Cell for cell the same sources: grading the blank submission is running the student edition."""
    course_dir, sources = course
    for source in sources:
        released = nbformat.read(course_dir / "release" / ASSIGNMENT / source.name, as_version=4)
        ours = student_notebook(nbformat.read(NOTEBOOKS / source.name, as_version=4), source.name)
        assert [(c.cell_type, c.source) for c in released.cells] == [(c.cell_type, c.source) for c in ours.cells]
        assert grade_ids(released).keys() == grade_ids(ours).keys(), source.name


@pytest.mark.edition_run
def test_a_blank_submission_scores_0_and_the_solutions_full_marks(course):
    course_dir, sources = course
    n_checks = sum(not c.metadata["nbgrader"]["solution"]
                   for s in sources for c in grade_ids(nbformat.read(s, as_version=4)).values())
    assert scores(course_dir) == {"blank": (0, n_checks), "solutions": (n_checks, n_checks)}


@pytest.mark.edition_run
def test_a_blank_submission_s_checks_say_not_written_yet(course):
    """The blank submission: its only errors are the check cells', each "not written yet", in one line."""
    course_dir, sources = course
    for source in sources:
        nb = autograded(course_dir, "blank", source)
        errors = [(i, o) for i, c in enumerate(nb.cells) for o in c.get("outputs", []) if o.output_type == "error"
                  or o.get("name") == "stderr" and "Error" in o.get("text", "")]
        checks = [i for i, c in enumerate(nb.cells) if is_check_cell(c)]
        assert checks and [i for i, _ in errors] == checks, f"{source.name}: an error in a cell that is no check"
        for i, error in errors:
            function = nb.cells[i].source.strip().split("(")[1][:-1]
            assert (error.ename, error.evalue) == ("CheckFailed", f"{function} is not written yet"), source.name
            assert error.traceback == [f"CheckFailed: {function} is not written yet"]  # one line, no traceback
            assert text_of(nb.cells[i]) == (f"… {function} is not written yet: replace `raise NotImplementedError()`"
                                            " with your code, run its cell, then this one\n")


@pytest.mark.edition_run
def test_with_the_solutions_pasted_back_every_check_prints_its_pass_line(course):
    course_dir, sources = course
    for source in sources:
        nb = autograded(course_dir, "solutions", source)
        assert not [o.ename for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"], source.name
        for cell in filter(is_check_cell, nb.cells):
            function = cell.source.strip().split("(")[1][:-1]
            assert text_of(cell).startswith(f"✓ {function} passes") and text_of(cell).count("\n") == 1, text_of(cell)

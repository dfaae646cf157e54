"""Grading with nbgrader, for real: the stored notebooks carry its metadata, and a round trip scores right.

tools/nbgrader_metadata.py gives every exercise (solution cell) and every check cell nbgrader's metadata;
here: the stored notebooks are normalised, then one nbgrader course holds every notebook with exercises
as one assignment. ``nbgrader generate_assignment`` writes the student version, whose stubs must equal
``python -m helpers.student_edition``'s; ``nbgrader autograde`` then grades two submissions in one run:
the student version as handed out (every check cell raises CheckFailed: 0 points) and the student version
with the solutions pasted back (every check passes: full points). Autograding runs every notebook once
per submission, so this module costs about two runs of the notebooks with exercises.

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

from helpers.student_edition import NOTEBOOKS, student_notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import nbgrader_metadata  # noqa: E402

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
    for source in sources:  # the solutions pasted back into the student version, exercise by exercise
        path = course / "submitted" / "solutions" / ASSIGNMENT / source.name
        submitted, solved = nbformat.read(path, as_version=4), grade_ids(nbformat.read(source, as_version=4))
        for grade_id, cell in grade_ids(submitted).items():
            if cell.metadata["nbgrader"]["solution"]:
                cell.source = solved[grade_id].source
        nbformat.write(submitted, path)
    start = time.perf_counter()
    nbgrader(course, "autograde", ASSIGNMENT)
    print(f"nbgrader autograde of {len(SUBMISSIONS)} submissions x {len(sources)} notebooks: "
          f"{time.perf_counter() - start:.0f} s")
    return course, sources


def scores(course):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {student: (gradebook.find_submission(ASSIGNMENT, student).score,
                          gradebook.find_submission(ASSIGNMENT, student).max_score) for student in SUBMISSIONS}


def test_nbgrader_s_stubs_are_the_student_edition_s(course):
    course_dir, sources = course
    for source in sources:
        released = grade_ids(nbformat.read(course_dir / "release" / ASSIGNMENT / source.name, as_version=4))
        ours = grade_ids(student_notebook(nbformat.read(NOTEBOOKS / source.name, as_version=4), source.name))
        assert released.keys() == ours.keys()
        for grade_id, cell in released.items():
            assert cell.source == ours[grade_id].source, f"{source.name}, {grade_id}"


def test_a_blank_submission_scores_0_and_the_solutions_full_marks(course):
    course_dir, sources = course
    n_checks = sum(not c.metadata["nbgrader"]["solution"]
                   for s in sources for c in grade_ids(nbformat.read(s, as_version=4)).values())
    assert scores(course_dir) == {"blank": (0, n_checks), "solutions": (n_checks, n_checks)}
    for source in sources:  # the blank submission errs at its check cells only, each "not written yet"
        for student in SUBMISSIONS:
            nb = nbformat.read(course_dir / "autograded" / student / ASSIGNMENT / source.name, as_version=4)
            errors = [(c.metadata.get("nbgrader", {}).get("grade_id"), o) for c in nb.cells
                      for o in c.get("outputs", []) if o.output_type == "error"]
            if student == "solutions":
                assert not errors, f"{source.name}: {[(i, o.ename) for i, o in errors]}"
                continue
            checks = [i for i, c in grade_ids(nb).items() if c.metadata["nbgrader"]["grade"]]
            assert [i for i, _ in errors] == checks, f"{source.name}: {[(i, o.ename) for i, o in errors]}"
            assert all(o.ename == "CheckFailed" and o.evalue.endswith("is not written yet") for _, o in errors)

"""The student edition (``python -m helpers.student_edition OUT_DIR``) and the exercises it is made from.

The stored notebooks are the instructor edition: strict nbval already runs them and compares every check's
pass line. Here: the exercises are complete (task, solution region, collapsed hint, check), the student
edition follows its four rules and holds no line of any solution, and no cell after an exercise reads what the
exercise defines (a blank exercise stops only its check). Grading it is tests/test_nbgrader.py's round trip
(nbgrader's student version is the student edition, cell for cell): blank, its only errors are its check cells'
CheckFailed, each saying "not written yet"; with the solutions pasted back every check passes. Notebooks and
their exercises are found, not listed: the series is whatever notebooks/ holds.
"""

import subprocess
import sys
from collections import Counter
from pathlib import Path

import nbformat
import pytest

from helpers.student_edition import (
    BEGIN,
    END,
    NOTEBOOKS,
    POINTER,
    SOLUTIONS_HEADING,
    STUB,
    StudentEditionError,
    is_check_cell,
    main,
    solution_lines,
    strip_solutions,
    student_notebook,
    write_student_edition,
)

ROOT = Path(__file__).resolve().parent.parent
BOOKS = sorted(NOTEBOOKS.glob("*.ipynb"))


def read(path):
    return nbformat.read(path, as_version=4)


def has_solution(cell):
    return cell.cell_type == "code" and any(line.strip() == BEGIN for line in cell.source.splitlines())


def exercises(nb):
    """The checks a notebook's exercises call, in order: the check cell two cells after each solution."""
    return [nb.cells[i + 2].source.split("(")[0] for i, c in enumerate(nb.cells) if has_solution(c)]


def text_of(cell):
    """Everything a code cell printed (streams and results), as one string."""
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", "") if out.output_type == "stream" else out.get("data", {}).get("text/plain", ""))
    return "".join(parts)


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """The student edition of every notebook, written by the command, in a folder outside the repository."""
    out = tmp_path_factory.mktemp("student") / "student_edition"
    result = subprocess.run([sys.executable, "-m", "helpers.student_edition", str(out)],
                            capture_output=True, text=True, cwd=tmp_path_factory.getbasetemp())
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote the student edition of {len(BOOKS)} notebooks to ")
    return out


# ---------------------------------------------------------------- the exercises (instructor edition)

@pytest.mark.parametrize("book", BOOKS, ids=[b.stem for b in BOOKS])
def test_every_exercise_has_a_task_a_hidden_hint_and_a_check_that_passes(book):
    cells = read(book).cells
    found = []
    for i, cell in enumerate(cells):
        if not has_solution(cell):
            continue
        function = cell.source.split("def ", 1)[1].split("(", 1)[0]  # my_softmax, ...
        task, hint, check = cells[i - 1], cells[i + 1], cells[i + 2]
        assert task.cell_type == "markdown" and "Your turn" in task.source.splitlines()[0]
        assert f"`{function}(" in task.source, "the task names the function to write"
        assert "$" in task.source, "the task shows the equation of the spec it implements"
        # collapsed, JupyterLab shows a cell's first line beside its ⋯ button: that line gives nothing away
        assert hint.cell_type == "markdown" and hint.source.splitlines()[:2] == ["**Hint**", ""]
        assert hint.metadata.get("jupyter", {}).get("source_hidden") is True, "JupyterLab shows the hint collapsed"
        assert is_check_cell(check) and check.source.strip().endswith(f"({function})")
        assert text_of(check).startswith(f"✓ {function} passes"), "the stored check prints its pass line"
        assert [o.output_type for o in check.outputs] == ["stream"], "and nothing after it (no Out[]: True)"
        found.append(check.source.split("(")[0])
    assert found == exercises(read(book))


def test_every_check_has_an_exercise():
    import helpers.checks

    used = [name for book in BOOKS for name in exercises(read(book))]
    assert sorted(used) == sorted(n for n in vars(helpers.checks) if n.startswith("check_"))


# ---------------------------------------------------------------- the rules, on small cases

def test_a_solution_region_becomes_the_stub_and_keeps_what_is_around_it():
    source = ('def my_f(x):\n    """Doc."""\n    ### BEGIN SOLUTION\n    y = 2 * x\n'
              '    ### END SOLUTION\n    return y\n\nprint(1)')
    stripped, regions = strip_solutions(source)
    assert regions == 1
    assert stripped == ('def my_f(x):\n    """Doc."""\n    # YOUR CODE HERE\n    raise NotImplementedError()\n'
                        '    return y\n\nprint(1)')


@pytest.mark.parametrize("source, words", [
    ("    ### BEGIN SOLUTION\n    x = 1", "has no '### END SOLUTION'"),
    ("x = 1\n### END SOLUTION", "without a '### BEGIN SOLUTION'"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "inside the one opened on line 1"),
])
def test_unmatched_markers_are_an_error_naming_the_cell(source, words):
    with pytest.raises(StudentEditionError, match="05_training.ipynb, cell 7: "):
        strip_solutions(source, "05_training.ipynb, cell 7")
    with pytest.raises(StudentEditionError) as err:
        strip_solutions(source)
    assert words in str(err.value)


def small_notebook():
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    out = [nbformat.v4.new_output("stream", text="printed\n")]
    return nbformat.v4.new_notebook(cells=[
        md("# 99 · A title"),
        code("x = 1", outputs=out, execution_count=1),
        md("## Exercises\n\n1. Do it.\n\n" + POINTER),
        code(f"def my_f():\n    {BEGIN}\n    return 1\n    {END}", outputs=out, execution_count=2),
        code("check_softmax(my_f)", outputs=out, execution_count=3),
        md(SOLUTIONS_HEADING + "\n\n### 1. Done"),
        code("solved = 1", outputs=out, execution_count=4),
        md("### 2. Also done"),
        md("## Further reading"),
        code("after = 1", outputs=out, execution_count=5),
    ])


def test_the_rules_on_a_small_notebook():
    nb = small_notebook()
    student = student_notebook(nb)
    sources = [c.source for c in student.cells]
    assert sources == ["# 99 · A title", "x = 1", "## Exercises\n\n1. Do it.",
                       "def my_f():\n    # YOUR CODE HERE\n    raise NotImplementedError()",
                       "check_softmax(my_f)", "## Further reading", "after = 1"]
    outputs = [c.outputs for c in student.cells if c.cell_type == "code"]
    assert [len(o) for o in outputs] == [1, 0, 0, 1]  # exercise and check cleared, the others kept
    assert [c.execution_count for c in student.cells if c.cell_type == "code"] == [1, None, None, 5]
    assert len(nb.cells) == 10 and nb.cells[3].outputs, "the instructor edition is not changed"


def test_solutions_run_to_the_end_when_no_heading_follows():
    nb = small_notebook()
    nb.cells = nb.cells[:8]
    assert [c.source for c in student_notebook(nb).cells][-1] == "check_softmax(my_f)"


# ---------------------------------------------------------------- the student edition of the series

def test_the_edition_holds_no_line_of_any_solution(edition):
    for book in BOOKS:
        instructor, student = read(book), read(edition / book.name)
        solution = Counter(solution_lines(instructor))
        # a solution line may also stand in the derivation (03's step 6 is a line of backward_prop): no more often
        outside = Counter(line.strip() for c in instructor.cells if c.cell_type == "code" and not has_solution(c)
                          for line in c.source.splitlines())
        left = Counter(line.strip() for c in student.cells if c.cell_type == "code" for line in c.source.splitlines())
        leaked = [line for line in solution if left[line] > outside[line]]
        assert not leaked, f"{book.name}: solution lines in the student edition: {leaked}"
        assert not any(BEGIN in c.source or END in c.source for c in student.cells if c.cell_type == "code")
        stubs = [c for c in student.cells if c.cell_type == "code" and STUB[1] in c.source]
        assert len(stubs) == sum(map(has_solution, instructor.cells))
        assert all(c.source.startswith("def my_") and not c.outputs for c in stubs)


def test_the_edition_drops_the_worked_solutions_and_keeps_the_rest(edition):
    for book in BOOKS:
        instructor, student = read(book), read(edition / book.name)
        assert not any(c.source.startswith(SOLUTIONS_HEADING) or POINTER in c.source for c in student.cells)
        start = next((i for i, c in enumerate(instructor.cells) if c.source.startswith(SOLUTIONS_HEADING)),
                     len(instructor.cells))  # an appendix without worked solutions (A2, A3) is kept whole
        kept = [c.source for c in student.cells]
        assert kept[:start] == [strip_solutions(c.source)[0] if has_solution(c) else c.source.replace(
            "\n\n" + POINTER, "") for c in instructor.cells[:start]]
        for mine, theirs in zip(student.cells, instructor.cells[:start]):  # outputs (figures, widgets) kept...
            if mine.cell_type == "code":
                cleared = has_solution(theirs) or is_check_cell(theirs)  # ...except the exercises' and checks'
                assert mine.outputs == ([] if cleared else theirs.outputs)
                assert mine.metadata == theirs.metadata


def test_out_dir_inside_notebooks_is_refused(capsys):
    assert main([str(NOTEBOOKS / "student")]) == 2
    assert "is inside" in capsys.readouterr().err
    assert not (NOTEBOOKS / "student").exists()


def test_existing_notebooks_are_not_overwritten_without_force(tmp_path, capsys):
    assert main([str(tmp_path)]) == 0
    mine = tmp_path / BOOKS[0].name
    mine.write_text(mine.read_text().replace("# YOUR CODE HERE", "# my answer"))
    assert main([str(tmp_path)]) == 2
    assert "a student's work there would be overwritten" in capsys.readouterr().err
    assert "# my answer" in mine.read_text()
    assert main([str(tmp_path), "--force"]) == 0
    assert "# my answer" not in mine.read_text()


def test_out_dir_that_is_a_file_is_refused(tmp_path, capsys):
    (tmp_path / "file").write_text("")
    with pytest.raises(StudentEditionError, match="is a file"):
        write_student_edition(tmp_path / "file")


def test_git_ignores_the_default_out_dir():
    result = subprocess.run(["git", "check-ignore", "-q", "student_edition/01_data.ipynb"], cwd=ROOT)
    assert result.returncode == 0


def _code_part(line):
    """A line of code without its comment and indentation: what a student could copy."""
    return line.split("  #", 1)[0].split("# ", 1)[0].strip() if not line.strip().startswith("#") else ""


@pytest.mark.parametrize("book", BOOKS, ids=[b.stem for b in BOOKS])
def test_no_solution_line_before_its_exercise_nor_in_its_hint(book):
    """Derive, write, then see ours: before an exercise (code and Markdown) and in its hint, none of its lines."""
    cells = read(book).cells
    for i, cell in enumerate(cells):
        if not has_solution(cell):
            continue
        lines = {_code_part(line) for line in solution_lines(nbformat.v4.new_notebook(cells=[cell]))} - {""}
        shown = [(j, c) for j, c in enumerate(cells[:i]) if c.cell_type in ("code", "markdown")]
        shown.append((i + 1, cells[i + 1]))  # the hint
        for j, other in shown:
            source = strip_solutions(other.source)[0] if has_solution(other) else other.source  # as students see it
            text = source if other.cell_type == "markdown" else "\n".join(
                _code_part(line) for line in source.splitlines())
            leaked = sorted(line for line in lines if line in text)
            assert not leaked, f"{book.name}: cell {j} shows {leaked}, a line of the solution in cell {i}"


def _names(source):
    """(names a cell binds at its top level, names it reads anywhere) of a code cell's Python."""
    import ast

    from IPython.core.inputtransformer2 import TransformerManager

    tree = ast.parse(TransformerManager().transform_cell(source))
    bound = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        else:
            bound |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    read_ = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return bound, read_


def stopped_by_a_blank_exercise(nb, name="notebook"):
    """The cells of the student edition of ``nb`` that read what an exercise defines (the function it asks for,
    any name it sets that no other cell sets), other than exercises and their checks: a problem each."""
    cells = [c for c in student_notebook(nb, name).cells if c.cell_type == "code"]
    solution_sources = [c.source for c in nb.cells if has_solution(c)]
    stubs = [strip_solutions(source)[0] for source in solution_sources]  # as the student edition has them
    solved = [c.source in stubs for c in cells]
    others = set().union(*(_names(c.source)[0] for c, s in zip(cells, solved) if not s))
    problems = []
    for source, stub in zip(solution_sources, stubs):
        defined = _names(source)[0] - others
        start = next(i for i, c in enumerate(cells) if c.source == stub)
        for i in range(start + 1, len(cells)):
            used = set() if solved[i] or is_check_cell(cells[i]) else _names(cells[i].source)[1] & defined
            if used:
                problems.append(f"code cell {i} reads {sorted(used)}, defined by the exercise in code cell {start}")
    return problems


@pytest.mark.parametrize("book", BOOKS, ids=[b.stem for b in BOOKS])
def test_a_blank_exercise_stops_only_its_check(book):
    """A student who leaves an exercise blank can run every later cell (nbgrader's autograde of the blank
    submission runs the exercises and their checks; this covers the rest of the student edition)."""
    problems = stopped_by_a_blank_exercise(read(book), book.name)
    assert not problems, f"{book.name}: a blank exercise would stop these cells:\n" + "\n".join(problems)


def test_a_cell_that_needs_an_exercise_is_found():
    nb = small_notebook()
    assert stopped_by_a_blank_exercise(nb) == []  # "solved = 1" reads nothing; the worked solutions are dropped
    nb.cells[-1].source = "after = my_f() + x"
    assert stopped_by_a_blank_exercise(nb) == ["code cell 3 reads ['my_f'], defined by the exercise in code cell 1"]

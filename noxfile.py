"""The version matrix: the README's test command on the lowest and newest versions requirements(-dev).txt allow.

    .venv/bin/nox                 # both sessions below, each in a fresh virtual environment under .nox/
    .venv/bin/nox -s lowest       # Python 3.10 with every requirement at the lower bound of its line
    .venv/bin/nox -s newest       # the newest Python found here with the newest versions
    .venv/bin/nox -s newest -- tests/test_network.py   # anything after -- replaces pytest's default arguments

An interpreter that is not installed is skipped, and nox says so ("Skipping ...: Python interpreter ... not found"),
also on CI, where nox would otherwise fail. Interpreters are looked up on PATH and, where pyenv is installed, in
`pyenv root`/versions.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import nox

ROOT = Path(__file__).parent
LOWEST_PYTHON = "3.10"  # the oldest Python that pyproject.toml's requires-python allows
NEWEST_CANDIDATES = ("3.14", "3.13", "3.12", "3.11")  # the newest one found is "newest"

nox.options.sessions = ["lowest", "newest"]
nox.options.error_on_missing_interpreters = False  # skip, saying so, also where CI=true
nox.options.default_venv_backend = "venv"


def pyenv_bin_dirs():
    """The bin folders of the Pythons that pyenv installed (none when pyenv is absent)."""
    pyenv = shutil.which("pyenv")
    if pyenv is None:
        return []
    root = Path(subprocess.run([pyenv, "root"], capture_output=True, text=True, check=True).stdout.strip())
    return sorted(str(path) for path in root.glob("versions/*/bin"))


def lowest_pins(requirements=ROOT / "requirements-dev.txt"):
    """Each `name>=X,<Y` line as `name==X`, following `-r` lines; `-e .` unchanged, comments dropped.

    >>> lowest_pins()[0]
    'numpy==1.24'
    """
    pins = []
    for line in requirements.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-r"):
            pins.extend(lowest_pins(requirements.parent / line[2:].strip()))
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\[\]-]+)\s*>=\s*([^,\s]+)(,.*)?", line)
        if line.startswith("-e"):
            pins.extend(line.split(None, 1))  # "-e ." -> "-e", "."
        elif match is None:
            raise ValueError(f"{requirements.name} line {line!r} has no lower bound (name>=X): add one.")
        else:
            pins.append(f"{match[1]}=={match[2]}")
    return pins


os.environ["PATH"] = os.pathsep.join([*pyenv_bin_dirs(), os.environ.get("PATH", "")])
NEWEST_PYTHON = next((v for v in NEWEST_CANDIDATES if shutil.which(f"python{v}")), NEWEST_CANDIDATES[0])


# What the lowest session leaves to the others (the newest session and .ci/run's first run on .venv run the README's
# whole test command): the real-browser tests (the same Chromium whatever the NumPy) and the runs of the student
# edition (the notebooks nbval runs anyway). Saves about 6 minutes of CI; `nox -s lowest -- -q` runs everything.
LOWEST_ARGS = ["--ignore=tests/test_browser.py", "-k", "not the_edition_runs_top_to_bottom and not round_trip"]


def run_tests(session, default_args=()):
    session.run("python", "-c", "import sys, numpy, matplotlib, ipywidgets, nbval, pytest; "
                "print('Python', sys.version.split()[0], '| numpy', numpy.__version__, '| matplotlib', "
                "matplotlib.__version__, '| ipywidgets', ipywidgets.__version__, '| nbval', nbval.__version__, "
                "'| pytest', pytest.__version__)")
    # 07_evaluation rewrites the README pictures in images/; other library versions draw other bytes, so the
    # matrix puts back the pictures the stored notebooks made (the main test run checks those).
    pictures = {path: path.read_bytes() for path in ROOT.glob("images/*.png")}
    try:
        session.run("python", "-m", "pytest", *(session.posargs or default_args))  # the README's test command
    finally:
        for path, content in pictures.items():
            path.write_bytes(content)


@nox.session(python=LOWEST_PYTHON)
def lowest(session):
    """Python 3.10 and every direct requirement at its lower bound (what the oldest allowed setup gets)."""
    pins = lowest_pins()
    session.log("lowest pins: " + " ".join(pins))
    session.install(*pins)
    run_tests(session, LOWEST_ARGS)


@nox.session(python=NEWEST_PYTHON)
def newest(session):
    """The newest Python found here and the newest versions requirements.txt allows."""
    missing = [v for v in NEWEST_CANDIDATES if NEWEST_CANDIDATES.index(v) < NEWEST_CANDIDATES.index(NEWEST_PYTHON)]
    if missing:
        session.log(f"Python {', '.join(missing)} not found here: newest is Python {NEWEST_PYTHON}")
    session.install("--upgrade", "-r", "requirements-dev.txt")
    run_tests(session)

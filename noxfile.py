"""The version matrix and the CPU simulations: what the README's test command does not already run.

    .venv/bin/nox                 # lowest and newest (what CI runs after the README's test command)
    .venv/bin/nox -s lowest       # Python 3.10, every requirement (both files) at its lower bound, on an AVX2 laptop
    .venv/bin/nox -s newest       # the newest Python found here with the newest versions, on an older AVX CPU
    .venv/bin/nox -s avx2         # strict nbval on every notebook with the NumPy/OpenBLAS kernels of an AVX2 laptop
    .venv/bin/nox -s newest -- tests/test_network.py   # anything after -- replaces pytest's default arguments

The README's test command (on .venv, newest versions, this machine's CPU) runs everything once, the real-browser
tests and nbgrader's round trip of the student edition (marked `edition_run`) among it. The matrix sessions
leave those two out: the same Chromium and the same notebooks whatever the versions (`nox -s lowest -- -n auto
--dist loadfile` runs everything there). Each matrix session runs on a simulated CPU, so one run of the notebooks
checks a version set and a CPU: `lowest` with the kernels of an AVX2 laptop, `newest` with those of an older AVX
machine (the harsher simulation). `MNIST_NO_CPU_SIMULATION=1 nox` runs both on this machine's CPU, to tell the two
causes apart; `nox -s avx2` and `nox -s avx` run the notebooks alone under one simulation, in .venv.
Every session runs the test files on all cores (pytest-xdist, `--dist loadfile`: a notebook's cells stay in order on
one worker, in one kernel, as nbval needs).

An interpreter that is not installed is skipped, and nox says so ("Skipping ...: Python interpreter ... not found"),
also on CI, where nox would otherwise fail. Interpreters are looked up on PATH and, where pyenv is installed, in
`pyenv root`/versions. Packages are installed with uv when requirements-dev.txt has put it here (much faster than
pip; both keep a download cache in ~/.cache between runs), else with pip; `lowest` needs uv (its lowest-direct
resolution) and says so.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nox

ROOT = Path(__file__).parent
LOWEST_PYTHON = "3.10"  # the oldest Python that pyproject.toml's requires-python allows
NEWEST_CANDIDATES = ("3.14", "3.13", "3.12", "3.11")  # the newest one found is "newest"

nox.options.sessions = ["lowest", "newest"]
nox.options.error_on_missing_interpreters = False  # skip, saying so, also where CI=true
nox.options.default_venv_backend = "venv"

PARALLEL = ["-n", "auto", "--dist", "loadfile"]  # pytest-xdist: one worker per core, a file's tests on one worker

#: A student's other machines, simulated on this one by switching NumPy's run-time SIMD kernels and OpenBLAS's
#: kernel set (README, "Contributing"): an AVX2 laptop, and an older AVX machine.
CPU_SIMULATIONS = {
    "avx2": {"NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR", "OPENBLAS_CORETYPE": "Haswell"},
    "avx": {"NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR", "OPENBLAS_CORETYPE": "Sandybridge"},
}
#: NumPy 1.x names its run-time kernels one by one (no X86_V3/X86_V4 groups; an unknown name is a warning on
#: stderr, which strict nbval reports): the AVX2 laptop in its words, for `lowest`.
NUMPY1_FEATURES = {"avx2": "AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL"}


def pyenv_bin_dirs():
    """The bin folders of the Pythons that pyenv installed (none when pyenv is absent)."""
    pyenv = shutil.which("pyenv")
    if pyenv is None:
        return []
    root = Path(subprocess.run([pyenv, "root"], capture_output=True, text=True, check=True).stdout.strip())
    return sorted(str(path) for path in root.glob("versions/*/bin"))


os.environ["PATH"] = os.pathsep.join([*pyenv_bin_dirs(), os.environ.get("PATH", "")])
NEWEST_PYTHON = next((v for v in NEWEST_CANDIDATES if shutil.which(f"python{v}")), NEWEST_CANDIDATES[0])


def uv():
    """uv's binary if it is installed beside nox (requirements-dev.txt) or on PATH, else None."""
    try:
        from uv import find_uv_bin

        return find_uv_bin()
    except (ImportError, FileNotFoundError):
        return shutil.which("uv")


def install(session, *args):
    """`pip install ARGS` into the session's environment, by uv when there is one (same resolver rules here)."""
    binary = uv()
    if binary is None:
        session.install(*args)
    else:
        # run_install: also under `nox --install-only`, and skipped under `--no-install` (-R), as session.install is
        session.run_install(binary, "pip", "install", "--python", os.path.join(session.bin, "python"), *args,
                            external=True)


# What the matrix leaves to the README's test command: the real-browser tests and nbgrader's round trip.
MATRIX_ARGS = [*PARALLEL, "--ignore-glob=tests/test_browser*.py", "-m", "not edition_run"]


def run_tests(session, default_args, env=None, python="python"):
    session.run(python, "-c", "import sys, numpy, matplotlib, ipywidgets, nbval, pytest; "
                "print('Python', sys.version.split()[0], '| numpy', numpy.__version__, '| matplotlib', "
                "matplotlib.__version__, '| ipywidgets', ipywidgets.__version__, '| nbval', nbval.__version__, "
                "'| pytest', pytest.__version__)", env=env, external=True)
    # 08_evaluation rewrites the README pictures in images/; other library versions and CPUs draw other bytes, so
    # the stored pictures go back after the run (tests/conftest.py does the same, but a run of notebooks/ alone, as
    # in avx2 and avx, does not load it)
    pictures = {path: path.read_bytes() for path in ROOT.glob("images/*.png")}
    try:
        session.run(python, "-m", "pytest", *(session.posargs or default_args), env=env, external=True)
    finally:
        for path, content in pictures.items():
            if path.read_bytes() != content:
                path.write_bytes(content)


#: uv's resolution for `lowest`: every requirement of both files (their direct lines) at its lower bound, the
#: packages they pull in at the newest versions those allow (what a student who pins our lower bounds gets).
LOWEST_RESOLUTION = ["--resolution", "lowest-direct"]


@nox.session(python=LOWEST_PYTHON)
def lowest(session):
    """Python 3.10 and every direct requirement at its lower bound (what the oldest allowed setup gets), with the
    NumPy/OpenBLAS kernels of an AVX2 laptop."""
    if uv() is None:
        session.error("lowest resolves the lower bounds with uv (`uv pip install --resolution lowest-direct`); "
                      "install it: .venv/bin/pip install -r requirements-dev.txt")
    # --upgrade: resolve afresh, so a reused environment (nox -r) moves to the lower bounds too
    install(session, "--upgrade", *LOWEST_RESOLUTION, "-r", "requirements-dev.txt")
    numpy = subprocess.run([os.path.join(session.bin, "python"), "-c", "import numpy; print(numpy.__version__)"],
                           capture_output=True, text=True).stdout.strip()  # stdout only: a warning cannot spoil it
    env = simulated("avx2", numpy1=numpy.startswith("1."))
    session.log(" ".join(f"{key}={value!r}" for key, value in env.items()) or "this machine's CPU")
    run_tests(session, MATRIX_ARGS, env=env)


def simulated(name, numpy1=False):
    """The environment variables of the CPU simulation ``name`` (none if MNIST_NO_CPU_SIMULATION is set), in the
    words of NumPy 1.x where ``numpy1``."""
    if os.environ.get("MNIST_NO_CPU_SIMULATION"):
        return {}
    env = dict(CPU_SIMULATIONS[name])
    if numpy1:
        env["NPY_DISABLE_CPU_FEATURES"] = NUMPY1_FEATURES[name]
    features = [feature for feature in env.pop("NPY_DISABLE_CPU_FEATURES").split() if cpu_has(feature)]
    if features:
        env["NPY_DISABLE_CPU_FEATURES"] = " ".join(features)
    # One BLAS thread per notebook kernel: two xdist workers' kernels would oversubscribe 2 cores (tests/conftest.py
    # does the same for runs that collect tests/; a notebooks-only run does not collect it).
    return {**env, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}


def cpu_has(feature):
    """Whether this machine's CPU has a NumPy run-time feature (``AVX512F``, ``X86_V4``, ...), as NumPy detects it.

    NumPy warns on stderr, which strict nbval reports in every notebook, when asked to disable a feature the CPU
    lacks (seen on an AMD EPYC without AVX-512, 2026-12-07): there the AVX2 laptop is the machine itself, and the
    simulations switch off only what it has."""
    try:
        from numpy._core._multiarray_umath import __cpu_features__  # NumPy 2
    except ImportError:
        from numpy.core._multiarray_umath import __cpu_features__  # NumPy 1
    return bool(__cpu_features__.get(feature))


@nox.session(python=NEWEST_PYTHON)
def newest(session):
    """The newest Python found here and the newest versions requirements.txt and requirements-dev.txt allow,
    with the NumPy/OpenBLAS kernels of an older AVX machine."""
    missing = [v for v in NEWEST_CANDIDATES if NEWEST_CANDIDATES.index(v) < NEWEST_CANDIDATES.index(NEWEST_PYTHON)]
    if missing:
        session.log(f"Python {', '.join(missing)} not found here: newest is Python {NEWEST_PYTHON}")
    install(session, "--upgrade", "-r", "requirements-dev.txt")
    env = simulated("avx")
    session.log(" ".join(f"{key}={value!r}" for key, value in env.items()) or "this machine's CPU")
    run_tests(session, MATRIX_ARGS, env=env)


def cpu_session(name):
    """Strict nbval on every notebook under one CPU simulation, in the environment nox runs from (.venv)."""

    def simulate(session):
        env = simulated(name)
        session.log(" ".join(f"{key}={value!r}" for key, value in env.items()))
        run_tests(session, [*PARALLEL, "notebooks"], env=env, python=sys.executable)

    machine = "an AVX2 laptop" if name == "avx2" else "an older AVX machine"
    simulate.__doc__ = f"Every notebook under strict nbval with the kernels of {machine} (in .venv, newest versions)."
    return nox.session(name=name, venv_backend="none")(simulate)


avx2 = cpu_session("avx2")
avx = cpu_session("avx")  # not in the default sessions: `newest` runs under it

"""The helpers installed as a student's class installs them, not only as this checkout runs them.

`pip install .` (or a wheel, or Binder) puts ``helpers`` into site-packages, away from ``Dataset/``: the data must
still be found, through the folder a notebook runs in. Here a real, non-editable `pip install --no-deps` of a clean
copy of the repository goes into a fresh virtual environment (the libraries come from this test's environment
through a ``.pth`` line, so nothing is downloaded), and from that copy's ``notebooks/`` folder MNIST loads and the
first notebook runs top to bottom under strict nbval.
"""

import importlib.util
import os
import shutil
import subprocess
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIRST = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))[0]  # 01_data: the one that loads MNIST first
COPY_IGNORE = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.egg-info", "build", "images")


def can_build_wheels():
    """Whether this environment has a setuptools that builds wheels (>= 70.1, or older with the ``wheel`` package).

    Then the install builds here, offline; otherwise pip fetches setuptools for an isolated build, as `pip install -r
    requirements.txt` does for its `-e .` line.
    """
    try:
        import setuptools
    except ImportError:
        return False
    version = tuple(int(part) for part in setuptools.__version__.split(".")[:2] if part.isdigit())
    return version >= (70, 1) or importlib.util.find_spec("wheel") is not None


def clean_environ():
    """This environment without what would point Python at this checkout (PYTHONPATH) or at a dataset file."""
    return {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "MNIST_PATH", "PYTHONHOME"}}


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(python, copy): a fresh venv whose ``helpers`` is a non-editable install of ``copy``, a clean repo copy."""
    base = tmp_path_factory.mktemp("install")
    copy = base / "clone"
    copy.mkdir()
    for name in ["pyproject.toml", "helpers", "notebooks", "Dataset"]:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, copy / name, **(
            {"ignore": COPY_IGNORE} if (ROOT / name).is_dir() else {}))
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # This environment's libraries (numpy, nbval, ipykernel, pip, ...) after the new site-packages, plain paths: its
    # .pth files (an editable install of helpers among them) are not run.
    ours = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    Path(site, "_test_environment.pth").write_text("".join(f"{path}\n" for path in ours))
    isolation = ["--no-build-isolation"] if can_build_wheels() else []
    result = subprocess.run([python, "-m", "pip", "install", "--no-deps", "--quiet", *isolation, str(copy)],
                            capture_output=True, text=True, env=clean_environ(), cwd=base)
    assert result.returncode == 0, result.stdout + result.stderr
    return python, copy


def run(python, *args, cwd):
    return subprocess.run([python, *args], capture_output=True, text=True, env=clean_environ(), cwd=cwd, timeout=900)


def test_a_non_editable_install_loads_mnist_from_a_clones_notebooks_folder(installed):
    python, copy = installed
    result = run(python, "-c", "import helpers, helpers.data as d; print(helpers.__file__); print(d.find_mnist()); "
                 "x, y, _, _ = d.load_mnist(); print(x.shape, y[:3].tolist())", cwd=copy / "notebooks")
    assert result.returncode == 0, result.stderr
    module, found, loaded = result.stdout.splitlines()
    assert "site-packages" in Path(module).parts and not Path(module).is_relative_to(copy), module
    assert not (Path(module).parent.parent / "Dataset").exists(), "the install has no Dataset/ beside helpers"
    assert Path(found) == copy / "Dataset" / "mnist.npz"
    assert loaded == "(60000, 28, 28) [5, 0, 4]"


def test_a_non_editable_install_outside_a_clone_says_where_it_looked(installed, tmp_path):
    python, _ = installed
    result = run(python, "-c", "import helpers; helpers.load_mnist()", cwd=tmp_path)
    assert result.returncode != 0
    assert "DatasetError: MNIST not found: looked for Dataset/mnist.npz" in result.stderr
    assert f"  - {tmp_path / 'Dataset' / 'mnist.npz'}" in result.stderr and "MNIST_PATH" in result.stderr


def test_the_first_notebook_runs_top_to_bottom_with_a_non_editable_install(installed):
    """Strict nbval in the new environment's own kernel (--nbval-current-env), from the copy's notebooks/."""
    python, copy = installed
    notebook = copy / "notebooks" / FIRST.name
    result = run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
                 str(notebook), cwd=copy / "notebooks")
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and " failed" not in result.stdout

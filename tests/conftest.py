"""Shared fixtures: the real MNIST, loaded once per test session; Chromium and JupyterLab (tests/browser_support.py).

Under pytest-xdist (the README's test command, `-n auto`) every worker, and every notebook kernel it starts, uses
one BLAS thread: two workers whose kernels each start OpenBLAS's two threads oversubscribe this 2-core machine,
and OpenBLAS's spinning threads then made a notebook run many times slower (measured 2026-12-06: the training and
evaluation notebooks and A3 under nbval with two workers did not finish in 2.5 minutes; with one BLAS thread each,
all of them in under 1.5).

The longest files start first (``LONGEST_FIRST``; the others follow in collection order): pytest-xdist's
``--dist loadfile`` hands whole files to the workers in the order of its queue, and by default it sorts that
queue by the number of tests in a file, which put the two browser files (few tests, minutes each) last, so one
worker walked decks alone long after the other had finished (measured 2026-12-07: 949 s, about one core busy).
"""

import os
from pathlib import Path

if os.environ.get("PYTEST_XDIST_WORKER"):  # set before NumPy loads OpenBLAS; notebook kernels inherit it
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from browser_support import browser, lab  # noqa: E402, F401  (the real-browser tests' Chromium and JupyterLab)

from helpers import load_data, one_hot  # noqa: E402

PICTURES = pytest.StashKey[dict]()  # the README pictures as the session found them

#: The files that take longest, longest first (seconds alone on a quiet 2-core machine, 2026-12-07): the offline
#: decks (~95), the live JupyterLab tests (~85), nbgrader's round trip (~55), the training and evaluation notebooks
#: and A3 (~35 each), the real install (~20), the plots (~20), the widgets (~18).
LONGEST_FIRST = ["tests/test_browser_decks.py", "tests/test_browser_live.py", "tests/test_nbgrader.py",
                 "notebooks/08_evaluation.ipynb", "notebooks/07_training_further.ipynb",
                 "notebooks/06_training_overfitting.ipynb", "notebooks/05_training.ipynb",
                 "notebooks/A3_hidden_units.ipynb", "tests/test_install.py", "tests/test_plots.py",
                 "tests/test_widgets.py"]


README_PICTURES = Path(__file__).resolve().parent.parent / "images"


def pytest_sessionstart(session):
    """Keep the README pictures as stored (08_evaluation.ipynb rewrites images/ when nbval runs it)."""
    if not hasattr(session.config, "workerinput"):  # the main process (with or without pytest-xdist)
        session.config.stash[PICTURES] = {path: path.read_bytes() for path in README_PICTURES.glob("*.png")}


def pytest_sessionfinish(session):
    """Put the stored README pictures back: another CPU or library version draws a few other bytes, and a test run
    should leave the working tree as it found it. Re-storing 08_evaluation.ipynb (README, "Contributing") writes
    them."""
    for path, content in session.config.stash.get(PICTURES, {}).items():
        if not path.exists() or path.read_bytes() != content:
            path.write_bytes(content)


def pytest_configure(config):
    """Keep the files in the order of the collection (sorted below) when pytest-xdist hands them out."""
    if getattr(config.option, "loadscopereorder", None) is not None:  # pytest-xdist >= 3.6
        config.option.loadscopereorder = False


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The files of ``LONGEST_FIRST`` first, in that order; each file's tests keep their order."""
    rank = {name: k for k, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


@pytest.fixture(scope="session")
def mnist():
    """The series' data dict (see ``helpers.load_data``), float32."""
    return load_data()


@pytest.fixture(scope="session")
def small_batch():
    """A small float64 batch of real images for gradient checks: X (784, 20), Y (10, 20), y (20,)."""
    from helpers import images_to_X, load_mnist

    x_train, y_train, _, _ = load_mnist(verify=False)
    X = images_to_X(x_train[:20], dtype=np.float64)
    y = y_train[:20].astype(np.int64)
    return X, one_hot(y, dtype=np.float64), y

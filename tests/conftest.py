"""Shared fixtures: the real MNIST, loaded once per test session; Chromium and JupyterLab (tests/browser_support.py).

Under pytest-xdist (the README's test command, `-n auto`) every worker, and every notebook kernel it starts, uses
one BLAS thread: two workers whose kernels each start OpenBLAS's two threads oversubscribe this 2-core machine,
and OpenBLAS's spinning threads then made a notebook run many times slower (measured 2026-12-06: the training and
evaluation notebooks and A3 under nbval with two workers did not finish in 2.5 minutes; with one BLAS thread each,
all of them in under 1.5).
"""

import os

if os.environ.get("PYTEST_XDIST_WORKER"):  # set before NumPy loads OpenBLAS; notebook kernels inherit it
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from browser_support import browser, lab  # noqa: E402, F401  (the real-browser tests' Chromium and JupyterLab)

from helpers import load_data, one_hot  # noqa: E402


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

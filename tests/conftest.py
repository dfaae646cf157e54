"""Shared fixtures: the real MNIST, loaded once per test session."""

import numpy as np
import pytest

from helpers import load_data, one_hot


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

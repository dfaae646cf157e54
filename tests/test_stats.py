"""The standard error of an accuracy, against its definition and a simulation."""

import math

import numpy as np
import pytest

from helpers import accuracy_se, difference_se, with_se


def test_accuracy_se_matches_the_binomial_formula():
    assert accuracy_se(0.9, 1000) == pytest.approx(math.sqrt(0.9 * 0.1 / 1000))
    assert accuracy_se(0.5, 10_000) == pytest.approx(0.005)
    assert accuracy_se(1.0, 50) == 0 and accuracy_se(0.0, 50) == 0


def test_accuracy_se_is_the_spread_of_simulated_accuracies():
    rng = np.random.default_rng(0)
    accuracies = rng.binomial(1000, 0.85, size=20_000) / 1000  # 20,000 dev sets of 1,000 images, p = 0.85
    assert accuracies.std() == pytest.approx(accuracy_se(0.85, 1000), rel=0.03)


def test_with_se_formats_percent_and_points():
    assert with_se(0.937, 1000) == "93.7% ± 0.8"
    assert with_se(0.9413, 10_000, digits=2) == "94.13% ± 0.24"


@pytest.mark.parametrize("accuracy, n", [(1.2, 100), (-0.1, 100), (0.5, 0), (0.5, 2.5)])
def test_bad_input_is_refused(accuracy, n):
    with pytest.raises(ValueError, match="must be"):
        accuracy_se(accuracy, n)


def test_difference_se_adds_the_variances_not_the_errors():
    assert difference_se(0.9, 1000, 0.9, 1000) == pytest.approx(math.sqrt(2) * accuracy_se(0.9, 1000))
    assert difference_se(0.854, 10_000, 0.941, 10_000) == pytest.approx(
        math.hypot(accuracy_se(0.854, 10_000), accuracy_se(0.941, 10_000)))
    assert difference_se(0.9, 1000, 0.8, 100) < accuracy_se(0.9, 1000) + accuracy_se(0.8, 100)


def test_difference_se_is_the_spread_of_simulated_differences():
    rng = np.random.default_rng(1)
    gaps = rng.binomial(1000, 0.85, size=20_000) / 1000 - rng.binomial(4000, 0.9, size=20_000) / 4000
    assert gaps.std() == pytest.approx(difference_se(0.85, 1000, 0.9, 4000), rel=0.03)

"""The standard error of an accuracy, against its definition and a simulation; McNemar's test; the p-value format."""

import math

import numpy as np
import pytest

from helpers import McNemar, accuracy_se, difference_se, format_p, mcnemar, with_se


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


def flags(only_1, only_2, both=0, neither=0):
    """Right/wrong flags of two models on one set of images, with the given counts of each kind of image."""
    right_1 = [True] * only_1 + [False] * only_2 + [True] * both + [False] * neither
    right_2 = [False] * only_1 + [True] * only_2 + [True] * both + [False] * neither
    return np.array(right_1), np.array(right_2)


@pytest.mark.parametrize("only_1, only_2, p_value", [
    (2, 0, 2 * 1 / 4),                          # n = 2: P(X <= 0) = 1/4, doubled
    (5, 0, 2 * 1 / 32),                         # 1/32 doubled = 0.0625
    (8, 2, 2 * (1 + 10 + 45) / 1024),           # C(10,0) + C(10,1) + C(10,2) over 2^10 = 0.109375
    (18, 2, 2 * (1 + 20 + 190) / 2**20),        # 05's (and 08's) 400 vs 500 iterations: 0.000402
    (34, 16, 2 * sum(math.comb(50, k) for k in range(17)) / 2**50),  # 06's early stopping: 0.0153
    (3, 3, 1.0), (0, 0, 1.0),                   # no evidence either way
])
def test_mcnemar_is_the_exact_two_sided_binomial_tail(only_1, only_2, p_value):
    result = mcnemar(*flags(only_1, only_2, both=900, neither=40))
    assert result == McNemar(only_1, only_2, pytest.approx(min(1.0, p_value), rel=1e-12))


def test_mcnemar_hand_values():
    assert mcnemar(*flags(18, 2)).p_value == pytest.approx(0.000402, abs=5e-7)
    assert mcnemar(*flags(34, 16)).p_value == pytest.approx(0.0153, abs=5e-5)
    assert mcnemar([1, 1, 0, 1], [1, 0, 0, 0]) == McNemar(2, 0, 0.5)


def test_mcnemar_is_symmetric_and_ignores_agreements():
    a, b = flags(12, 4, both=50, neither=7)
    assert mcnemar(b, a) == McNemar(4, 12, mcnemar(a, b).p_value)
    assert mcnemar(*flags(12, 4)).p_value == mcnemar(*flags(12, 4, both=5000, neither=900)).p_value


@pytest.mark.parametrize("right_1, right_2, message", [
    ([True, False], [True, False, True], "same images"),
    ([0, 1, 2], [0, 1, 1], "True/False"),
    ([[True, False]], [[True, False]], r"shape \(m,\)"),
    (["a", "b"], [True, False], "True/False"),
])
def test_mcnemar_refuses_bad_input(right_1, right_2, message):
    with pytest.raises(ValueError, match=message):
        mcnemar(right_1, right_2)


@pytest.mark.parametrize("p, text", [
    (0.000402, "p = 0.00040"),      # 05/08: 400 against 500 iterations on dev, 18 against 2
    (0.0153, "p = 0.015"),          # 06: early stopping on the dev loss
    (0.06, "p = 0.060"),            # two digits even when the second is 0
    (0.1, "p = 0.10"),
    (0.25, "p = 0.25"),             # 3 of 3 seeds ahead, two-sided
    (0.5, "p = 0.50"),
    (0.99999, "p = 1.0"),
    (1.0, "p = 1.0"), (1, "p = 1.0"),
    (1e-4, "p = 0.00010"),          # the boundary itself still gets digits
    (0.000099999, "p < 0.0001"),    # just below it does not
    (4e-157, "p < 0.0001"),         # 08's better against seed network
    (0.0, "p < 0.0001"),
    (np.float64(0.0024), "p = 0.0024"), (np.float32(0.5), "p = 0.50"),
])
def test_format_p_exact_strings(p, text):
    assert format_p(p) == text


def test_format_p_of_mcnemar_results():
    assert format_p(mcnemar(*flags(18, 2)).p_value) == "p = 0.00040"
    assert format_p(mcnemar(*flags(3, 3)).p_value) == "p = 1.0"
    assert format_p(mcnemar(*flags(1032, 159)).p_value) == "p < 0.0001"


@pytest.mark.parametrize("p", [-0.01, 1.01, 2, float("nan"), float("inf"), "0.05", None, True, [0.05],
                               np.array([0.05])])
def test_format_p_refuses_what_is_not_a_p_value(p):
    with pytest.raises(ValueError, match="p must be a number between 0 and 1"):
        format_p(p)


def test_recall_precision_by_hand():
    from helpers import recall_precision

    C = np.zeros((10, 10), dtype=int)
    C[0, 0], C[0, 1], C[1, 1], C[2, 1] = 3, 1, 4, 4  # row 0: 3 of 4 right; column 1: 4 of 9 answers right
    recall, precision = recall_precision(C)
    assert recall.shape == precision.shape == (10,)
    assert recall[0] == 0.75 and recall[1] == 1.0 and recall[2] == 0.0
    assert precision[0] == 1.0 and precision[1] == 4 / 9
    assert np.isnan(recall[3]) and np.isnan(precision[2])  # no image of 3; 2 never predicted


def test_recall_precision_refuses_a_wrong_shape():
    from helpers import recall_precision

    with pytest.raises(ValueError, match=r"\(10, 10\) confusion matrix"):
        recall_precision(np.ones((9, 9)))

"""How much an accuracy measured on n images can be trusted, and whether two models scored on the same images differ.

Taught in ``05_training.ipynb``; used wherever the series quotes an accuracy.

Each of n test images is right (1) or wrong (0), like n coin flips with an unknown chance p of
"right". The measured accuracy p_hat = (number right) / n varies from one sample of n images to
another with standard deviation

    SE = sqrt(p (1 - p) / n)          (estimated with p_hat in place of p)

about 1 point on 1,000 dev images near 85 %, and 0.36 points on 10,000 test images. The difference of two
independent accuracies has the standard error sqrt(SE_1^2 + SE_2^2): about 1.6 points on 1,000 images each
near 85 %.

Two models scored on the *same* images are not independent: most images are right (or wrong) for both. Only the
images they disagree on say which model is better (McNemar's exact test, ``mcnemar``). Its p-value is printed by
``format_p``, one way across the series. k tests at once (Bonferroni, taught in
``06_training_overfitting.ipynb``): each p must be below 0.05 / k.
"""

import math
from typing import NamedTuple

import numpy as np


def accuracy_se(accuracy, n):
    """Binomial standard error of an accuracy (a fraction in [0, 1]) measured on ``n`` images.

    Taught in ``05_training.ipynb``. ``accuracy_se(0.9, 1000)`` is 0.0095: about one point.
    """
    if not 0 <= accuracy <= 1:
        raise ValueError(f"accuracy must be a fraction between 0 and 1; got {accuracy!r}.")
    if int(n) != n or n < 1:
        raise ValueError(f"n must be a whole number of images, at least 1; got {n!r}.")
    return math.sqrt(accuracy * (1 - accuracy) / n)


def with_se(accuracy, n, digits=1):
    """``'93.7% ± 0.8'``: an accuracy in percent with its standard error on ``n`` images (in points).

    Taught in ``05_training.ipynb``.
    """
    return f"{accuracy:.{digits}%} ± {100 * accuracy_se(accuracy, n):.{digits}f}"


def difference_se(accuracy_1, n_1, accuracy_2, n_2):
    """Standard error of the difference of two independent accuracies: sqrt(SE_1^2 + SE_2^2).

    Taught in ``05_training.ipynb``, used in ``08_evaluation.ipynb``. Only for accuracies measured on two
    independent samples of images; two models scored on the *same* images are compared with ``mcnemar``.
    ``difference_se(0.85, 1000, 0.85, 1000)`` is 0.016.
    """
    return math.sqrt(accuracy_se(accuracy_1, n_1) ** 2 + accuracy_se(accuracy_2, n_2) ** 2)


class McNemar(NamedTuple):
    """The outcome of ``mcnemar``: images only model 1 got right, only model 2 got right, and the exact p-value."""

    only_1: int
    only_2: int
    p_value: float


def _right_or_wrong(right, name):
    array = np.asarray(right)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one flag per image, shape (m,); got shape {array.shape}. "
                         "Pass (predictions == y), not the predictions themselves.")
    if array.dtype != bool:
        if not np.issubdtype(array.dtype, np.number) or not np.isin(array, (0, 1)).all():
            raise ValueError(f"{name} must hold True/False (or 1/0) for right/wrong; got values like "
                             f"{np.unique(array)[:5].tolist()}. Pass (predictions == y), not the predictions.")
        array = array.astype(bool)
    return array


def mcnemar(right_1, right_2):
    """McNemar's exact test: do two models scored on the same m images differ in accuracy?

    Taught in ``05_training.ipynb``; used in ``08_evaluation.ipynb``. ``right_1`` and ``right_2`` are (m,)
    flags, ``predictions_k == y``, for the same images in the same order. Images both models get right, or
    both get wrong, say nothing about which is better; of the n = only_1 + only_2 images they disagree on, each
    is equally likely to favour either model if the two are equally accurate, so only_1 ~ Binomial(n, 1/2).
    The two-sided p-value is the chance of a split at least as lopsided:

        p = min(1, 2 * sum_{k <= min(only_1, only_2)} C(n, k) / 2^n)

    ``mcnemar([1, 1, 0, 1], [1, 0, 0, 0])`` is ``McNemar(only_1=2, only_2=0, p_value=0.5)``.
    """
    right_1 = _right_or_wrong(right_1, "right_1")
    right_2 = _right_or_wrong(right_2, "right_2")
    if right_1.shape != right_2.shape:
        raise ValueError(f"right_1 and right_2 must score the same images: got {right_1.shape[0]} and "
                         f"{right_2.shape[0]} flags. Score both models on the same X and y.")
    only_1 = int(np.sum(right_1 & ~right_2))
    only_2 = int(np.sum(right_2 & ~right_1))
    n = only_1 + only_2
    tail = sum(math.comb(n, k) for k in range(min(only_1, only_2) + 1))  # exact integers, no rounding
    return McNemar(only_1, only_2, min(1.0, 2 * tail / 2**n))


def format_p(p):
    """A p-value as the series prints it: ``'p = 0.015'``, two significant digits; ``'p < 0.0001'`` below 1e-4.

    Taught in ``05_training.ipynb``; every printed p-value of the series goes through it. Two digits, because a
    p-value is a rough measure (a few images more or fewer move it), and nothing below 1e-4, where more digits
    say nothing more and would change with every image a machine's rounding moves. Judge a p against its bar
    (0.05, or 0.05 / k for k tests) by its value, not by the rounded string: 0.0496 prints as 'p = 0.050'.

    ``format_p(0.000402)`` is ``'p = 0.00040'``, ``format_p(1.0)`` is ``'p = 1.0'``, ``format_p(4e-157)`` is
    ``'p < 0.0001'``. A p-value must be a number between 0 and 1; anything else is a ValueError.
    """
    if isinstance(p, (bool, np.bool_)) or not isinstance(p, (int, float, np.integer, np.floating)):
        raise ValueError(f"p must be a number between 0 and 1 (a p-value, e.g. mcnemar(...).p_value); got {p!r}.")
    if not 0 <= p <= 1:  # also refuses NaN
        raise ValueError(f"p must be a number between 0 and 1; got {p!r}.")
    if p < 1e-4:
        return "p < 0.0001"
    return f"p = {float(p):#.2g}"


def recall_precision(C):
    """Per-digit recall and precision from a confusion matrix C (10, 10): ``(recall, precision)``, (10,) each.

    Taught in ``08_evaluation.ipynb`` (after its exercise). Rows of C are true labels, columns predictions:

        recall[k]    = C[k, k] / sum_k' C[k, k']    the images of digit k (row k) that are read right
        precision[k] = C[k, k] / sum_k' C[k', k]    the answers "k" (column k) that are right

    A digit with no images (an empty row) has no recall, one never predicted (an empty column) no
    precision: NaN there.
    """
    C = np.asarray(C)
    if C.shape != (10, 10) or not np.issubdtype(C.dtype, np.number):
        raise ValueError(f"C must be a (10, 10) confusion matrix of counts (confusion_matrix(y, predictions)); "
                         f"got shape {C.shape} and dtype {C.dtype}.")
    right = np.diag(C).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):  # 0 / 0 for an empty row or column: NaN
        return right / C.sum(axis=1), right / C.sum(axis=0)

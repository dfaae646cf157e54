"""How much an accuracy measured on n images can be trusted: its binomial standard error.

Taught in ``05_training.ipynb``; used wherever the series quotes an accuracy.

Each of n test images is right (1) or wrong (0), like n coin flips with an unknown chance p of
"right". The measured accuracy p_hat = (number right) / n varies from one sample of n images to
another with standard deviation

    SE = sqrt(p (1 - p) / n)          (estimated with p_hat in place of p)

about 1 point on 1,000 dev images near 85 %, and 0.36 points on 10,000 test images. The difference of two
independent accuracies has the standard error sqrt(SE_1^2 + SE_2^2): about 1.6 points on 1,000 images each
near 85 %.
"""

import math


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

    Taught in ``05_training.ipynb``, used in ``07_evaluation.ipynb``. A gap between two accuracies is a
    finding only if it exceeds about 2 of these. ``difference_se(0.85, 1000, 0.85, 1000)`` is 0.016.
    """
    return math.sqrt(accuracy_se(accuracy_1, n_1) ** 2 + accuracy_se(accuracy_2, n_2) ** 2)

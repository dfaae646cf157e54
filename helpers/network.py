"""The network's math: one function per equation of the spec.

    Z1 = W1 X + b1      A1 = ReLU(Z1)      Z2 = W2 A1 + b2      A2 = softmax(Z2)
    dZ2 = A2 - Y        dW2 = 1/m dZ2 A1^T     db2 = 1/m sum_i dZ2
    dZ1 = W2^T dZ2 * ReLU'(Z1)    dW1 = 1/m dZ1 X^T    db1 = 1/m sum_i dZ1
    W := W - alpha dW,  b := b - alpha db        (for both layers)

Shapes: X (784, m), Y (10, m), W1 (10, 784), b1 (10, 1), W2 (10, 10), b2 (10, 1).
Every function keeps the dtype it is given: the notebooks train in float32 (fast) and check
gradients in float64 (exact enough to compare with finite differences).
"""

from contextlib import contextmanager

import numpy as np

from . import data as _data
from .data import N_CLASSES, N_PIXELS, check_labels, check_X

N_HIDDEN = 10  # units in the hidden layer
UNIFORM_INIT_HALF_WIDTH = 0.5  # scheme "uniform" (the walkthrough's): every parameter uniform in [-0.5, 0.5]
INIT_SCHEMES = ("uniform", "he")  # init_params' schemes; "seed", the old name of "uniform", still works
LOG_EPS = 1e-12  # floor on A2 before the log: a probability that underflows to 0 costs log(1e12) ~ 27.6, not inf

#: Shape of each parameter, by name.
PARAM_SHAPES = {"W1": (N_HIDDEN, N_PIXELS), "b1": (N_HIDDEN, 1), "W2": (N_CLASSES, N_HIDDEN), "b2": (N_CLASSES, 1)}


def init_params(rng, scheme="uniform", dtype=np.float32):
    """Draw the starting parameters W1, b1, W2, b2.

    Taught in ``02_forward.ipynb``.

    Parameters
    ----------
    rng : numpy.random.Generator, e.g. ``np.random.default_rng(0)``: the only source of randomness.
    scheme : ``"uniform"`` (default): every entry uniform in [-0.5, 0.5], as the seed notebook (Samson
        Zhang's walkthrough) does; ``"seed"`` is its old name and still works, but reads like the random
        seed of ``rng``, which it is not.
        ``"he"``: weights normal with standard deviation sqrt(2 / fan_in) (He et al., 2015), biases 0,
        so that Z1 and Z2 start at the same scale whatever the number of inputs.
    dtype : float32 for training (default), float64 for gradient checks.

    Returns
    -------
    W1 (10, 784), b1 (10, 1), W2 (10, 10), b2 (10, 1)
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy.random.Generator (np.random.default_rng(seed)); got {type(rng).__name__}."
        )
    params = []
    for name, shape in PARAM_SHAPES.items():
        if scheme in ("uniform", "seed"):
            p = rng.random(shape) - UNIFORM_INIT_HALF_WIDTH
        elif scheme == "he":
            fan_in = PARAM_SHAPES[name.replace("b", "W")][1]
            p = rng.standard_normal(shape) * np.sqrt(2.0 / fan_in) if name.startswith("W") else np.zeros(shape)
        else:
            raise ValueError(f"scheme must be 'uniform' or 'he'; got {scheme!r}.")
        params.append(p.astype(dtype))
    return tuple(params)


def check_params(W1, b1, W2, b2):
    """Raise ``ValueError`` saying which parameter has the wrong shape (expected: see ``PARAM_SHAPES``)."""
    for name, p in zip(PARAM_SHAPES, (W1, b1, W2, b2)):
        expected = PARAM_SHAPES[name]
        if getattr(p, "shape", None) != expected:
            got = getattr(p, "shape", type(p).__name__)
            hint = ""
            if name.startswith("b") and got == (expected[0],):  # a flat bias: one reshape makes it a column
                hint = " (a bias must be a column: use b.reshape(-1, 1))"
            elif name.startswith("b") and got == (expected[0], expected[0]):  # (10, 1) - (10,) broadcast to 10 x 10
                hint = " (a (10, 1) column minus a flat (10,) gradient: sum with keepdims=True)"
            raise ValueError(f"{name} must have shape {expected}; got {got}{hint}.")


def relu(Z):
    """ReLU(Z) = max(Z, 0), elementwise. Same shape as Z. Taught in ``02_forward.ipynb``."""
    return np.maximum(Z, 0)


def relu_derivative(Z):
    """ReLU'(Z): True (= 1) where Z > 0, else False (= 0). Same shape as Z. Taught in ``04_backward_gradients.ipynb``.

    A boolean mask, as in the seed: in ``dZ1 = W2.T @ dZ2 * relu_derivative(Z1)`` True and False act
    as 1 and 0, and the mask is 4x smaller than a float32 copy. (Measured here: the float copy made
    a full-batch iteration ~15 % slower, through the cost of allocating fresh memory for it.)
    """
    return Z > 0


def softmax(Z):
    """Column-wise softmax: A[k, i] = exp(Z[k, i]) / sum over k' of exp(Z[k', i]).

    Taught in ``02_forward.ipynb``. Subtracting each column's maximum first changes nothing
    mathematically (the factor exp(-max) cancels) but keeps exp() from overflowing:
    finite for logits of +-1000, and every column sums to 1.

    Z : (10, m) -> A : (10, m)
    """
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def forward_prop(W1, b1, W2, b2, X):
    """Forward propagation, the first line of the spec.

    Taught in ``02_forward.ipynb``.

    Z1 = W1 X + b1 (10, m);  A1 = ReLU(Z1) (10, m);  Z2 = W2 A1 + b2 (10, m);  A2 = softmax(Z2) (10, m).
    b1 and b2 (10, 1) are broadcast across the m columns.

    Returns Z1, A1, Z2, A2.
    """
    check_params(W1, b1, W2, b2)
    check_X(X, finite=False)
    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    Z2 = W2 @ A1 + b2
    A2 = softmax(Z2)
    return Z1, A1, Z2, A2


def cross_entropy_loss(A2, Y):
    """Mean cross-entropy L = -1/m sum_i sum_k Y[k, i] log A2[k, i], a Python float.

    Taught in ``03_backward_loss.ipynb``. A2, Y : (10, m). Probabilities are floored at ``LOG_EPS``.
    """
    if A2.shape != Y.shape:
        raise ValueError(f"A2 {A2.shape} and Y {Y.shape} must have the same shape (10, m).")
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(np.maximum(A2, LOG_EPS))) / m)


def backward_prop(Z1, A1, Z2, A2, W1, W2, X, Y):
    """Backward propagation: the gradients of the mean cross-entropy, lines 2-3 of the spec.

    Taught in ``04_backward_gradients.ipynb`` (dZ2 = A2 - Y in ``03_backward_loss.ipynb``).

    dZ2 = A2 - Y (10, m);  dW2 = 1/m dZ2 A1^T (10, 10);  db2 = 1/m sum_i dZ2 (10, 1);
    dZ1 = W2^T dZ2 * ReLU'(Z1) (10, m);  dW1 = 1/m dZ1 X^T (10, 784);  db1 = 1/m sum_i dZ1 (10, 1).

    The bias gradients sum over the examples (axis 1), one value per unit, never one scalar.
    Z2 and W1 are not needed by the math (A2 already holds Z2; W1 would be needed only for a gradient
    with respect to X, which is not trained); they are accepted to keep the seed's call,
    ``backward_prop(Z1, A1, Z2, A2, W1, W2, X, Y)``.

    Speed: the products with X are ~95 % of an iteration. ``dW1`` is computed as ``(X @ dZ1.T).T``,
    which is the same matrix as ``dZ1 @ X.T`` (since (A B)^T = B^T A^T) but lets BLAS walk X
    (784, m, stored row by row) in its stored order: slightly faster where it was measured (a few per
    cent for the product; not asserted anywhere).

    Returns dW1, db1, dW2, db2.
    """
    check_X(X, finite=False)
    if Y.shape != A2.shape or Y.shape[0] != N_CLASSES or Y.shape[1] != X.shape[1]:
        raise ValueError(
            f"Y must be one-hot with shape (10, m) = {A2.shape}; got {Y.shape}. Use one_hot(y) on the labels."
        )
    m = X.shape[1]
    dZ2 = A2 - Y
    dW2 = 1 / m * dZ2 @ A1.T
    db2 = 1 / m * dZ2.sum(axis=1, keepdims=True)
    dZ1 = W2.T @ dZ2 * relu_derivative(Z1)
    dW1 = 1 / m * (X @ dZ1.T).T  # = 1/m dZ1 X^T
    db1 = 1 / m * dZ1.sum(axis=1, keepdims=True)
    return dW1, db1, dW2, db2


def update_params(W1, b1, W2, b2, dW1, db1, dW2, db2, alpha):
    """One gradient-descent step, the last line of the spec: W := W - alpha dW, b := b - alpha db.

    Taught in ``05_training.ipynb``. Shapes as in ``PARAM_SHAPES``; returns new W1, b1, W2, b2.
    """
    W1 = W1 - alpha * dW1
    b1 = b1 - alpha * db1
    W2 = W2 - alpha * dW2
    b2 = b2 - alpha * db2
    return W1, b1, W2, b2


def get_predictions(A2):
    """The predicted digit of each column: argmax_k A2[k, i]. A2 (10, m) -> (m,) ints. (Seed's name.)"""
    return np.argmax(A2, axis=0)


def get_accuracy(predictions, y):
    """Fraction of predictions equal to the labels, a Python float. predictions, y : (m,). (Seed's name.)"""
    y = check_labels(y)
    predictions = np.asarray(predictions)
    if predictions.shape != y.shape:
        raise ValueError(f"predictions {predictions.shape} and labels y {y.shape} must have the same shape (m,).")
    return float(np.mean(predictions == y))


def make_predictions(X, W1, b1, W2, b2):
    """Predicted digits for the columns of X (784, m) -> (m,). (Seed's name.) Taught in ``08_evaluation.ipynb``.

    Refuses NaN or inf pixels with a ``ValueError`` (as training does): without the check, a NaN
    pixel would silently come out as digit 0, since argmax of a NaN column is 0. The check is one
    pass over X (measured in ``benchmarks/benchmark.py``).
    """
    return get_predictions(predict_proba(X, W1, b1, W2, b2))


def predict_proba(X, W1, b1, W2, b2):
    """The softmax probabilities A2 (10, m) for the columns of X (784, m). Taught in ``08_evaluation.ipynb``.

    Refuses NaN or inf pixels with a ``ValueError``, like ``make_predictions``.
    """
    check_X(X)
    return forward_prop(W1, b1, W2, b2, X)[3]


# Clearer aliases beside the seed's names.
predict = make_predictions
accuracy = get_accuracy


@contextmanager
def network_size(n_pixels, n_hidden, n_classes):
    """Run ``forward_prop`` and ``backward_prop`` unchanged on a network of other sizes.

    Used in ``04_backward_gradients.ipynb`` (a 3-2-2 network small enough to work by hand). The two functions
    check their inputs against the sizes of the series' network (784 pixels, 10 hidden units, 10
    classes: ``PARAM_SHAPES``); inside ``with network_size(3, 2, 2):`` those checks expect the given
    sizes instead. The math is not touched, and the usual sizes are back when the block ends (also after
    an error). It changes module-level settings, so it is meant for small worked examples, not for threads.
    """
    global PARAM_SHAPES, N_CLASSES
    saved = PARAM_SHAPES, N_CLASSES, _data.N_PIXELS
    PARAM_SHAPES = {"W1": (n_hidden, n_pixels), "b1": (n_hidden, 1), "W2": (n_classes, n_hidden), "b2": (n_classes, 1)}
    N_CLASSES, _data.N_PIXELS = n_classes, n_pixels
    try:
        yield
    finally:
        PARAM_SHAPES, N_CLASSES, _data.N_PIXELS = saved


def leaky_relu(Z, slope=0.01):
    """Leaky ReLU, elementwise: Z where Z > 0, slope * Z elsewhere (0 < slope < 1). Same shape as Z.

    The transfer exercise of ``02_forward.ipynb`` (the series' network itself uses ``relu``): below 0 the
    unit keeps a small slope instead of switching off. ``np.where`` picks between the two branches;
    ``np.maximum(Z, slope * Z)`` is the same for 0 < slope < 1.
    """
    return np.where(Z > 0, Z, slope * Z)

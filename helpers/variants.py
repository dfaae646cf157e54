"""Pieces the network does not use, met in the transfer exercises: another loss and another activation.

``softmax_jacobian`` and ``squared_error_gradient`` are taught in ``03_backward_loss.ipynb`` (the gradient of
squared error through the softmax, and why it vanishes where cross-entropy's does not); ``leaky_relu`` and
``leaky_relu_derivative`` in ``04_backward_gradients.ipynb`` (a derivative verified with the gradient check).
Shapes follow the series: one column per image.
"""

import numpy as np

from .network import softmax

LEAK = 0.01  # leaky ReLU's slope for z < 0 (Maas, Hannun and Ng, 2013)


def softmax_jacobian(a):
    """J = diag(a) - a a^T (10, 10) for one column of probabilities a (10,) or (10, 1): J[k, k'] = da_k / dz_k'."""
    a = np.asarray(a).ravel()
    return np.diag(a) - np.outer(a, a)


def squared_error_gradient(z, Y):
    """d ell / dz (10, 1) of ell = 1/2 sum_k (a_k - Y_k)^2 with a = softmax(z), for one image: z, Y (10, 1)."""
    a = softmax(z)
    return softmax_jacobian(a) @ (a - Y)  # J is symmetric: J^T (a - Y) = J (a - Y)


def leaky_relu(Z, leak=LEAK):
    """z where z > 0, else leak * z, elementwise. Same shape as Z."""
    return np.where(Z > 0, Z, leak * Z)


def leaky_relu_derivative(Z, leak=LEAK):
    """1 where z > 0, else leak (also at the corner z = 0, as ReLU' takes 0 there). Same shape as Z."""
    return np.where(Z > 0, 1.0, leak)

"""The network's math: shapes, softmax, and gradients checked against finite differences."""

import numpy as np
import pytest

from helpers import (
    PARAM_SHAPES,
    backward_prop,
    cross_entropy_loss,
    forward_prop,
    get_accuracy,
    get_predictions,
    init_params,
    make_predictions,
    predict,
    predict_proba,
    relu,
    relu_derivative,
    softmax,
    update_params,
)

GRAD_RTOL = 1e-6  # relative error allowed between backward_prop and finite differences (float64)
EPS = 1e-5  # finite-difference step (rounding error ~1e-16/EPS, truncation error ~EPS**2)


def test_seed_shape_table(small_batch):
    X, Y, _ = small_batch
    m = X.shape[1]
    W1, b1, W2, b2 = init_params(np.random.default_rng(0), dtype=np.float64)
    assert (W1.shape, b1.shape, W2.shape, b2.shape) == ((10, 784), (10, 1), (10, 10), (10, 1))
    Z1, A1, Z2, A2 = forward_prop(W1, b1, W2, b2, X)
    assert Z1.shape == A1.shape == Z2.shape == A2.shape == (10, m)
    dW1, db1, dW2, db2 = backward_prop(Z1, A1, Z2, A2, W1, W2, X, Y)
    assert (dW1.shape, db1.shape, dW2.shape, db2.shape) == ((10, 784), (10, 1), (10, 10), (10, 1))
    assert get_predictions(A2).shape == (m,)


def test_uniform_init_range_and_he_scale():
    rng = np.random.default_rng(0)
    for p in init_params(rng):
        assert p.dtype == np.float32 and -0.5 <= p.min() and p.max() <= 0.5
    W1, b1, W2, b2 = init_params(np.random.default_rng(0), scheme="he", dtype=np.float64)
    assert W1.std() == pytest.approx(np.sqrt(2 / 784), rel=0.05)
    assert not b1.any() and not b2.any()


def test_init_is_reproducible():
    a = init_params(np.random.default_rng(7))
    b = init_params(np.random.default_rng(7))
    assert all(np.array_equal(u, v) for u, v in zip(a, b))


def test_relu_and_derivative():
    Z = np.array([[-2.0, 0.0, 3.0]])
    assert relu(Z).tolist() == [[0.0, 0.0, 3.0]]
    assert relu_derivative(Z).tolist() == [[False, False, True]]  # a mask: True acts as 1


def test_softmax_columns_sum_to_one():
    Z = np.random.default_rng(0).normal(size=(10, 50)) * 5
    A = softmax(Z)
    assert np.allclose(A.sum(axis=0), 1) and (A > 0).all()


def test_softmax_invariant_to_a_constant_per_column():
    Z = np.random.default_rng(1).normal(size=(10, 8))
    shift = np.arange(8)[None, :] * 100.0
    assert np.allclose(softmax(Z), softmax(Z + shift))


def test_softmax_finite_for_huge_logits():
    Z = np.array([[1000.0, -1000.0], [999.0, -1000.0], [-1000.0, -999.0]])
    A = softmax(Z)
    assert np.isfinite(A).all() and np.allclose(A.sum(axis=0), 1)
    assert A[0, 0] == pytest.approx(1 / (1 + np.exp(-1)))


def test_softmax_against_independent_formula():
    Z = np.random.default_rng(2).normal(size=(10, 5))
    expected = np.exp(Z) / np.exp(Z).sum(axis=0)  # fine for small logits
    assert np.allclose(softmax(Z), expected)


def test_cross_entropy_known_value():
    A2 = np.full((10, 4), 0.1)
    Y = np.eye(10)[:, :4]
    assert cross_entropy_loss(A2, Y) == pytest.approx(np.log(10))


def test_update_params_moves_against_the_gradient():
    params = init_params(np.random.default_rng(0), dtype=np.float64)
    grads = [np.ones_like(p) for p in params]
    new = update_params(*params, *grads, alpha=0.5)
    for p, q in zip(params, new):
        assert np.allclose(q, p - 0.5)


def test_predictions_and_accuracy():
    A2 = np.eye(10)[:, [3, 1, 4]]
    assert get_predictions(A2).tolist() == [3, 1, 4]
    assert get_accuracy(np.array([3, 1, 4]), np.array([3, 1, 5])) == pytest.approx(2 / 3)


# ---- gradient check: the whole of backward_prop against an independent reference ----

def loss_of(params, X, Y):
    """The mean cross-entropy as a function of the parameters: the quantity backward_prop differentiates."""
    return cross_entropy_loss(forward_prop(*params, X)[3], Y)


def numerical_gradient(params, X, Y, which, index):
    """Central finite difference of the loss with respect to one entry params[which][index]."""
    plus = [p.copy() for p in params]
    minus = [p.copy() for p in params]
    plus[which][index] += EPS
    minus[which][index] -= EPS
    return (loss_of(plus, X, Y) - loss_of(minus, X, Y)) / (2 * EPS)


def sample_entries(rng):
    """Indices to check: every entry of b1, W2 and b2, and 40 entries of W1 on pixels that are not blank."""
    entries = []
    for which, name in enumerate(PARAM_SHAPES):
        shape = PARAM_SHAPES[name]
        if name == "W1":
            rows = rng.integers(0, 10, size=40)
            cols = rng.integers(300, 500, size=40)  # the centre of the image, where the digits are
            entries += [(which, (r, c)) for r, c in zip(rows, cols)]
        else:
            entries += [(which, idx) for idx in np.ndindex(shape)]
    return entries


def gradient_errors(params, X, Y, grads):
    """Relative error ||g_num - g|| / (||g_num|| + ||g||) for each of W1, b1, W2, b2 over the sampled entries.

    A norm over the entries (not the worst single entry): a tiny gradient of one entry, where the
    rounding noise of the finite difference is a visible fraction, does not decide the verdict.
    """
    rng = np.random.default_rng(3)
    numeric = {which: [] for which in range(4)}
    analytic = {which: [] for which in range(4)}
    for which, index in sample_entries(rng):
        numeric[which].append(numerical_gradient(params, X, Y, which, index))
        analytic[which].append(grads[which][index])
    errors = []
    for which in range(4):
        n, a = np.array(numeric[which]), np.array(analytic[which])
        errors.append(np.linalg.norm(n - a) / (np.linalg.norm(n) + np.linalg.norm(a)))
    return np.array(errors)


@pytest.fixture(scope="module")
def random_params():
    """Random non-zero float64 parameters (He scale, with non-zero biases) so no unit is trivially dead."""
    rng = np.random.default_rng(11)
    W1, b1, W2, b2 = init_params(rng, scheme="he", dtype=np.float64)
    return W1, rng.normal(0, 0.1, size=(10, 1)), W2, rng.normal(0, 0.1, size=(10, 1))


def test_gradient_check(small_batch, random_params):
    X, Y, _ = small_batch
    Z1, A1, Z2, A2 = forward_prop(*random_params, X)
    dW1, db1, dW2, db2 = backward_prop(Z1, A1, Z2, A2, random_params[0], random_params[2], X, Y)
    errors = gradient_errors(random_params, X, Y, (dW1, db1, dW2, db2))
    assert errors.max() < GRAD_RTOL, f"worst relative error {errors.max():.2e}"


def test_gradient_check_catches_the_scalar_bias_mistake(small_batch, random_params):
    """Summing dZ over *all* entries (one scalar for every unit) must fail the same check."""
    X, Y, _ = small_batch
    m = X.shape[1]
    Z1, A1, Z2, A2 = forward_prop(*random_params, X)
    dW1, db1, dW2, db2 = backward_prop(Z1, A1, Z2, A2, random_params[0], random_params[2], X, Y)
    dZ2 = A2 - Y
    dZ1 = random_params[2].T @ dZ2 * relu_derivative(Z1)
    wrong_db1 = np.full((10, 1), 1 / m * np.sum(dZ1))
    wrong_db2 = np.full((10, 1), 1 / m * np.sum(dZ2))
    errors = gradient_errors(random_params, X, Y, (dW1, wrong_db1, dW2, wrong_db2))
    assert errors.max() > 1e-2


def test_gradient_check_catches_the_wrong_m(small_batch, random_params):
    X, Y, _ = small_batch
    Z1, A1, Z2, A2 = forward_prop(*random_params, X)
    grads = backward_prop(Z1, A1, Z2, A2, random_params[0], random_params[2], X, Y)
    wrong = tuple(g * X.shape[1] for g in grads)  # forgot the 1/m
    assert gradient_errors(random_params, X, Y, wrong).max() > 1e-2


def test_float32_forward_matches_float64(small_batch):
    X, _, _ = small_batch
    p64 = init_params(np.random.default_rng(0), dtype=np.float64)
    p32 = tuple(p.astype(np.float32) for p in p64)
    A64 = forward_prop(*p64, X)[3]
    A32 = forward_prop(*p32, X.astype(np.float32))[3]
    assert A32.dtype == np.float32 and np.allclose(A32, A64, atol=1e-5)


# ---- bad input ----

def test_forward_wrong_X_shape_says_transpose():
    params = init_params(np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"\(784, m\).*pass X.T"):
        forward_prop(*params, np.zeros((5, 784), dtype=np.float32))


def test_forward_wrong_bias_shape():
    W1, b1, W2, b2 = init_params(np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"b1 must have shape \(10, 1\).*reshape"):
        forward_prop(W1, b1.ravel(), W2, b2, np.zeros((784, 3), dtype=np.float32))


def test_forward_wrong_W1_shape():
    W1, b1, W2, b2 = init_params(np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"W1 must have shape \(10, 784\)"):
        forward_prop(W1.T, b1, W2, b2, np.zeros((784, 3), dtype=np.float32))


def test_backward_labels_not_one_hot(small_batch):
    X, Y, y = small_batch
    params = init_params(np.random.default_rng(0), dtype=np.float64)
    Z1, A1, Z2, A2 = forward_prop(*params, X)
    with pytest.raises(ValueError, match=r"one-hot.*one_hot\(y\)"):
        backward_prop(Z1, A1, Z2, A2, params[0], params[2], X, y)


def test_backward_wrong_X_shape(small_batch):
    X, Y, _ = small_batch
    params = init_params(np.random.default_rng(0), dtype=np.float64)
    Z1, A1, Z2, A2 = forward_prop(*params, X)
    with pytest.raises(ValueError, match=r"\(784, m\)"):
        backward_prop(Z1, A1, Z2, A2, params[0], params[2], X.T, Y)


def test_make_predictions(small_batch):
    X, _, _ = small_batch
    params = init_params(np.random.default_rng(0), dtype=np.float64)
    assert make_predictions(X, *params).shape == (X.shape[1],)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("function", [make_predictions, predict, predict_proba])
def test_predictions_refuse_non_finite_pixels(small_batch, function, bad):
    """Without the check a NaN image comes out as digit 0 (argmax of a NaN column): refused, as in training."""
    X, _, _ = small_batch
    params = init_params(np.random.default_rng(0), dtype=np.float64)
    X = X.copy()
    X[300, 2] = bad
    with pytest.raises(ValueError, match=r"X contains NaN or inf pixels; expected values in \[0, 1\] \(pixels / 255\)"):
        function(X, *params)


# ---- a network small enough to work by hand (04_backward_gradients) ----

def hand_network():
    """The 3-2-2 network of 04_backward_gradients: 3 pixels, 2 hidden units, 2 classes, 1 image of class 0."""
    W1 = np.array([[1.0, 2.0, 1.0], [-1.0, 1.0, 3.0]])
    b1 = np.array([[0.0], [-0.5]])
    W2 = np.array([[0.5, 1.0], [1.5, -1.0]])
    b2 = np.zeros((2, 1))
    x = np.array([[1.0], [0.5], [0.0]])
    return (W1, b1, W2, b2), x, np.array([[1.0], [0.0]])


def test_network_size_runs_the_same_functions_on_a_hand_sized_network():
    from helpers import network_size

    params, x, Y = hand_network()
    with network_size(3, 2, 2):
        Z1, A1, Z2, A2 = forward_prop(*params, x)
        dW1, db1, dW2, db2 = backward_prop(Z1, A1, Z2, A2, params[0], params[2], x, Y)
    q = np.exp(2) / (1 + np.exp(2))  # softmax of Z2 = (1, 3): a = (1 - q, q)
    assert Z1.ravel().tolist() == [2.0, -1.0] and A1.ravel().tolist() == [2.0, 0.0]
    assert Z2.ravel().tolist() == [1.0, 3.0] and np.allclose(A2.ravel(), [1 - q, q])
    assert np.allclose(dW2, [[-2 * q, 0], [2 * q, 0]]) and np.allclose(db2.ravel(), [-q, q])
    assert np.allclose(dW1, [[q, q / 2, 0], [0, 0, 0]]) and np.allclose(db1.ravel(), [q, 0])
    assert cross_entropy_loss(A2, Y) == pytest.approx(np.log(1 + np.exp(2)))
    W2 = params[2]
    assert np.allclose((W2.T @ (A2 - Y)).ravel(), [q, -2 * q])  # the notebook's W2^T dZ2, by hand
    assert np.allclose((W2 @ (A2 - Y) * (Z1 > 0)).ravel(), [q / 2, 0])  # its mistake 3: db1 = 0.4404, not 0.8808


def test_network_size_gradients_match_finite_differences():
    from helpers import network_size

    params, x, Y = hand_network()
    with network_size(3, 2, 2):
        Z1, A1, Z2, A2 = forward_prop(*params, x)
        grads = backward_prop(Z1, A1, Z2, A2, params[0], params[2], x, Y)
        for which, p in enumerate(params):
            for index in np.ndindex(p.shape):
                assert numerical_gradient(params, x, Y, which, index) == pytest.approx(grads[which][index], abs=1e-8)


def test_network_size_restores_the_real_sizes_even_after_an_error():
    from helpers import network_size

    params, x, Y = hand_network()
    with pytest.raises(ZeroDivisionError):
        with network_size(3, 2, 2):
            raise ZeroDivisionError
    with pytest.raises(ValueError, match=r"W1 must have shape \(10, 784\)"):
        forward_prop(*params, x)
    with pytest.raises(ValueError, match=r"\(784, m\)"):
        backward_prop(*forward_prop(*init_params(np.random.default_rng(0)), np.zeros((784, 1))),
                      params[0], params[2], x, Y)
    assert PARAM_SHAPES["W1"] == (10, 784)


def test_uniform_init_keeps_the_numbers_and_the_old_name_seed_still_works():
    """02_forward renamed the walkthrough's scheme "seed" to "uniform" (it clashed with the random seed)."""
    uniform = init_params(np.random.default_rng(3), scheme="uniform")
    default = init_params(np.random.default_rng(3))
    old_name = init_params(np.random.default_rng(3), scheme="seed")
    rng = np.random.default_rng(3)
    expected = [(rng.random(shape) - 0.5).astype(np.float32) for shape in [(10, 784), (10, 1), (10, 10), (10, 1)]]
    for a, b, c, e in zip(uniform, default, old_name, expected):
        assert np.array_equal(a, b) and np.array_equal(a, c) and np.array_equal(a, e)
    with pytest.raises(ValueError, match="scheme must be 'uniform' or 'he'; got 'normal'"):
        init_params(np.random.default_rng(0), scheme="normal")


@pytest.mark.parametrize("b2_shape, hint", [((10,), "b.reshape(-1, 1)"), ((10, 10), "keepdims=True"), ((5, 1), None)])
def test_a_wrong_bias_shape_is_named_with_the_fix_that_matches_it(b2_shape, hint):
    from helpers.network import check_params

    W1, b1, W2, _ = init_params(np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"b2 must have shape \(10, 1\)") as error:
        check_params(W1, b1, W2, np.zeros(b2_shape))
    message = str(error.value)
    assert (hint in message) if hint else ("(" not in message.split("got")[1].split(")", 1)[1]), message

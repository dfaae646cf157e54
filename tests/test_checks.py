"""The checks of helpers.checks: the reference passes, every classic mistake is named, no traceback leaks.

Each wrong implementation below makes one mistake on purpose; the test asserts that the check returns
False and prints the diagnosis of that mistake (and its fix), on one line per finding.
"""

import numpy as np
import pytest

from helpers import (
    backward_prop,
    check_backward_prop,
    check_confusion_matrix,
    check_forward_prop,
    check_lr_range_test,
    check_momentum_step,
    check_nesterov_step,
    check_one_hot,
    check_softmax,
    check_update_params,
    confusion_matrix,
    forward_prop,
    get_predictions,
    momentum_step,
    one_hot,
    relu,
    softmax,
    update_params,
)
from helpers.checks import _backward_inputs


def run(check, function, capsys):
    """Run a check; return its verdict and its printed lines."""
    verdict = check(function)
    lines = capsys.readouterr().out.splitlines()
    return verdict, lines


def not_written(*args):
    raise NotImplementedError()


# ---------------------------------------------------------------- wrong implementations, one mistake each

def one_hot_transposed(y):
    return one_hot(y).T


def one_hot_max_plus_one(y):  # the seed's one_hot: np.zeros((y.size, y.max() + 1))
    Y = np.zeros((y.max() + 1, y.size))
    Y[y, np.arange(y.size)] = 1
    return Y


def one_hot_as_the_seed(y):  # the seed's one_hot: np.zeros((y.size, y.max() + 1)), one row per label
    Y = np.zeros((y.size, y.max() + 1))
    Y[np.arange(y.size), y] = 1
    return Y


def one_hot_no_return(y):
    one_hot(y)


def softmax_naive(Z):
    return np.exp(Z) / np.exp(Z).sum(axis=0, keepdims=True)


def softmax_rows(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def softmax_global_max(Z):
    E = np.exp(Z - Z.max())
    return E / E.sum(axis=0, keepdims=True)


def softmax_row_max(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def softmax_in_place(Z):
    Z -= Z.max(axis=0, keepdims=True)
    return np.exp(Z) / np.exp(Z).sum(axis=0, keepdims=True)


def forward(mistake):
    def forward_prop_with_a_mistake(W1, b1, W2, b2, X):
        Z1 = W1 @ X + (0 if mistake == "no b1" else b1)
        A1 = Z1 if mistake == "no relu" else relu(Z1)
        Z2 = W2 @ (Z1 if mistake == "Z1 for A1" else A1) + b2
        A2 = softmax_naive(Z2) if mistake == "naive softmax" else softmax_rows(Z2) if mistake == "rows" else softmax(Z2)
        if mistake == "only A2":
            return A2
        return (Z1.T, A1.T, Z2.T, A2.T) if mistake == "transposed" else (Z1, A1, Z2, A2)
    return forward_prop_with_a_mistake


def backward(mistake):
    def backward_prop_with_a_mistake(Z1, A1, Z2, A2, W1, W2, X, Y):
        m = {"no 1/m": 1, "784": X.shape[0]}.get(mistake, X.shape[1])
        dZ2 = Y - A2 if mistake == "sign" else A2 - Y
        dW2 = 1 / m * (A1 @ dZ2.T if mistake == "dW2 transposed" else dZ2 @ A1.T)
        dZ1 = (W2 if mistake == "W2 @ dZ2" else W2.T) @ dZ2 * (1 if mistake == "no relu'" else Z1 > 0)
        dW1 = 1 / m * dZ1 @ X.T
        if mistake == "scalar bias":
            return dW1, 1 / m * np.sum(dZ1), dW2, 1 / m * np.sum(dZ2)
        if mistake == "no keepdims":
            return dW1, 1 / m * dZ1.sum(axis=1, keepdims=True), dW2, 1 / m * dZ2.sum(axis=1)
        return dW1, 1 / m * dZ1.sum(axis=1, keepdims=True), dW2, 1 / m * dZ2.sum(axis=1, keepdims=True)
    return backward_prop_with_a_mistake


def update(sign=-1.0, fixed_alpha=None, keep_b1=False, flat_db=False):
    def update_params_with_a_mistake(W1, b1, W2, b2, dW1, db1, dW2, db2, alpha):
        a = sign * (alpha if fixed_alpha is None else fixed_alpha)
        new_b1 = b1 if keep_b1 else b1 + a * (db1.ravel() if flat_db else db1)
        return W1 + a * dW1, new_b1, W2 + a * dW2, b2 + a * db2
    return update_params_with_a_mistake


def momentum(mistake):
    def momentum_step_with_a_mistake(params, velocity, grads, alpha, mu):
        old = velocity
        if mistake == "gradient added":
            velocity = tuple(mu * V + alpha * dP for V, dP in zip(velocity, grads))
        elif mistake == "V not decayed":
            velocity = tuple(V - alpha * dP for V, dP in zip(velocity, grads))
        else:
            velocity = tuple(mu * V - alpha * dP for V, dP in zip(velocity, grads))
        step = old if mistake == "old velocity" else velocity
        sign = -1 if mistake == "P - V" else 1
        return tuple(P + sign * V for P, V in zip(params, step)), velocity
    return momentum_step_with_a_mistake


def confusion(mistake):
    def confusion_matrix_with_a_mistake(y, A2):
        predictions = A2.argmax(axis=1 if mistake == "argmax axis=1" else 0)
        C = np.zeros((10, 10), dtype=np.int64)
        if mistake == "+= drops repeats":
            C[y, predictions] += 1
        else:
            np.add.at(C, (y, predictions), 1)
        return C.T if mistake == "transposed" else C
    return confusion_matrix_with_a_mistake


def forward_in_the_order(*order):
    def forward_prop_wrong_order(W1, b1, W2, b2, X):
        out = dict(zip(("Z1", "A1", "Z2", "A2"), forward_prop(W1, b1, W2, b2, X)))
        return tuple(out[name] for name in order)
    return forward_prop_wrong_order


def forward_flat_bias(W1, b1, W2, b2, X):  # the slip of 02's cell on shapes: a (10,) bias
    Z1 = W1 @ X + b1.ravel()
    A1 = relu(Z1)
    Z2 = W2 @ A1 + b2
    return Z1, A1, Z2, softmax(Z2)


def backward_in_the_order(*order):
    def backward_prop_wrong_order(Z1, A1, Z2, A2, W1, W2, X, Y):
        out = dict(zip(("dW1", "db1", "dW2", "db2"), backward_prop(Z1, A1, Z2, A2, W1, W2, X, Y)))
        return tuple(out[name] for name in order)
    return backward_prop_wrong_order


m = 1000  # a notebook's global m, which the wrong backward_prop below uses


def backward_global_m(Z1, A1, Z2, A2, W1, W2, X, Y):
    dZ2 = A2 - Y
    dZ1 = W2.T @ dZ2 * (Z1 > 0)
    return (1 / m * dZ1 @ X.T, 1 / m * dZ1.sum(axis=1, keepdims=True), 1 / m * dZ2 @ A1.T,
            1 / m * dZ2.sum(axis=1, keepdims=True))


def backward_mean_and_1_over_m(Z1, A1, Z2, A2, W1, W2, X, Y):
    n = X.shape[1]
    dZ2 = A2 - Y
    dZ1 = W2.T @ dZ2 * (Z1 > 0)
    return dZ1 @ X.T / n, dZ1.mean(axis=1, keepdims=True) / n, dZ2 @ A1.T / n, dZ2.mean(axis=1, keepdims=True) / n


def backward_all_twice(Z1, A1, Z2, A2, W1, W2, X, Y):
    return tuple(g / X.shape[1] for g in backward_prop(Z1, A1, Z2, A2, W1, W2, X, Y))


def backward_Z1_for_A1(Z1, A1, Z2, A2, W1, W2, X, Y):
    dW1, db1, _, db2 = backward_prop(Z1, A1, Z2, A2, W1, W2, X, Y)
    return dW1, db1, (A2 - Y) @ Z1.T / X.shape[1], db2


def backward_in_place(Z1, A1, Z2, A2, W1, W2, X, Y):
    n = X.shape[1]
    dZ2 = A2
    dZ2 -= Y  # overwrites the caller's A2
    dZ1 = W2.T @ dZ2
    dZ1 *= Z1 > 0
    return dZ1 @ X.T / n, dZ1.sum(axis=1, keepdims=True) / n, dZ2 @ A1.T / n, dZ2.sum(axis=1, keepdims=True) / n


def update_in_the_order(*order):
    def update_params_wrong_order(W1, b1, W2, b2, dW1, db1, dW2, db2, alpha):
        out = dict(zip(("W1", "b1", "W2", "b2"), update_params(W1, b1, W2, b2, dW1, db1, dW2, db2, alpha)))
        return tuple(out[name] for name in order)
    return update_params_wrong_order


def update_in_place(W1, b1, W2, b2, dW1, db1, dW2, db2, alpha):
    W1 -= alpha * dW1
    b1 -= alpha * db1
    W2 -= alpha * dW2
    b2 -= alpha * db2
    return W1, b1, W2, b2


def momentum_in_place(params, velocity, grads, alpha, mu):
    for P, V, dP in zip(params, velocity, grads):
        V *= mu
        V -= alpha * dP
        P += V
    return params, velocity


def softmax_sum_without_axis(Z):
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / np.sum(E)


def confusion_float(y, A2):
    C = np.zeros((10, 10))
    np.add.at(C, (y, A2.argmax(axis=0)), 1)
    return C


def confusion_sized_by_the_data(y, A2):
    predictions = A2.argmax(axis=0)
    k = max(y.max(), predictions.max()) + 1
    C = np.zeros((k, k), dtype=int)
    np.add.at(C, (y, predictions), 1)
    return C


MISTAKES = [  # (check, wrong function, words the diagnosis must contain)
    (check_one_hot, one_hot_transposed, ["transposed", "10 × m"]),
    (check_one_hot, one_hot_max_plus_one, ["y.max() + 1", "10 classes"]),
    (check_one_hot, one_hot_as_the_seed, ["m × (y.max() + 1) = (5, 6)", "transposed", "10 × m"]),
    (check_one_hot, one_hot_no_return, ["returns None", "return"]),
    (check_softmax, softmax_naive, ["NaN or inf at large logits", "Z.max(axis=0, keepdims=True)"]),
    (check_softmax, softmax_rows, ["wrong axis", "axis=0"]),
    (check_softmax, softmax_global_max, ["whole matrix", "each column's own maximum"]),
    (check_softmax, softmax_row_max, ["each row's maximum", "axis=0"]),
    (check_softmax, softmax_in_place, ["in place"]),
    (check_forward_prop, forward("no b1"), ["Z1 misses the bias"]),
    (check_forward_prop, forward("no relu"), ["A1 is Z1", "np.maximum(Z1, 0)"]),
    (check_forward_prop, forward("Z1 for A1"), ["Z2 uses Z1", "W2 @ A1 + b2"]),
    (check_forward_prop, forward("naive softmax"), ["A2 has NaN or inf at large logits"]),
    (check_forward_prop, forward("rows"), ["A2 is normalised along the wrong axis"]),
    (check_forward_prop, forward("transposed"), ["transposed"]),
    (check_forward_prop, forward("only A2"), ["expected 4", "return Z1, A1, Z2, A2"]),
    (check_backward_prop, backward("scalar bias"), ["db1", "db2", "is one number", "keepdims=True"]),
    (check_backward_prop, backward("no keepdims"), ["db2", "(10,)", "10 × 10", "keepdims=True"]),
    (check_backward_prop, backward("no 1/m"), ["dW1, db1, dW2, db2: missing 1/m", "m = 20 times"]),
    (check_backward_prop, backward("784"), ["X.shape[0] = 784", "m = X.shape[1]"]),
    (check_backward_prop, backward("W2 @ dZ2"), ["dW1, db1: uses W2 @ dZ2", "W2.T @ dZ2"]),
    (check_backward_prop, backward("no relu'"), ["dW1, db1: misses ReLU'(Z1)", "(Z1 > 0)"]),
    (check_backward_prop, backward("sign"), ["wrong sign", "A2 - Y"]),
    (check_backward_prop, backward("dW2 transposed"), ["dW2: is transposed", "dZ2 @ A1.T"]),
    (check_update_params, update(sign=+1.0), ["W1, b1, W2, b2: moves uphill", "W - alpha * dW"]),
    (check_update_params, update(fixed_alpha=1.0), ["ignores alpha"]),
    (check_update_params, update(fixed_alpha=0.1), ["alpha = 0.1, not with the alpha passed in (0.5)"]),
    (check_update_params, update(keep_b1=True), ["b1: is returned unchanged"]),
    (check_update_params, update(flat_db=True), ["b1: has become 10 × 10"]),
    (check_momentum_step, momentum("gradient added"), ["adds the gradient", "momentum * V - alpha * dP"]),
    (check_momentum_step, momentum("V not decayed"), ["keeps the whole old velocity"]),
    (check_momentum_step, momentum("P - V"), ["steps against the velocity", "P := P + V"]),
    (check_momentum_step, momentum("old velocity"), ["steps with the old velocity"]),
    (check_confusion_matrix, confusion("argmax axis=1"), ["argmax along axis=1", "A2.argmax(axis=0)"]),
    (check_confusion_matrix, confusion("transposed"), ["C is transposed"]),
    (check_confusion_matrix, confusion("+= drops repeats"), ["at most once", "np.add.at"]),
    (check_forward_prop, forward_in_the_order("A1", "Z1", "A2", "Z2"),
     ["returns A1, Z1, A2, Z2: the right arrays in the wrong order; return Z1, A1, Z2, A2"]),
    (check_forward_prop, forward_flat_bias, ["a (10,) bias broadcasts wrongly", "keep b1 a (10, 1) column"]),
    (check_backward_prop, backward_in_the_order("dW2", "db2", "dW1", "db1"),
     ["returns dW2, db2, dW1, db1: the right arrays in the wrong order; return dW1, db1, dW2, db2"]),
    (check_backward_prop, backward_global_m,
     ["every gradient is 0.02 times the right one, as if m were 1000", "m X.shape[1]", "20 here"]),
    (check_backward_prop, backward_mean_and_1_over_m, ["db1, db2: divides by m twice", ".mean"]),
    (check_backward_prop, backward_all_twice, ["every gradient is 1/m = 0.05 times", "divides by m twice"]),
    (check_backward_prop, backward_Z1_for_A1, ["dW2: uses Z1 where the spec has A1", "dZ2 @ A1.T"]),
    (check_backward_prop, backward_in_place, ["changes its input A2 in place", "dZ2 = A2 - Y"]),
    (check_update_params, update_in_the_order("W1", "W2", "b1", "b2"),
     ["returns W1, W2, b1, b2: the right arrays in the wrong order; return W1, b1, W2, b2"]),
    (check_update_params, update_in_place,
     ["changes its inputs W1, b1, W2, b2 in place (W1 -= alpha * dW1)", "W1 = W1 - alpha * dW1"]),
    (check_momentum_step, momentum_in_place,
     ["changes its inputs params (W1, b1, W2, b2), velocity (W1, b1, W2, b2) in place",
      "V = momentum * V - alpha * dP, then P = P + V"]),
    (check_softmax, softmax_sum_without_axis, ["divides by the sum over the whole matrix", "axis=0, keepdims=True"]),
    (check_confusion_matrix, confusion_float, ["C holds float64 numbers", "integers", "dtype=int"]),
    (check_confusion_matrix, confusion_sized_by_the_data,
     ["C is 9 × 9", "digit 9 as label or prediction", "np.zeros((10, 10)"]),
]


@pytest.mark.parametrize("check, function, words", MISTAKES,
                         ids=[f"{c.__name__}-{f.__name__}-{w[0][:24]}" for c, f, w in MISTAKES])
def test_a_classic_mistake_is_named(check, function, words, capsys):
    verdict, lines = run(check, function, capsys)
    assert verdict is False
    assert lines and all(line.startswith("✗ ") for line in lines), lines
    text = "\n".join(lines)
    for word in words:
        assert word in text, f"{word!r} not in:\n{text}"
    assert "Traceback" not in text


def my_confusion_matrix(y, A2):
    return confusion_matrix(y, get_predictions(A2))


REFERENCES = [(check_one_hot, one_hot), (check_softmax, softmax), (check_forward_prop, forward_prop),
              (check_backward_prop, backward_prop), (check_update_params, update_params),
              (check_momentum_step, momentum_step), (check_confusion_matrix, my_confusion_matrix)]


@pytest.mark.parametrize("check, function", REFERENCES, ids=[c.__name__ for c, _ in REFERENCES])
def test_the_reference_passes(check, function, capsys):
    verdict, lines = run(check, function, capsys)
    assert verdict is True
    assert len(lines) == 1 and lines[0].startswith(f"✓ {function.__name__} passes"), lines


@pytest.mark.parametrize("check", [c for c, _ in REFERENCES], ids=[c.__name__ for c, _ in REFERENCES])
def test_not_written_yet(check, capsys):
    verdict, lines = run(check, not_written, capsys)
    assert verdict is False
    assert lines == ["… not_written is not written yet: replace `raise NotImplementedError()` with your code, "
                     "run its cell, then this one"]


def test_a_helper_not_written_yet_is_named(capsys):
    def my_softmax(Z):
        raise NotImplementedError()

    def my_forward_prop(W1, b1, W2, b2, X):
        Z1 = W1 @ X + b1
        Z2 = W2 @ relu(Z1) + b2
        return Z1, relu(Z1), Z2, my_softmax(Z2)

    verdict, lines = run(check_forward_prop, my_forward_prop, capsys)
    assert verdict is False
    assert lines == ["… my_forward_prop calls my_softmax, which is not written yet: write my_softmax first "
                     "(or use the helpers' version)"]


def test_another_exception_is_one_line_not_a_traceback(capsys):
    def softmax_with_an_index_error(Z):
        return softmax(Z)[:, :, 0]

    verdict, lines = run(check_softmax, softmax_with_an_index_error, capsys)
    assert verdict is False
    assert len(lines) == 1  # NumPy's own message follows, in the words of the installed version
    assert lines[0].startswith("✗ softmax_with_an_index_error raised IndexError on Z of shape (10, 10): too many")


def test_a_broadcast_error_gets_a_hint(capsys):
    def softmax_with_a_shape_error(Z):
        return softmax(Z) + np.ones(3)  # (10, 10) + (3,): NumPy refuses to broadcast

    verdict, lines = run(check_softmax, softmax_with_a_shape_error, capsys)
    assert verdict is False and len(lines) == 1
    assert lines[0].startswith("✗ softmax_with_a_shape_error raised ValueError on Z of shape (10, 10): operands")
    assert "keepdims=True?" in lines[0]


def test_passing_a_result_instead_of_the_function(capsys):
    verdict, lines = run(check_softmax, softmax(np.zeros((10, 2))), capsys)
    assert verdict is False and "pass the function itself" in lines[0]


def test_the_output_is_deterministic(capsys):
    first = run(check_backward_prop, backward("no relu'"), capsys)
    _backward_inputs.cache_clear()  # recomputed from the same seeds: the same words
    assert run(check_backward_prop, backward("no relu'"), capsys) == first


def test_the_gradient_check_inputs_are_a_fair_test():
    """Finite differences are exact only away from ReLU's corner; ReLU' and W2.T matter only if..."""
    params, X, Y, (Z1, A1, Z2, A2), _, numeric = _backward_inputs()
    assert np.abs(Z1).min() > 100 * 1e-5  # no Z1 within a nudge of 0
    assert 0.2 < (Z1 > 0).mean() < 0.8  # units off for some images: a missing ReLU' changes dZ1
    assert not np.allclose(params[2], params[2].T)  # W2 not symmetric: W2 @ dZ2 differs from W2.T @ dZ2
    grads = backward_prop(Z1, A1, Z2, A2, params[0], params[2], X, Y)
    assert np.allclose(numeric[3], grads[3], rtol=1e-6, atol=1e-9)  # the differences agree with the reference


def test_the_flat_bias_is_named_on_10_images_too(capsys):
    from helpers.checks import _FLAT_BIAS, _fixed_inputs, _forward_case
    params, X, _ = _fixed_inputs()
    assert _forward_case(params, X[:, :10])(forward_flat_bias) == [_FLAT_BIAS.format(b="b1")]  # no error at m = 10


def test_a_momentum_step_in_place_leaves_the_shared_inputs_intact(capsys):
    from helpers.checks import _update_inputs
    before = [tuple(a.copy() for a in group) for group in _update_inputs()]
    run(check_momentum_step, momentum_in_place, capsys)
    run(check_update_params, update_in_place, capsys)
    after = _update_inputs()
    assert all(np.array_equal(a, b) for g, h in zip(before, after) for a, b in zip(g, h))
    assert run(check_momentum_step, momentum_step, capsys)[0] is True  # the next check still sees the right inputs


def test_the_columns_message_says_axis_and_keepdims():
    from helpers.checks import _softmax_problem
    Z = np.random.default_rng(0).normal(0, 1, (10, 4))
    assert "sum along axis=0 with keepdims=True" in _softmax_problem(Z, 2 * softmax(Z))


# ---------------------------------------------------------------- transfer exercises: 05's range test, 06's Nesterov

def verdict_of(check, function, capsys):
    """A check's verdict whether it returns False or raises an AssertionError on failure; and its printed lines."""
    try:
        verdict = check(function) is not False
    except AssertionError:
        verdict = False
    return verdict, capsys.readouterr().out.splitlines()


def range_test(mistake):
    from helpers import backward_prop, cross_entropy_loss, forward_prop, update_params

    def lr_range_test_with_a_mistake(params, X, Y, alphas):
        start, losses = params, []
        for alpha in alphas:
            if mistake == "restart":
                params = start
            Z1, A1, Z2, A2 = forward_prop(*params, X)
            if mistake == "before":
                losses.append(cross_entropy_loss(A2, Y))
            grads = backward_prop(Z1, A1, Z2, A2, params[0], params[2], X, Y)
            step = alphas[0] if mistake == "first alpha" else alpha
            params = update_params(*params, *grads, -step if mistake == "uphill" else step)
            if mistake != "before":
                losses.append(cross_entropy_loss(forward_prop(*params, X)[3], Y))
        if mistake == "start too":
            losses.insert(0, cross_entropy_loss(forward_prop(*start, X)[3], Y))
        return None if mistake == "no return" else losses
    return lr_range_test_with_a_mistake


def nesterov(mistake):
    def nesterov_step_with_a_mistake(params, velocity, gradient, alpha, mu):
        if mistake == "gradient at P":
            point = params
        elif mistake == "gradient at P + V":
            point = tuple(P + V for P, V in zip(params, velocity))
        else:
            point = tuple(P + mu * V for P, V in zip(params, velocity))
        sign = 1.0 if mistake == "gradient added" else -1.0
        new_velocity = tuple(mu * V + sign * alpha * g for V, g in zip(velocity, gradient(point)))
        start = point if mistake == "from the look-ahead" else params
        step = velocity if mistake == "old velocity" else new_velocity
        return tuple(P + V for P, V in zip(start, step)), new_velocity
    return nesterov_step_with_a_mistake


TRANSFER_MISTAKES = [
    (check_lr_range_test, range_test("before"), ["records the loss before each step"]),
    (check_lr_range_test, range_test("restart"), ["starts every step from the first parameters"]),
    (check_lr_range_test, range_test("first alpha"), ["steps with alphas[0]", "step i uses alphas[i]"]),
    (check_lr_range_test, range_test("uphill"), ["moves uphill", "W := W - alpha * dW"]),
    (check_lr_range_test, range_test("start too"), ["returns 11 losses for 10 alphas"]),
    (check_lr_range_test, range_test("no return"), ["returns None", "return losses"]),
    (check_nesterov_step, nesterov("gradient at P"), ["takes the gradient at P,", "P + momentum * V"]),
    (check_nesterov_step, nesterov("gradient at P + V"), ["takes the gradient at P + V"]),
    (check_nesterov_step, nesterov("gradient added"), ["adds the gradient"]),
    (check_nesterov_step, nesterov("from the look-ahead"), ["steps from the look-ahead"]),
    (check_nesterov_step, nesterov("old velocity"), ["steps with the old velocity"]),
]


@pytest.mark.parametrize("check, function, words", TRANSFER_MISTAKES,
                         ids=[f"{c.__name__}-{w[0][:24]}" for c, f, w in TRANSFER_MISTAKES])
def test_a_transfer_mistake_is_named(check, function, words, capsys):
    verdict, lines = verdict_of(check, function, capsys)
    assert verdict is False
    text = "\n".join(lines)
    assert lines and lines[0].startswith("✗ ") and "Traceback" not in text, text
    for word in words:
        assert word in text, f"{word!r} not in:\n{text}"


def test_the_transfer_references_pass(capsys):
    from helpers import lr_range_test, nesterov_step

    for check, function in ((check_lr_range_test, lr_range_test), (check_nesterov_step, nesterov_step)):
        verdict, lines = verdict_of(check, function, capsys)
        assert verdict is True and len(lines) == 1 and lines[0].startswith(f"✓ {function.__name__} passes"), lines


def test_the_gradient_of_the_nesterov_check_wants_the_whole_tuple(capsys):
    def per_array(params, velocity, gradient, alpha, mu):
        return params, tuple(gradient(P) for P in params)

    verdict, lines = verdict_of(check_nesterov_step, per_array, capsys)
    assert verdict is False and "call it once, on the look-ahead tuple" in lines[0]


def test_nesterov_with_momentum_zero_is_a_plain_step():
    from helpers import nesterov_step
    from helpers.checks import _nesterov_inputs

    params, velocity, gradient = _nesterov_inputs()
    new, _ = nesterov_step(params, velocity, gradient, 0.1, 0.0)
    assert all(np.allclose(n, P - 0.1 * g) for n, P, g in zip(new, params, gradient(params)))

"""The checks of helpers.checks: the reference passes, every classic mistake is named, no traceback leaks.

Each wrong implementation below makes one mistake on purpose; the test asserts that the check prints the
diagnosis of that mistake (and its fix), on one line per finding, then raises CheckFailed; a right answer
gets the pass line and None.
"""

import numpy as np
import pytest

from helpers import (
    CheckFailed,
    backward_prop,
    check_backward_prop,
    check_confusion_matrix,
    check_forward_prop,
    check_l2_gradients,
    check_lr_range_test,
    check_momentum_step,
    check_nesterov_step,
    check_one_hot,
    check_softmax,
    check_stopping_point,
    check_update_params,
    confusion_matrix,
    forward_prop,
    get_predictions,
    l2_gradients,
    momentum_step,
    one_hot,
    relu,
    softmax,
    update_params,
)
from helpers.checks import _backward_inputs


def run(check, function, capsys):
    """Run a check; return its verdict (None: passed; the CheckFailed it raised) and its printed lines."""
    try:
        verdict = check(function)
    except CheckFailed as failed:
        verdict = failed
        assert failed.findings == capsys.readouterr().out.splitlines()  # what it printed, in its own words
        return verdict, failed.findings
    return verdict, capsys.readouterr().out.splitlines()


def failed(verdict):
    return isinstance(verdict, CheckFailed)


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


def update(sign=-1.0, fixed_alpha=None, keep_b1=False, flat_db=False, swap_2=False):
    def update_params_with_a_mistake(W1, b1, W2, b2, dW1, db1, dW2, db2, alpha):
        a = sign * (alpha if fixed_alpha is None else fixed_alpha)
        new_b1 = b1 if keep_b1 else b1 + a * (db1.ravel() if flat_db else db1)
        if swap_2:  # dW2 and db2 swapped
            dW2, db2 = db2, dW2
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


def l2(mistake):
    def l2_gradients_with_a_mistake(grads, params, weight_decay):
        (dW1, db1, dW2, db2), (W1, b1, W2, b2) = grads, params
        c = {"half": weight_decay / 2, "twice": 2 * weight_decay, "minus": -weight_decay,
             "hard-coded": 1e-3}.get(mistake, weight_decay)
        if mistake == "biases":
            db1, db2 = db1 + c * b1, db2 + c * b2
        if mistake == "penalty only":
            return c * W1, db1, c * W2, db2
        return dW1 + c * W1, db1, (dW2 if mistake == "no W2" else dW2 + c * W2), db2
    return l2_gradients_with_a_mistake


def l2_in_place(grads, params, weight_decay):
    dW1, db1, dW2, db2 = grads
    dW1 += weight_decay * params[0]
    dW2 += weight_decay * params[2]
    return dW1, db1, dW2, db2


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
    (check_update_params, update(swap_2=True), ["W2: steps by db2, the gradient of b2", "b2: steps by dW2",
                                                "b2 := b2 - alpha * db2"]),
    (check_momentum_step, momentum("gradient added"), ["adds the gradient (0.9 V + 0.1 dP)", "0.9 V - 0.1 dP"]),
    (check_momentum_step, momentum("V not decayed"), ["keeps the whole old velocity"]),
    (check_momentum_step, momentum("P - V"), ["steps against the velocity", "P := P + V"]),
    (check_momentum_step, momentum("old velocity"), ["steps with the old velocity"]),
    (check_l2_gradients, l2("half"), ["dW1, dW2: adds weight_decay/2", "the 2 of w^2 cancels the 1/2"]),
    (check_l2_gradients, l2("twice"), ["dW1, dW2: adds 2 weight_decay times the weight", "not 2 lambda w"]),
    (check_l2_gradients, l2("minus"), ["subtracts weight_decay times the weight", "+lambda w"]),
    (check_l2_gradients, l2("hard-coded"), ["adds 0.001 times the weight, not the weight_decay passed in (0.1)"]),
    (check_l2_gradients, l2("biases"), ["db1, db2: adds a penalty on the bias", "only the weights"]),
    (check_l2_gradients, l2("no W2"), ["dW2: is returned unchanged: the weights are in the penalty"]),
    (check_l2_gradients, l2("penalty only"), ["dW1, dW2: drops the loss's own gradient"]),
    (check_l2_gradients, l2_in_place,
     ["changes its input grads (dW1, dW2) in place (dW1 += weight_decay * W1)", "dW1 = dW1 + weight_decay * W1"]),
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
    assert failed(verdict)
    assert lines and all(line.startswith("✗ ") for line in lines), lines
    text = "\n".join(lines)
    for word in words:
        assert word in text, f"{word!r} not in:\n{text}"
    assert "Traceback" not in text


def my_confusion_matrix(y, A2):
    return confusion_matrix(y, get_predictions(A2))


REFERENCES = [(check_one_hot, one_hot), (check_softmax, softmax), (check_forward_prop, forward_prop),
              (check_backward_prop, backward_prop), (check_update_params, update_params),
              (check_l2_gradients, l2_gradients),
              (check_momentum_step, momentum_step), (check_confusion_matrix, my_confusion_matrix)]


@pytest.mark.parametrize("check, function", REFERENCES, ids=[c.__name__ for c, _ in REFERENCES])
def test_the_reference_passes(check, function, capsys):
    verdict, lines = run(check, function, capsys)
    assert verdict is None
    assert len(lines) == 1 and lines[0].startswith(f"✓ {function.__name__} passes"), lines


@pytest.mark.parametrize("check", [c for c, _ in REFERENCES], ids=[c.__name__ for c, _ in REFERENCES])
def test_not_written_yet(check, capsys):
    verdict, lines = run(check, not_written, capsys)
    assert failed(verdict)
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
    assert failed(verdict)
    assert lines == ["… my_forward_prop calls my_softmax, which is not written yet: write my_softmax first "
                     "(or use the helpers' version)"]


def test_another_exception_is_one_line_not_a_traceback(capsys):
    def softmax_with_an_index_error(Z):
        return softmax(Z)[:, :, 0]

    verdict, lines = run(check_softmax, softmax_with_an_index_error, capsys)
    assert failed(verdict)
    assert len(lines) == 1  # NumPy's own message follows, in the words of the installed version
    assert lines[0].startswith("✗ softmax_with_an_index_error raised IndexError on Z of shape (10, 10): too many")


def test_an_error_the_check_cannot_name_gets_no_hint(capsys):
    """No generic 'axis=1 ... keepdims' or 'missing .T' hint: it would point elsewhere than the cause."""
    def softmax_with_a_shape_error(Z):
        return softmax(Z) + np.ones(3)  # (10, 10) + (3,): NumPy refuses to broadcast

    verdict, lines = run(check_softmax, softmax_with_a_shape_error, capsys)
    assert failed(verdict) and len(lines) == 1
    assert lines[0].startswith("✗ softmax_with_a_shape_error raised ValueError on Z of shape (10, 10): operands")
    assert "keepdims" not in lines[0] and "missing .T" not in lines[0] and not lines[0].endswith("?)")


def test_passing_a_result_instead_of_the_function(capsys):
    verdict, lines = run(check_softmax, softmax(np.zeros((10, 2))), capsys)
    assert failed(verdict) and "pass the function itself" in lines[0]


def test_the_output_is_deterministic(capsys):
    first, lines = run(check_backward_prop, backward("no relu'"), capsys)
    _backward_inputs.cache_clear()  # recomputed from the same seeds: the same words
    again, lines_again = run(check_backward_prop, backward("no relu'"), capsys)
    assert (str(again), lines_again) == (str(first), lines)


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
    assert run(check_momentum_step, momentum_step, capsys)[0] is None  # the next check still sees the right inputs


def test_the_columns_message_says_axis_and_keepdims():
    from helpers.checks import _softmax_problem
    Z = np.random.default_rng(0).normal(0, 1, (10, 4))
    assert "sum along axis=0 with keepdims=True" in _softmax_problem(Z, 2 * softmax(Z))


# ---------------------------------------------------------------- transfer exercises of 01 and 02

def passed_and_lines(check, function, capsys):
    """(passed, printed lines): a check that returns False or raises an AssertionError (CheckFailed) fails."""
    try:
        passed = check(function) is not False
    except AssertionError:
        passed = False
    return passed, capsys.readouterr().out.splitlines()


def digit_means_reference(X, y):
    from helpers.plots import digit_means
    return digit_means(X, y)


def digit_means_with_one_hot(X, y):  # correct but unusual: a matrix product with the one-hot labels
    Y = one_hot(y)
    return X @ Y.T / Y.sum(axis=1)


def digit_means_loop(X, y):  # correct, a loop over the images
    M, n = np.zeros((784, 10)), np.zeros(10)
    for i in range(y.size):
        M[:, y[i]] += X[:, i]
        n[y[i]] += 1
    return M / n


def digit_means_mistake(mistake):
    def digit_means_with_a_mistake(X, y):
        if mistake == "rows":
            return np.stack([X[y == k].mean(axis=0) for k in range(10)], axis=1)
        if mistake == "axis=0":
            return np.stack([X[:, y == k].mean(axis=0) for k in range(10)], axis=1)
        if mistake == "axis=0 into M":
            M = np.zeros((784, 10))
            for k in range(10):
                M[:, k] = X[:, y == k].mean(axis=0)
            return M
        if mistake == "no axis":
            M = np.zeros((784, 10))
            for k in range(10):
                M[:, k] = np.mean(X[:, y == k])
            return M
        if mistake == "in place":
            X /= 255
            return np.stack([X[:, y == k].mean(axis=1) for k in range(10)], axis=1) * 255
        digits = range(9) if mistake == "range(9)" else range(10)
        if mistake == "sum":
            columns = [X[:, y == k].sum(axis=1) for k in digits]
        elif mistake == "divide by m":
            columns = [X[:, y == k].sum(axis=1) / y.size for k in digits]
        elif mistake == "all images":
            columns = [X.mean(axis=1) for k in digits]
        elif mistake == "by 255":
            columns = [X[:, y == k].mean(axis=1) / 255 for k in digits]
        elif mistake == "order of appearance":  # digits in the order they first appear in y
            columns = [X[:, y == k].mean(axis=1) for k in dict.fromkeys(y.tolist())]
        else:
            columns = [X[:, y == k].mean(axis=1) for k in digits]
        if mistake == "no return":
            return None
        return np.stack(columns, axis=0 if mistake == "transposed" else 1)
    return digit_means_with_a_mistake


def leaky_reference(Z, slope):
    return np.where(Z > 0, Z, slope * Z)


def leaky_maximum(Z, slope):  # correct for 0 < slope < 1
    return np.maximum(Z, slope * Z)


def leaky_by_masks(Z, slope):  # correct: ReLU plus the negative part
    return relu(Z) + slope * np.minimum(Z, 0)


def leaky_mistake(mistake):
    def leaky_relu_with_a_mistake(Z, slope):
        if mistake == "np.max":
            return np.max(Z, slope * Z)
        if mistake == "np.max of a list":
            return np.max([Z, slope * Z])
        if mistake == "python max":
            return max(Z, slope * Z)
        if mistake == "if":
            if Z > 0:
                return Z
            return slope * Z
        if mistake == "relu":
            return np.maximum(Z, 0)
        if mistake == "slope on the positive side":
            return np.where(Z > 0, slope * Z, Z)
        if mistake == "typed-in slope":
            return np.where(Z > 0, Z, 0.01 * Z)
        if mistake == "sign":
            return np.where(Z > 0, Z, -slope * Z)
        if mistake == "derivative":
            return np.where(Z > 0, 1.0, slope)
        if mistake == "in place":
            Z[Z < 0] *= slope
            return Z
        if mistake == "flat":
            return np.concatenate([Z[Z > 0], slope * Z[Z <= 0]])
        return None  # "no return"
    return leaky_relu_with_a_mistake


TRANSFER_MISTAKES = [  # (check, wrong function, words the diagnosis must contain)
    ("check_digit_means", digit_means_mistake("rows"), ["IndexError", "X[y == k] picks rows", "X[:, y == k]"]),
    ("check_digit_means", digit_means_mistake("transposed"), ["10 × 784", "784 × 10", "axis=1"]),
    ("check_digit_means", digit_means_mistake("range(9)"), ["9 columns", "range(10)"]),
    ("check_digit_means", digit_means_mistake("sum"), ["adds the images of each digit up", "divide column k"]),
    ("check_digit_means", digit_means_mistake("divide by m"), ["divides each sum by m = 43", "number of images"]),
    ("check_digit_means", digit_means_mistake("all images"), ["mean of all the images", "X[:, y == k]"]),
    ("check_digit_means", digit_means_mistake("by 255"), ["divided by 255 once more", "already in [0, 1]"]),
    ("check_digit_means", digit_means_mistake("order of appearance"), ["column 0 of M is the mean of digit",
                                                                       "order 0, 1, ..., 9"]),
    ("check_digit_means", digit_means_mistake("in place"), ["changes its input X in place"]),
    ("check_digit_means", digit_means_mistake("no return"), ["returns None", "return M"]),
    ("check_digit_means", digit_means_mistake("axis=0"), ["raised ValueError", "axis=0", "axis=1"]),
    ("check_digit_means", digit_means_mistake("axis=0 into M"), ["raised ValueError", "axis=0", "axis=1"]),
    ("check_digit_means", digit_means_mistake("no axis"), ["one number repeated", ".mean(axis=1)"]),
    ("check_leaky_relu", leaky_mistake("np.max"), ["raised TypeError", "np.max(a, b), it reads its second argument "
                                                   "as an axis", "np.maximum(a, b)"]),
    ("check_leaky_relu", leaky_mistake("np.max of a list"), ["returns one number", "entry by entry"]),
    ("check_leaky_relu", leaky_mistake("python max"), ["truth value", "Python's max(a, b)", "np.maximum(a, b)"]),
    ("check_leaky_relu", leaky_mistake("if"), ["truth value", "`if Z > 0:`"]),
    ("check_leaky_relu", leaky_mistake("relu"), ["gives 0 for Z < 0: that is ReLU", "slope = 0.1"]),
    ("check_leaky_relu", leaky_mistake("slope on the positive side"), ["multiplies the positive entries by the "
                                                                       "slope (0.1)", "negative side"]),
    ("check_leaky_relu", leaky_mistake("typed-in slope"), ["by 0.01, not by the slope passed in (0.1)"]),
    ("check_leaky_relu", leaky_mistake("sign"), ["-slope * Z", "keep the sign"]),
    ("check_leaky_relu", leaky_mistake("derivative"), ["returns 1 for Z > 0", "derivative"]),
    ("check_leaky_relu", leaky_mistake("in place"), ["changes its input Z in place (Z[Z < 0] *= slope)"]),
    ("check_leaky_relu", leaky_mistake("flat"), ["returns shape (70,), expected (10, 7)"]),
    ("check_leaky_relu", leaky_mistake("no return"), ["returns None", "return A"]),
]


@pytest.mark.parametrize("check_name, function, words", TRANSFER_MISTAKES,
                         ids=[f"{c}-{w[0][:30]}" for c, _, w in TRANSFER_MISTAKES])
def test_a_typical_transfer_mistake_is_named(check_name, function, words, capsys):
    import helpers.checks

    passed, lines = passed_and_lines(getattr(helpers.checks, check_name), function, capsys)
    assert not passed
    assert lines and all(line.startswith("✗ ") for line in lines), lines
    text = "\n".join(lines)
    for word in words:
        assert word in text, f"{word!r} not in:\n{text}"
    assert "Traceback" not in text


# ---------------------------------------------------------------- 08: recall and precision (transfer exercise)

def verdict_and_lines(check, function, capsys):
    """A check's verdict (passes: True) and printed lines, whether a failing check returns False or raises."""
    try:
        verdict = check(function)
    except AssertionError:  # a check that raises on failure (CheckFailed)
        verdict = False
    lines = capsys.readouterr().out.splitlines()
    return verdict is None or verdict is True, lines


def reference_recall_precision(C):
    from helpers import recall_precision
    return recall_precision(C)


def recall_precision_loops(C):  # correct, written differently: loops and lists
    recall = [C[k, k] / C[k, :].sum() for k in range(10)]
    precision = [C[k, k] / C[:, k].sum() for k in range(10)]
    return recall, precision


def recall_precision_with(mistake):
    def recall_precision_with_a_mistake(C):
        right = np.diag(C)
        rows, columns = C.sum(axis=1), C.sum(axis=0)
        if mistake == "swapped":
            return right / columns, right / rows
        if mistake == "keepdims":
            return right / C.sum(axis=1, keepdims=True), right / C.sum(axis=0, keepdims=True)
        if mistake == "total":
            return right / C.sum(), right / C.sum()
        if mistake == "counts":
            return right, right
        if mistake == "percent":
            return 100 * right / rows, 100 * right / columns
        if mistake == "integer division":
            return right // rows, right // columns
        if mistake == "accuracy":
            return np.trace(C) / C.sum()
        if mistake == "only recall":
            return right / rows
        if mistake == "error rate":
            return 1 - right / rows, 1 - right / columns
        if mistake == "precision by rows":
            return right / rows, right / rows
        if mistake == "in place":
            np.fill_diagonal(C, 0)
            return right / (C.sum(axis=1) + right), right / (C.sum(axis=0) + right)
        raise AssertionError(mistake)
    return recall_precision_with_a_mistake


RECALL_PRECISION_MISTAKES = [
    ("swapped", ["recall and precision are swapped", "C.sum(axis=1)", "return recall, precision"]),
    ("keepdims", ["recall has shape (10, 10)", "precision has shape (1, 10)", "without keepdims"]),
    ("total", ["recall divides by C.sum(), all m images", "C.sum(axis=1)", "C.sum(axis=0)"]),
    ("counts", ["recall is C[k, k], a count", "divide it by row k's sum"]),
    ("percent", ["in percent", "fractions from 0 to 1"]),
    ("integer division", ["integer division //", "divide with /"]),
    ("accuracy", ["that is the accuracy", "(10,) each"]),
    ("only recall", ["returns one array (recall)", "return recall, precision"]),
    ("error rate", ["1 minus the right value"]),
    ("precision by rows", ["precision divides by the row sums", "(axis=0: the images predicted k)"]),
    ("in place", ["changes its input C in place", "C.copy()"]),
]


@pytest.mark.parametrize("mistake, words", RECALL_PRECISION_MISTAKES, ids=[m for m, _ in RECALL_PRECISION_MISTAKES])
def test_recall_precision_mistakes_are_named(mistake, words, capsys):
    from helpers import check_recall_precision

    verdict, lines = verdict_and_lines(check_recall_precision, recall_precision_with(mistake), capsys)
    assert verdict is False
    assert lines and all(line.startswith("✗ ") for line in lines), lines
    text = "\n".join(lines)
    for word in words:
        assert word in text, f"{word!r} not in:\n{text}"
    assert "Traceback" not in text


TRANSFER_CORRECT = [("check_digit_means", f) for f in (digit_means_reference, digit_means_with_one_hot,
                                                       digit_means_loop)] + \
                   [("check_leaky_relu", f) for f in (leaky_reference, leaky_maximum, leaky_by_masks)]


@pytest.mark.parametrize("check_name, function", TRANSFER_CORRECT, ids=[f.__name__ for _, f in TRANSFER_CORRECT])
def test_a_correct_transfer_answer_passes(check_name, function, capsys):
    import helpers.checks

    passed, lines = passed_and_lines(getattr(helpers.checks, check_name), function, capsys)
    assert passed and len(lines) == 1 and lines[0].startswith(f"✓ {function.__name__} passes"), lines


@pytest.mark.parametrize("check_name", ["check_digit_means", "check_leaky_relu"])
def test_a_transfer_exercise_not_written_yet(check_name, capsys):
    import helpers.checks

    passed, lines = passed_and_lines(getattr(helpers.checks, check_name), not_written, capsys)
    assert not passed and lines[0].startswith("… not_written is not written yet"), lines


def test_the_helpers_references_of_the_transfer_exercises():
    from helpers import leaky_relu
    from helpers.plots import digit_means

    Z = np.array([[-2.0, 0.0, 3.0]])
    assert leaky_relu(Z, 0.1).tolist() == [[-0.2, 0.0, 3.0]] and leaky_relu(Z).tolist() == [[-0.02, 0.0, 3.0]]
    X = np.zeros((784, 12))
    X[5] = np.arange(12)
    y = np.arange(12) % 10
    M = digit_means(X, y)
    assert M.shape == (784, 10) and M[5].tolist() == [5, 6, 2, 3, 4, 5, 6, 7, 8, 9]
    with pytest.raises(ValueError, match=r"no image of digit\(s\) \[9\]"):
        digit_means(X[:, :9], y[:9])


# ---------------------------------------------------------------- transfer exercises of 03 and 04

def _a(z):
    return softmax(z)


def mse_a_minus_y(z, Y):  # cross-entropy's answer, or the derivative in a
    return _a(z) - Y


def mse_sigmoid_slope(z, Y):
    a = _a(z)
    return a * (1 - a) * (a - Y)


def mse_diagonal_only(z, Y):
    a = _a(z)
    return a * (a - Y)


def mse_inner_product(z, Y):  # a.T @ a, a (1, 1) number, where the outer product a @ a.T is meant
    a = _a(z)
    J = np.diag(a[:, 0]) - a.T @ a
    return J.T @ (a - Y)


def mse_inner_product_flat(z, Y):  # the same slip with a flat a: a @ a is a number too
    a = _a(z)[:, 0]
    J = np.diag(a) - a @ a
    return (J @ (a - Y[:, 0]))[:, None]


def mse_elementwise_with_J(z, Y):
    from helpers.variants import softmax_jacobian

    a = _a(z)
    return softmax_jacobian(a) * (a - Y)


def mse_no_half(z, Y):
    from helpers.variants import squared_error_gradient

    return 2 * squared_error_gradient(z, Y)


def mse_wrong_sign(z, Y):
    from helpers.variants import softmax_jacobian

    a = _a(z)
    return softmax_jacobian(a) @ (Y - a)


def mse_flat(z, Y):
    from helpers.variants import squared_error_gradient

    return squared_error_gradient(z, Y).ravel()


def mse_softmax_twice(z, Y):
    from helpers.variants import softmax_jacobian

    a = softmax(_a(z))
    return softmax_jacobian(a) @ (a - Y)


def mse_loops(z, Y):  # correct, written with loops over k and k' (no matrices)
    a = _a(z)[:, 0]
    out = np.zeros((10, 1))
    for k2 in range(10):
        out[k2, 0] = sum((a[k] - Y[k, 0]) * a[k] * ((k == k2) - a[k2]) for k in range(10))
    return out


def mse_einsum(z, Y):  # correct, with the Jacobian's transpose written out
    a = _a(z)
    J = np.diag(a[:, 0]) - a @ a.T
    return np.einsum("kj,kl->jl", J, a - Y)


def leaky_is_relu_slope(Z, leak=0.01):
    return (Z > 0).astype(float)


def leaky_values(Z, leak=0.01):
    return np.where(Z > 0, Z, leak * Z)


def leaky_hard_coded(Z, leak=0.01):
    return np.where(Z > 0, 1.0, 0.01)


def leaky_python_if(Z, leak=0.01):
    if Z > 0:
        return 1.0
    return leak


def leaky_minus(Z, leak=0.01):
    return np.where(Z > 0, 1.0, -leak)


def leaky_swapped(Z, leak=0.01):
    return np.where(Z > 0, leak, 1.0)


def leaky_no_leak_argument(Z):
    return np.where(Z > 0, 1.0, 0.01)


def leaky_np_max(Z, leak=0.01):
    return np.max(Z > 0, leak)


def leaky_mask_sum(Z, leak=0.01):  # correct, unusual: a boolean mask and its complement
    return (Z > 0) + leak * (Z <= 0)


def leaky_at_zero_one(Z, leak=0.01):  # correct: the right slope at the corner
    return np.where(Z >= 0, 1.0, leak)


BACKWARD_TRANSFER_MISTAKES = [
    ("squared", mse_a_minus_y, ["is a - Y", "through the softmax", "diag(a) - a aᵀ"]),
    ("squared", mse_sigmoid_slope, ["sigmoid's slope a (1 - a)", "all of J"]),
    ("squared", mse_diagonal_only, ["only diag(a)", "- a aᵀ part"]),
    ("squared", mse_inner_product, ["inner product a.T @ a", "outer product a @ a.T", "10 × 10"]),
    ("squared", mse_inner_product_flat, ["inner product a.T @ a", "np.outer(a, a)"]),
    ("squared", mse_elementwise_with_J, ["10 × 10", "`*` multiplies elementwise", "J @ (a - Y)"]),
    ("squared", mse_no_half, ["twice too large", "½"]),
    ("squared", mse_wrong_sign, ["wrong sign", "a - Y"]),
    ("squared", mse_flat, ["(10,)", "(10, 1)", "keep the column"]),
    ("squared", mse_softmax_twice, ["softmax twice"]),
    ("leaky", leaky_is_relu_slope, ["is ReLU'", "slope there is leak"]),
    ("leaky", leaky_values, ["values, not its slope"]),
    ("leaky", leaky_hard_coded, ["uses leak = 0.01 although leak = 0.2", "the argument leak"]),
    ("leaky", leaky_python_if, ["`if`", "no single truth value", "entry by entry"]),
    ("leaky", leaky_minus, ["- leak", "+ leak"]),
    ("leaky", leaky_swapped, ["swapped"]),
    ("leaky", leaky_no_leak_argument, ["f(Z, leak)", "second argument"]),
    ("leaky", leaky_np_max, ["leaky_np_max"]),
]


def transfer_check(kind):
    from helpers.checks import check_leaky_relu_derivative, check_squared_error_gradient

    return check_squared_error_gradient if kind == "squared" else check_leaky_relu_derivative


@pytest.mark.parametrize("kind, function, words", BACKWARD_TRANSFER_MISTAKES,
                         ids=[f.__name__ for _, f, _ in BACKWARD_TRANSFER_MISTAKES])
def test_a_backward_transfer_mistake_is_named(kind, function, words, capsys):
    verdict, lines = verdict_and_lines(transfer_check(kind), function, capsys)
    assert verdict is False
    assert lines and all(line.startswith("✗ ") for line in lines), lines
    text = "\n".join(lines)
    assert all(word in text for word in words), text
    assert "Traceback" not in text


@pytest.mark.parametrize("kind, function", [
    ("squared", "reference"), ("squared", mse_loops), ("squared", mse_einsum),
    ("leaky", "reference"), ("leaky", leaky_mask_sum), ("leaky", leaky_at_zero_one),
], ids=["mse-reference", "mse-loops", "mse-einsum", "leaky-reference", "leaky-mask-sum", "leaky-corner-1"])
def test_a_correct_backward_transfer_answer_passes(kind, function, capsys):
    from helpers import variants

    if function == "reference":
        function = variants.squared_error_gradient if kind == "squared" else variants.leaky_relu_derivative
    verdict, lines = verdict_and_lines(transfer_check(kind), function, capsys)
    assert verdict is True and len(lines) == 1 and lines[0].startswith(f"✓ {function.__name__} passes"), lines


def test_only_the_inner_product_slip_is_told_it_used_the_inner_product(capsys):
    from helpers.checks import check_squared_error_gradient

    _, lines = verdict_and_lines(check_squared_error_gradient, mse_diagonal_only, capsys)
    assert "inner product" not in "\n".join(lines) and "only diag(a)" in "\n".join(lines)


def test_the_squared_error_reference_agrees_with_central_differences():
    from helpers.checks import _squared_error_inputs
    from helpers.variants import squared_error_gradient

    for z, Y in _squared_error_inputs():
        def loss(z, Y=Y):
            return 0.5 * np.sum((softmax(z) - Y) ** 2)
        eye = np.eye(10)
        num = np.array([[(loss(z + 1e-6 * eye[:, [k]]) - loss(z - 1e-6 * eye[:, [k]])) / 2e-6] for k in range(10)])
        assert np.allclose(squared_error_gradient(z, Y), num, atol=1e-9)
    sure_and_wrong = _squared_error_inputs()[2]
    assert np.abs(squared_error_gradient(*sure_and_wrong)).max() < 0.05  # the case where squared error barely moves


def test_a_leaky_slope_that_fails_only_in_the_network_is_caught(capsys):
    """A slope right on the fixed points but wrong on other inputs is still caught by the network's gradient check."""
    def memorised(Z, leak=0.01):
        if Z.shape != (10, 5):  # the network's Z1 holds 5 images
            return np.where(Z > 0, 1.0, leak)
        return np.where(Z > 0, 1.0, 0.0)  # ReLU' there

    verdict, lines = verdict_and_lines(transfer_check("leaky"), memorised, capsys)
    assert verdict is False and "fail the gradient check" in "\n".join(lines), lines


# ---------------------------------------------------------------- the verdict: None, or CheckFailed in one line

def test_a_failed_check_raises_an_assertion_error_that_ipython_shows_in_one_line(capsys):
    verdict, lines = run(check_softmax, softmax_rows, capsys)
    assert isinstance(verdict, AssertionError)  # a failing check cell fails (nbgrader: no points)
    assert verdict._render_traceback_() == [
        "CheckFailed: softmax_rows does not pass yet: fix what the ✗ line says, run its cell, then this one"]
    verdict, _ = run(check_softmax, not_written, capsys)
    assert verdict._render_traceback_() == ["CheckFailed: not_written is not written yet"]


def test_a_passing_check_returns_none_after_its_pass_line(capsys):
    assert check_softmax(softmax) is None
    assert capsys.readouterr().out.count("\n") == 1


def test_in_a_kernel_a_check_cell_shows_its_findings_then_one_line(tmp_path):
    """What a student sees: IPython renders CheckFailed by its _render_traceback_, not as a traceback."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in [
        "import numpy as np\nfrom helpers import check_softmax, softmax",
        "def my_softmax(Z):\n    return np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)\n\ncheck_softmax(my_softmax)",
        "check_softmax(softmax)",
    ]])
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    printed, error = nb.cells[1].outputs
    assert printed.text.startswith("✗ my_softmax: A is normalised along the wrong axis")
    assert printed.text.count("\n") == 1
    assert (error.output_type, error.ename) == ("error", "CheckFailed")
    assert error.traceback == ["CheckFailed: my_softmax does not pass yet: fix what the ✗ line says, run its cell, "
                               "then this one"]
    [passed] = nb.cells[2].outputs  # the pass line, and no Out[] after it
    assert passed.output_type == "stream" and passed.text.startswith("✓ softmax passes")


# ---------------------------------------------------------------- real students' mistakes (issue 20), one each

def forward_with_relu(relu_function):
    def my_forward_prop(W1, b1, W2, b2, X):
        Z1 = W1 @ X + b1
        A1 = relu_function(Z1)
        Z2 = W2 @ A1 + b2
        return Z1, A1, Z2, softmax(Z2)
    return my_forward_prop


def relu_np_max(Z):
    return np.max(Z, 0)


def relu_np_max_two_arrays(Z):
    return np.max(0, Z)


def relu_np_max_of_a_list(Z):
    return np.max([Z, 0])


def relu_python_max(Z):
    return max(Z, 0)


def relu_if(Z):
    if Z > 0:
        return Z
    return 0


def forward_times_for_at(W1, b1, W2, b2, X):
    Z1 = W1 * X + b1
    A1 = relu(Z1)
    Z2 = W2 @ A1 + b2
    return Z1, A1, Z2, softmax(Z2)


def walkthrough_one_hot(Y):  # the classic walkthrough's one_hot, applied to a Y that is already one-hot
    one_hot_Y = np.zeros((Y.size, Y.max() + 1))
    one_hot_Y[np.arange(Y.size), Y] = 1
    return one_hot_Y.T


def backward_mistake(kind):
    def my_backward_prop(Z1, A1, Z2, A2, W1, W2, X, Y):
        m = X.shape[1]
        Y = {"one_hot(Y)": one_hot, "walkthrough one_hot(Y)": walkthrough_one_hot}.get(kind, np.asarray)(Y)
        dZ2 = A2 - Y
        if kind == "softmax slope":
            dZ2 = dZ2 * A2 * (1 - A2)
        dW2 = 1 / m * (dZ2 * A1.T if kind == "dZ2 * A1.T" else dZ2 @ A1.T)
        db2 = 1 / m * (np.sum(dZ2, axis=0) if kind == "db2 axis=0" else np.sum(dZ2, axis=1, keepdims=True))
        back = np.multiply(W2.T, dZ2) if kind == "np.multiply(W2.T, dZ2)" else W2.T @ dZ2
        slope = {"tanh": 1 - A1 ** 2, "sigmoid": A1 * (1 - A1)}.get(kind, Z1 > 0)
        dZ1 = np.dot(back, slope) if kind == "np.dot for ReLU'" else back * slope
        dW1 = 1 / m * dZ1 @ X.T
        db1 = 1 / m * (np.sum(dZ1, axis=0, keepdims=True) if kind == "db1 axis=0" else dZ1.sum(axis=1, keepdims=True))
        return dW1, db1, dW2, db2
    return my_backward_prop


def backward_relu_slope_with_if(Z1, A1, Z2, A2, W1, W2, X, Y):
    dZ2 = A2 - Y
    dZ1 = W2.T @ dZ2
    if Z1 <= 0:
        dZ1 = 0 * dZ1
    return backward_prop(Z1, A1, Z2, A2, W1, W2, X, Y)


def one_hot_rows_as_distinct_labels(y):
    Y = np.zeros((np.unique(y).size, y.size))
    Y[y, np.arange(y.size)] = 1
    return Y


def one_hot_rows_as_distinct_labels_ranked(y):
    digits = np.unique(y)
    Y = np.zeros((digits.size, y.size))
    Y[np.searchsorted(digits, y), np.arange(y.size)] = 1
    return Y


def momentum_from_the_parameters(params, velocity, grads, alpha, mu):
    velocity = tuple(mu * V - alpha * P for V, P in zip(velocity, params))
    return tuple(P + V for P, V in zip(params, velocity)), velocity


def momentum_pytorch_style(params, velocity, grads, alpha, mu):
    velocity = tuple(mu * V + dP for V, dP in zip(velocity, grads))
    return tuple(P - alpha * V for P, V in zip(params, velocity)), velocity


def momentum_moving_average(params, velocity, grads, alpha, mu):
    velocity = tuple(mu * V + (1 - mu) * dP for V, dP in zip(velocity, grads))
    return tuple(P - alpha * V for P, V in zip(params, velocity)), velocity


def momentum_swapped_return(params, velocity, grads, alpha, mu):
    new_params, new_velocity = momentum_step(params, velocity, grads, alpha, mu)
    return new_velocity, new_params


def momentum_unscaled_gradient(params, velocity, grads, alpha, mu):
    velocity = tuple(mu * V + dP for V, dP in zip(velocity, grads))
    return tuple(P + V for P, V in zip(params, velocity)), velocity


def update_by_the_parameters(W1, b1, W2, b2, dW1, db1, dW2, db2, alpha):
    return W1 - alpha * W1, b1 - alpha * b1, W2 - alpha * W2, b2 - alpha * b2


REAL_MISTAKES = [  # (check, wrong function, words the diagnosis must contain)
    (check_forward_prop, forward_with_relu(relu_np_max), ["A1 = np.max(Z1, 0)", "axis", "np.maximum(Z1, 0)"]),
    (check_forward_prop, forward_with_relu(relu_np_max_two_arrays), ["np.max(a, axis)", "np.maximum(Z, 0)"]),
    (check_forward_prop, forward_with_relu(relu_np_max_of_a_list), ["np.max(a, axis)", "np.maximum(Z, 0)"]),
    (check_forward_prop, forward_with_relu(relu_python_max), ["Python's max(Z, 0)", "np.maximum(Z, 0)"]),
    (check_forward_prop, forward_with_relu(relu_if), ["an `if`", "np.maximum(Z, 0)", "np.where(Z > 0, Z, 0)"]),
    (check_forward_prop, forward_times_for_at, ["W1 * X entry by entry", "Z1 = W1 @ X + b1"]),
    (check_backward_prop, backward_mistake("one_hot(Y)"), ["one-hot encodes Y again", "dZ2 = A2 - Y"]),
    (check_backward_prop, backward_mistake("walkthrough one_hot(Y)"), ["one-hot encodes Y again", "use Y as it is"]),
    (check_backward_prop, backward_mistake("db2 axis=0"), ["db2: has shape (20,), one number per image", "axis=1"]),
    (check_backward_prop, backward_mistake("db1 axis=0"), ["db1: has shape (1, 20)", "sums over the units"]),
    (check_backward_prop, backward_mistake("tanh"), ["dW1, db1: multiplies by tanh's slope 1 - A1²", "(Z1 > 0)"]),
    (check_backward_prop, backward_mistake("sigmoid"), ["sigmoid's slope A1 (1 - A1)", "(Z1 > 0)"]),
    (check_backward_prop, backward_mistake("softmax slope"), ["softmax's slope A2 (1 - A2) again", "dZ2 = A2 - Y"]),
    (check_backward_prop, backward_mistake("np.multiply(W2.T, dZ2)"), ["multiplies W2.T * dZ2", "(W2.T @ dZ2) *"]),
    (check_backward_prop, backward_mistake("np.dot for ReLU'"), ["ReLU'(Z1) with a matrix product", "entry by entry"]),
    (check_backward_prop, backward_mistake("dZ2 * A1.T"), ["multiplies dZ2 * A1.T", "dW2 = dZ2 @ A1.T / m"]),
    (check_backward_prop, backward_relu_slope_with_if, ["an `if`", "(Z > 0) for its slope"]),
    (check_one_hot, one_hot_rows_as_distinct_labels, ["a row for each distinct label", "np.zeros((10, m))"]),
    (check_one_hot, one_hot_rows_as_distinct_labels_ranked, ["Y has shape (4, 5): one row per distinct label"]),
    (check_update_params, update_by_the_parameters, ["W1, b1, W2, b2: steps by the parameter itself"]),
    (check_momentum_step, momentum_from_the_parameters, ["built from the parameters P, not from their gradients"]),
    (check_momentum_step, momentum_pytorch_style,
     ["PyTorch's convention, V := momentum V + dP, then P := P - alpha V", "V := momentum V - alpha dP (minus alpha)",
      "P := P + V (plus)"]),
    (check_momentum_step, momentum_moving_average,  # a student's: the momentum step's alpha 0.1 is 1 - 0.9
     ["the moving-average convention, V := momentum V + (1 - momentum) dP", "V := momentum V - alpha dP"]),
    (check_momentum_step, momentum_swapped_return,
     ["returns (velocity, params): the right tuples in the wrong order", "return params, velocity"]),
    (check_momentum_step, momentum_unscaled_gradient, ["computes 0.9 V + 1 dP", "0.9 V - 0.1 dP"]),
]


@pytest.mark.parametrize("check, function, words", REAL_MISTAKES,
                         ids=[f"{c.__name__}-{f.__name__}-{w[0][:30]}" for c, f, w in REAL_MISTAKES])
def test_a_real_mistake_is_named_without_numpy_s_words(check, function, words, capsys):
    verdict, lines = run(check, function, capsys)
    assert failed(verdict) and len(lines) == 1 and lines[0].startswith("✗ "), lines
    for word in words:
        assert word in lines[0], f"{word!r} not in:\n{lines[0]}"
    for numpy_words in ("operands could not", "matmul", "truth value", "index", "scalar", "inhomogeneous"):
        assert numpy_words not in lines[0], "named in the check's own words, the same with every NumPy"


def softmax_log_sum_exp(Z):
    shifted = Z - Z.max(axis=0, keepdims=True)
    return np.exp(shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True)))


def forward_with_where(W1, b1, W2, b2, X):
    Z1 = np.dot(W1, X) + b1
    A1 = np.where(Z1 > 0, Z1, 0.0)
    Z2 = np.matmul(W2, A1) + b2
    return Z1, A1, Z2, softmax_log_sum_exp(Z2)


def backward_einsum(Z1, A1, Z2, A2, W1, W2, X, Y):
    m = X.shape[1]
    dZ2 = A2 - Y
    dZ1 = np.einsum("kj,ki->ji", W2, dZ2) * (A1 > 0)  # A1 > 0 as ReLU'(Z1)
    return (np.einsum("ji,pi->jp", dZ1, X) / m, dZ1.mean(axis=1, keepdims=True),
            np.einsum("ki,ji->kj", dZ2, A1) / m, dZ2.mean(axis=1, keepdims=True))


def one_hot_with_eye(y):
    return np.eye(10)[:, y]


def confusion_with_bincount(y, A2):
    return np.bincount(10 * y + A2.argmax(axis=0), minlength=100).reshape(10, 10)


def momentum_in_two_lines(params, velocity, grads, alpha, mu):
    velocity = [mu * V - alpha * dP for V, dP in zip(velocity, grads)]
    return [P + V for P, V in zip(params, velocity)], velocity


UNUSUAL_BUT_RIGHT = [(check_softmax, softmax_log_sum_exp), (check_forward_prop, forward_with_where),
                     (check_backward_prop, backward_einsum), (check_one_hot, one_hot_with_eye),
                     (check_confusion_matrix, confusion_with_bincount), (check_momentum_step, momentum_in_two_lines)]


@pytest.mark.parametrize("check, function", UNUSUAL_BUT_RIGHT, ids=[f.__name__ for _, f in UNUSUAL_BUT_RIGHT])
def test_an_unusual_right_answer_passes(check, function, capsys):
    verdict, lines = run(check, function, capsys)
    assert verdict is None and len(lines) == 1 and lines[0].startswith(f"✓ {function.__name__} passes"), lines




@pytest.mark.parametrize("function", [reference_recall_precision, recall_precision_loops])
def test_recall_precision_correct_answers_pass(function, capsys):
    from helpers import check_recall_precision

    verdict, lines = verdict_and_lines(check_recall_precision, function, capsys)
    assert verdict is True
    assert lines == [f"✓ {function.__name__} passes all 2 tests: recall divides the diagonal by the row sums, "
                     "precision by the column sums"]


def test_recall_precision_not_written_yet(capsys):
    from helpers import check_recall_precision

    verdict, lines = verdict_and_lines(check_recall_precision, not_written, capsys)
    assert verdict is False and "not_written is not written yet" in lines[0]


def test_recall_precision_cases_tell_the_mistakes_apart():
    """Rows and columns must differ (else a swap passes) and differ from the total (else C.sum() passes)."""
    from helpers.checks import _recall_precision_inputs

    for C in _recall_precision_inputs():
        assert not np.allclose(C.sum(axis=0), C.sum(axis=1))
        assert (C.sum(axis=0) > 0).all() and (C.sum(axis=1) > 0).all()  # no 0 / 0: every answer defined


# ---------------------------------------------------------------- transfer exercises: 05's range test, 07's Nesterov

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
            if mistake != "gradient once" or not losses:
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


def stopping(mistake):
    """A student's early stopping from the records, with one mistake (written as a student would)."""
    def stopping_point_with_a_mistake(watched, patience):
        best, waited = 0, 0
        for t, value in enumerate(watched):
            if value < watched[best] or (mistake == "tie" and value == watched[best]) or (
                    mistake == "highest" and value > watched[best]):
                if mistake != "highest" or value > watched[best]:
                    best = t
            elif t > 0:
                waited += 1
            since = waited if mistake == "no reset" else t - best
            if since > patience if mistake == "late" else since >= patience:
                if mistake == "values":
                    return watched[t], watched[best]
                return t, (int(np.argmin(watched)) if mistake == "argmin" else t if mistake == "last" else best)
        return (len(watched) if mistake == "len" else len(watched) - 1), best
    return stopping_point_with_a_mistake


def stopping_tested_first(watched, patience):  # the hint's order reversed
    best = 0
    for t, value in enumerate(watched):
        if t - best >= patience:
            return t, best
        if value < watched[best]:
            best = t
    return len(watched) - 1, best


def stopping_against_the_previous(watched, patience):
    best = 0
    for t in range(1, len(watched)):
        if watched[t] < watched[t - 1]:
            best = t
        if t - best >= patience:
            return t, best
    return len(watched) - 1, best


def stopping_waited_from_1(watched, patience):
    best, wait = 0, 1
    for t in range(1, len(watched)):
        if watched[t] < watched[best]:
            best, wait = t, 0
        else:
            wait += 1
        if wait >= patience:
            return t, best
    return len(watched) - 1, best


def stopping_after_the_lowest(watched, patience):
    best = int(np.argmin(watched))
    return best + patience, best


def l2_decayed_weights(grads, params, weight_decay):
    dW1, db1, dW2, db2 = grads
    return (1 - weight_decay) * params[0], db1, (1 - weight_decay) * params[2], db2


TRAINING_TRANSFER_MISTAKES = [
    (check_lr_range_test, range_test("before"), ["records the loss before each step"]),
    (check_lr_range_test, range_test("restart"), ["starts every step from the first parameters"]),
    (check_lr_range_test, range_test("first alpha"), ["steps with alphas[0]", "step i uses alphas[i]"]),
    (check_lr_range_test, range_test("uphill"), ["moves uphill", "W := W - alpha * dW"]),
    (check_lr_range_test, range_test("start too"), ["returns 11 losses for 10 alphas"]),
    (check_lr_range_test, range_test("gradient once"), ["reuses the gradient of the first parameters at every step"]),
    (check_lr_range_test, range_test("no return"), ["returns None", "return losses"]),
    (check_nesterov_step, nesterov("gradient at P"), ["takes the gradient at P,", "P + momentum * V"]),
    (check_nesterov_step, nesterov("gradient at P + V"), ["takes the gradient at P + V"]),
    (check_nesterov_step, nesterov("gradient added"), ["adds the gradient"]),
    (check_nesterov_step, nesterov("from the look-ahead"), ["steps from the look-ahead"]),
    (check_nesterov_step, nesterov("old velocity"), ["steps with the old velocity"]),
    (check_stopping_point, stopping("tie"), ["counts a tie as a new best (<=)", "returns (9, 6), expected (4, 1)"]),
    (check_stopping_point, stopping("late"), ["stops one record late", "t - best >= patience"]),
    (check_stopping_point, stopping("argmin"), ["records after the stop included"]),
    (check_stopping_point, stopping("last"), ["keeps the record where it stops, not the best one"]),
    (check_stopping_point, stopping("no reset"), ["starts again at each new best", "patience = 3: returns (5, 4)"]),
    (check_stopping_point, stopping("highest"), ["watches for the highest value"]),
    (check_stopping_point, stopping("len"), ["returns len(watched) when the run never stops"]),
    (check_stopping_point, stopping("values"), ["values of the records: return their indices"]),
    (check_stopping_point, stopping_tested_first, ["tests the stop before it looks at the record",
                                                   "returns (4, 1), expected (7, 4)"]),
    (check_stopping_point, stopping_against_the_previous, ["compares each record with the one just before it"]),
    (check_stopping_point, stopping_waited_from_1, ["stops one record early", "expected (3, 0)"]),
    (check_stopping_point, stopping_after_the_lowest, ["stops `patience` records after it"]),
    (check_l2_gradients, l2_decayed_weights, ["dW1, dW2: returns the decayed weight (1 - weight_decay) * W"]),
]


@pytest.mark.parametrize("check, function, words", TRAINING_TRANSFER_MISTAKES,
                         ids=[f"{c.__name__}-{w[0][:24]}" for c, f, w in TRAINING_TRANSFER_MISTAKES])
def test_a_training_transfer_mistake_is_named(check, function, words, capsys):
    verdict, lines = verdict_of(check, function, capsys)
    assert verdict is False
    text = "\n".join(lines)
    assert lines and lines[0].startswith("✗ ") and "Traceback" not in text, text
    for word in words:
        assert word in text, f"{word!r} not in:\n{text}"


def test_the_transfer_references_pass(capsys):
    from helpers import lr_range_test, nesterov_step, stopping_point

    for check, function in ((check_lr_range_test, lr_range_test), (check_nesterov_step, nesterov_step),
                            (check_stopping_point, stopping_point)):
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


def confusion_with_and(y, A2):
    predictions = A2.argmax(axis=0)
    C = np.zeros((10, 10), dtype=int)
    for k in range(10):
        for k2 in range(10):
            C[k, k2] = np.sum(y == k and predictions == k2)
    return C


def test_the_confusion_matrix_with_and_is_told_to_use_the_mask_operator(capsys):
    # 08_evaluation: `y == k and y_hat == k2` fails on arrays; the message fits a mask, not the ReLU exercise
    verdict, lines = run(check_confusion_matrix, confusion_with_and, capsys)
    assert failed(verdict)
    text = "\n".join(lines)
    assert "&" in text and "(y == k) & (predictions == k2)" in text, text
    assert "ReLU" not in text and "np.maximum" not in text, text

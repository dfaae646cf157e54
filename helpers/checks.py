"""Checks that diagnose: run a student's function on small fixed cases and name the classic mistake.

Taught with the "Your turn" exercises: ``check_one_hot`` (``01_data.ipynb``), ``check_softmax`` and
``check_forward_prop`` (``02_forward.ipynb``), ``check_backward_prop`` (``03_backward_loss.ipynb``),
``check_update_params`` and ``check_lr_range_test`` (``05_training.ipynb``), ``check_momentum_step`` and
``check_nesterov_step`` (``06_training_further.ipynb``), ``check_confusion_matrix``
(``07_evaluation.ipynb``).

Each ``check_<name>(function)`` calls the student's ``function`` on fixed small inputs, compares what it
returns with the helpers' reference implementation (and, for the gradients, with central finite
differences), prints one line per finding (what is wrong and how to fix it) and returns True only when
every test passes:

    ✓ my_softmax passes all 4 tests: columns sum to 1, finite at logits of ±1000, input left as it was
    ✗ my_softmax: A has NaN or inf at large logits (exp(1000) overflows to inf, inf / inf = NaN): subtract ...
    … my_softmax is not written yet: replace `raise NotImplementedError()` with your code, run its cell, then this one

A function that still raises ``NotImplementedError`` gets "not written yet"; any other exception one line
naming it, never a traceback. The cases come from fixed seeds, warnings of the student's code are silenced
(an overflow is diagnosed instead), and no number is printed finer than its first digit: the output is the
same on every machine.
"""

import warnings
from functools import lru_cache
from itertools import permutations

import numpy as np

from .data import N_CLASSES, N_PIXELS, one_hot
from .network import N_HIDDEN, cross_entropy_loss, forward_prop, init_params, relu, relu_derivative, softmax
from .plots import confusion_matrix
from .training import momentum_step

PASS, FAIL, TODO = "✓", "✗", "…"
RTOL = 1e-6  # relative error allowed against the reference (float64 inputs everywhere)
GRAD_EPS = 1e-5  # step of the central differences (03_backward_loss: about the cube root of float64's rounding unit)
N_W1_CHECKED = 30  # entries of dW1 compared with finite differences (all of db1, dW2, db2 are)
NAMES = ("W1", "b1", "W2", "b2")
GRAD_NAMES = ("dW1", "db1", "dW2", "db2")
SHAPES = {"W1": (N_HIDDEN, N_PIXELS), "b1": (N_HIDDEN, 1), "W2": (N_CLASSES, N_HIDDEN), "b2": (N_CLASSES, 1)}


class _NotWritten(Exception):
    """The student's function still raises NotImplementedError."""


class _StudentError(Exception):
    """The student's function raised: ``args[0]`` is the exception, ``args[1]`` what it was called on."""


def _call(function, *args, on="", copy=True):
    """Call the student's function on copies of ``args`` with warnings silenced; wrap what it raises."""
    copies = [a.copy() if copy and isinstance(a, np.ndarray) else a for a in args]
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return function(*copies)
    except NotImplementedError as err:
        tb = err.__traceback__
        while tb.tb_next is not None:
            tb = tb.tb_next
        raise _NotWritten(tb.tb_frame.f_code.co_name) from err  # the function that raised it
    except Exception as err:  # noqa: BLE001 - any error of the student's code becomes one line, not a traceback
        raise _StudentError(err, on) from err


def _run(function, cases, passed):
    """Run the cases (functions of the student's function returning a list of findings) until one fails.

    ``passed`` says what the function got right, for the pass line.
    """
    name = getattr(function, "__name__", "your function")
    if not callable(function):
        print(f"{FAIL} expected a function, got {type(function).__name__}: pass the function itself, "
              "e.g. check_softmax(my_softmax), not my_softmax(Z)")
        return False
    for case in cases:
        try:
            findings = case(function)
        except _NotWritten as not_written:
            inner = not_written.args[0]
            if inner not in (name, "<lambda>"):
                print(f"{TODO} {name} calls {inner}, which is not written yet: write {inner} first "
                      "(or use the helpers' version)")
            else:
                print(f"{TODO} {name} is not written yet: replace `raise NotImplementedError()` with your code, "
                      "run its cell, then this one")
            return False
        except _StudentError as wrapped:
            err, on = wrapped.args
            print(f"{FAIL} {name} raised {type(err).__name__}{on}: {_first_line(err)}{_error_hint(err)}")
            return False
        if findings:
            for line in _merge(findings):
                print(f"{FAIL} {name}: {line}")
            return False
    tests = f" all {len(cases)} tests" if len(cases) > 1 else ""
    print(f"{PASS} {name} passes{tests}: {passed}")
    return True


def _together(*cases):
    """One test made of several cases, run in turn until one has findings."""
    def case(f):
        for one in cases:
            findings = one(f)
            if findings:
                return findings
        return []
    return case


def _first_line(err, limit=160):
    text = str(err).strip().splitlines()[0] if str(err).strip() else "(no message)"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _error_hint(err):
    if isinstance(err, ValueError) and "broadcast" in str(err):
        return " (a sum or max along axis=1 where axis=0 is meant, or without keepdims=True?)"
    if isinstance(err, ValueError) and "matmul" in str(err):
        return " (a product in the wrong order, or a missing .T? check the shapes of both factors)"
    return ""


def _merge(findings):
    """Findings are strings or (name, message) pairs; pairs with the same message become one line."""
    lines, names = [], {}
    for f in findings:
        if isinstance(f, tuple):
            name, message = f
            if message not in names:
                names[message] = []
                lines.append(message)
            names[message].append(name)
        elif f not in lines:
            lines.append(f)
    return [f"{', '.join(names[line])}: {line}" if line in names else line for line in lines]


def _close(a, b, rtol=RTOL, atol=1e-9):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def _not_an_array(out, what, shape):
    """A finding if ``out`` is not an array of numbers (None: a forgotten return), else None."""
    if out is None:
        return f"returns None: did you forget `return {what}`?"
    if not isinstance(out, np.ndarray) or (not np.issubdtype(out.dtype, np.number) and out.dtype != bool):
        return f"returns {type(out).__name__}, expected {what}: a NumPy array of shape {shape}"
    return None


def _tuple_of(out, n, what):
    """A finding if ``out`` is not a tuple or list of ``n`` items, else None."""
    if out is None:
        return f"returns None: did you forget `return {what}`?"
    if not isinstance(out, (tuple, list)) or len(out) != n:
        got = f"{len(out)} values" if isinstance(out, (tuple, list)) else f"one {type(out).__name__}"
        return f"returns {got}, expected {n}: `return {what}`, in that order"
    return None


def _fit(out, *terms):
    """Least-squares coefficients c with out ~ sum_j c_j terms[j], and whether the fit is exact."""
    A = np.stack([np.ravel(t) for t in terms], axis=1)
    c = np.linalg.lstsq(A, np.ravel(out), rcond=None)[0]
    return c, _close(A @ c, np.ravel(out))


def _wrong_order(out, refs, names):
    """A finding if ``out`` holds the reference arrays ``refs`` in another order, else None."""
    n = len(refs)
    for order in permutations(range(n)):
        if order != tuple(range(n)) and all(_close_or_false(out[i], refs[j]) for i, j in enumerate(order)):
            got = ", ".join(names[j] for j in order)
            return f"returns {got}: the right arrays in the wrong order; return {', '.join(names)}"
    return None


def _close_or_false(a, b):
    try:
        return _close(a, b)
    except (TypeError, ValueError):
        return False


def _copies(args):
    """Copies of ``args``: arrays copied, tuples or lists of arrays copied item by item."""
    def copy(a):
        if isinstance(a, np.ndarray):
            return a.copy()
        if isinstance(a, (tuple, list)):
            return type(a)(copy(x) for x in a)
        return a
    return [copy(a) for a in args]


def _changed(originals, passed, names):
    """The names of the inputs the student's function changed in place (a tuple names its items)."""
    changed = []
    for original, now, name in zip(originals, passed, names):
        if isinstance(original, np.ndarray):
            if not np.array_equal(original, now, equal_nan=True):
                changed.append(name)
        elif isinstance(original, (tuple, list)):
            items = [NAMES[i] if len(original) == len(NAMES) else str(i)
                     for i, (a, b) in enumerate(zip(original, now))
                     if isinstance(a, np.ndarray) and not np.array_equal(a, b, equal_nan=True)]
            if items:
                changed.append(f"{name} ({', '.join(items)})")
    return changed


def _call_watching(function, args, names, on=""):
    """Call the student's function on copies of ``args``; return its output and the inputs it changed."""
    passed = _copies(args)
    out = _call(function, *passed, on=on, copy=False)
    return out, _changed(args, passed, names)


def _in_place_finding(changed, example, fix):
    """The finding for inputs changed in place: what changed, the line that does it, the fix."""
    inputs = "inputs" if len(changed) > 1 else "input"
    return (f"changes its {inputs} {', '.join(changed)} in place ({example}): the caller's arrays change too, "
            f"and whatever reads them afterwards (a loss, a comparison, the next call) sees the new values; "
            f"make a new array: {fix}")


@lru_cache(maxsize=1)
def _fixed_inputs():
    """Parameters, images and labels shared by the checks (float64, fixed seeds), made on first use."""
    rng = np.random.default_rng(12)
    W1, _, W2, _ = init_params(rng, scheme="he", dtype=np.float64)
    params = (W1, rng.normal(0, 0.1, (N_HIDDEN, 1)), W2, rng.normal(0, 0.1, (N_CLASSES, 1)))
    X = rng.random((N_PIXELS, 20))  # 20 "images", pixels in [0, 1]
    y = np.array([3, 0, 5, 3, 1, 7, 2, 9, 5, 3, 8, 6, 0, 4, 1, 1, 3, 9, 2, 4])
    return params, X, y


# ---------------------------------------------------------------- 01: one_hot

def _one_hot_case(y):
    def case(f):
        ref = one_hot(y)
        m = y.size
        out = _call(f, y, on=f" on labels y of shape ({m},)")
        problem = _not_an_array(out, "Y", ref.shape)
        if problem:
            return [problem]
        transposed = out.shape == ref.T.shape and (out.shape != ref.shape or np.array_equal(out, ref.T))
        if transposed and not np.array_equal(out, ref) and np.array_equal(out.T, ref):
            return [f"Y is transposed ({m} × 10, one row per label): the series puts one image per column, "
                    f"Y must be 10 × m with Y[k, i] = 1 when y[i] == k: np.zeros((10, m)), then Y[y, np.arange(m)] = 1"]
        if out.shape != ref.shape and out.shape == (m, y.max() + 1):
            return [f"Y is m × (y.max() + 1) = {out.shape}: one row per label (transposed), and only as many "
                    "digits as the largest label + 1; the series wants 10 × m: np.zeros((10, m)), "
                    "then Y[y, np.arange(m)] = 1"]
        if out.shape != ref.shape and out.shape == (y.max() + 1, m):
            return [f"Y has y.max() + 1 = {y.max() + 1} rows: a digit missing from y still needs its row, "
                    f"so use 10 classes: np.zeros((10, m))"]
        if out.shape != ref.shape:
            return [f"Y has shape {out.shape}, expected (10, m) = {ref.shape}: one row per digit, one column per label"]
        if not np.array_equal(out, ref):
            if not np.array_equal(out.sum(axis=0), np.ones(m)):
                return ["a column of Y must hold exactly one 1 (and nine 0s): Y[y[i], i] = 1, all else 0"]
            i = int(np.flatnonzero(out.argmax(axis=0) != y)[0])
            return [f"the 1 of column {i} sits in row {int(out[:, i].argmax())}, but y[{i}] = {y[i]}: "
                    f"Y[y[i], i] = 1, i.e. Y[y, np.arange(m)] = 1"]
        return []
    return case


def check_one_hot(one_hot_function):
    """Check a student's ``one_hot(y)`` -> Y (10, m), ``Y[k, i] = 1`` when ``y[i] == k``. Used in ``01_data.ipynb``.

    Diagnoses: Y transposed (m × 10), ``y.max() + 1`` rows instead of 10 (or both: the seed's
    m × (y.max() + 1)), a column without exactly one 1,
    the 1 in the wrong row, a forgotten ``return``. Returns True only when all tests pass.
    """
    return _run(one_hot_function, [
        _one_hot_case(np.array([3, 0, 5, 3, 1])),  # m = 5; digits 6-9 absent
        _one_hot_case(np.array([7, 2, 1, 0, 4, 1, 4, 9, 5, 9])),  # m = 10: a transposed Y has the right shape
    ], "Y is 10 × m with its one 1 of column i in row y[i]")


# ---------------------------------------------------------------- 02: softmax and forward_prop

def _softmax_problem(Z, A, name="A"):
    """A finding if A is not softmax(Z) for Z (10, m), else None."""
    ref = softmax(Z)
    problem = _not_an_array(A, name, ref.shape)
    if problem:
        return problem
    if A.shape != ref.shape:
        return f"{name} has shape {A.shape}, expected {ref.shape}, the shape of its input: one probability per logit"
    if _close(A, ref):
        return None
    with np.errstate(all="ignore"):
        return _softmax_mistake(Z, A, name)


def _softmax_mistake(Z, A, name):
    """Name what a wrong softmax did (called with NumPy's warnings silenced)."""
    E = np.exp(Z - Z.max())
    if not np.isfinite(A).all():
        if _close(A, E / E.sum(axis=0, keepdims=True)):
            return (f"{name} has NaN: it subtracts the largest logit of the whole matrix, and a column far below "
                    "it underflows to 0 / 0; subtract each column's own maximum, Z.max(axis=0, keepdims=True)")
        return (f"{name} has NaN or inf at large logits (exp(1000) overflows to inf, inf / inf = NaN): subtract "
                "each column's maximum first, exp(Z - Z.max(axis=0, keepdims=True)); it changes nothing else")
    E0 = np.exp(Z - Z.max(axis=0, keepdims=True))
    E1 = np.exp(Z - Z.max(axis=1, keepdims=True))
    wrong_axis = [softmax(Z.T).T]
    if Z.shape[0] == Z.shape[1]:  # without keepdims, (10, 10) / (10,) pairs column i with row i
        E2 = np.exp(Z - Z.max(axis=1))
        wrong_axis += [E0 / E0.sum(axis=1), np.exp(Z) / np.exp(Z).sum(axis=1), E2 / E2.sum(axis=1)]
    row_max = E1 / E1.sum(axis=0, keepdims=True)
    if any(_close(A, w) for w in wrong_axis):
        return (f"{name} is normalised along the wrong axis: a column (one image) must sum to 1, "
                "so take the max and the sum over axis=0, the digits, with keepdims=True")
    if _close(A, row_max):
        return (f"{name} subtracts each row's maximum (axis=1): the shift must be the same for the ten logits of "
                "one image, its column's maximum: Z.max(axis=0, keepdims=True)")
    if _close(A, E / E.sum()) or _close(A, E0 / E0.sum()):
        return (f"{name} divides by the sum over the whole matrix: divide each column by its own sum, "
                ".sum(axis=0, keepdims=True)")
    if _close(A, Z):
        return f"{name} is its input: apply the softmax, exp(Z - max) / its column sum"
    if not np.allclose(A.sum(axis=0), 1):
        return (f"the columns of {name} do not sum to 1: divide E = exp(Z - max) by its column sums; "
                "sum along axis=0 with keepdims=True, E.sum(axis=0, keepdims=True)")
    return f"{name} differs from exp(Z[k, i]) / sum over k' of exp(Z[k', i]) in some entries"


def _softmax_case(Z):
    def case(f):
        Z_in = Z.copy()
        A = _call(f, Z_in, on=f" on Z of shape {Z.shape}")
        problem = _softmax_problem(Z, A)
        return [problem] if problem else []
    return case


def _softmax_changes_input(f):
    Z = _softmax_inputs()[1]
    Z_in = Z.copy()
    _call(f, Z_in, on=f" on Z of shape {Z.shape}", copy=False)
    if not np.array_equal(Z_in, Z):
        return ["changes its input Z in place (Z -= ...): compute Z - Z.max(...) into a new array"]
    return []


@lru_cache(maxsize=1)
def _softmax_inputs():
    rng = np.random.default_rng(2)
    square = rng.normal(0, 3, (10, 10))  # 10 images: a wrong axis raises no error
    wide = rng.normal(0, 3, (10, 4))
    big = np.array([[1000.0, -1000.0, 3.0], [999.0, -1001.0, -2.0], [998.0, -1002.0, 1000.0]])
    big = np.vstack([big, np.full((7, 3), -5.0) + rng.normal(0, 1, (7, 3))])  # (10, 3): logits of +-1000
    return square, wide, big


def check_softmax(softmax_function):
    """Check a student's ``softmax(Z)`` -> A (10, m), each column exp(Z) / its sum. Used in ``02_forward.ipynb``.

    Diagnoses: NaN at logits of +-1000 (no max subtracted, or the whole matrix's max), normalising along
    the wrong axis (rows sum to 1), each row's max subtracted, the whole matrix's sum, the input changed
    in place, a wrong shape, a forgotten ``return``. Returns True only when all tests pass.
    """
    square, wide, big = _softmax_inputs()
    return _run(softmax_function, [_softmax_case(square), _softmax_case(wide), _softmax_case(big),
                                   _softmax_changes_input],
                "columns sum to 1, finite at logits of ±1000, input left as it was")


_FLAT_BIAS = ("a (10,) bias broadcasts wrongly: W @ X + {b}.ravel() adds {b}[i] to column i (image i), not to "
              "row i (unit i), and raises a shape error unless m = 10; keep {b} a (10, 1) column")


def _flat_bias_probe(f, params, X10):
    """The flat-bias finding if ``f`` adds a (10,) bias on 10 images (where it broadcasts), else None."""
    W1, b1, W2, b2 = params
    try:
        out = _call(f, W1, b1, W2, b2, X10)
        Z1, A1 = out[0], out[1]
        if _close(Z1, W1 @ X10 + b1.ravel()):
            return _FLAT_BIAS.format(b="b1")
        if _close(out[2], W2 @ A1 + b2.ravel()):
            return _FLAT_BIAS.format(b="b2")
    except Exception:  # noqa: BLE001 - only a probe: any other failure keeps the original error
        return None
    return None


def _forward_case(params, X, X10=None):
    def case(f):
        W1, b1, W2, b2 = params
        try:
            out = _call(f, W1, b1, W2, b2, X, on=f" on X of shape {X.shape}")
        except _StudentError as wrapped:
            err = wrapped.args[0]
            flat = X10 is not None and isinstance(err, ValueError) and _flat_bias_probe(f, params, X10)
            if flat:
                return [f"raised ValueError on X of shape {X.shape} ({_first_line(err, 80)}): {flat}"]
            raise
        problem = _tuple_of(out, 4, "Z1, A1, Z2, A2")
        if problem:
            return [problem]
        problem = _wrong_order(out, forward_prop(W1, b1, W2, b2, X), ("Z1", "A1", "Z2", "A2"))
        if problem:
            return [problem]
        Z1, A1, Z2, A2 = out
        m = X.shape[1]
        findings = []
        for name, M in zip(("Z1", "A1", "Z2", "A2"), out):
            problem = _not_an_array(M, name, (10, m))
            if problem:
                return [f"{name}: {problem}"]
            if M.shape == (m, 10) and m != 10:
                return [f"{name} is transposed ({m} × 10): one column per image, e.g. Z1 = W1 @ X + b1 is 10 × m"]
            if M.shape != (10, m):
                return [f"{name} has shape {M.shape}, expected (10, m) = (10, {m})"]
        if not _close(Z1, W1 @ X + b1):
            if m == b1.size and _close(Z1, W1 @ X + b1.ravel()):
                findings.append(_FLAT_BIAS.format(b="b1"))
            else:
                findings.append("Z1 misses the bias: Z1 = W1 @ X + b1" if _close(Z1, W1 @ X)
                                else "Z1 is not W1 @ X + b1")
        if not _close(A1, relu(Z1)):
            if _close(A1, Z1):
                findings.append("A1 is Z1: apply the ReLU, A1 = np.maximum(Z1, 0)")
            elif _close(A1, relu_derivative(Z1)):
                findings.append("A1 holds 0s and 1s, ReLU'(Z1): the ReLU itself is np.maximum(Z1, 0)")
            else:
                findings.append("A1 is not ReLU(Z1) = np.maximum(Z1, 0)")
        if not _close(Z2, W2 @ A1 + b2):
            if _close(Z2, W2 @ Z1 + b2):
                findings.append("Z2 uses Z1: layer 2 takes the activations, Z2 = W2 @ A1 + b2")
            elif _close(Z2, W2 @ A1):
                findings.append("Z2 misses the bias: Z2 = W2 @ A1 + b2")
            elif m == b2.size and _close(Z2, W2 @ A1 + b2.ravel()):
                findings.append(_FLAT_BIAS.format(b="b2"))
            else:
                findings.append("Z2 is not W2 @ A1 + b2")
        problem = _softmax_problem(Z2, A2, "A2")
        if problem:
            findings.append(problem)
        return findings
    return case


def check_forward_prop(forward_prop_function):
    """Check a student's ``forward_prop(W1, b1, W2, b2, X)`` -> Z1, A1, Z2, A2. Used in ``02_forward.ipynb``.

    Each of the four lines is checked against the spec applied to the student's own previous line, so
    every wrong line is named: a missing bias, no ReLU (or ReLU' for ReLU), Z1 where A1 belongs, a
    softmax that overflows at logits of +-1000 or normalises along the wrong axis, a flat (10,) bias
    (a shape error on 6 images, a wrong sum on 10), a transposed result, the right arrays in the wrong
    order, a wrong number of returned values. Returns True only when all tests pass.
    """
    params, X, _ = _fixed_inputs()
    W1, b1, W2, b2 = params
    loud = (W1, b1, W2, np.linspace(-1000, 1000, N_CLASSES).reshape(-1, 1))  # logits of +-1000
    return _run(forward_prop_function, [_together(_forward_case(params, X[:, :6], X[:, :10]),
                                                       _forward_case(params, X[:, :10])),  # m = 10: a (10,) bias
                                        _forward_case(loud, X[:, :6])],
                "Z1, A1, Z2, A2 as the spec says, finite at logits of ±1000")


# ---------------------------------------------------------------- 03: backward_prop

def _gradients(Z1, A1, A2, W2, X, Y, W2_factor=None, slope=None, divide_by=None, sign=1.0):
    """The spec's six lines, with one of the classic mistakes switched on by the keyword arguments."""
    m = X.shape[1] if divide_by is None else divide_by
    dZ2 = sign * (A2 - Y)
    dZ1 = (W2.T if W2_factor is None else W2_factor) @ dZ2 * (relu_derivative(Z1) if slope is None else slope)
    return (dZ1 @ X.T / m, dZ1.sum(axis=1, keepdims=True) / m, dZ2 @ A1.T / m, dZ2.sum(axis=1, keepdims=True) / m)


@lru_cache(maxsize=1)
def _backward_inputs():
    """Parameters, images, labels, the forward pass and the central differences of the loss (cached)."""
    params, X, y = _fixed_inputs()
    Y = one_hot(y, dtype=np.float64)
    forward = forward_prop(*params, X)
    rng = np.random.default_rng(3)
    rows, cols = rng.integers(0, N_HIDDEN, N_W1_CHECKED), rng.integers(0, N_PIXELS, N_W1_CHECKED)

    def loss(p):
        return cross_entropy_loss(forward_prop(*p, X)[3], Y)

    def central(which, index):
        plus, minus = [p.copy() for p in params], [p.copy() for p in params]
        plus[which][index] += GRAD_EPS
        minus[which][index] -= GRAD_EPS
        return (loss(plus) - loss(minus)) / (2 * GRAD_EPS)

    numeric = [np.array([central(0, (r, c)) for r, c in zip(rows, cols)])]
    for which in (1, 2, 3):
        shape = params[which].shape
        numeric.append(np.reshape([central(which, i) for i in np.ndindex(shape)], shape))
    return params, X, Y, forward, (rows, cols), numeric


def _relative_error(num, g):
    return float(np.linalg.norm(num - g) / (np.linalg.norm(num) + np.linalg.norm(g) + 1e-300))


_TWICE = ("divides by m twice (1/m on top of .mean, which already divides by m): "
          "use dZ.sum(axis=1, keepdims=True) / m, or .mean(axis=1, keepdims=True) alone")


def _common_scale(out, ref, m):
    """A finding if all four gradients are one common multiple c != 1 of the right ones (a wrong m), else None.

    The divisors the variants name themselves (1, 784, 10) are left to them.
    """
    if not all(isinstance(g, np.ndarray) and g.shape == r.shape for g, r in zip(out, ref)):
        return None
    scales = []
    for g, r in zip(out, ref):
        (c,), exact = _fit(g, r)
        if not exact:
            return None
        scales.append(c)
    c = scales[0]
    if c <= 1e-12 or abs(c - 1) < 1e-6 or not np.allclose(scales, c, rtol=1e-6, atol=0):  # c < 0: the sign
        return None
    divisor = m / c  # what the student divides by
    if any(abs(divisor - d) < 1e-6 * d for d in (1, N_PIXELS, N_CLASSES)):
        return None
    if abs(divisor - m * m) < 1e-6 * m * m:
        return f"every gradient is 1/m = {c:.2g} times the right one: it {_TWICE}"
    return (f"every gradient is {c:.2g} times the right one, as if m were {divisor:.4g}: is your m X.shape[1] "
            f"(the images, {m} here)? Set m = X.shape[1] inside the function, not a global m")


def _backward_case(f):
    params, X, Y, (Z1, A1, Z2, A2), (rows, cols), numeric = _backward_inputs()
    W1, _, W2, _ = params
    m = X.shape[1]
    out, changed = _call_watching(f, (Z1, A1, Z2, A2, W1, W2, X, Y),
                                  ("Z1", "A1", "Z2", "A2", "W1", "W2", "X", "Y"), on=f" on X of shape {X.shape}")
    problem = _tuple_of(out, 4, "dW1, db1, dW2, db2")
    if problem:
        return [problem]
    findings = []
    if changed:
        findings.append(_in_place_finding(changed, "dZ2 = A2; dZ2 -= Y makes dZ2 the caller's A2, or dZ1 *= ...",
                                          "dZ2 = A2 - Y, dZ1 = W2.T @ dZ2 * (Z1 > 0)"))
    ref = _gradients(Z1, A1, A2, W2, X, Y)
    problem = _wrong_order(out, ref, GRAD_NAMES)
    if problem:
        return [*findings, problem]
    problem = _common_scale(out, ref, m)
    if problem:
        return [*findings, problem]
    variants = [  # (gradients with one mistake, what it is and how to fix it)
        (_gradients(Z1, A1, A2, W2, X, Y, divide_by=1),
         f"missing 1/m: it is m = {m} times too large; divide by m = X.shape[1], the number of images"),
        (_gradients(Z1, A1, A2, W2, X, Y, divide_by=N_PIXELS),
         f"divides by X.shape[0] = {N_PIXELS} (the pixels), not by m = X.shape[1] = {m} (the images)"),
        (_gradients(Z1, A1, A2, W2, X, Y, divide_by=N_CLASSES),
         f"divides by Y.shape[0] = {N_CLASSES} (the digits), not by m = X.shape[1] = {m} (the images)"),
        (_gradients(Z1, A1, A2, W2, X, Y, sign=-1.0), "has the wrong sign: dZ2 = A2 - Y, not Y - A2"),
        (_gradients(Z1, A1, A2, W2, X, Y, W2_factor=W2),
         "uses W2 @ dZ2 where the spec has W2.T @ dZ2 (W2 is 10 × 10, so no shape error shows it): "
         "dZ1 = W2.T @ dZ2 * ReLU'(Z1)"),
        (_gradients(Z1, A1, A2, W2, X, Y, slope=1.0),
         "misses ReLU'(Z1): dZ1 = W2.T @ dZ2 * (Z1 > 0); a unit that was off passes nothing back"),
        (_gradients(Z1, A1, A2, W2, X, Y, slope=A1),
         "multiplies by A1 = ReLU(Z1), not by its slope ReLU'(Z1) = (Z1 > 0): dZ1 = W2.T @ dZ2 * (Z1 > 0)"),
        (_gradients(Z1, A1, A2, W2, X, Y, W2_factor=W2, slope=1.0),
         "uses W2 @ dZ2 for W2.T @ dZ2 and misses ReLU'(Z1): dZ1 = W2.T @ dZ2 * (Z1 > 0)"),
        (tuple(g / m for g in ref), _TWICE),
        (_gradients(Z1, Z1, A2, W2, X, Y),
         "uses Z1 where the spec has A1: layer 2's input is the activation, dW2 = dZ2 @ A1.T / m"),
    ]
    for k, (name, g, num) in enumerate(zip(GRAD_NAMES, out, numeric)):
        shape = SHAPES[NAMES[k]]
        if isinstance(g, (np.generic, float, int)):  # np.sum(dZ) without an axis gives a NumPy scalar
            g = np.asarray(g)
        problem = _not_an_array(g, name, shape)
        if problem:
            findings.append((name, problem))
            continue
        bias = name.startswith("db")
        dZ = "dZ1" if k < 2 else "dZ2"
        if g.shape != shape:
            if bias and g.size == 1:
                message = (f"is one number: np.sum({dZ}) sums over the units and the images, so every bias would "
                           f"move by the same amount; sum over the images only: {dZ}.sum(axis=1, keepdims=True) / m")
            elif bias and g.shape == (shape[0],):
                message = ("has shape (10,), not (10, 1): without keepdims=True, b - alpha * db broadcasts "
                           "(10, 1) - (10,) to a 10 × 10 bias after one update; use .sum(axis=1, keepdims=True)")
            elif g.shape == shape[::-1]:
                message = (f"is transposed {g.shape}: it must have its parameter's shape {shape}; "
                           f"{'dZ1 @ X.T' if k == 0 else 'dZ2 @ A1.T'} / m")
            else:
                message = f"has shape {g.shape}, expected {shape}, the shape of its parameter"
            findings.append((name, message))
            continue
        checked = g[rows, cols] if k == 0 else g
        if _relative_error(num, checked) < RTOL:
            continue
        for wrong, message in variants:
            if _close(g, wrong[k]):
                findings.append((name, message))
                break
        else:
            if k == 2 and _close(g, _gradients(Z1, A1, A2, W2, X, Y)[2].T):
                findings.append((name, "is transposed: dW2 = dZ2 @ A1.T / m, not A1 @ dZ2.T / m"))
            else:
                error = 10.0 ** np.round(np.log10(_relative_error(num, checked)))
                findings.append((name, f"disagrees with the numerical gradient (relative error about {error:.0e}, "
                                       f"a correct one is below {RTOL:.0e}): compare it with its line of the spec"))
    return findings


def check_backward_prop(backward_prop_function):
    """Check a student's ``backward_prop(Z1, A1, Z2, A2, W1, W2, X, Y)`` -> dW1, db1, dW2, db2.

    Used in ``03_backward_loss.ipynb``. On 20 fixed images (float64) each gradient is compared with central
    differences of the loss (all of db1, dW2, db2 and 30 entries of dW1, relative error below 1e-6, as
    in the notebook's gradient check); a gradient that fails is matched against the classic mistakes:
    a bias gradient summed to one scalar, a missing ``keepdims`` (shape (10,)), a missing or wrong 1/m
    (784 or 10 for m), ``W2 @ dZ2`` for ``W2.T @ dZ2``, a missing ReLU' (or A1 for ReLU'), Y - A2 for
    A2 - Y, a transposed gradient, m divided twice, any other common wrong scale (a global m), Z1 where
    A1 belongs in dW2, the inputs changed in place (``dZ2 = A2; dZ2 -= Y``), the right gradients in
    the wrong order. Returns True only when all tests pass.
    """
    return _run(backward_prop_function, [_backward_case],
                f"dW1, db1, dW2, db2 agree with central differences (relative error below {RTOL:.0e})")


# ---------------------------------------------------------------- 04: update_params and momentum

def _step_size_problem(name, out, P, dP, alpha):
    """A finding if out is not P - alpha dP; names the step it takes when it is P - c dP."""
    problem = _not_an_array(out, name, P.shape)
    if problem:
        return problem
    if out.shape != P.shape:
        if out.shape == (P.shape[0], P.shape[0]) and P.shape[1] == 1:
            return (f"has become {out.shape[0]} × {out.shape[0]}: a flat (10,) term broadcast against the (10, 1) "
                    "bias; keep every bias and its gradient a column (10, 1)")
        return f"has shape {out.shape}, expected {P.shape}: the update keeps every parameter's shape"
    if _close(out, P - alpha * dP):
        return None
    (c,), exact = _fit(out - P, -dP)
    if exact and abs(c + alpha) < 1e-6 * alpha:
        return "moves uphill: the update subtracts the gradient, W := W - alpha * dW (minus)"
    if exact and abs(c - 1) < 1e-6:
        return "ignores alpha: W := W - alpha * dW"
    if exact and abs(c) < 1e-9:
        return "is returned unchanged: update it too, W := W - alpha * dW"
    if exact:
        return f"steps with alpha = {c:.2g}, not with the alpha passed in ({alpha:g}): W := W - alpha * dW"
    return "is not W - alpha * dW"


@lru_cache(maxsize=1)
def _update_inputs():
    rng = np.random.default_rng(4)
    params = tuple(rng.normal(0, 0.5, SHAPES[n]) for n in NAMES)
    grads = tuple(rng.normal(0, 0.5, SHAPES[n]) for n in NAMES)
    velocity = tuple(rng.normal(0, 0.5, SHAPES[n]) for n in NAMES)
    return params, grads, velocity


def _update_case(alpha):
    def case(f):
        params, grads, _ = _update_inputs()
        out, changed = _call_watching(f, (*params, *grads, alpha), (*NAMES, *GRAD_NAMES, "alpha"),
                                      on=f" with alpha = {alpha}")
        problem = _tuple_of(out, 4, "W1, b1, W2, b2")
        if problem:
            return [problem]
        findings = []
        if changed:
            findings.append(_in_place_finding(changed, "W1 -= alpha * dW1", "W1 = W1 - alpha * dW1"))
        problem = _wrong_order(out, [P - alpha * dP for P, dP in zip(params, grads)], NAMES)
        if problem:
            return [*findings, problem]
        for name, new, P, dP in zip(NAMES, out, params, grads):
            problem = _step_size_problem(name, new, P, dP, alpha)
            if problem:
                findings.append((name, problem))
        return findings
    return case


def check_update_params(update_params_function):
    """Check a student's ``update_params(W1, b1, W2, b2, dW1, db1, dW2, db2, alpha)`` -> W1, b1, W2, b2.

    Used in ``05_training.ipynb``. Two values of alpha (0.1, then 0.5: a hard-coded alpha shows).
    Diagnoses: the wrong sign (a step uphill), alpha ignored or hard-coded, a parameter left unchanged,
    a bias that becomes 10 × 10, the inputs changed in place (``W1 -= alpha * dW1``), the right arrays in
    the wrong order, a wrong number of returned values. Returns True only when all tests pass.
    """
    return _run(update_params_function, [_update_case(0.1), _update_case(0.5)],
                "every parameter steps by minus alpha times its gradient")


def _momentum_case(alpha, momentum, zero_velocity=False):
    def case(f):
        params, grads, velocity = _update_inputs()
        if zero_velocity:
            velocity = tuple(np.zeros_like(v) for v in velocity)
        out, changed = _call_watching(f, (params, velocity, grads, alpha, momentum),
                                      ("params", "velocity", "grads", "alpha", "momentum"),
                                      on=f" with momentum = {momentum}")
        problem = _tuple_of(out, 2, "params, velocity")
        if problem:
            return [problem]
        if changed:  # the other findings would be read off arrays the student's code has overwritten
            return [_in_place_finding(changed, "V *= momentum, V -= alpha * dP or P += V",
                                      "V = momentum * V - alpha * dP, then P = P + V")]
        new_params, new_velocity = out
        for what, group in (("params", new_params), ("velocity", new_velocity)):
            problem = _tuple_of(group, 4, f"(W1, b1, W2, b2) as {what}")
            if problem:
                return [f"its {what}: {problem}"]
        ref_params, ref_velocity = momentum_step(params, velocity, grads, alpha, momentum)
        findings = []
        for name, V_new, V, dP, ref in zip(NAMES, new_velocity, velocity, grads, ref_velocity):
            label = f"V of {name}"
            problem = _not_an_array(V_new, label, V.shape)
            if problem or V_new.shape != V.shape:
                findings.append((label, problem or f"has shape {V_new.shape}, expected {V.shape}"))
            elif not _close(V_new, ref):
                findings.append((label, _velocity_problem(V_new, V, dP, alpha, momentum, zero_velocity)))
        if findings:
            return findings
        for name, P_new, P, V_new, V, dP in zip(NAMES, new_params, params, new_velocity, velocity, grads):
            problem = _not_an_array(P_new, name, P.shape)
            if problem or P_new.shape != P.shape:
                findings.append((name, problem or f"has shape {P_new.shape}, expected {P.shape}"))
            elif not _close(P_new, P + V_new):
                if _close(P_new, P - V_new):
                    message = "steps against the velocity: V already points downhill, so P := P + V"
                elif not zero_velocity and _close(P_new, P + V):
                    message = "steps with the old velocity: compute the new V first, then P := P + V"
                elif _close(P_new, P - alpha * dP):
                    message = "takes a plain gradient step and ignores the velocity: P := P + V (the new V)"
                else:
                    message = "is not P + V (with the new velocity V)"
                findings.append((name, message))
        return findings
    return case


def _velocity_problem(V_new, V, dP, alpha, momentum, zero_velocity):
    if zero_velocity:
        (b,), exact = _fit(V_new, dP)
        a = momentum
    else:
        (a, b), exact = _fit(V_new, V, dP)
    if not exact:
        return "is not momentum * V - alpha * dP"
    if abs(b - alpha) < 1e-6:
        return "adds the gradient: V := momentum * V - alpha * dP (minus: downhill)"
    if abs(b + 1) < 1e-6 and alpha != 1:
        return "ignores alpha: V := momentum * V - alpha * dP"
    if abs(b + alpha) > 1e-6:
        return f"scales the gradient by {-b:.2g}, not by alpha = {alpha:g}: V := momentum * V - alpha * dP"
    if abs(a - 1) < 1e-6:
        return "keeps the whole old velocity: multiply it by momentum, V := momentum * V - alpha * dP"
    if abs(a) < 1e-9:
        return "forgets the old velocity: V := momentum * V - alpha * dP"
    return f"keeps {a:.2g} of the old velocity, not momentum = {momentum:g}: V := momentum * V - alpha * dP"


def check_momentum_step(momentum_step_function):
    """Check a student's ``momentum_step(params, velocity, grads, alpha, momentum)`` -> (params, velocity).

    Used in ``06_training_further.ipynb``; ``params``, ``velocity`` and ``grads`` are 4-tuples (W1, b1, W2, b2).
    The spec: V := momentum V - alpha dP, then P := P + V (with the new V). Diagnoses: the gradient added
    (uphill), alpha ignored, the old velocity not scaled by momentum or forgotten, P - V for P + V, a step
    with the old velocity, a plain gradient step, the inputs changed in place (``V *= momentum``), and
    with momentum 0 it must be ``update_params``.
    Returns True only when all tests pass.
    """
    return _run(momentum_step_function, [_momentum_case(0.1, 0.9), _momentum_case(0.05, 0.5),
                                         _momentum_case(0.1, 0.0, zero_velocity=True)],
                "V := momentum V - alpha dP, then P := P + V; with momentum 0 it is update_params")


# ---------------------------------------------------------------- 05: the confusion matrix

def _confusion_case(y, A2):
    def case(f):
        m = y.size
        ref = confusion_matrix(y, A2.argmax(axis=0))
        out = _call(f, y, A2, on=f" on y of shape ({m},) and A2 of shape {A2.shape}")
        problem = _not_an_array(out, "C", ref.shape)
        if problem:
            return [problem]
        if out.shape != ref.shape:
            k = max(y.max(), A2.argmax(axis=0).max()) + 1
            if out.shape == (k, k):
                digits = f"digit {k}" if k == 9 else f"digits {k} to 9"
                return [f"C is {k} × {k}, sized by the largest label or prediction + 1: no image here has "
                        f"{digits} as label or prediction, yet each digit needs its row and column; "
                        "use np.zeros((10, 10), dtype=int)"]
            return [f"C has shape {out.shape}, expected (10, 10): one row per true digit, one column per prediction"]
        if np.array_equal(out, ref):
            if not np.issubdtype(out.dtype, np.integer):
                return [f"C holds {out.dtype} numbers: counts are integers (and print without .0); "
                        "make it with np.zeros((10, 10), dtype=int)"]
            return []
        if np.array_equal(out, ref.T):
            return ["C is transposed: rows are the true labels, columns the predictions, C[y[i], ŷ[i]] += 1"]
        if A2.shape[0] == A2.shape[1] and np.array_equal(out, confusion_matrix(y, A2.argmax(axis=1))):
            return ["takes the argmax along axis=1 (over the images): the prediction of image i is the most "
                    "probable digit of its column, A2.argmax(axis=0)"]
        once = np.zeros((N_CLASSES, N_CLASSES), dtype=np.int64)
        once[y, A2.argmax(axis=0)] += 1
        if np.array_equal(out, once):
            return ["counts each (label, prediction) pair at most once: C[y, p] += 1 adds 1 only once for repeated "
                    "pairs; use np.add.at(C, (y, p), 1) or a loop over the images"]
        if out.sum() != m:
            return [f"C sums to {out.sum():g}, not to m = {m}: every image lands in exactly one cell"]
        return ["C differs from the counts C[k, k'] = #{i : y[i] = k, ŷ[i] = k'} with ŷ = A2.argmax(axis=0)"]
    return case


@lru_cache(maxsize=1)
def _confusion_inputs():
    rng = np.random.default_rng(5)
    y10 = np.array([7, 2, 1, 0, 4, 1, 4, 9, 5, 9])  # m = 10: A2 is square, a wrong axis raises no error
    A10 = softmax(rng.normal(0, 2, (10, 10)) + 3 * np.eye(10)[:, y10])
    y30 = np.concatenate([y10, y10, np.arange(10)])  # m = 30, repeated (label, prediction) pairs
    A30 = softmax(rng.normal(0, 2, (10, 30)) + 3 * np.eye(10)[:, y30])
    y12 = np.array([3, 0, 8, 1, 5, 2, 8, 4, 6, 7, 3, 0])  # m = 12: no 9 among the labels
    logits = rng.normal(0, 2, (10, 12)) + 3 * np.eye(10)[:, y12]
    logits[9] = -10.0  # and no 9 among the predictions: C sized by the largest digit + 1 is 9 × 9
    return (y10, A10), (y30, A30), (y12, softmax(logits))


def check_confusion_matrix(confusion_matrix_function):
    """Check a student's ``confusion_matrix(y, A2)`` -> C (10, 10) ints, from the labels y (m,) and A2 (10, m).

    Used in ``07_evaluation.ipynb``: the prediction is ŷ_i = argmax_k A2[k, i] and C[k, k'] counts the
    images with label k predicted as k'. Diagnoses: argmax along the wrong axis (silent when m = 10),
    C transposed, repeated pairs counted once (``C[y, p] += 1``), counts that do not add up to m, a
    float C, a C sized by the largest digit + 1 (a case with no 9 among labels and predictions), a wrong
    shape. Returns True only when all tests pass.
    """
    (y10, A10), (y30, A30), (y12, A12) = _confusion_inputs()
    return _run(confusion_matrix_function, [_confusion_case(y10, A10),
                                            _together(_confusion_case(y30, A30), _confusion_case(y12, A12))],
                "C[k, k'] counts the images of digit k predicted as k'")


# ---------------------------------------------------------------- 05: the learning-rate range test (transfer)

@lru_cache(maxsize=1)
def _range_test_inputs():
    rng = np.random.default_rng(7)
    m = 40
    X = rng.random((N_PIXELS, m)) * (rng.random((N_PIXELS, 1)) < 0.3)  # sparse ink, pixels in [0, 1]
    Y = one_hot(rng.integers(0, N_CLASSES, m), dtype=np.float64)
    params = init_params(np.random.default_rng(8), scheme="he", dtype=np.float64)
    return params, X, Y, np.logspace(-2, 0.5, 10)


def _range_test_variant(params, X, Y, alphas, before=False, restart=False, alpha_fixed=None, sign=-1.0):
    """The losses of a range test with one mistake (or none): the reference and its classic variants."""
    from .network import backward_prop

    start, losses = params, []
    for alpha in alphas:
        if restart:
            params = start
        Z1, A1, Z2, A2 = forward_prop(*params, X)
        if before:
            losses.append(cross_entropy_loss(A2, Y))
        grads = backward_prop(Z1, A1, Z2, A2, params[0], params[2], X, Y)
        a = alpha if alpha_fixed is None else alpha_fixed
        params = tuple(P + sign * a * dP for P, dP in zip(params, grads))
        if not before:
            with np.errstate(all="ignore"):
                losses.append(cross_entropy_loss(forward_prop(*params, X)[3], Y))
    return np.array(losses, dtype=float)


def _range_test_case(f):
    params, X, Y, alphas = _range_test_inputs()
    out, changed = _call_watching(f, (params, X, Y, alphas), ("params", "X", "Y", "alphas"),
                                  on=f" on {X.shape[1]} images and {alphas.size} alphas")
    n = alphas.size
    if out is None:
        return ["returns None: did you forget `return losses`?"]
    try:
        losses = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        return [f"returns {type(out).__name__}, expected the {n} losses: a list or array of numbers"]
    findings = []
    if changed:
        findings.append(_in_place_finding(changed, "W1 -= alpha * dW1", "update_params(...) or W1 = W1 - alpha * dW1"))
    if losses.shape != (n,):
        if losses.shape == (n + 1,):
            return [*findings, f"returns {n + 1} losses for {n} alphas: the loss at the start as well? "
                    "record one loss per alpha, after its step"]
        if losses.ndim == 2 and losses.shape[0] == n:
            return [*findings, f"returns shape {losses.shape}: one number per alpha, the loss "
                    "(cross_entropy_loss(A2, Y)), not a tuple of results"]
        return [*findings, f"returns shape {losses.shape}, expected ({n},): one loss per alpha"]
    if _close(losses, _range_test_variant(params, X, Y, alphas)):
        return findings
    variants = [
        (dict(before=True), "records the loss before each step: take the step with alpha first, then the loss "
                            "of the new parameters (the loss that alpha led to)"),
        (dict(restart=True), "starts every step from the first parameters: carry them on, each step from where "
                             "the previous one left off (params = update_params(...))"),
        (dict(alpha_fixed=alphas[0]), f"steps with alphas[0] = {alphas[0]:g} every time: step i uses alphas[i]"),
        (dict(alpha_fixed=alphas[-1]), f"steps with the last alpha ({alphas[-1]:.2g}) every time: step i uses "
                                       "alphas[i]"),
        (dict(sign=+1.0), "moves uphill: a step subtracts the gradient, W := W - alpha * dW"),
        (dict(before=True, restart=True), "computes the loss of the first parameters only: carry the parameters on "
                                          "and record the loss after each step"),
    ]
    for kwargs, message in variants:
        if _close(losses, _range_test_variant(params, X, Y, alphas, **kwargs)):
            return [*findings, message]
    return [*findings, "differs from one update_params step per alpha, in order, each followed by "
                       "cross_entropy_loss(forward_prop(*params, X)[3], Y)"]


def check_lr_range_test(lr_range_test_function):
    """Check a student's ``lr_range_test(params, X, Y, alphas)`` -> losses, shape (len(alphas),).

    Used in ``05_training.ipynb`` (the transfer exercise). On 40 fixed random images (float64) and 10 growing
    alphas, compared with ``helpers.lr_range_test``. Diagnoses: the loss recorded before each step, every step
    from the first parameters, one alpha for all steps, a step uphill, the starting loss added (n + 1 losses),
    a tuple per alpha, the inputs changed in place, a forgotten return. Returns True only when all tests pass.
    """
    return _run(lr_range_test_function, [_range_test_case],
                "one step per alpha, in order, from where the last one left off, and the loss after it")


# ---------------------------------------------------------------- 06: Nesterov's momentum (transfer)

class _Gradient:
    """A fixed non-linear gradient, g(P) = D * P + sin(P) per array, taking the whole tuple like backward_prop."""

    def __init__(self, D):
        self.D = D

    def __call__(self, params):
        if not isinstance(params, (tuple, list)) or len(params) != len(self.D):
            raise TypeError(f"gradient takes the whole tuple of {len(self.D)} parameters (as backward_prop needs "
                            "them all); call it once, on the look-ahead tuple (P + momentum * V for each P)")
        return tuple(D * np.asarray(P) + np.sin(P) for D, P in zip(self.D, params))


@lru_cache(maxsize=1)
def _nesterov_inputs():
    params, _, velocity = _update_inputs()
    D = tuple(np.random.default_rng(9).uniform(0.5, 3.0, SHAPES[n]) for n in NAMES)
    return params, velocity, _Gradient(D)


def _nesterov_case(alpha, momentum):
    def case(f):
        params, velocity, gradient = _nesterov_inputs()
        out, changed = _call_watching(f, (params, velocity, gradient, alpha, momentum),
                                      ("params", "velocity", "gradient", "alpha", "momentum"),
                                      on=f" with momentum = {momentum}")
        problem = _tuple_of(out, 2, "params, velocity")
        if problem:
            return [problem]
        if changed:
            return [_in_place_finding(changed, "P += momentum * V or V *= momentum",
                                      "ahead = P + momentum * V, a new array")]
        new_params, new_velocity = out
        for what, group in (("params", new_params), ("velocity", new_velocity)):
            problem = _tuple_of(group, 4, f"(W1, b1, W2, b2) as {what}")
            if problem:
                return [f"its {what}: {problem}"]
        for name, P_new, P in zip(NAMES, (*new_params, *new_velocity), (*params, *velocity)):
            problem = _not_an_array(P_new, name, P.shape)
            if problem or P_new.shape != P.shape:
                return [f"{name}: {problem or f'has shape {P_new.shape}, expected {P.shape}'}"]

        def velocity_at(point, sign=-1.0):
            return tuple(momentum * V + sign * alpha * g for V, g in zip(velocity, gradient(point)))

        ahead = tuple(P + momentum * V for P, V in zip(params, velocity))
        ref_V = velocity_at(ahead)
        if not all(_close(a, b) for a, b in zip(new_velocity, ref_V)):
            wrong = [
                (params, "takes the gradient at P, where the parameters are now: that is momentum_step; "
                         "Nesterov takes it at the look-ahead P + momentum * V"),
                (tuple(P + V for P, V in zip(params, velocity)),
                 "takes the gradient at P + V: the look-ahead is P + momentum * V (where the old velocity, "
                 "decayed by momentum, carries P)"),
                (tuple(P - momentum * V for P, V in zip(params, velocity)),
                 "takes the gradient at P - momentum * V: look ahead, not back: P + momentum * V"),
            ]
            for point, message in wrong:
                if all(_close(a, b) for a, b in zip(new_velocity, velocity_at(point))):
                    return [f"velocity: {message}"]
            if all(_close(a, b) for a, b in zip(new_velocity, velocity_at(ahead, sign=+1.0))):
                return ["velocity: adds the gradient: V := momentum * V - alpha * g (minus: downhill)"]
            return ["velocity: is not momentum * V - alpha * g with g = gradient(P + momentum * V)"]
        findings = []
        for name, P_new, P, V_new, V, A in zip(NAMES, new_params, params, new_velocity, velocity, ahead):
            if _close(P_new, P + V_new):
                continue
            if _close(P_new, A + V_new):
                message = ("steps from the look-ahead: the look-ahead is only where the gradient is taken; "
                           "P := P + V from the current P")
            elif _close(P_new, P - V_new):
                message = "steps against the velocity: V already points downhill, so P := P + V"
            elif _close(P_new, P + V):
                message = "steps with the old velocity: compute the new V first, then P := P + V"
            else:
                message = "is not P + V (with the new velocity V)"
            findings.append((name, message))
        return findings
    return case


def check_nesterov_step(nesterov_step_function):
    """Check a student's ``nesterov_step(params, velocity, gradient, alpha, momentum)`` -> (params, velocity).

    Used in ``06_training_further.ipynb`` (the transfer exercise). ``gradient(params) -> grads`` takes a whole
    4-tuple; here a fixed non-linear one, so that the point where it is taken shows. The spec: g = gradient(P +
    momentum V), V := momentum V - alpha g, P := P + V. Diagnoses: the gradient taken at P (plain momentum), at
    P + V or at P - momentum V, the gradient added, a step from the look-ahead, P - V, the old velocity, the
    inputs changed in place, the gradient called on one array. Returns True only when all tests pass.
    """
    return _run(nesterov_step_function, [_nesterov_case(0.1, 0.9), _nesterov_case(0.05, 0.5)],
                "g = gradient(P + momentum V), V := momentum V - alpha g, then P := P + V")

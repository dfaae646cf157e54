"""Checks that diagnose: run a student's function on small fixed cases and name the classic mistake.

Taught with the "Your turn" exercises: ``check_one_hot`` (``01_data.ipynb``), ``check_softmax`` and
``check_forward_prop`` and ``check_leaky_relu`` (``02_forward.ipynb``), ``check_squared_error_gradient``
(``03_backward_loss.ipynb``), ``check_backward_prop`` and ``check_leaky_relu_derivative``
(``04_backward_gradients.ipynb``), ``check_update_params`` and ``check_lr_range_test`` (``05_training.ipynb``),
``check_l2_gradients`` and ``check_stopping_point`` (``06_training_overfitting.ipynb``), ``check_momentum_step``
and ``check_nesterov_step`` (``07_training_further.ipynb``), ``check_confusion_matrix`` and
``check_recall_precision`` (``08_evaluation.ipynb``).

Each ``check_<name>(function)`` calls the student's ``function`` on fixed small inputs, compares what it
returns with the helpers' reference implementation (and, for the gradients, with central finite
differences) and prints one line per finding (what is wrong and how to fix it). Then it gives its verdict:
it returns None when every test passes (a check cell shows the pass line and nothing after it), and
otherwise raises ``CheckFailed``, an ``AssertionError`` that IPython shows as one line, not a traceback, so
that the cell fails (Run All stops there, and nbgrader gives a check cell its points only when it passes):

    ✓ my_softmax passes all 4 tests: columns sum to 1, finite at logits of ±1000, input left as it was
    ✗ my_softmax: A has NaN or inf at large logits (exp(1000) overflows to inf, inf / inf = NaN): subtract ...
    CheckFailed: my_softmax does not pass yet: fix what the ✗ line says, run its cell, then this one
    … my_softmax is not written yet: replace `raise NotImplementedError()` with your code, run its cell, then this one
    CheckFailed: my_softmax is not written yet

A function that still raises ``NotImplementedError`` gets "not written yet"; any other exception one line
naming it (and the mistake, when the check can tell which one made it), never a traceback. The cases come
from fixed seeds, warnings of the student's code are silenced (an overflow is diagnosed instead), and no
number is printed finer than its first digit: the output is the same on every machine.

A new check is a ``check_<name>(function)`` that returns ``_run(function, cases, passed)``: each case calls
the student's function through ``_call`` and returns a list of findings (empty when it passes).
"""

import linecache
import os
import re
import warnings
from functools import lru_cache
from itertools import permutations

import numpy as np

from .data import N_CLASSES, N_PIXELS, one_hot
from .network import N_HIDDEN, cross_entropy_loss, forward_prop, init_params, relu, relu_derivative, softmax
from .plots import confusion_matrix
from .training import l2_gradients, momentum_step, stopping_point

PASS, FAIL, TODO = "✓", "✗", "…"
RTOL = 1e-6  # relative error allowed against the reference (float64 inputs everywhere)
GRAD_EPS = 1e-5  # step of the central differences (04_backward_gradients: about the cube root of float64's eps)
N_W1_CHECKED = 30  # entries of dW1 compared with finite differences (all of db1, dW2, db2 are)
NAMES = ("W1", "b1", "W2", "b2")
GRAD_NAMES = ("dW1", "db1", "dW2", "db2")
SHAPES = {"W1": (N_HIDDEN, N_PIXELS), "b1": (N_HIDDEN, 1), "W2": (N_CLASSES, N_HIDDEN), "b2": (N_CLASSES, 1)}


class CheckFailed(AssertionError):
    """A check found a problem; it has printed what is wrong and how to fix it, one line per finding.

    ``findings`` holds those lines. IPython (and so Jupyter and nbgrader) shows an exception that has a
    ``_render_traceback_`` method by the list of lines that method returns instead of a traceback: here
    one line, ``CheckFailed: <verdict>``. Plain Python shows the usual traceback.
    """

    def __init__(self, verdict, findings=()):
        super().__init__(verdict)
        self.findings = list(findings)

    def _render_traceback_(self):
        return [f"{type(self).__name__}: {self}"]


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

    ``passed`` says what the function got right, for the pass line. Prints the findings; returns None when
    every case passes, else raises CheckFailed (after printing).
    """
    name = getattr(function, "__name__", "your function")
    if not callable(function):
        _fail([f"{FAIL} expected a function, got {type(function).__name__}: pass the function itself, "
               "e.g. check_softmax(my_softmax), not my_softmax(Z)"], "expected a function")
    for case in cases:
        failure = None  # (lines, verdict), raised outside the except clauses: no chained traceback
        try:
            findings = case(function)
        except _NotWritten as not_written:
            inner = not_written.args[0]
            if inner not in (name, "<lambda>"):
                failure = ([f"{TODO} {name} calls {inner}, which is not written yet: write {inner} first "
                            "(or use the helpers' version)"], f"{name} calls {inner}, which is not written yet")
            else:
                failure = ([f"{TODO} {name} is not written yet: replace `raise NotImplementedError()` with your "
                            "code, run its cell, then this one"], f"{name} is not written yet")
        except _StudentError as wrapped:
            err, on = wrapped.args
            failure = ([f"{FAIL} {name} raised {type(err).__name__}{on}: {_named_error(err) or _first_line(err)}"],
                       f"{name} raised {type(err).__name__}: fix what the ✗ line says, run its cell, then this one")
        else:
            if findings:
                lines = [f"{FAIL} {name}: {line}" for line in _merge(findings)]
                what = "the ✗ lines say" if len(lines) > 1 else "the ✗ line says"
                failure = (lines, f"{name} does not pass yet: fix what {what}, run its cell, then this one")
        if failure:
            _fail(*failure)
    tests = f" all {len(cases)} tests" if len(cases) > 1 else ""
    print(f"{PASS} {name} passes{tests}: {passed}")


def _fail(lines, verdict):
    """Print the findings, one line each, then raise CheckFailed with the one-line verdict."""
    for line in lines:
        print(line)
    raise CheckFailed(verdict, lines)


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


_NUMPY_DIR = os.path.dirname(np.__file__)
_HELPERS_DIR = os.path.dirname(os.path.abspath(__file__))


def _frames(err):
    """The (frame, line number) pairs of ``err``'s traceback, outermost first."""
    frames, tb = [], err.__traceback__
    while tb is not None:
        frames.append((tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    return frames


def _student_line(err):
    """The line of the student's code where ``err`` was raised ('' if its source is unknown).

    The deepest frame outside NumPy and the helpers; Jupyter keeps each cell's source in linecache.
    """
    for frame, number in reversed(_frames(err)):
        filename = os.path.abspath(frame.f_code.co_filename)
        if not filename.startswith((_NUMPY_DIR, _HELPERS_DIR)):
            return linecache.getline(frame.f_code.co_filename, number).strip()
    return ""


def _raised_in_numpy(err, *names):
    """Whether ``err`` was raised inside one of NumPy's Python functions called ``names``."""
    return any(os.path.abspath(frame.f_code.co_filename).startswith(_NUMPY_DIR) and frame.f_code.co_name in names
               for frame, _ in _frames(err))


def _named_error(err):
    """The mistake an exception of the student's code shows whatever the check, or None.

    Matched on what raised it (never a hint for a cause it does not show): Python's ``if``/``max``/``and`` on
    an array (one truth value asked of many; ``and``/``or`` between comparisons, a mask as in
    ``08_evaluation``'s confusion matrix, gets ``&``), or ``np.max`` used as ``np.maximum``.
    """
    line = _student_line(err)
    if isinstance(err, ValueError) and "truth value of an array" in str(err):
        if "max(" in line.replace("np.max(", "").replace("np.maximum(", ""):
            return ("Python's max(Z, 0) compares the whole array Z with 0, and an array is not one True or False: "
                    "the ReLU takes the larger of each entry and 0, np.maximum(Z, 0), entry by entry")
        if re.search(r"\b(and|or)\b", line) and re.search(r"==|!=|<|>", line):
            return ("`and` / `or` between two comparisons of arrays asks each array for one True or False, and it "
                    "has one per entry: for a mask where both hold, put each comparison in parentheses and join "
                    "them with & (| for or), e.g. (y == k) & (predictions == k2)")
        return ("an `if`, `and`, `or` or Python's `max` asks an array for one True or False, and it has one per "
                "entry: work entry by entry, np.maximum(Z, 0) for the ReLU, (Z > 0) for its slope, "
                "np.where(Z > 0, Z, 0) for an if/else")
    if _raised_in_numpy(err, "max", "amax"):
        return ("np.max(a, axis) is the largest entry of one array (its second argument is an axis), not the "
                "larger of two: the ReLU is np.maximum(Z, 0), entry by entry")
    return None


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
            names = GRAD_NAMES if name == "grads" else NAMES
            items = [names[i] if len(original) == len(names) else str(i)
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
        try:
            out = _call(f, y, on=f" on labels y of shape ({m},)")
        except _StudentError as wrapped:
            err = wrapped.args[0]
            if isinstance(err, IndexError) and _right_on_every_digit(f):
                return [f"raised IndexError on labels y of shape ({m},): Y has a row for each distinct label, "
                        f"and {np.unique(y).size} labels occur in y = {y.tolist()}: its label {y.max()} finds no row; "
                        "every digit needs its row, present or not: np.zeros((10, m))"]
            raise
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
        distinct = np.unique(y).size
        if out.shape != ref.shape and distinct < y.max() + 1 and distinct in out.shape and m in out.shape:
            return [f"Y has shape {out.shape}: one row per distinct label ({distinct} occur in y), but a digit "
                    "missing from y still needs its row: 10 rows, one column per label, np.zeros((10, m)), "
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


def _right_on_every_digit(f):
    """Whether ``f`` one-hot encodes labels in which all ten digits occur (a probe; never raises)."""
    y = np.array([4, 0, 7, 1, 9, 2, 5, 3, 8, 6, 1])
    try:
        return _close(_call(f, y.copy()), one_hot(y))
    except Exception:  # noqa: BLE001 - only a probe
        return False


def check_one_hot(one_hot_function):
    """Check a student's ``one_hot(y)`` -> Y (10, m), ``Y[k, i] = 1`` when ``y[i] == k``. Used in ``01_data.ipynb``.

    Diagnoses: Y transposed (m × 10), ``y.max() + 1`` rows instead of 10 (or both: the seed's
    m × (y.max() + 1)), a row per distinct label (``np.unique(y).size``), a column without exactly one 1,
    the 1 in the wrong row, a forgotten ``return``. Returns None when all tests pass, else raises CheckFailed.
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
    in place, a wrong shape, a forgotten ``return``. Returns None when all tests pass, else raises CheckFailed.
    """
    square, wide, big = _softmax_inputs()
    return _run(softmax_function, [_softmax_case(square), _softmax_case(wide), _softmax_case(big),
                                   _softmax_changes_input],
                "columns sum to 1, finite at logits of ±1000, input left as it was")


_FLAT_BIAS = ("a (10,) bias broadcasts wrongly: W @ X + {b}.ravel() adds {b}[i] to column i (image i), not to "
              "row i (unit i), and raises a shape error unless m = 10; keep {b} a (10, 1) column")


_NP_MAX = ("A1 = np.max(Z1, 0) is the largest entry of each column, one number per image (np.max's second "
           "argument is an axis), and Z2 = W2 @ A1 then fails unless m = 10: the ReLU takes the larger of each "
           "entry and 0, A1 = np.maximum(Z1, 0)")
_TIMES_FOR_AT = ("multiplies {W} * {X} entry by entry, where a layer is a matrix product (each unit sums over "
                 "its inputs): {Z} = {W} @ {X} + {b}")


def _forward_on_10_images(f, params, X10):
    """What ``f`` got wrong if on 10 images, where a (10,) vector broadcasts, it runs: a flat bias, np.max."""
    W1, b1, W2, b2 = params
    try:
        out = _call(f, W1, b1, W2, b2, X10)
        Z1, A1 = out[0], out[1]
        if _close(Z1, W1 @ X10 + b1.ravel()):
            return _FLAT_BIAS.format(b="b1")
        if _close(A1, Z1.max(axis=0)) or _close(A1, Z1.max(axis=0, keepdims=True)):
            return _NP_MAX
        if _close(out[2], W2 @ A1 + b2.ravel()):
            return _FLAT_BIAS.format(b="b2")
    except Exception:  # noqa: BLE001 - only a probe: any other failure keeps the original error
        return None
    return None


def _times_for_at(err):
    """The finding if a broadcast error comes from W1 * X or W2 * A1 (written * for @), else None."""
    line = _student_line(err).replace(" ", "")
    if not (isinstance(err, ValueError) and "broadcast" in str(err)) or "@" in line or "dot(" in line:
        return None
    for W, X, Z, b in (("W1", "X", "Z1", "b1"), ("W2", "A1", "Z2", "b2")):
        if f"{W}*{X}" in line or f"multiply({W},{X})" in line:
            return _TIMES_FOR_AT.format(W=W, X=X, Z=Z, b=b)
    return None


def _forward_case(params, X, X10=None):
    def case(f):
        W1, b1, W2, b2 = params
        try:
            out = _call(f, W1, b1, W2, b2, X, on=f" on X of shape {X.shape}")
        except _StudentError as wrapped:
            err = wrapped.args[0]
            named = _named_error(err) or _times_for_at(err) or (
                X10 is not None and isinstance(err, ValueError) and _forward_on_10_images(f, params, X10))
            if named:
                return [f"raised {type(err).__name__} on X of shape {X.shape}: {named}"]
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
    (a shape error on 6 images, a wrong sum on 10), a ReLU written with ``np.max`` (an axis), Python's
    ``max`` or an ``if``, ``W1 * X`` for ``W1 @ X``, a transposed result, the right arrays in the wrong
    order, a wrong number of returned values. Returns None when all tests pass, else raises CheckFailed.
    """
    params, X, _ = _fixed_inputs()
    W1, b1, W2, b2 = params
    loud = (W1, b1, W2, np.linspace(-1000, 1000, N_CLASSES).reshape(-1, 1))  # logits of +-1000
    return _run(forward_prop_function, [_together(_forward_case(params, X[:, :6], X[:, :10]),
                                                       _forward_case(params, X[:, :10])),  # m = 10: a (10,) bias
                                        _forward_case(loud, X[:, :6])],
                "Z1, A1, Z2, A2 as the spec says, finite at logits of ±1000")


# ---------------------------------------------------------------- 03: backward_prop

def _gradients(Z1, A1, A2, W2, X, Y, W2_factor=None, slope=None, divide_by=None, sign=1.0, dZ2_slope=1.0,
               times=False, dot_slope=False, dW2_times=False):
    """The spec's six lines, with one of the classic mistakes switched on by the keyword arguments.

    ``times``: W2.T * dZ2 for W2.T @ dZ2; ``dot_slope``: (W2.T @ dZ2) @ ReLU'(Z1) for the entry-by-entry
    product; ``dW2_times``: dZ2 * A1.T for dZ2 @ A1.T (these three run only when m = 10).
    """
    m = X.shape[1] if divide_by is None else divide_by
    dZ2 = sign * (A2 - Y) * dZ2_slope
    W2_T = W2.T if W2_factor is None else W2_factor
    back = W2_T * dZ2 if times else W2_T @ dZ2
    slope = relu_derivative(Z1) if slope is None else slope
    dZ1 = back @ slope if dot_slope else back * slope
    dW2 = dZ2 * A1.T if dW2_times else dZ2 @ A1.T
    return (dZ1 @ X.T / m, dZ1.sum(axis=1, keepdims=True) / m, dW2 / m, dZ2.sum(axis=1, keepdims=True) / m)


def _sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


_ONE_HOT_AGAIN = ("one-hot encodes Y again (it runs when given the labels y instead): here Y is already one-hot, "
                  "10 × m (the walkthrough's backward_prop took the labels and called one_hot(Y) itself); "
                  "use Y as it is, dZ2 = A2 - Y")


def _given_labels(f):
    """Whether ``f`` returns the right gradients when given the labels y (m,) where Y (10, m) belongs."""
    params, X, Y, (Z1, A1, Z2, A2), _, _ = _backward_inputs()
    y = _fixed_inputs()[2]
    try:
        out = _call(f, Z1, A1, Z2, A2, params[0], params[2], X, y.copy())
        return all(_close(g, r) for g, r in zip(out, _gradients(Z1, A1, A2, params[2], X, Y), strict=True))
    except Exception:  # noqa: BLE001 - only a probe
        return False


def _backward_on_10_images(f_backward):
    """What a backward_prop that raised on 20 images got wrong, if on 10 (all factors 10 × 10) it runs."""
    params, X, Y, (Z1, A1, Z2, A2), _, _ = _backward_inputs()
    W1, W2 = params[0], params[2]
    Z1, A1, Z2, A2, X, Y = (a[:, :10] for a in (Z1, A1, Z2, A2, X, Y))
    try:
        out = _call(f_backward, Z1, A1, Z2, A2, W1, W2, X, Y)
        if len(out) != 4:
            return None
    except Exception:  # noqa: BLE001 - only a probe
        return None
    named = []
    for keyword, message in (
            ("times", "multiplies W2.T * dZ2 entry by entry (np.multiply or *), where the chain rule sums over "
                      "the units of layer 2, a matrix product: dZ1 = (W2.T @ dZ2) * (Z1 > 0)"),
            ("dot_slope", "multiplies by ReLU'(Z1) with a matrix product (np.dot or @), where each entry has its own "
                          "slope, entry by entry: dZ1 = (W2.T @ dZ2) * (Z1 > 0)"),
            ("dW2_times", "multiplies dZ2 * A1.T entry by entry, where dW2 sums over the images, a matrix product: "
                          "dW2 = dZ2 @ A1.T / m")):
        wrong = _gradients(Z1, A1, A2, W2, X, Y, **{keyword: True})
        if any(_close_or_false(g, w) and not _close(w, r)
               for g, w, r in zip(out, wrong, _gradients(Z1, A1, A2, W2, X, Y))):
            named.append(message)
    return "; it ".join(named) or None


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
    try:
        out, changed = _call_watching(f, (Z1, A1, Z2, A2, W1, W2, X, Y),
                                      ("Z1", "A1", "Z2", "A2", "W1", "W2", "X", "Y"), on=f" on X of shape {X.shape}")
    except _StudentError as wrapped:
        err = wrapped.args[0]
        named = _named_error(err) or (_ONE_HOT_AGAIN if _given_labels(f) else _backward_on_10_images(f))
        if named:
            return [f"raised {type(err).__name__} on X of shape {X.shape}: {named}"]
        raise
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
        (_gradients(Z1, A1, A2, W2, X, Y, slope=1 - A1 ** 2),
         "multiplies by tanh's slope 1 - A1², where this network's activation is the ReLU: "
         "dZ1 = W2.T @ dZ2 * ReLU'(Z1), with ReLU'(Z1) = (Z1 > 0)"),
        (_gradients(Z1, A1, A2, W2, X, Y, slope=A1 * (1 - A1)),
         "multiplies by the sigmoid's slope A1 (1 - A1), where this network's activation is the ReLU: "
         "dZ1 = W2.T @ dZ2 * ReLU'(Z1), with ReLU'(Z1) = (Z1 > 0)"),
        (_gradients(Z1, A1, A2, W2, X, Y, slope=_sigmoid(Z1) * (1 - _sigmoid(Z1))),
         "multiplies by the sigmoid's slope σ(Z1)(1 - σ(Z1)), where this network's activation is the ReLU: "
         "dZ1 = W2.T @ dZ2 * ReLU'(Z1), with ReLU'(Z1) = (Z1 > 0)"),
        (_gradients(Z1, A1, A2, W2, X, Y, dZ2_slope=A2 * (1 - A2)),
         "multiplies A2 - Y by the softmax's slope A2 (1 - A2) again: with the cross-entropy loss, A2 - Y already "
         "is the derivative through the softmax; dZ2 = A2 - Y"),
        (_gradients(Z1, A1, A2, W2, X, Y, dZ2_slope=relu_derivative(Z2)),
         "multiplies A2 - Y by ReLU'(Z2), but layer 2 has no ReLU (its activation is the softmax, already in "
         "A2 - Y): dZ2 = A2 - Y"),
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
            elif bias and g.shape in ((m,), (1, m)):
                message = (f"has shape {g.shape}, one number per image: it sums over the units (axis=0); a bias "
                           f"gradient has one number per unit, the sum over the images: "
                           f"{dZ}.sum(axis=1, keepdims=True) / m, shape {shape}")
            elif not bias and g.shape == (shape[0], m):
                message = (f"has shape {g.shape}, one column per image: an entry-by-entry product "
                           f"({'dZ1 * X' if k == 0 else 'dZ2 * A1'}) leaves the images unsummed, where the matrix "
                           f"product sums over them: {'dZ1 @ X.T' if k == 0 else 'dZ2 @ A1.T'} / m")
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
    if findings and _given_labels(f):  # a one_hot(Y) that runs on a one-hot Y, wrongly
        return [_ONE_HOT_AGAIN]
    return findings


def check_backward_prop(backward_prop_function):
    """Check a student's ``backward_prop(Z1, A1, Z2, A2, W1, W2, X, Y)`` -> dW1, db1, dW2, db2.

    Used in ``04_backward_gradients.ipynb``. On 20 fixed images (float64) each gradient is compared with central
    differences of the loss (all of db1, dW2, db2 and 30 entries of dW1, relative error below 1e-6, as
    in the notebook's gradient check); a gradient that fails is matched against the classic mistakes:
    a bias gradient summed to one scalar, a missing ``keepdims`` (shape (10,)), a missing or wrong 1/m
    (784 or 10 for m), ``W2 @ dZ2`` for ``W2.T @ dZ2``, a missing ReLU' (or A1 for ReLU'), Y - A2 for
    A2 - Y, a transposed gradient, m divided twice, any other common wrong scale (a global m), Z1 where
    A1 belongs in dW2, the inputs changed in place (``dZ2 = A2; dZ2 -= Y``), the right gradients in
    the wrong order, a bias gradient summed over the units (shape (m,) or (1, m)), tanh's or the sigmoid's
    slope for ReLU', the softmax's slope applied again after A2 - Y, ``*`` and ``@`` swapped
    (``np.multiply(W2.T, dZ2)``, ``np.dot`` for the ReLU' product, ``dZ2 * A1.T``; named by a rerun on 10
    images, where every factor is 10 × 10), ``one_hot(Y)`` applied to the one-hot Y (named by a rerun
    with the labels), an ``if`` on an array. Returns None when all tests pass, else raises CheckFailed.
    """
    return _run(backward_prop_function, [_backward_case],
                f"dW1, db1, dW2, db2 agree with central differences (relative error below {RTOL:.0e})")


# ---------------------------------------------------------------- 05-07: update_params, the L2 gradients, momentum

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
    if _close(out, P - alpha * P):
        return "steps by the parameter itself (W - alpha * W), not by its gradient: W := W - alpha * dW"
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
            problem = _other_gradient(name, new, P, alpha, grads) or _step_size_problem(name, new, P, dP, alpha)
            if problem:
                findings.append((name, problem))
        return findings
    return case


def _other_gradient(name, out, P, alpha, grads):
    """A finding if ``out`` is P - alpha times another parameter's gradient (dW2 and db2 swapped, say)."""
    for other, dQ in zip(NAMES, grads):
        try:
            stepped = P - alpha * dQ
        except ValueError:  # shapes that do not broadcast: not this mistake
            continue
        if other != name and isinstance(out, np.ndarray) and out.shape == stepped.shape and _close(out, stepped):
            return (f"steps by d{other}, the gradient of {other}: each parameter steps by its own gradient, "
                    f"{name} := {name} - alpha * d{name}")
    return None


def check_update_params(update_params_function):
    """Check a student's ``update_params(W1, b1, W2, b2, dW1, db1, dW2, db2, alpha)`` -> W1, b1, W2, b2.

    Used in ``05_training.ipynb``. Two values of alpha (0.1, then 0.5: a hard-coded alpha shows).
    Diagnoses: the wrong sign (a step uphill), alpha ignored or hard-coded, a parameter left unchanged,
    a parameter stepped by another one's gradient (dW2 and db2 swapped), a bias that becomes 10 × 10, the inputs
    changed in place (``W1 -= alpha * dW1``), the right arrays in the wrong order, a wrong number of returned
    values. Returns None when all tests pass, else raises CheckFailed.
    """
    return _run(update_params_function, [_update_case(0.1), _update_case(0.5)],
                "every parameter steps by minus alpha times its gradient")


def _l2_problem(name, out, dP, P, weight_decay):
    """A finding if ``out`` is not dP + weight_decay P (a weight's gradient); names the term it adds instead."""
    spec = "dW := dW + weight_decay * W"
    problem = _not_an_array(out, f"d{name}", dP.shape)
    if problem:
        return problem
    if out.shape != dP.shape:
        return f"has shape {out.shape}, expected {dP.shape}: the penalty's gradient has the weight's shape"
    (a, c), exact = _fit(out, dP, P)
    if not exact:
        return f"is not the loss's gradient plus weight_decay times the weight: {spec}"
    if abs(a - 1) > 1e-6:
        if abs(a) < 1e-9 and abs(c - (1 - weight_decay)) < 1e-6:
            return ("returns the decayed weight (1 - weight_decay) * W, not a gradient: the penalty adds "
                    f"weight_decay * W to the gradient, and the update step does the rest, so {spec}")
        if abs(a) < 1e-9:
            return f"drops the loss's own gradient, keeping only the penalty's: {spec}"
        return f"scales the loss's own gradient by {a:.2g}: {spec}"
    if abs(c - weight_decay) < 1e-6 * weight_decay:
        return None
    if abs(c) < 1e-9:
        return f"is returned unchanged: the weights are in the penalty, so {spec}"
    if abs(c + weight_decay) < 1e-6 * weight_decay:
        return f"subtracts weight_decay times the weight: the derivative of lambda/2 w^2 is +lambda w, so {spec}"
    if abs(c - weight_decay / 2) < 1e-6 * weight_decay:
        return ("adds weight_decay/2 times the weight: the derivative of lambda/2 w^2 is lambda w (the 2 of w^2 "
                f"cancels the 1/2), so {spec}")
    if abs(c - 2 * weight_decay) < 1e-6 * weight_decay:
        return (f"adds 2 weight_decay times the weight: the derivative of lambda/2 w^2 is lambda w, not 2 lambda w, "
                f"so {spec}")
    return f"adds {c:.2g} times the weight, not the weight_decay passed in ({weight_decay:g}): {spec}"


def _bias_problem(name, out, db, b):
    """A finding if ``out`` is not the bias gradient ``db`` unchanged."""
    problem = _not_an_array(out, f"d{name}", db.shape)
    if problem:
        return problem
    if out.shape != db.shape:
        return f"has shape {out.shape}, expected {db.shape}: return the bias's gradient as it came in"
    if _close(out, db):
        return None
    (_, c), exact = _fit(out, db, b)
    if exact and abs(c) > 1e-9:
        return "adds a penalty on the bias: only the weights are penalised, so db comes back unchanged"
    return "is changed: only the weights are penalised, so db comes back unchanged"


def _l2_case(weight_decay):
    def case(f):
        params, grads, _ = _update_inputs()
        out, changed = _call_watching(f, (grads, params, weight_decay), ("grads", "params", "weight_decay"),
                                      on=f" with weight_decay = {weight_decay}")
        problem = _tuple_of(out, 4, "dW1, db1, dW2, db2")
        if problem:
            return [problem]
        findings = []
        if changed:
            findings.append(_in_place_finding(changed, "dW1 += weight_decay * W1",
                                              "dW1 = dW1 + weight_decay * W1"))
        refs = l2_gradients(grads, params, weight_decay)
        problem = _wrong_order(out, refs, GRAD_NAMES)
        if problem:
            return [*findings, problem]
        for name, new, dP, P in zip(NAMES, out, grads, params):
            label = f"d{name}"
            problem = (_l2_problem(name, new, dP, P, weight_decay) if name.startswith("W")
                       else _bias_problem(name, new, dP, P))
            if problem:
                findings.append((label, problem))
        return findings
    return case


def check_l2_gradients(l2_gradients_function):
    """Check a student's ``l2_gradients(grads, params, weight_decay)`` -> dW1, db1, dW2, db2.

    Used in ``06_training_overfitting.ipynb``. Two values of weight_decay (0.1, then 0.3: a hard-coded one shows).
    Diagnoses: a penalty on the biases, the derivative's factor off by 2 (weight_decay/2 or 2 weight_decay), the
    wrong sign, a weight's gradient left unchanged or replaced by the penalty's alone, a weight_decay other than
    the one passed in, the gradients changed in place (``dW1 += ...``), the right arrays in the wrong order, a
    wrong number of returned values. Returns None when all tests pass, else raises CheckFailed.
    """
    return _run(l2_gradients_function, [_l2_case(0.1), _l2_case(0.3)],
                "each weight's gradient gains weight_decay times the weight, the biases' stay as they were")


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
        if all(_close_or_false(a, b) for a, b in zip((*new_params, *new_velocity), (*ref_velocity, *ref_params))):
            return ["returns (velocity, params): the right tuples in the wrong order; return params, velocity"]
        if _pytorch_style(out, params, velocity, grads, alpha, momentum):
            return [_PYTORCH]
        if _average_style(out, params, velocity, grads, alpha, momentum):
            return [_AVERAGE]
        findings = []
        for name, V_new, V, dP, ref in zip(NAMES, new_velocity, velocity, grads, ref_velocity):
            label = f"V of {name}"
            problem = _not_an_array(V_new, label, V.shape)
            if problem or V_new.shape != V.shape:
                findings.append((label, problem or f"has shape {V_new.shape}, expected {V.shape}"))
            elif not _close(V_new, ref):
                P = params[NAMES.index(name)]
                findings.append((label, _velocity_problem(V_new, V, dP, P, alpha, momentum, zero_velocity)))
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


_PYTORCH = ("uses PyTorch's convention, V := momentum V + dP, then P := P - alpha V (V sums gradients, alpha "
            "scales the step): the same steps while alpha stays fixed, but here the velocity is the step itself, "
            "V := momentum V - alpha dP (minus alpha), then P := P + V (plus)")


_AVERAGE = ("uses the moving-average convention, V := momentum V + (1 - momentum) dP, then P := P - alpha V (V "
            "averages gradients): here the velocity is the step itself, V := momentum V - alpha dP, then P := P + V")


def _average_style(out, params, velocity, grads, alpha, momentum):
    """Whether the student's (params, velocity) is V := mu V + (1 - mu) dP, P := P - alpha V, for every parameter."""
    try:
        return all(_close(V_new, momentum * V + (1 - momentum) * dP) and _close(P_new, P - alpha * V_new)
                   for P_new, V_new, P, V, dP in zip(*out, params, velocity, grads, strict=True))
    except (TypeError, ValueError):
        return False


def _pytorch_style(out, params, velocity, grads, alpha, momentum):
    """Whether the student's (params, velocity) is V := mu V + dP, P := P - alpha V, for every parameter."""
    try:
        return all(_close(V_new, momentum * V + dP) and _close(P_new, P - alpha * V_new)
                   for P_new, V_new, P, V, dP in zip(*out, params, velocity, grads, strict=True))
    except (TypeError, ValueError):
        return False


def _terms(a, b, first="V", second="dP"):
    """'0.9 V - 0.1 dP': a combination written with its signs as they are."""
    return f"{a:.2g} {first} {'-' if b < 0 else '+'} {abs(b):.2g} {second}"


def _velocity_problem(V_new, V, dP, P, alpha, momentum, zero_velocity):
    spec = f"V := momentum V - alpha dP = {_terms(momentum, -alpha)}"
    if zero_velocity:
        (b,), exact = _fit(V_new, dP)
        a = momentum
    else:
        (a, b), exact = _fit(V_new, V, dP)
    if not exact:
        if zero_velocity:
            (b, c), exact = _fit(V_new, dP, P)
        else:
            (a, b, c), exact = _fit(V_new, V, dP, P)
        if exact and abs(b) < 1e-9 and abs(c) > 1e-9:
            return (f"is built from the parameters P, not from their gradients dP ({_terms(a, c, 'V', 'P')}): "
                    f"{spec}")
        return f"is not momentum * V - alpha * dP: {spec}"
    if abs(b - alpha) < 1e-6:
        return f"adds the gradient ({_terms(a, b)}), a step uphill: subtract it, {spec}"
    if abs(b + 1) < 1e-6 and alpha != 1:
        return f"ignores alpha ({_terms(a, b)}): {spec}"
    if abs(b + alpha) > 1e-6:
        return f"computes {_terms(a, b)}, a gradient term that is not -alpha dP: {spec}"
    if abs(a - 1) < 1e-6:
        return f"keeps the whole old velocity ({_terms(a, b)}): multiply it by momentum, {spec}"
    if abs(a) < 1e-9:
        return f"forgets the old velocity ({_terms(a, b)}): {spec}"
    return f"keeps {a:.2g} of the old velocity, not momentum = {momentum:g}: {spec}"


def check_momentum_step(momentum_step_function):
    """Check a student's ``momentum_step(params, velocity, grads, alpha, momentum)`` -> (params, velocity).

    Used in ``07_training_further.ipynb``; ``params``, ``velocity`` and ``grads`` are 4-tuples (W1, b1, W2, b2).
    The spec: V := momentum V - alpha dP, then P := P + V (with the new V). Diagnoses: the gradient added
    (uphill), alpha ignored, the old velocity not scaled by momentum or forgotten, P - V for P + V, a step
    with the old velocity, a plain gradient step, the inputs changed in place (``V *= momentum``), a
    velocity built from the parameters, PyTorch's convention (V := momentum V + dP, P := P - alpha V), the
    moving-average one (V := momentum V + (1 - momentum) dP, P := P - alpha V), (velocity, params) returned in
    the wrong order;
    messages write the combination computed with its signs; with momentum 0 it must be ``update_params``.
    Returns None when all tests pass, else raises CheckFailed.
    """
    return _run(momentum_step_function, [_momentum_case(0.1, 0.9), _momentum_case(0.05, 0.5),
                                         _momentum_case(0.1, 0.0, zero_velocity=True)],
                "V := momentum V - alpha dP, then P := P + V; with momentum 0 it is update_params")


# ---------------------------------------------------------------- 08: the confusion matrix

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

    Used in ``08_evaluation.ipynb``: the prediction is ŷ_i = argmax_k A2[k, i] and C[k, k'] counts the
    images with label k predicted as k'. Diagnoses: argmax along the wrong axis (silent when m = 10),
    C transposed, repeated pairs counted once (``C[y, p] += 1``), counts that do not add up to m, a
    float C, a C sized by the largest digit + 1 (a case with no 9 among labels and predictions), a wrong
    shape. Returns None when all tests pass, else raises CheckFailed.
    """
    (y10, A10), (y30, A30), (y12, A12) = _confusion_inputs()
    return _run(confusion_matrix_function, [_confusion_case(y10, A10),
                                            _together(_confusion_case(y30, A30), _confusion_case(y12, A12))],
                "C[k, k'] counts the images of digit k predicted as k'")


# ---------------------------------------------------------------- 01 (transfer): the mean image of each digit

@lru_cache(maxsize=1)
def _digit_means_inputs():
    """Images (784, 43) in [0, 1] and labels with every digit, 1 to 7 images each (unequal counts)."""
    rng = np.random.default_rng(1)
    y = np.concatenate([np.arange(10), rng.integers(0, 10, 33)])
    rng.shuffle(y)
    X = rng.random((N_PIXELS, y.size)) * (rng.random((N_PIXELS, 1)) < 0.6)  # some pixels never inked
    return X, y


def _digit_means_reference(X, y):
    from .plots import digit_means

    return digit_means(X, y)


def _digit_means_case(f):
    X, y = _digit_means_inputs()
    m = y.size
    ref = _digit_means_reference(X, y)
    try:
        out, changed = _call_watching(f, (X, y), ("X", "y"), on=f" on X of shape {X.shape} and y of shape ({m},)")
    except _StudentError as wrapped:
        err = wrapped.args[0]
        if isinstance(err, IndexError) and "boolean index" in str(err):
            return ["raised IndexError (a boolean index of the wrong length): X[y == k] picks rows, the pixels; "
                    "the images are the columns of X, so pick columns: X[:, y == k]"]
        if isinstance(err, ValueError) and ("same shape" in str(err) or "could not broadcast input" in str(err)):
            return ["raised ValueError: the means of the digits have different lengths, so they cannot be stacked "
                    "or stored in a column of 784; did you average with axis=0? That averages the pixels of each "
                    "image (one number per image); average over the images instead, axis=1: 784 numbers per digit"]
        raise
    if changed:
        return [_in_place_finding(changed, "X /= 255 or y.sort()", "leave X and y as they are")]
    problem = _not_an_array(out, "M", ref.shape)
    if problem:
        return [problem]
    if out.shape == ref.T.shape:
        return ["M is 10 × 784 (one row per digit): the series puts one image per column, so M is 784 × 10; "
                "stack the ten means with axis=1 (or transpose)"]
    if out.shape == (N_PIXELS, 9):
        return ["M has 9 columns: range(9) stops at 8, and digit 9 needs its mean too: range(10)"]
    if out.shape != ref.shape:
        return [f"M has shape {out.shape}, expected (784, 10): one column (784 pixels) per digit"]
    if _close(out, ref):
        return []
    one_hot_y = one_hot(y)
    sums = X @ one_hot_y.T
    counts = one_hot_y.sum(axis=1)
    if _close(out, sums):
        return ["M adds the images of each digit up: divide column k by the number of images of digit k "
                "(or take .mean(axis=1) of X[:, y == k])"]
    if _close(out, sums / m):
        return [f"M divides each sum by m = {m}, all the images: divide by the number of images of digit k, "
                "which differs from digit to digit"]
    if _close(out, ref / 255):
        return ["M is the right mean divided by 255 once more: X is already in [0, 1] (notebook 01 divided the "
                "bytes by 255 when it built X); average X as it is"]
    if _close(out, np.repeat(X.mean(axis=1, keepdims=True), N_CLASSES, axis=1)):
        return ["every column of M is the mean of all the images: column k averages only the images whose label "
                "is k, X[:, y == k]"]
    if all(np.ptp(out[:, k]) == 0 for k in range(N_CLASSES)) and _close(out[0], [X[:, y == k].mean() for k in
                                                                             range(N_CLASSES)]):
        return ["every column of M is one number repeated: np.mean without an axis averages over the pixels too; "
                "average over the images only, .mean(axis=1), to keep one mean per pixel"]
    for k in range(N_CLASSES):
        if not _close(out[:, k], ref[:, k]):
            match = [j for j in range(N_CLASSES) if _close(out[:, k], ref[:, j])]
            if match:
                return [f"column {k} of M is the mean of digit {match[0]}: column k must be the mean of the images "
                        "labelled k, in the order 0, 1, ..., 9"]
            return [f"column {k} of M is not the mean of the images labelled {k} (there are {int(counts[k])} "
                    "of them here)"]
    return ["M differs from the mean of each digit's images"]


def check_digit_means(digit_means_function):
    """Check a student's ``digit_means(X, y)`` -> M (784, 10), column k the mean image of digit k.

    The transfer exercise of ``01_data.ipynb``. On 43 fixed images (784 random pixels each, labels with
    every digit, 1 to 7 images per digit). Diagnoses: X[y == k] (rows, not columns: IndexError), a mean
    along axis=0 (per image: ValueError) or without an axis (one number per digit), M transposed
    (10 × 784), range(9) (9 columns), sums instead of means, sums divided by all m images,
    a second division by 255, every column the mean of all images, the columns in the wrong order, the
    inputs changed in place, a wrong shape, a forgotten ``return``. Returns None when all tests pass, else raises
    CheckFailed.
    """
    return _run(digit_means_function, [_digit_means_case], "column k of M is the mean image of digit k")


# ---------------------------------------------------------------- 02 (transfer): leaky ReLU

@lru_cache(maxsize=1)
def _leaky_inputs():
    rng = np.random.default_rng(6)
    Z = rng.normal(0, 2, (N_HIDDEN, 7))
    Z[0, :3] = 0.0  # exact zeros: both branches give 0
    return Z


def _leaky_relu_case(slope):
    def case(f):
        Z = _leaky_inputs()
        try:
            out, changed = _call_watching(f, (Z, slope), ("Z", "slope"), on=f" on Z of shape {Z.shape}")
        except _StudentError as wrapped:
            err = wrapped.args[0]
            if isinstance(err, ValueError) and "truth value" in str(err):
                return ["raised ValueError (the truth value of an array is ambiguous): Python's max(a, b) and "
                        "`if Z > 0:` compare whole arrays, not entries; work entry by entry with NumPy: "
                        "np.maximum(a, b) or np.where(condition, value where true, value where false)"]
            if isinstance(err, TypeError) and ("scalar index" in str(err) or "integer" in str(err)):
                return ["raised TypeError: if you wrote np.max(a, b), it reads its second argument as an axis and "
                        "takes the largest entry of one array; the entry-by-entry larger of two arrays is "
                        "np.maximum(a, b)"]
            raise
        if changed:
            return [_in_place_finding(changed, "Z[Z < 0] *= slope", "np.where and np.maximum return one")]
        if isinstance(out, (float, np.floating)) or (isinstance(out, np.ndarray) and out.size == 1):
            return ["returns one number: np.max takes the largest entry of everything; leaky ReLU works entry by "
                    "entry (np.maximum(a, b) is the entry-by-entry larger of two arrays)"]
        problem = _not_an_array(out, "A", Z.shape)
        if problem:
            return [problem]
        if out.shape != Z.shape:
            return [f"returns shape {out.shape}, expected {Z.shape}, the shape of Z: keep every entry in its place "
                    "(Z[Z > 0] alone is a flat array of the positive entries)"]
        ref = np.where(Z > 0, Z, slope * Z)
        if _close(out, ref):
            return []
        pos, neg = Z > 0, Z < 0
        findings = []
        if not _close(out[pos], Z[pos]):
            if _close(out[pos], slope * Z[pos]):
                findings.append(f"multiplies the positive entries by the slope ({slope:g}): for Z > 0 leaky ReLU is "
                                "Z itself; the slope belongs to the negative side")
            elif _close(out[pos], np.ones(pos.sum())):
                findings.append("returns 1 for Z > 0: that is the slope of leaky ReLU (its derivative), "
                                "not leaky ReLU; for Z > 0 it is Z itself")
            else:
                findings.append("for Z > 0 the result must be Z itself")
        if not _close(out[neg], slope * Z[neg]):
            c = float(np.mean(out[neg] / Z[neg]))
            exact = _close(out[neg], c * Z[neg])
            if exact and abs(c) < 1e-12:
                findings.append("gives 0 for Z < 0: that is ReLU; leaky ReLU keeps slope * Z there "
                                f"(slope = {slope:g} here)")
            elif exact and abs(c + slope) < 1e-9:
                findings.append("gives -slope * Z for Z < 0, a positive number: keep the sign, slope * Z")
            elif exact and abs(c - 1) < 1e-9:
                findings.append("leaves Z < 0 as it is: multiply the negative entries by the slope")
            elif exact:
                findings.append(f"multiplies the negative entries by {c:.2g}, not by the slope passed in "
                                f"({slope:g}): use the argument slope, not a number typed in")
            elif _close(out[neg], np.full(neg.sum(), slope)):
                findings.append("returns the slope for Z < 0: that is the derivative of leaky ReLU; leaky ReLU "
                                "itself is slope * Z there")
            else:
                findings.append("for Z < 0 the result must be slope * Z")
        if not findings and not _close(out[~pos & ~neg], 0):
            findings.append("at Z = 0 leaky ReLU is 0 (both branches give 0)")
        return findings or ["differs from np.where(Z > 0, Z, slope * Z)"]
    return case


def check_leaky_relu(leaky_relu_function):
    """Check a student's ``leaky_relu(Z, slope)`` -> Z where Z > 0, slope * Z elsewhere, same shape as Z.

    The transfer exercise of ``02_forward.ipynb``; called with slope 0.1, then 0.01 (a slope typed in
    shows). Diagnoses: Python's ``max`` or an ``if`` on arrays (ambiguous truth value), ``np.max`` for
    ``np.maximum`` (a TypeError, or one number), plain ReLU (0 for Z < 0), the slope on the positive side,
    a slope typed in, the sign of the negative side, the derivative returned instead, the input changed in
    place (``Z[Z < 0] *= slope``), a flat result, a forgotten ``return``. Returns None when all tests pass,
    else raises CheckFailed.
    """
    return _run(leaky_relu_function, [_leaky_relu_case(0.1), _leaky_relu_case(0.01)],
                "Z where Z > 0, slope * Z elsewhere, for the slope passed in")


# ---------------------------------------------------------------- 03: the gradient of squared error (transfer)

@lru_cache(maxsize=1)
def _squared_error_inputs():
    """Three images' logits z (10, 1) and one-hot labels Y (10, 1): typical, lopsided, sure and wrong."""
    rng = np.random.default_rng(31)
    cases = []
    for label, z in ((3, rng.normal(0, 1, (10, 1))), (7, rng.normal(0, 3, (10, 1))),
                     (0, 6.0 * np.eye(10)[:, [4]] + rng.normal(0, 0.3, (10, 1)))):
        cases.append((z, np.eye(10)[:, [label]]))
    return tuple(cases)


_INNER_PRODUCT = ("builds J with the inner product a.T @ a, one number (Σ_k a_k²), where the outer product a @ a.T, "
                  "the 10 × 10 matrix of a_k a_k', is meant (for a flat a: np.outer(a, a)); NumPy subtracts that "
                  "number from every entry of diag(a) without an error, and since the entries of a - Y sum to 0 "
                  "the result keeps only diag(a)(a - Y): J = diag(a) - a @ a.T")


def _uses_inner_product(f, z):
    """Whether ``f`` answers like J = diag(a) - (a.T @ a): probed with Y = 0, where a - Y no longer sums to 0."""
    a = softmax(z)
    try:
        out = _call(f, z, np.zeros_like(a))
    except _StudentError:
        return False
    return isinstance(out, np.ndarray) and _close(out, a * a - np.sum(a * a)) and not _close(out, a * a)


def _squared_error_case(z, Y):
    def case(f):
        from .variants import softmax_jacobian, squared_error_gradient

        try:
            out = _call(f, z, Y, on=" on z and Y of shape (10, 1)")
        except _StudentError as wrapped:
            err = wrapped.args[0]
            if isinstance(err, ValueError) and "matmul" in str(err):
                return [f"raised ValueError in a matrix product ({_first_line(err)}): J is 10 × 10 and a - Y a "
                        "(10, 1) column, so J @ (a - Y) is (10, 1); a (1, 10) row or a flat (10,) there does not fit"]
            raise
        ref = squared_error_gradient(z, Y)
        problem = _not_an_array(out, "dz", ref.shape)
        if problem:
            return [problem]
        a = softmax(z)
        J = softmax_jacobian(a)
        if out.shape != ref.shape:
            if out.shape == (10, 10):
                if _close(out, J):
                    return ["returns the softmax Jacobian J itself (10 × 10): multiply it by dℓ/da, the (10, 1) "
                            "column a - Y, with a matrix product"]
                if _close(out, J * (a - Y)) or _close(out, J * (a - Y).T):
                    return ["is 10 × 10: `*` multiplies elementwise and broadcasts the (10, 1) column against J; "
                            "the chain rule sums over k, a matrix product: J @ (a - Y)"]
                return ["is 10 × 10, expected a (10, 1) column like z: one derivative per logit"]
            if out.size == 10:
                if _close(out.reshape(ref.shape), ref):
                    return [f"has shape {out.shape}, expected (10, 1), the shape of z: keep the column "
                            "(no .ravel(), no flat vectors)"]
            return [f"has shape {out.shape}, expected (10, 1), the shape of z: one derivative per logit"]
        if _close(out, ref):
            return []
        e = a - Y
        named = [
            (e, "is a - Y, the derivative with respect to a (or cross-entropy's dℓ/dz); squared error needs one more "
                "step of the chain rule, through the softmax: dℓ/dz = Jᵀ (a - Y) with J = diag(a) - a aᵀ"),
            (-ref, "has the wrong sign: dℓ/da = a - Y (the prediction minus the truth), not Y - a"),
            (2 * ref, "is twice too large: the ½ in ℓ = ½ Σ (a_k - Y_k)² cancels the 2 of the square's derivative"),
            (0.5 * ref, "is half the right size: the derivative of ½ u² is u, not ½ u"),
            (a * e, "keeps only diag(a), the k = k' part of J: every a_k also depends on the other logits through "
                    "the sum in the softmax, the - a aᵀ part; dℓ/dz = (diag(a) - a aᵀ)(a - Y)"),
            (a * (1 - a) * e, "uses the sigmoid's slope a (1 - a) elementwise: that is only the diagonal of the "
                              "softmax Jacobian; the chain rule needs all of J = diag(a) - a aᵀ"),
            (-np.outer(a, a) @ e, "keeps only - a aᵀ: J = diag(a) - a aᵀ has the diagonal term too"),
            (J @ a - Y, "computes J @ a - Y: the chain rule multiplies J by the whole derivative dℓ/da = a - Y, "
                        "J @ (a - Y)"),
            (squared_error_gradient(a, Y), "applies the softmax twice (to a, which is already softmax(z)): "
                                           "a = softmax(z), then J = diag(a) - a aᵀ and J (a - Y)"),
            (J @ (softmax(a) - Y), "applies the softmax twice (to a, which is already softmax(z)): a = softmax(z), "
                                   "then J (a - Y)"),
            (softmax_jacobian(softmax(a)) @ (a - Y), "computes J from softmax(a), the softmax applied twice: "
                                                      "J = diag(a) - a aᵀ with a = softmax(z)"),
            (softmax_jacobian(z) @ (a - Y), "builds J from the logits z: J = diag(a) - a aᵀ uses the "
                                            "probabilities a = softmax(z)"),
            (softmax_jacobian(a) @ (z - Y), "uses z - Y: the loss compares the probabilities a = softmax(z) "
                                            "with Y, so dℓ/da = a - Y"),
        ]
        for wrong, message in named:
            if _close(out, wrong):
                if wrong is named[4][0] and _uses_inner_product(f, z):
                    return [_INNER_PRODUCT]
                return [message]
        return ["differs from dℓ/dz = Jᵀ (a - Y), J = diag(a) - a aᵀ, a = softmax(z): compare it with "
                "central differences of ℓ, nudging one logit at a time"]
    return case


def check_squared_error_gradient(squared_error_gradient_function):
    """Check a student's ``squared_error_gradient(z, Y)`` -> dℓ/dz (10, 1) for ℓ = ½ Σ_k (a_k - Y_k)², a = softmax(z).

    Used in ``03_backward_loss.ipynb`` (a transfer exercise: squared error instead of cross-entropy, for one
    image). Three fixed images (typical logits, spread-out logits, a softmax sure of a wrong digit). Diagnoses:
    a - Y (the derivative in a, or cross-entropy's answer), the wrong sign, a factor 2 or ½, only the diagonal
    of the Jacobian (diag(a), or the sigmoid's a (1 - a)), the inner product a.T @ a (a number) for the outer
    a @ a.T (which also leaves only diag(a); told apart by a probe with Y = 0), only - a aᵀ, J @ a - Y, the
    softmax applied twice, J built from z, z - Y for a - Y, J itself returned, `*` for `@` (10 × 10), a flat
    (10,) answer, a matrix product that does not fit. Returns None when all tests pass, else raises CheckFailed.
    """
    cases = [_squared_error_case(z, Y) for z, Y in _squared_error_inputs()]
    return _run(squared_error_gradient_function, [_together(*cases)],
                "dℓ/dz = Jᵀ (a - Y) on 3 images, one of them sure of a wrong digit")


# ---------------------------------------------------------------- 04: leaky ReLU's slope (transfer)

@lru_cache(maxsize=1)
def _leaky_inputs():
    """Points away from the corner (10, 7), their central differences, and a small network's gradient check."""
    rng = np.random.default_rng(41)
    Z = rng.normal(0, 2, (10, 7))
    Z[np.abs(Z) < 0.05] = 0.5  # no point within a nudge of the corner
    return Z


def _leaky_values(Z, leak):
    return np.where(Z > 0, Z, leak * Z)


def _leaky_slope_case(leak):
    def case(f):
        Z = _leaky_inputs()
        try:
            out = _call(f, Z, leak, on=f" on Z of shape {Z.shape} with leak = {leak}")
        except _StudentError as wrapped:
            err = wrapped.args[0]
            if isinstance(err, ValueError) and "truth value" in str(err):
                return ["uses `if` (or `and`/`or`) on a whole array, which has no single truth value: the slope "
                        "is chosen entry by entry, e.g. with a mask Z > 0 or np.where"]
            if isinstance(err, TypeError) and ("positional argument" in str(err) or "keyword" in str(err)):
                return [f"cannot be called as f(Z, leak) ({_first_line(err)}): take the leak as the second "
                        "argument, def my_leaky_relu_derivative(Z, leak=0.01)"]
            raise
        eps = GRAD_EPS
        ref = (_leaky_values(Z + eps, leak) - _leaky_values(Z - eps, leak)) / (2 * eps)  # central differences
        problem = _not_an_array(out, "the slopes", Z.shape)
        if problem:
            return [problem]
        if out.shape != Z.shape:
            if out.size == 1:
                return [f"returns one number, not a slope per entry of Z {Z.shape}: np.max / max reduce the "
                        "whole array; the slope is chosen elementwise"]
            if out.ndim < Z.ndim:
                return [f"has shape {out.shape}, expected {Z.shape}: np.max / max reduce along an axis; the "
                        "slope is chosen entry by entry, keeping Z's shape"]
            return [f"has shape {out.shape}, expected {Z.shape}, the shape of Z: one slope per entry"]
        if _close(out, ref, rtol=1e-6, atol=1e-8):
            return []
        pos, neg = Z > 0, Z <= 0
        out = np.asarray(out, dtype=float)
        if _close(out, _leaky_values(Z, leak)):
            return ["returns leaky ReLU's values, not its slope: the derivative is 1 where z > 0 and leak where "
                    "z < 0 (each piece is a straight line)"]
        if _close(out, (Z > 0).astype(float)):
            return ["is ReLU', 0 for z < 0: leaky ReLU's left piece is leak · z, so its slope there is leak"]
        if np.allclose(out[pos], leak) and np.allclose(out[neg], 1):
            return ["has the two slopes swapped: 1 where z > 0 (z itself), leak where z < 0 (leak · z)"]
        if np.allclose(out[pos], 1) and np.allclose(out[neg], -leak):
            return ["gives - leak for z < 0: the derivative of leak · z is + leak (positive), whatever the sign of z"]
        if np.allclose(out[pos], 1) and np.allclose(out[neg], leak * Z[neg]):
            return ["gives leak · z for z < 0, the value: the slope of the line leak · z is the constant leak"]
        if np.allclose(out, 1):
            return ["is 1 everywhere: that is the slope of z itself; for z < 0 leaky ReLU is leak · z, slope leak"]
        if np.allclose(out[pos], 1) and np.allclose(out[neg], out[neg].flat[0]) and leak != 0.01 \
                and np.isclose(out[neg].flat[0], 0.01):
            return [f"uses leak = 0.01 although leak = {leak} was passed: use the argument leak, not a fixed number"]
        if np.allclose(out[neg], leak) and not np.allclose(out[pos], 1):
            return ["is right for z < 0 but not for z > 0: there leaky ReLU is z, slope 1"]
        if np.allclose(out[pos], 1):
            return ["is right for z > 0 but not for z < 0: there leaky ReLU is leak · z, slope leak"]
        return ["differs from the central differences (leaky_relu(z + ε) - leaky_relu(z - ε)) / 2ε: the slope is 1 "
                "where z > 0 and leak where z < 0"]
    return case


def _leaky_corner_case(f):
    """At z = 0 either one-sided slope is accepted; anything else, or NaN, is not."""
    Z = np.array([[0.0, -0.0, 2.0], [0.0, -3.0, 0.0]])
    out = np.asarray(_call(f, Z, 0.01, on=" on a Z with entries exactly 0"), dtype=float)
    corner = out[Z == 0] if out.shape == Z.shape else np.array([np.nan])
    if not np.all(np.isin(corner, (0.01, 1.0))):
        return ["at z = 0 (the corner) the slope must be one of the two one-sided slopes, leak or 1 (ReLU' takes "
                "the left one, 0): a test z > 0 or z >= 0 gives that"]
    return []


def _leaky_network_case(f):
    """The slope used in dZ1 of a 784-10-10 network with leaky ReLU units, against central differences of its loss."""
    params, X, y = _fixed_inputs()
    X, Y = X[:, :5], one_hot(y[:5], dtype=np.float64)
    leak = 0.1
    rng = np.random.default_rng(43)
    rows, cols = rng.integers(0, N_HIDDEN, 10), rng.integers(0, N_PIXELS, 10)

    def loss(p):
        A2 = softmax(p[2] @ _leaky_values(p[0] @ X + p[1], leak) + p[3])
        return cross_entropy_loss(A2, Y)

    def central(which, index):
        plus, minus = [p.copy() for p in params], [p.copy() for p in params]
        plus[which][index] += GRAD_EPS
        minus[which][index] -= GRAD_EPS
        return (loss(plus) - loss(minus)) / (2 * GRAD_EPS)

    W1, b1, W2, b2 = params
    Z1 = W1 @ X + b1
    A1 = _leaky_values(Z1, leak)
    dZ2 = softmax(W2 @ A1 + b2) - Y
    slope = np.asarray(_call(f, Z1, leak, on=" on Z1 of shape (10, 5)"), dtype=float)
    dZ1 = W2.T @ dZ2 * slope
    dW1, db1 = dZ1 @ X.T / 5, dZ1.sum(axis=1, keepdims=True) / 5
    num_W1 = np.array([central(0, (r, c)) for r, c in zip(rows, cols)])
    num_b1 = np.reshape([central(1, i) for i in np.ndindex(b1.shape)], b1.shape)
    error = max(_relative_error(num_W1, dW1[rows, cols]), _relative_error(num_b1, db1))
    if error >= RTOL:
        return [f"gives dW1, db1 of a leaky-ReLU network that fail the gradient check (relative error about "
                f"{10.0 ** np.round(np.log10(error)):.0e}, a correct one is below {RTOL:.0e})"]
    return []


def check_leaky_relu_derivative(leaky_relu_derivative_function):
    """Check a student's ``leaky_relu_derivative(Z, leak)`` -> the slope of leaky ReLU, elementwise, Z's shape.

    Used in ``04_backward_gradients.ipynb`` (a transfer exercise). Leaky ReLU is z for z > 0 and leak · z
    otherwise. Three tests: the slopes on 70 points away from the corner against central differences of
    leaky ReLU, with leak = 0.01 and 0.2 (a hard-coded 0.01 shows); at z = 0 one of the two one-sided slopes;
    the gradient check of a 784-10-10 network with leaky-ReLU hidden units whose dZ1 uses the student's slope.
    Diagnoses: ReLU' (0 for z < 0), the values instead of the slope, swapped slopes, - leak, leak · z, 1
    everywhere, a hard-coded leak, Python's ``if`` on an array, a reduction to one number (np.max, max), a
    wrong shape, a missing ``leak`` argument. Returns None when all tests pass, else raises CheckFailed.
    """
    return _run(leaky_relu_derivative_function,
                [_together(_leaky_slope_case(0.01), _leaky_slope_case(0.2)), _leaky_corner_case,
                 _leaky_network_case],
                "1 for z > 0, leak for z < 0, and a leaky-ReLU network passes the gradient check")


# ---------------------------------------------------------------- 08: recall and precision from C

def _recall_precision_case(counts):
    def case(f):
        C = np.asarray(counts)
        right = np.diag(C).astype(float)
        rows, columns = C.sum(axis=1), C.sum(axis=0)
        recall, precision = right / rows, right / columns
        out, changed = _call_watching(f, (C,), ("C",), on=" on a 10 × 10 C")
        if changed:
            return [_in_place_finding(changed, "e.g. np.fill_diagonal(C, 0)",
                                      "work on a copy, C.copy(), or compute without changing C")]
        problem = _tuple_of(out, 2, "recall, precision")
        if problem:
            if isinstance(out, np.ndarray) and out.shape == (10,) and (_close(out, recall) or _close(out, precision)):
                which = "recall" if _close(out, recall) else "precision"
                return [f"returns one array ({which}): return both, `return recall, precision`"]
            if np.ndim(out) == 0 and out is not None and _close_or_false(out, right.sum() / C.sum()):
                return ["returns one number, trace(C) / C.sum(): that is the accuracy; recall and precision "
                        "are one number per digit, (10,) each"]
            return [problem]
        if _close_or_false(out[0], precision) and _close_or_false(out[1], recall):
            return ["recall and precision are swapped: recall of digit k divides C[k, k] by row k's sum, "
                    "C.sum(axis=1) (the images whose label is k), precision by column k's sum, C.sum(axis=0) "
                    "(the images predicted k); return recall, precision in that order"]
        findings = []
        for name, got, ref, own, other, along in [
                ("recall", out[0], recall, "row", "column", "axis=1"),
                ("precision", out[1], precision, "column", "row", "axis=0")]:
            got = np.asarray(got, dtype=float) if _numeric(got) else got
            if not isinstance(got, np.ndarray):
                findings.append(f"{name} is a {type(got).__name__}, expected a NumPy array of 10 fractions")
            elif got.shape in ((10, 10), (1, 10), (10, 1)):
                findings.append(f"{name} has shape {got.shape}: a sum with keepdims=True is a column or a row "
                                f"((10, 1) or (1, 10)), and np.diag(C) (10,) divided by it broadcasts; sum along "
                                f"{along} without keepdims, for a (10,) result")
            elif got.shape != (10,):
                findings.append(f"{name} has shape {got.shape}, expected (10,): one fraction per digit")
            elif _close(got, ref):
                continue
            elif _close(got, right / (columns if name == "recall" else rows)):
                findings.append(f"{name} divides by the {other} sums: {name} of digit k divides C[k, k] by the "
                                f"{own} sum ({along}: " + ("the images whose label is k)" if name == "recall"
                                                            else "the images predicted k)"))
            elif _close(got, right / C.sum()):
                findings.append(f"{name} divides by C.sum(), all m images: divide C[k, k] by {own} k's sum, "
                                f"C.sum({along})")
            elif _close(got, 100 * ref):
                findings.append(f"{name} is in percent (0 to 100): return fractions from 0 to 1")
            elif _close(got, right):
                findings.append(f"{name} is C[k, k], a count: divide it by {own} k's sum, C.sum({along})")
            elif _close(got, np.floor(ref)) or _close(got, right // (rows if name == "recall" else columns)):
                findings.append(f"{name} is all 0s (and 1s): integer division //; divide with /")
            elif _close(got, 1 - ref):
                findings.append(f"{name} is 1 minus the right value: the diagonal C[k, k] counts the right "
                                "answers, so the fraction is C[k, k] / sum, not (sum - C[k, k]) / sum")
            else:
                findings.append(f"{name} differs from C[k, k] / ({own} k's sum, C.sum({along})) for digits "
                                f"{np.flatnonzero(~np.isclose(got, ref, rtol=RTOL)).tolist()}")
        return findings
    return case


# ---------------------------------------------------------------- 05: the learning-rate range test (transfer)

@lru_cache(maxsize=1)
def _range_test_inputs():
    rng = np.random.default_rng(7)
    m = 40
    X = rng.random((N_PIXELS, m)) * (rng.random((N_PIXELS, 1)) < 0.3)  # sparse ink, pixels in [0, 1]
    Y = one_hot(rng.integers(0, N_CLASSES, m), dtype=np.float64)
    params = init_params(np.random.default_rng(8), scheme="he", dtype=np.float64)
    return params, X, Y, np.logspace(-2, 0.5, 10)


def _range_test_variant(params, X, Y, alphas, before=False, restart=False, alpha_fixed=None, sign=-1.0,
                        stale=False):
    """The losses of a range test with one mistake (or none): the reference and its classic variants."""
    from .network import backward_prop

    start, losses, grads = params, [], None
    for alpha in alphas:
        if restart:
            params = start
        Z1, A1, Z2, A2 = forward_prop(*params, X)
        if before:
            losses.append(cross_entropy_loss(A2, Y))
        if grads is None or not stale:  # stale: the gradient of the first parameters, reused at every step
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
        (dict(stale=True), "reuses the gradient of the first parameters at every step: compute the gradient again "
                           "at each step, at the parameters that step starts from"),
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
    from the first parameters, one alpha for all steps, a step uphill, the first gradient reused at every step,
    the starting loss added (n + 1 losses), a tuple per alpha, the inputs changed in place, a forgotten return.
    Returns None when all tests pass, else raises CheckFailed.
    """
    return _run(lr_range_test_function, [_range_test_case],
                "one step per alpha, in order, from where the last one left off, and the loss after it")


# ---------------------------------------------------------------- 07: Nesterov's momentum (transfer)

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


def _numeric(x):
    """Whether ``x`` (a list, an array) converts to an array of floats."""
    if isinstance(x, (str, bytes, dict)) or x is None:
        return False
    try:
        np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        return False
    return True


@lru_cache(maxsize=1)
def _recall_precision_inputs():
    rng = np.random.default_rng(7)
    C = rng.integers(0, 12, (10, 10)) + np.diag(rng.integers(40, 90, 10))  # row sums differ from column sums
    C[3, 5] += 60  # digit 3 often read as 5: recall of 3 low, precision of 5 low
    small = np.diag(np.arange(1, 11)) + np.eye(10, k=1, dtype=int)  # each off-diagonal count 1, digit k+1
    small[9, 0] = 2
    return C, small


def check_recall_precision(recall_precision_function):
    """Check a student's ``recall_precision(C)`` -> (recall, precision), (10,) each, from C (10, 10).

    Used in ``08_evaluation.ipynb``: recall[k] = C[k, k] / (row k's sum), precision[k] = C[k, k] / (column
    k's sum). Diagnoses: rows and columns swapped (or the two returned in the wrong order), a division by
    C.sum(), a (10, 10) result from keepdims=True, counts instead of fractions, percent, integer division,
    1 minus the fraction, the accuracy returned instead, one array returned, C changed in place.
    Returns None when all tests pass, else raises CheckFailed.
    """
    C, small = _recall_precision_inputs()
    return _run(recall_precision_function, [_recall_precision_case(C), _recall_precision_case(small)],
                "recall divides the diagonal by the row sums, precision by the column sums")


def check_nesterov_step(nesterov_step_function):
    """Check a student's ``nesterov_step(params, velocity, gradient, alpha, momentum)`` -> (params, velocity).

    Used in ``07_training_further.ipynb`` (the transfer exercise). ``gradient(params) -> grads`` takes a whole
    4-tuple; here a fixed non-linear one, so that the point where it is taken shows. The spec: g = gradient(P +
    momentum V), V := momentum V - alpha g, P := P + V. Diagnoses: the gradient taken at P (plain momentum), at
    P + V or at P - momentum V, the gradient added, a step from the look-ahead, P - V, the old velocity, the
    inputs changed in place, the gradient called on one array. Returns None when all tests pass, else raises
    CheckFailed.
    """
    return _run(nesterov_step_function, [_nesterov_case(0.1, 0.9), _nesterov_case(0.05, 0.5)],
                "g = gradient(P + momentum V), V := momentum V - alpha g, then P := P + V")


# ---------------------------------------------------------------- 06: early stopping from the records (transfer)

def _stop_walk(watched, patience, new_best, test_first=False):
    """stopping_point's walk with a student's rule for a new best (``new_best(t, best)``) and, with ``test_first``,
    the stop tested before the record is looked at: the variants of the mistakes below."""
    best = 0
    for t in range(len(watched)):
        if test_first and t - best >= patience:
            return t, best
        if new_best(t, best):
            best = t
        if not test_first and t - best >= patience:
            return t, best
    return len(watched) - 1, best


def _stop_tie_is_progress(watched, patience):
    return _stop_walk(watched, patience, lambda t, best: watched[t] <= watched[best])


def _stop_shifted(shift):
    def stop(watched, patience):
        return stopping_point(watched, patience + shift)
    return stop


def _stop_best_of_all(watched, patience):
    stop, _ = stopping_point(watched, patience)
    return stop, int(np.argmin(watched))


def _stop_keeps_last(watched, patience):
    stop, _ = stopping_point(watched, patience)
    return stop, stop


def _stop_never_resets(watched, patience):
    best, waited = 0, 0
    for t, value in enumerate(watched):
        if value < watched[best]:
            best = t
        elif t > 0:
            waited += 1
        if waited >= patience:
            return t, best
    return len(watched) - 1, best


def _stop_before_best(watched, patience):
    return _stop_walk(watched, patience, lambda t, best: watched[t] < watched[best], test_first=True)


def _stop_previous(watched, patience):
    return _stop_walk(watched, patience, lambda t, best: t > 0 and watched[t] < watched[t - 1])


def _stop_after_lowest(clamped):
    def stop(watched, patience):
        best = int(np.argmin(watched))
        return (min(best + patience, len(watched) - 1) if clamped else best + patience), best
    return stop


_AFTER_LOWEST = ("takes the lowest record of the whole list and stops `patience` records after it: the run never sees "
                 "the records after its stop; walk through them in order, as the loop does")


def _stop_highest(watched, patience):
    return stopping_point([-v for v in watched], patience)


def _stop_past_the_end(watched, patience):
    stop, best = stopping_point(watched, patience)
    return (len(watched), best) if stop == len(watched) - 1 and stop - best < patience else (stop, best)


_STOP_MISTAKES = [
    (_stop_before_best, "tests the stop before it looks at the record: a record that is a new best restarts the "
                        "patience, so first update the best, then test t - best >= patience"),
    (_stop_previous, "compares each record with the one just before it: a new best must be lower than every "
                     "record before it, the best so far, watched[best]"),
    (_stop_after_lowest(clamped=True), _AFTER_LOWEST),
    (_stop_after_lowest(clamped=False), _AFTER_LOWEST),
    (_stop_tie_is_progress, "counts a tie as a new best (<=): a record is a new best only when it is lower than "
                            "every record before it (<), so a tie does not reset the patience"),
    (_stop_shifted(1), "stops one record late: stop at the first record `patience` records after the best, "
                       "t - best >= patience"),
    (_stop_shifted(-1), "stops one record early: stop at the first record `patience` records after the best, "
                        "t - best >= patience"),
    (_stop_best_of_all, "keeps the lowest record of the whole list, records after the stop included: a run that "
                        "stops never sees them; keep the best record up to the stop"),
    (_stop_keeps_last, "keeps the record where it stops, not the best one: early stopping hands back the "
                       "parameters of the lowest record before the stop"),
    (_stop_never_resets, "counts every record that is not a new best since the start: the patience counts the "
                         "records since the best so far, t - best, and starts again at each new best"),
    (_stop_highest, "watches for the highest value: the watched metric is a dev error or loss, lower is better"),
    (_stop_past_the_end, "returns len(watched) when the run never stops: the last record's index is "
                         "len(watched) - 1"),
]

#: (watched, patience): each list tells at least one mistake above apart from the rule.
_STOP_CASES = [
    ([0.9, 0.7, 0.8, 0.8, 0.7, 0.8, 0.6, 0.9, 0.9, 0.9, 0.5], 3),  # a tie at record 4; a lower record after the stop
    ([0.9, 0.95, 0.8, 0.85, 0.7, 0.75, 0.6, 0.65, 0.66, 0.67, 0.68], 3),  # a new best every other record
    ([0.9, 0.8, 0.85, 0.7, 0.75, 0.72], 3),  # never stops: the last record, the best at 3
    ([1.0, 0.9, 0.95, 0.95, 0.5, 0.6, 0.6, 0.6], 3),  # a new best exactly `patience` records after the last one
    ([0.5, 0.6, 0.7, 0.8, 0.9], 3),  # record 0 stays the best
]


def _stopping_case(watched, patience):
    def case(f):
        out = _call(f, list(watched), patience, on=f" with patience = {patience}")
        where = f"on watched = {watched}, patience = {patience}"
        problem = _tuple_of(out, 2, "stop, best")
        if problem:
            return [problem]
        if not all(isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in out):
            if all(isinstance(x, (float, np.floating)) for x in out):
                return [f"returns {tuple(float(x) for x in out)}, values of the records: return their indices, "
                        "(stop, best), e.g. `return t, best`"]
            return [f"returns {out!r}: two whole numbers, the record indices (stop, best)"]
        got, want = tuple(int(x) for x in out), stopping_point(watched, patience)
        if got == want:
            return []
        here = [(mistake, message) for mistake, message in _STOP_MISTAKES if mistake(watched, patience) == got]
        if len(here) > 1:  # several mistakes give this answer here: keep the one that explains every list
            answers = [_call(f, list(w), p) for w, p in _STOP_CASES]
            everywhere = [(m, text) for m, text in here
                          if all(_same_indices(a, m(w, p)) for a, (w, p) in zip(answers, _STOP_CASES))]
            here = everywhere or here
        if here:
            return [f"{here[0][1]} ({where}: returns {got}, expected {want})"]
        return [f"returns {got}, expected (stop, best) = {want} {where}"]
    return case


def _same_indices(answer, expected):
    try:
        return tuple(int(x) for x in answer) == tuple(expected)
    except (TypeError, ValueError):
        return False


def check_stopping_point(stopping_point_function):
    """Check a student's ``stopping_point(watched, patience)`` -> (stop, best), two record indices.

    Used in ``06_training_overfitting.ipynb`` (the transfer exercise). Five short lists, patience 3. Diagnoses: the
    stop tested before the record is looked at, each record compared with the one before it, a tie counted as a new
    best, a stop one record early or late, the best taken over records after the stop (or the stop placed after the
    lowest of the whole list), the stopping record kept instead of the best, a patience that never restarts at a new
    best, the highest value watched instead of the lowest, ``len(watched)`` for the last index, values returned
    instead of indices, a wrong number of returned values; when several of these give the student's answer on one
    list, the one that gives it on every list is named. Every finding prints the list it was found on. Returns None
    when all tests pass, else raises CheckFailed.
    """
    return _run(stopping_point_function, [_stopping_case(w, p) for w, p in _STOP_CASES],
                "it stops `patience` records after the best so far and keeps the best record")

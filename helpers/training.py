"""Training loops: full-batch gradient descent (the seed's) and mini-batch SGD with momentum.

Taught in ``05_training.ipynb`` (full batch) and ``07_training_further.ipynb`` (mini-batches). Both loops
only call the functions of ``network.py``: the update rule W := W - alpha dW is the same; only which
columns of X each step sees, and how the step is smoothed (momentum) and sized (the schedule), differ.
"""

import math
from functools import partial

import numpy as np

from .blocks import block_gradients, block_loss_accuracy, make_blocks
from .data import check_labels, check_X, one_hot
from .network import (
    backward_prop,
    check_params,
    cross_entropy_loss,
    forward_prop,
    get_accuracy,
    get_predictions,
    init_params,
    update_params,
)
from .progress import Progress

RECORD_EVERY = 10  # the seed reports progress every 10 iterations
SEED_ALPHA = 0.10  # the seed's learning rate
SEED_ITERATIONS = 500  # the seed's number of full-batch steps
SEED = 0  # seed of the Generator that draws the initial parameters
#: The run of 07_training_further (same network, trained better): mini-batch SGD with momentum,
#: He initialisation and a cosine schedule. ``train_better_network`` runs it.
BETTER = {"alpha": 0.02, "epochs": 20, "batch_size": 64, "momentum": 0.9, "scheme": "he"}


class TrainingDiverged(ArithmeticError):
    """Training produced NaN or inf (the learning rate is too large).

    Attributes: ``iteration`` (the step that went non-finite), ``params`` (the last finite
    W1, b1, W2, b2) and ``history`` (what was recorded up to then).
    """

    def __init__(self, message, iteration, params, history):
        super().__init__(message)
        self.iteration = iteration
        self.params = params
        self.history = history


def new_history():
    """An empty training history: lists indexed by record, filled by ``record``."""
    return {"iteration": [], "train_loss": [], "train_accuracy": [], "dev_loss": [], "dev_accuracy": []}


def evaluate(params, X, y, Y=None):
    """Mean cross-entropy loss and accuracy of ``params`` on X (784, m), y (m,). Returns (loss, accuracy)."""
    _, _, _, A2 = forward_prop(*params, X)
    Y = one_hot(y, dtype=A2.dtype) if Y is None else Y
    return cross_entropy_loss(A2, Y), get_accuracy(get_predictions(A2), y)


def record(history, iteration, params, train, dev):
    """Append the losses and accuracies of ``params`` at ``iteration`` to ``history``.

    ``train`` and ``dev`` are functions ``params -> (loss, accuracy)``, such as ``partial(evaluate, X=X, y=y)``
    (``dev`` may be None). Returns the metrics shown by the progress bar.
    """
    history["iteration"].append(iteration)
    # Huge (still finite) parameters, just before they turn inf, may overflow here: the training loop
    # reports that divergence with a clear message one step later, so NumPy's warnings would only add noise.
    with np.errstate(over="ignore", invalid="ignore"):
        loss, acc = train(params)
        dev_loss, dev_acc = dev(params) if dev is not None else (None, None)
    history["train_loss"].append(loss)
    history["train_accuracy"].append(acc)
    metrics = {"loss": loss, "train acc": acc}
    if dev is not None:
        history["dev_loss"].append(dev_loss)
        history["dev_accuracy"].append(dev_acc)
        metrics["dev acc"] = dev_acc
    return metrics


def all_finite(params):
    """True when every entry of W1, b1, W2, b2 is finite."""
    return all(np.isfinite(p).all() for p in params)


def _prepare(X, Y, params, rng, scheme, X_dev, y_dev):
    """Check the inputs of a training loop; return (params, y, dev): y the labels of Y, dev as ``record`` takes it."""
    check_X(X)
    if Y.ndim != 2 or Y.shape != (10, X.shape[1]):
        raise ValueError(f"Y must be one-hot with shape (10, m) = (10, {X.shape[1]}); got {Y.shape}. Use one_hot(y).")
    y = check_labels(np.argmax(Y, axis=0))
    if params is None:
        params = init_params(np.random.default_rng(0) if rng is None else rng, scheme=scheme, dtype=X.dtype)
    check_params(*params)
    # Same dtype everywhere: a float64 W1 would silently turn every product with a float32 X into float64.
    params = tuple(np.asarray(p, dtype=X.dtype) for p in params)
    dev = None
    if X_dev is not None:
        check_X(X_dev, name="X_dev")
        y_dev = check_labels(y_dev)
        dev = partial(evaluate, X=X_dev, y=y_dev, Y=one_hot(y_dev, dtype=X.dtype))
    return params, y, dev


def _diverged(where, iteration, alpha, params, history, progress):
    message = (
        f"training diverged: the parameters became NaN or inf at {where} {iteration} with alpha = {alpha:g}. "
        "The learning rate is too large; try a smaller alpha (the seed uses 0.1). "
        "The last finite parameters are in .params."
    )
    progress.close(message)
    return TrainingDiverged(message, iteration, params, history)


def quadratic_descent(curvature, alpha, w0=1.0, steps=10):
    """Gradient descent on the 1-D quadratic f(w) = curvature/2 w^2: the whole learning-rate story in one line.

    Taught in ``05_training.ipynb``. f'(w) = curvature w, so a step is w := w - alpha curvature w
    = (1 - alpha curvature) w: it shrinks to 0 smoothly when alpha curvature < 1, flips sign around 0
    while shrinking when 1 < alpha curvature < 2, and grows without bound when alpha curvature > 2.
    Returns the ``steps + 1`` values w_0, ..., w_steps as a float64 array.
    """
    w = [float(w0)]
    for _ in range(steps):
        w.append(w[-1] - alpha * curvature * w[-1])
    return np.array(w)


def quadratic_descent_2d(curvatures, alpha, momentum=0.0, w0=(1.0, 1.0), steps=50):
    """Gradient descent, with or without momentum, on the 2-D quadratic f(w) = (c_1 w_1^2 + c_2 w_2^2) / 2.

    Taught in ``07_training_further.ipynb`` (why momentum helps in a narrow valley). The gradient is
    (c_1 w_1, c_2 w_2); each step is V := momentum V - alpha grad, w := w + V (``momentum_step`` on one
    vector; momentum 0 is plain gradient descent). ``curvatures`` (c_1, c_2), ``w0`` the start (2,).
    Returns the ``steps + 1`` points w_0, ..., w_steps as a float64 array of shape (steps + 1, 2); a path
    that blows up holds inf/NaN after the overflow (no warning).
    """
    c = np.asarray(curvatures, dtype=np.float64)
    if c.shape != (2,) or not (c > 0).all():
        raise ValueError(f"curvatures must be two positive numbers (c_1, c_2); got {curvatures!r}.")
    w, v = np.array(w0, dtype=np.float64), np.zeros(2)
    path = [w.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            v = momentum * v - alpha * c * w
            w = w + v
            path.append(w.copy())
    return np.array(path)


def top_curvature(params, X, Y, iterations=30, eps=1e-4, seed=0):
    """The largest curvature of the loss at ``params``: the biggest second derivative along any direction.

    Taught in ``A2_curvature.ipynb`` (optional). Along a unit direction u (all 7,960 parameters moved together),
    the loss L(theta + t u) is a function of one number t; its second derivative at t = 0 is the
    curvature along u. The largest one, c_max, is found by power iteration: the change of the gradient
    when theta moves by eps u, (g(theta + eps u) - g(theta - eps u)) / (2 eps), is H u (H: the matrix of
    second derivatives); repeating u := H u / |H u| turns u towards the most curved direction, and
    u . H u is then its curvature. Gradient descent on a quadratic is stable only for alpha < 2 / c_max.

    params (W1, b1, W2, b2), X (784, m), Y (10, m): computed in float64. Returns c_max, a Python float.
    """
    params = tuple(np.asarray(p, dtype=np.float64) for p in params)
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)

    def gradient(theta):
        return np.concatenate([g.ravel() for g in backward_prop(*forward_prop(*theta, X), theta[0], theta[2], X, Y)])

    def unflatten(vector):
        parts, start = [], 0
        for p in params:
            parts.append(vector[start:start + p.size].reshape(p.shape))
            start += p.size
        return parts

    u = np.random.default_rng(seed).standard_normal(sum(p.size for p in params))
    u /= np.linalg.norm(u)
    curvature = 0.0
    for _ in range(iterations):
        step = unflatten(eps * u)
        plus = gradient([p + s for p, s in zip(params, step)])
        minus = gradient([p - s for p, s in zip(params, step)])
        Hu = (plus - minus) / (2 * eps)
        curvature = float(u @ Hu)
        u = Hu / np.linalg.norm(Hu)
    return curvature


def l2_gradients(grads, params, weight_decay):
    """The gradients of the loss plus an L2 penalty on the weights: dW := dW + lambda W (biases unchanged).

    Taught in ``06_training_overfitting.ipynb`` (weight decay). With the penalty the loss is

        L + lambda/2 (||W1||^2 + ||W2||^2)      ||W||^2: the sum of the squares of W's entries

    whose derivative with respect to each weight w is lambda w. Shapes as in ``PARAM_SHAPES``;
    ``weight_decay`` is lambda (0 returns the gradients unchanged).
    """
    dW1, db1, dW2, db2 = grads
    W1, _, W2, _ = params
    if weight_decay == 0:
        return dW1, db1, dW2, db2
    return dW1 + weight_decay * W1, db1, dW2 + weight_decay * W2, db2


def plain_gradient_descent(X, Y, alpha, iterations, params):
    """The seed's loop and nothing else: forward pass, backward pass, update, ``iterations`` times.

    Taught in ``05_training.ipynb``. ``gradient_descent`` takes exactly these steps (its gradients come
    from ``block_gradients``, equal to forward_prop + backward_prop up to rounding) and adds what a long
    run needs: records of the loss and accuracy, a progress bar, and a clear stop when a step overflows.

    X (784, m), Y (10, m) one-hot, params = (W1, b1, W2, b2). Returns the new W1, b1, W2, b2.
    """
    W1, b1, W2, b2 = params
    for _ in range(iterations):
        Z1, A1, Z2, A2 = forward_prop(W1, b1, W2, b2, X)
        dW1, db1, dW2, db2 = backward_prop(Z1, A1, Z2, A2, W1, W2, X, Y)
        W1, b1, W2, b2 = update_params(W1, b1, W2, b2, dW1, db1, dW2, db2, alpha)
    return W1, b1, W2, b2


STOP_ON = ("dev_loss", "dev_error")  # what early stopping watches: the dev loss, or the dev error 1 - accuracy


class _Run:
    """Plumbing shared by the training loops: records, progress bar, callback, early stopping.

    ``patience``: stop once the watched dev metric (``stop_on``: the dev loss, or the dev error
    1 - accuracy) has not improved for this many records, and hand back the parameters of the record
    where it was lowest (the first such record on a tie; early stopping; needs a dev set). The rule is
    ``stopping_point``'s, applied to the records so far at every record.
    """

    def __init__(self, total, label, progress, train, dev, callback, patience, stop_on="dev_loss"):
        if patience is not None and (dev is None or int(patience) != patience or patience < 1):
            raise ValueError(
                f"patience must be a whole number >= 1 of records and needs X_dev, y_dev; got {patience!r}."
            )
        if stop_on not in STOP_ON:
            raise ValueError(f"stop_on must be one of {STOP_ON}; got {stop_on!r}.")
        self.history, self.train, self.dev = new_history(), train, dev
        self.callback, self.patience, self.stop_on = callback, patience, stop_on
        self.bar = Progress(total, label, mode=progress)
        self.watched = []  # the watched dev metric at each record, with patience
        self.best = None  # (iteration, params) of the best record so far, with patience

    def record(self, i, params):
        """Record at ``i``; return True when early stopping says stop."""
        metrics = record(self.history, i, params, self.train, self.dev)
        self.last_params = params
        if i > 0:
            self.bar.update(i, metrics)
        if self.callback is not None and i > 0:
            self.callback(i, params, self.history)
        if self.patience is None:
            return False
        if self.stop_on == "dev_loss":
            watched = self.history["dev_loss"][-1]
        else:
            watched = 1 - self.history["dev_accuracy"][-1]
        self.watched.append(watched)
        stop, best = stopping_point(self.watched, self.patience)  # the rule, decided on the records so far
        if best == len(self.watched) - 1:
            self.best = (i, params)
        return stop - best >= self.patience

    def diverged(self, where, i, alpha, params):
        return _diverged(where, i, alpha, params, self.history, self.bar)

    def finish(self, params):
        """Close the bar; return the parameters to hand back (the best ones with early stopping)."""
        self.bar.close()
        if self.patience is None:
            return params
        self.history["best_iteration"] = self.best[0]
        return self.best[1]


def gradient_descent(X, Y, alpha, iterations, params=None, rng=None, scheme="uniform", X_dev=None, y_dev=None,
                     record_every=RECORD_EVERY, callback=None, progress="auto", on_divergence="raise",
                     weight_decay=0.0, patience=None, stop_on="dev_loss"):
    """Full-batch gradient descent, as in the seed: every step uses all m training images.

    Taught in ``05_training.ipynb``. The steps are those of ``plain_gradient_descent`` (forward_prop,
    backward_prop, update_params); the forward and backward lines run block by block
    (``block_gradients``, taught in ``A1_fast_gradients.ipynb``): the same gradients up to rounding,
    for about half the work.

    Parameters
    ----------
    X : (784, m) inputs, Y : (10, m) one-hot labels.
    alpha : learning rate.  iterations : number of steps.
    params : starting (W1, b1, W2, b2); default ``init_params(rng, scheme)`` in X's dtype.
    rng : numpy.random.Generator for the initialisation (default ``default_rng(0)``).
    X_dev, y_dev : optional dev set (784, n), (n,), evaluated at every record.
    record_every : record loss and accuracy every this many iterations (and at the last one).
    callback : called as ``callback(iteration, params, history)`` after each record.
    progress : ``"auto"`` (a widget bar in Jupyter, text lines elsewhere), ``"text"``, ``"widget"``, ``"off"``.
    on_divergence : ``"raise"`` (default) raises ``TrainingDiverged`` carrying the last finite
        parameters; ``"return"`` stops and returns them, with ``history["diverged_at"]`` set.
    weight_decay : lambda of the L2 penalty (``l2_gradients``); 0 (default) is the seed's loss.
    patience : early stopping: stop once the dev loss has not improved for this many records and
        return the parameters with the lowest dev loss (``history["best_iteration"]`` says when).
    stop_on : what early stopping watches: ``"dev_loss"`` (default) or ``"dev_error"`` (1 - dev accuracy,
        taught in ``06_training_overfitting.ipynb``: the loss overfits before the accuracy does).

    Returns
    -------
    (W1, b1, W2, b2), history : dict of lists ``iteration``, ``train_loss``, ``train_accuracy``,
    ``dev_loss``, ``dev_accuracy`` (the dev lists stay empty without a dev set). The first record is
    iteration 0, the starting parameters.
    """
    params, _, dev = _prepare(X, Y, params, rng, scheme, X_dev, y_dev)  # (the labels are in the blocks)
    blocks = make_blocks(X, Y)  # X's columns cut into blocks of similar images, blank pixels left out

    def train(params):  # the training metrics: evaluate(params, X, y), block by block
        return block_loss_accuracy(*params, blocks)

    run = _Run(iterations, "gradient descent", progress, train, dev, callback, patience, stop_on)
    run.record(0, params)  # iteration 0: the start, before any step
    for i in range(1, iterations + 1):
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is caught just below, with a clear message
            grads = block_gradients(*params, blocks)  # = backward_prop(*forward_prop(*params, X), ...)
            new = update_params(*params, *l2_gradients(grads, params, weight_decay), alpha)
        if not all_finite(new):
            err = run.diverged("iteration", i, alpha, params)
            if on_divergence == "raise":
                raise err
            run.history["diverged_at"] = i
            return params, run.history
        params = new
        if (i % record_every == 0 or i == iterations) and run.record(i, params):
            break
    return run.finish(params), run.history


def cosine_schedule(alpha0, epoch, epochs):
    """Cosine learning-rate schedule: alpha0 at the first epoch, falling smoothly to ~0 at the last.

    Taught in ``07_training_further.ipynb``: big steps while far from a minimum, small ones to settle into it.
    """
    return alpha0 * 0.5 * (1 + math.cos(math.pi * epoch / epochs))


def momentum_step(params, velocity, grads, alpha, momentum):
    """One step of gradient descent with momentum, for each parameter P with gradient dP:

        V := momentum V - alpha dP,     P := P + V

    Taught in ``07_training_further.ipynb``. ``params``, ``velocity`` and ``grads`` are 4-tuples shaped like
    (W1, b1, W2, b2). With ``momentum = 0`` it is ``update_params``. Returns (new params, new velocity).
    """
    velocity = tuple(momentum * V - alpha * dP for V, dP in zip(velocity, grads))
    params = tuple(P + V for P, V in zip(params, velocity))
    return params, velocity


def batches(images, labels, batch_size, rng):
    """One epoch of mini-batches: the m examples shuffled with ``rng``, ``batch_size`` at a time.

    Taught in ``07_training_further.ipynb``. ``images`` (m, 784) and ``labels`` (m, 10) hold one example per row,
    i.e. ``X.T`` and ``Y.T`` copied (``np.ascontiguousarray``): a batch is then ``batch_size`` whole rows,
    copied in one go, instead of a gather of scattered columns through all 784 rows of X (~4x faster per epoch).
    Yields (X_b, Y_b), shapes (784, B) and (10, B) as everywhere else; the last batch may be smaller.
    """
    order = rng.permutation(images.shape[0])
    for start in range(0, images.shape[0], batch_size):
        batch = order[start:start + batch_size]
        yield images[batch].T, labels[batch].T


def minibatch_sgd(X, Y, alpha, epochs, batch_size=64, momentum=0.9, params=None, rng=None, scheme="he",
                  X_dev=None, y_dev=None, callback=None, progress="auto", schedule=cosine_schedule,
                  weight_decay=0.0, patience=None, stop_on="dev_loss"):
    """Mini-batch stochastic gradient descent with momentum and a learning-rate schedule.

    Taught in ``07_training_further.ipynb``. Each epoch shuffles the m columns with ``rng``
    (``batches``) and takes one ``momentum_step`` per batch of ``batch_size`` columns, with the gradients of
    the same forward_prop and backward_prop as full-batch descent:

        V := momentum V - alpha_t dW,   W := W + V      (alpha_t = schedule(alpha, epoch, epochs))

    Parameters
    ----------
    X : (784, m), Y : (10, m) one-hot.  alpha : initial learning rate.  epochs : passes over the data.
    params : starting (W1, b1, W2, b2); default ``init_params(rng, scheme)`` (He scaling).
    rng : numpy.random.Generator for the initialisation and the shuffles (default ``default_rng(0)``).
    X_dev, y_dev : optional dev set, evaluated after each epoch.
    callback : ``callback(epoch, params, history)`` after each epoch.
    schedule : ``schedule(alpha, epoch, epochs) -> alpha_t``; ``None`` keeps alpha constant.
    weight_decay, patience, stop_on : the L2 penalty's lambda and early stopping, as in ``gradient_descent``.

    Returns
    -------
    (W1, b1, W2, b2), history with one record per epoch (``history["iteration"]`` holds epochs), the
    first at epoch 0 (the start).
    """
    rng = np.random.default_rng(0) if rng is None else rng
    params, y, dev = _prepare(X, Y, params, rng, scheme, X_dev, y_dev)
    run = _Run(epochs, "mini-batch SGD", progress, partial(evaluate, X=X, y=y, Y=Y), dev, callback, patience,
               stop_on)
    run.record(0, params)  # epoch 0: the start, before any step
    images, labels = np.ascontiguousarray(X.T), np.ascontiguousarray(Y.T)  # one example per row, for batches
    velocity = tuple(np.zeros_like(p) for p in params)
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is caught after each epoch
        for epoch in range(1, epochs + 1):
            alpha_t = alpha if schedule is None else schedule(alpha, epoch - 1, epochs)
            for Xb, Yb in batches(images, labels, batch_size, rng):
                Z1, A1, Z2, A2 = forward_prop(*params, Xb)
                grads = backward_prop(Z1, A1, Z2, A2, params[0], params[2], Xb, Yb)
                grads = l2_gradients(grads, params, weight_decay)
                params, velocity = momentum_step(params, velocity, grads, alpha_t, momentum)
            if not all_finite(params):  # overflow: stop with a clear message and the last recorded parameters
                raise run.diverged("epoch", epoch, alpha, run.last_params)
            if run.record(epoch, params):
                break
    return run.finish(params), run.history


def train_seed_network(data, progress="auto", keep=()):
    """The seed's run: full-batch gradient descent, alpha = 0.10, 500 iterations, uniform initialisation.

    Taught in ``05_training.ipynb``; ``07_training_further.ipynb``, ``08_evaluation.ipynb`` and
    ``A3_hidden_units.ipynb`` call it to get
    the same network (they train again rather than read a file another notebook wrote).

    data : the dict of ``load_data()``. keep : iterations (10, 20, ..., 500: the records) whose parameters
    to keep as well, e.g. ``keep=[400]``: ``history["params"][400]`` is (W1, b1, W2, b2) after 400 steps
    (``08_evaluation.ipynb`` compares them with the end). Returns (W1, b1, W2, b2), history (with dev curves).
    """
    keep = [int(i) for i in keep]
    if any(i % RECORD_EVERY or not 0 < i <= SEED_ITERATIONS for i in keep):
        raise ValueError(f"keep must list iterations from {RECORD_EVERY} to {SEED_ITERATIONS} in steps of "
                         f"{RECORD_EVERY} (the records); got {keep}.")
    kept = {}

    def callback(iteration, params, history):
        if iteration in keep:
            kept[iteration] = tuple(p.copy() for p in params)

    rng = np.random.default_rng(SEED)
    params, history = gradient_descent(data["X_train"], one_hot(data["y_train"]), SEED_ALPHA, SEED_ITERATIONS,
                                       rng=rng, scheme="uniform", X_dev=data["X_dev"], y_dev=data["y_dev"],
                                       progress=progress, callback=callback if keep else None)
    if keep:
        history["params"] = kept
    return params, history


def train_better_network(data, progress="auto"):
    """The full run of ``07_training_further.ipynb``: ``minibatch_sgd`` with the settings in ``BETTER``.

    Mini-batches of 64, momentum 0.9, He initialisation, a cosine schedule from alpha0 = 0.02 over 20
    epochs, ``default_rng(0)``. ``08_evaluation.ipynb`` calls it to evaluate the same network.

    data : the dict of ``load_data()``. Returns (W1, b1, W2, b2), history (one record per epoch, with dev curves).
    """
    return minibatch_sgd(data["X_train"], one_hot(data["y_train"]), BETTER["alpha"], BETTER["epochs"],
                         batch_size=BETTER["batch_size"], momentum=BETTER["momentum"], scheme=BETTER["scheme"],
                         rng=np.random.default_rng(SEED), X_dev=data["X_dev"], y_dev=data["y_dev"],
                         progress=progress)


def lr_range_test(params, X, Y, alphas):
    """A learning-rate range test: one gradient-descent step with each alpha in turn, the loss after each.

    Taught in ``05_training.ipynb`` (the transfer exercise; after L. N. Smith, *Cyclical Learning Rates for
    Training Neural Networks*, 2017). From ``params`` (W1, b1, W2, b2), for alpha in ``alphas`` (usually
    growing, e.g. ``np.logspace(-3, 1, 40)``): take one step of ``update_params`` with that alpha from where
    the previous step left off, then compute the cross-entropy loss on X (784, m), Y (10, m). The loss falls
    fastest around a good alpha and shoots up once alpha is too large. Returns the losses as a float array of
    shape (len(alphas),).
    """
    losses = []
    for alpha in alphas:
        Z1, A1, Z2, A2 = forward_prop(*params, X)
        grads = backward_prop(Z1, A1, Z2, A2, params[0], params[2], X, Y)
        params = update_params(*params, *grads, alpha)
        losses.append(cross_entropy_loss(forward_prop(*params, X)[3], Y))
    return np.array(losses, dtype=float)


def stopping_point(watched, patience):
    """Early stopping decided from the records alone: ``(stop, best)``, two record indices.

    Taught in ``06_training_overfitting.ipynb`` (the transfer exercise); ``gradient_descent`` and ``minibatch_sgd``
    (``patience=``) call it at every record, on the records so far. ``watched`` holds the watched dev metric at
    each record, record 0 being the start. A record is a new best when it is lower than every record before it (a
    tie is not); the run stops at the first record ``patience`` records after the best so far, or at the last record
    if none is, and keeps the parameters of the best record before the stop.
    """
    best = 0
    for t, value in enumerate(watched):
        if value < watched[best]:
            best = t
        if t - best >= patience:
            return t, best
    return len(watched) - 1, best


def nesterov_step(params, velocity, gradient, alpha, momentum):
    """One step of Nesterov's momentum: the gradient is taken where the velocity is about to carry the parameters.

    Taught in ``07_training_further.ipynb`` (the transfer exercise). For each parameter P with velocity V:

        look-ahead  P + momentum V,   g = gradient(look-ahead),   V := momentum V - alpha g,   P := P + V

    ``params`` and ``velocity`` are tuples of arrays of the same shapes (e.g. (W1, b1, W2, b2));
    ``gradient(params) -> grads`` returns a tuple of the same shapes. Returns (new params, new velocity).
    """
    ahead = tuple(P + momentum * V for P, V in zip(params, velocity))
    grads = gradient(ahead)
    velocity = tuple(momentum * V - alpha * g for V, g in zip(velocity, grads))
    params = tuple(P + V for P, V in zip(params, velocity))
    return params, velocity

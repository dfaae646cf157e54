"""Training loops: full-batch gradient descent (the seed's) and mini-batch SGD with momentum.

Taught in ``04_training.ipynb``. Both loops only call the functions of ``network.py``: the update
rule W := W - alpha dW is the same; only which columns of X each step sees, and how the step is
smoothed (momentum) and sized (the schedule), differ.
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
#: The "go further" run of 04_training (same network, trained better): mini-batch SGD with momentum,
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


def gradient_descent(X, Y, alpha, iterations, params=None, rng=None, scheme="seed", X_dev=None, y_dev=None,
                     record_every=RECORD_EVERY, callback=None, progress="auto", on_divergence="raise"):
    """Full-batch gradient descent, as in the seed: every step uses all m training images.

    Taught in ``04_training.ipynb``. Each iteration is forward_prop, backward_prop, update_params; the
    forward and backward lines run block by block (``block_gradients``): the same gradients (up to
    rounding) for about half the work, because blocks of similar images leave out the pixels that are
    blank in all of them.

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

    history = new_history()
    record(history, 0, params, train, dev)  # iteration 0: the start, before any step
    bar = Progress(iterations, "gradient descent", mode=progress)
    for i in range(1, iterations + 1):
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is caught just below, with a clear message
            # = forward_prop + backward_prop on all m columns, block by block (helpers/blocks.py)
            dW1, db1, dW2, db2 = block_gradients(*params, blocks)
            new = update_params(*params, dW1, db1, dW2, db2, alpha)
        if not all_finite(new):
            err = _diverged("iteration", i, alpha, params, history, bar)
            if on_divergence == "raise":
                raise err
            history["diverged_at"] = i
            return params, history
        params = new
        if i % record_every == 0 or i == iterations:
            metrics = record(history, i, params, train, dev)
            bar.update(i, metrics)
            if callback is not None:
                callback(i, params, history)
    bar.close()
    return params, history


def cosine_schedule(alpha0, epoch, epochs):
    """Cosine learning-rate schedule: alpha0 at the first epoch, falling smoothly to ~0 at the last.

    Taught in ``04_training.ipynb``: big steps while far from a minimum, small ones to settle into it.
    """
    return alpha0 * 0.5 * (1 + math.cos(math.pi * epoch / epochs))


def minibatch_sgd(X, Y, alpha, epochs, batch_size=64, momentum=0.9, params=None, rng=None, scheme="he",
                  X_dev=None, y_dev=None, callback=None, progress="auto", schedule=cosine_schedule):
    """Mini-batch stochastic gradient descent with momentum and a learning-rate schedule.

    Taught in ``04_training.ipynb`` ("go further"). Each epoch shuffles the m columns with ``rng``
    and takes one step per batch of ``batch_size`` columns, using the same forward_prop and
    backward_prop as full-batch descent. Momentum keeps a running velocity V for each parameter:

        V := momentum V - alpha_t dW,   W := W + V      (alpha_t = schedule(alpha, epoch, epochs))

    Parameters
    ----------
    X : (784, m), Y : (10, m) one-hot.  alpha : initial learning rate.  epochs : passes over the data.
    params : starting (W1, b1, W2, b2); default ``init_params(rng, scheme)`` (He scaling).
    rng : numpy.random.Generator for the initialisation and the shuffles (default ``default_rng(0)``).
    X_dev, y_dev : optional dev set, evaluated after each epoch.
    callback : ``callback(epoch, params, history)`` after each epoch.
    schedule : ``schedule(alpha, epoch, epochs) -> alpha_t``; ``None`` keeps alpha constant.

    Returns
    -------
    (W1, b1, W2, b2), history with one record per epoch (``history["iteration"]`` holds epochs), the
    first at epoch 0 (the start).
    """
    rng = np.random.default_rng(0) if rng is None else rng
    params, y, dev = _prepare(X, Y, params, rng, scheme, X_dev, y_dev)
    train = partial(evaluate, X=X, y=y, Y=Y)  # the training metrics, on all of X
    m = X.shape[1]
    # One image per row (a transposed copy, made once): a batch is then `batch_size` whole rows, copied
    # contiguously, instead of a gather of scattered columns through all 784 rows of X (~4x faster per epoch).
    XT, YT = np.ascontiguousarray(X.T), np.ascontiguousarray(Y.T)
    velocity = [np.zeros_like(p) for p in params]
    history = new_history()
    record(history, 0, params, train, dev)  # epoch 0: the start, before any step
    bar = Progress(epochs, "mini-batch SGD", mode=progress)
    for epoch in range(1, epochs + 1):
        alpha_t = alpha if schedule is None else schedule(alpha, epoch - 1, epochs)
        last_finite = params
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start:start + batch_size]
            Xb, Yb = XT[batch].T, YT[batch].T  # (784, b) and (10, b): the batch's columns
            with np.errstate(over="ignore", invalid="ignore"):  # overflow is caught after the epoch
                Z1, A1, Z2, A2 = forward_prop(*params, Xb)
                grads = backward_prop(Z1, A1, Z2, A2, params[0], params[2], Xb, Yb)
                velocity = [momentum * V - alpha_t * dP for V, dP in zip(velocity, grads)]
                params = tuple(P + V for P, V in zip(params, velocity))
        if not all_finite(params):
            raise _diverged("epoch", epoch, alpha, last_finite, history, bar)
        metrics = record(history, epoch, params, train, dev)
        bar.update(epoch, metrics)
        if callback is not None:
            callback(epoch, params, history)
    bar.close()
    return params, history


def train_seed_network(data, progress="auto"):
    """The seed's run: full-batch gradient descent, alpha = 0.10, 500 iterations, seed initialisation.

    Taught in ``04_training.ipynb``; ``05_evaluation.ipynb`` calls it to get the same network
    (it trains again rather than reading a file another notebook wrote).

    data : the dict of ``load_data()``. Returns (W1, b1, W2, b2), history (with dev curves).
    """
    rng = np.random.default_rng(SEED)
    return gradient_descent(data["X_train"], one_hot(data["y_train"]), SEED_ALPHA, SEED_ITERATIONS, rng=rng,
                            scheme="seed", X_dev=data["X_dev"], y_dev=data["y_dev"], progress=progress)


def train_better_network(data, progress="auto"):
    """The "go further" run of ``04_training.ipynb``: ``minibatch_sgd`` with the settings in ``BETTER``.

    Mini-batches of 64, momentum 0.9, He initialisation, a cosine schedule from alpha0 = 0.02 over 20
    epochs, ``default_rng(0)``. ``05_evaluation.ipynb`` calls it to evaluate the same network.

    data : the dict of ``load_data()``. Returns (W1, b1, W2, b2), history (one record per epoch, with dev curves).
    """
    return minibatch_sgd(data["X_train"], one_hot(data["y_train"]), BETTER["alpha"], BETTER["epochs"],
                         batch_size=BETTER["batch_size"], momentum=BETTER["momentum"], scheme=BETTER["scheme"],
                         rng=np.random.default_rng(SEED), X_dev=data["X_dev"], y_dev=data["y_dev"],
                         progress=progress)

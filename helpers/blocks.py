"""Full-batch gradients computed block by block, leaving out blank pixels: the same numbers, less work.

Taught in ``A1_fast_gradients.ipynb`` (the appendix "Why an iteration is fast"). ``gradient_descent`` uses it.

The two products with X, Z1 = W1 X and dW1 = 1/m dZ1 X^T, take almost all of an iteration's time.
Two exact facts make them cheaper:

1. Every gradient is a mean over the m examples (columns of X), so it can be summed block by block:

       dW1 = 1/m sum_b dZ1_b X_b^T        X_b (784, B): the columns of block b

   and each block, once read from memory, serves both products while it is still in the processor's cache.
2. About 81 % of X's entries are 0: the blank background. A pixel (row of X) that is 0 in every image of a
   block adds nothing to W1 X_b nor to dZ1_b X_b^T, so the block leaves it out:

       W1 X_b = W1[:, P_b] X_b[P_b]       P_b: the pixels that are not blank in every image of the block

   Blocks of similar images have wide blank margins: grouping the images by the box around their ink
   (``ink_groups``) before cutting the blocks keeps only about half of X's entries.
"""

from collections import namedtuple

import numpy as np

from .data import IMAGE_SIDE, N_PIXELS, check_X
from .network import check_params, cross_entropy_loss, get_predictions, relu, relu_derivative, softmax

BLOCK_SIZE = 1536  # images per block: the fastest of 512 ... 4096 here (block-size table of benchmarks/benchmark.py)

#: One block: ``pixels`` (k,) the rows of X it keeps; ``X`` (k, B) those rows of its B images; ``Y`` (10, B).
Block = namedtuple("Block", "pixels X Y")


def ink_box(X):
    """The box around the ink (non-zero pixels) of each image: left, right, top, bottom, each (m,) ints.

    Taught in ``A1_fast_gradients.ipynb``: ``ink_groups`` groups the images by it.

    X : (784, m), one 28 x 28 image per column, rows in reading order. A blank image gets (0, 27, 0, 27).
    """
    check_X(X, finite=False)
    ink = (X != 0).T.reshape(-1, IMAGE_SIDE, IMAGE_SIDE)  # (m, 28, 28)
    in_column, in_row = ink.any(axis=1), ink.any(axis=2)  # (m, 28): some ink in that column / row
    last = IMAGE_SIDE - 1
    left, right = in_column.argmax(axis=1), last - in_column[:, ::-1].argmax(axis=1)
    top, bottom = in_row.argmax(axis=1), last - in_row[:, ::-1].argmax(axis=1)
    return left, right, top, bottom


def ink_groups(X, block_size=BLOCK_SIZE):
    """Split the columns of X (784, m) into groups of ``block_size`` images with similar ink boxes.

    Taught in ``A1_fast_gradients.ipynb``. Like a k-d tree: sort the images by the edge of their ``ink_box``
    (left, right, top or bottom) that varies most among them, cut them into two halves (the first a whole
    number of blocks), and split each half the same way, until a group holds at most ``block_size``
    images. Returns a list of column-index arrays (B,): every column is in exactly one, and only the
    last group may hold fewer than ``block_size``.
    """
    if int(block_size) != block_size or block_size < 1:
        raise ValueError(f"block_size must be a whole number of images, at least 1; got {block_size!r}.")
    box = np.stack(ink_box(X), axis=1)  # (m, 4): left, right, top, bottom

    def split(columns):
        if columns.size <= block_size:
            return [columns]
        edge = box[columns].std(axis=0).argmax()  # the edge that varies most among these images
        columns = columns[np.argsort(box[columns, edge], kind="stable")]
        half = max(1, columns.size // block_size // 2) * block_size  # a whole number of blocks
        return split(columns[:half]) + split(columns[half:])

    return split(np.arange(X.shape[1]))


def make_blocks(X, Y, block_size=BLOCK_SIZE):
    """Cut the columns of X (784, m) and Y (10, m) into blocks of ``block_size`` similar images.

    Taught in ``A1_fast_gradients.ipynb``.

    The images are grouped by their ink boxes first (``ink_groups``); each block keeps only its non-blank
    pixels (``pixels`` is P_b, the block's ``X`` is X_b[P_b], k x B). Every column lands in exactly one
    block; the last block may be smaller. Returns a list of ``Block(pixels, X, Y)``, Y in X's dtype.
    """
    check_X(X, finite=False)
    if Y.shape != (Y.shape[0], X.shape[1]):
        raise ValueError(f"X {X.shape} and Y {Y.shape} must have the same number of columns m.")
    images = np.ascontiguousarray(X.T)  # (m, 784), one image per row: a block's images are then quick to gather
    blocks = []
    for columns in ink_groups(X, block_size):
        block_images = images[columns]  # (B, 784)
        pixels = np.flatnonzero(block_images.any(axis=0))  # pixels with ink in some image of the block
        X_b = np.ascontiguousarray(block_images[:, pixels].T)  # (k, B), stored row by row like X
        Y_b = np.ascontiguousarray(Y[:, columns], dtype=X.dtype)  # X's dtype, so every product stays in it
        blocks.append(Block(pixels, X_b, Y_b))
    return blocks


def kept_fraction(blocks):
    """Fraction of X's 784 x m entries that the blocks keep (the rest are blank in their whole block).

    Taught in ``A1_fast_gradients.ipynb`` (about half, for the 59,000 training images).
    """
    kept = sum(block.X.size for block in blocks)
    m = sum(block.Y.shape[1] for block in blocks)
    return kept / (N_PIXELS * m)


def forward_block(W1, b1, W2, b2, block):
    """``forward_prop`` on the B columns of one block, with W1 restricted to the block's pixels.

    Taught in ``A1_fast_gradients.ipynb``.

    Z1 = W1[:, pixels] X_b + b1 (= W1 X_b + b1: blank pixels add nothing); A1, Z2, A2 as in the spec.
    Returns Z1, A1, Z2, A2, each (10, B).
    """
    Z1 = W1[:, block.pixels] @ block.X + b1
    A1 = relu(Z1)
    Z2 = W2 @ A1 + b2
    A2 = softmax(Z2)
    return Z1, A1, Z2, A2


def block_gradients(W1, b1, W2, b2, blocks):
    """dW1, db1, dW2, db2 for all m columns: the same as ``backward_prop`` after ``forward_prop`` on all of X.

    Taught in ``A1_fast_gradients.ipynb``; ``gradient_descent`` calls it every iteration.

    Each block runs the spec's forward and backward lines on its B columns (``forward_block``); the sums
    over examples are added up over the blocks and divided by m at the end: the same numbers up to
    rounding (the sums are added in another order). Shapes: W1 (10, 784), b1 (10, 1), W2 (10, 10),
    b2 (10, 1), in the blocks' dtype; the gradients have the shapes of their parameters.
    """
    check_params(W1, b1, W2, b2)
    if not blocks:
        raise ValueError("no blocks: make them with make_blocks(X, Y)")
    dW1, db1, dW2, db2 = (np.zeros_like(p) for p in (W1, b1, W2, b2))
    m = 0
    for block in blocks:
        m += block.X.shape[1]
        Z1, A1, Z2, A2 = forward_block(W1, b1, W2, b2, block)
        dZ2 = A2 - block.Y
        dW2 += dZ2 @ A1.T
        db2 += dZ2.sum(axis=1, keepdims=True)
        dZ1 = W2.T @ dZ2 * relu_derivative(Z1)
        dW1[:, block.pixels] += (block.X @ dZ1.T).T  # dZ1 X_b^T, on the columns P_b
        db1 += dZ1.sum(axis=1, keepdims=True)
    return dW1 / m, db1 / m, dW2 / m, db2 / m


def block_loss_accuracy(W1, b1, W2, b2, blocks):
    """Mean cross-entropy loss and accuracy on all the blocks' columns (Python floats).

    ``gradient_descent`` records the training metrics with it (see ``A1_fast_gradients.ipynb``).

    The same numbers as ``evaluate`` on all of X, with the forward pass run block by block.
    """
    check_params(W1, b1, W2, b2)
    if not blocks:
        raise ValueError("no blocks: make them with make_blocks(X, Y)")
    loss, correct, m = 0.0, 0, 0
    for block in blocks:
        A2 = forward_block(W1, b1, W2, b2, block)[3]
        B = block.Y.shape[1]
        loss += B * cross_entropy_loss(A2, block.Y)
        correct += np.count_nonzero(get_predictions(A2) == get_predictions(block.Y))  # a one-hot's argmax: the label
        m += B
    return loss / m, int(correct) / m

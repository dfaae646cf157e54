"""Block-by-block gradients: the same numbers as forward_prop + backward_prop on all of X, less work."""

import numpy as np
import pytest

from helpers import (
    IMAGE_SIDE,
    backward_prop,
    block_gradients,
    block_loss_accuracy,
    evaluate,
    forward_block,
    forward_prop,
    gradient_descent,
    init_params,
    ink_box,
    ink_groups,
    kept_fraction,
    make_blocks,
    one_hot,
    update_params,
)

SUBSET = 3000


@pytest.fixture(scope="module")
def subset64(mnist):
    X = mnist["X_train"][:, :SUBSET].astype(np.float64)
    return X, one_hot(mnist["y_train"][:SUBSET], dtype=np.float64)


def image_with_ink(rows, cols):
    image = np.zeros((IMAGE_SIDE, IMAGE_SIDE))
    image[rows, cols] = 0.5
    return image.reshape(-1, 1)  # one column of X


def test_ink_box_is_left_right_top_bottom():
    X = np.hstack([image_with_ink(slice(5, 10), slice(3, 21)), image_with_ink(27, 0), np.zeros((784, 1))])
    left, right, top, bottom = ink_box(X)
    assert (left.tolist(), right.tolist(), top.tolist(), bottom.tolist()) == ([3, 0, 0], [20, 0, 27], [5, 27, 0],
                                                                              [9, 27, 27])


@pytest.mark.parametrize("block_size", [1, 7, 500, 4096])
def test_blocks_hold_every_column_once_and_drop_only_blank_pixels(subset64, block_size):
    X, _ = subset64
    X = X[:, :1000]
    ids = np.arange(X.shape[1])[None, :]  # a "Y" that names each column
    blocks = make_blocks(X, ids, block_size)
    columns = np.concatenate([block.Y[0] for block in blocks]).astype(int)
    assert sorted(columns.tolist()) == ids[0].tolist()
    assert all(block.X.shape == (block.pixels.size, block.Y.shape[1]) for block in blocks)
    for block in blocks:
        full = X[:, block.Y[0].astype(int)]
        assert np.array_equal(full[block.pixels], block.X)
        dropped = np.setdiff1d(np.arange(784), block.pixels)
        assert not full[dropped].any(), "a block may only leave out pixels that are 0 in all its images"
        assert block.X.flags.c_contiguous


def test_real_blocks_keep_about_half_of_X(mnist):
    X = mnist["X_train"]
    blocks = make_blocks(X, one_hot(mnist["y_train"]))
    fraction = kept_fraction(blocks)
    assert 0.35 < fraction < 0.6  # 05_training.ipynb prints it: ~0.50
    assert fraction < 0.8 * np.mean(X.any(axis=1))  # grouping by the ink box beats dropping the always-blank pixels


@pytest.mark.parametrize("block_size", [64, 1000, 5000])
def test_block_gradients_equal_backward_prop_on_all_of_X(subset64, block_size):
    X, Y = subset64
    params = init_params(np.random.default_rng(1), dtype=np.float64)
    expected = backward_prop(*forward_prop(*params, X), params[0], params[2], X, Y)
    got = block_gradients(*params, make_blocks(X, Y, block_size))
    for name, g, e in zip(["dW1", "db1", "dW2", "db2"], got, expected):
        assert g.shape == e.shape, name
        np.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-13, err_msg=name)


def test_block_gradients_handle_blocks_without_pixels_and_a_short_last_block():
    rng = np.random.default_rng(2)
    images = np.zeros((130, IMAGE_SIDE, IMAGE_SIDE))
    images[:, 4:24, 4:24] = np.where(rng.random((130, 20, 20)) < 0.2, rng.random((130, 20, 20)), 0.0)
    Y = one_hot(rng.integers(0, 10, 130), dtype=np.float64)
    params = init_params(rng, scheme="he", dtype=np.float64)
    for X in (images.reshape(130, -1).T, np.zeros((784, 130))):  # ink, then all blank: blocks of k = 0 pixels
        blocks = make_blocks(X, Y, 40)
        assert [block.Y.shape[1] for block in blocks] == [40, 40, 40, 10]
        expected = backward_prop(*forward_prop(*params, X), params[0], params[2], X, Y)
        for g, e in zip(block_gradients(*params, blocks), expected):
            np.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-13)
    assert all(block.pixels.size == 0 for block in blocks)


def test_ink_groups_put_images_with_the_same_ink_box_together():
    X = np.hstack([image_with_ink(slice(2, 8), slice(2, 8))] * 6 + [image_with_ink(slice(20, 26), slice(20, 26))] * 6)
    order = np.random.default_rng(0).permutation(12)
    groups = ink_groups(X[:, order], 6)
    assert [sorted(set((order[g] < 6).tolist())) for g in groups] in ([[True], [False]], [[False], [True]])
    assert sorted(np.concatenate(groups).tolist()) == list(range(12))


def test_gradient_descent_follows_the_plain_loop(subset64):
    X, Y = subset64
    start = init_params(np.random.default_rng(0), dtype=np.float64)
    params = start
    for _ in range(20):  # the seed's loop, written out
        grads = backward_prop(*forward_prop(*params, X), params[0], params[2], X, Y)
        params = update_params(*params, *grads, 0.1)
    got, _ = gradient_descent(X, Y, 0.1, 20, params=start, progress="off")
    for g, p in zip(got, params):
        np.testing.assert_allclose(g, p, rtol=1e-9, atol=1e-12)


def test_make_blocks_rejects_mismatched_inputs(subset64):
    X, Y = subset64
    with pytest.raises(ValueError, match="same number of columns"):
        make_blocks(X, Y[:, :10])
    with pytest.raises(ValueError, match=r"\(784, m\)"):
        make_blocks(X.T, Y)


def test_block_gradients_reject_wrong_parameter_shapes(subset64):
    X, Y = subset64
    W1, b1, W2, b2 = init_params(np.random.default_rng(0), dtype=np.float64)
    with pytest.raises(ValueError, match="b1"):
        block_gradients(W1, b1.ravel(), W2, b2, make_blocks(X, Y))


def test_forward_block_is_forward_prop_on_the_blocks_columns(subset64):
    X, Y = subset64
    params = init_params(np.random.default_rng(3), dtype=np.float64)
    ids = np.arange(X.shape[1])[None, :]
    for block, named in zip(make_blocks(X, Y, 700), make_blocks(X, ids, 700)):
        columns = named.Y[0].astype(int)
        for got, expected in zip(forward_block(*params, block), forward_prop(*params, X[:, columns])):
            np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


def test_block_loss_accuracy_equal_evaluate(subset64, mnist):
    X, Y = subset64
    y = Y.argmax(axis=0)
    params, _ = gradient_descent(X, Y, 0.1, 30, rng=np.random.default_rng(0), progress="off")  # not chance
    loss, accuracy = block_loss_accuracy(*params, make_blocks(X, Y, 500))
    expected_loss, expected_accuracy = evaluate(params, X, y)
    assert isinstance(loss, float) and isinstance(accuracy, float)
    assert loss == pytest.approx(expected_loss, rel=1e-12) and accuracy == expected_accuracy
    assert 0.3 < accuracy < 1


def test_blocks_keep_Y_in_X_dtype_so_products_stay_in_it(subset64):
    X, Y = subset64
    blocks = make_blocks(X.astype(np.float32), Y, 1000)  # float64 Y, float32 X
    assert all(block.Y.dtype == np.float32 and block.X.dtype == np.float32 for block in blocks)
    params = init_params(np.random.default_rng(0))
    assert all(g.dtype == np.float32 for g in block_gradients(*params, blocks))


@pytest.mark.parametrize("block_size", [0, -5, 2.5])
def test_make_blocks_rejects_a_bad_block_size(subset64, block_size):
    X, Y = subset64
    with pytest.raises(ValueError, match="block_size"):
        make_blocks(X, Y, block_size)
    with pytest.raises(ValueError, match="block_size"):
        ink_groups(X, block_size)


def test_block_functions_reject_no_blocks():
    params = init_params(np.random.default_rng(0))
    with pytest.raises(ValueError, match="no blocks"):
        block_gradients(*params, [])
    with pytest.raises(ValueError, match="no blocks"):
        block_loss_accuracy(*params, [])

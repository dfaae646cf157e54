"""The dataset: the real MNIST, its checks, and clear errors for every way the file can be wrong."""


import numpy as np
import pytest

from helpers import (
    DEFAULT_PATH,
    DatasetError,
    array_sha256,
    check_labels,
    images_to_X,
    load_mnist,
    one_hot,
    train_dev_split,
)

# Published MNIST facts (LeCun, Cortes, Burges), independent of our file.
TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.fixture(scope="module")
def raw():
    return load_mnist()


def test_found_from_any_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    x_train, _, _, _ = load_mnist(verify=False)
    assert x_train.shape == (60000, 28, 28)
    assert DEFAULT_PATH.name == "mnist.npz" and DEFAULT_PATH.parent.name == "Dataset"


def test_shapes_and_dtypes(raw):
    x_train, y_train, x_test, y_test = raw
    assert x_train.shape == (60000, 28, 28) and x_train.dtype == np.uint8
    assert y_train.shape == (60000,) and x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)


def test_label_counts_match_published_mnist(raw):
    _, y_train, _, y_test = raw
    assert np.bincount(y_train, minlength=10).tolist() == TRAIN_COUNTS
    assert np.bincount(y_test, minlength=10).tolist() == TEST_COUNTS
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert y_test[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]


def test_every_array_passes_its_checksum(raw):
    from helpers.data import SHA256

    for key, a in zip(["x_train", "y_train", "x_test", "y_test"], raw):
        assert array_sha256(a) == SHA256[key]


def test_images_to_X_layout_and_scale(raw):
    x_train = raw[0][:100]
    X = images_to_X(x_train)
    assert X.shape == (784, 100) and X.dtype == np.float32 and X.flags.c_contiguous
    assert X.min() == 0.0 and X.max() == 1.0
    # Column i is image i, row-major: pixel (r, c) is row 28 r + c.
    assert X[28 * 14 + 10, 3] == pytest.approx(x_train[3, 14, 10] / 255)


def test_one_hot():
    Y = one_hot(np.array([3, 0, 9]))
    assert Y.shape == (10, 3)
    assert Y.sum(axis=0).tolist() == [1, 1, 1]
    assert Y[3, 0] == Y[0, 1] == Y[9, 2] == 1


def test_train_dev_split_is_seeded_and_disjoint(raw):
    X = images_to_X(raw[0][:500])
    y = raw[1][:500]
    a = train_dev_split(X, y, n_dev=100, rng=np.random.default_rng(1))
    b = train_dev_split(X, y, n_dev=100, rng=np.random.default_rng(1))
    assert a[0].shape == (784, 400) and a[2].shape == (784, 100)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    # Every image lands in exactly one of the two sets.
    both = np.concatenate([a[0], a[2]], axis=1)
    assert np.array_equal(np.sort(both.sum(axis=0)), np.sort(X.sum(axis=0)))


def test_load_data_default_split(mnist):
    assert mnist["X_train"].shape == (784, 59000) and mnist["X_dev"].shape == (784, 1000)
    assert mnist["X_test"].shape == (784, 10000)
    assert mnist["y_test"][:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]  # the test set is untouched


# ---- bad input: each error says what was expected and how to fix it ----

def test_missing_file_says_where_it_looked(tmp_path):
    path = tmp_path / "nowhere" / "mnist.npz"
    with pytest.raises(DatasetError, match="looked for") as err:
        load_mnist(path)
    assert str(path) in str(err.value) and "git checkout" in str(err.value)


def test_truncated_file(tmp_path):
    path = tmp_path / "mnist.npz"
    path.write_bytes(DEFAULT_PATH.read_bytes()[:100_000])
    with pytest.raises(DatasetError, match="truncated or corrupted"):
        load_mnist(path)


def test_not_a_zip_file(tmp_path):
    path = tmp_path / "mnist.npz"
    path.write_text("<html>404 Not Found</html>")
    with pytest.raises(DatasetError, match="not a readable .npz"):
        load_mnist(path)


def _write_npz(path, arrays):
    np.savez(path, **arrays)
    return path


def test_missing_keys(tmp_path, raw):
    path = _write_npz(tmp_path / "m.npz", {"x_train": raw[0], "y_train": raw[1]})
    with pytest.raises(DatasetError, match=r"lacks the arrays \['x_test', 'y_test'\]"):
        load_mnist(path)


def test_wrong_shape(tmp_path, raw):
    arrays = dict(zip(["x_train", "y_train", "x_test", "y_test"], raw))
    arrays["x_test"] = arrays["x_test"].reshape(10000, 784)
    path = _write_npz(tmp_path / "m.npz", arrays)
    with pytest.raises(DatasetError, match=r"'x_test'.*shape \(10000, 784\).*expected shape \(10000, 28, 28\)"):
        load_mnist(path)


def test_pickled_object_is_refused(tmp_path, raw):
    arrays = dict(zip(["x_train", "y_train", "x_test", "y_test"], raw))
    arrays["y_test"] = np.array([{"evil": "payload"}], dtype=object)
    path = _write_npz(tmp_path / "m.npz", arrays)
    with pytest.raises(DatasetError, match="pickled Python objects"):
        load_mnist(path)


def test_checksum_failure(tmp_path, raw):
    arrays = dict(zip(["x_train", "y_train", "x_test", "y_test"], raw))
    arrays["x_train"] = arrays["x_train"].copy()
    arrays["x_train"][0, 0, 0] ^= 1  # one flipped bit in 47 million bytes
    path = _write_npz(tmp_path / "m.npz", arrays)
    with pytest.raises(DatasetError, match="'x_train'.*SHA-256"):
        load_mnist(path)


@pytest.mark.parametrize("bad", [[0, 10], [-1, 3], [2.5]])
def test_labels_out_of_range(bad):
    with pytest.raises(ValueError, match="0-9"):
        one_hot(np.array(bad))


def test_labels_must_be_1d():
    with pytest.raises(ValueError, match=r"shape \(m,\)"):
        check_labels(np.zeros((10, 5), dtype=int))


def test_nan_pixels_are_refused():
    images = np.zeros((2, 28, 28))
    images[1, 5, 5] = np.nan
    with pytest.raises(ValueError, match="NaN or inf"):
        images_to_X(images)


def test_images_wrong_shape():
    with pytest.raises(ValueError, match=r"\(m, 28, 28\)"):
        images_to_X(np.zeros((5, 784)))

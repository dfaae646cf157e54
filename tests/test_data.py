"""The dataset: the real MNIST, its checks, and clear errors for every way the file can be wrong."""


import numpy as np
import pytest

import helpers.data
from helpers import (
    DatasetError,
    array_sha256,
    check_labels,
    find_mnist,
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


REAL = find_mnist()  # the repository's Dataset/mnist.npz (the tests run from a checkout)


def test_found_from_any_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MNIST_PATH", raising=False)
    x_train, _, _, _ = load_mnist(verify=False)
    assert x_train.shape == (60000, 28, 28)
    assert find_mnist() == helpers.data.DEFAULT_PATH  # nothing above tmp_path: the helpers' own checkout
    assert REAL.name == "mnist.npz" and REAL.parent.name == "Dataset"


# ---- where the file is found: argument, MNIST_PATH, the folder a notebook runs in and its parents, the checkout

def a_repository(root, content=None):
    """A folder laid out like a clone (``Dataset/mnist.npz``, ``notebooks/``): the real file, or ``content``."""
    (root / "notebooks").mkdir(parents=True)
    (root / "Dataset").mkdir()
    target = root / "Dataset" / "mnist.npz"
    if content is None:
        target.symlink_to(REAL)
    else:
        target.write_bytes(content)
    return root


def test_the_folder_a_notebook_runs_in_and_its_parents_come_before_the_helpers_checkout(tmp_path, monkeypatch):
    monkeypatch.delenv("MNIST_PATH", raising=False)
    repo = a_repository(tmp_path / "clone")
    monkeypatch.setattr(helpers.data, "DEFAULT_PATH", tmp_path / "site-packages" / "Dataset" / "mnist.npz")
    monkeypatch.chdir(repo / "notebooks")  # as a notebook in a clone runs, with helpers installed non-editably
    assert find_mnist() == repo / "Dataset" / "mnist.npz"
    monkeypatch.chdir(repo)
    assert find_mnist() == repo / "Dataset" / "mnist.npz"
    assert load_mnist(verify=False)[1][:3].tolist() == [5, 0, 4]


def test_an_explicit_path_or_MNIST_PATH_comes_first(tmp_path, monkeypatch):
    elsewhere = a_repository(tmp_path / "elsewhere") / "Dataset"
    monkeypatch.chdir(a_repository(tmp_path / "clone", b"not this one") / "notebooks")
    monkeypatch.setenv("MNIST_PATH", str(elsewhere / "mnist.npz"))
    assert find_mnist() == elsewhere / "mnist.npz"
    monkeypatch.setenv("MNIST_PATH", str(elsewhere))  # a folder holding mnist.npz will do
    assert find_mnist() == elsewhere / "mnist.npz"
    assert find_mnist(REAL) == REAL  # the argument before the variable
    assert load_mnist(verify=False)[0].shape == (60000, 28, 28)


@pytest.mark.parametrize("how", ["argument", "MNIST_PATH"])
def test_an_explicit_path_that_does_not_exist_is_named_not_replaced(tmp_path, monkeypatch, how):
    wrong = tmp_path / "Downloads" / "mnist.npz"
    monkeypatch.delenv("MNIST_PATH", raising=False)
    if how == "MNIST_PATH":
        monkeypatch.setenv("MNIST_PATH", str(wrong))
    with pytest.raises(DatasetError, match=f"{how if how == 'MNIST_PATH' else 'the path argument'} names") as err:
        load_mnist(wrong if how == "argument" else None)  # the repository's own file exists, and is not used
    assert str(wrong) in str(err.value) and "no such file" in str(err.value)


def test_nothing_found_lists_every_place_looked(tmp_path, monkeypatch):
    monkeypatch.delenv("MNIST_PATH", raising=False)
    nowhere = tmp_path / "site-packages" / "Dataset" / "mnist.npz"
    monkeypatch.setattr(helpers.data, "DEFAULT_PATH", nowhere)
    here = tmp_path / "copy" / "notebooks"
    here.mkdir(parents=True)
    monkeypatch.chdir(here)
    with pytest.raises(DatasetError, match="MNIST not found: looked for Dataset/mnist.npz") as err:
        load_mnist()
    message = str(err.value)
    for folder in [here, here.parent, tmp_path, *tmp_path.parents]:
        assert f"  - {folder / 'Dataset' / 'mnist.npz'}\n" in message
    assert f"  - {nowhere}\n" in message and "MNIST_PATH" in message and "git checkout" in message


@pytest.mark.parametrize("damage, words", [
    (lambda data: data[:100_000], "truncated or corrupted"),
    (lambda data: b"<html>404 Not Found</html>", "not a readable .npz"),
])
def test_a_damaged_file_in_the_found_place_gets_its_error_not_another_file(tmp_path, monkeypatch, damage, words):
    monkeypatch.delenv("MNIST_PATH", raising=False)
    repo = a_repository(tmp_path / "clone", damage(REAL.read_bytes()))
    monkeypatch.chdir(repo / "notebooks")
    with pytest.raises(DatasetError, match=words):
        load_mnist()  # the helpers' own checkout has a good file: it is not silently used instead


def test_a_pickled_file_in_the_found_place_is_refused(tmp_path, monkeypatch, raw):
    monkeypatch.delenv("MNIST_PATH", raising=False)
    repo = a_repository(tmp_path / "clone", b"")
    arrays = dict(zip(["x_train", "y_train", "x_test", "y_test"], raw))
    arrays["y_test"] = np.array([{"evil": "payload"}], dtype=object)
    (repo / "Dataset" / "mnist.npz").unlink()
    np.savez(repo / "Dataset" / "mnist.npz", **arrays)
    monkeypatch.chdir(repo / "notebooks")
    with pytest.raises(DatasetError, match="pickled Python objects"):
        load_mnist()


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
    with pytest.raises(DatasetError, match="no such file") as err:
        load_mnist(path)
    assert str(path) in str(err.value) and "git checkout" in str(err.value)


def test_truncated_file(tmp_path):
    path = tmp_path / "mnist.npz"
    path.write_bytes(REAL.read_bytes()[:100_000])
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

"""Loading MNIST and turning it into the matrices of the equations.

Taught in ``notebooks/01_data.ipynb``.

Notation (one convention, used everywhere in the series):

* ``X``  -- inputs, shape ``(784, m)``: one image per **column**, pixels scaled to [0, 1].
* ``y``  -- labels, shape ``(m,)``: integers 0-9.
* ``Y``  -- one-hot labels, shape ``(10, m)``: ``Y[k, i] == 1`` exactly when ``y[i] == k``.
"""

import hashlib
import os
import zipfile
from pathlib import Path

import numpy as np

#: The dataset's place inside the repository (and inside any folder that holds a copy of it).
RELATIVE_PATH = Path("Dataset") / "mnist.npz"

#: The environment variable that names the dataset file (or a folder holding ``mnist.npz``) explicitly.
ENV_VAR = "MNIST_PATH"

#: ``Dataset/mnist.npz`` of the checkout the ``helpers`` package was imported from. It exists when the helpers run
#: from the repository (``pip install -e .``, or ``PYTHONPATH``); a non-editable install (``pip install .``, a wheel,
#: Binder) puts ``helpers`` in site-packages, where there is no Dataset/: ``find_mnist`` then finds the file through
#: the current folder instead.
DEFAULT_PATH = Path(__file__).resolve().parent.parent / RELATIVE_PATH

N_PIXELS = 784  # 28 x 28 images, flattened
IMAGE_SIDE = 28
N_CLASSES = 10
PIXEL_MAX = 255.0  # pixels are stored as bytes 0..255
N_DEV = 1_000  # images held out of the 60,000 training images, as the seed does

#: Keys, shapes and dtypes of ``Dataset/mnist.npz``.
EXPECTED = {
    "x_train": ((60_000, 28, 28), np.uint8),
    "y_train": ((60_000,), np.uint8),
    "x_test": ((10_000, 28, 28), np.uint8),
    "y_test": ((10_000,), np.uint8),
}

#: SHA-256 of each array's raw C-order bytes (see ``Dataset/README.md``).
SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}

_FIX = (
    "Restore it from the repository (`git checkout -- Dataset/mnist.npz`) "
    "or copy a fresh one from a clean clone; Dataset/README.md says how to verify it."
)


class DatasetError(ValueError):
    """The dataset file is missing, unreadable, or not the MNIST this series expects."""


def _explicit(path, source):
    """The file an explicit ``path`` names (a folder means its ``mnist.npz``); a DatasetError if there is none."""
    path = Path(path).expanduser()
    file = path / RELATIVE_PATH.name if path.is_dir() else path
    if not file.is_file():
        raise DatasetError(
            f"MNIST not found: {source} names {path}, and there is no such file. Expected the path of "
            f"mnist.npz (or of a folder holding it); the repository has it as {RELATIVE_PATH.as_posix()}. " + _FIX
        )
    return file


def find_mnist(path=None):
    """The MNIST file the series loads: the first of these places that exists.

    1. ``path``, if given (a file, or a folder holding ``mnist.npz``);
    2. else the environment variable ``MNIST_PATH``, if set (the same);
    3. else ``Dataset/mnist.npz`` in the current folder or the nearest of its parents that has one: the
       repository (or a copy of it) a notebook runs in, however ``helpers`` was installed;
    4. else ``Dataset/mnist.npz`` of the checkout the ``helpers`` package was imported from (``DEFAULT_PATH``):
       a student edition in another folder, with the helpers installed editable.

    An explicit path (1, 2) that does not exist is an error naming it; it is never silently replaced by another
    file. Raises ``DatasetError`` listing every place looked when none has the file.
    """
    if path is not None:
        return _explicit(path, "the path argument")
    if os.environ.get(ENV_VAR):
        return _explicit(os.environ[ENV_VAR], f"the environment variable {ENV_VAR}")
    here = Path.cwd().resolve()
    candidates = [folder / RELATIVE_PATH for folder in (here, *here.parents)]
    candidates.append(DEFAULT_PATH)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    looked = "".join(f"\n  - {candidate}" for candidate in dict.fromkeys(candidates))
    raise DatasetError(
        f"MNIST not found: looked for {RELATIVE_PATH.as_posix()} in the current folder, in each folder above it "
        f"and beside the installed helpers package ({ENV_VAR} is not set):{looked}\n"
        "Run the notebook from inside the repository (a clone has Dataset/mnist.npz), or name the file: "
        f"load_data(path=...) or the environment variable {ENV_VAR}=/path/to/mnist.npz. " + _FIX
    )


def array_sha256(a):
    """SHA-256 hex digest of an array's raw C-order bytes (independent of how the .npz was zipped)."""
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


def load_mnist(path=None, verify=True):
    """Load the real MNIST from ``Dataset/mnist.npz`` and check it.

    Taught in ``01_data.ipynb``.

    Parameters
    ----------
    path : str or Path, optional
        The .npz file (or a folder holding ``mnist.npz``). Default: the environment variable ``MNIST_PATH`` if
        set, else ``Dataset/mnist.npz`` in the current folder or a folder above it, else beside the ``helpers``
        package (``find_mnist`` says the order), so the call works from the repository root, from
        ``notebooks/``, from a student edition anywhere, however the helpers were installed.
    verify : bool
        Check each array's SHA-256 against the published one (about 0.1 s).

    Returns
    -------
    x_train : uint8 array, shape (60000, 28, 28)
    y_train : uint8 array, shape (60000,)
    x_test : uint8 array, shape (10000, 28, 28)
    y_test : uint8 array, shape (10000,)

    Raises
    ------
    DatasetError
        If no file is found (the message lists every place looked), or the file is not a valid .npz,
        holds pickled objects, lacks a key, has an array of the wrong shape or dtype, or fails its
        checksum. The message says what was expected and how to fix it.
    """
    path = find_mnist(path)
    with open(path, "rb") as file:  # we own the file, so it is closed even when the archive is broken
        arrays = _read_arrays(file, path.name, verify)
    return arrays["x_train"], arrays["y_train"], arrays["x_test"], arrays["y_test"]


def _read_arrays(file, name, verify):
    """Read and check the four arrays of an open .npz file; see ``load_mnist``."""
    try:
        npz = np.load(file, allow_pickle=False)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise DatasetError(
            f"{name} is not a readable .npz archive ({type(err).__name__}: {err}); "
            "the file is probably truncated or corrupted. " + _FIX
        ) from None
    if not isinstance(npz, np.lib.npyio.NpzFile):
        raise DatasetError(f"{name} holds a single array, not an .npz archive of 4 arrays. " + _FIX)
    arrays = {}
    with npz:
        missing = sorted(set(EXPECTED) - set(npz.files))
        if missing:
            raise DatasetError(
                f"{name} lacks the arrays {missing}; expected the keys {sorted(EXPECTED)} "
                f"but found {sorted(npz.files)}. " + _FIX
            )
        for key, (shape, dtype) in EXPECTED.items():
            try:
                a = npz[key]
            except ValueError as err:  # raised for object arrays when allow_pickle=False
                raise DatasetError(
                    f"array '{key}' in {name} holds pickled Python objects, which are refused "
                    f"because loading them can run code ({err}). Expected a plain {np.dtype(dtype)} "
                    f"array of shape {shape}. " + _FIX
                ) from None
            except (zipfile.BadZipFile, OSError, EOFError) as err:
                raise DatasetError(
                    f"array '{key}' in {name} cannot be read ({type(err).__name__}); "
                    "the file is probably truncated or corrupted. " + _FIX
                ) from None
            if a.shape != shape or a.dtype != dtype:
                raise DatasetError(
                    f"array '{key}' in {name} has shape {a.shape} and dtype {a.dtype}; "
                    f"expected shape {shape} and dtype {np.dtype(dtype)}. " + _FIX
                )
            if verify and array_sha256(a) != SHA256[key]:
                raise DatasetError(
                    f"array '{key}' in {name} fails its SHA-256 check: the data differ from the "
                    "published MNIST. " + _FIX
                )
            arrays[key] = a
    return arrays


def check_labels(y):
    """Check that ``y`` holds integer labels 0-9 and return it as an int64 array, shape (m,).

    Taught in ``01_data.ipynb``.

    Raises ``ValueError`` naming the bad values when ``y`` is not 1-D, not integer, or out of range.
    """
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"labels y must be a 1-D array of shape (m,); got shape {y.shape}. Use y.ravel().")
    if y.size and not np.issubdtype(y.dtype, np.integer):
        if np.issubdtype(y.dtype, np.floating) and np.all(np.isfinite(y)) and np.all(y == np.round(y)):
            y = y.astype(np.int64)
        else:
            raise ValueError(f"labels y must be integers 0-{N_CLASSES - 1}; got dtype {y.dtype}.")
    bad = (y < 0) | (y >= N_CLASSES)
    if np.any(bad):
        raise ValueError(
            f"labels must lie in 0-{N_CLASSES - 1}; found {np.unique(y[bad])[:5].tolist()} "
            f"at positions {np.flatnonzero(bad)[:5].tolist()}. Pass the digit labels, not one-hot rows or pixel values."
        )
    return y.astype(np.int64, copy=False)


def images_to_X(images, dtype=np.float32):
    """Flatten images into the input matrix ``X`` and scale pixels to [0, 1].

    Taught in ``01_data.ipynb``.

    Parameters
    ----------
    images : uint8 array, shape (m, 28, 28)
    dtype : float dtype of the result. float32 (default) trains about twice as fast as float64
        because the two big products with X move half the bytes; the gradient check uses float64.

    Returns
    -------
    X : array, shape (784, m), C-contiguous, values in [0, 1]: one image per column.
    """
    images = np.asarray(images)
    if images.ndim != 3 or images.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE):
        raise ValueError(f"images must have shape (m, 28, 28); got {images.shape}.")
    if np.issubdtype(images.dtype, np.floating) and not np.all(np.isfinite(images)):
        raise ValueError("images contain NaN or inf pixels; expected bytes 0-255.")
    m = images.shape[0]
    # Copy into 784 x m C-order: each row is one pixel across all images (the layout the products with X like).
    X = np.ascontiguousarray(images.reshape(m, N_PIXELS).T, dtype=dtype)
    X /= PIXEL_MAX
    return X


def one_hot(y, n_classes=N_CLASSES, dtype=np.float32):
    """One-hot encode labels: ``Y[k, i] = 1 if y[i] == k else 0``.

    Taught in ``01_data.ipynb``.

    Parameters
    ----------
    y : int array, shape (m,), values 0-9

    Returns
    -------
    Y : array, shape (10, m)
    """
    y = check_labels(y)
    Y = np.zeros((n_classes, y.size), dtype=dtype)
    Y[y, np.arange(y.size)] = 1
    return Y


def train_dev_split(X, y, n_dev=N_DEV, rng=None):
    """Shuffle the training images with ``rng`` and hold ``n_dev`` of them out as a dev set.

    Taught in ``01_data.ipynb``. The test set is never touched here: it is kept for the final
    evaluation in ``08_evaluation.ipynb``.

    Parameters
    ----------
    X : array, shape (784, m)
    y : int array, shape (m,)
    n_dev : int, how many images go to the dev set (default 1,000 as in the seed)
    rng : numpy.random.Generator; default ``np.random.default_rng(0)``

    Returns
    -------
    X_train : (784, m - n_dev), y_train : (m - n_dev,), X_dev : (784, n_dev), y_dev : (n_dev,)
    Both X's are C-contiguous.
    """
    check_X(X)
    y = check_labels(y)
    if y.size != X.shape[1]:
        raise ValueError(f"X has {X.shape[1]} columns (images) but y has {y.size} labels; they must match.")
    if not 0 < n_dev < y.size:
        raise ValueError(f"n_dev must be between 1 and {y.size - 1}; got {n_dev}.")
    rng = np.random.default_rng(0) if rng is None else rng
    order = rng.permutation(y.size)
    dev, train = order[:n_dev], order[n_dev:]
    return (np.ascontiguousarray(X[:, train]), y[train], np.ascontiguousarray(X[:, dev]), y[dev])


def check_X(X, name="X", finite=True):
    """Check that ``X`` has shape (784, m) and (if ``finite``) no NaN/inf; raise ``ValueError`` saying how to fix it.

    The finiteness check reads every pixel, so the per-iteration math skips it (``finite=False``)
    and ``gradient_descent`` runs it once before training.
    """
    if not isinstance(X, np.ndarray) or X.ndim != 2 or X.shape[0] != N_PIXELS:
        shape = getattr(X, "shape", type(X).__name__)
        hint = " (one image per row? pass X.T)" if getattr(X, "ndim", 0) == 2 and X.shape[1] == N_PIXELS else ""
        raise ValueError(f"{name} must have shape (784, m), one image per column; got {shape}{hint}.")
    if finite and not np.all(np.isfinite(X)):
        raise ValueError(f"{name} contains NaN or inf pixels; expected values in [0, 1] (pixels / 255).")


def load_data(dtype=np.float32, n_dev=N_DEV, seed=0, path=None):
    """Load MNIST and return everything the notebooks train and evaluate on, in the series' layout.

    Taught in ``01_data.ipynb``; every later notebook starts with this one call.

    Returns
    -------
    dict with X_train (784, 59000), y_train (59000,), X_dev (784, 1000), y_dev (1000,),
    X_test (784, 10000), y_test (10000,); X's are ``dtype``, C-contiguous, in [0, 1].
    """
    x_train, y_train, x_test, y_test = load_mnist(path)
    X_all = images_to_X(x_train, dtype)
    X_train, y_tr, X_dev, y_dev = train_dev_split(X_all, y_train, n_dev, np.random.default_rng(seed))
    return {
        "X_train": X_train, "y_train": y_tr,
        "X_dev": X_dev, "y_dev": y_dev,
        "X_test": images_to_X(x_test, dtype), "y_test": check_labels(y_test),
    }

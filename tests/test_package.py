"""`import helpers` only defines functions: no output, no figures, no data loaded, nothing written."""

import subprocess
import sys

CHECK = """
import sys, helpers
import matplotlib.pyplot as plt
from helpers.plots import _test_set
assert plt.get_fignums() == [], "a figure was made on import"
assert _test_set.cache_info().currsize == 0, "data was loaded on import"
assert 'ipywidgets' not in sys.modules
"""


def test_import_has_no_side_effects(tmp_path):
    result = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    assert list(tmp_path.iterdir()) == []


def test_seed_names_are_exported():
    import helpers

    for name in ["init_params", "forward_prop", "backward_prop", "update_params", "get_predictions",
                 "get_accuracy", "make_predictions", "gradient_descent", "test_prediction", "load_mnist",
                 "one_hot", "relu", "relu_derivative", "softmax", "cross_entropy_loss", "predict", "accuracy"]:
        assert callable(getattr(helpers, name)), name

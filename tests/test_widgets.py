"""Interactive explorers: the plain functions agree with independent computations, and each widget,
driven from code as a notebook cell would drive it, updates ``.result`` at once (no browser needed)."""

import subprocess
import sys
import warnings

import matplotlib

matplotlib.use("Agg")  # no screen in CI

import numpy as np
import pytest
from matplotlib.figure import Figure  # noqa: E402

from helpers import (
    format_values,
    forward_prop,
    forward_stepper,
    forward_steps,
    gradient_descent,
    hidden_unit_summary,
    hidden_unit_view,
    hidden_unit_viewer,
    init_params,
    make_predictions,
    mistake_indices,
    one_hot,
    prediction_browser,
    prediction_view,
    relu,
    top_exciting,
    train_explorer_run,
    training_explorer,
    unit_digit_means,
)
from helpers.widgets import draw_hidden_unit, hidden_activity  # noqa: E402

SUBSET = 1000  # small: the tests stay quick on a busy machine


# With the max-subtracted softmax, alpha up to ~1e10 only kills the ReLUs (accuracy stays at chance);
# whether 1e8-1e10 reaches NaN depends on the subset. 1e12 overflows float32 within 3 steps on any subset.
HUGE = 1e12


def _is_png(image):
    """True when an ipywidgets.Image holds a PNG picture."""
    return bytes(image.value).startswith(b"\x89PNG")


@pytest.fixture(scope="module")
def subset(mnist):
    """The first 1,000 training images (784, 1000) and their labels."""
    return np.ascontiguousarray(mnist["X_train"][:, :SUBSET]), mnist["y_train"][:SUBSET]


@pytest.fixture(scope="module")
def params(subset):
    """A briefly trained network (about 70% right): some predictions right, some wrong."""
    X, y = subset
    params, _ = gradient_descent(X, one_hot(y), 0.5, 50, rng=np.random.default_rng(0), progress="off")
    return params


@pytest.fixture(scope="module")
def dev(mnist):
    return mnist["X_dev"], mnist["y_dev"]


# ---------------------------------------------------------------------------- plain functions


def test_prediction_view_agrees_with_make_predictions(dev, params):
    X, y = dev
    predictions = make_predictions(X, *params)
    A2 = forward_prop(*params, X)[3]
    for index in range(0, 1000, 37):
        view = prediction_view(index, X, y, params)
        assert view["index"] == index and view["label"] == y[index]
        assert view["prediction"] == predictions[index]
        assert view["correct"] == (predictions[index] == y[index])
        assert view["probabilities"].shape == (10,)
        np.testing.assert_allclose(view["probabilities"], A2[:, index], rtol=1e-5, atol=1e-7)
        assert abs(float(view["probabilities"].sum()) - 1) < 1e-5
    with pytest.raises(IndexError, match="between 0 and 999"):
        prediction_view(1000, X, y, params)


def test_mistake_indices_are_exactly_the_wrong_predictions(dev, params):
    X, y = dev
    wrong = mistake_indices(X, y, params)
    predictions = make_predictions(X, *params)
    assert wrong.tolist() == [i for i in range(y.size) if predictions[i] != y[i]]
    assert 0 < wrong.size < y.size / 2


def test_forward_steps_agree_with_forward_prop(dev, params):
    X, _ = dev
    Z1, A1, Z2, A2 = forward_prop(*params, X[:, :10])
    steps = forward_steps(params, X[:, 3])
    assert list(steps) == ["Z1", "A1", "Z2", "A2"]
    for name, full in zip(steps, (Z1, A1, Z2, A2)):
        assert steps[name].shape == (10, 1)
        np.testing.assert_allclose(steps[name][:, 0], full[:, 3], rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(steps["A1"], relu(steps["Z1"]))
    column = forward_steps(params, X[:, 3, None])
    assert all(np.array_equal(column[k], steps[k]) for k in steps)


def test_top_exciting_gives_the_largest_Z1(dev, params):
    X, _ = dev
    W1, b1 = params[0], params[1]
    Z1 = forward_prop(*params, X)[0]  # independent: all of Z1 = W1 X + b1, (10, 1000)
    for unit in range(10):
        top = top_exciting(W1, b1, X, unit, n=8)
        assert top.shape == (8,) and len(set(top.tolist())) == 8
        z = Z1[unit, top]
        assert (np.diff(z) <= 1e-5).all(), "largest first"
        np.testing.assert_allclose(z, np.sort(Z1[unit])[::-1][:8], rtol=1e-5, atol=1e-5)
    with pytest.raises(IndexError, match="between 0 and 9"):
        top_exciting(W1, b1, X, 10)


def test_hidden_unit_view_shows_a_row_of_W1(dev, params):
    X, _ = dev
    view = hidden_unit_view(params, X, 4, n=5)
    assert view["weights"].shape == (28, 28)
    np.testing.assert_array_equal(view["weights"].ravel(), params[0][4])
    np.testing.assert_array_equal(view["indices"], top_exciting(params[0], params[1], X, 4, n=5))
    np.testing.assert_allclose(view["z1"], forward_prop(*params, X[:, view["indices"]])[0][4], rtol=1e-5)


def test_hidden_unit_view_with_start_shows_the_change(dev, params):
    X, _ = dev
    start = init_params(np.random.default_rng(1))[0]
    view = hidden_unit_view(params, X, 4, n=5, start=start)
    assert view["change"] and not hidden_unit_view(params, X, 4, n=5)["change"]
    np.testing.assert_array_equal(view["weights"].ravel(), params[0][4] - start[4])
    np.testing.assert_array_equal(view["indices"], top_exciting(params[0], params[1], X, 4, n=5))  # still by Z1
    np.testing.assert_array_equal(view["votes"], params[2][:, 4])  # unit 4's column of W2
    np.testing.assert_allclose(view["ink"], [X[:, i].sum() for i in view["indices"]], rtol=1e-5)
    assert np.isclose(view["mean_ink"], X.sum() / X.shape[1], rtol=1e-5)
    Z1 = forward_prop(*params, X)[0]
    assert view["active"] == np.mean(Z1[4] > 0)
    dead = (params[0], params[1] - 1e3, params[2], params[3])  # Z1 < 0 everywhere: every ReLU dead
    assert hidden_unit_view(dead, X, 4)["active"] == 0


def test_hidden_unit_summary_by_hand(dev, params):
    X, y = dev
    W1, b1, W2, b2 = (np.array(p, copy=True) for p in params)
    W2[:, 3] = np.arange(10) - 4.5  # unit 3 votes most for 9, most against 0
    b1[5] = -1e3  # unit 5 is dead
    summary = hidden_unit_summary((W1, b1, W2, b2), X, y, n=7)
    assert [s["unit"] for s in summary] == list(range(10))
    s = summary[3]
    assert (s["vote"], s["against"], s["weight"]) == (9, 0, 4.5)
    top = y[top_exciting(W1, b1, X, 3, n=7)]
    assert s["count"] == np.sum(top == s["digit"]) == max(np.sum(top == d) for d in range(10))
    assert s["digit"] == min(d for d in range(10) if np.sum(top == d) == s["count"])
    assert summary[5]["active"] == 0 and 0 < summary[3]["active"] <= 1
    assert s["runner_up"] != s["digit"] and s["runner_up_count"] == sorted(np.bincount(top, minlength=10))[-2]
    assert s["chance"] == pytest.approx(7 * np.mean(y == s["digit"]))
    assert summary[5]["in_top_active"] == 0 and s["in_top_active"] == np.sum(hidden_activity(W1, b1, X, 3)
                                                                              [top_exciting(W1, b1, X, 3, 7)] > 0)


def test_unit_digit_means_by_hand(dev, params):
    X, y = dev
    R = unit_digit_means(params, X, y)
    A1 = forward_prop(*params, X)[1]
    assert R.shape == (10, 10)
    np.testing.assert_allclose(R[2, 7], A1[2, y == 7].mean(), rtol=1e-6)
    np.testing.assert_allclose(R[:, 0], A1[:, y == 0].mean(axis=1), rtol=1e-6)
    assert np.isnan(unit_digit_means(params, X[:, y != 3], y[y != 3])[:, 3]).all()  # no 3s: no mean


def test_draw_hidden_unit_on_a_given_figure(dev, params):
    X, _ = dev
    view = hidden_unit_view(params, X, 1, n=4)
    fig = Figure(figsize=(8.5, 2.6), layout="constrained")
    assert draw_hidden_unit(view, X, fig=fig) is fig
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0] == "unit 1: W1[1]" and titles[-1] == "votes W2[:, 1]"
    assert sum(t.startswith("#") for t in titles) == 4  # the 4 digits, each "#index: Z1 value"
    np.testing.assert_array_equal(fig.axes[0].get_images()[0].get_array(), view["weights"])


def test_format_values():
    assert format_values(np.array([[1.234], [-0.5], [0.0]])) == "[1.23, -0.50, 0.00]"
    assert format_values([0.12345], decimals=3) == "[0.123]"


def test_train_explorer_run_learns_with_a_good_alpha(subset, dev):
    run = train_explorer_run(0.5, 100, *subset, *dev)
    assert run["status"] == "ok" and not run["failed"] and not run["diverged"]
    assert run["history"]["iteration"] == list(range(0, 101, 2))  # about 50 points per curve
    assert run["train_accuracy"] > 0.5 and run["dev_accuracy"] > 0.5
    assert run["message"].startswith("alpha = 0.5, 100 iterations: train accuracy")


def test_train_explorer_run_says_when_large_alpha_kills_the_relus(subset, dev):
    run = train_explorer_run(10, 30, *subset, *dev)
    assert run["status"] == "chance" and run["failed"] and not run["diverged"]
    assert run["train_accuracy"] < 0.2 and run["dead_units"] >= 5
    assert "near chance" in run["message"] and "dead" in run["message"] and "too large" in run["message"]


def test_train_explorer_run_says_when_alpha_is_too_small(subset):
    run = train_explorer_run(0.001, 20, *subset)
    assert run["status"] == "chance" and run["dead_units"] == 0 and run["dev_accuracy"] is None
    assert "near chance" in run["message"] and "too small" in run["message"]


def test_train_explorer_run_catches_divergence_quietly(subset, dev):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning may reach the notebook
        run = train_explorer_run(HUGE, 50, *subset, *dev)
    assert run["status"] == "diverged" and run["diverged"] and run["failed"]
    assert run["diverged_at"] >= 1 and f"iteration {run['diverged_at']}" in run["message"]
    assert "DIVERGED" in run["message"] and all(np.isfinite(p).all() for p in run["params"])


# ---------------------------------------------------------------------------- widgets, driven from code


def test_prediction_browser_slider_box_and_only_mistakes(dev, params):
    X, y = dev
    browser = prediction_browser(X, y, params)
    assert browser.result["index"] == 0 and _is_png(browser.picture)
    browser.slider.value = 7
    assert browser.index_box.value == 7
    expected = prediction_view(7, X, y, params)
    assert all(browser.result[k] == expected[k] for k in ("index", "label", "prediction", "correct"))
    np.testing.assert_array_equal(browser.result["probabilities"], expected["probabilities"])
    browser.index_box.value = 12  # typing an index moves the slider
    assert browser.slider.value == 12 and browser.result["index"] == 12

    wrong = mistake_indices(X, y, params)
    browser.only_mistakes.value = True
    assert browser.slider.max == wrong.size - 1
    assert browser.result["index"] == wrong[np.searchsorted(wrong, 12)]  # the first mistake from image 12 on
    for position in (0, 1, wrong.size - 1):
        browser.slider.value = position
        assert browser.result["index"] == wrong[position] == browser.index_box.value
        assert not browser.result["correct"] and browser.result["prediction"] != browser.result["label"]
    right = int(np.setdiff1d(np.arange(wrong[3]), wrong)[-1])  # a correctly predicted image before mistake 3
    browser.index_box.value = right
    assert browser.result["index"] == browser.index_box.value == wrong[3] and browser.slider.value == 3
    assert "mistake 4 of" in browser.text.value

    browser.only_mistakes.value = False  # back to all images, staying on the same one
    assert browser.slider.max == 999 and browser.slider.value == wrong[3] == browser.result["index"]


def test_prediction_browser_can_start_on_the_mistakes(dev, params):
    X, y = dev
    browser = prediction_browser(X, y, params, index=5, only_mistakes=True)
    wrong = mistake_indices(X, y, params)
    assert browser.only_mistakes.value and browser.result["index"] == wrong[np.searchsorted(wrong, 5)]


def test_training_explorer_trains_on_click(mnist):
    trainer = training_explorer(mnist["X_train"], mnist["y_train"], mnist["X_dev"], mnist["y_dev"],
                                n_train=500, iterations=30, alpha_max=HUGE)
    assert trainer.result is None and _is_png(trainer.picture)
    trainer.alpha.value = 0.5
    trainer.train_button.click()
    run = trainer.result
    expected = train_explorer_run(0.5, 30, mnist["X_train"][:, :500], mnist["y_train"][:500],
                                  mnist["X_dev"], mnist["y_dev"])
    assert run["status"] == "ok" and run["history"] == expected["history"]
    assert run["message"] in trainer.text.value and not trainer.train_button.disabled

    trainer.alpha.value = 10
    trainer.train_button.click()
    assert trainer.result["status"] == "chance" and "near chance" in trainer.text.value

    trainer.alpha.value = HUGE
    trainer.train_button.click()
    assert trainer.result["diverged"] and "DIVERGED" in trainer.text.value
    assert _is_png(trainer.picture) and not trainer.train_button.disabled


def test_training_explorer_alpha_range_defaults_to_0001_100(mnist):
    trainer = training_explorer(mnist["X_train"], mnist["y_train"], n_train=100)
    trainer.alpha.value = 1e10
    assert trainer.alpha.value == pytest.approx(100)
    trainer.alpha.value = 1e-9
    assert trainer.alpha.value == pytest.approx(0.001)


def test_hidden_unit_viewer(dev, params):
    X, _ = dev
    viewer = hidden_unit_viewer(params, X, n=6)
    assert viewer.result["unit"] == 0
    viewer.unit.value = 4
    assert viewer.result["unit"] == 4 and _is_png(viewer.picture)
    np.testing.assert_array_equal(viewer.result["indices"], top_exciting(params[0], params[1], X, 4, n=6))
    assert "ink" in viewer.text.value and not viewer.result["change"]


def test_hidden_unit_viewer_draws_the_change_from_the_start(dev, params):
    X, _ = dev
    start = init_params(np.random.default_rng(1))[0]
    viewer = hidden_unit_viewer(params, X, unit=2, n=4, start=start)
    assert viewer.result["change"] and viewer.result["unit"] == 2
    np.testing.assert_array_equal(viewer.result["weights"].ravel(), params[0][2] - start[2])
    viewer.unit.value = 7
    np.testing.assert_array_equal(viewer.result["weights"].ravel(), params[0][7] - start[7])
    ink = viewer.result["ink"].mean()
    assert f"averages {ink:.0f}" in viewer.text.value and _is_png(viewer.picture)


def test_forward_stepper(dev, params):
    X, _ = dev
    stepper = forward_stepper(params, X)
    assert stepper.result["index"] == 0 and stepper.result["step"] == "Z1"
    stepper.slider.value = 5
    stepper.step.value = "A1"
    result = stepper.result
    assert result["index"] == 5 and result["step"] == "A1" and result["shape"] == (10, 1)
    np.testing.assert_array_equal(result["values"], forward_steps(params, X[:, 5])["A1"])
    assert result["text"] == format_values(result["values"]) and result["text"] in stepper.text.value
    stepper.step.value = "A2"
    assert abs(float(stepper.result["values"].sum()) - 1) < 1e-5 and stepper.result["formula"] == "A2 = softmax(Z2)"


def test_importing_helpers_does_not_import_ipywidgets():
    code = "import sys, helpers; assert 'ipywidgets' not in sys.modules; assert helpers.prediction_browser"
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------------------- the explorers' pictures (issue 21)


def _shown_text_px(fig):
    """The smallest text of an explorer's picture in CSS px as the explorer shows it (``shown_width`` px wide)."""
    from helpers.figures import smallest_text_pt
    from helpers.widgets import shown_width

    return smallest_text_pt(fig) / 72 * shown_width(fig) / fig.get_figwidth()


def _check_picture(fig):
    """An explorer's picture: legible and sharp as shown on a 1280 x 720 slide, and described."""
    import io

    from PIL import Image

    from helpers.figures import SLIDE_TEXT_PX, description
    from helpers.widgets import PNG_SCALE, _png, shown_width

    assert _shown_text_px(fig) >= SLIDE_TEXT_PX  # >= 14 pt at 100 px per inch
    width, height = Image.open(io.BytesIO(_png(fig))).size
    assert width == PNG_SCALE * shown_width(fig) >= 2 * shown_width(fig)  # sharp when enlarged up to 2x
    assert shown_width(fig) <= 1150 and height / PNG_SCALE <= 440  # inside the slide, under the 440 px cap
    assert description(fig)


def test_draw_prediction_marks_label_and_wrong_prediction_beyond_colour(dev, params):
    from matplotlib.colors import to_hex

    from helpers.figures import RIGHT, WRONG, description
    from helpers.widgets import draw_prediction

    X, y = dev
    i = int(mistake_indices(X, y, params)[0])
    view = prediction_view(i, X, y, params)
    fig = draw_prediction(view, X[:, i])
    _check_picture(fig)
    bars = fig.axes[1].patches
    label, prediction = view["label"], view["prediction"]
    assert to_hex(bars[label].get_facecolor()) == RIGHT.lower()
    assert to_hex(bars[prediction].get_facecolor()) == WRONG.lower()
    assert bars[prediction].get_hatch() and not bars[label].get_hatch()  # a second cue: hatching
    ticks = [t.get_text() for t in fig.axes[1].get_xticklabels()]
    assert ticks[label].endswith("label") and ticks[prediction].endswith("predicted")  # and words
    p = view["probabilities"]
    assert f"a handwritten {label}" in description(fig)
    assert f"digit {prediction} at {p[prediction]:.2f}" in description(fig)
    assert f"the label's bar (green), {label}, at {p[label]:.2f}" in description(fig)

    right = int(np.setdiff1d(np.arange(50), mistake_indices(X, y, params))[0])
    fig = draw_prediction(prediction_view(right, X, y, params), X[:, right])
    assert "the label: right" in description(fig) and not any(b.get_hatch() for b in fig.axes[1].patches)


def test_draw_training_is_legible_and_says_how_the_run_went(subset, dev):
    from helpers.figures import description
    from helpers.widgets import draw_training

    _check_picture(draw_training())
    run = train_explorer_run(0.5, 30, *subset, *dev)
    fig = draw_training(run)
    _check_picture(fig)
    h = run["history"]
    assert description(fig).startswith("Accuracy over 30 iterations with alpha = 0.5: trained;")
    assert f"train accuracy {h['train_accuracy'][0]:.2f} at the start, {h['train_accuracy'][-1]:.2f} at the end" \
        in description(fig)
    failed = draw_training(train_explorer_run(10, 30, *subset, *dev))
    assert "FAILED" in failed.axes[0].get_title() and "FAILED" in description(failed)  # words, not only colour


def test_draw_hidden_unit_is_legible_and_names_its_images(dev, params):
    from helpers.figures import description

    X, _ = dev
    view = hidden_unit_view(params, X, 3, start=init_params(np.random.default_rng(1))[0])
    fig = draw_hidden_unit(view, X)
    _check_picture(fig)
    assert f"numbers {', '.join(str(int(i)) for i in view['indices'])}" in description(fig)
    assert f"largest for digit {np.argmax(view['votes'])}" in description(fig)


def test_draw_forward_step_is_legible_and_reads_the_values(dev, params):
    from helpers.figures import description
    from helpers.widgets import draw_forward_step

    X, _ = dev
    values = forward_steps(params, X[:, 0])["Z1"]
    fig = draw_forward_step("Z1", values, X[:, 0])
    _check_picture(fig)
    assert f"the largest, {values.max():.2f}, at hidden unit {int(values.argmax())}" in description(fig)
    assert f"{int(np.sum(values > 0))} above zero" in description(fig)


def test_explorer_pictures_are_shown_at_their_design_size_with_their_description(dev, params):
    from helpers.widgets import shown_width

    X, y = dev
    browser = prediction_browser(X, y, params)
    assert browser.picture.layout.width == "1000px" and browser.picture.layout.max_width == "100%"
    assert browser.picture.tooltip.startswith("Image 0, a handwritten")
    viewer = hidden_unit_viewer(params, X)
    assert viewer.picture.layout.width == f"{shown_width(draw_hidden_unit(viewer.result, X))}px"


def test_training_explorer_alpha_moves_visibly_by_one_key(mnist):
    from helpers.widgets import ALPHA_STEP

    trainer = training_explorer(mnist["X_train"], mnist["y_train"], n_train=100)
    slider = trainer.alpha
    assert slider.step == ALPHA_STEP and 0.05 <= slider.step <= 0.1  # one arrow key: x 1.12 to x 1.26
    one_key = slider.value * 10 ** slider.step
    assert f"{one_key:{slider.readout_format}}" != f"{slider.value:{slider.readout_format}}"  # the readout changes
    assert not slider.continuous_update  # the browser's grid never overwrites a value set from code

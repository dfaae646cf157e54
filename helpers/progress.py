"""Progress display for long work: an ipywidgets bar in Jupyter, plain text lines elsewhere.

Used by ``gradient_descent`` (``05_training.ipynb``) and ``minibatch_sgd`` (``07_training_further.ipynb``).
Plumbing, not math.
"""

import sys

TEXT_LINES = 10  # outside Jupyter, print about this many lines per run


def in_jupyter():
    """True when running inside a Jupyter kernel (where widgets can be displayed)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def format_metrics(metrics):
    """``{'loss': 1.23456, 'train acc': 0.5}`` -> ``'loss 1.235  train acc 0.500'`` (3 decimals)."""
    return "  ".join(f"{name} {value:.3f}" for name, value in metrics.items())


class Progress:
    """A progress bar over ``total`` steps.

    ``update(step, metrics)`` moves it to ``step`` (1..total) and shows ``metrics`` (a dict of
    floats); ``close()`` ends it. In Jupyter it is an ``ipywidgets.IntProgress`` with a label;
    elsewhere (a script, CI logs) it prints about ``TEXT_LINES`` lines to ``stream``.
    ``mode``: ``"auto"`` (default), ``"widget"``, ``"text"`` or ``"off"``.
    """

    def __init__(self, total, description="training", mode="auto", stream=None):
        self.total = int(total)
        self.description = description
        self.mode = ("widget" if in_jupyter() else "text") if mode == "auto" else mode
        self.stream = stream if stream is not None else sys.stdout
        self.every = max(1, self.total // TEXT_LINES)
        self.bar = self.label = None
        if self.mode == "widget":
            import ipywidgets as widgets
            from IPython.display import display

            self.bar = widgets.IntProgress(value=0, min=0, max=self.total, description=description,
                                          style={"description_width": "initial"})  # the whole name
            self.label = widgets.HTML(value="")
            self.box = widgets.HBox([self.bar, self.label])
            display(self.box)

    def update(self, step, metrics=None):
        """Show that ``step`` of ``total`` steps are done, with the latest ``metrics``."""
        text = f"{step}/{self.total}  " + format_metrics(metrics or {})
        if self.mode == "widget":
            self.bar.value = step
            self.label.value = text
        elif self.mode == "text" and (step % self.every == 0 or step == self.total):
            print(f"{self.description}: {text}", file=self.stream, flush=True)

    def close(self, message=None):
        """End the display; ``message`` (e.g. why training stopped) is shown on the bar or printed."""
        if self.mode == "widget":
            self.bar.bar_style = "danger" if message else "success"
            if message:
                self.label.value = message
        elif self.mode == "text" and message:
            print(f"{self.description}: {message}", file=self.stream, flush=True)

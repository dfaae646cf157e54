"""What the real-browser tests share: Debian's Chromium driven by Playwright, one JupyterLab server, sizes.

tests/test_browser_live.py opens every notebook in JupyterLab and walks its live slideshow; tests/test_browser_decks.py
walks the offline decks and audits them and the lesson pages. Two files, so that pytest-xdist (`--dist loadfile`,
the README's test command) runs them on two workers at once. Their fixtures live here (imported by name there).

Needs Chromium at /usr/bin/chromium (``apt-get update && apt-get install -y chromium``); Playwright never
downloads a browser here. Without Chromium these tests are skipped, saying so.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from helpers.figures import SLIDE_TEXT_PX

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
INSTALL = "apt-get update && apt-get install -y chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))  # the lessons, then the appendices
WIDTH, HEIGHT = 1280, 720  # the projector
MIN_TEXT_PX, MIN_CODE_PX = 20, 18
MIN_WIDGET_PX = 18  # an explorer's labels, readouts, buttons and messages
WIDGET_TEXT = ".jupyter-widgets :is(.widget-label, .widget-readout, .widget-html-content, .jupyter-button)"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

#: Put on each browser test module: skipped, saying how to install Chromium, where there is none.
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason=f"no Chromium at {CHROMIUM}: install it with `{INSTALL}`")

# ---------------------------------------------------------------------------------------------
# The server and the browser


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _settings(root):
    """JupyterLab settings for the test: no news prompt, every cell rendered (no windowing)."""
    settings = {"@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
                "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"}}
    for name, values in settings.items():
        path = root / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def _trust(folder, data_dir):
    """Sign every notebook in ``folder`` as trusted for a Jupyter server whose data folder is ``data_dir``."""
    import nbformat
    from nbformat.sign import NotebookNotary

    data_dir.mkdir(parents=True, exist_ok=True)
    notary = NotebookNotary(data_dir=str(data_dir))
    for path in sorted(folder.glob("*.ipynb")):
        notary.sign(nbformat.read(path, as_version=4))


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 serving a copy of notebooks/, every copy trusted: yields (base URL, token).

    Trusted as ``jupyter trust notebooks/*.ipynb`` does (signed in this server's own data folder): JupyterLab then
    draws the widgets saved in a notebook without running it (an untrusted notebook shows their text repr)."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(REPO / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    _settings(root / "settings")
    _trust(root / "notebooks", data_dir=root / "data")
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(root / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(root / "workspaces"), "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
           "JUPYTER_CONFIG_DIR": str(root / "config"), "JUPYTER_DATA_DIR": str(root / "data"),
           "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    log = open(root / "server.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--ServerApp.allow_root=True", "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.extension_manager=readonly"],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5)
                break
            except OSError as error:
                if server.poll() is not None or time.monotonic() > deadline:
                    log_text = (root / "server.log").read_text()[-3000:]
                    raise RuntimeError("JupyterLab did not start:\n" + log_text) from error
                time.sleep(0.3)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in requirements.txt: pip install it")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def _tool(name):
    """tools/NAME.py as a module (tools/ is not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"{name}_tool", REPO / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DECK = _tool("deck")
LESSONS = DECK.lessons(REPO / "notebooks")  # the numbered lessons and the appendices


def new_page(browser, allowed=("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:")):
    """A 1280 x 720 page whose requests to anything but ``allowed`` are blocked and listed in ``page.blocked``."""
    return DECK.blocking_page(browser, allowed)


def screenshot(page, name, element=None):
    """Save what is on screen (or ``element``, a locator, whole) as $SLIDE_SCREENSHOTS/<name>.png when that
    variable names a folder (to look at)."""
    folder = os.environ.get("SLIDE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (element or page).screenshot(path=str(Path(folder) / f"{name}.png"))


def too_small(where, sizes):
    """Problems with the smallest text, code and widget text of one step (``textPx`` ..., as drawn; None: none)."""
    minimums = (("textPx", "text", MIN_TEXT_PX), ("codePx", "code", MIN_CODE_PX),
                ("widgetPx", "widget text", MIN_WIDGET_PX), ("figurePx", "a figure's smallest text", SLIDE_TEXT_PX))
    return [f"{where}: {what} {sizes[key]:.1f} px < {minimum}" for key, what, minimum in minimums
            if sizes.get(key) is not None and sizes[key] < minimum]

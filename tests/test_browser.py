"""The series in a real browser: JupyterLab and its live slideshow in Debian's Chromium, driven by Playwright.

One JupyterLab server (127.0.0.1, a random free port, a token) serves a temporary copy of notebooks/ for
the whole session; the browser may reach that server only: every request to another host is blocked
and counted, as in a lecture hall without network. All notebooks start running at once (one kernel
each, one BLAS thread each), then each is checked:

* JupyterLab: "run all" succeeds with no error and no stderr output; every widget output renders as a
  widget (no "Error displaying widget", no text repr such as ``VBox(children=...``); moving a slider of
  each explorer (and pressing its button, if it has one) changes the bytes of its picture;
* the live slideshow (jupyterlab-slideshow, started with ``deck:start``): every slide, subslide and
  fragment in turn: the cells on screen lie inside the 1280 x 720 frame, their text is at least 20 px,
  their code and the explorers' labels, readouts, buttons and messages at least 18 px, nothing scrolls
  sideways, maths is typeset (no ``$$`` or ``\\frac`` left as text) and widgets render;
* the offline deck (tools/deck.py), opened from disk with every request blocked: no request leaves, maths
  typeset, the saved widgets drawn, one reveal.js slide per ``slide`` cell, speaker notes; then every
  step of it, as drawn: inside the frame, with the sizes above; a PDF handout.

Set SLIDE_SCREENSHOTS to a folder to keep a screenshot of every step of both slideshows (to look at).

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

import nbformat
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
RUN_TIMEOUT_MS = 900_000  # all notebooks run at once on 2 shared cores

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}: install it with `{INSTALL}`")

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


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 serving a copy of notebooks/: yields (base URL, token)."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(REPO / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    _settings(root / "settings")
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(root / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(root / "workspaces"), "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
           "JUPYTER_CONFIG_DIR": str(root / "config"),
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


def screenshot(page, name):
    """Save what is on screen as $SLIDE_SCREENSHOTS/<name>.png when that variable names a folder (to look at)."""
    folder = os.environ.get("SLIDE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


# ---------------------------------------------------------------------------------------------
# JupyterLab: run every notebook


@pytest.fixture(scope="session")
def running(request, lab, browser):
    """Open every notebook under test in its own tab, start "run all" in all of them at once: {name: page}."""
    base, token = lab
    selected = {item.callspec.params["ran"] for item in request.session.items
                if hasattr(item, "callspec") and "ran" in item.callspec.params}
    pages = {}
    for i, path in enumerate(p for p in NOTEBOOKS if p in selected):
        page = new_page(browser)
        page.goto(f"{base}/lab/workspaces/w{i}/tree/notebooks/{path.name}?reset&token={token}")
        pages[path.stem] = page
    for page in pages.values():
        page.wait_for_function("""() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
            return k && k.status === 'idle' && w.content.widgets.length > 0; }""", timeout=120_000)
        page.evaluate("""() => { window.__ran = undefined;
            window.jupyterapp.commands.execute('notebook:run-all-cells').then(ok => { window.__ran = ok; },
                                                                              e => { window.__ran = String(e); }); }""")
    yield pages
    for page in pages.values():
        page.close()


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def ran(request, running):
    """One notebook after "run all" has finished: (page, the stored notebook)."""
    page = running[request.param.stem]
    page.wait_for_function("window.__ran !== undefined", timeout=RUN_TIMEOUT_MS, polling=500)
    assert page.evaluate("window.__ran") is True, f"run all failed: {page.evaluate('window.__ran')}"
    return page, nbformat.read(request.param, as_version=4)


CELL_OUTPUTS = """() => window.jupyterapp.shell.currentWidget.content.widgets.map(c =>
    c.model.type === 'code' ? c.model.outputs.toJSON() : [])"""


def test_run_all_without_errors_or_stderr(ran):
    page, _ = ran
    problems = []
    for i, outputs in enumerate(page.evaluate(CELL_OUTPUTS)):
        for out in outputs:
            if out["output_type"] == "error":
                problems.append(f"cell {i}: {out['ename']}: {out['evalue']}")
            elif out.get("name") == "stderr":
                problems.append(f"cell {i} wrote to stderr: {''.join(out['text'])[:200]}")
    assert not problems, "\n".join(problems)
    assert not page.blocked, f"requests left 127.0.0.1: {page.blocked}"


WIDGET_OUTPUTS = """() => {
    const nb = window.jupyterapp.shell.currentWidget.content;
    return nb.widgets.flatMap((c, i) => c.model.type !== 'code' ? [] :
        c.model.outputs.toJSON().map((out, j) => [out, c.outputArea.widgets[j]])
            .filter(([out]) => out.data && out.data['@MIME@'])
            .map(([out, child]) => ({cell: i, text: child ? child.node.innerText.slice(0, 300) : '(not in the page)',
                                     views: child ? child.node.querySelectorAll('.jupyter-widgets').length : 0})));
}""".replace("@MIME@", WIDGET_MIME)


def test_every_widget_renders(ran):
    page, nb = ran
    expected = sum(WIDGET_MIME in out.get("data", {}) for c in nb.cells for out in c.get("outputs", []))
    deadline = time.monotonic() + 60
    while True:  # widgets render asynchronously after the run
        outputs = page.evaluate(WIDGET_OUTPUTS)
        if sum(o["views"] > 0 for o in outputs) >= expected or time.monotonic() > deadline:
            break
        page.wait_for_timeout(500)
    assert len(outputs) == expected, f"{len(outputs)} widget outputs, the stored notebook has {expected}: {outputs}"
    for out in outputs:
        assert out["views"] > 0, f"cell {out['cell']}: no widget rendered"
        assert "Error displaying widget" not in out["text"], f"cell {out['cell']}: {out['text']}"
        assert "(children=" not in out["text"], f"cell {out['cell']} shows a text repr: {out['text']}"


PICTURE = """async (output) => { const img = output.querySelector('img');
    if (!img || !img.src) return '';
    const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
    const hash = bytes.reduce((a, b) => (a * 31 + b) >>> 0, 7);
    return bytes.length + ':' + hash; }"""


def explorer_count(nb):
    """How many stored widget outputs are explorers: a slider and a picture (from the saved widget state)."""
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})

    def models(model_id):
        model = state.get(model_id, {})
        children = model.get("state", {}).get("children", [])
        names = [m for child in children for m in models(child.removeprefix("IPY_MODEL_"))]
        return [model.get("model_name", "")] + names

    count = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if WIDGET_MIME in out.get("data", {}):
                names = models(out["data"][WIDGET_MIME]["model_id"])
                count += any("Slider" in n for n in names) and "ImageModel" in names
    return count


def test_every_explorer_answers_its_slider(ran):
    page, nb = ran
    explorers = page.locator(".jp-OutputArea-output:has(.widget-slider):has(img)")
    assert explorers.count() == explorer_count(nb)
    for k in range(explorers.count()):
        explorer = explorers.nth(k)
        explorer.scroll_into_view_if_needed()
        before = explorer.evaluate(PICTURE)
        handle = explorer.locator(".widget-slider .noUi-handle").first
        handle.focus()
        at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        handle.press("ArrowLeft" if at_max else "ArrowRight")
        buttons = explorer.locator("button.jupyter-button:not(.widget-toggle-button)")
        if buttons.count():  # the training explorer trains when its button is pressed
            buttons.first.click()
        deadline = time.monotonic() + 120
        while explorer.evaluate(PICTURE) == before:
            assert time.monotonic() < deadline, f"explorer {k}: its picture did not change after moving its slider"
            page.wait_for_timeout(250)
    assert not page.errors, page.errors


# ---------------------------------------------------------------------------------------------
# The live slideshow


ON_SCREEN = """() => {
    const nb = window.jupyterapp.shell.currentWidget.content;
    const px = el => parseFloat(getComputedStyle(el).fontSize);
    const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
    const cells = nb.widgets.map((c, i) => [c, i]).filter(([c]) => c.node.classList.contains('jp-deck-mod-onscreen'));
    return cells.map(([c, i]) => {
        const r = c.node.getBoundingClientRect();
        const md = c.model.type === 'markdown';
        const text = [...c.node.querySelectorAll('.jp-RenderedMarkdown :is(p, li, td, th, blockquote)')].filter(shown);
        const code = [...c.node.querySelectorAll('.cm-content, .jp-OutputArea-output pre')].filter(shown);
        const ui = [...c.node.querySelectorAll('@WIDGET_TEXT@')].filter(shown);
        const clipped = [...c.node.querySelectorAll('.cm-scroller, .jp-OutputArea-output, .jp-RenderedMarkdown')]
            .filter(e => shown(e) && e.scrollWidth > e.clientWidth + 1).length;
        let raw = '';
        if (md) {
            const copy = c.node.querySelector('.jp-RenderedMarkdown').cloneNode(true);
            copy.querySelectorAll('code, pre, mjx-container, mjx-assistive-mml').forEach(e => e.remove());
            raw = copy.textContent;
        }
        const outputs = c.model.type !== 'code' ? [] : c.model.outputs.toJSON();
        const widgets = outputs.map((out, j) => [out, c.outputArea.widgets[j]])
            .filter(([out]) => out.data && out.data['@MIME@'])
            .map(([, o]) => ({views: o ? o.node.querySelectorAll('.jupyter-widgets').length : 0,
                              text: o ? o.node.innerText.slice(0, 200) : ''}));
        // a figure's smallest text (helpers.figures: output metadata text_px, in the PNG's pixels) as drawn
        const figures = outputs.map((out, j) => [out, c.outputArea.widgets[j]])
            .filter(([out]) => ((out.metadata || {})['image/png'] || {}).text_px)
            .map(([out, o]) => [out.metadata['image/png'].text_px, o && o.node.querySelector('img')])
            .filter(([, img]) => img && shown(img) && img.naturalWidth)
            .map(([textPx, img]) => textPx * img.getBoundingClientRect().width / img.naturalWidth);
        return {index: i, top: r.top, bottom: r.bottom, left: r.left, right: r.right, markdown: md,
                source: c.model.sharedModel.getSource().slice(0, 60),
                hasMath: md && c.model.sharedModel.getSource().includes('$'),
                math: c.node.querySelectorAll('mjx-container').length, raw,
                textPx: text.length ? Math.min(...text.map(px)) : null,
                codePx: code.length ? Math.min(...code.map(px)) : null,
                widgetPx: ui.length ? Math.min(...ui.map(px)) : null, widgets, clipped,
                figurePx: figures.length ? Math.min(...figures) : null};
    });
}""".replace("@MIME@", WIDGET_MIME).replace("@WIDGET_TEXT@", WIDGET_TEXT)


def too_small(where, sizes):
    """Problems with the smallest text, code and widget text of one step (``textPx`` ..., as drawn; None: none)."""
    minimums = (("textPx", "text", MIN_TEXT_PX), ("codePx", "code", MIN_CODE_PX),
                ("widgetPx", "widget text", MIN_WIDGET_PX), ("figurePx", "a figure's smallest text", SLIDE_TEXT_PX))
    return [f"{where}: {what} {sizes[key]:.1f} px < {minimum}" for key, what, minimum in minimums
            if sizes.get(key) is not None and sizes[key] < minimum]


def slide_problems(cells):
    """What is wrong with the cells on screen at one step of the slideshow (a list of strings)."""
    problems = []
    for c in cells:
        where = f"cell {c['index']} ({c['source'][:40]!r})"
        if c["top"] < -1 or c["bottom"] > HEIGHT + 1 or c["left"] < -1 or c["right"] > WIDTH + 1:
            problems.append(f"{where} outside {WIDTH}x{HEIGHT}: top {c['top']:.0f}, bottom {c['bottom']:.0f}")
        if c["clipped"]:
            problems.append(f"{where}: {c['clipped']} part(s) wider than the slide (they scroll sideways)")
        problems += too_small(where, c)
        if c["hasMath"] and (c["math"] == 0 or "$$" in c["raw"] or "\\frac" in c["raw"]):
            problems.append(f"{where}: maths not typeset")
        for w in c["widgets"]:
            if not w["views"] or "Error displaying widget" in w["text"] or "(children=" in w["text"]:
                problems.append(f"{where}: widget not rendered: {w['text'][:80]}")
    return problems


def test_live_slideshow(ran, request):
    """Walk every slide and fragment with Space's moves (down, else forward), checking each step."""
    page, nb = ran
    name = request.node.callspec.id
    page.evaluate("() => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = 0; }")
    page.evaluate("window.jupyterapp.commands.execute('deck:start')")
    page.wait_for_function("document.body.dataset.jpDeckMode === 'presenting'", timeout=30_000)
    page.wait_for_timeout(500)
    active = "window.jupyterapp.shell.currentWidget.content.activeCellIndex"
    visited, problems, shown = [], [], set()
    for _ in range(len(nb.cells) + 1):
        index = page.evaluate(active)
        visited.append(index)
        page.wait_for_timeout(150)  # let the step's layout settle
        cells = page.evaluate(ON_SCREEN)
        screenshot(page, f"live_{name}_{len(visited):03d}")
        shown |= {c["index"] for c in cells}
        problems += [f"step {len(visited)}: {p}" for p in slide_problems(cells)]
        for move in ("deck:down", "deck:forward"):
            page.evaluate(f"() => window.jupyterapp.commands.execute('{move}')")  # resolves once it has moved
            if page.evaluate(active) != index:
                break
        else:
            break  # the last step
    page.evaluate("window.jupyterapp.commands.execute('deck:stop')")
    slides = [i for i, c in enumerate(nb.cells) if c.metadata.get("slideshow", {}).get("slide_type") == "slide"]
    assert set(slides) <= set(visited), f"slides never reached: {sorted(set(slides) - set(visited))}"
    types = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    hidden = {i for i, kind in enumerate(types) if kind in {"skip", "notes"}}
    assert not shown & hidden, f"skip/notes cells on a slide: {sorted(shown & hidden)}"
    missing = set(range(len(nb.cells))) - hidden - shown
    assert not missing, f"cells never on screen: {sorted(missing)}"
    assert not problems, f"{len(problems)} problem(s) in the slideshow:\n" + "\n".join(problems)
    assert not page.blocked, f"requests left 127.0.0.1: {page.blocked}"



# ---------------------------------------------------------------------------------------------
# The offline deck (tools/deck.py), opened from disk with every other request blocked


@pytest.fixture(scope="session")
def decks(tmp_path_factory):
    """Every lesson exported by tools/deck.py, decks and pages (no PDFs): (the tool, the output folder)."""
    pytest.importorskip("a11y_pygments", reason="accessible-pygments is in requirements-dev.txt: pip install it")
    tool, out = DECK, tmp_path_factory.mktemp("decks")
    assert tool.main([str(out), *map(str, LESSONS), "--no-pdf", "--pages"]) == 0
    return tool, out


OFFLINE = """() => {
    const slides = document.querySelector('.reveal .slides');
    const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length;
    const rendered = [...document.querySelectorAll('.jupyter-widgets')]
        .filter(e => !e.parentElement.closest('.jupyter-widgets')).length;
    return {horizontal: Reveal.getHorizontalSlides().length, notesPlugin: Reveal.hasPlugin('notes'),
            notes: document.querySelectorAll('aside.notes').length, math: document.querySelectorAll('.MathJax').length,
            text: slides.innerText, views, rendered,
            // reveal.js hides its own progress bar with `.reveal .progress`, which also matches ipywidgets' bars
            hiddenBars: [...document.querySelectorAll('.jupyter-widgets .progress')]
                .filter(e => getComputedStyle(e).display === 'none').length};
}"""


DECK_STEP = """() => {
    const slide = Reveal.getCurrentSlide(), scale = Reveal.getScale();
    const shown = el => { const r = el.getBoundingClientRect(), style = getComputedStyle(el);
        return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.opacity !== '0'; };
    const px = el => parseFloat(getComputedStyle(el).fontSize) * scale;  // as drawn, after reveal.js's scaling
    const text = [...slide.querySelectorAll('.jp-RenderedMarkdown :is(p, li, td, th, blockquote)')].filter(shown);
    const code = [...slide.querySelectorAll('.jp-InputArea pre, .jp-OutputArea-output pre')].filter(shown);
    const ui = [...slide.querySelectorAll('@WIDGET_TEXT@')].filter(shown);
    const figures = [...slide.querySelectorAll('img[data-text-px]')].filter(shown);
    const outside = [...slide.querySelectorAll('.jp-Cell, img, pre, .jupyter-widgets')].filter(shown)
        .map(el => el.getBoundingClientRect())
        .filter(r => r.top < -1 || r.left < -1 || r.bottom > @HEIGHT@ + 1 || r.right > @WIDTH@ + 1)
        .map(r => `${Math.round(r.left)},${Math.round(r.top)} to ${Math.round(r.right)},${Math.round(r.bottom)}`);
    const copy = slide.cloneNode(true);
    copy.querySelectorAll('pre, code, script, .MathJax, .MathJax_Preview, .MJX_Assistive_MathML')
        .forEach(e => e.remove());
    return {where: JSON.stringify(Reveal.getIndices()), outside,
            textPx: text.length ? Math.min(...text.map(px)) : null,
            codePx: code.length ? Math.min(...code.map(px)) : null,
            widgetPx: ui.length ? Math.min(...ui.map(px)) : null,
            // a figure's smallest text (helpers.figures: data-text-px, in the PNG's pixels) as drawn on the slide
            figurePx: figures.length ? Math.min(...figures.map(img =>
                parseFloat(img.dataset.textPx) * img.getBoundingClientRect().width / img.naturalWidth)) : null,
            wide: [...slide.querySelectorAll('pre')].filter(e => shown(e) && e.scrollWidth > e.clientWidth + 1).length,
            raw: copy.textContent.includes('$$') || copy.textContent.includes('\\frac'),
            last: Reveal.isLastSlide() && !Reveal.availableFragments().next};
}""".replace("@WIDTH@", str(WIDTH)).replace("@HEIGHT@", str(HEIGHT)).replace("@WIDGET_TEXT@", WIDGET_TEXT)
MATHJAX_IDLE = "MathJax.Hub.queue.pending === 0 && MathJax.Hub.queue.running === 0"


def walk_deck(page, name):
    """Step through every slide, subslide and fragment of an open deck (no transitions): the problems found."""
    page.evaluate("Reveal.configure({transition: 'none', backgroundTransition: 'none'}); Reveal.slide(0, 0, -1)")
    problems = []
    for step in range(1000):
        page.wait_for_function(MATHJAX_IDLE, timeout=30_000)  # typeset once at load; idle before measuring
        s = page.evaluate(DECK_STEP)
        screenshot(page, f"deck_{name}_{step:03d}")
        where = f"step {step} {s['where']}"
        problems += [f"{where}: outside {WIDTH}x{HEIGHT}: {box}" for box in s["outside"]]
        problems += too_small(where, s)
        if s["wide"]:
            problems.append(f"{where}: {s['wide']} code block(s) wider than the slide")
        if s["raw"]:
            problems.append(f"{where}: maths not typeset")
        if s["last"]:
            return problems
        page.evaluate("Reveal.next()")
    return problems + ["more than 1000 steps: the walk did not reach the end"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_offline_deck(notebook, decks, browser):
    tool, out = decks
    nb = nbformat.read(notebook, as_version=4)
    page = new_page(browser, allowed=("file://", "data:", "blob:"))
    try:
        page.goto((out / f"{notebook.stem}.slides.html").as_uri())
        tool.wait_until_ready(page, "widgets" in nb.metadata)
        deck = page.evaluate(OFFLINE)
        assert not page.blocked, f"the deck asked the network for {page.blocked}"
        types = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
        assert deck["horizontal"] == types.count("slide")
        assert deck["math"] > 0 and "$$" not in deck["text"] and "\\frac" not in deck["text"], "maths not typeset"
        assert deck["rendered"] == deck["views"], f"{deck['rendered']} of {deck['views']} saved widgets drawn"
        assert "Error displaying widget" not in deck["text"]
        assert deck["hiddenBars"] == 0, f"{deck['hiddenBars']} progress bar(s) hidden by reveal.js's CSS"
        assert deck["notesPlugin"] and deck["notes"] >= ("notes" in types), "speaker notes missing"
        problems = walk_deck(page, notebook.stem)
        assert not problems, f"{len(problems)} problem(s) in the deck:\n" + "\n".join(problems)
        assert not page.blocked, f"the deck asked the network for {page.blocked}"
        assert not page.errors, page.errors
    finally:
        page.close()


def test_pdf_handout(decks, browser):
    tool, out = decks
    pdf = tool.print_handout(browser, out / f"{NOTEBOOKS[0].stem}.slides.html", widgets=False).read_bytes()
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    slides = sum(1 for c in nbformat.read(NOTEBOOKS[0], as_version=4).cells
                 if c.metadata.get("slideshow", {}).get("slide_type") in {"slide", "subslide"})
    assert pdf.startswith(b"%PDF") and pages >= slides, f"{pages} pages for {slides} slides and subslides"


# ---------------------------------------------------------------------------------------------
# Accessibility (WCAG 2.1 AA): axe-core on every deck slide and lesson page, figure descriptions, the keyboard


AUDIT = _tool("audit")
PLACEHOLDERS = ("", "No description has been provided for this image", "figure")
PICTURE_NAMES = """() => [...document.querySelectorAll('img')].map(img => ({
    widget: img.classList.contains('widget-image'), name: (img.getAttribute('alt') || img.title || '').trim(),
    where: window.Reveal && img.closest('section')
        ? 'slide ' + JSON.stringify(Reveal.getIndices(img.closest('section'))) : 'page' }))"""


def _open(browser, path, deck, widgets):
    page = new_page(browser, allowed=("file://", "data:", "blob:"))
    page.goto(path.as_uri())
    if deck:
        DECK.wait_until_ready(page, widgets)
    else:
        DECK.wait_until_page_ready(page)
    return page


@pytest.mark.parametrize("notebook", LESSONS, ids=[p.stem for p in LESSONS])
def test_deck_axe(notebook, decks, browser):
    """axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on every slide and subslide, all fragments shown."""
    _, out = decks
    page = _open(browser, out / f"{notebook.stem}.slides.html", True, "widgets" in nbformat.read(notebook, 4).metadata)
    try:
        violations = AUDIT.audit_deck(page)
        assert not violations, "\n".join(AUDIT.report(f"{notebook.stem} deck", violations))
        assert not page.blocked and not page.errors, (page.blocked, page.errors)
    finally:
        page.close()


@pytest.mark.parametrize("notebook", LESSONS, ids=[p.stem for p in LESSONS])
def test_page_axe(notebook, decks, browser):
    """The lesson page: axe-core finds nothing; maths typeset locally, each formula with assistive MathML;
    no In/Out prompts; the saved widgets drawn; nothing asked of the network."""
    _, out = decks
    page = _open(browser, out / f"{notebook.stem}.html", False, None)
    try:
        violations = AUDIT.audit_page(page)
        assert not violations, "\n".join(AUDIT.report(f"{notebook.stem} page", violations))
        page_facts = page.evaluate("""() => ({math: document.querySelectorAll('.MathJax').length,
            assistive: document.querySelectorAll('.MathJax + .MJX_Assistive_MathML, .MathJax .MJX_Assistive_MathML,'
                                                 + ' .MathJax_Display .MJX_Assistive_MathML').length,
            prompts: document.querySelectorAll('.jp-InputPrompt, .jp-OutputPrompt').length,
            raw: (() => { const copy = document.body.cloneNode(true);
                copy.querySelectorAll('script, style, pre, code, .jp-OutputArea, .MathJax, .MathJax_Display,'
                                      + ' .MathJax_Preview, .MJX_Assistive_MathML').forEach(e => e.remove());
                return /\\$\\$|\\\\[a-zA-Z]+\\{|\\$[^$\\n]{1,80}\\$/.test(copy.textContent); })()})""")
        nb = nbformat.read(notebook, 4)
        has_math = any(c.cell_type == "markdown" and "$" in c.source for c in nb.cells)
        assert page_facts["math"] > 0 or not has_math, "maths not typeset"
        assert page_facts["assistive"] >= page_facts["math"], f"assistive MathML missing: {page_facts}"
        assert not page_facts["raw"], "raw TeX left in the page"
        assert page_facts["prompts"] == 0, f"{page_facts['prompts']} In/Out prompts"
        assert not page.blocked and not page.errors, (page.blocked, page.errors)
    finally:
        page.close()


# Issue 21: every figure and explorer picture in the decks and pages carries its description (helpers.figures).
@pytest.mark.parametrize("notebook", LESSONS, ids=[p.stem for p in LESSONS])
def test_published_figures_are_described(notebook, decks, browser):
    """Every picture in the deck and the page has a text alternative that says something: not empty, not
    nbconvert's placeholder, not Matplotlib's repr (figures: helpers.figures.describe; explorers: _show)."""
    _, out = decks
    widgets = "widgets" in nbformat.read(notebook, 4).metadata
    problems = []
    for path, deck in ((out / f"{notebook.stem}.slides.html", True), (out / f"{notebook.stem}.html", False)):
        page = _open(browser, path, deck, widgets)
        try:
            for k, img in enumerate(page.evaluate(PICTURE_NAMES)):
                if img["name"] in PLACEHOLDERS or img["name"].startswith("<Figure size"):
                    kind = "explorer picture" if img["widget"] else "figure"
                    problems.append(f"{path.name}: {kind} {k} ({img['where']}): {img['name']!r}")
        finally:
            page.close()
    assert not problems, f"{len(problems)} picture(s) without a description:\n" + "\n".join(problems)


def test_figure_description_reaches_jupyterlab(lab, browser):
    """In JupyterLab a described figure (helpers.figures.show_descriptions) is followed, in the accessibility
    tree, by its description, though the paragraph is not drawn on screen."""
    base, token = lab
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import matplotlib.pyplot as plt\nfrom helpers.figures import describe, show_descriptions\n"
        "show_descriptions()\nfig, ax = plt.subplots()\nax.plot([0, 1])\n"
        "describe(fig, 'a line rising from 0 to 1')\nplt.show()")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    body = json.dumps({"type": "notebook", "format": "json", "content": nb}).encode()
    request = urllib.request.Request(f"{base}/api/contents/notebooks/_described_figure.ipynb?token={token}",
                                     data=body, method="PUT", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=30)
    page = new_page(browser)
    try:
        page.goto(f"{base}/lab/workspaces/described/tree/notebooks/_described_figure.ipynb?reset&token={token}")
        page.wait_for_function("""() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
            return k && k.status === 'idle'; }""", timeout=120_000)
        assert page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')") is True
        area = page.locator(".jp-OutputArea").first
        area.locator(".figure-description").wait_for(state="attached", timeout=60_000)
        tree = area.aria_snapshot()
        assert "- img" in tree and "Figure: a line rising from 0 to 1" in tree, tree
        assert tree.index("- img") < tree.index("Figure: a line rising"), tree
        box = area.locator(".figure-description").bounding_box()
        assert box["width"] <= 1 and box["height"] <= 1, f"the description is drawn on screen: {box}"
    finally:
        page.close()


def test_explorer_from_the_keyboard(ran):
    """The first explorer of a notebook, from the keyboard alone: Tab reaches its slider, an arrow key moves it,
    and its picture and the picture's text alternative change."""
    page, nb = ran
    if not explorer_count(nb):
        pytest.skip("no explorer in this notebook")
    explorer = page.locator(".jp-OutputArea-output:has(.widget-slider):has(img)").first
    explorer.scroll_into_view_if_needed()
    cell = explorer.locator("xpath=ancestor::div[contains(@class, 'jp-CodeCell')]")
    cell.locator(".jp-InputPrompt").first.click()  # select the explorer's cell (command mode), as a student would
    page.keyboard.press("Escape")
    path = []
    for _ in range(20):  # Tab through the cell's controls until the slider's handle has the focus
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            return {role: e.getAttribute('role') || e.tagName.toLowerCase(), label: (e.className || '').slice(0, 40),
                    inExplorer: !!e.closest('.jp-OutputArea-output') && !!e.closest('.jp-OutputArea-output')
                        .querySelector('.widget-slider')}; }""")
        path.append(focused["role"])
        if focused["role"] == "slider" and focused["inExplorer"]:
            break
    else:
        pytest.fail(f"Tab never reached the explorer's slider; focus went through {path}")
    name = page.evaluate("document.activeElement.getAttribute('aria-label')")  # ipywidgets 8 gives none
    print(f"Tab reached the slider through: {' -> '.join(path)}; its aria-label in JupyterLab: {name!r}")
    handle = page.locator(":focus")
    readout = handle.locator("xpath=ancestor::div[contains(@class, 'widget-slider')]").locator(".widget-readout")
    before = {"value": readout.inner_text(), "picture": explorer.evaluate(PICTURE),
              "name": explorer.locator("img").get_attribute("title")}
    assert before["name"], "the explorer's picture has no text alternative"
    at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
    page.wait_for_timeout(200)
    assert readout.inner_text() != before["value"], f"the arrow key did not move the slider ({before['value']})"
    buttons = explorer.locator("button.jupyter-button:not(.widget-toggle-button)")
    if buttons.count():  # the training explorer trains when its button is pressed: Tab to it, press Enter
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('button.jupyter-button')"):
                break
        page.keyboard.press("Enter")
    deadline = time.monotonic() + 120
    while explorer.evaluate(PICTURE) == before["picture"] or \
            explorer.locator("img").get_attribute("title") == before["name"]:
        assert time.monotonic() < deadline, "the picture or its description did not change after the key press"
        page.wait_for_timeout(250)
    assert not page.errors, page.errors



DARK_PICTURES = """() => [...document.querySelectorAll('.jp-RenderedImage img, .widget-image')]
    .filter(img => img.getBoundingClientRect().width > 0)
    .map(img => ({filter: getComputedStyle(img).filter, width: img.getBoundingClientRect().width}))"""


def test_figures_on_the_dark_theme(lab, browser):
    """In JupyterLab's dark theme the stored figures are shown inverted with their hues kept (no white panels;
    tools/slide_metadata.py puts the rule in the notebook's metadata), and in the light theme as drawn."""
    base, token = lab
    page = new_page(browser)
    try:
        page.goto(f"{base}/lab/workspaces/dark/tree/notebooks/{NOTEBOOKS[0].name}?reset&token={token}")
        page.wait_for_function("() => document.querySelectorAll('.jp-RenderedImage img').length > 0", timeout=120_000)
        light = page.evaluate(DARK_PICTURES)
        assert light and all(p["filter"] == "none" for p in light), light
        page.evaluate("window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})")
        try:
            page.wait_for_function("document.body.dataset.jpThemeLight === 'false'", timeout=30_000)
            page.wait_for_timeout(500)
            dark = page.evaluate(DARK_PICTURES)
            page.locator(".jp-RenderedImage img").first.scroll_into_view_if_needed()
            screenshot(page, "dark_theme_01")
            assert dark and all("invert" in p["filter"] and "hue-rotate" in p["filter"] for p in dark), dark
        finally:  # the theme is a user setting of this server: put it back for the other tests
            page.evaluate("window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Light'})")
            page.wait_for_function("document.body.dataset.jpThemeLight === 'true'", timeout=30_000)
    finally:
        page.close()

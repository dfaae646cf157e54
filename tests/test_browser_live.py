"""The series live in a real browser: JupyterLab and its slideshow in Debian's Chromium, driven by Playwright.

One JupyterLab server (127.0.0.1, a random free port, a token) serves a temporary copy of notebooks/, every
notebook trusted (as ``jupyter trust`` does), for the whole session; the browser may reach that server only: every
request to another host is blocked and counted, as in a lecture hall without network. One JupyterLab page (one
app, as a student has) opens the notebooks one after the other, each with its kernel started, as stored (not run:
strict nbval runs every notebook; JupyterLab draws a trusted notebook's saved widgets from its saved state). Each
is checked:

* JupyterLab: every widget output renders as a widget (no "Error displaying widget", no text repr such as
  ``VBox(children=...``), its explorers (a slider and a picture) among them; a figure's description reaches the
  accessibility tree; the dark theme inverts figures;
* the live slideshow (jupyterlab-slideshow, started with ``deck:start``): every slide and subslide with all
  its fragments in (a fragment only fades in, keeping its place, so this holds every step of the slide): the
  cells on screen lie inside the 1280 x 720 frame, their text is at least 20 px,
  their code and the explorers' labels, readouts, buttons and messages at least 18 px, figures' smallest
  text at least 18 px as drawn, nothing scrolls sideways, maths is typeset (no ``$$`` or ``\\frac`` left
  as text) and widgets render.

The explorers answer in JupyterLab: a notebook written here builds each of the four (``EXPLORERS``, the calls of
02, 05, 08 and A3 on an untrained network, so it runs in seconds; the lessons train theirs) and runs in JupyterLab
with no error or stderr output; moving each explorer's slider (and pressing its button, if it has one) changes
its picture, also from the keyboard alone.

The offline decks and pages: tests/test_browser_decks.py. Shared set-up: tests/browser_support.py.
Set SLIDE_SCREENSHOTS to a folder to keep a screenshot of every slide (to look at).
"""

import json
import time
import urllib.request

import nbformat
import pytest
from browser_support import (
    HEIGHT,
    NOTEBOOKS,
    WIDGET_MIME,
    WIDGET_TEXT,
    WIDTH,
    needs_chromium,
    new_page,
    screenshot,
    too_small,
)

pytestmark = needs_chromium

# ---------------------------------------------------------------------------------------------
# JupyterLab: one app, the notebooks opened in it one after the other


@pytest.fixture(scope="session")
def app(lab, browser):
    """One JupyterLab page (the app, with its launcher): (page, base URL, token)."""
    base, token = lab
    page = new_page(browser)
    page.goto(f"{base}/lab/workspaces/live?reset&token={token}")
    page.wait_for_function("() => window.jupyterapp && document.querySelector('.jp-Launcher')", timeout=120_000)
    yield page, base, token
    page.close()


SHOW = """async (path) => { await window.jupyterapp.commands.execute('docmanager:open', {path}); return true; }"""
READY = """(path) => { const w = window.jupyterapp.shell.currentWidget;
    const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
    return !!(w && w.context && w.context.path === path && w.context.isReady && k && k.status === 'idle'
              && w.content && w.content.widgets.length > 0); }"""
CLOSE = """async (path) => { for (const w of [...window.jupyterapp.shell.widgets('main')]) {
    if (w.context && w.context.path === path) { if (w.sessionContext) await w.sessionContext.shutdown(); w.dispose(); }
} return true; }"""
IS_OPEN = """(path) => [...window.jupyterapp.shell.widgets('main')].some(w => w.context && w.context.path === path)"""


def mark(page):
    """Where the page's lists of uncaught errors and blocked requests stand now (for ``since``)."""
    return len(page.errors), len(page.blocked)


def since(page, where):
    """The uncaught page errors and blocked requests after ``where`` (a ``mark``), as problem strings."""
    return ([f"uncaught error: {error}" for error in page.errors[where[0]:]]
            + [f"request left 127.0.0.1: {url}" for url in page.blocked[where[1]:]])


def show(page, path):
    """Open ``path`` (relative to the server's root) in the app, or bring it to the front, its kernel idle; returns
    a locator of its notebook panel."""
    page.evaluate(SHOW, path)
    page.wait_for_function(READY, arg=path, timeout=120_000)
    return page.locator(f'[id="{page.evaluate("window.jupyterapp.shell.currentWidget.id")}"]')


WIDGET_OUTPUTS = """() => {
    const nb = window.jupyterapp.shell.currentWidget.content;
    return nb.widgets.flatMap((c, i) => c.model.type !== 'code' ? [] :
        c.model.outputs.toJSON().map((out, j) => [out, c.outputArea.widgets[j]])
            .filter(([out]) => out.data && out.data['@MIME@'])
            .map(([out, child]) => ({cell: i, text: child ? child.node.innerText.slice(0, 300) : '(not in the page)',
                                     views: child ? child.node.querySelectorAll('.jupyter-widgets').length : 0})));
}""".replace("@MIME@", WIDGET_MIME)


def widget_outputs(page, expected, seconds=60):
    """The current notebook's widget outputs once ``expected`` of them show a widget (or after ``seconds``)."""
    deadline = time.monotonic() + seconds
    while True:  # JupyterLab's widget manager draws the saved state asynchronously, once the kernel is up
        outputs = page.evaluate(WIDGET_OUTPUTS)
        if sum(o["views"] > 0 for o in outputs) >= expected or time.monotonic() > deadline:
            return outputs
        page.wait_for_timeout(250)


def saved_widgets(nb):
    """How many widget outputs the stored notebook holds."""
    return sum(WIDGET_MIME in out.get("data", {}) for c in nb.cells for out in c.get("outputs", []))


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def shown(request, app):
    """One notebook open in the app, as stored, its saved widgets drawn: (page, the stored notebook, its path in the
    server, the page's ``mark`` from before it opened). Closed after its tests, its kernel shut down."""
    page = app[0]
    nb = nbformat.read(request.param, as_version=4)
    path = f"notebooks/{request.param.name}"
    opened = mark(page)
    try:
        show(page, path)
        widget_outputs(page, saved_widgets(nb))
        yield page, nb, path, opened
    finally:
        page.evaluate(CLOSE, path)


def test_every_widget_renders(shown):
    """Every saved widget output is drawn as a widget, the explorers (a slider and a picture, loaded) among them;
    no uncaught error and no request leaving since the notebook opened."""
    page, nb, path, opened = shown
    panel = show(page, path)
    expected = saved_widgets(nb)
    outputs = widget_outputs(page, expected)
    assert len(outputs) == expected, f"{len(outputs)} widget outputs, the stored notebook has {expected}: {outputs}"
    for out in outputs:
        assert out["views"] > 0, f"cell {out['cell']}: no widget rendered"
        assert "Error displaying widget" not in out["text"], f"cell {out['cell']}: {out['text']}"
        assert "(children=" not in out["text"], f"cell {out['cell']} shows a text repr: {out['text']}"
    from playwright.sync_api import expect

    expect(panel.locator(EXPLORER)).to_have_count(explorer_count(nb))  # waits for each one's slider and picture
    for k in range(explorer_count(nb)):
        picture = panel.locator(EXPLORER).nth(k).locator("img")
        assert picture.evaluate("img => img.decode().then(() => img.naturalWidth > 0, () => false)"), \
            f"explorer {k}: its saved picture does not load"
    assert not since(page, opened), since(page, opened)


#: An explorer as JupyterLab draws it: an output holding a slider and a picture.
EXPLORER = ".jp-OutputArea-output:has(.widget-slider):has(img)"


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


# ---------------------------------------------------------------------------------------------
# The explorers, live: a notebook that builds each of them, run in JupyterLab

#: Each explorer as its lesson calls it (02 cell 57, 05 cell 67, 08 cell 67, A3 cell 17), on an untrained network
#: (02's own) so that the notebook runs in seconds: 08 and A3 train theirs for 500 iterations first. A3 passes the
#: W1 its training started from; here that is another untrained W1 (default_rng(1)), so the change is not zero.
#: The CSS class finds each in the page.
EXPLORERS = {
    "forward_stepper": "forward_stepper(params, X_dev)",
    "training_explorer": "training_explorer(data['X_train'], data['y_train'], **DEV, alpha_max=1e10)",
    "prediction_browser": "prediction_browser(data['X_test'], data['y_test'], params)",
    "hidden_unit_viewer": "hidden_unit_viewer(params, X_dev, start=init_params(np.random.default_rng(1))[0])",
}
LIVE_CHECKS = "notebooks/_live_checks.ipynb"


def put_notebook(base, token, path, sources):
    """Write a notebook of code cells ``sources`` to the server at ``path`` (its contents API)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    body = json.dumps({"type": "notebook", "format": "json", "content": nb}).encode()
    request = urllib.request.Request(f"{base}/api/contents/{path}?token={token}", data=body, method="PUT",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=30)


@pytest.fixture(scope="module")
def live(app):
    """The notebook of live checks, run in the app ("run all"): the explorers, then a described figure. Yields
    (page, whether "run all" succeeded, the page's ``mark`` from before it opened)."""
    page, base, token = app
    opened = mark(page)
    setup = ("import numpy as np\n"
             "from helpers import init_params, load_data\n"
             "from helpers.widgets import forward_stepper, hidden_unit_viewer, prediction_browser, training_explorer\n"
             "data = load_data()\n"
             "X_dev, y_dev = data['X_dev'], data['y_dev']\n"
             "DEV = {'X_dev': X_dev, 'y_dev': y_dev}  # as 05 passes the dev set\n"
             "params = init_params(np.random.default_rng(0))  # untrained: the explorers' pictures, not its skill")
    explorers = [f"explorer = {call}\nexplorer.add_class('explorer-{name}')\nexplorer"
                 for name, call in EXPLORERS.items()]
    figure = ("import matplotlib.pyplot as plt\nfrom helpers.figures import describe, show_descriptions\n"
              "show_descriptions()\nfig, ax = plt.subplots()\nax.plot([0, 1])\n"
              "describe(fig, 'a line rising from 0 to 1')\nplt.show()")
    put_notebook(base, token, LIVE_CHECKS, [setup, *explorers, figure])
    try:
        show(page, LIVE_CHECKS)
        ran = page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")  # resolves when done
        yield page, ran, opened
    finally:
        page.evaluate(CLOSE, LIVE_CHECKS)


CELL_OUTPUTS = """() => window.jupyterapp.shell.currentWidget.content.widgets.map(c =>
    c.model.type === 'code' ? c.model.outputs.toJSON() : [])"""


def test_the_explorers_run_in_jupyterlab_without_errors_or_stderr(live):
    page, ran, opened = live
    show(page, LIVE_CHECKS)
    problems = []
    for i, outputs in enumerate(page.evaluate(CELL_OUTPUTS)):
        for out in outputs:
            if out["output_type"] == "error":
                problems.append(f"cell {i}: {out['ename']}: {out['evalue']}")
            elif out.get("name") == "stderr":
                problems.append(f"cell {i} wrote to stderr: {''.join(out['text'])[:200]}")
    assert not problems, "\n".join(problems)
    assert ran is True, f"run all failed: {ran}"
    outputs = widget_outputs(page, len(EXPLORERS))
    assert len(outputs) == len(EXPLORERS) and all(o["views"] > 0 for o in outputs), outputs
    assert not since(page, opened), since(page, opened)


def live_checks(live):
    """The notebook of live checks in front, after its run succeeded: (page, its panel)."""
    page, ran, _ = live
    assert ran is True, "the notebook of live checks did not run (see the test of its run)"
    return page, show(page, LIVE_CHECKS)


def live_explorer(live, name):
    """The output of explorer ``name`` in the notebook of live checks, scrolled into view: (page, its locator)."""
    page, _ = live_checks(live)
    explorer = page.locator(f".jp-OutputArea-output:has(.explorer-{name})")
    explorer.scroll_into_view_if_needed()
    return page, explorer


PICTURE = """async (output) => { const img = output.querySelector('img');
    if (!img || !img.src) return '';
    const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
    const hash = bytes.reduce((a, b) => (a * 31 + b) >>> 0, 7);
    return bytes.length + ':' + hash; }"""


@pytest.mark.parametrize("name", EXPLORERS)
def test_every_explorer_answers_its_slider(live, name):
    """Moving the slider (and pressing the button of the training explorer, which trains only then) changes the
    picture; no uncaught error, no request leaving meanwhile."""
    page, explorer = live_explorer(live, name)
    before_test = mark(page)
    before = explorer.evaluate(PICTURE)
    assert before, f"{name}: no picture"
    handle = explorer.locator(".widget-slider .noUi-handle").first
    handle.focus()
    at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    handle.press("ArrowLeft" if at_max else "ArrowRight")
    buttons = explorer.locator("button.jupyter-button:not(.widget-toggle-button)")
    if buttons.count():  # the training explorer trains when its button is pressed
        buttons.first.click()
    deadline = time.monotonic() + 120
    while explorer.evaluate(PICTURE) == before:
        assert time.monotonic() < deadline, f"{name}: its picture did not change after moving its slider"
        page.wait_for_timeout(250)
    assert not since(page, before_test), since(page, before_test)


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


#: Two animation frames: the step's scroll and layout are done (the slideshow moves with no animation).
SETTLED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


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


def slide_ends(nb):
    """The last cell shown on each slide and subslide (all its fragments in), in order."""
    types = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    starts = [i for i, kind in enumerate(types) if kind in {"slide", "subslide"}]
    starts = starts if starts and starts[0] == 0 else [0, *starts]
    ends = []
    for start, stop in zip(starts, [*starts[1:], len(types)]):
        shown = [i for i in range(start, stop) if types[i] not in {"skip", "notes"}]
        ends += shown[-1:]
    return ends


ACTIVATE = """(index) => { const nb = window.jupyterapp.shell.currentWidget.content; nb.activeCellIndex = index; }"""
PRESENTED = """(index) => { const cell = window.jupyterapp.shell.currentWidget.content.widgets[index];
    return cell.node.classList.contains('jp-deck-mod-onscreen') && cell.node.classList.contains('jp-deck-mod-visible');
}"""


def test_live_slideshow(shown, request):
    """Present every slide and subslide with all its fragments in (a fragment only fades in: it keeps its place,
    so this holds every step of the slide), checking what is on screen."""
    page, nb, path, opened = shown
    name = request.node.callspec.id
    show(page, path)
    page.evaluate("() => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = 0; }")
    page.evaluate("window.jupyterapp.commands.execute('deck:start')")
    page.wait_for_function("document.body.dataset.jpDeckMode === 'presenting'", timeout=30_000)
    problems, on_screen = [], set()
    for step, index in enumerate(slide_ends(nb), start=1):
        page.evaluate(ACTIVATE, index)
        page.wait_for_function(PRESENTED, arg=index, timeout=30_000)
        page.evaluate(SETTLED)  # let the step's layout settle
        cells = page.evaluate(ON_SCREEN)
        screenshot(page, f"live_{name}_{step:03d}")
        on_screen |= {c["index"] for c in cells}
        problems += [f"slide {step}: {p}" for p in slide_problems(cells)]
    page.evaluate("window.jupyterapp.commands.execute('deck:stop')")
    types = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    hidden = {i for i, kind in enumerate(types) if kind in {"skip", "notes"}}
    assert not on_screen & hidden, f"skip/notes cells on a slide: {sorted(on_screen & hidden)}"
    missing = set(range(len(nb.cells))) - hidden - on_screen
    assert not missing, f"cells never on screen: {sorted(missing)}"
    assert not problems, f"{len(problems)} problem(s) in the slideshow:\n" + "\n".join(problems)
    assert not since(page, opened), since(page, opened)


def test_figure_description_reaches_jupyterlab(live):
    """In JupyterLab a described figure (helpers.figures.show_descriptions) is followed, in the accessibility
    tree, by its description, though the paragraph is not drawn on screen (the last cell of the live checks)."""
    page, panel = live_checks(live)
    area = panel.locator(".jp-CodeCell").last.locator(".jp-OutputArea")
    area.locator(".figure-description").wait_for(state="attached", timeout=60_000)
    tree = area.aria_snapshot()
    assert "- img" in tree and "Figure: a line rising from 0 to 1" in tree, tree
    assert tree.index("- img") < tree.index("Figure: a line rising"), tree
    box = area.locator(".figure-description").bounding_box()
    assert box["width"] <= 1 and box["height"] <= 1, f"the description is drawn on screen: {box}"


@pytest.mark.parametrize("name", EXPLORERS)
def test_explorer_from_the_keyboard(live, name):
    """Each explorer from the keyboard alone: Tab reaches its slider, an arrow key moves it, and its picture and the
    picture's text alternative change."""
    page, explorer = live_explorer(live, name)
    before_test = mark(page)
    cell = explorer.locator("xpath=ancestor::div[contains(@class, 'jp-CodeCell')]")
    cell.locator(".jp-InputPrompt").first.click()  # select the explorer's cell (command mode), as a student would
    page.keyboard.press("Escape")
    path = []
    for _ in range(20):  # Tab through the cell's controls until the slider's handle has the focus
        page.keyboard.press("Tab")
        focused = page.evaluate("""(name) => { const e = document.activeElement;
            return {role: e.getAttribute('role') || e.tagName.toLowerCase(), label: (e.className || '').slice(0, 40),
                    inExplorer: !!e.closest('.explorer-' + name)}; }""", name)
        path.append(focused["role"])
        if focused["role"] == "slider" and focused["inExplorer"]:
            break
    else:
        pytest.fail(f"Tab never reached the explorer's slider; focus went through {path}")
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")  # ipywidgets 8 gives none
    print(f"Tab reached the slider through: {' -> '.join(path)}; its aria-label in JupyterLab: {label!r}")
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
    assert not since(page, before_test), since(page, before_test)


DARK_PICTURES = """(panel) => [...document.getElementById(panel)
    .querySelectorAll('.jp-RenderedImage img, .widget-image')]
    .filter(img => img.getBoundingClientRect().width > 0)
    .map(img => ({filter: getComputedStyle(img).filter, width: img.getBoundingClientRect().width}))"""


def test_figures_on_the_dark_theme(app):
    """In JupyterLab's dark theme the stored figures are shown inverted with their hues kept (no white panels;
    tools/slide_metadata.py puts the rule in the notebook's metadata), and in the light theme as drawn."""
    page = app[0]
    path = f"notebooks/{NOTEBOOKS[0].name}"
    was_open = page.evaluate(IS_OPEN, path)
    try:
        show(page, path)
        panel = page.evaluate("window.jupyterapp.shell.currentWidget.id")
        page.wait_for_function("(id) => document.getElementById(id).querySelectorAll('.jp-RenderedImage img').length",
                               arg=panel, timeout=120_000)
        light = page.evaluate(DARK_PICTURES, panel)
        assert light and all(p["filter"] == "none" for p in light), light
        page.evaluate("window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})")
        try:
            page.wait_for_function("document.body.dataset.jpThemeLight === 'false'", timeout=30_000)
            page.wait_for_timeout(500)
            dark = page.evaluate(DARK_PICTURES, panel)
            page.locator(f'[id="{panel}"] .jp-RenderedImage img').first.scroll_into_view_if_needed()
            screenshot(page, "dark_theme_01")
            assert dark and all("invert" in p["filter"] and "hue-rotate" in p["filter"] for p in dark), dark
        finally:  # the theme is a user setting of this server: put it back for the other tests
            page.evaluate("window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Light'})")
            page.wait_for_function("document.body.dataset.jpThemeLight === 'true'", timeout=30_000)
    finally:
        if not was_open:
            page.evaluate(CLOSE, path)

"""The series live in a real browser: JupyterLab and its slideshow in Debian's Chromium, driven by Playwright.

One JupyterLab server (127.0.0.1, a random free port, a token) serves a temporary copy of notebooks/ for
the whole session; the browser may reach that server only: every request to another host is blocked
and counted, as in a lecture hall without network. Every notebook opens in a tab of its own; those that show
widgets start running at once (one kernel each, one BLAS thread each: JupyterLab draws widgets only from a
running kernel, not from the state saved in the notebook), the others are shown as stored (strict nbval runs
every notebook in the same kernel). Then each is checked:

* JupyterLab: "run all" succeeds with no error and no stderr output; every widget output renders as a
  widget (no "Error displaying widget", no text repr such as ``VBox(children=...``); moving a slider of
  each explorer (and pressing its button, if it has one) changes the bytes of its picture, also from the
  keyboard alone; a figure's description reaches the accessibility tree; the dark theme inverts figures;
* the live slideshow (jupyterlab-slideshow, started with ``deck:start``): every slide and subslide with all
  its fragments in (a fragment only fades in, keeping its place, so this holds every step of the slide): the
  cells on screen lie inside the 1280 x 720 frame, their text is at least 20 px,
  their code and the explorers' labels, readouts, buttons and messages at least 18 px, figures' smallest
  text at least 18 px as drawn, nothing scrolls sideways, maths is typeset (no ``$$`` or ``\\frac`` left
  as text) and widgets render.

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
    RUN_TIMEOUT_MS,
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
# JupyterLab: run every notebook


def needs_a_kernel(nb):
    """Whether a notebook shows widgets: JupyterLab draws them (a progress bar, an explorer) only from a running
    kernel, not from the state saved in the notebook."""
    return any(WIDGET_MIME in out.get("data", {}) for cell in nb.cells for out in cell.get("outputs", []))


@pytest.fixture(scope="session")
def running(request, lab, browser):
    """Open every notebook under test in its own tab and start "run all" at once in those that show widgets:
    {name: page}. The others are shown as stored (strict nbval runs every notebook, in the same kernel)."""
    base, token = lab
    selected = {item.callspec.params["ran"] for item in request.session.items
                if hasattr(item, "callspec") and "ran" in item.callspec.params}
    pages = {}
    for i, path in enumerate(p for p in NOTEBOOKS if p in selected):
        page = new_page(browser)
        page.goto(f"{base}/lab/workspaces/w{i}/tree/notebooks/{path.name}?reset&token={token}")
        pages[path] = page
    for path, page in pages.items():
        page.wait_for_function("""() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
            return k && k.status === 'idle' && w.content.widgets.length > 0; }""", timeout=120_000)
        if needs_a_kernel(nbformat.read(path, as_version=4)):
            page.evaluate("""() => { window.__ran = undefined;
                window.jupyterapp.commands.execute('notebook:run-all-cells').then(ok => { window.__ran = ok; },
                                                                                  e => { window.__ran = String(e); });
            }""")
    yield {path.stem: page for path, page in pages.items()}
    for page in pages.values():
        page.close()


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def ran(request, running):
    """One notebook open in JupyterLab, after "run all" has finished if it shows widgets: (page, the stored
    notebook)."""
    page, nb = running[request.param.stem], nbformat.read(request.param, as_version=4)
    if needs_a_kernel(nb):
        page.wait_for_function("window.__ran !== undefined", timeout=RUN_TIMEOUT_MS, polling=500)
        assert page.evaluate("window.__ran") is True, f"run all failed: {page.evaluate('window.__ran')}"
    return page, nb


CELL_OUTPUTS = """() => window.jupyterapp.shell.currentWidget.content.widgets.map(c =>
    c.model.type === 'code' ? c.model.outputs.toJSON() : [])"""


def test_run_all_without_errors_or_stderr(ran):
    page, nb = ran
    if not needs_a_kernel(nb):
        pytest.skip("no widgets: shown as stored (strict nbval runs it, in the same kernel)")
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


def test_live_slideshow(ran, request):
    """Present every slide and subslide with all its fragments in (a fragment only fades in: it keeps its place,
    so this holds every step of the slide), checking what is on screen."""
    page, nb = ran
    name = request.node.callspec.id
    page.evaluate("() => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = 0; }")
    page.evaluate("window.jupyterapp.commands.execute('deck:start')")
    page.wait_for_function("document.body.dataset.jpDeckMode === 'presenting'", timeout=30_000)
    problems, shown = [], set()
    for step, index in enumerate(slide_ends(nb), start=1):
        page.evaluate(ACTIVATE, index)
        page.wait_for_function(PRESENTED, arg=index, timeout=30_000)
        page.evaluate(SETTLED)  # let the step's layout settle
        cells = page.evaluate(ON_SCREEN)
        screenshot(page, f"live_{name}_{step:03d}")
        shown |= {c["index"] for c in cells}
        problems += [f"slide {step}: {p}" for p in slide_problems(cells)]
    page.evaluate("window.jupyterapp.commands.execute('deck:stop')")
    types = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    hidden = {i for i, kind in enumerate(types) if kind in {"skip", "notes"}}
    assert not shown & hidden, f"skip/notes cells on a slide: {sorted(shown & hidden)}"
    missing = set(range(len(nb.cells))) - hidden - shown
    assert not missing, f"cells never on screen: {sorted(missing)}"
    assert not problems, f"{len(problems)} problem(s) in the slideshow:\n" + "\n".join(problems)
    assert not page.blocked, f"requests left 127.0.0.1: {page.blocked}"


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

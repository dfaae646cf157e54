"""The offline decks and lesson pages (tools/deck.py) in a real browser: Debian's Chromium, driven by Playwright.

Each deck is opened from disk with every request blocked: no request leaves, maths typeset, the saved widgets
drawn, one reveal.js slide per ``slide`` cell, speaker notes; then every step of it, as drawn: inside the
1280 x 720 frame, text at least 20 px, code and widget text at least 18 px, figures' smallest text at least
18 px; a PDF handout. Accessibility (WCAG 2.1 AA): axe-core on every slide of every deck and on every lesson
page, and every picture with a description.

The live notebooks and slideshow: tests/test_browser_live.py. Shared set-up: tests/browser_support.py.
Set SLIDE_SCREENSHOTS to a folder to keep a screenshot of every step (to look at).
"""

import nbformat
import pytest
from browser_support import (
    DECK,
    HEIGHT,
    LESSONS,
    NOTEBOOKS,
    WIDGET_TEXT,
    WIDTH,
    _tool,
    needs_chromium,
    new_page,
    screenshot,
    too_small,
)

pytestmark = needs_chromium

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


def undescribed(page, name):
    """Issue 21: the pictures of an open deck or page with no text alternative that says something (empty,
    nbconvert's placeholder or Matplotlib's repr); figures: helpers.figures.describe, explorers: _show."""
    problems = []
    for k, img in enumerate(page.evaluate(PICTURE_NAMES)):
        if img["name"] in PLACEHOLDERS or img["name"].startswith("<Figure size"):
            kind = "explorer picture" if img["widget"] else "figure"
            problems.append(f"{name}: {kind} {k} ({img['where']}): {img['name']!r}")
    return problems


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
    """axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on every slide and subslide, all fragments shown; every picture
    with a description that says something (issue 21)."""
    _, out = decks
    page = _open(browser, out / f"{notebook.stem}.slides.html", True, "widgets" in nbformat.read(notebook, 4).metadata)
    try:
        violations = AUDIT.audit_deck(page)
        assert not violations, "\n".join(AUDIT.report(f"{notebook.stem} deck", violations))
        problems = undescribed(page, f"{notebook.stem}.slides.html")
        assert not problems, f"{len(problems)} picture(s) without a description:\n" + "\n".join(problems)
        assert not page.blocked and not page.errors, (page.blocked, page.errors)
    finally:
        page.close()


PLANT = """() => { const slides = Reveal.getSlides(), last = slides[slides.length - 1], second = slides[1];
    last.insertAdjacentHTML('beforeend', '<p style="color: #bbbbbb; background: #ffffff">too faint to read</p>');
    second.insertAdjacentHTML('beforeend',
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40">');
    const at = s => { const i = Reveal.getIndices(s); return `slide ${i.h}.${i.v || 0}`; };
    return [at(second), at(last)]; }"""


def test_the_deck_audit_reports_what_is_planted_on_any_slide(decks, browser):
    """The audit can fail: a picture without a text alternative on the second slide and too faint a paragraph on
    the last, planted in the smallest deck, are each reported on their own slide (each slide is audited alone)."""
    _, out = decks
    smallest = min(LESSONS, key=lambda path: len(nbformat.read(path, 4).cells))
    page = _open(browser, out / f"{smallest.stem}.slides.html", True, "widgets" in nbformat.read(smallest, 4).metadata)
    try:
        second, last = page.evaluate(PLANT)
        found = {(v["rule"], v["where"]) for v in AUDIT.audit_deck(page)}
        assert found == {("image-alt", second), ("color-contrast", last)}, found
        assert page.evaluate("Reveal.getIndices().h") == 0, "the audit leaves the deck at its first slide"
    finally:
        page.close()


@pytest.mark.parametrize("notebook", LESSONS, ids=[p.stem for p in LESSONS])
def test_page_axe(notebook, decks, browser):
    """The lesson page: axe-core finds nothing; every picture described (issue 21); maths typeset locally, each
    formula with assistive MathML; no In/Out prompts; the saved widgets drawn; nothing asked of the network."""
    _, out = decks
    page = _open(browser, out / f"{notebook.stem}.html", False, None)
    try:
        violations = AUDIT.audit_page(page)
        assert not violations, "\n".join(AUDIT.report(f"{notebook.stem} page", violations))
        problems = undescribed(page, f"{notebook.stem}.html")
        assert not problems, f"{len(problems)} picture(s) without a description:\n" + "\n".join(problems)
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

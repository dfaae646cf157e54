"""The offline decks and lesson pages (tools/deck.py) in a real browser: Debian's Chromium, driven by Playwright.

Each deck is opened from disk with every request blocked, in reveal.js's print view with every fragment shown
(tools/audit.py's ``open_deck``: every slide and subslide laid out at once in the deck's own styles, each on a page
of its own): no request leaves, maths typeset, the saved widgets drawn, one reveal.js slide per ``slide`` cell and
one page per slide or subslide, speaker notes; then every slide as the projector draws it (reveal.js's scale at
1280 x 720): inside the frame, text at least 20 px, code and widget text at least 18 px, figures' smallest text at
least 18 px. A fragment only fades in (it keeps its place), so a slide with all its fragments shown holds every
step of it. A PDF handout. Accessibility (WCAG 2.1 AA): axe-core on every slide of every deck (one run over the
print view) and on every lesson page, and every picture with a description.

The live notebooks and slideshow: tests/test_browser_live.py. Shared set-up: tests/browser_support.py.
Set SLIDE_SCREENSHOTS to a folder to keep a screenshot of every slide (to look at).
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


AUDIT = _tool("audit")


@pytest.fixture(scope="module", params=LESSONS, ids=[p.stem for p in LESSONS])
def deck(request, decks, browser):
    """One deck open in the print view (``AUDIT.open_deck``): (page, the stored notebook, its name)."""
    _, out = decks
    page = AUDIT.open_deck(browser, out / f"{request.param.stem}.slides.html")
    yield page, nbformat.read(request.param, as_version=4), request.param.stem
    page.close()


OFFLINE = """() => {
    const slides = document.querySelector('.reveal .slides');
    const places = [...document.querySelectorAll('.pdf-page section[data-where]')].map(s => s.dataset.where);
    const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length;
    const rendered = [...document.querySelectorAll('.jupyter-widgets')]
        .filter(e => !e.parentElement.closest('.jupyter-widgets')).length;
    return {horizontal: new Set(places.map(w => w.split('.')[0])).size, pages: places.length,
            notesPlugin: Reveal.hasPlugin('notes'),
            notes: document.querySelectorAll('aside.notes').length, math: document.querySelectorAll('.MathJax').length,
            text: slides.innerText, views, rendered,
            // reveal.js hides its own progress bar with `.reveal .progress`, which also matches ipywidgets' bars
            hiddenBars: [...document.querySelectorAll('.jupyter-widgets .progress')]
                .filter(e => getComputedStyle(e).display === 'none').length};
}"""


SLIDES = """() => {
    // Where the projector draws each element: reveal.js centres a slide shorter than the frame, then scales the
    // frame by `scale` about the screen's centre (its 4 % margin); the print view lays the same slide out unscaled.
    const c = Reveal.getConfig();
    const scale = Math.min(Math.max(Math.min(innerWidth / (c.width * (1 + c.margin)),
                                             innerHeight / (c.height * (1 + c.margin))), c.minScale), c.maxScale);
    const shown = el => { const r = el.getBoundingClientRect(), style = getComputedStyle(el);
        return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.opacity !== '0'; };
    const px = el => parseFloat(getComputedStyle(el).fontSize) * scale;  // as drawn
    return [...document.querySelectorAll('.pdf-page section[data-where]')].map(slide => {
        const box = slide.getBoundingClientRect();
        const top = c.center ? Math.max((c.height - slide.scrollHeight) / 2, 0) : 0;
        const x = v => innerWidth / 2 + scale * (v - box.left - c.width / 2);
        const y = v => innerHeight / 2 + scale * (v - box.top + top - c.height / 2);
        const text = [...slide.querySelectorAll('.jp-RenderedMarkdown :is(p, li, td, th, blockquote)')].filter(shown);
        const code = [...slide.querySelectorAll('.jp-InputArea pre, .jp-OutputArea-output pre')].filter(shown);
        const ui = [...slide.querySelectorAll('@WIDGET_TEXT@')].filter(shown);
        const figures = [...slide.querySelectorAll('img[data-text-px]')].filter(shown);
        const outside = [...slide.querySelectorAll('.jp-Cell, img, pre, .jupyter-widgets')].filter(shown)
            .map(el => el.getBoundingClientRect())
            .map(r => ({left: x(r.left), top: y(r.top), right: x(r.right), bottom: y(r.bottom)}))
            .filter(r => r.top < -1 || r.left < -1 || r.bottom > innerHeight + 1 || r.right > innerWidth + 1)
            .map(r => `${Math.round(r.left)},${Math.round(r.top)} to ${Math.round(r.right)},${Math.round(r.bottom)}`);
        const copy = slide.cloneNode(true);
        copy.querySelectorAll('pre, code, script, .MathJax, .MathJax_Preview, .MJX_Assistive_MathML')
            .forEach(e => e.remove());
        return {where: slide.dataset.where, outside,
                textPx: text.length ? Math.min(...text.map(px)) : null,
                codePx: code.length ? Math.min(...code.map(px)) : null,
                widgetPx: ui.length ? Math.min(...ui.map(px)) : null,
                // a figure's smallest text (helpers.figures: data-text-px, in the PNG's pixels) as drawn
                figurePx: figures.length ? Math.min(...figures.map(img =>
                    parseFloat(img.dataset.textPx) * scale * img.getBoundingClientRect().width / img.naturalWidth))
                    : null,
                wide: [...slide.querySelectorAll('pre')].filter(e => shown(e) && e.scrollWidth > e.clientWidth + 1)
                    .length,
                raw: copy.textContent.includes('$$') || copy.textContent.includes('\\\\frac')};
    });
}""".replace("@WIDGET_TEXT@", WIDGET_TEXT)


def slide_problems(page, name):
    """Every slide of a deck open in the print view, as the projector draws it: the problems found."""
    problems = []
    for k, s in enumerate(page.evaluate(SLIDES)):
        screenshot(page, f"deck_{name}_{k:03d}", page.locator(".pdf-page").nth(k))
        where = f"slide {s['where']}"
        problems += [f"{where}: outside {WIDTH}x{HEIGHT}: {box}" for box in s["outside"]]
        problems += too_small(where, s)
        if s["wide"]:
            problems.append(f"{where}: {s['wide']} code block(s) wider than the slide")
        if s["raw"]:
            problems.append(f"{where}: maths not typeset")
    return problems


def test_offline_deck(deck):
    page, nb, name = deck
    facts = page.evaluate(OFFLINE)
    assert not page.blocked, f"the deck asked the network for {page.blocked}"
    types = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    assert facts["horizontal"] == types.count("slide")
    assert facts["pages"] == types.count("slide") + types.count("subslide")
    assert facts["math"] > 0 and "$$" not in facts["text"] and "\\frac" not in facts["text"], "maths not typeset"
    assert facts["rendered"] == facts["views"], f"{facts['rendered']} of {facts['views']} saved widgets drawn"
    assert "Error displaying widget" not in facts["text"]
    assert facts["hiddenBars"] == 0, f"{facts['hiddenBars']} progress bar(s) hidden by reveal.js's CSS"
    assert facts["notesPlugin"] and facts["notes"] >= ("notes" in types), "speaker notes missing"
    problems = slide_problems(page, name)
    assert not problems, f"{len(problems)} problem(s) in the deck:\n" + "\n".join(problems)
    assert not page.blocked, f"the deck asked the network for {page.blocked}"
    assert not page.errors, page.errors


def open_smallest_deck(decks, browser):
    """The deck of the lesson with the fewest cells, open in the print view: where the planted tests plant."""
    _, out = decks
    smallest = min(LESSONS, key=lambda path: len(nbformat.read(path, 4).cells))
    return AUDIT.open_deck(browser, out / f"{smallest.stem}.slides.html")


PLANT_MISFITS = """() => { const slides = document.querySelectorAll('.pdf-page section[data-where]');
    const second = slides[1], last = slides[slides.length - 1];
    second.insertAdjacentHTML('beforeend', '<div class="jp-Cell" style="height: 800px">too tall</div>');
    last.insertAdjacentHTML('beforeend', '<div class="jp-RenderedMarkdown"><p style="font-size: 12px">tiny</p></div>');
    return [second.dataset.where, last.dataset.where]; }"""


def test_the_slide_check_reports_what_is_planted(decks, browser):
    """The slide check can fail: a cell taller than the frame on the second slide and text too small to read on
    the last, planted in the smallest deck, are each reported on their own slide."""
    page = open_smallest_deck(decks, browser)
    try:
        second, last = page.evaluate(PLANT_MISFITS)
        problems = slide_problems(page, "planted")
        assert [p.split(":")[0] for p in problems] == [f"slide {second}", f"slide {last}"], problems
        assert f"outside {WIDTH}x{HEIGHT}" in problems[0] and "text 11.5 px < 20" in problems[1], problems
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


PLACEHOLDERS = ("", "No description has been provided for this image", "figure")
PICTURE_NAMES = """() => [...document.querySelectorAll('img')].map(img => ({
    widget: img.classList.contains('widget-image'), name: (img.getAttribute('alt') || img.title || '').trim(),
    where: img.closest('section[data-where]') ? 'slide ' + img.closest('section[data-where]').dataset.where
                                             : 'page' }))"""


def undescribed(page, name):
    """Issue 21: the pictures of an open deck or page with no text alternative that says something (empty,
    nbconvert's placeholder or Matplotlib's repr); figures: helpers.figures.describe, explorers: _show."""
    problems = []
    for k, img in enumerate(page.evaluate(PICTURE_NAMES)):
        if img["name"] in PLACEHOLDERS or img["name"].startswith("<Figure size"):
            kind = "explorer picture" if img["widget"] else "figure"
            problems.append(f"{name}: {kind} {k} ({img['where']}): {img['name']!r}")
    return problems


def test_deck_axe(deck):
    """axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on every slide and subslide, all fragments shown; every picture
    with a description that says something (issue 21)."""
    page, _, name = deck
    violations = AUDIT.audit_deck(page)
    assert not violations, "\n".join(AUDIT.report(f"{name} deck", violations))
    problems = undescribed(page, f"{name}.slides.html")
    assert not problems, f"{len(problems)} picture(s) without a description:\n" + "\n".join(problems)
    assert not page.blocked and not page.errors, (page.blocked, page.errors)


PLANT = """() => { const slides = document.querySelectorAll('.pdf-page section[data-where]');
    const second = slides[1], last = slides[slides.length - 1];
    last.insertAdjacentHTML('beforeend', '<p style="color: #bbbbbb; background: #ffffff">too faint to read</p>');
    second.insertAdjacentHTML('beforeend',
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40">');
    return ['slide ' + second.dataset.where, 'slide ' + last.dataset.where]; }"""


def test_the_deck_audit_reports_what_is_planted_on_any_slide(decks, browser):
    """The audit can fail: a picture without a text alternative on the second slide and too faint a paragraph on
    the last, planted in the smallest deck, are each reported on their own slide (a slide reveal.js would hide
    from assistive technology until presented is audited as presented)."""
    page = open_smallest_deck(decks, browser)
    try:
        second, last = page.evaluate(PLANT)
        found = {(v["rule"], v["where"]) for v in AUDIT.audit_deck(page)}
        assert found == {("image-alt", second), ("color-contrast", last)}, found
    finally:
        page.close()


@pytest.mark.parametrize("notebook", LESSONS, ids=[p.stem for p in LESSONS])
def test_page_axe(notebook, decks, browser):
    """The lesson page: axe-core finds nothing; every picture described (issue 21); maths typeset locally, each
    formula with assistive MathML; no In/Out prompts; the saved widgets drawn; nothing asked of the network."""
    _, out = decks
    page = new_page(browser, allowed=("file://", "data:", "blob:"))
    page.goto((out / f"{notebook.stem}.html").as_uri())
    DECK.wait_until_page_ready(page)
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

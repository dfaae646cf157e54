"""Audit the offline decks and lesson pages with axe-core in Chromium (WCAG 2.0/2.1/2.2 A and AA rules).

Usage, from the repository root::

    .venv/bin/python tools/audit.py FOLDER      # every *.slides.html and lesson page (*.html) in FOLDER

FOLDER is what ``tools/deck.py --pages`` writes (decks, pages and their ``lib/``). Each deck is opened in
reveal.js's print view with every fragment shown (``open_deck``: every slide and subslide laid out at once, one
below the other, in the deck's own styles, each labelled with its ``h.v`` place) and audited in one axe-core run;
each page as a whole. It prints the violations (rule, element, slide) and a count per rule, and exits 1 if there
are any.

axe-core (the engine of most accessibility test suites) comes from the npm registry like the decks'
widget manager (tools/deck.py): fetched once, checked against the registry's SHA-512 and kept in
``~/.cache/mnist-from-scratch/``. The pip packages that bundle it are older (axe-playwright-python 0.1.8
ships axe-core 4.12.1) or need Python 3.12 (pytest-playwright-axe), so the audit uses the npm package
itself, at the version the course's accessibility audit used.
"""

import argparse
import collections
import importlib.util
import json
import sys
from pathlib import Path

AXE = "4.14.1"
AXE_SHA512 = "FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
HERE = Path(__file__).resolve().parent


def _deck_tool():
    """tools/deck.py as a module (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("deck_tool", HERE / "deck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DECK = _deck_tool()


def axe_source():
    """The text of axe.min.js (axe-core ``AXE`` from the npm registry, cached, checked)."""
    return DECK.npm_file("axe-core", AXE, AXE_SHA512, "axe.min.js").decode("utf-8")


#: reveal.js's print view (the PDF handout's layout) with each slide's fragments shown on its one page
PRINT_VIEW = "?print-pdf&pdfSeparateFragments=false"

#: Before the deck starts, each slide and subslide gets ``data-where="h.v"``, its place in the presented deck
#: (the print view moves every slide into a page of its own, after which reveal.js cannot say where it was).
LABEL_SLIDES = """(() => { let reveal;
    Object.defineProperty(window, 'Reveal', {configurable: true, get() { return reveal; }, set(value) {
        reveal = value;
        const initialize = value.initialize;
        value.initialize = function (...args) {
            document.querySelectorAll('.reveal .slides > section').forEach((top, h) => {
                const children = top.querySelectorAll(':scope > section');
                if (children.length) children.forEach((s, v) => { s.dataset.where = `${h}.${v}`; });
                else top.dataset.where = `${h}.0`;
            });
            return initialize.apply(this, args);
        };
    }});
})();"""

RUN = """async ([tags, deck]) => {
    const rules = axe.getRules(tags).map(r => r.ruleId);
    if (deck) {
        // In the print view every slide is laid out; reveal.js still marks all but the first as hidden from
        // assistive technology (aria-hidden, hidden), which it lifts from each slide as it is presented.
        document.querySelectorAll('.reveal .slides section').forEach(s => {
            s.removeAttribute('aria-hidden'); s.removeAttribute('hidden'); });
    }
    const result = await axe.run(document, {runOnly: {type: 'rule', values: rules}, resultTypes: ['violations'],
                                            elementRef: true});
    const where = n => { const slide = n.element && n.element.closest('section[data-where]');
                         return slide ? 'slide ' + slide.dataset.where : 'page'; };
    return result.violations.flatMap(v => v.nodes.map(n => ({rule: v.id, impact: v.impact, where: where(n),
        target: n.target.join(' '), html: n.html.slice(0, 160),
        why: n.failureSummary.split('\\n').slice(1, 2).join('').trim().slice(0, 200)})));
}"""


def inject(page):
    """Load axe-core into an open page (once)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())


def open_deck(browser, path):
    """A deck in reveal.js's print view, every fragment shown, each slide labelled ``data-where="h.v"``, ready
    (maths typeset, saved widgets drawn): a page of ``DECK.blocking_page``."""
    page = DECK.blocking_page(browser)
    try:
        page.add_init_script(LABEL_SLIDES)
        page.goto(path.resolve().as_uri() + PRINT_VIEW)
        DECK.wait_until_ready(page, widgets=page.locator(f'script[type="{WIDGET_MIME}"]').count() > 0)
        page.wait_for_function("document.querySelectorAll('.pdf-page section[data-where]').length > 0")
    except Exception:
        page.close()
        raise
    return page


def audit_page(page):
    """The violations of the whole page: a list of dicts (rule, impact, target, html, why, where='page')."""
    inject(page)
    return page.evaluate(RUN, [WCAG_TAGS, False])


def audit_deck(page):
    """The violations of every slide of a deck opened by ``open_deck``, as ``audit_page``'s, ``where`` naming
    the slide (``slide h.v``; ``page`` for the document's own rules, such as its title and language).

    One axe-core run over the whole document: each slide keeps its ancestors, its styles and its colours, with
    no transition or fragment fading its text (a slide-by-slide walk of the presented deck found the same, at
    ten times the cost)."""
    inject(page)
    return page.evaluate(RUN, [WCAG_TAGS, True])


def report(name, violations):
    """Lines naming each violation (rule, where, element) and a count per rule."""
    lines = [f"{name}: {len(violations)} violation(s)"]
    counts = collections.Counter(v["rule"] for v in violations)
    lines += [f"  {rule}: {n}" for rule, n in counts.most_common()]
    lines += [f"    {v['where']}: {v['rule']} ({v['impact']}) at {v['target']}: {v['html']} -- {v['why']}"
              for v in violations]
    return lines


def audit_folder(folder, browser, details=True):
    """{file name: violations} for every deck and page in ``folder`` (decks have widgets drawn first)."""
    results = {}
    if not any(folder.glob("*.html")):
        raise FileNotFoundError(f"no decks or pages in {folder}: write them with tools/deck.py --pages {folder}")
    for path in sorted(folder.glob("*.html")):
        deck = path.name.endswith(".slides.html")
        page = open_deck(browser, path) if deck else DECK.blocking_page(browser)
        try:
            if deck:
                results[path.name] = audit_deck(page)
            else:
                page.goto(path.resolve().as_uri())
                DECK.wait_until_page_ready(page)
                results[path.name] = audit_page(page)
        finally:
            page.close()
        print("\n".join(report(path.name, results[path.name]) if details else report(path.name, [])[:1]))
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a folder written by tools/deck.py --pages")
    parser.add_argument("--json", type=Path, help="also write every violation to this JSON file")
    parser.add_argument("--summary", action="store_true", help="counts only")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(DECK.CHROMIUM), args=DECK.CHROMIUM_FLAGS)
        try:
            results = audit_folder(args.folder, browser, details=not args.summary)
        finally:
            browser.close()
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    total = sum(map(len, results.values()))
    print(f"{total} violation(s) in {len(results)} file(s) (axe-core {AXE}, tags {', '.join(WCAG_TAGS)})")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())

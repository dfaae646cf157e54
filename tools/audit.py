"""Audit the offline decks and lesson pages with axe-core in Chromium (WCAG 2.0/2.1/2.2 A and AA rules).

Usage, from the repository root::

    .venv/bin/python tools/audit.py FOLDER      # every *.slides.html and lesson page (*.html) in FOLDER

FOLDER is what ``tools/deck.py --pages`` writes (decks, pages and their ``lib/``). Each deck is audited
slide by slide (every slide and subslide alone, transitions off, all fragments shown), each page as a whole;
it prints the violations (rule, element, slide) and a count per rule, and exits 1 if there are any.

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


RUN = """async ([context, tags, pageLevel]) => {
    const rules = axe.getRules(tags).map(r => r.ruleId);
    // rules about the whole document (title, language, ...) only where the context is the whole page
    const levels = Object.fromEntries(axe._audit.rules.map(r => [r.id, !!r.pageLevel]));
    const values = rules.filter(id => pageLevel || !levels[id]);
    let target = document, away = [];
    if (context === 'slide') {
        // The current slide alone: the other slides leave the page while it is audited, and come back after.
        // axe-core walks the whole document on every run (about 0.6 s for a deck of 9,000 elements, 0.1 s
        // for one slide); the slide keeps its ancestors, so its colours, styles and ARIA context are the same.
        target = Reveal.getCurrentSlide();
        const others = [...document.querySelectorAll('.reveal .slides section')]
            .filter(s => s !== target && !s.contains(target) && !target.contains(s));
        away = others.filter(s => !others.some(o => o !== s && o.contains(s)))
            .map(s => { const mark = document.createComment('audited elsewhere');
                        s.replaceWith(mark); return [mark, s]; });
    }
    try {
        const result = await axe.run(target, {runOnly: {type: 'rule', values}, resultTypes: ['violations']});
        return result.violations.flatMap(v => v.nodes.map(n => ({rule: v.id, impact: v.impact,
            target: n.target.join(' '), html: n.html.slice(0, 160),
            why: n.failureSummary.split('\\n').slice(1, 2).join('').trim().slice(0, 200)})));
    } finally {
        away.forEach(([mark, s]) => mark.replaceWith(s));
    }
}"""


def inject(page):
    """Load axe-core into an open page (once)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())


def audit_page(page):
    """The violations of the whole page: a list of dicts (rule, impact, target, html, why, where='page')."""
    inject(page)
    return [{**v, "where": "page"} for v in page.evaluate(RUN, ["document", WCAG_TAGS, True])]


def audit_deck(page):
    """The violations of every slide of an open reveal.js deck, all fragments shown, as ``audit_page``'s,
    ``where`` naming the slide (``slide h.v``).

    The first slide with the whole document around it, every rule (the rules about the whole document among
    them); then each other slide alone (the other slides taken out of the page while it is audited), the rules
    about elements."""
    inject(page)
    page.evaluate("Reveal.configure({transition: 'none', backgroundTransition: 'none', fragments: false})")
    found = []
    for k, (h, v) in enumerate(page.evaluate("Reveal.getSlides().map(s => [Reveal.getIndices(s).h, "
                                             "Reveal.getIndices(s).v || 0])")):
        page.evaluate(f"Reveal.slide({h}, {v})")
        page.wait_for_function("window.MathJax === undefined || (MathJax.Hub.queue.pending === 0 "
                               "&& MathJax.Hub.queue.running === 0)", timeout=30_000)
        context = ["document", WCAG_TAGS, True] if k == 0 else ["slide", WCAG_TAGS, False]
        found += [{**x, "where": f"slide {h}.{v}"} for x in page.evaluate(RUN, context)]
    page.evaluate("Reveal.configure({fragments: true}); Reveal.slide(0, 0)")
    return found


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
        page = DECK.blocking_page(browser)
        try:
            page.goto(path.resolve().as_uri())
            deck = path.name.endswith(".slides.html")
            if deck:
                DECK.wait_until_ready(page, widgets=page.locator(
                    'script[type="application/vnd.jupyter.widget-view+json"]').count() > 0)
                results[path.name] = audit_deck(page)
            else:
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

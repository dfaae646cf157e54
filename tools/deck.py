"""Export the notebooks to reveal.js decks that open from disk with no network, plus a PDF handout of each.

Usage, from the repository root::

    .venv/bin/python tools/deck.py            # writes slides/ (ignored by git)
    .venv/bin/python tools/deck.py OUT_DIR [notebooks/02_forward.ipynb ...]
    .venv/bin/python tools/deck.py --pages    # also each lesson as one page to read, NN_name.html

OUT_DIR gets one ``NN_name.slides.html`` per notebook (its stored outputs and saved widget state, the
speaker notes behind ``S``), a ``NN_name.pdf`` handout (one page per slide) when Chromium is at
/usr/bin/chromium, and ``lib/`` with every script the decks load, copied from installed packages:

* ``lib/reveal.js``: reveal.js 5, from the pip package ``sphinx-revealjs`` (it ships reveal.js for Sphinx);
* ``lib/mathjax``: MathJax 2.7, from the pip package ``jupyter-server-mathjax`` (the MathJax that
  nbconvert's templates are written for);
* ``lib/html-manager``: the widget manager for saved widget state, ``@jupyter-widgets/html-manager``
  (``dist/embed.js``). No pip package ships it: it is fetched once from the npm registry (the only
  network access, at build time), checked against the registry's SHA-512, and kept in
  ``~/.cache/mnist-from-scratch/``.

The template (tools/offline_reveal/) is nbconvert's reveal template with those local scripts and no
jQuery, require.js or mermaid, and the live slideshow's presenting sizes as drawn in the 1280 x 720 frame
(text 20 px; code and the explorers' labels, readouts and buttons 18 px); every slide is laid out at load,
so MathJax typesets once. tests/test_browser_decks.py walks every step of every deck to check that it fits.

The decks and the pages (``--pages``: nbconvert's lab template with the same local scripts, no In/Out
prompts) are the accessible versions of the lessons (WCAG 2.1 AA; the PDF is a print handout): code in
accessible-pygments' ``a11y-high-contrast-light`` colours, underlined links, MathJax's assistive MathML,
the explorers' slider handles named after their labels, and each figure's description (helpers/figures.py)
as its ``alt``. tools/audit.py checks them with axe-core, as tests/test_browser_decks.py does.
"""

import argparse
import base64
import hashlib
import io
import re
import shutil
import sys
import tarfile
import urllib.request
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent
HTML_MANAGER = "1.0.15"  # @jupyter-widgets/html-manager for ipywidgets 8
HTML_MANAGER_SHA512 = "5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA=="
# code colours with at least 7:1 contrast (WCAG AAA) for every token, from the pip package accessible-pygments
# (the styles pydata-sphinx-theme uses); nbconvert's default leaves comments and numbers below 4.5:1
CODE_STYLE = "a11y-high-contrast-light"
CACHE = Path.home() / ".cache" / "mnist-from-scratch"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTH, HEIGHT = 1280, 720
HIDE_INPUT = "hide-input"  # the tag of a plotting-only cell: its figure is on the slide, its code is not


def npm_tarball(package, version, sha512):
    """The tarball of an npm ``package`` at ``version`` from the npm registry (cached in ``CACHE``), checked
    against the registry's SHA-512 (``sha512``, base64, the registry's ``dist.integrity`` without ``sha512-``)."""
    name = f"{package.rsplit('/', 1)[-1]}-{version}.tgz"
    url = f"https://registry.npmjs.org/{package}/-/{name}"
    path = CACHE / name
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"fetching {url} (once; kept in {CACHE})")
        with urllib.request.urlopen(url, timeout=120) as response:
            data = response.read()
        path.write_bytes(data)
    data = path.read_bytes()
    digest = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != sha512:
        path.unlink()
        raise RuntimeError(f"{path.name}: SHA-512 {digest} is not the npm registry's {sha512}; "
                           "deleted it, run again to fetch a fresh copy.")
    return data


def npm_file(package, version, sha512, name):
    """The bytes of one file, ``name`` (a path inside the package), of an npm package (``npm_tarball``)."""
    with tarfile.open(fileobj=io.BytesIO(npm_tarball(package, version, sha512)), mode="r:gz") as tar:
        return tar.extractfile(f"package/{name}").read()


def lessons(folder=ROOT / "notebooks"):
    """The series' notebooks in order: numbered lessons (01_data.ipynb, ...), then appendices (A1_...)."""
    return sorted(p for p in folder.glob("*.ipynb") if re.match(r"(\d\d|A\d+)_", p.name))


def html_manager_tarball():
    """The html-manager package from the npm registry (cached), checked against its SHA-512."""
    return npm_tarball("@jupyter-widgets/html-manager", HTML_MANAGER, HTML_MANAGER_SHA512)


def copy_libraries(out):
    """Copy reveal.js, MathJax and the widget manager into ``out/lib``."""
    import jupyter_server_mathjax
    import sphinx_revealjs

    lib = out / "lib"
    reveal = Path(sphinx_revealjs.__file__).parent / "_static" / "revealjs"
    mathjax = Path(jupyter_server_mathjax.__file__).parent / "static"
    for source, name in [(reveal, "reveal.js"), (mathjax, "mathjax")]:
        if not (lib / name).exists():
            shutil.copytree(source, lib / name, ignore=shutil.ignore_patterns("*.map", "__pycache__"))
    manager = lib / "html-manager"
    if not (manager / "embed.js").exists():
        manager.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(html_manager_tarball()), mode="r:gz") as tar:
            for member in tar.getmembers():
                name = member.name.removeprefix("package/")
                keep = name.startswith("dist/") and "/" not in name[5:] and not name.endswith((".map", "amd.js"))
                if member.isfile() and (keep or name == "LICENSE"):
                    (manager / Path(name).name).write_bytes(tar.extractfile(member).read())
    return lib


def accessible_config():
    """nbconvert configuration shared by the decks and pages: code coloured with ``CODE_STYLE``."""
    from pygments.styles import get_style_by_name
    from pygments.util import ClassNotFound
    from traitlets.config import Config

    try:
        style = get_style_by_name(CODE_STYLE)
    except ClassNotFound:
        raise SystemExit(f"the code style {CODE_STYLE} comes from accessible-pygments (requirements-dev.txt): "
                         "pip install -r requirements-dev.txt") from None
    # plotting-only cells (tag "hide-input", collapsed in JupyterLab by tools/slide_metadata.py) show their figure only
    return Config({"CSSHTMLHeaderPreprocessor": {"style": style},
                   "TagRemovePreprocessor": {"enabled": True, "remove_input_tags": [HIDE_INPUT]}})


def export(notebook, out):
    """Write ``out/<name>.slides.html`` for one notebook; return its path."""
    exporter = SlidesExporter(template_file=str(TEMPLATES / "offline_reveal" / "offline.html.j2"),
                              extra_template_paths=[str(TEMPLATES)], config=accessible_config(),
                              reveal_url_prefix="lib/reveal.js", reveal_theme="white", reveal_width=str(WIDTH),
                              reveal_height=str(HEIGHT), reveal_scroll=True)
    body, _ = exporter.from_notebook_node(nbformat.read(notebook, as_version=4),
                                          resources={"metadata": {"name": notebook.stem}})
    path = out / f"{notebook.stem}.slides.html"
    path.write_text(body, encoding="utf-8")
    return path


def export_page(notebook, out):
    """Write ``out/<name>.html``, the lesson as one page to read (``--pages``); return its path."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_file=str(TEMPLATES / "offline_page" / "page.html.j2"),
                            extra_template_paths=[str(TEMPLATES)], config=accessible_config(),
                            exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nbformat.read(notebook, as_version=4),
                                          resources={"metadata": {"name": notebook.stem}})
    path = out / f"{notebook.stem}.html"
    path.write_text(body, encoding="utf-8")
    return path


def blocking_page(browser, allowed=("file://", "data:", "blob:")):
    """A 1280 x 720 page that may load only URLs starting with ``allowed`` (by default: files).

    Other requests are aborted and listed in ``page.blocked``; uncaught page errors go to ``page.errors``.
    tests/test_browser_decks.py opens its pages with it too.
    """
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    page.blocked, page.errors = [], []

    def route(request_route):
        if request_route.request.url.startswith(allowed):
            request_route.continue_()
        else:
            page.blocked.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def wait_until_ready(page, widgets):
    """Wait until reveal.js is ready, MathJax has typeset and (if any) the saved widgets are drawn."""
    page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=60_000)
    page.wait_for_function("""() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0
                              && MathJax.Hub.queue.running === 0""", timeout=120_000)
    if widgets:
        page.wait_for_function(
            "document.querySelectorAll('.jupyter-widgets').length > 0 && "
            "document.querySelectorAll('script[type=\"application/vnd.jupyter.widget-view+json\"]').length <= "
            "document.querySelectorAll('.jupyter-widgets:not(.jupyter-widgets .jupyter-widgets)').length",
            timeout=60_000)


def wait_until_page_ready(page):
    """Wait until a lesson page (``--pages``) has typeset its maths and drawn its saved widgets, if it has any."""
    page.wait_for_load_state("load")
    page.wait_for_function("""() => window.MathJax === undefined || (MathJax.Hub && MathJax.Hub.queue.pending === 0
                              && MathJax.Hub.queue.running === 0)""", timeout=120_000)
    if page.locator('script[src$="html-manager/embed.js"]').count():  # the widget manager, from lib/
        page.wait_for_function(
            "document.querySelectorAll('script[type=\"application/vnd.jupyter.widget-view+json\"]').length <= "
            "document.querySelectorAll('.jupyter-widgets:not(.jupyter-widgets .jupyter-widgets)').length",
            timeout=60_000)


def print_handout(browser, deck, widgets):
    """Print one deck to a PDF next to it (reveal.js's print-pdf layout, one page per slide); return its path."""
    page = blocking_page(browser)
    try:
        page.goto(deck.resolve().as_uri() + "?print-pdf")
        wait_until_ready(page, widgets)
        pdf = deck.with_name(deck.name.replace(".slides.html", ".pdf"))
        page.pdf(path=str(pdf), width=f"{WIDTH}px", height=f"{HEIGHT}px", print_background=True)
        if page.blocked:
            raise RuntimeError(f"{deck.name} asked the network for {page.blocked}")
        return pdf
    finally:
        page.close()


def handouts(decks):
    """A PDF handout of each (deck, has widgets), printed by Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            for deck, widgets in decks:
                print(f"wrote {print_handout(browser, deck, widgets)}")
        finally:
            browser.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "slides", help="output folder (default: slides/)")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        default=lessons())
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF handouts")
    parser.add_argument("--pages", action="store_true",
                        help="also write each lesson as one page to read, NN_name.html (offline, like the decks)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    copy_libraries(args.out)
    decks = []
    for notebook in args.notebooks:
        deck = export(notebook, args.out)
        decks.append((deck, "widgets" in nbformat.read(notebook, as_version=4).metadata))
        print(f"wrote {deck}")
        if args.pages:
            print(f"wrote {export_page(notebook, args.out)}")
    if args.no_pdf:
        return 0
    if not CHROMIUM.exists():
        print(f"no Chromium at {CHROMIUM}: no PDF handouts (apt-get update && apt-get install -y chromium)")
        return 0
    handouts(decks)
    return 0


if __name__ == "__main__":
    sys.exit(main())

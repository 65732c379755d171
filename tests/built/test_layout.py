"""Every built page as a reader sees it: headless Chromium, network off, at 1280 px and at 390 px.

* At 1280 px (a laptop) no display equation, table, figure or image is wider than the text
  column, and none has content wider than its own box (MathJax's display box scrolls
  silently: an equation wider than the column looks cut, with nothing on screen saying it scrolls).
* At both widths nothing is clipped: any element whose content reaches past the box of an
  ancestor that hides overflow (or past the screen edge) fails; content in a box that scrolls
  horizontally (``overflow-x: auto``) is fine, since a reader can scroll it.
* Every ``<img>`` has alt text that says what it shows: a few words, not a file name, path or hash.
* In dark mode every image in the content sits on a light background (figures drawn in black
  on a transparent background would vanish otherwise).

Needs Chromium: ``apt-get install -y chromium`` (``.ci/run`` installs it when missing); skipped
with that message where it is not installed. Set ``BOOK_SCREENSHOTS=<dir>`` to also write a
full-page screenshot of every page at each width and in dark mode, to look at.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
INSTALL = ("chromium is not installed, so the layout of the built pages is not checked: install it with "
           "`apt-get install -y chromium` (Debian/Ubuntu; .ci/run does this in CI)")
WIDTHS = {"laptop": 1280, "phone": 390}
SCREENSHOTS = os.environ.get("BOOK_SCREENSHOTS")
FILE_NAME_ALT = re.compile(r"\.(png|jpe?g|gif|svg|webp|pdf)\b|[0-9a-f]{12,}|^[\w\-./\\]+$", re.I)

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason=INSTALL)
_NO_PAGES = (INSTALL if CHROMIUM is None else
             None if (HTML / "index.html").exists() else "build the book first (make book)")
needs_pages = pytest.mark.skipif(_NO_PAGES is not None, reason=_NO_PAGES or "")


def _pages() -> list[str]:
    """Every page of the built book, except redirects (index.html points at the first page)."""
    if not HTML.exists():
        return []
    pages = []
    for path in sorted(HTML.rglob("*.html")):
        rel = path.relative_to(HTML)
        if rel.parts[0].startswith(("_", ".")):
            continue
        if re.search(r'http-equiv="refresh"', path.read_text(errors="ignore"), re.I):
            continue
        pages.append(rel.as_posix())
    return pages


PAGES = _pages()

# Runs in the page; returns one line per problem. `strict`: the 1280 px rules on top of the clipping rule.
MEASURE = r"""
(strict) => {
  const tol = 1;
  const article = document.querySelector("article.bd-article") || document.querySelector("main") || document.body;
  const problems = [];
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    const cls = (typeof el.className === "string" ? el.className : "").trim().split(/\s+/).filter(Boolean);
    if (cls.length) name += "." + cls.slice(0, 3).join(".");
    let text = "";
    if (name.startsWith("mjx-container")) {
      const src = el.querySelector("mjx-assistive-mml");
      text = (src ? src.textContent : el.textContent);
    } else if (el.tagName === "IMG") {
      text = el.getAttribute("alt") || el.getAttribute("src") || "";
    } else {
      text = el.textContent || "";
    }
    text = text.replace(/\s+/g, " ").trim().slice(0, 70);
    const heading = (() => {
      let node = el;
      while (node && node !== article) {
        let sib = node.previousElementSibling;
        while (sib) {
          if (/^H[1-6]$/.test(sib.tagName)) return sib.textContent.replace(/[#¶]/g, "").trim().slice(0, 40);
          const inner = sib.querySelector && sib.querySelectorAll("h1,h2,h3,h4,h5,h6");
          if (inner && inner.length) {
            return inner[inner.length - 1].textContent.replace(/[#¶]/g, "").trim().slice(0, 40);
          }
          sib = sib.previousElementSibling;
        }
        node = node.parentElement;
      }
      return "";
    })();
    return `${name} "${text}"` + (heading ? ` (under "${heading}")` : "");
  };
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return false;
    const cs = getComputedStyle(el);
    return cs.visibility !== "hidden" && cs.display !== "none";
  };
  const hiddenOnPurpose = (el) => el.closest(".visually-hidden, .sr-only, mjx-assistive-mml, [aria-hidden='true']");
  const box = article.getBoundingClientRect();
  const pad = getComputedStyle(article);
  const colLeft = box.left + parseFloat(pad.paddingLeft), colRight = box.right - parseFloat(pad.paddingRight);
  const px = (x) => Math.round(x);

  if (strict) {
    const wide = article.querySelectorAll('mjx-container[display="true"], table, figure, img');
    for (const el of wide) {
      if (!shown(el) || hiddenOnPurpose(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.right > colRight + tol || r.left < colLeft - tol) {
        problems.push(`wider than the text column (${px(r.width)} px, column ${px(colRight - colLeft)} px): `
                      + describe(el));
      } else if (getComputedStyle(el).overflowX !== "visible" && el.scrollWidth > el.clientWidth + tol
                 && el.clientWidth > 0) {
        problems.push(`content wider than its box (${el.scrollWidth} px in ${el.clientWidth} px): ${describe(el)}`);
      }
    }
  }

  const all = article.querySelectorAll("*");
  for (const el of all) {
    if (el.tagName !== "MJX-CONTAINER" && el.closest("mjx-container")) continue;
    if (!shown(el) || hiddenOnPurpose(el)) continue;
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    const own = cs.overflowX;
    if ((own === "hidden" || own === "clip") && el.scrollWidth > el.clientWidth + tol && el.clientWidth > 0) {
      problems.push(`clipped inside its own box (overflow-x: ${own}; ${el.scrollWidth} px in `
                    + `${el.clientWidth} px): ${describe(el)}`);
      continue;
    }
    let extent = r.right;          // the element's box, and any text of its own that spills out of it
    for (const node of (own === "visible" ? el.childNodes : [])) {
      if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) extent = Math.max(extent, rect.right);
    }
    let a = el.parentElement, clipper = null;
    while (a && a !== document.documentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox !== "visible") { clipper = a; break; }
      a = a.parentElement;
    }
    if (clipper) {
      const ox = getComputedStyle(clipper).overflowX;
      if (ox === "auto" || ox === "scroll") continue;
      const c = clipper.getBoundingClientRect();
      if (extent > c.right + tol || r.left < c.left - tol) {
        problems.push(`cut off by ${describe(clipper).split(" ")[0]} (overflow-x: ${ox}; reaches `
                      + `${px(extent)} px, box ends at ${px(c.right)} px): ${describe(el)}`);
      }
    } else if (extent > document.documentElement.clientWidth + tol || r.left < -tol) {
      problems.push(`past the edge of the screen (reaches ${px(extent)} px of `
                    + `${document.documentElement.clientWidth}): ${describe(el)}`);
    }
  }
  return problems;
}
"""

IMAGES = r"""
() => Array.from(document.querySelectorAll("img")).map((img) => ({
  src: img.getAttribute("src") || "", alt: img.getAttribute("alt"),
  inContent: !!img.closest("article, main, .bd-content"),
  background: getComputedStyle(img).backgroundColor,
}))
"""

SETTLE = r"""
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  if (document.fonts && document.fonts.ready) { await document.fonts.ready; }
  await Promise.all(Array.from(document.images).filter((i) => !i.complete)
    .map((i) => new Promise((done) => { i.onload = i.onerror = done; })));
  return true;
}
"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


def open_page(browser, url: str, width: int, dark: bool = False):
    """A page at ``width`` px with every request that is not a local file refused (and recorded)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1,
                                  color_scheme="dark" if dark else "light", offline=True)
    refused: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            request_route.continue_()
        else:
            refused.append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.evaluate(SETTLE)
    return context, page, refused


def screenshot(page, name: str, mode: str) -> None:
    if SCREENSHOTS:
        out = Path(SCREENSHOTS) / f"{name.replace('/', '__').removesuffix('.html')}-{mode}.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out), full_page=True)


def bad_alt(alt: str | None) -> str | None:
    """Why an alt text does not describe its image, or None."""
    if alt is None or not alt.strip():
        return "no alt text"
    if FILE_NAME_ALT.search(alt.strip()):
        return f"alt text is a file name, path or hash: {alt[:60]!r}"
    if len(alt.split()) < 4:
        return f"alt text too short to say what the image shows: {alt!r}"
    return None


def layout_problems(browser, url: str, width: int, name: str | None = None) -> tuple[list[str], list[str], list[str]]:
    """(layout problems, image problems, refused requests) of one page at one width."""
    context, page, refused = open_page(browser, url, width)
    try:
        problems = page.evaluate(MEASURE, width >= WIDTHS["laptop"])
        images = [f"<img src=...{i['src'][-50:]}>: {why}" for i in page.evaluate(IMAGES)
                  if (why := bad_alt(i["alt"]))]
        if name:
            screenshot(page, name, f"{width}px")
        return problems, images, refused
    finally:
        context.close()


@needs_pages
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("name", PAGES)
def test_page_fits_and_describes_its_images(browser, name, width):
    problems, images, refused = layout_problems(browser, (HTML / name).as_uri(), width, name)
    assert not refused, f"{name} tried to load from the network: {refused}"
    assert not problems, f"{name} at {width} px:\n" + "\n".join(problems)
    assert not images, f"{name}: images without descriptive alt text:\n" + "\n".join(images)


@needs_pages
@pytest.mark.parametrize("name", PAGES)
def test_dark_mode_keeps_images_on_a_light_background(browser, name):
    context, page, _ = open_page(browser, (HTML / name).as_uri(), WIDTHS["laptop"], dark=True)
    try:
        theme = page.evaluate("() => document.documentElement.dataset.theme")
        images = page.evaluate(IMAGES)
        screenshot(page, name, "dark")
    finally:
        context.close()
    assert theme == "dark", f"{name}: the theme did not follow the reader's dark colour scheme ({theme})"
    dark = [i["src"][-50:] for i in images if i["inContent"] and not _light(i["background"])]
    assert not dark, f"{name}: images without a light background in dark mode: {dark}"


def _light(css_colour: str) -> bool:
    """An opaque colour of relative luminance above 0.7 (``rgb(…)``/``rgba(…)`` from getComputedStyle)."""
    numbers = [float(x) for x in re.findall(r"[\d.]+", css_colour)]
    if len(numbers) < 3 or (len(numbers) == 4 and numbers[3] < 0.99):
        return False
    r, g, b = (c / 255 for c in numbers[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.7


# --- the checks can fail: synthetic pages with each fault ----------------------------------------------

FAULTS = {
    "clipped": ('<div style="width:200px;overflow:hidden"><div style="width:400px">wide</div></div>',
                "cut off by div"),
    "off-screen": ('<div style="width:3000px">a very wide block</div>', "past the edge of the screen"),
    "long-word": ("<p>" + "unbreakable" * 200 + "</p>", "past the edge of the screen"),
    "wide-table": ('<table style="width:1200px"><tr><td>x</td></tr></table>', "wider than the text column"),
    "own-box": ('<figure style="width:200px;overflow:auto"><div style="width:400px">x</div></figure>',
                "content wider than its box"),
}


def _fixture_page(tmp_path: Path, body: str) -> str:
    page = tmp_path / "page.html"
    page.write_text(f'<!doctype html><html><body style="margin:0"><article class="bd-article" '
                    f'style="max-width:700px;margin:0 20px">{body}</article></body></html>')
    return page.as_uri()


@needs_chromium
@pytest.mark.parametrize("fault", FAULTS)
def test_each_fault_is_caught(browser, tmp_path, fault):
    body, message = FAULTS[fault]
    problems, _, _ = layout_problems(browser, _fixture_page(tmp_path, body), WIDTHS["laptop"])
    assert any(message in p for p in problems), problems


@needs_chromium
def test_a_scroll_box_is_not_a_fault_on_a_phone(browser, tmp_path):
    body = '<div style="overflow-x:auto"><div style="width:900px">a wide table in its own scroll box</div></div>'
    problems, _, _ = layout_problems(browser, _fixture_page(tmp_path, body), WIDTHS["phone"])
    assert problems == []


@needs_chromium
def test_alt_text_that_is_a_file_name_is_caught(browser, tmp_path):
    body = ('<img src="a.png" alt="3f9a0c1d2e4b5a6978.png" width="10" height="10">'
            '<img src="b.png" width="10" height="10">'
            '<img src="c.png" alt="Log-log plot of the loss falling as D to the minus one." width="10" height="10">')
    _, images, _ = layout_problems(browser, _fixture_page(tmp_path, body), WIDTHS["laptop"])
    assert len(images) == 2 and "file name" in images[0] and "no alt text" in images[1], images


@needs_chromium
def test_network_requests_are_refused_and_recorded(browser, tmp_path):
    _, _, refused = layout_problems(browser, _fixture_page(tmp_path, '<img src="https://example.invalid/x.png" '
                                                                     'alt="an image from elsewhere on the web">'),
                                    WIDTHS["laptop"])
    assert any("example.invalid" in url for url in refused)

"""Checks on the built book (run by `make test` after the clean build)."""

import re
from pathlib import Path

import pytest

from scaling_utils.book.claims import KINDS, check_claims, load_claims

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
CLAIMS = ROOT / "_build" / "claims"
CHAPTERS = sorted(p.stem for p in (ROOT / "chapters").glob("*.ipynb"))

# What a page may not load from the network: scripts, stylesheets, images, fonts, frames, CSS imports.
EXTERNAL_LOAD = [
    re.compile(r"<script[^>]+src=[\"'](?:https?:)?//", re.I),
    re.compile(r"<link[^>]+href=[\"'](?:https?:)?//[^\"']*[\"'][^>]*rel=[\"']?(?:stylesheet|preload|icon)", re.I),
    re.compile(r"<link[^>]+rel=[\"']?(?:stylesheet|preload|icon)[^>]+href=[\"'](?:https?:)?//", re.I),
    re.compile(r"<(?:img|iframe|source|video|audio)[^>]+src=[\"'](?:https?:)?//", re.I),
    re.compile(r"@import\s+(?:url\()?[\"']?(?:https?:)?//", re.I),
    re.compile(r"url\([\"']?(?:https?:)?//", re.I),
]
# CDN hosts that an inline script could fetch from at run time. (Library bundles such as MathJax carry
# CDN fallback strings they never use when served locally; tests/built/test_browser.py checks that in
# a real browser.)
CDN = re.compile(r"https?://(?:cdn\.jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|"
                 r"fonts\.gstatic\.com|polyfill\.io|code\.jquery\.com)", re.I)

pytestmark = pytest.mark.skipif(not (HTML / "index.html").exists(), reason="build the book first")


def built_files(*suffixes):
    return [p for p in HTML.rglob("*") if p.suffix in suffixes and p.is_file()]


def test_every_toc_page_is_built():
    for name in ["index.html", "intro.html", "report.html", "bibliography.html"]:
        assert (HTML / name).exists(), name
    for chapter in CHAPTERS:
        assert (HTML / "chapters" / f"{chapter}.html").exists(), chapter


def test_no_page_loads_anything_from_the_network():
    offenders = []
    for path in built_files(".html", ".css"):
        text = path.read_text(errors="ignore")
        offenders += [f"{path.relative_to(HTML)}: {m.group(0)[:80]}" for rx in EXTERNAL_LOAD for m in rx.finditer(text)]
    for path in built_files(".html"):
        text = path.read_text(errors="ignore")
        offenders += [f"{path.relative_to(HTML)}: {m.group(0)}" for m in CDN.finditer(text)]
    assert not offenders, "\n".join(offenders[:20])


def test_mathjax_is_served_locally():
    page = (HTML / "intro.html").read_text()
    scripts = re.findall(r"<script[^>]+src=[\"']([^\"']*mathjax[^\"']*)[\"']", page, re.I)
    assert scripts, "no MathJax script on the page"
    for src in scripts:
        local = (HTML / src.split("?")[0]).resolve()
        assert local.exists(), src


def test_every_claim_holds_and_every_ledger_is_complete():
    assert check_claims(CLAIMS, expect=CHAPTERS) == []


def test_report_shows_every_claim_linked_to_its_section():
    page = (HTML / "report.html").read_text()
    for chapter, claims in load_claims(CLAIMS).items():
        for claim in claims:
            row = re.search(rf'<tr[^>]*>(?:(?!</tr>).)*?{re.escape(claim.id)}(?:(?!</tr>).)*</tr>', page, re.S)
            assert row, f"report lacks {claim.id}"
            assert re.search(rf'href="chapters/{chapter}\.html#', row.group(0)), \
                f"report row of {claim.id} does not link to its section in {chapter}"
    assert "claim-fails" not in page
    headline = re.search(r'<p[^>]*class="[^"]*claims-headline[^"]*"[^>]*>(.*?)</p>', page, re.S)
    assert headline, "report has no headline"
    shown = [k for k in KINDS if k in headline.group(1)]
    assert shown and shown[0] == "paper", "the headline must count claims per kind, papers' statements first"


def test_figures_are_numbered_and_glued_numbers_rendered():
    page = (HTML / "chapters" / "measuring-exponents.html").read_text()
    assert "Fig. 1" in page or "Figure 1" in page
    assert "{glue" not in page

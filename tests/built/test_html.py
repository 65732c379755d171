"""Checks on the built book (run by `make test` after the clean build)."""

import json
import re
from pathlib import Path

import pytest

from scaling_utils.book.claims import check_claims

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
CLAIMS = ROOT / "_build" / "claims"
CHAPTERS = sorted(p.stem for p in (ROOT / "chapters").glob("*.ipynb"))
REQUIRED = {"id", "chapter", "statement", "source", "expected", "measured", "interval", "tolerance", "holds"}

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


def test_every_chapter_writes_a_complete_ledger():
    for chapter in CHAPTERS:
        path = CLAIMS / f"{chapter}.json"
        assert path.exists(), f"{chapter}: no claims ledger"
        claims = json.loads(path.read_text())
        assert claims, f"{chapter}: empty ledger"
        for claim in claims:
            assert REQUIRED <= set(claim), f"{chapter}: {claim.get('id')} lacks {REQUIRED - set(claim)}"
            assert claim["chapter"] == chapter


def test_every_claim_holds():
    assert check_claims(CLAIMS, expect=CHAPTERS) == []


def test_report_page_shows_every_claim_of_this_build():
    page = (HTML / "report.html").read_text()
    for chapter in CHAPTERS:
        for claim in json.loads((CLAIMS / f"{chapter}.json").read_text()):
            assert claim["id"] in page, f"report lacks {claim['id']}"
    assert "claim-fails" not in page


def test_figures_are_numbered_and_glued_numbers_rendered():
    page = (HTML / "chapters" / "measuring-exponents.html").read_text()
    assert "Fig. 1" in page or "Figure 1" in page
    assert "{glue" not in page

"""The built pages render math and load nothing from the network, in a real headless browser.

Needs Chromium (`apt-get install chromium`); skipped where it is not installed. Chromium's own
background services (updates, accounts) are not page loads and are ignored.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_SERVICES = re.compile(r"^https?://((?:[a-z\-]+\.)?clients\d*\.google\.com|update\.googleapis\.com|accounts\.google\.com|"
                              r"[a-z\-]+-pa\.googleapis\.com|safebrowsing\.googleapis\.com|www\.gstatic\.com/chrome|"
                              r"www\.google\.com/async/)")   # the last: Chromium 150's own start-up request

pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed: `apt-get install -y "
                                                            "chromium` (.ci/run does this in CI)"),
              pytest.mark.skipif(not (HTML / "index.html").exists(), reason="build the book first")]


def render(page: Path, tmp_path: Path) -> tuple[str, list[str]]:
    netlog = tmp_path / "net.json"
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=8000", f"--log-net-log={netlog}",
         "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    urls = re.findall(r'"url":"([^"]+)"', netlog.read_text(errors="ignore")) if netlog.exists() else []
    return dom, sorted({u for u in urls if not u.startswith(("file:", "data:", "blob:"))
                        and not BROWSER_SERVICES.match(u)})


@pytest.mark.parametrize("page", ["intro.html", "chapters/measuring-exponents.html", "report.html"])
def test_page_typesets_math_offline(page, tmp_path):
    dom, network = render(HTML / page, tmp_path)
    assert network == [], f"{page} loaded from the network: {network}"
    if page != "report.html":
        assert dom.count("<mjx-container") > 5, f"{page}: math not typeset"


def test_netlog_is_really_recorded(tmp_path):
    """Guard against a silent pass: a page with an external image must show up in the net log."""
    page = tmp_path / "external.html"
    page.write_text('<html><body><img src="https://example.invalid/x.png"></body></html>')
    _, network = render(page, tmp_path)
    assert any("example.invalid" in u for u in network)

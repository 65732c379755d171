"""nbval really compares numbers: a changed digit in a stored result table fails the run."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "chapters" / "measuring-exponents.ipynb"


def run_nbval(path: Path, claims_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SCALING_UTILS_CLAIMS_DIR": str(claims_dir)}
    return subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env",
                           "-p", "no:cacheprovider", "-q", str(path)],
                          cwd=path.parent, env=env, capture_output=True, text=True, timeout=600)


def checked_cells(nb):
    return [c for c in nb["cells"] if "nbval-check-output" in c.get("metadata", {}).get("tags", [])]


def ledger_table_cell(nb):
    """The checked cell that holds the chapter's "what we measured" table."""
    return next(c for c in checked_cells(nb) if "measured" in json.dumps(c["outputs"]))


def test_every_chapter_stores_its_checked_result_table():
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        cells = checked_cells(json.loads(path.read_text()))
        assert len(cells) >= 1, f"{path.name} has no cell tagged nbval-check-output"
        for cell in cells:
            assert cell["outputs"], f"{path.name}: a checked cell has no stored output"
        assert any("measured" in json.dumps(c["outputs"]) for c in cells), f"{path.name}: no result table stored"


def test_changed_stored_number_fails_nbval(tmp_path):
    nb = json.loads(CHAPTER.read_text())
    data = ledger_table_cell(nb)["outputs"][0]["data"]
    text = "".join(data["text/plain"])
    header = next(ln for ln in text.splitlines() if "measured" in ln).split()
    row = next(ln for ln in text.splitlines() if ln.startswith("fitting.recovery.alpha"))
    measured = row.split()[1 + header.index("measured")]  # the row starts with the claim id
    data["text/plain"] = text.replace(row, row.replace(measured, "0.777", 1))
    html = "".join(data["text/html"])
    head, sep, tail = html.partition("<th>fitting.<wbr>recovery.<wbr>alpha</th>")
    assert sep and f"<td>{measured}</td>" in tail
    data["text/html"] = head + sep + tail.replace(f"<td>{measured}</td>", "<td>0.777</td>", 1)
    copy = tmp_path / CHAPTER.name
    copy.write_text(json.dumps(nb))
    result = run_nbval(copy, tmp_path / "claims")
    assert result.returncode != 0, result.stdout[-2000:]
    assert "0.777" in result.stdout and "1 failed" in result.stdout

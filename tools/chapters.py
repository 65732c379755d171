"""Run one chapter outside the book build, or refresh the outputs nbval compares.

    python tools/chapters.py run NAME [NAME ...] [--output DIR]   # execute a copy into _build/run/ (or DIR),
                                                                  # print its "what we measured" table
    python tools/chapters.py store NAME [NAME ...]   # execute in place, keep only the checked outputs

NAME is a notebook stem in chapters/ (e.g. ``measuring-exponents``). ``store`` runs the
notebook top to bottom with the environment's ``python3`` kernel, then removes every output
except those of cells tagged ``nbval-check-output`` (the chapter's "what we measured" table).
Those stay, with their execution counts, as the reference that ``pytest --nbval-lax`` compares
on every test run. It also normalizes the metadata the book relies on (kernelspec ``python3``;
``keep_output`` on checked cells, which the nbstripout pre-commit hook honours).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
CHECK_TAG = "nbval-check-output"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def _notebook(name: str) -> Path:
    path = ROOT / "chapters" / f"{name}.ipynb"
    if not path.exists():
        choices = sorted(p.stem for p in (ROOT / "chapters").glob("*.ipynb"))
        sys.exit(f"no chapter {name!r}; chapters are: {', '.join(choices)}")
    return path


def execute(nb: nbformat.NotebookNode, cwd: Path) -> float:
    start = time.perf_counter()
    NotebookClient(nb, timeout=900, kernel_name="python3",
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return time.perf_counter() - start


def run(name: str, output: Path | None = None) -> None:
    path = _notebook(name)
    nb = nbformat.read(path, as_version=4)
    elapsed = execute(nb, path.parent)
    out = (output or ROOT / "_build" / "run") / path.name
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)
    print(f"{name}: executed in {elapsed:.1f} s -> {out}")
    for cell in nb.cells:
        if CHECK_TAG in cell.metadata.get("tags", []):
            for output in cell.get("outputs", []):
                print(output.get("data", {}).get("text/plain", ""))


def store(name: str) -> None:
    path = _notebook(name)
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = KERNELSPEC
    elapsed = execute(nb, path.parent)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)  # timestamps: noise in every diff
        if CHECK_TAG in cell.metadata.get("tags", []):
            cell.metadata["keep_output"] = True
        else:
            cell.outputs = []
            cell.execution_count = None
    nbformat.write(nb, path)
    print(f"{name}: executed in {elapsed:.1f} s; reference outputs stored")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["run", "store"])
    parser.add_argument("names", nargs="+", metavar="NAME")
    parser.add_argument("--output", type=Path, default=None,
                        help="run: folder for the executed copies (default _build/run/)")
    args = parser.parse_args()
    for name in args.names:
        if args.command == "run":
            run(name, args.output)
        else:
            store(name)


if __name__ == "__main__":
    main()

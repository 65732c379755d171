"""Execute chapter notebooks and store only the outputs nbval compares.

    python tools/store_outputs.py chapters/NAME.ipynb [...]

Runs each notebook top to bottom with the current environment's ``python3`` kernel, then
removes every output except those of cells tagged ``nbval-check-output`` (the chapter's
"what we measured" table), which are kept — with their execution counts — as the reference
that ``pytest --nbval-lax`` compares on every test run. Also normalizes the metadata the
book relies on (kernelspec ``python3``; ``keep_output`` on checked cells, which nbstripout
honours in the pre-commit hook).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

CHECK_TAG = "nbval-check-output"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def store_outputs(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = KERNELSPEC
    start = time.perf_counter()
    NotebookClient(nb, timeout=900, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    elapsed = time.perf_counter() - start
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if CHECK_TAG in cell.metadata.get("tags", []):
            cell.metadata["keep_output"] = True
        else:
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    return elapsed


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for arg in sys.argv[1:]:
        print(f"{arg}: executed in {store_outputs(Path(arg)):.1f} s")

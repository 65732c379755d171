"""The Chinchilla training runs (Hoffmann et al. 2022, Figure 4, as extracted by Besiroglu et al. 2024).

The CSV ships with the book in ``data/chinchilla_fig4_extracted.csv`` (provenance and citation in
``data/README.md``); nothing is downloaded. Tokens follow from the compute :math:`C \\approx 6ND`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..validation import InputTypeError, check_positive_int

__all__ = ["DATA_FILE", "exclude_highest_loss", "load_runs"]

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "chinchilla_fig4_extracted.csv"


def load_runs(path: str | Path | None = None) -> Any:
    """The 245 runs as a DataFrame with columns ``N`` (parameters), ``C`` (FLOP), ``D`` (tokens = C/6N), ``loss``.

    Rows are in the file's order. Raises FileNotFoundError naming the file when it is missing and
    ValueError when a column is missing or a value is not a positive finite number.
    """
    import pandas as pd

    if path is not None and not isinstance(path, str | Path):
        raise InputTypeError(f"path must be a file path (a str or pathlib.Path) or None (got {path!r})")
    path = Path(path) if path is not None else DATA_FILE
    if not path.is_file():
        raise FileNotFoundError(f"the Chinchilla runs are not at {path}: the file ships in the book's data/ folder")
    raw = pd.read_csv(path)
    columns = {"Model Size": "N", "Training FLOP": "C", "loss": "loss"}
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise ValueError(f"{path} lacks column(s) {missing}")
    runs = raw[list(columns)].rename(columns=columns).astype(float)
    values = runs.to_numpy()
    if not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise ValueError(f"{path}: every N, C and loss must be a positive finite number")
    runs["D"] = runs["C"] / (6 * runs["N"])
    return runs[["N", "D", "C", "loss"]]


def exclude_highest_loss(runs: Any, count: int = 5) -> tuple[Any, Any]:
    """Split off the ``count`` runs of highest loss (Besiroglu et al.'s exclusion): ``(kept, excluded)``."""
    import pandas as pd

    if not isinstance(runs, pd.DataFrame) or "loss" not in runs.columns:
        raise InputTypeError(f"runs must be a DataFrame with a 'loss' column, as load_runs returns "
                             f"(got {type(runs).__name__})")
    count = check_positive_int("count", count, minimum=0, maximum=len(runs) - 6)
    order = np.argsort(runs["loss"].to_numpy(), kind="stable")
    dropped = np.sort(order[len(runs) - count:]) if count else np.array([], int)
    mask = np.ones(len(runs), bool)
    mask[dropped] = False
    return runs[mask], runs[~mask]

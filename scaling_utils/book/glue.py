"""Helpers that only the book's notebooks need."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["glue_numbers"]


def glue_numbers(**values: Any) -> None:
    """Glue each keyword as a plain Python number for ``{glue:text}`name:.3f``` in the text.

    NumPy scalars are converted first: myst-nb formats glued numbers from their ``repr``, and
    ``np.float64(0.5)`` is not a number to it.
    """
    from myst_nb import glue

    for name, value in values.items():
        if not np.isscalar(value) or isinstance(value, str | bytes):
            raise ValueError(f"{name} must be a real number to glue (got {value!r})")
        glue(name, float(value) if np.isreal(value) else value, display=False)

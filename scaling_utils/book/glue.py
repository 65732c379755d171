"""Helpers that only the book's notebooks need."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from ..validation import check_in_range, check_positive_int

__all__ = ["glue_math", "glue_numbers", "latex_number", "power_tex"]


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


def latex_number(value: float, digits: int = 2) -> str:
    r"""``value`` with ``digits`` significant figures as LaTeX: ``3.7 \times 10^{-5}`` below 10⁻³ or from 10⁴ on.

    Examples
    --------
    >>> latex_number(3.7e-5), latex_number(0.0123), latex_number(-2.0e6, 3), latex_number(0.0)
    ('3.7 \\times 10^{-5}', '0.012', '-2.00 \\times 10^{6}', '0')
    """
    digits = check_positive_int("digits", digits)
    if isinstance(value, bool) or not np.isscalar(value) or not np.isreal(value) or not math.isfinite(value):
        raise ValueError(f"value must be a finite real number (got {value!r})")
    value = float(value)
    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(value)))
    mantissa = round(value / 10.0**exponent, digits - 1)
    if abs(mantissa) >= 10:                      # rounding carried into the next decade
        mantissa, exponent = mantissa / 10, exponent + 1
    if -3 <= exponent <= 3:
        return f"{value:.{max(digits - 1 - exponent, 0)}f}"
    return f"{mantissa:.{digits - 1}f} \\times 10^{{{exponent}}}"


def glue_math(digits: int = 2, **values: Any) -> None:
    """Glue each keyword as inline math (:func:`latex_number`) for ``{glue:md}`name:myst``` in the text.

    Numbers in prose are typeset, never Python's ``4.0e-06``; ``:myst`` parses the glued text as MyST, whose
    dollar math the default (CommonMark) would leave as text.
    """
    from IPython.display import Markdown
    from myst_nb import glue

    texts = {name: latex_number(check_in_range(name, value), digits) for name, value in values.items()}
    for name, text in texts.items():
        glue(name, Markdown(f"${text}$"), display=False)


def power_tex(base: str, numerator: int, denominator: int) -> str:
    r"""``base`` to the power ``numerator/denominator`` as LaTeX, the fraction reduced.

    For statements written per dimension ``d``: ``power_tex("D", -4, 2)`` is ``D^{-2}``, not
    ``D^{-4/2}``; ``power_tex("D", -1, 3)`` is ``D^{-1/3}``; an exponent of 1 is left out.

    >>> [power_tex("D", -4, d) for d in (1, 2, 3)]
    ['D^{-4}', 'D^{-2}', 'D^{-4/3}']
    >>> power_tex("P", 2, 2)
    'P'
    """
    if not isinstance(base, str) or not base:
        raise ValueError(f"base must be a non-empty string (got {base!r})")
    numerator = check_positive_int("numerator", numerator, minimum=-10**6, maximum=10**6)
    denominator = check_positive_int("denominator", denominator, maximum=10**6)
    exponent = Fraction(numerator, denominator)
    if exponent == 1:
        return base
    return f"{base}^{{{exponent}}}"

"""The book's house style for figures.

Conventions, used by every chapter:

* log–log axes labelled with the symbol and its meaning (``"training-set size $D$"``);
* simulation as markers with error bars (standard error over seeds);
* theory as solid lines, fits as dashed lines over their window with the exponent and its
  interval in the legend;
* the Okabe–Ito colour-blind-safe palette, in a fixed order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

__all__ = [
    "PALETTE",
    "color",
    "new_figure",
    "plot_fit",
    "plot_local_slope",
    "plot_measured",
    "plot_theory",
    "show",
    "use_house_style",
]

#: Okabe & Ito (2008), "Color Universal Design": distinguishable under common colour blindness.
PALETTE: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                            "#F0E442", "#000000")

_STYLE = {
    "figure.dpi": 110,
    "savefig.dpi": 110,
    "font.size": 10,
    "axes.titlesize": 10.5,
    "axes.labelsize": 10,
    "legend.fontsize": 8.5,
    "legend.frameon": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "grid.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 1.6,
    "lines.markersize": 4.5,
    "errorbar.capsize": 2,
    "axes.prop_cycle": mpl.cycler(color=list(PALETTE)),
}


def use_house_style() -> None:
    """Apply the book's matplotlib settings (idempotent)."""
    mpl.rcParams.update(_STYLE)


def color(i: int) -> str:
    """The i-th palette colour (cycling)."""
    return PALETTE[i % len(PALETTE)]


def new_figure(ncols: int = 1, nrows: int = 1, *, width: float = 4.2, height: float = 3.3,
               loglog: bool = True, **kwargs: Any) -> tuple[plt.Figure, Any]:
    """A figure in house style; ``axes`` is one Axes or an array of them."""
    use_house_style()
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows),
                             layout="constrained", **kwargs)
    if loglog:
        for ax in np.atleast_1d(axes).ravel():
            ax.set_xscale("log")
            ax.set_yscale("log")
    return fig, axes


def plot_measured(ax: plt.Axes, x: Any, mean: Any, err: Any | None = None, *, label: str | None = None,
                  color: str | None = None, marker: str = "o", **kwargs: Any) -> Any:
    """Simulation: markers with error bars (pass the standard error over seeds as ``err``)."""
    return ax.errorbar(x, mean, yerr=err, fmt=marker, color=color, label=label,
                       markerfacecolor="white" if kwargs.pop("hollow", False) else color,
                       elinewidth=1, **kwargs)


def plot_theory(ax: plt.Axes, x: Any, y: Any, *, label: str | None = None, color: str | None = None,
                **kwargs: Any) -> Any:
    """Theory: a solid line with no fitted constants."""
    kwargs.setdefault("lw", 1.4)
    kwargs.setdefault("alpha", 0.9)
    return ax.plot(x, y, "-", color=color, label=label, **kwargs)


def plot_fit(ax: plt.Axes, fit: Any, *, label: str | None = None, color: str | None = None,
             symbol: str = "α", extend: float = 1.0, **kwargs: Any) -> Any:
    """A fitted power law (a ``FitResult``) as a dashed line over its window.

    The default label is ``"fit: α = 0.502 [0.489, 0.515]"``; ``extend`` widens the drawn range by
    that factor on each side to show the extrapolation.
    """
    lo, hi = fit.window
    xs = np.geomspace(lo / extend, hi * extend, 100)
    if label is None:
        label = f"fit: {fit.describe(symbol, digits=2)}"
    kwargs.setdefault("lw", 1.2)
    return ax.plot(xs, fit.predict(xs), "--", color=color or "0.2", label=label, **kwargs)


def plot_local_slope(ax: plt.Axes, slope: Any, *, expected: float | Sequence[float] | None = None,
                     label: str | None = None, color: str | None = None) -> Any:
    """Local exponent −d log(L − L∞)/d log n with its bootstrap band; ``expected`` as a dotted line."""
    ax.set_xscale("log")
    line = ax.plot(slope.n, slope.alpha, "o-", color=color, label=label, ms=3.5)
    if np.all(np.isfinite(slope.lo)):
        ax.fill_between(slope.n, -slope.hi, -slope.lo, color=line[0].get_color(), alpha=0.2, lw=0)
    if expected is not None:
        for value in np.atleast_1d(expected):
            ax.axhline(value, ls=":", color="0.3", lw=1)
    return line


def show(fig: plt.Figure) -> None:
    """Display ``fig`` exactly once in a notebook and release it.

    A figure cell must produce a single output: myst-nb turns each output of a cell with
    figure metadata into a numbered figure, and pyplot would otherwise display the figure again
    at the end of the cell.
    """
    from IPython.display import display

    display(fig)
    plt.close(fig)

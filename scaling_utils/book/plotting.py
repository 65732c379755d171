"""The book's house style for figures.

Conventions, used by every chapter:

* log–log axes labelled with the symbol and its meaning (``"training-set size $D$"``);
* simulation as markers with error bars (standard error over seeds);
* theory as solid lines, fits as dashed lines over their window with the exponent and its
  interval in the legend;
* the Okabe–Ito colour-blind-safe palette, in a fixed order.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from scaling_utils.validation import InputTypeError, as_float_array, check_budget, check_in_range, check_positive_int

__all__ = [
    "PALETTE",
    "color",
    "new_figure",
    "plot_fit",
    "plot_local_slope",
    "plot_measured",
    "plot_theory",
    "show",
    "smallest_text_pt",
    "use_house_style",
]

#: Okabe & Ito (2008), "Color Universal Design": distinguishable under common colour blindness.
PALETTE: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                            "#F0E442", "#000000")

#: The house dpi: a figure this many pixels per inch wide is shown at its natural size.
HOUSE_DPI = 110
#: The widest figure, in inches at :data:`HOUSE_DPI`, that the text column (about 700 px in a
#: 1280 px window) shows without shrinking it.
COLUMN_WIDTH_IN = 6.4
#: Width of the layout of figures shown on phones (panels stacked in one column): about the
#: figure column of a 390 px wide screen (342 px), so that its text is shown at its nominal size.
PHONE_WIDTH_IN = 3.1
#: A one-column figure up to this wide is shown on phones as it is (shrunk by at most 10 %).
PHONE_FITS_IN = 1.1 * PHONE_WIDTH_IN
#: No text smaller than this many points as displayed (legends, tick labels, insets).
MIN_TEXT_PT = 8.0
#: White margin around a figure's PNG (its tight bounding box), in inches.
PAD_IN = 0.05
#: Key of the output metadata that carries the phone layout and the alt text of :func:`show`.
OUTPUT_KEY = "scaling_utils/figure"
#: Memory (bytes) and work (operations, at the guard's 80 GFLOP/s) that one panel of
#: :func:`new_figure` costs: about 230 KB and 20 ms of matplotlib's Python, measured.
_PANEL_BYTES, _PANEL_WORK = 3e5, 2e9

_STYLE = {
    "figure.dpi": HOUSE_DPI,
    "savefig.dpi": HOUSE_DPI,
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


def new_figure(ncols: int = 1, nrows: int = 1, *, width: float | None = None, height: float | None = None,
               loglog: bool = True, **kwargs: Any) -> tuple[plt.Figure, Any]:
    """A figure in house style; ``axes`` is one Axes or an array of them.

    ``width`` and ``height`` are per panel, in inches. By default the panels share the
    :data:`COLUMN_WIDTH_IN` column (at most 4.2 in each) and are 3.3 in tall (2.6 in when the
    default width splits the column among several panels). Keep ``ncols × width ≤ 6.4`` with the
    house fonts: :func:`show` refuses a figure whose text the column would shrink below
    :data:`MIN_TEXT_PT`. On phones :func:`show` stacks the panels in one column.
    """
    check_positive_int("ncols", ncols)
    check_positive_int("nrows", nrows)
    check_budget(f"new_figure with ncols={ncols} and nrows={nrows} ({float(ncols) * nrows:.3g} panels)",
                 nbytes=_PANEL_BYTES * float(ncols) * nrows, work=_PANEL_WORK * float(ncols) * nrows)
    if height is None:
        height = 2.6 if width is None and ncols > 1 else 3.3
    if width is None:
        width = min(4.2, COLUMN_WIDTH_IN / ncols)
    width = check_in_range("width", width, low=0, low_open=True)
    height = check_in_range("height", height, low=0, low_open=True)
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
    _check_axes(ax)
    xs = as_float_array("x", x, ndim=(0, 1), finite=False)
    if np.shape(as_float_array("mean", mean, ndim=(0, 1), finite=False)) != xs.shape:
        raise ValueError(f"mean must have one value per x ({xs.size}), got shape {np.shape(mean)}")
    if err is not None and np.shape(as_float_array("err", err, finite=False)) not in ((), xs.shape, (2, xs.size)):
        raise ValueError(f"err must be a number, one value per x ({xs.size}) or two rows of them (got shape "
                         f"{np.shape(err)})")
    return ax.errorbar(x, mean, yerr=err, fmt=marker, color=color, label=label,
                       markerfacecolor="white" if kwargs.pop("hollow", False) else color,
                       elinewidth=1, **kwargs)


def plot_theory(ax: plt.Axes, x: Any, y: Any, *, label: str | None = None, color: str | None = None,
                **kwargs: Any) -> Any:
    """Theory: a solid line with no fitted constants."""
    _check_axes(ax)
    as_float_array("x", x, finite=False)
    as_float_array("y", y, finite=False)
    kwargs.setdefault("lw", 1.4)
    kwargs.setdefault("alpha", 0.9)
    return ax.plot(x, y, "-", color=color, label=label, **kwargs)


def plot_fit(ax: plt.Axes, fit: Any, *, label: str | None = None, color: str | None = None,
             symbol: str = "α", extend: float = 1.0, **kwargs: Any) -> Any:
    """A fitted power law (a ``FitResult``) as a dashed line over its window.

    The default label is ``"fit: α = 0.502 [0.489, 0.515]"``; ``extend`` widens the drawn range by
    that factor on each side to show the extrapolation.
    """
    from ..measurement.fitting import FitResult

    _check_axes(ax)
    if not isinstance(fit, FitResult):
        raise InputTypeError(f"fit must be a FitResult, as fit_power_law returns (got {type(fit).__name__})")
    extend = check_in_range("extend", extend, low=0, low_open=True)
    lo, hi = fit.window
    if not (np.isfinite(lo / extend) and lo / extend > 0 and np.isfinite(hi * extend)):
        raise ValueError(f"extend={extend!r} stretches the window [{lo:g}, {hi:g}] beyond the floating-point range")
    xs = np.geomspace(lo / extend, hi * extend, 100)
    if label is None:
        label = f"fit: {fit.describe(symbol, digits=2)}"
    kwargs.setdefault("lw", 1.2)
    return ax.plot(xs, fit.predict(xs), "--", color=color or "0.2", label=label, **kwargs)


def plot_local_slope(ax: plt.Axes, slope: Any, *, expected: float | Sequence[float] | None = None,
                     label: str | None = None, color: str | None = None) -> Any:
    """Local exponent −d log(L − L∞)/d log n with its bootstrap band; ``expected`` as a dotted line."""
    from ..measurement.fitting import LocalSlope

    _check_axes(ax)
    if not isinstance(slope, LocalSlope):
        raise InputTypeError(f"slope must be a LocalSlope, as local_slope returns (got {type(slope).__name__})")
    ax.set_xscale("log")
    line = ax.plot(slope.n, slope.alpha, "o-", color=color, label=label, ms=3.5)
    if np.all(np.isfinite(slope.lo)):
        ax.fill_between(slope.n, -slope.hi, -slope.lo, color=line[0].get_color(), alpha=0.2, lw=0)
    if expected is not None:
        for value in np.atleast_1d(as_float_array("expected", expected, ndim=(0, 1), finite=False)):
            ax.axhline(value, ls=":", color="0.3", lw=1)
    return line


def show(fig: plt.Figure, alt: str | None = None, *, phone: plt.Figure | None = None) -> None:
    """Display ``fig`` exactly once in a notebook, readable on a laptop and on a phone, and release it.

    A figure cell must produce a single output: myst-nb turns each output of a cell with figure
    metadata into a numbered figure, and pyplot would otherwise display the figure again at the
    end of the cell. The one output is a PNG of ``fig`` as laid out (white, at the figure's dpi).
    A grid of panels in more than one column (``new_figure(ncols, nrows)`` with ``ncols > 1``) also
    carries, in the output's metadata (:data:`OUTPUT_KEY`, field ``phone``), a second PNG laid out
    for phones: the same panels stacked in one column, :data:`PHONE_WIDTH_IN` wide
    (:func:`_phone_png`). ``phone`` replaces that automatic layout by a figure drawn for phones
    (at most :data:`PHONE_WIDTH_IN` wide), e.g. for one wide panel crowded with labels. The book
    shows the phone layout instead of the wide one on narrow screens
    (``scaling_utils.book.mystnb_figures`` and ``_static/book.css``). The figures are closed afterwards.

    Alt text comes from the cell metadata ``mystnb.image.alt`` and reaches both images; ``alt``
    here is the fallback for a cell without it.

    Raises ``ValueError`` when the smallest text would be displayed below :data:`MIN_TEXT_PT`
    (:func:`smallest_text_pt`): the column shows at most :data:`COLUMN_WIDTH_IN` of a figure at the
    house dpi, so a wider figure is shrunk, and its text with it; the same for ``phone`` in a
    phone's column.
    """
    from IPython.display import display

    _check_figure("fig", fig)
    if phone is not None:
        _check_figure("phone", phone)
    if alt is not None and (not isinstance(alt, str) or len(alt.split()) < 4):
        _close(fig, phone)
        raise ValueError(f"alt must be a sentence saying what the figure shows (got {alt!r})")
    if phone is not None and phone.get_figwidth() > PHONE_WIDTH_IN + 1e-9:
        _close(fig, phone)
        raise ValueError(f"phone must be at most PHONE_WIDTH_IN = {PHONE_WIDTH_IN} in wide "
                         f"(got {phone.get_figwidth():.2f} in)")
    wide = _png(fig)
    _check_text(fig, wide, COLUMN_WIDTH_IN, "fig", phone)
    text_plain = repr(fig)
    extra: dict[str, Any] = {}
    if alt is not None:
        extra["alt"] = alt
    if phone is not None:
        phone_png = _png(phone)
        _check_text(phone, phone_png, PHONE_WIDTH_IN, "phone", fig)
    else:
        phone_png = _phone_png(fig)
    if phone_png is not None:
        extra["phone"] = base64.b64encode(phone_png).decode("ascii")
    _close(fig, phone)
    display({"image/png": base64.b64encode(wide).decode("ascii"), "text/plain": text_plain}, raw=True,
            metadata={OUTPUT_KEY: extra} if extra else None)


def _check_axes(ax: Any) -> None:
    if not isinstance(ax, Axes):
        raise InputTypeError(f"ax must be a matplotlib Axes, e.g. from new_figure (got {type(ax).__name__})")


def _check_figure(name: str, fig: Any) -> None:
    if not isinstance(fig, Figure):
        raise InputTypeError(f"{name} must be a matplotlib Figure, e.g. from new_figure (got {type(fig).__name__})")


def _close(*figures: plt.Figure | None) -> None:
    for figure in figures:
        if figure is not None:
            plt.close(figure)


def _check_text(fig: plt.Figure, png: bytes, column_in: float, name: str, other: plt.Figure | None) -> None:
    """``ValueError`` (after closing the figures) if ``fig``'s smallest text is displayed below 8 pt."""
    drawn_px = _png_width(png) - 2 * PAD_IN * fig.dpi       # the margin savefig adds is not the figure's
    smallest, text = smallest_text_pt(fig, drawn_px, column_in)
    if smallest < MIN_TEXT_PT - 1e-9:
        _close(fig, other)
        text = text.replace("\\mathdefault", "")
        raise ValueError(
            f"{name}: its smallest text ({text!r}) would be displayed at {smallest:.1f} pt, below the book's "
            f"{MIN_TEXT_PT:g} pt: the figure is {fig.get_figwidth():.2f} in wide and the column shows at most "
            f"{column_in:g} in at {HOUSE_DPI} dpi. Make it narrower (new_figure(width=...) is per panel) "
            f"or the text larger (tick_params(labelsize=...), legend(fontsize=...))")


def smallest_text_pt(fig: plt.Figure, png_width_px: float | None = None,
                     column_in: float = COLUMN_WIDTH_IN) -> tuple[float, str]:
    """The size, in points as the book displays it, of the smallest text ``fig`` draws, and that text.

    A text of ``s`` pt in a figure rendered at ``dpi`` is ``s·dpi/72`` image pixels tall; the
    column shows an image at most ``column_in`` (default :data:`COLUMN_WIDTH_IN`) ×
    :data:`HOUSE_DPI` pixels wide, so an image ``png_width_px`` wide (default: the figure's width
    at its dpi) is shown scaled by ``min(1, column / png_width_px)``. Measured in house points
    (``HOUSE_DPI/72`` displayed pixels) the size is ``s · dpi/HOUSE_DPI · min(1, column / png_width_px)``.
    Only text the figure really draws counts (visible tick labels, legends, annotations, insets).
    ``(inf, "")`` for no text.
    """
    from matplotlib.backends.backend_agg import RendererAgg

    class _Recorder(RendererAgg):
        def __init__(self, width: float, height: float, dpi: float):
            super().__init__(width, height, dpi)
            self.texts: list[tuple[float, str]] = []

        def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
            if s.strip():
                self.texts.append((prop.get_size_in_points(), s))
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    _check_figure("fig", fig)
    column_in = check_in_range("column_in", column_in, low=0, low_open=True)
    dpi = fig.dpi
    width_px = (fig.get_figwidth() * dpi if png_width_px is None
                else check_in_range("png_width_px", png_width_px, low=0, low_open=True))
    renderer = _Recorder(fig.get_figwidth() * dpi, fig.get_figheight() * dpi, dpi)
    fig.draw(renderer)
    if not renderer.texts:
        return float("inf"), ""
    size, text = min(renderer.texts)
    scale = dpi / HOUSE_DPI * min(1.0, column_in * HOUSE_DPI / width_px)
    return size * scale, text


def _png(fig: plt.Figure) -> bytes:
    """The figure as the book shows it: PNG at the figure's dpi, tight bounding box, white background."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi="figure", bbox_inches="tight", pad_inches=PAD_IN, facecolor="white",
                metadata={"Software": None})
    return buffer.getvalue()


def _png_width(png: bytes) -> int:
    """Pixel width from a PNG header (bytes 16–19 of the IHDR chunk)."""
    return int.from_bytes(png[16:20], "big")


def _legends_below(fig: plt.Figure) -> None:
    """Move the legends inside the axes of a narrowed figure to one legend below them.

    Text keeps its size when a figure is narrowed, so a legend that sat in an empty corner of the
    wide panel covers data in the narrow one; below the panels it covers nothing. Entries are
    those the legends showed, in order, without repeats; an entry drawn from an artist of the axes
    keeps that artist (an error bar stays an error bar). The figure grows by the legend's height,
    so the panels keep theirs.
    """
    handles, labels = [], []
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None:
            continue
        artists = dict(zip(*reversed(ax.get_legend_handles_labels()), strict=True))
        for proxy, text in zip(legend.legend_handles, legend.texts, strict=True):
            label = text.get_text()
            if label not in labels:
                handles.append(artists.get(label, proxy))
                labels.append(label)
        legend.remove()
    if not handles:
        return
    legend = fig.legend(handles, labels, loc="outside lower center", ncols=1, frameon=False)
    height = legend.get_window_extent(fig.canvas.get_renderer()).height / fig.dpi
    fig.set_size_inches(fig.get_figwidth(), fig.get_figheight() + height)


def _phone_png(fig: plt.Figure) -> bytes | None:
    """The figure laid out again :data:`PHONE_WIDTH_IN` wide, or None where it already fits a phone.

    A grid with more than one column has its panels stacked in one: panels are the grid cells the
    axes occupy (twin axes share theirs; insets and colorbars follow their parent), in reading
    order, each with its aspect ratio (height/width kept within 0.75–1.25: a phone has height to
    spare, not width). Tick labels hidden by shared axes are shown again, since every panel now
    stands alone. A one-column figure wider than a phone is redrawn at the phone's width with its
    own height ratios (aspect kept within 0.75–1.25 per row): shrunk as an image instead, its
    8 pt text would show at 4–6 pt.
    """
    gridded = [ax for ax in fig.axes if ax.get_subplotspec() is not None]
    grids = {id(ax.get_subplotspec().get_gridspec()) for ax in gridded}
    if len(grids) != 1:
        return None                     # no grid, or nested grids: no general way to re-place them
    grid = gridded[0].get_subplotspec().get_gridspec()
    nrows, ncols = grid.get_geometry()
    if ncols < 2:
        if fig.get_figwidth() <= PHONE_FITS_IN:
            return None
        aspect = fig.get_figheight() / fig.get_figwidth()
        fig.set_size_inches(PHONE_WIDTH_IN, float(np.clip(aspect, 0.75, 1.25 * nrows)) * PHONE_WIDTH_IN)
        _legends_below(fig)
        return _png(fig)
    widths = np.asarray(grid.get_width_ratios() or [1] * ncols, float)
    heights = np.asarray(grid.get_height_ratios() or [1] * nrows, float)
    cells: dict[tuple[int, int, int, int], list[plt.Axes]] = {}
    for ax in gridded:
        spec = ax.get_subplotspec()
        key = (spec.rowspan.start, spec.colspan.start, spec.rowspan.stop, spec.colspan.stop)
        cells.setdefault(key, []).append(ax)
    order = sorted(cells)
    rows = []
    for r0, c0, r1, c1 in order:
        panel_w = fig.get_figwidth() * widths[c0:c1].sum() / widths.sum()
        panel_h = fig.get_figheight() * heights[r0:r1].sum() / heights.sum()
        rows.append(float(np.clip(panel_h / panel_w, 0.75, 1.25)) * PHONE_WIDTH_IN)
    fig.set_size_inches(PHONE_WIDTH_IN, sum(rows))
    column = fig.add_gridspec(len(order), 1, height_ratios=rows)
    for i, key in enumerate(order):
        for ax in cells[key]:
            ax.set_subplotspec(column[i])
            shared_x = len(ax.get_shared_x_axes().get_siblings(ax)) > 1
            shared_y = len(ax.get_shared_y_axes().get_siblings(ax)) > 1
            if shared_x and ax.xaxis.get_label_position() == "bottom":
                ax.tick_params(axis="x", which="both", labelbottom=True)
            if shared_y and ax.yaxis.get_label_position() == "left":
                ax.tick_params(axis="y", which="both", labelleft=True)
    return _png(fig)

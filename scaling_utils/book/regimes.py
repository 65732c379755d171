r"""The four scaling regimes of Bahri et al. on one loss surface: the opening figure of the book.

The surface is the deterministic-equivalent test loss :math:`L(D, P)` of linear random-feature
ridge regression (:func:`scaling_utils.theory.random_features.test_loss`; Maloney, Roberts & Sully's
model with :math:`T = D` samples and :math:`N = P` features) on a latent power-law spectrum
:math:`\lambda_I \propto I^{-(1+\alpha)}`. Nothing is drawn at random. Each regime's exponent is
*measured* on the surface, as the slope of a straight-line fit in log–log coordinates over a
window where that regime holds:

* resolution-limited in data: :math:`L(D, P_1)` for :math:`D \ll P_1`, predicted slope :math:`\alpha`;
* resolution-limited in parameters: :math:`L(D_1, P)` for :math:`P \ll D_1`, predicted :math:`\alpha`;
* variance-limited in data: :math:`L(D, P_0) - L(\infty, P_0)` for :math:`D \gg P_0`, predicted 1;
* variance-limited in parameters: :math:`L(D_0, P) - L(D_0, \infty)` for :math:`P \gg D_0`, predicted 1.

(An infinite resource is evaluated as :data:`INFINITE`, where the theory has converged to its limit.)
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from scaling_utils.book import plotting
from scaling_utils.theory import random_features as rf
from scaling_utils.validation import InputTypeError, check_choice, check_in_range, check_positive_int, require_finite

__all__ = ["INFINITE", "REGIMES", "RegimeSurface", "plot_regimes", "regime_surface"]

#: A training-set size or feature count standing in for infinity (the theory's limit is reached).
INFINITE = 1e13
#: The four regimes, in the order of :attr:`RegimeSurface.exponents`.
REGIMES = ("resolution-limited, data", "resolution-limited, parameters",
           "variance-limited, data", "variance-limited, parameters")


@dataclass(frozen=True)
class RegimeSurface:
    """The loss surface and the four exponents measured on it.

    ``loss[i, j]`` is :math:`L(D_j, P_i)`. ``windows[name]`` is ``(fixed, lo, hi)``: the fixed
    resource and the range of the growing one over which ``exponents[name]`` was fitted.
    """

    data: np.ndarray
    params: np.ndarray
    loss: np.ndarray
    alpha: float
    exponents: dict[str, float]
    windows: dict[str, tuple[float, float, float]]


def _slope(x: np.ndarray, y: np.ndarray) -> float:
    """Minus the least-squares slope of log y against log x."""
    return float(-np.polyfit(np.log(x), np.log(y), 1)[0])


def regime_surface(alpha: float = 0.5, latent_dim: int = 100_000, smallest: float = 10.0,
                   largest: float = 1e4, points: int = 49, ridge: float = 1e-4) -> RegimeSurface:
    r"""The random-feature loss on a log grid of :math:`D, P \in [\text{smallest}, \text{largest}]`.

    ``alpha`` is the spectral exponent (:math:`\lambda_I = I^{-(1+\alpha)}`, ``latent_dim`` = M
    eigenvalues; teacher variance :math:`1/M` per direction, no label noise), ``ridge`` the ridge
    :math:`\gamma` (small: it only removes the ridgeless pole at :math:`D = P`). The windows span
    the first (resolution) or last (variance) 1.5 decades of the grid, with the other resource at
    the opposite end (1.5× inside it), so that :math:`D/P` or :math:`P/D` is at least 20 inside each of them.

    Example
    -------
    >>> s = regime_surface(points=13)
    >>> round(s.exponents["variance-limited, data"], 2)
    1.0
    """
    alpha = check_in_range("alpha", alpha, low=0, low_open=True)
    latent_dim = check_positive_int("latent_dim", latent_dim, minimum=100)
    smallest = check_in_range("smallest", smallest, low=1)
    largest = check_in_range("largest", largest)
    if not largest >= smallest * 1e3:
        raise ValueError(f"largest must be >= 1000 × smallest = {smallest * 1e3:g}, three decades of sizes "
                         f"(got {largest!r})")
    if largest > latent_dim / 5:
        raise ValueError(f"largest must be <= latent_dim / 5 = {latent_dim / 5:g}, or the power law ends "
                         f"inside the grid (got {largest!r})")
    points = check_positive_int("points", points, minimum=9)
    ridge = check_in_range("ridge", ridge, low=0, low_open=True)

    eigenvalues = rf.power_law_spectrum(latent_dim, alpha)
    teacher = 1.0 / latent_dim

    def loss(P, D):
        return rf.test_loss(eigenvalues, teacher, P, D, ridge)

    sizes = np.geomspace(smallest, largest, points)
    surface = loss(sizes[:, None], sizes[None, :])
    low = np.geomspace(smallest, smallest * 10**1.5, 8)
    high = np.geomspace(largest / 10**1.5, largest, 8)
    fixed_low, fixed_high = 2 * smallest, largest / 1.5
    exponents = {
        REGIMES[0]: _slope(low, loss(fixed_high, low)),
        REGIMES[1]: _slope(low, loss(low, fixed_high)),
        REGIMES[2]: _slope(high, loss(fixed_low, high) - loss(fixed_low, INFINITE)),
        REGIMES[3]: _slope(high, loss(high, fixed_low) - loss(INFINITE, fixed_low)),
    }
    windows = {REGIMES[0]: (fixed_high, low[0], low[-1]), REGIMES[1]: (fixed_high, low[0], low[-1]),
               REGIMES[2]: (fixed_low, high[0], high[-1]), REGIMES[3]: (fixed_low, high[0], high[-1])}
    require_finite("the loss surface and its exponents", [*surface.ravel(), *exponents.values()],
                   f"ridge={ridge!r} is too small to remove the pole at D = P")
    return RegimeSurface(sizes, sizes.copy(), surface, alpha, exponents, windows)


def plot_regimes(surface: RegimeSurface, *, phone: bool = False) -> tuple[plt.Figure, plt.Axes]:
    r"""The surface as a map of :math:`\log_{10} L` over (D, P), with one arrow per regime.

    Each arrow lies along its fit window and is labelled with the regime, its law and the
    exponent measured there. The diagonal :math:`D = P` separates the two halves: above it
    parameters are plentiful and data limits the loss, below it the reverse. ``phone=True``
    draws the same map for a phone's column (:data:`~scaling_utils.book.plotting.PHONE_WIDTH_IN`
    wide, colour bar on top, shorter labels), for ``plotting.show(fig, phone=...)``.
    """
    if not isinstance(surface, RegimeSurface):
        raise InputTypeError(f"surface must be a RegimeSurface, as regime_surface returns "
                             f"(got {type(surface).__name__})")
    check_choice("phone", phone, [True, False])
    if phone:
        fig, ax = plotting.new_figure(width=plotting.PHONE_WIDTH_IN, height=3.9)
    else:
        fig, ax = plotting.new_figure(width=6.2, height=4.6)
    D, P = surface.data, surface.params
    log_loss = np.log10(surface.loss)
    mesh = ax.pcolormesh(D, P, log_loss, cmap="cividis", shading="gouraud", rasterized=True)
    levels = np.arange(np.floor(log_loss.min()), np.ceil(log_loss.max()) + 0.01, 0.25)
    ax.contour(D, P, log_loss, levels=levels, colors="white", linewidths=0.5, alpha=0.6)
    ax.plot([D[0], D[-1]], [D[0], D[-1]], ls="--", color="white", lw=1)
    bar = fig.colorbar(mesh, ax=ax, pad=0.02, location="top" if phone else "right", aspect=30 if phone else 20)
    bar.set_label(r"$\log_{10}$ test loss $L$", fontsize=9 if phone else 10)
    bar.ax.tick_params(labelsize=8.5)
    ax.set_xlabel("training-set size $D$")
    ax.set_ylabel("parameters $P$" if phone else "parameters (random features) $P$")
    ax.grid(False)
    ax.tick_params(labelsize=9)

    a = surface.exponents
    style = {"fontsize": 8 if phone else 8.5, "color": "black",
             "bbox": {"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}}
    arrow = {"arrowstyle": "-|>", "color": "black", "lw": 1.5 if phone else 1.8, "mutation_scale": 12 if phone else 14}

    def draw(name: str, horizontal: bool, label: str, where: tuple[float, float], ha: str, va: str) -> None:
        fixed, lo, hi = surface.windows[name]
        start, end = ((lo, fixed), (hi, fixed)) if horizontal else ((fixed, lo), (fixed, hi))
        ax.annotate("", xy=end, xytext=start, arrowprops=arrow)
        ax.text(*where, label, ha=ha, va=va, **style)

    def label(regime: str, law: str) -> str:
        return f"{regime}\n{law}"

    top, left = surface.windows[REGIMES[0]][0], surface.windows[REGIMES[3]][0]
    low_end = surface.windows[REGIMES[3]][1]
    in_data, in_params = ("", "") if phone else (" in data", " in parameters")
    draw(REGIMES[0], True, label(f"resolution-limited{in_data}", f"$L \\propto D^{{-\\alpha_D}}$, "
         f"$\\alpha_D = {a[REGIMES[0]]:.2f}$"), (left * 1.25, top / 1.3), "left", "top")
    draw(REGIMES[3], False, label(f"variance-limited{in_params}",
                                  f"$L - L_{{P\\to\\infty}} \\propto P^{{-{a[REGIMES[3]]:.2f}}}$"),
         (left * 1.25, low_end * 1.2), "left", "bottom")
    draw(REGIMES[1], False, label(f"resolution-limited{in_params}", f"$L \\propto P^{{-\\alpha_P}}$, "
         f"$\\alpha_P = {a[REGIMES[1]]:.2f}$"), (top / 1.25, low_end / 1.2), "right", "top")
    draw(REGIMES[2], True, label(f"variance-limited{in_data}",
                                 f"$L - L_{{D\\to\\infty}} \\propto D^{{-{a[REGIMES[2]]:.2f}}}$"),
         (top / 1.25, left * 1.3), "right", "bottom")
    if not phone:
        middle = np.sqrt(D[0] * D[-1])
        ax.text(middle / 2.2, middle / 1.1, "$D = P$", color="white", fontsize=9, rotation=37, ha="center",
                va="center")
    ax.set_xlim(D[0], D[-1])
    ax.set_ylim(P[0], P[-1])
    return fig, ax

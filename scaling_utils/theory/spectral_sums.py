r"""Spectral sums of a fixed spectrum, compressed into piecewise Chebyshev interpolants in log κ.

Every theory curve of the book is a handful of sums over a spectrum :math:`\lambda_1, \dots, \lambda_M`
evaluated at an effective ridge κ,

.. math:: S^{(w)}_1 = \sum_I w_I\, r_I, \quad S^{(w)}_2 = \sum_I w_I\, r_I^2, \quad
          S^{(w)}_\times = \sum_I w_I\, r_I (1 - r_I), \quad S^{(w)}_\perp = \sum_I w_I\, (1 - r_I)^2,
          \qquad r_I = \frac{\lambda_I}{\lambda_I + \kappa},

for a few weight vectors :math:`w` (all ones gives the degrees of freedom :math:`\mathrm{Df}_1`,
:math:`\mathrm{Df}_2` and their difference; teacher variances or target powers give the loss's
numerator, :math:`S_\perp` the bias of kernel regression). :math:`S_\times = S_1 - S_2` and
:math:`S_\perp` are summed directly, with :math:`1 - r_I = \kappa/(\lambda_I + \kappa)`, so they carry no
cancellation where :math:`r_I \approx 1`; so is :math:`\sum_I w_I (1 - r_I) = S_\times + S_\perp`, the
complement :math:`\sum_I w_I - S_1` without its cancellation.

Evaluated directly, each κ costs a pass over all M eigenvalues, and a root solve needs several
κ per grid point. But as functions of :math:`t = \log\kappa` these sums are analytic in the strip
:math:`|\mathrm{Im}\, t| < \pi` (each term has its poles at :math:`\kappa = -\lambda_I`, i.e.
:math:`t = \log\lambda_I \pm i\pi`), whatever the spectrum. A Chebyshev interpolant of degree
:math:`n` on a panel of width :math:`h` in t therefore converges like :math:`\rho^{-n}`, with
:math:`\rho` fixed by the largest Bernstein ellipse inside the strip: for :math:`h = 2`
(:data:`PANEL_WIDTH`, :math:`e^2 \approx 7.4` in κ) and :math:`n = 20` (:data:`DEGREE`) the
error bound is of order :math:`10^{-14}` of the sum's size. :class:`SpectralSums` lays a fixed
lattice of such panels over log κ, computes the sums exactly at the panel edges (to bracket
roots) and at the Chebyshev–Lobatto nodes of the panels actually needed, checks each built
panel against a direct evaluation off its nodes, and then evaluates any κ in O(n) operations
instead of O(M). A grid of G points needs a few hundred exact passes in all instead of G times
the number of solver iterations.
"""

from __future__ import annotations

import numpy as np

from ..validation import InputTypeError, as_float_array, check_choice, check_in_range
from .roots import solve_bracketed

__all__ = ["DEGREE", "N_SUMS", "PANEL_WIDTH", "SpectralSums", "df_pair", "exact_sums", "gap", "solve_monotone"]

PANEL_WIDTH = 2.0     # width of one panel in log κ
DEGREE = 20           # polynomial degree per panel (DEGREE + 1 Chebyshev–Lobatto nodes)
CHECK_RTOL = 1e-11    # a built panel must reproduce a direct evaluation off its nodes to this
N_SUMS = 4            # S_1, S_2, S_×, S_⊥ per weight vector
_CHUNK_ELEMENTS = 2**21

# Chebyshev–Lobatto nodes on [-1, 1] and their barycentric weights (-1)^j, halved at the ends.
_NODES = np.cos(np.pi * np.arange(DEGREE + 1) / DEGREE)
_WEIGHTS = (-1.0) ** np.arange(DEGREE + 1)
_WEIGHTS[[0, -1]] *= 0.5
# Where each built panel is checked: between two nodes near the middle, where no node sits.
_CHECK_POINT = 0.5 * (_NODES[DEGREE // 2] + _NODES[DEGREE // 2 + 1])


def df_pair(sums: np.ndarray) -> np.ndarray:
    """(..., 2): S_1 and S_× + S_⊥ (= Σ w(1 − r)) of the first weight vector, from (..., 4, k) sums."""
    sums = as_float_array("sums", sums)
    if sums.ndim < 2 or sums.shape[-2] != N_SUMS or sums.shape[-1] == 0:
        raise ValueError(f"sums must have shape (..., {N_SUMS}, k), k >= 1 (got {sums.shape})")
    return _df_pair(sums)


def _df_pair(sums: np.ndarray) -> np.ndarray:
    return np.stack([sums[..., 0, 0], sums[..., 2, 0] + sums[..., 3, 0]], axis=-1)


def gap(x: np.ndarray, df: np.ndarray, total: float) -> np.ndarray:
    r""":math:`x - S_1` without cancellation, from ``df`` = (S_1, Σ w(1 − r)) and ``total`` = Σ w.

    Directly where x < total/2; as :math:`(x - \textstyle\sum w) + \sum w(1 - r)` otherwise, so
    that it stays accurate where :math:`S_1 \to x \approx \sum w` (for the degrees of freedom:
    N or T near the number of modes M, at small κ).
    """
    x, df = as_float_array("x", x), as_float_array("df", df)
    total = check_in_range("total", total)
    if df.ndim == 0 or df.shape[-1] != 2:
        raise ValueError(f"df must have shape (..., 2) (got {df.shape})")
    try:
        return _gap(x, df, total)
    except ValueError as exc:
        raise ValueError(f"x {x.shape} and df {df.shape[:-1]} must broadcast") from exc


def _gap(x: np.ndarray, df: np.ndarray, total: float) -> np.ndarray:
    return np.where(x < 0.5 * total, x - df[..., 0], (x - total) + df[..., 1])


def _spectrum_and_weights(eigenvalues: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lam = as_float_array("eigenvalues", eigenvalues, ndim=1, positive=True)
    weights = as_float_array("weights", weights, ndim=2, nonnegative=True)
    if lam.size == 0 or weights.shape[0] == 0 or weights.shape[1] != lam.size:
        raise ValueError(f"weights must have shape (k, M) for M = {lam.size} eigenvalues, both at least 1 "
                         f"(got {weights.shape})")
    if not np.all(np.isfinite(weights.sum(axis=1))):
        raise ValueError("weights are too large: their sums overflow")
    return lam, weights


def exact_sums(eigenvalues: np.ndarray, weights: np.ndarray, kappa: np.ndarray) -> np.ndarray:
    r"""Direct evaluation: for flat ``kappa`` (≥ 0) and (k, M) ``weights``, an array (len(kappa), 4, k)
    with :math:`S_1, S_2, S_\times, S_\perp` for each weight vector (module docstring)."""
    lam, weights = _spectrum_and_weights(eigenvalues, weights)
    kappa = as_float_array("kappa", kappa, nonnegative=True).ravel()
    return _exact_sums(lam, weights, kappa)


def _exact_sums(eigenvalues: np.ndarray, weights: np.ndarray, kappa: np.ndarray) -> np.ndarray:
    lam = eigenvalues
    out = np.empty((kappa.size, N_SUMS, weights.shape[0]))
    step = max(1, _CHUNK_ELEMENTS // lam.size)
    for start in range(0, kappa.size, step):
        k = kappa[start:start + step, None]
        r, s = lam / (lam + k), k / (lam + k)                          # s = 1 − r, without cancellation
        out[start:start + step, 0] = r @ weights.T
        out[start:start + step, 1] = (r * r) @ weights.T
        out[start:start + step, 2] = (r * s) @ weights.T
        out[start:start + step, 3] = (s * s) @ weights.T
    return out


class SpectralSums:
    r"""The sums of the module docstring for one spectrum and a few weight vectors, on demand at any κ ≥ 0.

    Parameters
    ----------
    eigenvalues : (M,) positive eigenvalues.
    weights : (k, M) non-negative weight vectors.
    kappa_min, kappa_max : the range of κ > 0 that will be asked for; the panel lattice covers it.

    ``edges`` and ``edge_sums`` are the exact sums at the lattice edges (for bracketing roots);
    :meth:`__call__` interpolates, building the panels it needs on first use. κ = 0 is exact.
    """

    def __init__(self, eigenvalues: np.ndarray, weights: np.ndarray, kappa_min: float, kappa_max: float):
        eigenvalues, weights = _spectrum_and_weights(eigenvalues, weights)
        kappa_min = check_in_range("kappa_min", kappa_min, low=0, low_open=True)
        kappa_max = check_in_range("kappa_max", kappa_max, low=0, low_open=True)
        if kappa_min > kappa_max:
            raise ValueError(f"kappa_min must be <= kappa_max (got {kappa_min:g} and {kappa_max:g})")
        self.eigenvalues, self.weights = eigenvalues, weights
        first = int(np.floor(np.log(kappa_min) / PANEL_WIDTH))
        last = max(first + 1, int(np.ceil(np.log(kappa_max) / PANEL_WIDTH)))
        self._first = first
        self.edges = np.exp(PANEL_WIDTH * np.arange(first, last + 1))
        self.edge_sums = _exact_sums(eigenvalues, weights, self.edges)
        self._values = np.full((last - first, DEGREE + 1, N_SUMS, weights.shape[0]), np.nan)
        self._df_values = np.full((last - first, DEGREE + 1, 2), np.nan)       # df_pair of _values
        self._built = np.zeros(last - first, bool)

    @property
    def n_panels_built(self) -> int:
        return int(self._built.sum())

    def panel_of(self, kappa: np.ndarray) -> np.ndarray:
        """Index of the lattice panel holding each κ > 0."""
        return self._panel_of(as_float_array("kappa", kappa, positive=True))

    def _panel_of(self, kappa: np.ndarray) -> np.ndarray:
        t = np.log(kappa) / PANEL_WIDTH - self._first
        if np.any((t < -1e-9) | (t > self._built.size + 1e-9)):
            raise ValueError("kappa outside the range this SpectralSums was built for")
        return np.clip(np.floor(t).astype(int), 0, self._built.size - 1)

    def _build(self, panels: np.ndarray) -> None:
        panels = np.unique(panels[~self._built[panels]])
        if panels.size == 0:
            return
        t0 = PANEL_WIDTH * (panels + self._first)
        t = t0[:, None] + 0.5 * PANEL_WIDTH * (1.0 + _NODES)
        sums = _exact_sums(self.eigenvalues, self.weights, np.exp(t).ravel())
        self._values[panels] = sums.reshape(panels.size, DEGREE + 1, *sums.shape[1:])
        self._df_values[panels] = _df_pair(self._values[panels])
        self._built[panels] = True
        # Check each new panel off its nodes against a direct evaluation.
        kappa = np.exp(t0 + 0.5 * PANEL_WIDTH * (1.0 + _CHECK_POINT))
        got, want = self._interpolate(kappa, panels), _exact_sums(self.eigenvalues, self.weights, kappa)
        scale = np.abs(self._values[panels]).max(axis=1)
        err = float(np.max(np.abs(got - want) / np.maximum(scale, np.finfo(float).tiny)))
        if not err <= CHECK_RTOL:   # cannot happen for a positive spectrum (module docstring); NaN fails too
            raise ArithmeticError(f"spectral-sum interpolant off by {err:.1e} (relative): spectrum too extreme")

    def _interpolate(self, kappa: np.ndarray, panels: np.ndarray, df_only: bool = False) -> np.ndarray:
        t0 = PANEL_WIDTH * (panels + self._first)
        s = 2.0 * (np.log(kappa) - t0) / PANEL_WIDTH - 1.0
        diff = s[:, None] - _NODES
        hit = diff == 0
        q = _WEIGHTS / np.where(hit, 1.0, diff)
        q = np.where(hit.any(axis=1, keepdims=True), hit.astype(float), q)   # exactly on a node
        q /= q.sum(axis=1, keepdims=True)
        if df_only:
            return np.einsum("pj,pjs->ps", q, self._df_values[panels])
        return np.einsum("pj,pjsk->psk", q, self._values[panels])

    def __call__(self, kappa: np.ndarray, panels: np.ndarray | None = None, *,
                 df_only: bool = False) -> np.ndarray:
        r"""Sums at flat ``kappa`` ≥ 0: an array (len(kappa), 4, k) like :func:`exact_sums`.

        ``panels`` (optional) names the panel to interpolate on for each κ, as returned by
        :meth:`panel_of` (a κ on a shared edge may use either neighbour); negative entries are
        looked up. κ = 0 is evaluated exactly. ``df_only`` returns only :math:`S_1` and its
        complement :math:`S_\times + S_\perp = \sum_I w_I(1 - r_I)` of the first weight vector,
        shape (len(kappa), 2): what a root solve for the degrees of freedom needs.
        """
        shape = (kappa.size, 2) if df_only else (kappa.size, N_SUMS, self.weights.shape[0])
        out = np.empty(shape)
        zero = kappa == 0
        if zero.any():
            at_zero = _exact_sums(self.eigenvalues, self.weights, np.zeros(1))[0]
            out[zero] = _df_pair(at_zero) if df_only else at_zero
        if not zero.all():
            k = kappa[~zero]
            p = self._panel_of(k) if panels is None else np.asarray(panels)[~zero]
            if panels is not None and np.any(p < 0):
                p = np.where(p < 0, self._panel_of(k), p)
            self._build(p)
            out[~zero] = self._interpolate(k, p, df_only)
        return out


def solve_monotone(func, sums: SpectralSums, lo: np.ndarray, hi: np.ndarray,
                   sign_lo: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Root of a monotone ``func(kappa, df, sel)`` on per-point brackets [lo, hi], and its panel.

    ``df`` is (len(kappa), 2): :math:`S_1` of the first weight vector at ``kappa`` and its
    complement :math:`\sum_I w_I(1 - r_I)` (see :meth:`SpectralSums.__call__`); ``sel`` the indices
    of the grid points evaluated (func gathers its per-point parameters with it).

    The brackets are first narrowed to one panel of the :class:`SpectralSums` lattice with the
    exact sums at its edges, then solved on that panel's interpolant
    (:func:`scaling_utils.theory.roots.solve_bracketed`, vectorized). ``sign_lo`` is the sign of func
    at the lower ends; where rounding puts the root at a bracket end, that end is returned.
    """
    if not callable(func):
        raise InputTypeError(f"func must be callable (got {func!r:.80})")
    if not isinstance(sums, SpectralSums):
        raise InputTypeError(f"sums must be a SpectralSums (got {type(sums).__name__})")
    lo = as_float_array("lo", lo, ndim=1, positive=True)
    hi = as_float_array("hi", hi, ndim=1, positive=True)
    if lo.shape != hi.shape or np.any(lo > hi):
        raise ValueError(f"lo and hi must be brackets of one shape with lo <= hi (got {lo.shape}, {hi.shape})")
    check_choice("sign_lo", sign_lo, [1.0, -1.0])
    everything = np.arange(lo.size)
    # func at every lattice edge, masked to the bracket: -sign_lo·∞ above hi, sign_lo·∞ below lo
    e = sums.edges
    f_edges = func(np.tile(e, lo.size), np.tile(_df_pair(sums.edge_sums), (lo.size, 1)),
                   np.repeat(everything, e.size)).reshape(lo.size, e.size) * sign_lo
    f_edges = np.where(e < lo[:, None], np.inf, np.where(e > hi[:, None], -np.inf, f_edges))
    j = np.count_nonzero(f_edges > 0, axis=1)          # func has the sign of lo below edge j
    lo = np.where(j > 0, np.maximum(lo, e[np.maximum(j - 1, 0)]), lo)
    hi = np.where(j < e.size, np.minimum(hi, e[np.minimum(j, e.size - 1)]), hi)
    panels = sums._panel_of(np.sqrt(lo) * np.sqrt(hi))   # a product could under/overflow
    f_lo = func(lo, sums(lo, panels, df_only=True), everything) * sign_lo
    f_hi = func(hi, sums(hi, panels, df_only=True), everything) * sign_lo
    root = np.where(f_lo <= 0, lo, hi)                  # the bracket ends, where the sign test fails
    inner = np.flatnonzero((f_lo > 0) & (f_hi < 0))
    if inner.size:
        p = panels[inner]
        root[inner] = solve_bracketed(lambda k: func(k, sums(k, p, df_only=True), inner),
                                      lo[inner], hi[inner], rtol=1e-13)
    return root, panels

r"""Where a tuned loss curve has its minimum, with an interval over seeds.

At a fixed budget the loss, tuned over a hyperparameter grid (a ridge), is a smooth curve of a
split variable x (e.g. :math:`\log_2(N/\sqrt{NT})`) with a minimum. Its location is estimated by
the vertex of the least-squares parabola through the ``points`` grid values of :math:`\log L`
around the grid minimum; the interval is the Student-t jackknife over seeds
(:func:`~scaling_utils.measurement.fitting.jackknife_interval`): each replicate leaves one seed out,
re-tunes the hyperparameter on the remaining seeds' mean, and locates the vertex again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..validation import as_float_array, check_in_range, check_positive_int
from .fitting import jackknife_interval

__all__ = ["Optimum", "optimum_location", "parabola_minimum", "parabola_vertex"]


def parabola_vertex(x: Any, y: Any, *, points: int = 5) -> float:
    """Vertex (in x) of the least-squares parabola through the ``points`` values of y around its minimum.

    The window is centred on the smallest y and shifted inwards at the ends of the grid; the
    parabola must open upwards.

    Example
    -------
    >>> x = np.linspace(-2, 2, 9)
    >>> round(parabola_vertex(x, (x - 0.3) ** 2), 12)
    0.3
    """
    return parabola_minimum(x, y, points=points)[0]


def parabola_minimum(x: Any, y: Any, *, points: int = 5) -> tuple[float, float]:
    """The vertex (x, y) of the least-squares parabola through the ``points`` values of y around its minimum.

    Same window as :func:`parabola_vertex`; the second value is the parabola's minimum, a grid
    minimum refined between grid points.

    Example
    -------
    >>> x = np.linspace(-2, 2, 9)
    >>> [round(v, 12) for v in parabola_minimum(x, (x - 0.3) ** 2 + 1)]
    [0.3, 1.0]
    """
    x = as_float_array("x", x, ndim=1)
    y = as_float_array("y", y, ndim=1)
    points = check_positive_int("points", points, minimum=3)
    if x.size != y.size or x.size < points:
        raise ValueError(f"x and y must have the same length, at least points={points} (got {x.size}, {y.size})")
    if np.any(np.diff(x) <= 0):
        raise ValueError("x must be strictly increasing")
    start = int(np.clip(np.argmin(y) - points // 2, 0, x.size - points))
    c = np.polyfit(x[start:start + points], y[start:start + points], 2)
    if c[0] <= 0:
        raise ValueError("the values around the minimum are not convex: no parabola vertex")
    vertex = -c[1] / (2 * c[0])
    return float(vertex), float(np.polyval(c, vertex))


@dataclass(frozen=True)
class Optimum:
    """The location of a tuned curve's minimum: ``estimate``, its ``interval`` over seeds, the tuned
    seed-mean ``curve`` (one value per x) and the number of ``seeds``."""

    estimate: float
    interval: tuple[float, float]
    curve: np.ndarray
    seeds: int


def optimum_location(x: Any, losses: Any, *, points: int = 5, level: float = 0.95) -> Optimum:
    r"""Vertex of the tuned log-loss curve and its jackknife interval over seeds.

    ``losses`` has shape (seeds, K) or (seeds, K, R): R values of a hyperparameter per point, tuned
    by taking the smallest *seed-mean* loss. The curve is :math:`\log\min_r \bar L_{k r}` and its
    minimum's location :func:`parabola_vertex`; the jackknife repeats tuning and vertex with one
    seed left out (module docstring).

    Example
    -------
    >>> rng = np.random.default_rng(0)
    >>> x = np.linspace(-2, 2, 9)
    >>> losses = np.exp((x - 0.5) ** 2)[None, :] * (1 + 0.01 * rng.standard_normal((8, 9)))
    >>> opt = optimum_location(x, losses)
    >>> bool(opt.interval[0] < 0.5 < opt.interval[1])
    True
    """
    x = as_float_array("x", x, ndim=1)
    losses = as_float_array("losses", losses, ndim=(2, 3), positive=True)
    if losses.shape[1] != x.size:
        raise ValueError(f"losses must have one column per value of x ({x.size}), got shape {losses.shape}")
    seeds = losses.shape[0]
    if seeds < 2:
        raise ValueError(f"losses must hold at least 2 seeds (got {seeds})")
    level = check_in_range("level", level, low=0, high=1, low_open=True, high_open=True)
    if losses.ndim == 2:
        losses = losses[..., None]

    def tuned(rows: np.ndarray) -> np.ndarray:
        return np.log(rows.mean(0).min(axis=-1))

    curve = tuned(losses)
    estimate = parabola_vertex(x, curve, points=points)
    loo = [parabola_vertex(x, tuned(np.delete(losses, s, axis=0)), points=points) for s in range(seeds)]
    return Optimum(estimate=estimate, interval=jackknife_interval(estimate, loo, level), curve=np.exp(curve),
                   seeds=seeds)

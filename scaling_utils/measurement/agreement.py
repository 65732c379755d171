r"""Theory against simulation, point by point: the worst point in its own standard errors.

A theory curve :math:`t_k` (no fitted constant) is compared with the seed mean :math:`\bar L_k` at
every size :math:`k = 1 \dots K`. Each point is judged against its own standard error
:math:`\mathrm{se}_k` (over seeds), after a stated relative allowance :math:`a_k` for a known
finite-size correction of the theory (zero where the theory is exact):

.. math:: z_k = \frac{\max\bigl(0,\ |\bar L_k - t_k| - a_k t_k\bigr)}{\mathrm{se}_k}.

The theory passes if the worst point satisfies :math:`\max_k z_k \le t_{S-1}\bigl(1 - (1 - \ell)/2K\bigr)`,
the two-sided Student-t quantile Bonferroni-corrected over the K points (level :math:`\ell`): each
point is a mean over the same S seeds, and the correction holds whatever the correlation between
points. An average over points is never reported alone: it hides the worst one.

The power of the test is stated by an alternative curve :math:`A_k` (the most plausible wrong
theory): the worst :math:`z` the data would show if :math:`A_k` were true. The noise of a loss is
multiplicative to first order, so its standard error under the alternative is scaled with it,
:math:`\mathrm{se}_k A_k/\bar L_k`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from ..validation import as_float_array, check_in_range

__all__ = ["Agreement", "pointwise_agreement"]


@dataclass(frozen=True)
class Agreement:
    """The point-by-point comparison of a theory with a seed mean.

    Attributes
    ----------
    z : (K,) standard errors by which each point misses the theory beyond its allowance (≥ 0).
    worst : max z; worst_index : the point where it is reached.
    critical : the Bonferroni-corrected two-sided Student-t quantile the worst z must not exceed.
    alternative : the worst z the data would show if the alternative curve were true (NaN without one).
    ratio : (K,) seed mean / theory.
    seeds, level : the number of seeds and the test's level.
    """

    z: np.ndarray
    worst: float
    worst_index: int
    critical: float
    alternative: float
    ratio: np.ndarray
    seeds: int
    level: float

    @property
    def holds(self) -> bool:
        """Whether every point agrees with the theory within the Bonferroni band."""
        return bool(self.worst <= self.critical)


def pointwise_agreement(losses: Any, theory: Any, *, allowance: Any = 0.0, alternative: Any = None,
                        level: float = 0.95) -> Agreement:
    r"""Compare the seed mean of ``losses`` with ``theory`` at every point; see the module docstring.

    Parameters
    ----------
    losses : (seeds, K) simulated values, one row per seed (at least 2 seeds).
    theory : (K,) the prediction, positive.
    allowance : relative allowance :math:`a_k \ge 0` for the theory's finite-size correction, a
        number or (K,); 0 where the theory is exact.
    alternative : (K,) the curve of the most plausible wrong theory, positive, or None.
    level : the test's level, in (0, 1).

    Returns
    -------
    Agreement

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> losses = 2.0 * (1 + 0.1 * rng.standard_normal((32, 5)))
    >>> a = pointwise_agreement(losses, np.full(5, 2.0), alternative=np.full(5, 4.0))
    >>> a.holds, a.alternative > a.critical
    (True, True)
    """
    losses = as_float_array("losses", losses, ndim=2)
    seeds, k = losses.shape
    if seeds < 2:
        raise ValueError(f"losses must hold at least 2 seeds (rows) for standard errors (got {seeds})")
    theory = as_float_array("theory", theory, ndim=1, positive=True)
    if theory.size != k:
        raise ValueError(f"theory must have one value per column of losses ({k}), got {theory.size}")
    allowance = as_float_array("allowance", allowance, ndim=(0, 1), nonnegative=True)
    if allowance.ndim == 1 and allowance.size != k:
        raise ValueError(f"allowance must be a number or one value per column of losses ({k}), got {allowance.size}")
    allowance = np.broadcast_to(allowance, (k,))
    level = check_in_range("level", level, low=0, high=1, low_open=True, high_open=True)
    mean = losses.mean(0)
    se = losses.std(0, ddof=1) / np.sqrt(seeds)
    if np.any(se <= 0):
        raise ValueError("losses must vary over seeds at every point (a standard error of 0 cannot judge it)")
    z = np.maximum(0.0, np.abs(mean - theory) - allowance * theory) / se
    critical = float(stats.t.ppf(1 - (1 - level) / (2 * k), seeds - 1))
    alt = float("nan")
    if alternative is not None:
        alternative = as_float_array("alternative", alternative, ndim=1, positive=True)
        if alternative.size != k:
            raise ValueError(f"alternative must have one value per column of losses ({k}), got {alternative.size}")
        if np.any(mean <= 0):
            raise ValueError("the seed mean must be positive to scale its standard error to the alternative")
        alt = float(np.max(np.maximum(0.0, np.abs(alternative - theory) - allowance * theory)
                           / (se * alternative / mean)))
    worst = int(np.argmax(z))
    return Agreement(z=z, worst=float(z[worst]), worst_index=worst, critical=critical, alternative=alt,
                     ratio=mean / theory, seeds=seeds, level=level)

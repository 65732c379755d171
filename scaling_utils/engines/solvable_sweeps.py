"""Grid points of the solvable model for :func:`~scaling_utils.engines.sweep.run_sweep` (cached, parallel).

Each function is one grid point — one seed of a simulation, or one pool of random features —
named at module level so that workers and the cache can find it. Every model here is the power-law
latent model :math:`\\lambda_I = I^{-(1+\\alpha)}`, teacher variances :math:`\\sigma_w^2/M`
(:mod:`scaling_utils.engines.solvable`). Arrays come back inside one record per point;
:func:`stack_losses` stacks them over seeds.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..theory.random_features import power_law_spectrum
from ..validation import MAX_INT, InputTypeError, check_in_range, check_positive_int, check_seed, check_sizes
from .solvable import feature_eigensystem, simulate_losses

__all__ = ["budget_point", "eigensystem_point", "losses_point", "stack_losses", "unit_preactivation"]


def unit_preactivation(M: int, alpha: float) -> float:
    r""":math:`\\sigma_u^2 = M/\\sum_I\\lambda_I`: the feature weights' variance scale that gives every
    pre-activation :math:`u^\\top x` unit variance on average over u."""
    return float(M / power_law_spectrum(M, alpha).sum())


def losses_point(*, M: int, alpha: float, n_features: Any, n_samples: Any, ridges: Any, seed: int,
                 name: str = "linear", sigma_u2: float | None = None, noise: float = 0.0, teachers: int = 16,
                 latent: str = "gaussian", latent_df: float = 5.0, sigma_w2: float = 1.0) -> dict[str, Any]:
    """One seed of :func:`~scaling_utils.engines.solvable.simulate_losses` on the power-law model.

    ``sigma_u2`` None means :func:`unit_preactivation`. Returns ``{"seed", "losses"}`` with losses of
    shape (len(n_features), len(n_samples), len(ridges)).
    """
    sigma_w2 = check_in_range("sigma_w2", sigma_w2, low=0)
    lam = power_law_spectrum(M, alpha)
    s2 = unit_preactivation(M, alpha) if sigma_u2 is None else sigma_u2
    losses = simulate_losses(lam, sigma_w2 / M, n_features, n_samples, ridges, name=name, seeds=1, seed=seed,
                             sigma_u2=s2, noise=noise, teachers=teachers, latent=latent,
                             latent_df=latent_df)[0]
    return {"seed": seed, "losses": losses}


def budget_point(*, M: int, alpha: float, budget: float, n_features: Any, ridges: Any, seed: int,
                 noise: float = 0.0, teachers: int = 16, sigma_w2: float = 1.0) -> dict[str, Any]:
    """One seed of linear-feature losses at a fixed budget N·T: for each N, T = round(budget/N).

    Each split is its own draw (seed ``[seed, k]`` for the k-th N). Returns ``{"seed", "losses"}``
    with losses of shape (len(n_features), len(ridges)).
    """
    budget = check_in_range("budget", budget, low=0, low_open=True)
    n_features = check_sizes("n_features", n_features).tolist()
    if round(budget / n_features[-1]) < 1 or budget / n_features[0] >= MAX_INT:
        raise ValueError(f"budget must give every N between 1 and 2^53 samples, T = round(budget/N): budget in "
                         f"[{n_features[-1] / 2:g}, {MAX_INT * n_features[0]:g}) for these N (got {budget!r})")
    seed = check_seed("seed", seed)
    sigma_w2 = check_in_range("sigma_w2", sigma_w2, low=0)
    lam = power_law_spectrum(M, alpha)
    rows = [simulate_losses(lam, sigma_w2 / M, [int(n)], [round(budget / n)], ridges, seeds=1,
                            seed=seed * 1000 + k, noise=noise, teachers=teachers)[0, 0, 0]
            for k, n in enumerate(n_features)]
    return {"seed": seed, "losses": np.array(rows)}


def eigensystem_point(*, M: int, alpha: float, name: str, n_pool: int, seed: int,
                      sigma_u2: float | None = None, sigma_w2: float = 1.0) -> dict[str, Any]:
    """:func:`~scaling_utils.engines.solvable.feature_eigensystem` of the power-law model, as one record."""
    sigma_w2 = check_in_range("sigma_w2", sigma_w2, low=0)
    lam = power_law_spectrum(M, alpha)
    s2 = unit_preactivation(M, alpha) if sigma_u2 is None else sigma_u2
    es = feature_eigensystem(lam, sigma_w2 / M, name, n_pool, sigma_u2=s2, seed=seed)
    return {"eigenvalues": es.eigenvalues, "teacher_power": es.teacher_power, "odd": es.odd,
            "residual": es.residual}


def stack_losses(table: pd.DataFrame, seeds: int) -> np.ndarray:
    """The ``losses`` of a sweep table, stacked in seed order: shape (seeds, ...).

    Raises ValueError unless the table holds exactly ``seeds`` distinct seeds.
    """
    seeds = check_positive_int("seeds", seeds)
    if not isinstance(table, pd.DataFrame):
        raise InputTypeError(f"table must be a DataFrame, as run_sweep returns (got {type(table).__name__})")
    if "losses" not in table or "seed" not in table:
        raise ValueError("table must have the columns 'seed' and 'losses' (a sweep of losses_point or budget_point)")
    ordered = table.sort_values("seed")
    if ordered["seed"].nunique() != seeds or len(ordered) != seeds:
        raise ValueError(f"table must hold {seeds} distinct seeds (got {ordered['seed'].tolist()})")
    return np.stack(ordered["losses"].to_list())

"""Running parameter grids: locally with joblib or on a Dask cluster, cached on disk.

A sweep maps one experiment function over a grid of parameter dicts and returns a tidy table,
one row per grid point (and per seed, if the experiment returns several rows)::

    table = run_sweep(experiment, [{"n": n, "seed": s} for n in sizes for s in range(8)])

* **Parallel.** Grid points run through joblib (``n_jobs``, default all cores). Given a Dask
  scheduler address — the ``scheduler`` argument, or the environment variable
  ``SCALING_UTILS_DASK_SCHEDULER`` — the same points run on that Dask cluster instead
  (``distributed``). Results are identical: each point's randomness comes only from its own
  parameters (its seed), never from the worker it lands on.
* **Cached.** Each point's result is stored with ``joblib.Memory`` under
  ``<book root>/_build/.sweep-cache`` (or ``$SCALING_UTILS_CACHE_DIR``), keyed on the
  experiment's qualified name, its parameters and :func:`source_hash` — the hash of every
  source file of this package. A prose edit re-runs nothing; any change to the package's code
  invalidates every cached result, so a cache can never serve numbers from older code.
  ``cache=False`` (or ``SCALING_UTILS_CACHE=0``) turns caching off.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["SCHEDULER_ENV", "cache_dir", "run_sweep", "source_hash"]

SCHEDULER_ENV = "SCALING_UTILS_DASK_SCHEDULER"
CACHE_ENV = "SCALING_UTILS_CACHE_DIR"
PACKAGE = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def _hash_of_sources() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def source_hash() -> str:
    """Hash of every ``.py`` file of ``scaling_utils`` (computed once per process)."""
    return _hash_of_sources()


def cache_dir() -> Path:
    """``$SCALING_UTILS_CACHE_DIR``, else ``<book root>/_build/.sweep-cache``, else ``./.sweep-cache``."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    root = PACKAGE.parent
    return root / "_build" / ".sweep-cache" if (root / "_config.yml").exists() else Path.cwd() / ".sweep-cache"


def _call(func: Callable[..., Any], params: Mapping[str, Any], code_version: str) -> Any:
    """One grid point. ``code_version`` is unused here: it is part of the cache key."""
    return func(**params)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | bytes | bool | int | float | np.integer | np.floating)


def _rows(params: Mapping[str, Any], result: Any) -> list[dict[str, Any]]:
    if isinstance(result, pd.DataFrame):
        records = result.to_dict("records")
    elif isinstance(result, Mapping):
        records = [dict(result)]
    elif isinstance(result, Iterable) and not isinstance(result, str | bytes):
        records = [dict(r) for r in result]
    else:
        raise ValueError(f"an experiment must return a dict, a list of dicts or a DataFrame "
                         f"(got {type(result).__name__})")
    columns = {k: v for k, v in params.items() if _is_scalar(v)}
    return [{**columns, **r} for r in records]


def run_sweep(func: Callable[..., Any], grid: Iterable[Mapping[str, Any]], *, n_jobs: int = -1,
              scheduler: str | None = None, cache: bool | None = None, verbose: int = 0) -> pd.DataFrame:
    """Evaluate ``func(**params)`` for every ``params`` in ``grid``; return a tidy table.

    Parameters
    ----------
    func : a module-level function (so that workers and the cache can find it) returning a dict of
        measures, a list of such dicts, or a DataFrame.
    grid : parameter dicts; their keys become columns of the table.
    n_jobs : joblib workers for a local run (-1: all cores; 1: in-process, no pickling).
    scheduler : a Dask scheduler address (e.g. ``"tcp://127.0.0.1:8786"``); default
        ``$SCALING_UTILS_DASK_SCHEDULER``; None runs locally.
    cache : cache results on disk (default on unless ``SCALING_UTILS_CACHE=0``).
    verbose : joblib progress messages (10 prints one line per completed batch).

    Returns
    -------
    DataFrame with one row per grid point and returned record: the point's scalar parameters
    first (arrays and objects are part of the cache key but not columns), then the measures; a
    measure named like a parameter (say, a per-seed ``seed``) takes precedence.
    """
    import joblib

    grid = [dict(p) for p in grid]
    if not grid:
        raise ValueError("grid must contain at least one parameter dict")
    if not callable(func) or getattr(func, "__name__", "<lambda>") == "<lambda>":
        raise ValueError("func must be a named, module-level function")
    if cache is None:
        cache = os.environ.get("SCALING_UTILS_CACHE", "1") != "0"
    call = joblib.Memory(cache_dir(), verbose=0).cache(_call) if cache else _call
    version = source_hash()
    scheduler = scheduler or os.environ.get(SCHEDULER_ENV) or None
    tasks = (joblib.delayed(call)(func, p, version) for p in grid)
    if scheduler:
        from distributed import Client

        with Client(scheduler), joblib.parallel_config(backend="dask", wait_for_workers_timeout=60):
            results = joblib.Parallel(verbose=verbose)(tasks)
    else:
        results = joblib.Parallel(n_jobs=n_jobs, verbose=verbose)(tasks)
    return pd.DataFrame([row for p, r in zip(grid, results, strict=True) for row in _rows(p, r)])

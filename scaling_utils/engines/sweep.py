"""Running parameter grids: locally with joblib or on a Dask cluster, cached on disk.

A sweep maps one experiment function over a grid of parameter dicts and returns a tidy table,
one row per grid point (and per seed, if the experiment returns several rows)::

    table = run_sweep(experiment, [{"n": n, "seed": s} for n in sizes for s in range(8)])

* **Parallel.** Grid points run through joblib (``n_jobs``, default all cores). Given a Dask
  scheduler address — the ``scheduler`` argument, or the environment variable
  ``SCALING_UTILS_DASK_SCHEDULER`` — the same points run on that Dask cluster instead
  (``distributed``). Results are identical: each point's randomness comes only from its own
  parameters (its seed), never from the worker it lands on.
* **Cached.** Each point's result is stored under ``<book root>/_build/.sweep-cache`` (or
  ``$SCALING_UTILS_CACHE_DIR``), keyed on (:func:`cache_key`)

  - the experiment's module and qualified name, and its **code**: the source of the function
    itself and of the file of the module it is defined in — a reader's own module or a
    notebook as well as this package — and, where the module has no file (a notebook's
    ``__main__``), the source of every function of that module it calls;
  - :func:`source_hash`, the hash of every source file of this package (the engines it calls);
  - its parameters (``joblib.hash``, which hashes arrays by content).

  A prose edit re-runs nothing; an edit of the experiment, of its module or of the package
  re-runs it. Each entry stores its key and a SHA-256 digest of its content; an entry whose
  content does not match its key (a corrupted, truncated or swapped file) is recomputed, with
  a :class:`StaleCacheWarning`. Reads happen in the calling process, before anything is
  dispatched; only the missing points run. ``cache=False`` (or ``SCALING_UTILS_CACHE=0``) turns
  caching off.
"""

from __future__ import annotations

import hashlib
import inspect
import marshal
import os
import pickle
import sys
import types
import warnings
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..validation import InputTypeError, check_positive_int

__all__ = ["SCHEDULER_ENV", "StaleCacheWarning", "cache_dir", "cache_key", "run_sweep", "source_hash"]

SCHEDULER_ENV = "SCALING_UTILS_DASK_SCHEDULER"
CACHE_ENV = "SCALING_UTILS_CACHE_DIR"
PACKAGE = Path(__file__).resolve().parents[1]
_FORMAT = b"scaling_utils-sweep-cache-1"


class StaleCacheWarning(UserWarning):
    """A cached result did not match its key (corrupted or swapped) and was recomputed."""


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


def _code_text(func: Callable[..., Any]) -> bytes:
    """The source of ``func``, or (no source: a compiled or interactive function) its code object."""
    try:
        return inspect.getsource(func).encode()
    except (OSError, TypeError):
        code = getattr(func, "__code__", None)
        return marshal.dumps(code) if code is not None else repr(func).encode()


def _module_text(module: types.ModuleType | None) -> bytes | None:
    """The bytes of the module's source file, or None (a notebook's ``__main__``, a built-in)."""
    try:
        path = inspect.getsourcefile(module) if module is not None else None
    except TypeError:
        path = None
    if path and Path(path).is_file():
        return Path(path).read_bytes()
    return None


def _called_functions(func: Callable[..., Any]) -> list[Callable[..., Any]]:
    """Functions of ``func``'s own module that its code (nested code included) refers to by name."""
    code, names = getattr(func, "__code__", None), set()
    stack = [code] if code is not None else []
    while stack:
        c = stack.pop()
        names.update(c.co_names)
        stack.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
    glob = getattr(func, "__globals__", {})
    return [glob[n] for n in sorted(names) if isinstance(glob.get(n), types.FunctionType)
            and glob[n].__module__ == func.__module__]


def _experiment_fingerprint(func: Callable[..., Any]) -> str:
    digest = hashlib.sha256()
    digest.update(f"{func.__module__}.{func.__qualname__}".encode())
    digest.update(_code_text(func))
    module_text = _module_text(sys.modules.get(func.__module__))
    if module_text is not None:
        digest.update(module_text)
    else:   # no file to hash: the source of every same-module function it calls, transitively
        seen, todo = {func}, _called_functions(func)
        while todo:
            f = todo.pop()
            if f not in seen:
                seen.add(f)
                digest.update(f.__qualname__.encode() + _code_text(f))
                todo.extend(_called_functions(f))
    return digest.hexdigest()


def cache_key(func: Callable[..., Any], params: Mapping[str, Any]) -> str:
    """The cache key of one grid point: experiment code, package source and parameters (module docstring)."""
    import joblib

    if not callable(func) or not hasattr(func, "__module__") or not hasattr(func, "__qualname__"):
        raise InputTypeError(f"func must be a named function (got {func!r:.80})")
    if not isinstance(params, Mapping):
        raise InputTypeError(f"params must be a dict of keyword arguments (got {params!r:.80})")
    parts = [_experiment_fingerprint(func), source_hash(), joblib.hash(dict(params))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _entry_path(func: Callable[..., Any], key: str) -> Path:
    name = "".join(c if c.isalnum() or c in "._-" else "_" for c in f"{func.__module__}.{func.__qualname__}")
    return cache_dir() / name / f"{key}.pkl"


def _load(path: Path, key: str) -> tuple[bool, Any]:
    """(True, result) for an intact entry of ``key``; (False, None) when absent or invalid (warned)."""
    if not path.exists():
        return False, None
    try:
        blob = path.read_bytes()
        header, stored_key, digest, payload = blob.split(b"\n", 3)
        if header != _FORMAT or stored_key.decode() != key or hashlib.sha256(payload).hexdigest() != digest.decode():
            raise ValueError("content does not match its key")
        return True, pickle.loads(payload)
    except Exception as exc:  # any unreadable entry is recomputed, never served
        warnings.warn(f"sweep cache entry {path} is invalid ({exc}); recomputing it", StaleCacheWarning,
                      stacklevel=3)
        return False, None


def _store(path: Path, key: str, result: Any) -> None:
    payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(b"\n".join([_FORMAT, key.encode(), hashlib.sha256(payload).hexdigest().encode(), payload]))
    tmp.replace(path)


def _call(func: Callable[..., Any], params: Mapping[str, Any]) -> Any:
    """One grid point."""
    return func(**params)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | bytes | bool | int | float | np.integer | np.floating)


def _rows(params: Mapping[str, Any], result: Any) -> list[dict[str, Any]]:
    if isinstance(result, pd.DataFrame):
        records = result.to_dict("records")
    elif isinstance(result, Mapping):
        records = [dict(result)]
    elif isinstance(result, Iterable) and not isinstance(result, str | bytes):
        try:
            records = [dict(r) for r in result]
        except (TypeError, ValueError) as exc:
            raise ValueError("an experiment must return a dict, a list of dicts or a DataFrame "
                             f"(got {type(result).__name__} of {type(next(iter(result), None)).__name__})") from exc
    else:
        raise ValueError(f"an experiment must return a dict, a list of dicts or a DataFrame "
                         f"(got {type(result).__name__})")
    columns = {k: v for k, v in params.items() if _is_scalar(v)}
    return [{**columns, **r} for r in records]


def _check_grid(grid: Any) -> list[dict[str, Any]]:
    if isinstance(grid, Mapping | str | bytes) or not isinstance(grid, Iterable):
        raise InputTypeError(f"grid must be an iterable of parameter dicts (got {type(grid).__name__})")
    points = []
    for i, p in enumerate(grid):
        if not isinstance(p, Mapping) or not all(isinstance(k, str) and k.isidentifier() for k in p):
            raise InputTypeError(f"grid[{i}] must be a dict of keyword arguments (got {p!r:.80})")
        points.append(dict(p))
    if not points:
        raise ValueError("grid must contain at least one parameter dict")
    return points


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

    grid = _check_grid(grid)
    if not callable(func) or getattr(func, "__name__", "<lambda>") == "<lambda>":
        raise ValueError("func must be a named, module-level function")
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int | np.integer) or n_jobs == 0:
        raise InputTypeError(f"n_jobs must be a non-zero integer (-1: all cores; got {n_jobs!r})")
    verbose = check_positive_int("verbose", verbose, minimum=0)
    if cache is None:
        cache = os.environ.get("SCALING_UTILS_CACHE", "1") != "0"
    elif not isinstance(cache, bool | np.bool_):
        raise InputTypeError(f"cache must be True, False or None (got {cache!r})")
    scheduler = scheduler or os.environ.get(SCHEDULER_ENV) or None
    if scheduler is not None and not isinstance(scheduler, str):
        raise InputTypeError(f"scheduler must be an address string or None (got {scheduler!r})")

    results: list[Any] = [None] * len(grid)
    todo = list(range(len(grid)))
    if cache:
        keys = [cache_key(func, p) for p in grid]
        todo = []
        for i, key in enumerate(keys):
            hit, results[i] = _load(_entry_path(func, key), key)
            if not hit:
                todo.append(i)
    if todo:
        tasks = (joblib.delayed(_call)(func, grid[i]) for i in todo)
        if scheduler:
            from distributed import Client

            with Client(scheduler), joblib.parallel_config(backend="dask", wait_for_workers_timeout=60):
                computed = joblib.Parallel(verbose=verbose)(tasks)
        else:
            computed = joblib.Parallel(n_jobs=int(n_jobs), verbose=verbose)(tasks)
        for i, result in zip(todo, computed, strict=True):
            results[i] = result
            if cache:
                _store(_entry_path(func, keys[i]), keys[i], result)
    return pd.DataFrame([row for p, r in zip(grid, results, strict=True) for row in _rows(p, r)])

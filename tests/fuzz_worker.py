"""A child process of the fuzz test: runs one case at a time from the registry, in isolation.

Started with the ``spawn`` method, it sets its limits before importing NumPy: one BLAS/OpenMP
thread, an address-space cap (a runaway allocation becomes a MemoryError, which fails the case,
instead of swapping the machine), and small memory and work limits for the package's guard, so
that inputs asking for more than this child may use are refused by the guard before they start.
"""

from __future__ import annotations

import os
import sys

ADDRESS_SPACE = 4 << 30          # bytes this process may map
GUARD_BYTES = "1GiB"             # $SCALING_UTILS_MAX_BYTES in the child
GUARD_WORK = "3e10"              # $SCALING_UTILS_MAX_WORK in the child (a few seconds of work)


def resolve(value, valid):
    return getattr(valid, value[1:]) if isinstance(value, str) and value.startswith("@") else value


def nonfinite(obj, depth: int = 0) -> str | None:
    """A description of the first NaN/inf in a result (arrays, numbers, containers, records), or None."""
    import dataclasses

    import numpy as np

    if depth > 4 or obj is None or isinstance(obj, bool | str | bytes | np.bool_):
        return None
    if isinstance(obj, int | float | np.number):
        return None if np.isfinite(obj) else repr(obj)
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind in "fc":
            return None if np.all(np.isfinite(obj)) else f"an array with NaN/inf (shape {obj.shape})"
        if obj.dtype.kind == "O":
            return next((r for r in (nonfinite(x, depth + 1) for x in obj.flat[:1000]) if r), None)
        return None
    if type(obj).__name__ == "DataFrame":
        return nonfinite(obj.select_dtypes("number").to_numpy(dtype=float), depth + 1)
    if isinstance(obj, list | tuple):
        return next((r for r in (nonfinite(x, depth + 1) for x in obj[:1000]) if r), None)
    if isinstance(obj, dict):
        return next((r for r in (nonfinite(x, depth + 1) for x in list(obj.values())[:1000]) if r), None)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return next((f"{f.name}: {r}" for f in dataclasses.fields(obj)
                     if (r := nonfinite(getattr(obj, f.name), depth + 1))), None)
    return None


def run_case(reg, valid, case) -> tuple[str, str]:
    """('ok' | 'fail', detail) for one case (entry name, mutated parameter or None, bad-value index)."""
    name, param, index = case
    entry = reg.ENTRIES[name]
    try:
        func = entry.target(valid)
        args, kwargs = [], {}
        for p in entry.params:
            value = reg.BAD[p.kind][index] if p.name == param else resolve(p.value, valid)
            if p.keyword:
                kwargs[p.name] = value
            else:
                args.append(value)
    except Exception as exc:  # the registry itself is broken
        return "fail", f"could not build the call: {type(exc).__name__}: {exc}"
    try:
        result = func(*args, **kwargs)
    except (ValueError, TypeError) as exc:
        message = str(exc)
        if param is None:
            return "fail", f"the valid call raised {type(exc).__name__}: {message[:300]}"
        names = (param, *entry.aliases.get(param, ()))
        if entry.names_param and not any(n in message for n in names):
            return "fail", f"{type(exc).__name__} does not name {param!r}: {message[:300]}"
        return "ok", type(exc).__name__
    except Exception as exc:
        return "fail", f"{type(exc).__name__}: {str(exc)[:300]}"
    bad = nonfinite(result)
    if bad and not entry.nonfinite:
        return "fail", f"returned {bad}"
    return "ok", "returned"


def main(conn, tests_dir: str, claims_dir: str) -> None:
    os.environ.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", MPLBACKEND="Agg",
                      SCALING_UTILS_MAX_BYTES=GUARD_BYTES, SCALING_UTILS_MAX_WORK=GUARD_WORK,
                      SCALING_UTILS_CLAIMS_DIR=claims_dir, SCALING_UTILS_CACHE="0")
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    sys.path.insert(0, tests_dir)
    import warnings

    warnings.simplefilter("ignore")
    import fuzz_registry as reg

    valid = reg.Valid()
    conn.send("ready")
    while True:
        case = conn.recv()
        if case is None:
            return
        conn.send(run_case(reg, valid, case))

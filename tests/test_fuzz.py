"""Fuzz test of the public API: bad inputs raise a clear ValueError/TypeError, never NaN, inf or a hang.

Every public name of ``scaling_utils`` (each module's ``__all__`` and the public attributes of its
classes) must have an entry in ``tests/fuzz_registry.py``. For every callable entry, each parameter
in turn is replaced by bad values generated from its kind (a seeded draw from the pools in
``fuzz_registry.BAD``); each case runs in a child process (``tests/fuzz_worker.py``) under an
address-space cap and a per-case time limit. A case passes if the call raises ValueError or
TypeError whose message names the parameter, or returns a result without NaN or inf (where the
entry documents no pole).
"""

from __future__ import annotations

import importlib
import inspect
import multiprocessing as mp
import pkgutil
import sys
import time
import zlib
from collections import deque
from multiprocessing.connection import wait
from pathlib import Path

import numpy as np

import scaling_utils

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import fuzz_registry as reg  # noqa: E402
import fuzz_worker  # noqa: E402

VALUES_PER_PARAM = 5      # bad values drawn per parameter (from pools of 3–11)
PER_CASE_S = 15.0         # a case running longer is a hang
WORKERS = 2


def public_names() -> set[str]:
    """Every public name, as ``<defining module>.<qualified name>`` (re-exports count once)."""
    names = set()
    for info in pkgutil.walk_packages(scaling_utils.__path__, "scaling_utils."):
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            defined = inspect.isfunction(obj) or inspect.isclass(obj)
            home = f"{obj.__module__}.{obj.__qualname__}" if defined else f"{info.name}.{name}"
            names.add(home)
            if inspect.isclass(obj) and obj.__module__ == info.name:
                names.update(f"{home}.{attr}" for attr in vars(obj) if not attr.startswith("_"))
    return names


def test_every_public_name_has_a_fuzz_entry():
    names = public_names()
    missing = sorted(names - set(reg.ENTRIES) - reg.NOT_CALLABLE)
    assert not missing, f"public names without an entry in tests/fuzz_registry.py: {missing}"
    stale = sorted((set(reg.ENTRIES) | reg.NOT_CALLABLE) - names)
    assert not stale, f"fuzz entries for names that are no longer public: {stale}"


def generate_cases() -> list[tuple[str, str | None, int | None]]:
    cases = []
    for name, entry in sorted(reg.ENTRIES.items()):
        if entry.record:
            continue
        if entry.baseline:
            cases.append((name, None, None))
        for p in entry.params:
            pool = reg.BAD[p.kind]
            rng = np.random.default_rng(zlib.crc32(f"{name}:{p.name}".encode()))   # stable per parameter
            picks = rng.choice(len(pool), size=min(VALUES_PER_PARAM, len(pool)), replace=False)
            cases.extend((name, p.name, int(i)) for i in sorted(picks))
    return cases


class _Worker:
    def __init__(self, ctx, claims_dir: str):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=fuzz_worker.main, args=(child, str(HERE), claims_dir), daemon=True)
        self.process.start()
        child.close()
        self.ready, self.case, self.started = False, None, 0.0

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


def run_cases(cases, claims_dir: str) -> dict:
    ctx = mp.get_context("spawn")
    workers = [_Worker(ctx, claims_dir) for _ in range(WORKERS)]
    todo, results = deque(cases), {}
    try:
        while todo or any(w.case is not None for w in workers):
            for w in workers:
                if w.ready and w.case is None and todo:
                    w.case, w.started = todo.popleft(), time.monotonic()
                    w.conn.send(w.case)
            for conn in wait([w.conn for w in workers], timeout=0.5):
                w = next(w for w in workers if w.conn is conn)
                try:
                    message = conn.recv()
                except EOFError:           # the child died (a crash, or killed for memory)
                    message = ("fail", f"the worker died (exit code {w.process.exitcode})")
                    if w.case is None:
                        raise RuntimeError("a fuzz worker died while starting") from None
                if message == "ready":
                    w.ready = True
                    continue
                results[w.case] = message
                w.case = None
                if not w.process.is_alive() or message[1].startswith("the worker died"):
                    w.stop()
                    workers[workers.index(w)] = _Worker(ctx, claims_dir)
            for i, w in enumerate(workers):
                if w.case is not None and time.monotonic() - w.started > PER_CASE_S:
                    results[w.case] = ("fail", f"no result within {PER_CASE_S:.0f} s (a hang)")
                    w.stop()
                    workers[i] = _Worker(ctx, claims_dir)
    finally:
        for w in workers:
            if w.process.is_alive() and w.ready and w.case is None:
                w.conn.send(None)
            w.stop()
    return results


def describe(case) -> str:
    """``module.name(param=<bad value>)``: the case, on one line."""
    name, param, index = case
    if param is None:
        return f"{name}(valid call)"
    value = reg.BAD[next(p.kind for p in reg.ENTRIES[name].params if p.name == param)][index]
    return f"{name}({param}={' '.join(repr(value).split())[:60]})"


def test_public_api_refuses_bad_input(tmp_path):
    cases = generate_cases()
    start = time.monotonic()
    results = run_cases(cases, str(tmp_path / "claims"))
    elapsed = time.monotonic() - start
    failed = {describe(c): detail for c, (status, detail) in results.items() if status != "ok"}
    raised = sum(detail in ("ValueError", "TypeError", "InputTypeError") for _, detail in results.values())
    print(f"\nfuzz: {len(reg.ENTRIES)} entries, {len(cases)} cases ({raised} refused, "
          f"{len(cases) - raised - len(failed)} returned finite values, {len(failed)} failed, "
          f"{len(failed.keys() & reg.KNOWN_FAILURES)} of them known) in {elapsed:.0f} s")
    assert len(results) == len(cases)
    new = sorted(f"{case}: {detail}" for case, detail in failed.items() if case not in reg.KNOWN_FAILURES)
    assert not new, f"{len(new)} of {len(cases)} cases failed:\n" + "\n".join(new)
    fixed = sorted(reg.KNOWN_FAILURES - failed.keys())
    assert not fixed, f"known failures that now pass (remove them from KNOWN_FAILURES): {fixed}"

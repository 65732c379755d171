"""The benchmark behind ``make bench``: our engines against plain baselines, in one run.

Each case times, on the same inputs in the same process,

* ``ours_s`` — the engine the chapters use;
* ``baseline_s`` — the plain way (one fit or one scalar root solve per grid point);
* ``floor_s`` — the dense work the engine cannot avoid (say, the one factorization per model
  instance), so ``ours_s / floor_s`` says how close the engine is to this machine's limit;

and checks that ours and the baseline agree (``max_rel_diff``). Times are the best of
``repeat`` runs. Results go to a JSON list (``--output``, default ``_build/bench.json``), one
object per case with ``name``, ``ours_s``, ``baseline_s``, ``floor_s``, ``speedup``,
``ours_over_floor``, ``max_rel_diff``, a description of the sizes, and the machine — including
``gpu``: the CUDA device, or a note that there was none.

For the theory grid the floor is one direct pass over the spectrum per grid point (what any
exact per-point evaluation needs); the engine interpolates compressed spectral sums
(:mod:`scaling_utils.theory.spectral_sums`), so it can beat that floor.

``nearest_neighbours_brute`` is the intrinsic-dimension query (the 3 nearest neighbours of each of
2000 points, themselves included) in 16 ambient dimensions, where the blocked brute force runs,
against scikit-learn's ``NearestNeighbors`` (brute force too at this dimension); its floor is the
one matrix product of the distance expansion. Both run with the same thread limits (``--blas-threads``
limits BLAS and OpenMP threads alike: scikit-learn parallelizes with OpenMP).

Where CuPy finds a GPU, two more cases run the random-feature and solvable-model engines on it
(``backend="cupy"``) against the same engines on NumPy, on the same draws, so their
``max_rel_diff`` is the GPU-vs-CPU equality check and ``speedup`` the GPU's gain.

    python -m scaling_utils.book.bench [--output PATH] [--quick]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..validation import InputTypeError, check_choice, check_positive_int

__all__ = ["CASES", "BenchResult", "run_benchmark"]


@dataclass(frozen=True)
class BenchResult:
    name: str
    description: str
    ours_s: float
    baseline_s: float
    floor_s: float
    speedup: float
    ours_over_floor: float
    max_rel_diff: float


def best_time(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall time of ``repeat`` calls, and the last result."""
    best, result = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def max_rel_diff(ours: Any, baseline: Any) -> float:
    ours, baseline = np.asarray(ours, float), np.asarray(baseline, float)
    finite = np.isfinite(baseline) & np.isfinite(ours)
    if not np.array_equal(np.isfinite(ours), np.isfinite(baseline)):
        return float("inf")
    scale = np.maximum(np.abs(baseline[finite]), np.finfo(float).tiny)
    return float(np.max(np.abs(ours[finite] - baseline[finite]) / scale)) if finite.any() else 0.0


def _result(name: str, description: str, ours: tuple[float, Any], baseline: tuple[float, Any],
            floor_s: float) -> BenchResult:
    return BenchResult(name=name, description=description, ours_s=ours[0], baseline_s=baseline[0],
                       floor_s=floor_s, speedup=baseline[0] / ours[0], ours_over_floor=ours[0] / floor_s,
                       max_rel_diff=max_rel_diff(ours[1], baseline[1]))


def theory_grid(quick: bool, repeat: int) -> BenchResult:
    """The solvable model's loss on an (N, T, γ) grid: vectorized κ solve vs a brentq loop."""
    from scipy.optimize import brentq

    from ..theory import random_features as rf

    M = 2000 if quick else 5000
    lam = rf.power_law_spectrum(M, 1.0)
    v = 1.0 / M
    sizes = np.unique(np.geomspace(10, M / 2, 8 if quick else 16).astype(int)).astype(float)
    ridges = np.array([1e-4, 1e-2, 1.0])
    N, T, G = (a.ravel() for a in np.meshgrid(sizes, sizes, ridges, indexing="ij"))

    def ours() -> np.ndarray:
        return rf.test_loss(lam, v, N, T, G)

    def baseline() -> np.ndarray:
        out = np.empty(N.size)
        for i, (n_f, n_s, g) in enumerate(zip(N, T, G, strict=True)):
            n = min(n_f, n_s)
            k0 = np.exp(brentq(lambda t, n=n: np.sum(lam / (lam + np.exp(t))) - n, -200.0, 50.0,
                               xtol=1e-14, rtol=1e-15))
            le = g * M / (n_f * n_s)

            def f(t: float, n_f: float = n_f, n_s: float = n_s, le: float = le) -> float:
                k = np.exp(t)
                d1 = np.sum(lam / (lam + k))
                return k * (1 - d1 / n_s) * (1 - d1 / n_f) - le

            kappa = np.exp(brentq(f, np.log(max(k0, le)), np.log(4 * lam.sum() / n + 8 * le + k0),
                                  xtol=1e-14, rtol=1e-15))
            r = lam / (lam + kappa)  # the loss formula of theory.random_features, one point at a time
            df1, df2 = r.sum(), (r * r).sum()
            d = (n_f - df1) / (n_f - df2)
            g = (df1 - d * (df1 - df2)) / n_s
            out[i] = kappa * v * (df1 - d * df2) / (1 - g)
        return out

    kappa = rf.solve_kappa(lam, N, T, G)
    floor_s, _ = best_time(lambda: rf.degrees_of_freedom(lam, kappa), repeat)
    return _result("theory_grid", f"M={M}, {N.size} (N, T, ridge) points", best_time(ours, repeat),
                   best_time(baseline, 1), floor_s)


def nearest_neighbours(quick: bool, repeat: int) -> BenchResult:
    """Nearest-neighbour distances on the periodic 3-torus: k-d tree vs blocked brute force."""
    from scipy.spatial import KDTree

    from ..engines.neighbors import nearest_neighbors

    rng = np.random.default_rng(0)
    n_train, n_query, d = (5000, 2000, 3) if quick else (20000, 5000, 3)
    train, queries = rng.random((n_train, d)), rng.random((n_query, d))

    def ours() -> np.ndarray:
        return nearest_neighbors(train, queries, boxsize=1.0)[0][:, 0]

    def baseline() -> np.ndarray:
        out = np.empty(n_query)
        for start in range(0, n_query, 256):
            diff = np.abs(queries[start:start + 256, None, :] - train[None])
            diff = np.minimum(diff, 1.0 - diff)  # minimum image on the unit torus
            out[start:start + 256] = np.sqrt((diff**2).sum(-1).min(1))
        return out

    floor_s, _ = best_time(lambda: KDTree(train, boxsize=1.0).query(queries, workers=-1), repeat)
    return _result("nearest_neighbours", f"d={d} torus, D={n_train}, {n_query} queries",
                   best_time(ours, repeat), best_time(baseline, 1), floor_s)


def nearest_neighbours_brute(quick: bool, repeat: int) -> BenchResult:
    """The TwoNN query in high ambient dimension: our centred blocked brute force vs scikit-learn."""
    from sklearn.neighbors import NearestNeighbors

    from ..engines.neighbors import nearest_neighbors

    n_points, dim, k = (1000 if quick else 2000), 16, 3
    x = np.random.default_rng(0).standard_normal((n_points, dim))

    def ours() -> np.ndarray:      # distances to the neighbours other than the point itself (at distance 0)
        return nearest_neighbors(x, x, k, method="brute")[0][:, 1:]

    def baseline() -> np.ndarray:
        return NearestNeighbors(n_neighbors=k, algorithm="brute").fit(x).kneighbors(x)[0][:, 1:]

    centred = x - x.mean(axis=0)
    floor_s, _ = best_time(lambda: centred @ centred.T, repeat)
    return _result("nearest_neighbours_brute", f"{n_points} points in {dim} ambient dimensions, {k} neighbours, "
                   "vs scikit-learn NearestNeighbors", best_time(ours, repeat), best_time(baseline, repeat), floor_s)


def _rf_problem(quick: bool):
    from ..engines.teacher_student import sample_teacher_student
    from ..theory.random_features import power_law_spectrum

    S, top, k = (1000, 300, 8) if quick else (3000, 1000, 12)
    sizes = np.unique(np.geomspace(10, top, k).astype(int))
    return sample_teacher_student(power_law_spectrum(S, 1.0), top, top, seed=0), sizes, 1e-3


def _rf_description(model, sizes: np.ndarray, ridge: float) -> str:
    return f"S={model.S}, {sizes.size}x{sizes.size} (D, P) grid, ridge={ridge}"


def random_feature_sweep(quick: bool, repeat: int) -> BenchResult:
    """Bahri's teacher–student learning-curve grid: prefix-reusing factorizations vs a Ridge fit per point."""
    from sklearn.linear_model import Ridge

    from ..engines.backend import namespace
    from ..engines.teacher_student import _PrefixFits, loss_grid, population_loss

    model, sizes, ridge = _rf_problem(quick)
    f_all, y_all = model.features, model.targets   # computed once per model, for both
    xp = namespace("numpy")

    def ours() -> np.ndarray:
        return loss_grid(model, sizes, sizes, ridge)

    def baseline() -> np.ndarray:
        out = np.empty((sizes.size, sizes.size))
        for i, n in enumerate(sizes):
            for j, p in enumerate(sizes):
                fit = Ridge(alpha=ridge, fit_intercept=False, solver="svd").fit(f_all[:n, :p], y_all[:n])
                out[i, j] = population_loss(model, fit.coef_)
        return out

    def floor() -> None:
        # the factorizations the engine cannot avoid: one per P (Gram form, D <= P), one per D (P < D)
        for p in sizes:
            rows = sizes[sizes <= p]
            _PrefixFits(xp, f_all[: rows[-1], :p].T, ridge)
        for n in sizes:
            cols = sizes[sizes < n]
            if cols.size:
                _PrefixFits(xp, f_all[:n, : cols[-1]], ridge)

    floor_s, _ = best_time(floor, repeat)
    return _result("random_feature_sweep", _rf_description(model, sizes, ridge),
                   best_time(ours, repeat), best_time(baseline, 1), floor_s)


def _solvable_problem(quick: bool):
    from ..theory.random_features import power_law_spectrum

    M, top, k = (400, 200, 6) if quick else (1500, 800, 10)
    sizes = np.unique(np.geomspace(16, top, k).astype(int))
    return power_law_spectrum(M, 1.0), 1.0 / M, sizes, np.array([1e-4, 1e-2, 1.0])


def _solvable_description(lam: np.ndarray, sizes: np.ndarray, ridges: np.ndarray) -> str:
    return f"M={lam.size}, {sizes.size}x{sizes.size} (N, T) grid x {ridges.size} ridges"


def solvable_model_sweep(quick: bool, repeat: int) -> BenchResult:
    """The solvable model's (N, T, ridge) grid: prefix-reusing Cholesky factors vs a Ridge fit per point."""
    from ..engines.solvable import simulate_losses

    lam, v, sizes, ridges = _solvable_problem(quick)
    M = lam.size

    def ours() -> np.ndarray:
        return simulate_losses(lam, v, sizes, sizes, ridges, seeds=1, seed=0)[0]

    def draw() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rng = np.random.default_rng([0, 0])  # the same draw as simulate_losses(seed=0), seed 0
        x = rng.standard_normal((sizes[-1], M)) * np.sqrt(lam)
        u = rng.standard_normal((sizes[-1], M)) * np.sqrt(1.0 / M)
        w = rng.standard_normal((M, 1)) * np.sqrt(v)
        return x, u, (x @ w)[:, 0], w[:, 0]

    def baseline() -> np.ndarray:
        from sklearn.linear_model import Ridge

        x, u, y, w = draw()
        phi = x @ u.T
        out = np.empty((sizes.size, sizes.size, ridges.size))
        for i, n in enumerate(sizes):
            for j, t in enumerate(sizes):
                f = phi[:t, :n]
                for r, g in enumerate(ridges):
                    theta = Ridge(alpha=g, fit_intercept=False, solver="svd").fit(f, y[:t]).coef_
                    a = theta @ u[:n] - w
                    out[i, j, r] = a @ (lam * a)
        return out

    def floor() -> None:
        # the factorizations the engine performs: per N, one Cholesky factor per ridge of the
        # kernel of the largest T <= N (all smaller T are its leading blocks); per (N, T > N),
        # one Cholesky factor per ridge of the Gram matrix
        from scipy import linalg

        x, u, _, _ = draw()
        phi = x @ u.T
        for n in sizes:
            small = sizes[sizes <= n]
            kern = phi[: small[-1], :n] @ phi[: small[-1], :n].T
            for g in ridges:
                linalg.cholesky(kern + g * np.eye(small[-1]), check_finite=False)
            for t in sizes[sizes > n]:
                gram = phi[:t, :n].T @ phi[:t, :n]
                for g in ridges:
                    linalg.cholesky(gram + g * np.eye(n), check_finite=False)

    floor_s, _ = best_time(floor, repeat)
    return _result("solvable_model_sweep", _solvable_description(lam, sizes, ridges),
                   best_time(ours, repeat), best_time(baseline, 1), floor_s)


def gpu_device() -> str | None:
    """Name of the CUDA device CuPy would use, or None (CuPy not installed, or no GPU)."""
    try:
        import cupy

        return cupy.cuda.runtime.getDeviceProperties(0)["name"].decode()
    except Exception:  # any failure (no CuPy, no driver, no device) means: no usable GPU
        return None


def _synchronized(func: Callable[[], Any]) -> Callable[[], Any]:
    import cupy

    def run() -> Any:
        result = func()
        cupy.cuda.Device().synchronize()
        return result
    return run


def random_feature_sweep_gpu(quick: bool, repeat: int) -> BenchResult:
    """The random-feature grid on CuPy (ours) vs the same engine on NumPy (baseline); floor: the GPU factorizations."""
    from ..engines.backend import namespace, to_device
    from ..engines.teacher_student import _PrefixFits, loss_grid

    model, sizes, ridge = _rf_problem(quick)
    xp = namespace("cupy")
    f_dev = to_device(xp, model.features)

    def floor() -> None:
        for p in sizes.tolist():
            _PrefixFits(xp, f_dev[: int(sizes[sizes <= p][-1]), :p].T, ridge)
        for n in sizes[1:].tolist():
            _PrefixFits(xp, f_dev[:n, : int(sizes[sizes < n][-1])], ridge)

    ours = best_time(lambda: loss_grid(model, sizes, sizes, ridge, backend="cupy"), repeat)
    return _result("random_feature_sweep_gpu", _rf_description(model, sizes, ridge) + ", CuPy vs NumPy engine",
                   ours, best_time(lambda: loss_grid(model, sizes, sizes, ridge), 1),
                   best_time(_synchronized(floor), repeat)[0])


def solvable_model_sweep_gpu(quick: bool, repeat: int) -> BenchResult:
    """The solvable-model grid on CuPy (ours) vs the same engine on NumPy (baseline); floor: the GPU eigh calls."""
    from ..engines.backend import namespace, to_device
    from ..engines.solvable import simulate_losses

    lam, v, sizes, ridges = _solvable_problem(quick)
    xp = namespace("cupy")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((int(sizes[-1]), lam.size)) * np.sqrt(lam)
    phi = to_device(xp, x @ rng.standard_normal((lam.size, int(sizes[-1]))) / np.sqrt(lam.size))

    def floor() -> None:
        for n in sizes.tolist():
            for t in sizes.tolist():
                f = phi[:t, :n]
                xp.linalg.eigh(f @ f.T if t <= n else f.T @ f)

    def run(backend: str | None) -> Callable[[], np.ndarray]:
        return lambda: simulate_losses(lam, v, sizes, sizes, ridges, seeds=1, seed=0, backend=backend)[0]

    return _result("solvable_model_sweep_gpu", _solvable_description(lam, sizes, ridges) + ", CuPy vs NumPy engine",
                   best_time(run("cupy"), repeat), best_time(run(None), 1), best_time(_synchronized(floor), repeat)[0])


CASES: dict[str, Callable[[bool, int], BenchResult]] = {
    "theory_grid": theory_grid,
    "nearest_neighbours": nearest_neighbours,
    "nearest_neighbours_brute": nearest_neighbours_brute,
    "random_feature_sweep": random_feature_sweep,
    "solvable_model_sweep": solvable_model_sweep,
}
GPU_CASES: dict[str, Callable[[bool, int], BenchResult]] = {
    "random_feature_sweep_gpu": random_feature_sweep_gpu,
    "solvable_model_sweep_gpu": solvable_model_sweep_gpu,
}


def run_benchmark(names: list[str] | None = None, *, quick: bool = False, repeat: int = 3,
                  blas_threads: int | None = 1) -> list[BenchResult]:
    """Run the named cases and return their results.

    The default is every CPU case, plus the GPU cases (CuPy engine vs NumPy engine, which also
    checks that they agree) where :func:`gpu_device` finds a GPU. Asking for a GPU case on a
    machine without one is an error. ``blas_threads`` caps the BLAS (and OpenMP) threads of
    ours, the baseline and the floor alike (None: the library default).
    """
    if blas_threads is not None:
        check_positive_int("blas_threads", blas_threads)
    check_choice("quick", quick, [True, False])
    repeat = check_positive_int("repeat", repeat, maximum=1000)
    if names is not None and (isinstance(names, str) or not isinstance(names, list | tuple)
                              or not all(isinstance(n, str) for n in names)):
        raise InputTypeError(f"names must be a list of case names or None (got {names!r:.80})")
    cases = {**CASES, **GPU_CASES}
    names = list(names or []) or list(CASES) + (list(GPU_CASES) if gpu_device() else [])
    unknown = sorted(set(names) - set(cases))
    if unknown:
        raise ValueError(f"names: unknown benchmark case(s) {unknown}; cases are {sorted(cases)}")
    if set(names) & set(GPU_CASES) and not gpu_device():
        raise RuntimeError("the GPU cases need CuPy and a CUDA GPU; none is available here")
    from threadpoolctl import threadpool_limits

    results = []
    for name in names:
        with threadpool_limits(blas_threads):      # BLAS and OpenMP (scikit-learn's) alike
            result = cases[name](quick, repeat)
        print(f"{name:24s} ours {result.ours_s:8.3f} s  baseline {result.baseline_s:8.3f} s  "
              f"speedup {result.speedup:7.1f}x  ours/floor {result.ours_over_floor:5.2f}  "
              f"max rel diff {result.max_rel_diff:.1e}", flush=True)
        results.append(result)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m scaling_utils.book.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", default="_build/bench.json")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--blas-threads", type=int, default=1,
                        help="BLAS and OpenMP threads for every case, ours and baseline alike (0: library default). "
                             "Default 1: the sweeps factor many matrices of a few hundred rows, where "
                             "extra BLAS threads cost more than they give")
    parser.add_argument("cases", nargs="*", help=f"cases to run (default all of {', '.join(CASES)}; "
                                                 f"and {', '.join(GPU_CASES)} where a GPU is available)")
    args = parser.parse_args(argv)
    results = run_benchmark(args.cases or None, quick=args.quick, repeat=args.repeat,
                            blas_threads=args.blas_threads or None)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    gpu = gpu_device()
    machine = {"machine": platform.machine(), "python": platform.python_version(), "numpy": np.__version__,
               "blas_threads": args.blas_threads or "default",
               "gpu": gpu or "none: CuPy not installed or no CUDA device, so the GPU path was not run"}
    print(f"GPU: {machine['gpu']}")
    out.write_text(json.dumps([{**asdict(r), **machine} for r in results], indent=1))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

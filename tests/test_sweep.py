import sys

import numpy as np
import pandas as pd
import pytest

from scaling_utils.engines import sweep
from scaling_utils.engines.sweep import run_sweep

CALLS = []


def noisy_curve_point(n: int, seed: int) -> dict:
    """A tiny experiment: its randomness comes only from its parameters."""
    CALLS.append((n, seed))
    rng = np.random.default_rng([n, seed])
    return {"loss": float(n**-0.5 * (1 + 0.1 * rng.standard_normal())), "rows": 1}


def two_rows(n: int) -> list[dict]:
    return [{"part": "a", "value": n}, {"part": "b", "value": -n}]


GRID = [{"n": n, "seed": s} for n in (10, 100, 1000) for s in range(3)]


def test_tidy_table_and_local_parallel_equals_serial(tmp_path, monkeypatch):
    monkeypatch.setenv(sweep.CACHE_ENV, str(tmp_path))
    serial = run_sweep(noisy_curve_point, GRID, n_jobs=1, cache=False)
    parallel = run_sweep(noisy_curve_point, GRID, n_jobs=2, cache=False)
    assert list(serial.columns) == ["n", "seed", "loss", "rows"] and len(serial) == 9
    pd.testing.assert_frame_equal(serial, parallel)
    assert run_sweep(two_rows, [{"n": 1}, {"n": 2}], n_jobs=1, cache=False)["value"].tolist() == [1, -1, 2, -2]


def per_seed_table(d: int, sizes: np.ndarray, seeds: int) -> pd.DataFrame:
    return pd.DataFrame([{"seed": s, "D": int(n), "value": d * n + s} for s in range(seeds) for n in sizes])


def test_array_parameters_are_not_columns_and_records_take_precedence():
    table = run_sweep(per_seed_table, [{"d": d, "sizes": np.array([10, 20]), "seeds": 2} for d in (1, 2)],
                      n_jobs=1, cache=False)
    assert list(table.columns) == ["d", "seeds", "seed", "D", "value"]
    assert table["seed"].tolist() == [0, 0, 1, 1] * 2 and table["value"].iloc[-1] == 2 * 20 + 1


def test_cache_serves_results_and_code_change_invalidates(tmp_path, monkeypatch):
    monkeypatch.setenv(sweep.CACHE_ENV, str(tmp_path))
    CALLS.clear()
    first = run_sweep(noisy_curve_point, GRID, n_jobs=1, cache=True)
    assert len(CALLS) == 9
    again = run_sweep(noisy_curve_point, GRID, n_jobs=1, cache=True)
    assert len(CALLS) == 9, "a cached sweep must not recompute"
    pd.testing.assert_frame_equal(first, again)
    # a change anywhere in the package's source changes the key: everything is recomputed
    monkeypatch.setattr(sweep, "source_hash", lambda: "another-version")
    run_sweep(noisy_curve_point, GRID, n_jobs=1, cache=True)
    assert len(CALLS) == 18


def test_source_hash_covers_package_files():
    assert len(sweep.source_hash()) == 16
    assert sweep.source_hash() == sweep._hash_of_sources()


def test_bad_input():
    with pytest.raises(ValueError, match="grid must contain"):
        run_sweep(noisy_curve_point, [])
    with pytest.raises(ValueError, match="named, module-level function"):
        run_sweep(lambda n: {"x": n}, [{"n": 1}], n_jobs=1, cache=False)
    with pytest.raises(ValueError, match="must return a dict"):
        run_sweep(np.linalg.norm, [{"x": [3.0, 4.0]}], n_jobs=1, cache=False)


def test_dask_cluster_gives_identical_results(tmp_path, monkeypatch):
    """A LocalCluster on loopback with two worker processes reproduces the local run exactly."""
    import cloudpickle
    from distributed import LocalCluster

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import the tests
    local = run_sweep(noisy_curve_point, GRID, n_jobs=1, cache=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                      processes=True) as cluster:
        remote = run_sweep(noisy_curve_point, GRID, scheduler=cluster.scheduler_address, cache=False)
        monkeypatch.setenv(sweep.SCHEDULER_ENV, cluster.scheduler_address)
        from_env = run_sweep(noisy_curve_point, GRID, cache=False)
    pd.testing.assert_frame_equal(local, remote)
    pd.testing.assert_frame_equal(local, from_env)


def test_an_edited_experiment_in_a_readers_module_is_recomputed(tmp_path, monkeypatch):
    """Issue 16: an experiment edited from n * 1 to n * 1000 in the reader's own module still returned [3]."""
    import importlib

    monkeypatch.setenv(sweep.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.syspath_prepend(str(tmp_path))
    path = tmp_path / "reader_experiments.py"
    path.write_text("def scale():\n    return 1\n\n\ndef experiment(n):\n    return {'value': n * scale()}\n")
    module = importlib.import_module("reader_experiments")
    assert run_sweep(module.experiment, [{"n": 3}], n_jobs=1)["value"].tolist() == [3]
    path.write_text("def scale():\n    return 1000\n\n\ndef experiment(n):\n    return {'value': n * scale()}\n")
    module = importlib.reload(module)    # the experiment's own code is unchanged: only its module's
    assert run_sweep(module.experiment, [{"n": 3}], n_jobs=1)["value"].tolist() == [3000]
    path.write_text("def experiment(n):\n    return {'value': n * 7}\n")
    module = importlib.reload(module)
    assert run_sweep(module.experiment, [{"n": 3}], n_jobs=1)["value"].tolist() == [21]


def test_a_notebook_function_is_keyed_on_the_code_it_calls():
    """In a notebook the module has no file: the experiment and the same-module functions it calls are hashed."""
    import types

    notebook = types.ModuleType("notebook_main")
    sys.modules["notebook_main"] = notebook
    try:
        exec("def helper():\n    return 1\n\ndef experiment(n):\n    return {'v': n * helper()}\n", notebook.__dict__)
        first = sweep.cache_key(notebook.experiment, {"n": 1})
        exec("def helper():\n    return 2\n", notebook.__dict__)
        assert sweep.cache_key(notebook.experiment, {"n": 1}) != first
        assert sweep.cache_key(notebook.experiment, {"n": 2}) != sweep.cache_key(notebook.experiment, {"n": 1})
    finally:
        del sys.modules["notebook_main"]


def test_a_corrupted_or_swapped_cache_entry_is_recomputed_with_a_warning(tmp_path, monkeypatch):
    monkeypatch.setenv(sweep.CACHE_ENV, str(tmp_path))
    grid = [{"n": 10, "seed": 0}, {"n": 100, "seed": 0}]
    CALLS.clear()
    first = run_sweep(noisy_curve_point, grid, n_jobs=1)
    entries = {p["n"]: sweep._entry_path(noisy_curve_point, sweep.cache_key(noisy_curve_point, p)) for p in grid}
    assert len(CALLS) == 2 and all(e.exists() for e in entries.values())
    entries[10].write_bytes(entries[10].read_bytes()[:-5] + b"xxxxx")           # corrupted content
    with pytest.warns(sweep.StaleCacheWarning, match="invalid"):
        again = run_sweep(noisy_curve_point, grid, n_jobs=1)
    assert len(CALLS) == 3
    pd.testing.assert_frame_equal(first, again)
    entries[10].write_bytes(entries[100].read_bytes())                          # another point's entry
    with pytest.warns(sweep.StaleCacheWarning, match="does not match its key"):
        again = run_sweep(noisy_curve_point, grid, n_jobs=1)
    assert len(CALLS) == 4
    pd.testing.assert_frame_equal(first, again)
    run_sweep(noisy_curve_point, grid, n_jobs=1)                               # repaired: served again
    assert len(CALLS) == 4

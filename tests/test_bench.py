import json

import pytest

from scaling_utils.book import bench

KEYS = {"name", "ours_s", "baseline_s", "floor_s", "speedup", "max_rel_diff"}


def test_quick_benchmark_agrees_with_baselines_and_writes_json(tmp_path):
    out = tmp_path / "bench.json"
    bench.main(["--quick", "--repeat", "1", "--output", str(out), "theory_grid", "nearest_neighbours",
                "nearest_neighbours_brute"])
    rows = json.loads(out.read_text())
    assert [r["name"] for r in rows] == ["theory_grid", "nearest_neighbours", "nearest_neighbours_brute"]
    for row in rows:
        assert KEYS <= set(row)
        assert row["max_rel_diff"] <= 1e-6, row
        assert row["ours_s"] > 0 and row["baseline_s"] > 0 and row["floor_s"] > 0


def test_max_rel_diff():
    assert bench.max_rel_diff([1.0, 2.0], [1.0, 2.0 * (1 + 1e-9)]) == pytest.approx(1e-9, rel=1e-3)
    assert bench.max_rel_diff([1.0, float("inf")], [1.0, 2.0]) == float("inf")


def test_bad_blas_threads_is_named():
    with pytest.raises(ValueError, match="blas_threads"):
        bench.run_benchmark(["nearest_neighbours"], blas_threads=-2)


def test_unknown_case():
    with pytest.raises(ValueError, match="unknown benchmark case"):
        bench.run_benchmark(["nope"])


def test_gpu_cases_need_a_gpu_and_the_json_says_whether_there_was_one(tmp_path):
    if bench.gpu_device() is None:
        with pytest.raises(RuntimeError, match="GPU cases need CuPy"):
            bench.run_benchmark(["random_feature_sweep_gpu"])
    out = tmp_path / "bench.json"
    bench.main(["--quick", "--repeat", "1", "--output", str(out), "nearest_neighbours"])
    assert "gpu" in json.loads(out.read_text())[0]

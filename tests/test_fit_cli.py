"""The scaling-fit command line: results, output formats, and one clear line for every bad file."""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from scaling_utils.data.synthetic import synthetic_learning_curves
from scaling_utils.fit import main
from scaling_utils.measurement.fitting import fit_power_law


@pytest.fixture
def curve_csv(tmp_path):
    sizes = np.geomspace(10, 1e4, 8).round()
    losses = synthetic_learning_curves(sizes, alpha=0.5, amplitude=2.0, offset=0.1, noise=0.05, seeds=4, seed=1)
    rows = [{"n": n, "seed": s, "loss": losses[s, k]} for s in range(4) for k, n in enumerate(sizes)]
    path = tmp_path / "curve.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path, sizes, losses


def test_one_resource_json_matches_the_library(curve_csv, capsys):
    path, sizes, losses = curve_csv
    assert main([str(path), "--size", "n", "--loss", "loss", "--seed", "seed", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    fit = fit_power_law(sizes, losses, offset="fit")
    assert out["alpha"] == pytest.approx(fit.alpha) and out["alpha_interval"] == pytest.approx(list(fit.interval))
    assert out["seeds"] == 4 and out["interval_method"] == "jackknife" and len(out["local_slopes"]["n"]) == 7


def test_text_report_window_and_plot(curve_csv, capsys, tmp_path):
    path, *_ = curve_csv
    png = tmp_path / "fit.png"
    assert main([str(path), "--size", "n", "--loss", "loss", "--seed", "seed", "--window", "auto",
                 "--plot", str(png)]) == 0
    out = capsys.readouterr().out
    assert "alpha = " in out and "window: n in" in out and "chi2/dof" in out and "local slopes" in out
    assert png.stat().st_size > 1000


def test_single_curve_has_no_interval_and_says_why(tmp_path, capsys):
    path = tmp_path / "one.csv"
    n = np.geomspace(10, 1e4, 6)
    pd.DataFrame({"n": n, "loss": 3 * n**-0.4}).to_csv(path, index=False)
    assert main([str(path), "--size", "n", "--loss", "loss", "--offset", "none"]) == 0
    out = capsys.readouterr().out
    assert "alpha = 0.4 " in out and "give --seed" in out


def test_two_resources(tmp_path, capsys):
    n, d = (g.ravel() for g in np.meshgrid(np.geomspace(1e7, 1e10, 6), np.geomspace(1e9, 1e12, 6)))
    path = tmp_path / "runs.csv"
    pd.DataFrame({"N": n, "D": d, "loss": 1.7 + 400 * n**-0.34 + 400 * d**-0.28}).to_csv(path, index=False)
    assert main([str(path), "--size", "N", "--size2", "D", "--loss", "loss", "--n-boot", "0", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["alpha"] == pytest.approx(0.34, abs=1e-3) and out["a"] == pytest.approx(0.28 / 0.62, abs=1e-3)


BAD = {
    "missing column": ("n,loss\n1,2\n2,1\n", ["--size", "D"], "missing column(s) ['D']"),
    "non-numeric": ("n,loss\n1,2\n2,x\n3,1\n", [], "column 'loss' is not numeric (row 3"),
    "non-positive": ("n,loss\n1,2\n2,0\n3,1\n4,0.5\n", [], "column 'loss' must be > 0 (row 3"),
    "NaN": ("n,loss\n1,2\n2,\n3,1\n", [], "column 'loss' has an empty or NaN value (row 3)"),
    "too few points": ("n,loss\n1,2\n2,1\n", ["--offset", "none"], "too few points"),
    "empty file": ("", [], "not a readable CSV file"),
    "repeated sizes": ("n,loss\n1,2\n1,1.9\n2,1\n3,0.8\n", [], "give --seed"),
    "bad offset": ("n,loss\n1,2\n2,1\n3,0.8\n4,0.6\n", ["--offset", "floor"], "--offset must be"),
    "auto window without seeds": ("n,loss\n1,2\n2,1\n3,0.8\n4,0.6\n5,0.5\n", ["--window", "auto"], "needs per-point"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_files_get_one_line_and_exit_2(tmp_path, case):
    text, extra, message = BAD[case]
    path = tmp_path / "bad.csv"
    path.write_text(text)
    args = [str(path), "--size", "n", "--loss", "loss", *extra]
    if "--size" in extra:
        args = [str(path), "--loss", "loss", *extra]
    done = subprocess.run([sys.executable, "-m", "scaling_utils.fit", *args], capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in done.stderr


def test_missing_file_and_help(tmp_path, capsys):
    assert main([str(tmp_path / "nope.csv"), "--size", "n", "--loss", "loss"]) == 2
    assert "no such file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    help_text = capsys.readouterr().out
    for option in ("--size", "--loss", "--seed", "--size2", "--offset", "--window", "--level", "--delta",
                   "--n-boot", "--plot", "--json"):
        assert option in help_text

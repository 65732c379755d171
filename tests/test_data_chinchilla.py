import numpy as np
import pytest

from scaling_utils.data.chinchilla import exclude_highest_loss, load_runs


def test_the_245_runs_load_with_tokens_from_compute():
    runs = load_runs()
    assert len(runs) == 245 and list(runs.columns) == ["N", "D", "C", "loss"]
    assert np.allclose(6 * runs.N * runs.D, runs.C)
    assert runs.N.between(4e7, 2e10).all() and runs.loss.between(1.9, 5.1).all()


def test_exclusion_drops_the_five_highest_losses():
    runs = load_runs()
    kept, dropped = exclude_highest_loss(runs)
    assert len(kept) == 240 and len(dropped) == 5
    assert dropped.loss.min() > kept.loss.max()
    with pytest.raises(ValueError, match="count must be"):
        exclude_highest_loss(runs, 300)


def test_missing_file_and_bad_columns(tmp_path):
    with pytest.raises(FileNotFoundError, match="ships in the book's data/ folder"):
        load_runs(tmp_path / "none.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("Model Size,loss\n1,2\n")
    with pytest.raises(ValueError, match="lacks column"):
        load_runs(bad)
    bad.write_text("Model Size,Training FLOP,loss\n1,2,-3\n")
    with pytest.raises(ValueError, match="positive finite"):
        load_runs(bad)

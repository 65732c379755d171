import json

import pytest

from scaling_utils.book import claims
from scaling_utils.book.claims import Ledger, check_claims, load_claims

REQUIRED = {"id", "chapter", "statement", "source", "expected", "measured", "interval", "tolerance", "holds"}


def record(ledger, id="a.b", **kw):
    args = {"statement": "s", "source": "src", "expected": 1.0, "measured": 1.02, "tolerance": 0.05}
    args.update(kw)
    return ledger.record(id, **args)


def test_ledger_writes_json_with_required_keys(tmp_path):
    ledger = Ledger("ch", directory=tmp_path)
    assert json.loads((tmp_path / "ch.json").read_text()) == []
    record(ledger, interval=(0.98, 1.06))
    data = json.loads((tmp_path / "ch.json").read_text())
    assert len(data) == 1 and REQUIRED <= set(data[0])
    assert data[0]["holds"] is True and data[0]["interval"] == [0.98, 1.06]
    # opening the ledger again starts afresh: no stale claims survive a re-execution
    Ledger("ch", directory=tmp_path)
    assert json.loads((tmp_path / "ch.json").read_text()) == []


@pytest.mark.parametrize(("kw", "holds"), [
    ({}, True),
    ({"measured": 1.2}, False),
    ({"measured": float("nan")}, False),
    ({"comparison": "le", "measured": 0.5}, True),
    ({"comparison": "le", "measured": 1.06}, False),
    ({"comparison": "ge", "measured": 3.0}, True),
    ({"comparison": "ge", "measured": 0.9}, False),
    ({"interval": (1.01, 1.03), "require_coverage": True}, False),
    ({"interval": (0.99, 1.03), "require_coverage": True}, True),
])
def test_holds_logic(tmp_path, kw, holds):
    assert record(Ledger("ch", directory=tmp_path), **kw).holds is holds


def test_record_fit_uses_interval(tmp_path):
    class Fit:
        alpha, interval = 0.51, (0.49, 0.53)

    claim = Ledger("ch", directory=tmp_path).record_fit("x.alpha", Fit(), expected=0.5, tolerance=0.02,
                                                         statement="s", source="src")
    assert claim.holds and claim.require_coverage and claim.interval == [0.49, 0.53]
    assert "expected ∈ CI" in claim.criterion


@pytest.mark.parametrize(("kw", "message"), [
    ({"id": "has space"}, "id must be"),
    ({"statement": " "}, "statement must be"),
    ({"tolerance": -1}, "tolerance must be in"),
    ({"comparison": "lt"}, "comparison must be one of"),
    ({"measured": "x"}, "measured must be a real number"),
    ({"interval": (2, 1)}, "interval must be"),
    ({"require_coverage": True}, "needs an interval"),
    ({"expected": float("inf")}, "expected must be"),
])
def test_bad_input(tmp_path, kw, message):
    ledger = Ledger("ch", directory=tmp_path)
    with pytest.raises(ValueError, match=message):
        record(ledger, **kw)


def test_duplicate_id_and_bad_chapter(tmp_path):
    ledger = Ledger("ch", directory=tmp_path)
    record(ledger)
    with pytest.raises(ValueError, match="already recorded"):
        record(ledger)
    with pytest.raises(ValueError, match="chapter must be"):
        Ledger("bad name", directory=tmp_path)


def test_check_claims_and_cli(tmp_path, capsys):
    good = Ledger("good", directory=tmp_path)
    record(good)
    assert check_claims(tmp_path, expect=["good"]) == []
    assert claims.main(["check", str(tmp_path), "--expect", "good"]) == 0
    assert "1 of 1 hold" in capsys.readouterr().out
    record(Ledger("bad", directory=tmp_path), measured=5.0)
    Ledger("empty", directory=tmp_path)
    problems = check_claims(tmp_path, expect=["good", "missing"])
    assert any("missing: no ledger" in p for p in problems)
    assert any("bad: a.b does not hold" in p for p in problems)
    assert any("empty: the ledger is empty" in p for p in problems)
    assert claims.main(["check", str(tmp_path)]) == 1
    assert set(load_claims(tmp_path)) == {"bad", "empty", "good"}


def test_table_is_formatted(tmp_path):
    ledger = Ledger("ch", directory=tmp_path)
    record(ledger, measured=1.0234567, interval=(0.9, 1.1))
    table = ledger.table()
    assert table.loc["a.b", "measured"] == "1.02" and table.loc["a.b", "holds"] == "yes"


def test_rounding_level_bounds_are_shown_as_bounds(tmp_path):
    ledger = Ledger("ch", directory=tmp_path)
    ledger.record("zero.rounding", expected=0.0, measured=3.7e-12, tolerance=1e-10, comparison="le",
                  statement="s", source="[derived]")
    ledger.record("zero.exact", expected=0.0, measured=0.0, tolerance=1.0, comparison="le", statement="s",
                  source="[derived]")
    ledger.record("zero.near", expected=0.0, measured=0.2, tolerance=1.0, comparison="le", statement="s",
                  source="[derived]")
    table = ledger.table()
    assert table.loc["zero.rounding", "measured"] == "< 1e-11"
    assert table.loc["zero.exact", "measured"] == "0" and table.loc["zero.near", "measured"] == "0.2"
    assert ledger.claims[0].measured == 3.7e-12          # the ledger keeps the exact value


def test_claims_dir_env_override(tmp_path, monkeypatch):
    monkeypatch.setenv(claims.ENV_VAR, str(tmp_path))
    assert claims.claims_dir() == tmp_path
    assert Ledger("x").path == tmp_path / "x.json"


def test_not_a_ledger(tmp_path):
    (tmp_path / "x.json").write_text("{not json")
    with pytest.raises(ValueError, match="is not a claims ledger"):
        load_claims(tmp_path)

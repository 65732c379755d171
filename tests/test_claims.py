import json
import math

import numpy as np
import pytest

from scaling_utils.book import claims
from scaling_utils.book.claims import KINDS, Ledger, check_claims, load_claims
from scaling_utils.data.synthetic import synthetic_learning_curves
from scaling_utils.measurement.fitting import COVERAGE_SEED_COUNTS, fit_power_law

FIELDS = {"id", "chapter", "kind", "statement", "source", "section", "expected", "measured", "interval",
          "tolerance", "comparison", "require_coverage", "alternative", "alternative_note", "holds"}


def record(ledger, id="a.b", **kw):
    args = {"kind": "theory", "statement": "s", "source": "src", "section": "sec-a", "expected": 1.0,
            "measured": 1.02, "tolerance": 0.05, "alternative": 2.0, "alternative_note": "twice the value"}
    args.update(kw)
    return ledger.record(id, **args)


def complete_ledger(tmp_path, chapter="ch", n=1, **kw):
    ledger = Ledger(chapter, directory=tmp_path)
    for i in range(n):
        record(ledger, id=f"{chapter}.c{i}", **kw)
    ledger.complete()
    return ledger


def test_ledger_writes_the_schema_and_a_completion_record(tmp_path):
    ledger = Ledger("ch", directory=tmp_path)
    assert json.loads((tmp_path / "ch.json").read_text()) == {"schema": 2, "chapter": "ch", "claims": [],
                                                              "complete": None}
    record(ledger, interval=(0.98, 1.06))
    data = json.loads((tmp_path / "ch.json").read_text())
    assert len(data["claims"]) == 1 and set(data["claims"][0]) == FIELDS and data["complete"] is None
    assert data["claims"][0]["holds"] is True and data["claims"][0]["interval"] == [0.98, 1.06]
    ledger.complete()
    assert json.loads((tmp_path / "ch.json").read_text())["complete"] == {"n_claims": 1}
    with pytest.raises(ValueError, match="is complete"):
        record(ledger, id="late")
    # opening the ledger again starts afresh: no stale claims survive a re-execution
    Ledger("ch", directory=tmp_path)
    assert json.loads((tmp_path / "ch.json").read_text())["claims"] == []


@pytest.mark.parametrize(("kw", "holds"), [
    ({}, True),
    ({"measured": 1.2}, False),
    ({"measured": float("nan")}, False),
    ({"comparison": "le", "measured": 0.5}, True),
    ({"comparison": "le", "measured": 1.06}, False),
    ({"comparison": "ge", "measured": 3.0, "alternative": 0.0}, True),
    ({"comparison": "ge", "measured": 0.9, "alternative": 0.0}, False),
    ({"interval": (1.01, 1.03), "require_coverage": True}, False),
    ({"interval": (0.99, 1.03), "require_coverage": True}, True),
    ({"comparison": "covers", "tolerance": 0, "interval": (0.99, 1.03)}, True),
    ({"comparison": "covers", "tolerance": 0, "interval": (1.01, 1.03)}, False),
    ({"comparison": "covers", "tolerance": 0.02, "interval": (1.01, 1.03)}, True),
])
def test_holds_logic(tmp_path, kw, holds):
    claim = record(Ledger("ch", directory=tmp_path), **kw)
    assert claim.holds is holds and claim.verdict() is holds


def test_a_claim_that_cannot_fail_is_refused(tmp_path):
    ledger = Ledger("ch", directory=tmp_path)
    with pytest.raises(ValueError, match="cannot fail: its acceptance band"):
        record(ledger, alternative=1.04)                      # inside [0.95, 1.05]
    with pytest.raises(ValueError, match="cannot fail"):
        record(ledger, comparison="le", alternative=-3.0)     # an upper bound cannot rule out a lower value
    with pytest.raises(ValueError, match="cannot fail"):
        record(ledger, comparison="covers", tolerance=0.0, interval=(0.5, 2.5))  # 2.0 is in the interval
    assert record(ledger, comparison="le", alternative=1.2).holds


def test_record_fit_takes_covers_with_a_measured_jackknife_interval(tmp_path):
    losses = synthetic_learning_curves([10, 30, 100, 300, 1000], alpha=0.5, noise=0.05, seeds=6, seed=1)
    fit = fit_power_law([10, 30, 100, 300, 1000], losses)
    ledger = Ledger("ch", directory=tmp_path)
    fields = {"kind": "method", "statement": "s", "source": "src", "section": "sec-a",
              "alternative": 1.0, "alternative_note": "twice the exponent"}
    claim = ledger.record_fit("x.alpha", fit, expected=0.5, **fields)
    assert claim.comparison == "covers" and claim.holds and claim.interval == list(fit.interval)
    claim = ledger.record_fit("x.alpha2", fit, expected=0.5, tolerance=0.05, **fields)
    assert claim.comparison == "abs" and claim.require_coverage and "expected ∈ CI" in claim.criterion
    boot = fit_power_law([10, 30, 100, 300, 1000], losses, ci="bootstrap")
    with pytest.raises(ValueError, match="takes jackknife intervals"):
        ledger.record_fit("x.boot", boot, expected=0.5, **fields)
    seven = synthetic_learning_curves([10, 30, 100, 300, 1000], alpha=0.5, noise=0.05, seeds=7, seed=1)
    assert 7 not in COVERAGE_SEED_COUNTS
    with pytest.raises(ValueError, match="seed counts whose coverage is measured"):
        ledger.record_fit("x.seven", fit_power_law([10, 30, 100, 300, 1000], seven), expected=0.5, **fields)


@pytest.mark.parametrize(("kw", "message"), [
    ({"id": "has space"}, "id must be"),
    ({"statement": " "}, "statement must be"),
    ({"section": ""}, "section must be"),
    ({"alternative_note": ""}, "alternative_note must be"),
    ({"kind": "opinion"}, "kind must be one of"),
    ({"tolerance": -1}, "tolerance must be in"),
    ({"comparison": "lt"}, "comparison must be one of"),
    ({"measured": "x"}, "measured must be a real number"),
    ({"measured": True}, "measured must be a real number"),
    ({"alternative": float("nan")}, "alternative must be finite"),
    ({"interval": (2, 1)}, "interval must be"),
    ({"interval": (1, float("inf"))}, "interval"),
    ({"require_coverage": True}, "needs an interval"),
    ({"comparison": "covers"}, "needs an interval"),
    ({"expected": float("inf")}, "expected must be"),
    ({"expected": "1"}, "expected must be a real number"),
    ({"require_coverage": np.array([True, False])}, "require_coverage must be one of"),
])
def test_bad_input(tmp_path, kw, message):
    ledger = Ledger("ch", directory=tmp_path)
    with pytest.raises(ValueError, match=message):
        record(ledger, **kw)


def test_paths_fits_and_digits_of_the_wrong_type_are_refused(tmp_path):
    for call in (lambda: Ledger("ch", directory=3), lambda: load_claims(2.5), lambda: check_claims(["a"])):
        with pytest.raises(TypeError, match="directory must be a path"):
            call()
    with pytest.raises(TypeError, match="expect must be a list of chapter names"):
        check_claims(tmp_path, expect=[[1.0]])
    ledger = Ledger("ch", directory=tmp_path)
    with pytest.raises(TypeError, match="must be a FitResult"):
        ledger.record_fit("a.fit", None, expected=0.5)
    with pytest.raises(ValueError, match="digits must be >= 1"):
        ledger.table(digits=-1)


def test_duplicate_id_bad_chapter_and_empty_completion(tmp_path):
    ledger = Ledger("ch", directory=tmp_path)
    with pytest.raises(ValueError, match="no claims to complete"):
        ledger.complete()
    record(ledger)
    with pytest.raises(ValueError, match="already recorded"):
        record(ledger)
    with pytest.raises(ValueError, match="chapter must be"):
        Ledger("bad name", directory=tmp_path)


def test_a_good_ledger_passes_the_check_and_the_cli(tmp_path, capsys):
    complete_ledger(tmp_path, "good", n=2)
    assert check_claims(tmp_path, expect=["good"]) == []
    assert claims.main(["check", str(tmp_path), "--expect", "good"]) == 0
    out = capsys.readouterr().out
    assert "2 of 2 claims hold (theory 2 of 2)" in out and "FAIL" not in out
    assert set(load_claims(tmp_path)) == {"good"}


# Each broken ledger: a function that damages the JSON of a good one, and the FAIL text expected.
def _set(field, value, index=0):
    def damage(data):
        data["claims"][index][field] = value
    return damage


def _drop(field):
    def damage(data):
        del data["claims"][0][field]
    return damage


BROKEN = {
    "false claim stored as holding": (lambda d: d["claims"][0].update(measured=0.9, expected=0.5, tolerance=0.1,
                                                                       alternative=0.0, holds=True),
                                      "'holds' is stored as true but the recomputed verdict is false"),
    "NaN measured stored as holding": (_set("measured", math.nan), "field 'measured' must be a finite number"),
    "duplicate id": (lambda d: d["claims"][1].update(id=d["claims"][0]["id"]), "field 'id' is also recorded"),
    "missing field": (_drop("tolerance"), "field 'tolerance' is missing"),
    "holds as a string": (_set("holds", "true"), "field 'holds' must be true or false"),
    "unknown comparison": (_set("comparison", "lt"), "field 'comparison' must be one of"),
    "unknown kind": (_set("kind", "vibe"), "field 'kind' must be one of"),
    "interval in the wrong order": (_set("interval", [2.0, 1.0]), "field 'interval' must be null or [lo, hi]"),
    "interval of three ends": (_set("interval", [1.0, 2.0, 3.0]), "field 'interval' must be null or [lo, hi]"),
    "alternative inside the band": (_set("alternative", 1.01), "lies inside the acceptance band"),
    "unknown field": (_set("note", "x"), "field 'note' is not part of the schema"),
    "wrong chapter": (_set("chapter", "other"), "field 'chapter' is 'other' but the file is"),
    "no completion record": (lambda d: d.update(complete=None), "no completion record"),
    "completion counts another number": (lambda d: d.update(complete={"n_claims": 5}),
                                         "the completion record counts 5 claims but the ledger has 2"),
    "old schema": (lambda d: d.update(schema=1), "field 'schema' must be 2"),
    "claims not a list": (lambda d: d.update(claims={"a": 1}), "field 'claims' must be a list"),
    "claim not an object": (lambda d: d["claims"].append("x"), "a claim must be a JSON object"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_each_broken_ledger_fails_with_one_line_naming_file_claim_and_field(tmp_path, capsys, case):
    complete_ledger(tmp_path, "ch", n=2)
    path = tmp_path / "ch.json"
    data = json.loads(path.read_text())
    damage, message = BROKEN[case]
    damage(data)
    path.write_text(json.dumps(data))
    problems = check_claims(tmp_path, expect=["ch"])
    assert any(message in p for p in problems), problems
    assert all(p.startswith("ch.json") for p in problems), problems
    assert claims.main(["check", str(tmp_path), "--expect", "ch"]) == 1
    out = capsys.readouterr().out
    assert any(line.startswith("FAIL ch.json") and message in line for line in out.splitlines())
    assert "Traceback" not in out


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "not valid JSON"),
    ('{"schema": 2, "chapter": "ch", "claims": [', "not valid JSON"),   # truncated
    ("[]", "must be a JSON object with schema 2"),
    (b"\xff\xfe", "cannot be read"),
])
def test_unreadable_ledgers_fail_without_a_traceback(tmp_path, capsys, text, message):
    path = tmp_path / "ch.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    assert any(message in p for p in check_claims(tmp_path))
    assert claims.main(["check", str(tmp_path)]) == 1
    assert "Traceback" not in capsys.readouterr().out
    with pytest.raises(ValueError, match="is not a valid claims ledger"):
        load_claims(tmp_path)


def test_missing_directory_incomplete_chapter_and_missing_chapter(tmp_path, capsys):
    assert claims.main(["check", str(tmp_path / "nowhere")]) == 1
    assert "FAIL" in capsys.readouterr().out and "no claims directory" in check_claims(tmp_path / "nowhere")[0]
    died = Ledger("died", directory=tmp_path)  # a chapter that died after recording one claim
    record(died)
    complete_ledger(tmp_path, "fine")
    problems = check_claims(tmp_path, expect=["died", "fine", "absent"])
    assert any(p.startswith("died.json: no completion record") for p in problems)
    assert any(p.startswith("absent.json: no ledger") for p in problems)
    Ledger("empty", directory=tmp_path)
    assert any(p.startswith("empty.json: the ledger has no claims") for p in check_claims(tmp_path))


def test_ids_must_be_unique_across_chapters(tmp_path):
    complete_ledger(tmp_path, "one")
    ledger = Ledger("two", directory=tmp_path)
    record(ledger, id="one.c0")
    ledger.complete()
    assert any("'one.c0': field 'id' is also recorded in one.json" in p for p in check_claims(tmp_path))


def test_summary_counts_per_kind_in_book_order(tmp_path):
    ledger = Ledger("ch", directory=tmp_path)
    for i, kind in enumerate(reversed(KINDS)):
        record(ledger, id=f"k{i}", kind=kind)
    record(ledger, id="bad", kind="paper", measured=1.2, alternative=0.0)
    text = claims.summary(ledger.claims)
    assert text.startswith("4 of 5 claims hold (paper 1 of 2, theory 1 of 1, finite-size 1 of 1, method 1 of 1")


def test_table_is_formatted(tmp_path):
    ledger = Ledger("ch", directory=tmp_path)
    record(ledger, measured=1.0234567, interval=(0.9, 1.1))
    table = ledger.table()
    assert table.loc["a.b", "measured"] == "1.02" and table.loc["a.b", "holds"] == "yes"
    assert table.loc["a.b", "kind"] == "theory" and table.loc["a.b", "rules out"] == "2"


def test_table_html_breaks_ids_at_dots_and_escapes_cells(tmp_path):
    ledger = Ledger("ch", directory=tmp_path)
    record(ledger, id="chapter.long.id", expected=0.0, measured=1e-12, tolerance=1e-8, comparison="le",
           alternative=1.0)
    page = ledger.table()._repr_html_()
    assert "chapter.<wbr>long.<wbr>id" in page
    assert "&lt; 1e-09" in page and "< 1e-09" not in page       # a measured bound, escaped
    assert "<wbr>" not in repr(ledger.table())                  # the text nbval compares is plain


def test_criterion_omits_a_zero_tolerance(tmp_path):
    ledger = Ledger("ch", directory=tmp_path)
    record(ledger, id="ge.exact", expected=1.0, measured=2.0, tolerance=0.0, comparison="ge", alternative=0.5)
    record(ledger, id="ge.loose", expected=1.0, measured=2.0, tolerance=0.25, comparison="ge", alternative=0.5)
    assert [c.criterion for c in ledger.claims] == ["m ≥ 1", "m ≥ 1 − 0.25"]


def test_rounding_level_bounds_are_shown_as_bounds(tmp_path):
    ledger = Ledger("ch", directory=tmp_path)
    for id, measured in (("zero.rounding", 3.7e-12), ("zero.exact", 0.0), ("zero.near", 0.2)):
        record(ledger, id=id, expected=0.0, measured=measured, tolerance=1e-10 if id == "zero.rounding" else 1.0,
               comparison="le", alternative=10.0)
    table = ledger.table()
    assert table.loc["zero.rounding", "measured"] == "< 1e-11"
    assert table.loc["zero.exact", "measured"] == "0" and table.loc["zero.near", "measured"] == "0.2"
    assert ledger.claims[0].measured == 3.7e-12          # the ledger keeps the exact value


def test_claims_dir_env_override(tmp_path, monkeypatch):
    monkeypatch.setenv(claims.ENV_VAR, str(tmp_path))
    assert claims.claims_dir() == tmp_path
    assert Ledger("x").path == tmp_path / "x.json"

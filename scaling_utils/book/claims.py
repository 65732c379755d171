"""The claims ledger: every quantitative claim the book makes, with its evidence and its power.

A chapter opens a :class:`Ledger` named after its notebook, records each claim as it computes
it, and closes the ledger in its last cell::

    ledger = Ledger("measuring-exponents")
    ledger.record_fit("fitting.recovery.alpha", fit, kind="method", expected=0.5, tolerance=0.02,
                      alternative=0.45, alternative_note="a 10 % bias, the size of a missed offset",
                      statement="the fit recovers the true exponent", source="this chapter",
                      section="sec-recovery")
    ...
    ledger.complete()          # the completion record: the chapter ran to its end

Every :meth:`Ledger.record` rewrites ``_build/claims/<chapter>.json`` (see :data:`SCHEMA`), so
the file always holds the claims of the latest execution; a chapter that dies half-way leaves a
ledger without its completion record, which the check rejects.

**What a claim is.** Each claim states

* its ``kind`` (:data:`KINDS`): ``paper`` — a statement of one of the two papers, or of a paper
  they build on, quoted or cited in ``source``; ``theory`` — this book's derivation (a closed
  form, a limit) against simulation; ``finite-size`` — agreement with a pre-asymptotic
  prediction; ``method`` — a check of a measuring tool;
* a ``measured`` value, an ``expected`` value and the acceptance test (``comparison``):

  - ``"abs"``: ``|measured − expected| ≤ tolerance``;
  - ``"le"``: ``measured ≤ expected + tolerance`` (an upper bound);
  - ``"ge"``: ``measured ≥ expected − tolerance`` (a lower bound);
  - ``"covers"``: the interval, widened by ``tolerance`` on each side, contains ``expected``
    (a prediction inside the measurement's statistical interval);

  and, when ``require_coverage`` is set (``abs``/``le``/``ge``), the interval also contains
  ``expected``;
* its **power**: the ``alternative``, the value the most plausible wrong hypothesis would
  produce for ``measured``, with ``alternative_note`` saying what that hypothesis is. A claim
  whose acceptance band (:meth:`Claim.band`) contains its alternative could not fail, and is
  refused;
* the ``section``: the label of the book section that measures it (the report links to it).

``python -m scaling_utils.book.claims check DIR --expect CH ...`` trusts nothing that is stored:
it validates the schema, recomputes every verdict and every band, and prints one ``FAIL`` line
per problem (file, claim, field), exiting 1; it never ends in a traceback.
"""

from __future__ import annotations

import html
import json
import math
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..validation import InputTypeError, check_choice, check_in_range, check_positive_int

__all__ = ["KINDS", "SCHEMA", "Claim", "Ledger", "check_claims", "claims_dir", "load_claims"]

ENV_VAR = "SCALING_UTILS_CLAIMS_DIR"
SCHEMA = 2
KINDS = ("paper", "theory", "finite-size", "method")
KIND_TITLES = {"paper": "the papers’ statements", "theory": "this book’s theory against simulation",
               "finite-size": "finite-size predictions", "method": "checks of the measuring tools"}
COMPARISONS = ("abs", "le", "ge", "covers")

# Field name → (allowed JSON types, description) for schema validation.
_TEXT = (str,)
_FIELDS: dict[str, tuple[tuple[type, ...], str]] = {
    "id": (_TEXT, "a non-empty string without spaces"),
    "chapter": (_TEXT, "the chapter's name"),
    "kind": (_TEXT, f"one of {list(KINDS)}"),
    "statement": (_TEXT, "a non-empty string"),
    "source": (_TEXT, "a non-empty string"),
    "section": (_TEXT, "a section label"),
    "expected": ((int, float), "a finite number"),
    "measured": ((int, float), "a finite number"),
    "interval": ((list, type(None)), "null or [lo, hi] with lo <= hi"),
    "tolerance": ((int, float), "a finite number >= 0"),
    "comparison": (_TEXT, f"one of {list(COMPARISONS)}"),
    "require_coverage": ((bool,), "true or false"),
    "alternative": ((int, float), "a finite number"),
    "alternative_note": (_TEXT, "a non-empty string"),
    "holds": ((bool,), "true or false"),
}


def claims_dir() -> Path:
    """Where ledgers are written: ``$SCALING_UTILS_CLAIMS_DIR``, else ``<book root>/_build/claims``.

    The book root is the repository that holds this package (an editable install), recognised
    by its ``_config.yml``; outside a checkout it is the current directory.
    """
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    root = Path(__file__).resolve().parents[2]
    if not (root / "_config.yml").exists():
        root = Path.cwd()
    return root / "_build" / "claims"


@dataclass(frozen=True)
class Claim:
    """One quantitative claim, whether the computation supports it, and what it rules out."""

    id: str
    chapter: str
    kind: str
    statement: str
    source: str
    section: str
    expected: float
    measured: float
    interval: list[float] | None
    tolerance: float
    comparison: str
    require_coverage: bool
    alternative: float
    alternative_note: str
    holds: bool

    def band(self) -> tuple[float, float]:
        """The acceptance band: the values of ``measured`` (for ``covers``: of ``expected``) that pass."""
        return _band(self.expected, self.interval, self.tolerance, self.comparison)

    def verdict(self) -> bool:
        """Whether the claim holds, recomputed from its fields."""
        return _evaluate(self.expected, self.measured, self.interval, self.tolerance, self.comparison,
                         self.require_coverage)

    def has_power(self) -> bool:
        """Whether the alternative lies outside the acceptance band (the claim could fail)."""
        lo, hi = self.band()
        return not lo <= self.alternative <= hi

    @property
    def criterion(self) -> str:
        """The test in words, e.g. ``|m − 0.5| ≤ 0.05 and expected ∈ CI``."""
        e, t = _fmt(self.expected, 4), _fmt(self.tolerance, 3)
        exact = self.tolerance == 0
        text = {"abs": f"|m − {e}| ≤ {t}", "le": f"m ≤ {e}" + ("" if exact else f" + {t}"),
                "ge": f"m ≥ {e}" + ("" if exact else f" − {t}"),
                "covers": "expected ∈ CI" + ("" if exact else f" ± {t}")}[self.comparison]
        return text + (" and expected ∈ CI" if self.require_coverage and self.comparison != "covers" else "")


def _band(expected: float, interval: list[float] | None, tolerance: float, comparison: str
          ) -> tuple[float, float]:
    if comparison == "abs":
        return expected - tolerance, expected + tolerance
    if comparison == "le":
        return -math.inf, expected + tolerance
    if comparison == "ge":
        return expected - tolerance, math.inf
    assert interval is not None  # "covers" always has an interval (checked on record and in check)
    return interval[0] - tolerance, interval[1] + tolerance


def _evaluate(expected: float, measured: float, interval: list[float] | None, tolerance: float,
              comparison: str, require_coverage: bool) -> bool:
    if not math.isfinite(measured):
        return False
    if comparison == "covers":
        lo, hi = _band(expected, interval, tolerance, comparison)
        return bool(lo <= expected <= hi)
    lo, hi = _band(expected, interval, tolerance, comparison)
    ok = lo <= measured <= hi
    if require_coverage:
        ok = ok and interval is not None and interval[0] <= expected <= interval[1]
    return bool(ok)


def _real(name: str, value: Any, *, finite: bool = True) -> float:
    if isinstance(value, bool | str | bytes):
        raise InputTypeError(f"{name} must be a real number (got {value!r})")
    try:
        x = float(value)
    except (TypeError, ValueError) as exc:
        raise InputTypeError(f"{name} must be a real number (got {value!r})") from exc
    if finite and not math.isfinite(x):
        raise ValueError(f"{name} must be finite (got {value!r})")
    return x


def _directory(value: Any) -> Path:
    """The ledger directory: a path (``str`` or ``os.PathLike``), or None/"" for :func:`claims_dir`."""
    if value is not None and not isinstance(value, str | os.PathLike):
        raise InputTypeError(f"directory must be a path (a str or pathlib.Path) or None (got {value!r})")
    return Path(value or claims_dir())


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string (got {value!r})")
    return value.strip()


class Ledger:
    """The claims of one chapter; writing starts afresh each time a ledger is opened.

    Parameters
    ----------
    chapter : the chapter's identifier, the notebook's file name without extension.
    directory : where to write (default :func:`claims_dir`).
    """

    def __init__(self, chapter: str, directory: str | Path | None = None) -> None:
        if not isinstance(chapter, str) or not chapter or not all(c.isalnum() or c in "-_" for c in chapter):
            raise ValueError(f"chapter must be a non-empty name of letters, digits, '-', '_' "
                             f"(got {chapter!r})")
        self.chapter = chapter
        self.path = _directory(directory) / f"{chapter}.json"
        self.claims: list[Claim] = []
        self.completed = False
        self._write()

    def record(self, id: str, *, kind: str, statement: str, source: str, section: str, expected: float,
               measured: float, tolerance: float, alternative: float, alternative_note: str,
               interval: tuple[float, float] | list[float] | None = None, comparison: str = "abs",
               require_coverage: bool = False) -> Claim:
        """Record a claim, write the ledger, and return the :class:`Claim`.

        ``tolerance`` must be stated by the chapter with a reason; it is never adjusted until a
        result passes. A claim whose acceptance band contains ``alternative`` is refused with a
        ValueError: it could not fail, so it is not a claim.
        """
        if self.completed:
            raise ValueError(f"ledger {self.chapter!r} is complete: record every claim before complete()")
        if not isinstance(id, str) or not id or any(c.isspace() for c in id):
            raise ValueError(f"id must be a non-empty string without spaces (got {id!r})")
        if any(c.id == id for c in self.claims):
            raise ValueError(f"id {id!r} is already recorded in chapter {self.chapter!r}")
        check_choice("kind", kind, KINDS)
        texts = {name: _text(name, value) for name, value in (
            ("statement", statement), ("source", source), ("section", section),
            ("alternative_note", alternative_note))}
        expected = _real("expected", expected)
        tolerance = check_in_range("tolerance", tolerance, low=0)
        alternative = _real("alternative", alternative)
        check_choice("comparison", comparison, COMPARISONS)
        check_choice("require_coverage", require_coverage, [True, False])
        measured = _real("measured", measured, finite=False)   # NaN is recorded as a claim that does not hold
        if interval is not None:
            if len(interval) != 2:
                raise ValueError(f"interval must be [lo, hi] (got {interval!r})")
            interval = [_real("interval[0]", interval[0]), _real("interval[1]", interval[1])]
            if not interval[0] <= interval[1]:
                raise ValueError(f"interval must be [lo, hi] with lo <= hi (got {interval!r})")
        if (require_coverage or comparison == "covers") and interval is None:
            raise ValueError(f"comparison={comparison!r}, require_coverage={require_coverage} needs an interval")
        claim = Claim(id=id, chapter=self.chapter, kind=kind, expected=expected, measured=measured,
                      interval=interval, tolerance=tolerance, comparison=comparison,
                      require_coverage=bool(require_coverage), alternative=alternative, holds=False, **texts)
        if not claim.has_power():
            lo, hi = claim.band()
            raise ValueError(f"claim {id!r} cannot fail: its acceptance band [{lo:.4g}, {hi:.4g}] (from expected, "
                             f"interval and tolerance under comparison={comparison!r}) contains its alternative "
                             f"{alternative:.4g} ({texts['alternative_note']})")
        claim = Claim(**{**asdict(claim), "holds": claim.verdict()})
        self.claims.append(claim)
        self._write()
        return claim

    def record_fit(self, id: str, fit: Any, *, expected: float, tolerance: float = 0.0,
                   comparison: str | None = None, **fields: Any) -> Claim:
        """Record a fitted exponent (a :class:`~scaling_utils.measurement.fitting.FitResult`).

        The fit's interval must be a jackknife interval at a seed count whose coverage is measured
        (:data:`~scaling_utils.measurement.fitting.COVERAGE_SEED_COUNTS`).

        The default test is ``covers`` (the fit's interval contains ``expected``) when the
        tolerance is 0, and ``abs`` with ``require_coverage`` otherwise. ``fields`` are the other
        keywords of :meth:`record` (kind, statement, source, section, alternative, alternative_note).
        """
        from ..measurement.fitting import COVERAGE_SEED_COUNTS, FitResult

        if not isinstance(fit, FitResult):
            raise InputTypeError(f"fit for claim {id!r} must be a FitResult, as fit_power_law returns "
                                 f"(got {type(fit).__name__})")
        if comparison is not None:
            check_choice("comparison", comparison, COMPARISONS)
        if fit.interval is None:
            raise ValueError(f"fit for claim {id!r} has no interval: fit losses of at least 2 seeds")
        if fit.ci != "jackknife" or fit.seeds not in COVERAGE_SEED_COUNTS:
            raise ValueError(f"fit for claim {id!r} has a {fit.ci} interval from {fit.seeds} seeds; the ledger "
                             f"takes jackknife intervals at seed counts whose coverage is measured: "
                             f"{list(COVERAGE_SEED_COUNTS)}")
        comparison = comparison or ("covers" if tolerance == 0 else "abs")
        fields.setdefault("require_coverage", comparison == "abs")
        return self.record(id, expected=expected, measured=fit.alpha, interval=fit.interval,
                           tolerance=tolerance, comparison=comparison, **fields)

    def complete(self) -> None:
        """Write the completion record (the number of claims): the chapter ran to its last cell."""
        if not self.claims:
            raise ValueError(f"ledger {self.chapter!r} has no claims to complete")
        self.completed = True
        self._write()

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".json.tmp")
        data = {"schema": SCHEMA, "chapter": self.chapter, "claims": [asdict(c) for c in self.claims],
                "complete": {"n_claims": len(self.claims)} if self.completed else None}
        tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False))
        tmp.replace(self.path)

    def table(self, digits: int = 3) -> ClaimsTable:
        """The chapter's "what we measured" table (a DataFrame of formatted strings).

        Numbers are rounded to ``digits`` significant figures, the precision at which nbval
        compares the stored notebook outputs. ``rules out`` is the alternative.
        """
        digits = check_positive_int("digits", digits, maximum=17)
        return ClaimsTable([_row(c, digits) for c in self.claims],
                           columns=["claim", "kind", "predicted", "measured", "interval", "criterion",
                                    "rules out", "holds"]).set_index("claim")


class ClaimsTable(pd.DataFrame):
    """A DataFrame whose HTML lets a long claim id break after its dots.

    In a narrow column the browser would otherwise break ``wild.replication.alpha`` anywhere
    (``wild.replicatio`` / ``n.alpha``); ``<wbr>`` after each dot offers the natural points.
    The plain-text form (what nbval compares) is the DataFrame's own.
    """

    @property
    def _constructor(self) -> type:
        return ClaimsTable

    def _repr_html_(self) -> str:
        shown = pd.DataFrame(self).map(html.escape)
        shown.index = pd.Index([html.escape(str(i)).replace(".", ".<wbr>") for i in self.index],
                               name=self.index.name)
        return shown.to_html(escape=False)


def _fmt(x: float, digits: int) -> str:
    return f"{x:.{digits}g}"


def _measured(c: Claim, digits: int) -> str:
    """The measured value as the table shows it.

    A bound on a quantity that is zero in exact arithmetic (comparison ``le``, expected 0)
    measures rounding error; below a tenth of its tolerance it is shown as ``< tolerance/10``,
    since its digits depend on the BLAS library and thread count, and nbval compares this table.
    The ledger keeps the exact value.
    """
    if c.comparison == "le" and c.expected == 0 and 0 < abs(c.measured) < 0.1 * c.tolerance:
        return f"< {_fmt(0.1 * c.tolerance, digits)}"
    return _fmt(c.measured, digits)


def _row(c: Claim, digits: int) -> dict[str, str]:
    return {"claim": c.id, "kind": c.kind, "predicted": _fmt(c.expected, digits),
            "measured": _measured(c, digits),
            "interval": "—" if c.interval is None else
            f"[{_fmt(c.interval[0], digits)}, {_fmt(c.interval[1], digits)}]",
            "criterion": c.criterion, "rules out": _fmt(c.alternative, digits),
            "holds": "yes" if c.holds else "NO"}


# --- reading and checking ledgers -----------------------------------------------------------

@dataclass(frozen=True)
class LedgerFile:
    """A ledger as read from disk: its claims (those that pass the schema) and its problems."""

    path: Path
    chapter: str
    claims: list[Claim]
    complete: dict[str, Any] | None
    problems: list[str]


def _claim_problems(where: str, raw: Any, stem: str) -> list[str]:
    """Schema problems of one raw claim object, one line each (empty when it is well formed)."""
    if not isinstance(raw, dict):
        return [f"{where}: a claim must be a JSON object (got {type(raw).__name__})"]
    problems = [f"{where}: field {name!r} is missing" for name in _FIELDS if name not in raw]
    problems += [f"{where}: field {name!r} is not part of the schema" for name in raw if name not in _FIELDS]
    for name, (types, desc) in _FIELDS.items():
        if name not in raw:
            continue
        value = raw[name]
        bad_type = not isinstance(value, types) or (bool not in types and isinstance(value, bool))
        if bad_type:
            problems.append(f"{where}: field {name!r} must be {desc} (got {value!r})")
        elif types == (int, float) and not math.isfinite(value):
            problems.append(f"{where}: field {name!r} must be {desc} (got {value!r})")
        elif types == _TEXT and not value.strip():
            problems.append(f"{where}: field {name!r} must be {desc} (got an empty string)")
    if problems:
        return problems
    if any(c.isspace() for c in raw["id"]):
        problems.append(f"{where}: field 'id' must be {_FIELDS['id'][1]} (got {raw['id']!r})")
    if raw["chapter"] != stem:
        problems.append(f"{where}: field 'chapter' is {raw['chapter']!r} but the file is {stem}.json")
    if raw["kind"] not in KINDS:
        problems.append(f"{where}: field 'kind' must be one of {list(KINDS)} (got {raw['kind']!r})")
    if raw["comparison"] not in COMPARISONS:
        problems.append(f"{where}: field 'comparison' must be one of {list(COMPARISONS)} "
                        f"(got {raw['comparison']!r})")
    if raw["tolerance"] < 0:
        problems.append(f"{where}: field 'tolerance' must be >= 0 (got {raw['tolerance']!r})")
    interval = raw["interval"]
    if interval is not None:
        ok = (len(interval) == 2 and all(isinstance(v, int | float) and not isinstance(v, bool)
                                         and math.isfinite(v) for v in interval))
        if not ok or not interval[0] <= interval[1]:
            problems.append(f"{where}: field 'interval' must be {_FIELDS['interval'][1]} (got {interval!r})")
    elif raw["require_coverage"] or raw["comparison"] == "covers":
        problems.append(f"{where}: field 'interval' is null but the criterion needs one")
    return problems


def read_ledger(path: Path) -> LedgerFile:
    """Read one ledger file, collecting every schema problem instead of raising."""
    stem = path.stem
    name = path.name
    try:
        data = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError) as exc:
        return LedgerFile(path, stem, [], None, [f"{name}: cannot be read ({exc})"])
    except json.JSONDecodeError as exc:
        return LedgerFile(path, stem, [], None, [f"{name}: not valid JSON ({exc})"])
    if not isinstance(data, dict):
        return LedgerFile(path, stem, [], None,
                          [f"{name}: must be a JSON object with schema {SCHEMA} (got a {type(data).__name__})"])
    problems: list[str] = []
    if data.get("schema") != SCHEMA:
        problems.append(f"{name}: field 'schema' must be {SCHEMA} (got {data.get('schema')!r})")
    if data.get("chapter") != stem:
        problems.append(f"{name}: field 'chapter' is {data.get('chapter')!r} but the file is {name}")
    raw_claims = data.get("claims")
    if not isinstance(raw_claims, list):
        problems.append(f"{name}: field 'claims' must be a list (got {raw_claims!r})")
        raw_claims = []
    complete = data.get("complete")
    if complete is not None and not (isinstance(complete, dict) and set(complete) == {"n_claims"}
                                     and isinstance(complete["n_claims"], int)
                                     and not isinstance(complete["n_claims"], bool)):
        problems.append(f"{name}: field 'complete' must be null or {{\"n_claims\": <int>}} (got {complete!r})")
        complete = None
    claims = []
    for i, raw in enumerate(raw_claims):
        cid = raw.get("id") if isinstance(raw, dict) else None
        where = f"{name}: claim {cid!r}" if isinstance(cid, str) and cid else f"{name}: claim #{i}"
        found = _claim_problems(where, raw, stem)
        problems += found
        if not found:
            claims.append(Claim(**raw))
    return LedgerFile(path, stem, claims, complete, problems)


def load_claims(directory: str | Path | None = None) -> dict[str, list[Claim]]:
    """Every chapter's well-formed claims in ``directory``, keyed by chapter, sorted by name.

    Raises ValueError if the directory does not exist or a ledger has schema problems (use
    :func:`check_claims` to list them).
    """
    directory = _directory(directory)
    if not directory.is_dir():
        raise ValueError(f"no claims directory {directory}")
    out: dict[str, list[Claim]] = {}
    for path in sorted(directory.glob("*.json")):
        ledger = read_ledger(path)
        if ledger.problems:
            raise ValueError(f"{path} is not a valid claims ledger: {ledger.problems[0]}")
        out[ledger.chapter] = ledger.claims
    return out


def check_claims(directory: str | Path | None = None, expect: list[str] | None = None) -> list[str]:
    """Every problem with the ledgers in ``directory``, one line each; an empty list means all is well.

    Recomputes each verdict and band from the stored fields and reports: a missing directory;
    unreadable or malformed files (each schema problem named by file, claim and field); a stored
    ``holds`` that disagrees with the recomputed verdict; claims that do not hold; claims whose
    acceptance band contains their alternative; ids recorded twice (within or across chapters);
    empty ledgers; ledgers without a completion record or whose record counts a different number
    of claims; and chapters in ``expect`` that have no ledger.
    """
    directory = _directory(directory)
    if expect is not None and (not isinstance(expect, list | tuple) or not all(isinstance(ch, str) for ch in expect)):
        raise InputTypeError(f"expect must be a list of chapter names (got {expect!r})")
    if not directory.is_dir():
        return [f"{directory}: no claims directory (were the chapters executed?)"]
    ledgers = [read_ledger(p) for p in sorted(directory.glob("*.json"))]
    found = {ledger.chapter for ledger in ledgers}
    problems = [f"{ch}.json: no ledger for chapter {ch!r}" for ch in (expect or []) if ch not in found]
    seen: dict[str, str] = {}
    for ledger in ledgers:
        name = ledger.path.name
        problems += ledger.problems
        if not ledger.claims and not ledger.problems:
            problems.append(f"{name}: the ledger has no claims")
        if ledger.complete is None:
            if not any("'complete'" in p for p in ledger.problems):
                problems.append(f"{name}: no completion record (the chapter did not run to its last cell)")
        elif ledger.complete["n_claims"] != len(ledger.claims) and not ledger.problems:
            problems.append(f"{name}: the completion record counts {ledger.complete['n_claims']} claims "
                            f"but the ledger has {len(ledger.claims)}")
        for c in ledger.claims:
            where = f"{name}: claim {c.id!r}"
            if c.id in seen:
                problems.append(f"{where}: field 'id' is also recorded in {seen[c.id]}")
            seen.setdefault(c.id, name)
            verdict = c.verdict()
            if verdict != c.holds:
                problems.append(f"{where}: field 'holds' is stored as {str(c.holds).lower()} but the "
                                f"recomputed verdict is {str(verdict).lower()} "
                                f"(measured {c.measured:.4g}, criterion {c.criterion})")
            elif not verdict:
                interval = "" if c.interval is None else f", CI [{c.interval[0]:.4g}, {c.interval[1]:.4g}]"
                problems.append(f"{where}: does not hold (measured {c.measured:.4g}{interval}, "
                                f"criterion {c.criterion})")
            if not c.has_power():
                lo, hi = c.band()
                problems.append(f"{where}: field 'alternative' {c.alternative:.4g} lies inside the acceptance "
                                f"band [{lo:.4g}, {hi:.4g}]: the claim cannot fail")
    return problems


def summary(claims: list[Claim]) -> str:
    """``"101 of 101 claims hold: paper 12 of 12, theory 30 of 30, …"`` — the headline, per kind."""
    parts = []
    for kind in KINDS:
        of_kind = [c for c in claims if c.kind == kind]
        if of_kind:
            parts.append(f"{kind} {sum(c.holds for c in of_kind)} of {len(of_kind)}")
    return f"{sum(c.holds for c in claims)} of {len(claims)} claims hold ({', '.join(parts)})"


def main(argv: list[str] | None = None) -> int:
    """``python -m scaling_utils.book.claims check [DIR] [--expect CH ...]``: exit 1 on any problem."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m scaling_utils.book.claims")
    sub = parser.add_subparsers(dest="command", required=True)
    chk = sub.add_parser("check", help="recompute every claim; fail on any problem")
    chk.add_argument("directory", nargs="?", default=None)
    chk.add_argument("--expect", nargs="*", default=[], help="chapters that must have a complete ledger")
    args = parser.parse_args(argv)
    directory = Path(args.directory or claims_dir())
    problems = check_claims(directory, args.expect)
    for p in problems:
        print(f"FAIL {p}")
    if directory.is_dir():
        ledgers = [read_ledger(p) for p in sorted(directory.glob("*.json"))]
        print(f"claims: {summary([c for ledger in ledgers for c in ledger.claims])} "
              f"in {len(ledgers)} chapter(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""The claims ledger: every quantitative claim the book makes, with its evidence.

A chapter opens a :class:`Ledger` named after its notebook and records each claim as it
computes it::

    ledger = Ledger("measuring-exponents")
    ledger.record_fit("fitting.recovery.alpha", fit, expected=0.5, tolerance=0.05,
                      statement="the fit recovers the true exponent", source="this chapter")

Each :meth:`Ledger.record` rewrites ``_build/claims/<chapter>.json`` (a JSON list of claim
objects), so the file always holds the claims of the latest execution. The book's
"Reproducibility report" page renders every file after all pages have executed, and
``python -m scaling_utils.book.claims check`` (part of ``make test``) fails when a claim does not hold.

A claim holds when, for ``comparison``:

* ``"abs"`` (default): ``|measured − expected| ≤ tolerance``;
* ``"le"``: ``measured ≤ expected + tolerance`` (an upper bound);
* ``"ge"``: ``measured ≥ expected − tolerance`` (a lower bound);

and, when ``require_coverage`` is set, the interval also contains ``expected``.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..validation import check_choice, check_in_range

__all__ = ["Claim", "Ledger", "check_claims", "claims_dir", "load_claims"]

ENV_VAR = "SCALING_UTILS_CLAIMS_DIR"


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
    """One quantitative claim and whether the computation supports it."""

    id: str
    chapter: str
    statement: str
    source: str
    expected: float
    measured: float
    interval: list[float] | None
    tolerance: float
    comparison: str
    require_coverage: bool
    holds: bool

    @property
    def criterion(self) -> str:
        """The test in words, e.g. ``|measured − 0.5| ≤ 0.05 and 0.5 ∈ interval``."""
        text = {"abs": f"|m − {self.expected:.4g}| ≤ {self.tolerance:.3g}",
                "le": f"m ≤ {self.expected:.4g} + {self.tolerance:.3g}",
                "ge": f"m ≥ {self.expected:.4g} − {self.tolerance:.3g}"}[self.comparison]
        return text + (" and expected ∈ CI" if self.require_coverage else "")


def _evaluate(expected: float, measured: float, interval: list[float] | None, tolerance: float,
              comparison: str, require_coverage: bool) -> bool:
    if not np.isfinite(measured):
        return False
    ok = {"abs": abs(measured - expected) <= tolerance,
          "le": measured <= expected + tolerance,
          "ge": measured >= expected - tolerance}[comparison]
    if require_coverage:
        ok = ok and interval is not None and interval[0] <= expected <= interval[1]
    return bool(ok)


class Ledger:
    """The claims of one chapter; writing starts afresh each time a ledger is opened.

    Parameters
    ----------
    chapter : the chapter's identifier, the notebook's file name without extension.
    directory : where to write (default :func:`claims_dir`).
    """

    def __init__(self, chapter: str, directory: str | Path | None = None) -> None:
        if not chapter or not all(c.isalnum() or c in "-_" for c in chapter):
            raise ValueError(f"chapter must be a non-empty name of letters, digits, '-', '_' "
                             f"(got {chapter!r})")
        self.chapter = chapter
        self.path = Path(directory or claims_dir()) / f"{chapter}.json"
        self.claims: list[Claim] = []
        self._write()

    def record(self, id: str, *, statement: str, source: str, expected: float, measured: float,
               tolerance: float, interval: tuple[float, float] | list[float] | None = None,
               comparison: str = "abs", require_coverage: bool = False) -> Claim:
        """Record a claim, write the ledger, and return the :class:`Claim`.

        ``tolerance`` must be stated by the chapter with a reason; it is never adjusted until
        a result passes.
        """
        if not id or any(c.isspace() for c in id):
            raise ValueError(f"id must be a non-empty string without spaces (got {id!r})")
        if any(c.id == id for c in self.claims):
            raise ValueError(f"id {id!r} is already recorded in chapter {self.chapter!r}")
        for name, text in (("statement", statement), ("source", source)):
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"{name} must be a non-empty string")
        expected = check_in_range("expected", expected)
        tolerance = check_in_range("tolerance", tolerance, low=0)
        check_choice("comparison", comparison, ["abs", "le", "ge"])
        try:
            measured = float(measured)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"measured must be a real number (got {measured!r})") from exc
        if interval is not None:
            if len(interval) != 2 or not interval[0] <= interval[1]:
                raise ValueError(f"interval must be [lo, hi] with lo <= hi (got {interval!r})")
            interval = [float(interval[0]), float(interval[1])]
        if require_coverage and interval is None:
            raise ValueError("require_coverage=True needs an interval")
        holds = _evaluate(expected, measured, interval, tolerance, comparison, require_coverage)
        claim = Claim(id=id, chapter=self.chapter, statement=statement.strip(), source=source.strip(),
                      expected=expected, measured=measured, interval=interval, tolerance=tolerance,
                      comparison=comparison, require_coverage=require_coverage, holds=holds)
        self.claims.append(claim)
        self._write()
        return claim

    def record_fit(self, id: str, fit: Any, *, expected: float, tolerance: float, statement: str,
                   source: str, require_coverage: bool = True) -> Claim:
        """Record a fitted exponent (a :class:`~scaling_utils.measurement.fitting.FitResult`) with its interval."""
        return self.record(id, statement=statement, source=source, expected=expected,
                           measured=fit.alpha, interval=fit.interval, tolerance=tolerance,
                           require_coverage=require_coverage and fit.interval is not None)

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps([asdict(c) for c in self.claims], indent=1, ensure_ascii=False))
        tmp.replace(self.path)

    def table(self, digits: int = 3) -> Any:
        """The chapter's "what we measured" table (a DataFrame of formatted strings).

        Numbers are rounded to ``digits`` significant figures, which is the precision at which
        the stored notebook outputs are compared by nbval.
        """
        import pandas as pd

        return pd.DataFrame([_row(c, digits) for c in self.claims],
                            columns=["claim", "predicted", "measured", "interval", "criterion", "holds"]
                            ).set_index("claim")


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
    return {"claim": c.id, "predicted": _fmt(c.expected, digits), "measured": _measured(c, digits),
            "interval": "—" if c.interval is None else
            f"[{_fmt(c.interval[0], digits)}, {_fmt(c.interval[1], digits)}]",
            "criterion": c.criterion, "holds": "yes" if c.holds else "NO"}


def load_claims(directory: str | Path | None = None) -> dict[str, list[Claim]]:
    """Every chapter's claims in ``directory``, keyed by chapter, sorted by name."""
    directory = Path(directory or claims_dir())
    out: dict[str, list[Claim]] = {}
    for path in sorted(directory.glob("*.json")):
        try:
            out[path.stem] = [Claim(**c) for c in json.loads(path.read_text())]
        except (json.JSONDecodeError, TypeError) as exc:
            raise ValueError(f"{path} is not a claims ledger: {exc}") from exc
    return out


def check_claims(directory: str | Path | None = None, expect: list[str] | None = None) -> list[str]:
    """Problems with the ledgers: claims that do not hold, empty or missing chapters.

    ``expect`` lists the chapters that must have a non-empty ledger. An empty list means all is well.
    """
    ledgers = load_claims(directory)
    problems = [f"{ch}: no ledger" for ch in (expect or []) if ch not in ledgers]
    for chapter, claims in ledgers.items():
        if not claims:
            problems.append(f"{chapter}: the ledger is empty")
        for c in claims:
            if not c.holds:
                interval = "" if c.interval is None else f" CI [{c.interval[0]:.4g}, {c.interval[1]:.4g}]"
                problems.append(f"{chapter}: {c.id} does not hold: measured {c.measured:.4g}{interval}, "
                                f"criterion {c.criterion}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """``python -m scaling_utils.book.claims check [DIR] [--expect CH ...]``: exit 1 on any problem."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m scaling_utils.book.claims")
    sub = parser.add_subparsers(dest="command", required=True)
    chk = sub.add_parser("check", help="fail when a recorded claim does not hold")
    chk.add_argument("directory", nargs="?", default=None)
    chk.add_argument("--expect", nargs="*", default=[], help="chapters that must have a ledger")
    args = parser.parse_args(argv)
    ledgers = load_claims(args.directory)
    problems = check_claims(args.directory, args.expect)
    total = sum(len(v) for v in ledgers.values())
    held = sum(c.holds for v in ledgers.values() for c in v)
    for p in problems:
        print(f"FAIL {p}")
    print(f"claims: {held} of {total} hold in {len(ledgers)} chapter(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

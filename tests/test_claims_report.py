"""The report's formatting (``_ext/claims_report.py``): numbers and criteria as LaTeX, never Python formats."""

import importlib.util
from pathlib import Path

import pytest

from scaling_utils.book.claims import Claim

_SPEC = importlib.util.spec_from_file_location("claims_report", Path(__file__).resolve().parents[1] / "_ext" /
                                               "claims_report.py")
report = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(report)


@pytest.mark.parametrize(("x", "tex"), [
    (0.502, "0.502"), (1.0, "1"), (0.0, "0"), (1234.5, "1234"), (0.001, "0.001"),
    (4.0e6, r"4 \times 10^{6}"), (-0.00024, r"-2.4 \times 10^{-4}"), (12345, r"1.234 \times 10^{4}"),
    (9999.7, r"1 \times 10^{4}"), (2.5e-14, r"2.5 \times 10^{-14}"),
])
def test_numbers_are_latex_never_python_formats(x, tex):
    assert report.tex_number(x) == tex
    assert "e+" not in report.tex_number(x) and "e-" not in report.tex_number(x)


def _claim(comparison, tolerance=0.05, coverage=False, interval=(0.45, 0.55)):
    return Claim(id="x", chapter="c", kind="theory", statement="s", source="s", section="sec-x", expected=0.5,
                 measured=0.51, interval=list(interval), tolerance=tolerance, comparison=comparison,
                 require_coverage=coverage, alternative=1.0, alternative_note="n", holds=True)


def test_criteria_read_as_formulas_in_m_and_the_prediction():
    assert report.criterion_tex(_claim("abs")) == [r"|m - 0.5| \le 0.05"]
    assert report.criterion_tex(_claim("abs", coverage=True)) == [r"|m - 0.5| \le 0.05", r"0.5 \in \mathrm{CI}"]
    assert report.criterion_tex(_claim("le", tolerance=0)) == [r"m \le 0.5"]
    assert report.criterion_tex(_claim("ge")) == [r"m \ge 0.5 - 0.05"]
    assert report.criterion_tex(_claim("covers", tolerance=0)) == [r"0.5 \in \mathrm{CI}"]
    assert report.criterion_tex(_claim("covers")) == [r"0.5 \in \mathrm{CI} \pm 0.05"]

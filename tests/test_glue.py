"""Numbers for the prose: typeset as LaTeX, never as Python formats."""

import pytest

from scaling_utils.book.glue import latex_number


@pytest.mark.parametrize("value, digits, text", [
    (3.7e-5, 2, r"3.7 \times 10^{-5}"),
    (9.96e-5, 2, r"1.0 \times 10^{-4}"),        # rounding carries into the next decade
    (1.234e7, 3, r"1.23 \times 10^{7}"),
    (-2.0e6, 3, r"-2.00 \times 10^{6}"),
    (0.0123, 2, "0.012"),
    (456.0, 2, "456"),
    (0.0, 2, "0"),
])
def test_latex_number(value, digits, text):
    assert latex_number(value, digits) == text


@pytest.mark.parametrize("value, digits, match", [
    (float("nan"), 2, "value"), (float("inf"), 2, "value"), ("1e-5", 2, "value"), (True, 2, "value"),
    (1.0, 0, "digits"),
])
def test_latex_number_bad_input(value, digits, match):
    with pytest.raises(ValueError, match=match):
        latex_number(value, digits)

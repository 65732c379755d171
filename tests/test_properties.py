"""Property-based tests (hypothesis) of the theory, the fits and the ledger.

Each property holds for every input the strategy can draw, not only for the chapters' parameters:

* the random-feature loss is symmetric under N ↔ T without label noise (the κ equation and the loss
  are; Maloney–Roberts–Sully's duality), positive and finite with a ridge, non-increasing in N and T
  at the tuned ridge, and tends to the kernel learning curve (Bordelon–Canatar–Pehlevan) as N → ∞
  with the ridge held at the kernel's δ = γM/(σ_u²N);
* an exact power law is recovered at any positive scale of the loss, with no offset, a known
  offset, or a fitted one;
* a ledger written by :class:`Ledger` reads back identically through :func:`load_claims`, and
  :func:`check_claims` reports exactly the claims that do not hold.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scaling_utils.book.claims import COMPARISONS, KINDS, Ledger, check_claims, load_claims
from scaling_utils.measurement.fitting import fit_power_law
from scaling_utils.theory import kernels
from scaling_utils.theory import random_features as rf

THEORY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
M_VALUES = st.integers(min_value=20, max_value=300)
ALPHAS = st.floats(min_value=0.2, max_value=3.0)
RIDGES = st.one_of(st.just(0.0), st.floats(min_value=-6, max_value=1).map(lambda e: 10.0**e))


def spectrum(M: int, alpha: float) -> tuple[np.ndarray, float]:
    return rf.power_law_spectrum(M, alpha), 1.0 / M


@THEORY
@given(M=M_VALUES, alpha=ALPHAS, ridge=RIDGES, n=st.floats(1.0, 3.0), t=st.floats(1.0, 3.0))
def test_loss_is_symmetric_in_n_and_t_without_noise(M, alpha, ridge, n, t):
    lam, v = spectrum(M, alpha)
    N, T = n / 3 * 2 * M, t / 3 * 2 * M          # both sides of the interpolation threshold M
    a, b = rf.test_loss(lam, v, [N, T], [T, N], ridge)
    assert (a == b == np.inf) or a == pytest.approx(b, rel=1e-9)


@THEORY
@given(M=M_VALUES, alpha=ALPHAS, ridge=st.floats(-6, 2).map(lambda e: 10.0**e), n=st.floats(1, 4 * 300),
       t=st.floats(1, 4 * 300), noise=st.sampled_from([0.0, 1e-3]))
def test_loss_is_positive_and_finite_with_a_ridge(M, alpha, ridge, n, t, noise):
    lam, v = spectrum(M, alpha)
    assert 0 < float(rf.test_loss(lam, v, n, t, ridge, noise=noise)) < np.inf


@THEORY
@given(M=M_VALUES, alpha=ALPHAS, n=st.floats(5, 500), t=st.floats(5, 500), grow=st.floats(1.5, 4.0),
       noise=st.sampled_from([0.0, 1e-3]))
def test_loss_at_the_tuned_ridge_decreases_in_n_and_in_t(M, alpha, n, t, grow, noise):
    lam, v = spectrum(M, alpha)
    noise = noise * (v * lam).sum()
    base = float(rf.optimal_ridge(lam, v, n, t, noise=noise).loss)
    more_n = float(rf.optimal_ridge(lam, v, grow * n, t, noise=noise).loss)
    more_t = float(rf.optimal_ridge(lam, v, n, grow * t, noise=noise).loss)
    assert more_n <= base * (1 + 1e-6) and more_t <= base * (1 + 1e-6)


@THEORY
@given(M=M_VALUES, alpha=ALPHAS, delta=RIDGES, t=st.floats(2, 600))
def test_infinitely_many_features_give_the_kernel_learning_curve(M, alpha, delta, t):
    lam, v = spectrum(M, alpha)
    assume(delta > 0 or abs(t - M) > 1)           # ridgeless at T = M both diverge
    N = 1e12
    loss = float(rf.test_loss(lam, v, N, t, delta * N / M))    # γ M/(σ_u² N) = δ: the kernel's ridge
    kernel = float(kernels.learning_curve(lam, v * lam, t, delta).error)   # target power v λ in the kernel basis
    if kernel == 0:                               # ridgeless with T ≥ M: exact recovery on both sides
        assert loss == pytest.approx(0.0, abs=1e-12 * (v * lam).sum())
    else:
        assert loss == pytest.approx(kernel, rel=1e4 * M / N)   # the finite-N correction is O(M/N)


FITS = settings(max_examples=40, deadline=None)
N8 = np.geomspace(10, 1e4, 8)


@FITS
@given(exponent=st.floats(-280, 280), alpha=st.floats(0.05, 4.0), offset=st.floats(0.0, 2.0))
def test_exact_power_laws_are_recovered_at_any_scale(exponent, alpha, offset):
    c = 10.0**exponent
    assert fit_power_law(N8, c * N8**-alpha).alpha == pytest.approx(alpha, rel=1e-9)
    curve = c * (offset + N8**-alpha)
    # L − L∞ carries the rounding of L: a relative error ε(1 + L∞ n^α) at the largest n
    conditioning = np.finfo(float).eps * (1 + offset * N8[-1] ** alpha)
    assert fit_power_law(N8, curve, offset=c * offset).alpha == pytest.approx(alpha, rel=1e-9 + 10 * conditioning)
    if alpha <= 2 and offset <= 1:                # the tail c n^-α resolved above L∞'s rounding
        assert fit_power_law(N8, curve, offset="fit").alpha == pytest.approx(alpha, rel=1e-6)


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zs", "Zl", "Zp"]), min_size=1,
               max_size=20)
FINITE = st.floats(-1e6, 1e6, allow_nan=False)


@st.composite
def claims(draw):
    comparison = draw(st.sampled_from(COMPARISONS))
    expected, measured, tolerance = draw(FINITE), draw(FINITE), draw(st.floats(0, 1e3))
    interval = None
    if comparison == "covers" or draw(st.booleans()):
        lo, width = draw(FINITE), draw(st.floats(0, 1e3))
        interval = [lo, lo + width]
    band_edge = {"abs": expected + tolerance, "le": expected + tolerance, "ge": expected - tolerance,
                 "covers": (interval or [0, 0])[1] + tolerance}[comparison]
    outside = draw(st.floats(1.0, 1e3))
    alternative = band_edge - outside if comparison == "ge" else band_edge + outside   # beyond the band
    return dict(kind=draw(st.sampled_from(KINDS)), statement=draw(TEXT), source=draw(TEXT),
                section="sec-" + draw(st.from_regex(r"[a-z]{1,8}", fullmatch=True)), expected=expected,
                measured=measured, tolerance=tolerance, alternative=alternative, alternative_note=draw(TEXT),
                interval=interval, comparison=comparison,
                require_coverage=comparison != "covers" and interval is not None and draw(st.booleans()))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(claims(), min_size=1, max_size=6))
def test_ledgers_round_trip_through_load_claims(records, tmp_path_factory):
    directory = tmp_path_factory.mktemp("ledger")
    ledger = Ledger("round-trip", directory)
    for i, fields in enumerate(records):
        ledger.record(f"prop.claim.{i}", **fields)
    ledger.complete()
    assert load_claims(directory) == {"round-trip": ledger.claims}
    failing = {c.id for c in ledger.claims if not c.holds}
    problems = check_claims(directory, expect=["round-trip"])
    assert all("does not hold" in p for p in problems)
    assert {p.split("'")[1] for p in problems} == failing
    assert all(math.isfinite(c.measured) and c.has_power() for c in ledger.claims)

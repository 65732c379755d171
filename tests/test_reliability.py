"""Issue 16's examples, each as a regression test: a clear error, or the right value.

Shared inputs, as in the issue: ``rng = np.random.default_rng(0); X = rng.standard_normal((30, 3));
Xt = rng.standard_normal((5, 3)); Y = rng.standard_normal(30); n8 = np.geomspace(10, 1e4, 8);
L1 = 2 * n8**-0.5``.
"""

from __future__ import annotations

import numpy as np
import pytest

from scaling_utils.engines import backend, neighbors, networks, regression, solvable
from scaling_utils.engines.torus_kernels import TorusKernel
from scaling_utils.measurement.dimension import levina_bickel, remove_duplicates, twonn
from scaling_utils.measurement.fitting import fit_power_law
from scaling_utils.theory.variance import sandwich_excess_risk
from scaling_utils.validation import (
    InputTypeError,
    as_float_array,
    check_budget,
    check_sizes,
    cholesky_factor,
    max_bytes,
    max_work,
    resource_limits,
)

_rng = np.random.default_rng(0)
X = _rng.standard_normal((30, 3))
XT = _rng.standard_normal((5, 3))
Y = _rng.standard_normal(30)
N8 = np.geomspace(10, 1e4, 8)
L1 = 2 * N8**-0.5


# ------------------------------------------------------------------ kernel solves: clipped spectra
def test_kernel_ridge_with_rounding_level_eigenvalues_is_the_pseudo_inverse():
    # rank-3 kernel of 30 points: 27 eigenvalues of about ±1e-15; ridge 1e-15 was off by 62
    pred = networks.kernel_predict(X @ X.T, XT @ X.T, Y, ridge=1e-15)
    assert np.allclose(pred, XT @ np.linalg.pinv(X) @ Y, rtol=1e-8, atol=1e-10)


def test_kernel_ridge_with_a_tiny_ridge_on_a_rank_one_kernel():
    # 1ᵀ(11ᵀ + γ)⁻¹y = Σy/(20 + γ); the old solve returned 4.6e18
    pred = networks.kernel_predict(np.ones((20, 20)), np.ones((5, 20)), Y[:20], ridge=1e-300)
    assert np.allclose(pred, Y[:20].sum() / 20, rtol=1e-12)


def test_kernel_must_be_symmetric_and_positive_semi_definite():
    a = np.random.default_rng(1).standard_normal((20, 20))
    with pytest.raises(ValueError, match="k_train must be symmetric"):
        networks.kernel_predict(a, np.ones((5, 20)), Y[:20], ridge=1.0)
    with pytest.raises(ValueError, match="k_train must be positive semi-definite"):
        networks.kernel_predict(-np.eye(20), np.ones((5, 20)), Y[:20], ridge=1.0)


# ------------------------------------------------------------------ fits: undefined results and scale
def test_fit_refuses_a_zero_loss_an_empty_table_and_a_flat_curve():
    with pytest.raises(ValueError, match="positive mean at every size"):
        fit_power_law(N8, np.r_[L1[:-1], 0.0])
    with pytest.raises(ValueError, match="at least one curve"):
        fit_power_law(N8, np.empty((0, 8)))
    with pytest.raises(ValueError, match="no decaying power law"):
        fit_power_law(N8, np.ones(8), offset="fit")


@pytest.mark.parametrize("scale", [1e158, 1e-165, 1e-300, 1e300])
def test_fit_is_invariant_under_the_loss_scale(scale):
    exact = fit_power_law(N8, N8**-1.0, offset="fit")
    scaled = fit_power_law(N8, scale * N8**-1.0, offset="fit")
    assert scaled.alpha == pytest.approx(exact.alpha, rel=1e-12)     # was 0.011 at 1e158 (χ² overflowed)
    assert scaled.amplitude == pytest.approx(scale * exact.amplitude, rel=1e-9)
    noisy = 2 * N8**-0.5 * (1 + 0.05 * np.random.default_rng(3).standard_normal((10, 8)))
    for offset in (None, "fit"):
        ref = fit_power_law(N8, noisy + (offset == "fit"), offset=offset)
        got = fit_power_law(N8, scale * (noisy + (offset == "fit")), offset=offset)
        # at scales <= 1e-160 the weights 1/se² overflowed and were silently dropped; the fitted
        # offset's golden-section search resolves α to about 1e-9, the log fit to rounding
        rel = 1e-7 if offset == "fit" else 1e-12
        assert got.interval == pytest.approx(ref.interval, rel=rel)
        assert got.chi2_dof == pytest.approx(ref.chi2_dof, rel=rel)


# ------------------------------------------------------------------ dimension estimators: ties, duplicates
def test_dimension_estimators_refuse_lattices_and_integer_data():
    lattice = np.stack(np.meshgrid(np.arange(10) / 10, np.arange(10) / 10), -1).reshape(-1, 2)
    with pytest.raises(ValueError, match="discrete"):
        twonn(lattice, boxsize=1.0, n_boot=0)        # was d ≈ 4e16
    with pytest.raises(ValueError, match="discrete"):
        levina_bickel(lattice, boxsize=1.0, k1=3, k2=5, n_boot=0)
    integers = np.random.default_rng(1).integers(0, 10, (500, 3)).astype(float)
    with pytest.raises(ValueError, match="discrete"):
        twonn(integers, n_boot=0)                    # was 8.8


def test_near_duplicates_are_removed():
    pts = np.random.default_rng(2).random((500, 2))
    near = np.concatenate([pts, pts[:5] + 1e-12])     # gave 1.05 instead of about 2
    est = twonn(near, n_boot=0)
    assert est.n_duplicates == 5 and est.dimension == twonn(pts, n_boot=0).dimension
    with pytest.raises(ValueError, match="duplicated"):
        twonn(near, duplicates="raise")


def test_points_that_coincide_after_wrapping_are_duplicates():
    pts = np.random.default_rng(2).random((500, 2))
    wrapped = np.concatenate([pts, [[0.0, 0.5], [-1e-17, 0.5]]])   # gave 0.0 with a RuntimeWarning
    est = twonn(wrapped, boxsize=1.0, n_boot=0)
    assert est.n_duplicates == 1
    assert est.dimension == twonn(np.concatenate([pts, [[0.0, 0.5]]]), boxsize=1.0, n_boot=0).dimension
    assert remove_duplicates(wrapped, boxsize=1.0)[1] == 1


def test_twonn_fit_must_discard_the_largest_mu():
    pts = np.random.default_rng(2).random((500, 2))
    with pytest.raises(ValueError, match="discard"):
        twonn(pts, method="fit", discard=0.0)          # returned inf


# ------------------------------------------------------------------ neighbours: centred expansion
def test_brute_force_neighbours_far_from_the_origin():
    pts = np.random.default_rng(4).random((500, 2))
    queries = pts[:50] + 1e8 + 1e-3
    _, brute = neighbors.nearest_neighbors(pts + 1e8, queries, method="brute")
    _, tree = neighbors.nearest_neighbors(pts + 1e8, queries, method="kdtree")
    assert np.array_equal(brute, tree)                 # was 2 % of them
    assert np.array_equal(brute[:, 0], np.arange(50))


# ------------------------------------------------------------------ validation at the boundary
def test_sizes_beyond_2_53_and_complex_values_are_refused():
    with pytest.raises(ValueError, match="n must be < 2\\^53"):
        check_sizes("n", [5, 1e19])                    # returned [5, -9223372036854775808]
    with pytest.raises(ValueError, match="sizes must be < 2\\^53"):
        regression.ridge_prefix_path(X, Y, [5, 1e19], [0.0])   # then silently returned zeros
    with pytest.raises(TypeError, match="x must be real"):
        as_float_array("x", [1 + 2j])                  # dropped the imaginary part
    with pytest.raises(ValueError, match="x must be real"):  # an InputTypeError is also a ValueError
        as_float_array("x", [1 + 2j])


def test_matrices_are_checked_for_finiteness_symmetry_and_sign():
    with pytest.raises(ValueError, match="sigma must be finite"):
        cholesky_factor("sigma", [[np.nan]])           # returned NaN
    with pytest.raises(ValueError, match="g must be finite"):   # the message said "ridge too small"
        backend.cholesky_upper(backend.namespace("numpy"), np.array([[np.nan]]), ridge=0.0)
    with pytest.raises(ValueError, match="sigma must be symmetric"):
        sandwich_excess_risk(10, np.array([[2.0, 5.0], [0.0, 2.0]]), np.eye(2))   # ignored the upper triangle
    with pytest.raises(ValueError, match="covariance must be >= 0"):
        regression.population_mse([1.0], [-1.0])       # returned -1
    with pytest.raises(ValueError, match="covariance must be positive semi-definite"):
        regression.population_mse([1.0, 1.0], [[1.0, 2.0], [2.0, 1.0]])
    with pytest.raises(ValueError, match="rcond must be in"):
        regression.ridge_path(X[:, :2] @ np.ones((2, 3)), Y, [0.0], rcond=-1)   # coefficients of 2.7e11


# ------------------------------------------------------------------ the memory and work guard
def test_torus_kernel_spectrum_in_high_dimension_needs_no_grid():
    kernel = TorusKernel("matern", 10, 0.1)            # asked for 26 GiB to return 10 numbers
    lam = kernel.eigenvalues(10)
    c0, c1 = kernel.spectral_density(np.array([0.0, 2 * np.pi]))
    assert lam[0] == c0 and np.all(lam[1:] == c1)      # m = 0, then 9 of the 20 modes with |m| = 1
    low = TorusKernel("matern", 3, 0.1, 1.5)           # the shell count agrees with the grid enumeration
    assert np.array_equal(low._eigenvalues_by_shells(5000, 10), low.eigenvalues(5000))


def test_guard_refuses_huge_periodic_image_sets_and_hanging_loops():
    with resource_limits(max_bytes=2**32), pytest.raises(ValueError, match="memory"):
        TorusKernel("gaussian", 3, 100.0).gram(np.zeros((2, 3)))   # ~3e9 images in a Python list
    lam = np.array([1.0, 0.5])
    with pytest.raises(ValueError, match="operations"):
        solvable.feature_moments(lam, np.eye(2), np.ones(2), "tanh", n_test=10**12)   # hung


def test_guard_limits_come_from_arguments_and_environment(monkeypatch):
    with resource_limits(max_bytes=1000):
        assert max_bytes() == 1000
        with pytest.raises(ValueError, match="1000 bytes"):
            check_budget("a test", nbytes=2000)
    monkeypatch.setenv("SCALING_UTILS_MAX_BYTES", "2KiB")
    monkeypatch.setenv("SCALING_UTILS_MAX_WORK", "5e3")
    assert max_bytes() == 2048 and max_work() == 5e3
    check_budget("a test", nbytes=2000, work=5e3)
    with pytest.raises(ValueError, match="SCALING_UTILS_MAX_WORK"):
        check_budget("a test", iterations=1)           # one Python iteration counts 1e6 operations
    monkeypatch.setenv("SCALING_UTILS_MAX_BYTES", "lots")
    with pytest.raises(ValueError, match="SCALING_UTILS_MAX_BYTES must be a positive number"):
        max_bytes()


def test_input_type_error_is_a_type_error_and_a_value_error():
    assert issubclass(InputTypeError, TypeError) and issubclass(InputTypeError, ValueError)

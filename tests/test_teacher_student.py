"""Tests for scaling_utils.engines.teacher_student: exact solves, limits, duality, theory, bad input."""

import numpy as np
import pytest
from scipy import linalg
from threadpoolctl import threadpool_limits

from scaling_utils.engines.teacher_student import (
    loss_grid,
    loss_infinite_data,
    loss_infinite_features,
    population_loss,
    sample_teacher_student,
)
from scaling_utils.theory.random_features import power_law_spectrum, test_loss


@pytest.fixture(autouse=True, scope="module")
def _one_blas_thread():
    # many small factorizations: BLAS threads only add overhead (and contend on a shared machine)
    with threadpool_limits(1):
        yield


@pytest.fixture(scope="module")
def small_model():
    return sample_teacher_student(power_law_spectrum(120, 1.0), 60, 70, seed=3)


@pytest.mark.parametrize("ridge", [0.0, 1e-2])
def test_loss_grid_matches_direct_solves(small_model, ridge):
    m = small_model
    D, P = np.array([5, 20, 40, 70]), np.array([5, 30, 60])
    grid = loss_grid(m, D, P, ridge)
    f, y = m.features, m.targets
    for i, d in enumerate(D):
        for j, p in enumerate(P):
            if ridge == 0:
                th = np.linalg.lstsq(f[:d, :p], y[:d], rcond=None)[0]
            else:
                th = np.linalg.solve(f[:d, :p].T @ f[:d, :p] + ridge * np.eye(p), f[:d, :p].T @ y[:d])
            assert grid[i, j] == pytest.approx(population_loss(m, th), rel=1e-7)


@pytest.mark.parametrize("ridge", [0.0, 1e-2])
def test_teacher_average_is_the_exact_trace_and_swapping_is_an_identity(small_model, ridge):
    m = small_model
    D, P = np.array([5, 20, 40, 70]), np.array([5, 30, 60])
    avg = loss_grid(m, D, P, ridge, teacher="average")
    lam, S = m.eigenvalues, m.S
    for i, d in enumerate(D):
        for j, p in enumerate(P):
            f = m.features[:d, :p]
            Theta = np.linalg.pinv(f) if ridge == 0 else np.linalg.solve(f.T @ f + ridge * np.eye(p), f.T)
            M = m.projection[:p].T @ Theta @ m.inputs[:d] - np.eye(S)       # a = M ω
            assert avg[i, j] == pytest.approx(np.trace(M.T @ (lam[:, None] * M)) / S, rel=1e-10)
    # D ↔ P per draw: the swapped model at (P, D) is the same number, to rounding
    np.testing.assert_allclose(loss_grid(m.swapped(), P, D, ridge, teacher="average").T, avg, rtol=1e-10)
    # the sampled teacher is not symmetric per draw
    sampled = loss_grid(m, D, P, ridge)
    assert np.abs(loss_grid(m.swapped(), P, D, ridge).T / sampled - 1).max() > 1e-3


def test_teacher_average_is_the_mean_over_teachers():
    # L is quadratic in ω and E ωωᵀ = I/S, so E_ω L = (1/S) Σ_j L(ω = e_j) exactly
    lam = power_law_spectrum(40, 1.0)
    base = sample_teacher_student(lam, 12, 15, seed=5)
    D, P = np.array([6, 15]), np.array([4, 12])
    unit = [loss_grid(type(base)(lam, e, base.projection, base.latent), D, P) for e in np.eye(40)]
    np.testing.assert_allclose(np.mean(unit, axis=0), loss_grid(base, D, P, teacher="average"), rtol=1e-10)


def test_population_loss_is_zero_for_the_teacher():
    lam = power_law_spectrum(30, 1.0)
    m = sample_teacher_student(lam, 30, 5, seed=0, projection="subset")
    # with all S coordinates the student can represent ω exactly: θ = 𝒫ω
    assert population_loss(m, m.projection @ m.teacher) == pytest.approx(0.0, abs=1e-14)
    assert population_loss(m, np.zeros(30)) == pytest.approx(m.teacher**2 @ lam)


def test_infinite_data_limit_is_large_D_limit():
    lam = power_law_spectrum(80, 1.0)
    m = sample_teacher_student(lam, 10, 20000, seed=1)
    # teacher-averaged limit vs the sampled-teacher fit at huge D: compare via the exact projection
    fit = loss_grid(m, [20000], [10])[0, 0]
    G = m.projection @ (lam[:, None] * m.projection.T)
    theta = np.linalg.solve(G, m.projection @ (lam * m.teacher))
    exact = population_loss(m, theta)
    assert fit == pytest.approx(exact, rel=2e-3)  # excess ∝ P/D = 5e-4
    # the teacher average: E_ω of the exact projection loss
    avg = np.mean([population_loss(mm, np.linalg.solve(
        mm.projection @ (lam[:, None] * mm.projection.T), mm.projection @ (lam * mm.teacher)))
        for mm in [sample_teacher_student(lam, 10, 1, seed=s) for s in range(400)]])
    lim = np.mean([loss_infinite_data(sample_teacher_student(lam, 10, 1, seed=s), [10])[0]
                   for s in range(400)])
    assert avg == pytest.approx(lim, rel=0.05)


def test_subset_projection_has_no_power_law():
    # D → ∞ with a random subset of the eigen-coordinates: L = (tr Λ − Σ_kept λ)/S exactly
    lam = power_law_spectrum(200, 1.0)
    m = sample_teacher_student(lam, 50, 1, seed=2, projection="subset")
    kept = np.argmax(m.projection, axis=1)
    assert loss_infinite_data(m, [50])[0] == pytest.approx((lam.sum() - lam[kept].sum()) / 200)


def test_limits_are_dual_and_match_theory():
    S = 1500
    lam = power_law_spectrum(S, 1.0)
    n = np.array([30, 100, 300])
    seeds = range(6)
    li = np.mean([loss_infinite_data(sample_teacher_student(lam, 300, 1, seed=s), n) for s in seeds], 0)
    lf = np.mean([loss_infinite_features(sample_teacher_student(lam, 1, 300, seed=s), n) for s in seeds], 0)
    theory = test_loss(lam, 1 / S, n, 1e12, 0.0)
    np.testing.assert_allclose(li, theory, rtol=0.06)
    np.testing.assert_allclose(lf, theory, rtol=0.06)


def test_grid_matches_theory_and_is_nearly_symmetric():
    S = 400
    lam = power_law_spectrum(S, 1.0)
    sizes = np.array([25, 50, 200])
    sims = np.array([loss_grid(sample_teacher_student(lam, 200, 200, seed=s), sizes, sizes)
                     for s in range(40)])
    mean = sims.mean(0)
    theory = test_loss(lam, 1 / S, sizes[None, :], sizes[:, None], 0.0)
    off = ~np.eye(3, dtype=bool)
    np.testing.assert_allclose(mean[off], theory[off], rtol=0.15)
    # N ↔ T: the theory is exactly symmetric, the simulation within its noise
    np.testing.assert_allclose(theory, theory.T)
    np.testing.assert_allclose(mean[off], mean.T[off], rtol=0.15)


def test_bad_input():
    lam = power_law_spectrum(20, 1.0)
    with pytest.raises(ValueError, match="eigenvalues"):
        sample_teacher_student([-1.0, 1.0], 2, 2, seed=0)
    with pytest.raises(ValueError, match="n_features"):
        sample_teacher_student(lam, 0, 2, seed=0)
    with pytest.raises(ValueError, match="n_samples"):
        sample_teacher_student(lam, 2, 0, seed=0)
    with pytest.raises(ValueError, match="projection"):
        sample_teacher_student(lam, 2, 2, seed=0, projection="random")
    with pytest.raises(ValueError, match="n_features"):
        sample_teacher_student(lam, 21, 2, seed=0, projection="subset")
    with pytest.raises(ValueError, match="seed"):
        sample_teacher_student(lam, 2, 2, seed=-1)
    m = sample_teacher_student(lam, 10, 10, seed=0)
    with pytest.raises(ValueError, match="n_samples"):
        loss_grid(m, [5, 11], [5])
    with pytest.raises(ValueError, match="n_features"):
        loss_grid(m, [5], [5, 11])
    with pytest.raises(ValueError, match="ridge"):
        loss_grid(m, [5], [5], -1.0)
    with pytest.raises(ValueError, match="increasing"):
        loss_grid(m, [5, 3], [5])
    with pytest.raises(ValueError, match="coef"):
        population_loss(m, np.ones(11))
    with pytest.raises(ValueError, match="n_features"):
        loss_infinite_data(m, [11])
    with pytest.raises(ValueError, match="n_samples"):
        loss_infinite_features(m, [0])
    with pytest.raises(ValueError, match="teacher"):
        loss_grid(m, [5], [5], teacher="mean")
    with pytest.raises(ValueError, match="gaussian"):
        sample_teacher_student(lam, 5, 5, seed=0, projection="subset").swapped()
    big = sample_teacher_student(lam, 30, 30, seed=0)
    with pytest.raises(ValueError, match="min"):
        loss_grid(big, [25], [25])


def test_sampled_teacher_limits_match_direct_fits():
    lam = power_law_spectrum(60, 1.0)
    m = sample_teacher_student(lam, 400, 30, seed=4)
    # P = ∞: minimum-norm regression on F itself; P = S-sized Gaussian projection is close to it
    X, y = m.inputs, m.targets
    beta = np.linalg.lstsq(X[:20], y[:20], rcond=None)[0]
    direct = ((beta - m.teacher) ** 2) @ lam
    assert loss_infinite_features(m, [20], teacher="sampled")[0] == pytest.approx(direct, rel=1e-8)
    G = m.projection[:15] @ (lam[:, None] * m.projection[:15].T)
    theta = np.linalg.solve(G, m.projection[:15] @ (lam * m.teacher))
    assert loss_infinite_data(m, [15], teacher="sampled")[0] == pytest.approx(population_loss(m, theta),
                                                                              rel=1e-8)
    # a very wide student approaches the P = ∞ limit (excess ∝ D/P)
    wide = loss_grid(m, [20], [50, 100, 400])[0]
    excess = np.abs(wide - direct)
    assert excess[2] < excess[1] < excess[0]
    assert wide[2] == pytest.approx(direct, rel=0.3)
    with pytest.raises(ValueError, match="teacher"):
        loss_infinite_data(m, [5], teacher="fixed")


def test_first_order_term_has_zero_mean_and_reduces_noise():
    from scaling_utils.engines.teacher_student import first_order_term
    lam = power_law_spectrum(200, 1.0)
    P = np.array([60, 240])
    raw, cv, t1s = [], [], []
    for s in range(60):
        m = sample_teacher_student(lam, 240, 10, seed=s)
        e = loss_grid(m, [10], P)[0] - loss_infinite_features(m, [10], teacher="sampled")[0]
        t1 = first_order_term(m, 10, P)
        raw.append(e), cv.append(e - t1), t1s.append(t1 / m.teacher.dot(lam * m.teacher))
    raw, cv, t1s = map(np.array, (raw, cv, t1s))
    assert np.all(np.abs(t1s.mean(0)) < 3 * t1s.std(0) / np.sqrt(60))   # zero mean
    assert np.all(cv.std(0) < raw.std(0)) and cv.std(0)[-1] < 0.5 * raw.std(0)[-1]  # variance reduction
    assert np.all(cv.mean(0) > 0)
    with pytest.raises(ValueError, match="n_features"):
        first_order_term(m, 10, [5])
    with pytest.raises(ValueError, match="gaussian"):
        first_order_term(sample_teacher_student(lam, 50, 10, seed=0, projection="subset"), 10, [20])


def test_ridgeless_grid_keeps_qr_accuracy_on_ill_conditioned_features():
    """α_K = 5 makes the square D = P systems badly conditioned (cond(f) ~ 1e9): the semi-normal
    equations alone were off by up to 13 %; with one refinement step the loss matches a
    refined LU solve of f θ = y."""
    model = sample_teacher_student(power_law_spectrum(300, 5.0), 250, 250, seed=1)
    sizes = np.array([150, 200, 250])
    grid = loss_grid(model, sizes, sizes)
    for k, n in enumerate(sizes):
        f, y = model.features[:n, :n], model.targets[:n]
        lu = linalg.lu_factor(f)
        theta = linalg.lu_solve(lu, y)
        for _ in range(3):                                      # iterative refinement
            theta = theta + linalg.lu_solve(lu, y - f @ theta)
        assert grid[k, k] == pytest.approx(population_loss(model, theta), rel=1e-6), n


@pytest.mark.parametrize("ridge", [1e-15, 1e-300])
def test_ridge_below_rounding_level_is_a_clear_error(ridge):
    model = sample_teacher_student(power_law_spectrum(20, 1.0), 100, 60, seed=0)   # rank ≤ 20 < 50
    with pytest.raises(ValueError, match=r"ridge=.* is too small for this design"):
        loss_grid(model, [50], [100], ridge)

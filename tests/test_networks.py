"""The two-layer network, its tangent kernel, kernel predictors and the loss decomposition."""

import numpy as np
import pytest

from scaling_utils.engines import features as F
from scaling_utils.engines import networks as N

RNG = np.random.default_rng(0)
XT = RNG.standard_normal((10, 3)) / np.sqrt(3)
YT = np.sin(2 * XT[:, 0]) + XT[:, 1]
XS = RNG.standard_normal((30, 3)) / np.sqrt(3)
THETA = F.erf_ntk(XT)
LR = XT.shape[0] / np.linalg.eigvalsh(THETA).max()


def test_antisymmetric_init_gives_zero_function():
    w, a = N.init_two_layer(8, 3, seeds=2, seed=1)
    np.testing.assert_allclose(N.network_output(XS, w, a), 0.0, atol=1e-15)
    w, a = N.init_two_layer(8, 3, seeds=2, seed=1, antisymmetric=False)
    assert np.abs(N.network_output(XS, w, a)).max() > 0.1


def test_empirical_ntk_is_unbiased_for_the_analytic_ntk():
    w, a = N.init_two_layer(2000, 3, seeds=100, seed=2, antisymmetric=False)
    k = N.empirical_ntk(XT[:4], None, w, a)  # (seeds, 4, 4)
    mean, se = k.mean(0), k.std(0) / np.sqrt(k.shape[0])
    assert np.all(np.abs(mean - F.erf_ntk(XT[:4])) < 5 * se)


def test_kernel_gd_closed_form_equals_iteration():
    steps, lr = 37, 0.7 * LR
    k_test = F.erf_ntk(XS, XT)
    f_train = np.zeros_like(YT)
    f_test = np.zeros(XS.shape[0])
    for _ in range(steps):  # f ← f − η Θ (f − y)/D, at train and test points
        resid = (f_train - YT) / YT.size
        f_train = f_train - lr * THETA @ resid
        f_test = f_test - lr * k_test @ resid
    np.testing.assert_allclose(N.kernel_predict(THETA, k_test, YT, lr=lr, steps=steps), f_test, rtol=1e-9,
                               atol=1e-12)
    assert np.all(N.kernel_predict(THETA, k_test, YT, lr=lr, steps=0) == 0)


def test_kernel_ridge_matches_direct_solve_and_gd_converges_to_interpolation():
    k_test = F.arccos_kernel(XS, XT)
    k = F.arccos_kernel(XT)
    direct = k_test @ np.linalg.solve(k + 0.3 * np.eye(10), YT)
    np.testing.assert_allclose(N.kernel_predict(k, k_test, YT, ridge=0.3), direct, rtol=1e-10)
    long = N.kernel_predict(THETA, THETA, YT, lr=LR, steps=200_000)
    np.testing.assert_allclose(long, YT, atol=1e-6)


@pytest.mark.parametrize("kwargs", [{"ridge": 0.05}, {"lr": LR, "steps": 60}])
def test_first_order_response_matches_finite_difference(kwargs):
    k_test = F.erf_ntk(XS, XT)
    rng = np.random.default_rng(4)
    d_train = rng.standard_normal((10, 10))
    d_train = (d_train + d_train.T) / 2
    d_test = rng.standard_normal(k_test.shape)
    eps = 1e-6
    numeric = (N.kernel_predict(THETA + eps * d_train, k_test + eps * d_test, YT, **kwargs)
               - N.kernel_predict(THETA - eps * d_train, k_test - eps * d_test, YT, **kwargs)) / (2 * eps)
    analytic = N.kernel_predict_first_order(THETA, k_test, YT, d_train[None], d_test[None], **kwargs)[0]
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


def test_trained_wide_network_approaches_ntk_regression():
    steps = 60
    f_ntk = N.kernel_predict(THETA, F.erf_ntk(XS, XT), YT, lr=LR, steps=steps)
    errors = []
    for width in (200, 12800):
        w, a = N.init_two_layer(width, 3, seeds=4, seed=5)
        w, a = N.train_two_layer(XT, YT, w, a, lr=LR, steps=steps)
        errors.append(np.sqrt(np.mean((N.network_output(XS, w, a) - f_ntk) ** 2)))
    scale = np.sqrt(np.mean(f_ntk**2))
    assert errors[1] < 0.02 * scale      # wide network ≈ NTK regression
    assert errors[0] / errors[1] > 4     # and the gap shrinks like W^(-1/2) (√64 = 8)


def test_training_reduces_the_loss():
    w, a = N.init_two_layer(64, 3, seeds=3, seed=6)
    w2, a2 = N.train_two_layer(XT, YT, w, a, lr=LR, steps=20)
    before = np.mean((N.network_output(XT, w, a) - YT) ** 2, axis=1)
    after = np.mean((N.network_output(XT, w2, a2) - YT) ** 2, axis=1)
    assert np.all(after < 0.5 * before)


def test_excess_loss_parts_identities():
    rng = np.random.default_rng(7)
    f_inf, y = rng.standard_normal(100), rng.standard_normal(100)
    f = f_inf + 0.1 * rng.standard_normal((200, 100)) + 0.05
    lin = 0.02 * rng.standard_normal((200, 100))
    p = N.excess_loss_parts(f, f_inf, y, lin)
    direct = np.mean((f - y) ** 2, axis=-1) - np.mean((f_inf - y) ** 2)
    np.testing.assert_allclose(p.total, direct, rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose(p.first_order + p.mean_shift + p.fluctuation, p.total, rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose(p.corrected, p.total - p.first_order)
    fbar = f.mean(0)
    assert float(p.variance + p.shift_squared) == pytest.approx(np.mean((fbar - f_inf) ** 2)
                                                               + float(p.variance) * (1 - 1 / 200))
    assert float(p.shift_squared) == pytest.approx(0.05**2, rel=0.1)
    assert float(p.variance) == pytest.approx(0.01, rel=0.03)


def test_random_feature_first_order_has_zero_mean():
    f, df = N.random_feature_ridge_sweep(XT, YT, XS, [50, 400], ridge=0.1, seeds=200, seed=8)
    assert f.shape == df.shape == (200, 2, 30)
    mean, se = df.mean(0), df.std(0) / np.sqrt(200)
    assert np.all(np.abs(mean) < 5 * se)
    # the fluctuations shrink like W^(-1/2): 8-fold width, √8 smaller
    ratio = df[:, 0].std() / df[:, 1].std()
    assert 2.2 < ratio < 3.6


def test_network_width_sweep_shapes():
    f, df = N.network_width_sweep(XT, YT, XS, [8, 16], lr=LR, steps=5, seeds=2)
    assert f.shape == df.shape == (2, 2, 30)


def test_bad_inputs():
    with pytest.raises(ValueError, match="width"):
        N.init_two_layer(7, 3)
    with pytest.raises(ValueError, match="seeds"):
        N.init_two_layer(8, 3, seeds=0)
    w, a = N.init_two_layer(8, 3)
    with pytest.raises(ValueError, match="input dimension"):
        N.network_output(np.ones((2, 4)), w, a)
    with pytest.raises(ValueError, match="a must have shape"):
        N.network_output(XS, w, a[:, :3])
    with pytest.raises(ValueError, match="lr"):
        N.train_two_layer(XT, YT, w, a, lr=-1.0, steps=3)
    with pytest.raises(ValueError, match="steps"):
        N.train_two_layer(XT, YT, w, a, lr=0.1, steps=-1)
    with pytest.raises(ValueError, match="same number of rows"):
        N.train_two_layer(XT, YT[:3], w, a, lr=0.1, steps=1)
    with pytest.raises(ValueError, match="same input dimension"):
        N.empirical_ntk(XT, np.ones((2, 4)), w, a)
    with pytest.raises(ValueError, match="either ridge"):
        N.kernel_predict(THETA, THETA, YT)
    with pytest.raises(ValueError, match="ridge"):
        N.kernel_predict(THETA, THETA, YT, ridge=0.0)
    with pytest.raises(ValueError, match="k_train"):
        N.kernel_predict(THETA[:3], THETA, YT, ridge=1.0)
    with pytest.raises(ValueError, match="dk_train"):
        N.kernel_predict_first_order(THETA, THETA, YT, np.ones((3, 3)), THETA, ridge=1.0)
    with pytest.raises(ValueError, match="activation"):
        N.random_feature_ridge_sweep(XT, YT, XS, [4], ridge=1.0, seeds=1, activation="tanh")
    with pytest.raises(ValueError, match="widths"):
        N.network_width_sweep(XT, YT, XS, [16, 8], lr=LR, steps=1, seeds=1)
    with pytest.raises(ValueError, match="at least 2 seeds"):
        N.excess_loss_parts(np.ones((1, 3)), np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="first_order"):
        N.excess_loss_parts(np.ones((2, 3)), np.ones(3), np.ones(3), np.ones((2, 2)))

"""Two-layer networks trained by Levenberg–Marquardt, the convergence criteria and the sweeps."""

import numpy as np
import pytest

from scaling_utils.data.manifolds import random_fourier_target, random_torus_embedding
from scaling_utils.engines import trained_networks as T

RNG = np.random.default_rng(0)
X = np.hstack([RNG.standard_normal((30, 4)), np.ones((30, 1))])
Y = np.sin(X[:, 0]) + X[:, 1] * X[:, 2]
TARGET = random_fourier_target(2, n_modes=4, seed=2)
EMB = random_torus_embedding(2, 4, seed=1)


def test_antisymmetric_init_is_zero_and_forward_matches_a_loop():
    w, a, c = T.init_network(6, 5, seeds=3, seed=1)
    np.testing.assert_allclose(T.network_forward(X, w, a, c), 0.0, atol=1e-15)
    a = a + RNG.standard_normal(a.shape)
    for act, sigma in (("relu", lambda h: np.maximum(h, 0)), ("tanh", np.tanh)):
        out = T.network_forward(X, w, a, c + 0.5, act)
        loop = [[sum(a[s, j] * sigma(w[s, j] @ x) for j in range(6)) + 0.5 for x in X] for s in range(3)]
        np.testing.assert_allclose(out, loop, rtol=1e-12)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_dual_and_primal_forms_take_the_same_steps(activation):
    w, a, c = T.init_network(8, 5, seeds=2, seed=3)
    dual = T.train_levenberg_marquardt(X, Y, w, a, c, activation=activation, max_iter=6, form="dual")
    primal = T.train_levenberg_marquardt(X, Y, w, a, c, activation=activation, max_iter=6, form="primal")
    np.testing.assert_allclose(dual.train_mse, primal.train_mse, rtol=1e-8, atol=1e-14)
    np.testing.assert_allclose(dual.w, primal.w, atol=1e-9)
    assert dual.form == "dual" and primal.form == "primal"


def test_gradient_norm_matches_finite_differences():
    w, a, c = T.init_network(4, 5, seeds=1, seed=5)
    a = a + 0.3
    hist = T.train_levenberg_marquardt(X, Y, w, a, c, activation="tanh", max_iter=0)
    theta = np.concatenate([w.ravel(), a.ravel(), c])

    def loss(t):
        wt, at, ct = t[:20].reshape(1, 4, 5), t[20:24].reshape(1, 4), t[24:]
        return float(((T.network_forward(X, wt, at, ct, "tanh")[0] - Y) ** 2).mean())

    eps = 1e-6
    grad = [(loss(theta + eps * e) - loss(theta - eps * e)) / (2 * eps) for e in np.eye(theta.size)]
    np.testing.assert_allclose(hist.grad_norm[0, 0], np.linalg.norm(grad), rtol=1e-6)


def test_overparameterized_network_interpolates_and_stops_at_the_threshold():
    w, a, c = T.init_network(64, 5, seeds=3, seed=2)
    hist = T.train_levenberg_marquardt(X, Y, w, a, c, max_iter=100, stop_loss=1e-10, x_test=X[:5], y_test=Y[:5])
    assert np.all(hist.train_mse[-1] <= 1e-10)
    assert hist.iterations < 100  # stopped when every seed reached the threshold
    assert np.all(np.diff(hist.train_mse, axis=0) <= 0)  # only steps that lower the loss are accepted
    np.testing.assert_allclose(hist.test_mse[-1], hist.train_mse[-1] * 0, atol=1e-8)  # test = train points


def test_loss_is_monotone_and_seeds_are_independent():
    w, a, c = T.init_network(6, 5, seeds=2, seed=4)
    both = T.train_levenberg_marquardt(X, Y, w, a, c, max_iter=15)
    one = T.train_levenberg_marquardt(X, Y, w[1:], a[1:], c[1:], max_iter=15)
    np.testing.assert_allclose(both.train_mse[:, 1], one.train_mse[:, 0], rtol=1e-10)
    assert np.all(np.diff(both.train_mse, axis=0) <= 0)


def test_value_at_first_crossing_and_plateau_criterion():
    values = np.array([[5.0, 6.0], [4.0, 3.0], [1.0, 2.0]])
    crit = np.array([[1.0, 1.0], [0.1, 0.5], [0.0, 0.4]])
    v, it = T.value_at_first_crossing(values, crit, 0.45)
    assert v.tolist() == [4.0, 2.0] and it.tolist() == [1, 2]
    v, it = T.value_at_first_crossing(values, crit, 0.01)
    assert v[0] == 1.0 and np.isnan(v[1]) and it.tolist() == [2, -1]
    loss = np.array([[1.0], [1.0], [0.5], [0.5], [0.45]])
    plateau = T.plateau_criterion(loss, 1, accepted=[[0], [0], [1], [1], [2]])[:, 0]
    assert np.isinf(plateau[:2]).all() and plateau[2] == 1.0 and plateau[3] == 1.0
    np.testing.assert_allclose(plateau[4], 0.05 / 0.45)


def test_data_sweep_rows_nested_and_deterministic():
    kwargs = dict(width=16, seeds=2, seed=1, loss_thresholds=(1e-4, 1e-8), n_test=50, max_iter=30)
    rows = T.trained_network_data_sweep(2, [8, 16], TARGET, EMB, **kwargs)
    assert len(rows) == 2 * 2 * 2
    assert {r["P"] for r in rows} == {T.network_parameter_count(16, 5)}
    strict = [r for r in rows if r["threshold"] == 1e-8]
    assert all(r["converged"] and r["train_mse"] <= 1e-8 for r in strict)
    single = T.trained_network_data_sweep(2, [16], TARGET, EMB, **kwargs)
    assert [r["test_mse"] for r in single] == [r["test_mse"] for r in rows if r["D"] == 16]


def test_width_sweep_rows():
    rows = T.trained_network_width_sweep(2, [2, 4], TARGET, EMB, n_train=200, seeds=2, n_test=50,
                                         plateau_thresholds=(0.3, 0.1), max_iter=40)
    assert len(rows) == 2 * 2 * 2 and {r["W"] for r in rows} == {2, 4}
    assert all(r["D"] == 200 and (r["converged"] or np.isnan(r["test_mse"])) for r in rows)


def test_torus_inputs_are_unit_circles_plus_bias():
    x = T.torus_network_inputs(np.array([[0.1, 0.7]]), EMB)
    assert x.shape == (1, 5) and x[0, -1] == 1.0
    np.testing.assert_allclose(np.linalg.norm(x[0, :-1]), np.sqrt(2))


@pytest.mark.parametrize(("call", "match"), [
    (lambda: T.init_network(5, 3), "width must be even"),
    (lambda: T.init_network(0, 3), "width"),
    (lambda: T.network_forward(X, *T.init_network(4, 3), activation="relu"), r"x must have shape"),
    (lambda: T.network_forward(X, *T.init_network(4, 5), activation="gelu"), "activation"),
    (lambda: T.train_levenberg_marquardt(X, Y[:5], *T.init_network(4, 5)), "y must have"),
    (lambda: T.train_levenberg_marquardt(X, Y, *T.init_network(4, 5), stop_loss=-1.0), "stop_loss"),
    (lambda: T.train_levenberg_marquardt(X, Y, *T.init_network(4, 5), stop_plateau=0.0), "stop_plateau"),
    (lambda: T.train_levenberg_marquardt(X, Y, *T.init_network(4, 5), max_iter=-1), "max_iter"),
    (lambda: T.train_levenberg_marquardt(X, Y, *T.init_network(4, 5), form="qr"), "form"),
    (lambda: T.train_levenberg_marquardt(X, Y, *T.init_network(4, 5), x_test=X), "both x_test"),
    (lambda: T.train_levenberg_marquardt(X, Y, *T.init_network(4, 5), damping=0.0), "damping"),
    (lambda: T.value_at_first_crossing([[1.0]], [[1.0, 2.0]], 0.1), "same shape"),
    (lambda: T.plateau_criterion([[1.0], [0.5]], 1, accepted=[[1], [0]]), "accepted"),
    (lambda: T.torus_network_inputs([[0.1, 0.2]], "torus"), "embedding"),
    (lambda: T.trained_network_data_sweep(3, [8], TARGET, EMB, width=4), "FourierTarget on the 3-torus"),
    (lambda: T.trained_network_data_sweep(2, [16, 8], TARGET, EMB, width=4), "sizes"),
    (lambda: T.trained_network_data_sweep(2, [8], TARGET, EMB, width=4, loss_thresholds=[0.0]), "loss_thresholds"),
    (lambda: T.trained_network_width_sweep(2, [4], TARGET, EMB, n_train=1), "n_train"),
    (lambda: T.trained_network_width_sweep(2, [4], TARGET, EMB, n_train=50, plateau_window=0), "plateau_window"),
])
def test_bad_input_names_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()

r"""Two-layer networks trained to convergence, vectorized over seeds (Levenberg–Marquardt).

**The network.** With the input :math:`\tilde x = (x, 1)` (a constant coordinate carries the bias),

.. math:: f(x) = \sum_{j=1}^{W} a_j\,\sigma(w_j\cdot\tilde x) + c, \qquad
          P = W(n + 2) + 1 \text{ parameters for } x \in \mathbb R^n,

with :math:`\sigma` = ReLU or tanh. The initialization is *antisymmetric*: the second half of the
neurons copies the first with opposite readouts, so :math:`f \equiv 0` at initialization and the
trained function carries no random initial function (a noise the data would have to undo);
:math:`w_j \sim \mathcal N(0, I/(n+1))`, :math:`a_j \sim \mathcal N(0, 1/W)`, :math:`c = 0`.

**Training.** Full batch, on the mean squared error :math:`L = \frac1D\sum_i r_i^2`,
:math:`r = f(X) - y`, by the Levenberg–Marquardt method (Levenberg 1944; Marquardt 1963): with the
Jacobian :math:`J = \partial f(X)/\partial\theta` (D × P),

.. math:: \theta \leftarrow \theta - \delta, \qquad
          \delta = (J^\top J + \mu I)^{-1} J^\top r = J^\top (J J^\top + \mu I)^{-1} r,

a damped Gauss–Newton step. The two forms are the same step (push-through identity); the second,
*dual* form solves a D × D system and is used when :math:`D \le P` (over-parameterized), the first,
*primal* form a P × P system when :math:`D > P`. The dual form never builds J:

.. math:: J J^\top = S S^\top + (G G^\top)\circ(\tilde X\tilde X^\top) + \mathbf 1\mathbf 1^\top,
          \qquad S_{ij} = \sigma(w_j\cdot\tilde x_i),\quad G_{ij} = a_j\,\sigma'(w_j\cdot\tilde x_i),

two D × D products with inner dimension W instead of one with inner dimension P. The damping is
:math:`\mu = \lambda\,\mathrm{tr}(J J^\top)/D`; a step that lowers the loss is accepted and
:math:`\lambda \leftarrow \lambda/3`, otherwise it is rejected and :math:`\lambda \leftarrow 4\lambda`
(Nielsen's rule, simplified). Near an interpolating solution (:math:`D \le P`) the method converges
quadratically, so a network reaches a training loss of :math:`10^{-10}` in tens of iterations
where gradient descent or Adam would need many thousands of steps.

Every array carries a leading seed axis: all seeds train at once, each on its own data, and a seed
stops being updated once it meets the stopping rule. The history of every iteration (training and
test loss, gradient norm :math:`|\nabla_\theta L|`) is kept, so that the test loss at *any* looser
convergence criterion — the first iteration at which the training loss falls below a threshold,
or the gradient norm below a fraction of its initial value — is read off one training run
(:func:`value_at_first_crossing`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..data.manifolds import FourierTarget, TorusEmbedding
from ..validation import (
    as_float_array,
    check_budget,
    check_choice,
    check_in_range,
    check_positive_int,
    check_seed,
    check_sizes,
)

__all__ = [
    "ACTIVATIONS",
    "TrainingHistory",
    "init_network",
    "network_forward",
    "network_parameter_count",
    "plateau_criterion",
    "torus_network_inputs",
    "train_levenberg_marquardt",
    "trained_network_data_sweep",
    "trained_network_width_sweep",
    "value_at_first_crossing",
]

ACTIVATIONS = ("relu", "tanh")
_LAMBDA_RANGE = (1e-15, 1e10)


def _activation(h: np.ndarray, activation: str) -> tuple[np.ndarray, np.ndarray]:
    """σ(h) and σ'(h)."""
    if activation == "relu":
        return np.maximum(h, 0.0), (h > 0).astype(h.dtype)
    t = np.tanh(h)
    return t, 1.0 - t * t


def network_parameter_count(width: int, n_in: int) -> int:
    """P = W(n_in + 1) + 1: hidden weights (the bias included in ``n_in``), readouts, output bias.

    >>> network_parameter_count(10, 3)
    41
    """
    width = check_positive_int("width", width)
    n_in = check_positive_int("n_in", n_in)
    return width * (n_in + 1) + 1


def torus_network_inputs(theta: Any, embedding: TorusEmbedding) -> np.ndarray:
    r"""Network inputs :math:`\tilde x = (2\pi\,\Phi(\theta), 1)` for angles ``theta`` of shape (N, d).

    :math:`2\pi\Phi` puts each angle on a circle of radius one (the embedding's circles have
    circumference one); the constant last coordinate carries the hidden units' biases.
    Returns (N, n + 1) with n the embedding's ambient dimension.
    """
    if not isinstance(embedding, TorusEmbedding):
        raise ValueError(f"embedding must be a TorusEmbedding (got {type(embedding).__name__})")
    x = 2 * np.pi * embedding(theta)
    return np.hstack([x, np.ones((x.shape[0], 1))])


def init_network(width: int, n_in: int, *, seeds: int = 1, seed: Any = 0
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Antisymmetric initialization: ``w`` (seeds, W, n_in), ``a`` (seeds, W), ``c`` (seeds,).

    ``width`` must be even; neurons ``j`` and ``j + W/2`` share their weights and have opposite
    readouts, so the network is exactly zero at initialization. ``seed`` is an integer, a
    sequence of integers (a ``numpy.random.SeedSequence`` entropy) or a Generator.

    >>> w, a, c = init_network(4, 3, seeds=2)
    >>> w.shape, a.shape, c.shape, bool(np.all(a[:, :2] == -a[:, 2:]))
    ((2, 4, 3), (2, 4), (2,), True)
    """
    width = check_positive_int("width", width, minimum=2)
    if width % 2:
        raise ValueError(f"width must be even for the antisymmetric initialization (got {width})")
    n_in = check_positive_int("n_in", n_in)
    seeds = check_positive_int("seeds", seeds)
    seed = check_seed("seed", seed, generator=True, sequence=True)
    check_budget("init_network", nbytes=8.0 * 3 * seeds * width * n_in)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    half = width // 2
    w = rng.standard_normal((seeds, half, n_in)) / np.sqrt(n_in)
    a = rng.standard_normal((seeds, half)) / np.sqrt(width)
    return np.concatenate([w, w], axis=1), np.concatenate([a, -a], axis=1), np.zeros(seeds)


def _check_params(w: Any, a: Any, c: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    w = as_float_array("w", w, ndim=3)
    a = as_float_array("a", a, ndim=2)
    c = as_float_array("c", c, ndim=1)
    if a.shape != w.shape[:2] or c.shape != w.shape[:1]:
        raise ValueError(f"w {w.shape}, a {a.shape} and c {c.shape} must have shapes (seeds, W, n), "
                         "(seeds, W) and (seeds,)")
    return w, a, c


def _batched_inputs(name: str, x: Any, seeds: int, n_in: int) -> np.ndarray:
    """Inputs as (seeds, N, n_in): a shared (N, n_in) array is broadcast to every seed."""
    x = as_float_array(name, x, ndim=(2, 3))
    if x.ndim == 2:
        x = np.broadcast_to(x, (seeds, *x.shape))
    if x.shape[0] != seeds or x.shape[2] != n_in:
        raise ValueError(f"{name} must have shape (N, {n_in}) or ({seeds}, N, {n_in}) (got {x.shape})")
    if x.shape[1] == 0:
        raise ValueError(f"{name} must contain at least one point")
    return x


def network_forward(x: Any, w: Any, a: Any, c: Any, activation: str = "relu") -> np.ndarray:
    r""":math:`f(x) = \sum_j a_j\sigma(w_j\cdot x) + c` for every seed: shape (seeds, N).

    ``x`` is (N, n_in) shared by all seeds, or (seeds, N, n_in); it already contains the constant
    bias coordinate (:func:`torus_network_inputs`).
    """
    check_choice("activation", activation, ACTIVATIONS)
    w, a, c = _check_params(w, a, c)
    x = _batched_inputs("x", x, w.shape[0], w.shape[2])
    s, _ = _activation(np.matmul(x, w.transpose(0, 2, 1)), activation)
    return np.matmul(s, a[:, :, None])[..., 0] + c[:, None]


@dataclass(frozen=True)
class TrainingHistory:
    """A Levenberg–Marquardt run of every seed, one row per iteration (row 0: initialization).

    Attributes
    ----------
    train_mse, grad_norm : (iterations + 1, seeds) training loss and :math:`|\\nabla_\\theta L|`.
    accepted : (iterations + 1, seeds) the number of accepted steps so far.
    test_mse, test_l1 : (iterations + 1, seeds) test mean squared and absolute error (NaN without
        test data).
    w, a, c : the final parameters.
    form : "dual" (D ≤ P) or "primal" (D > P), the form of the linear system solved.
    """

    train_mse: np.ndarray
    grad_norm: np.ndarray
    test_mse: np.ndarray
    test_l1: np.ndarray
    accepted: np.ndarray
    w: np.ndarray
    a: np.ndarray
    c: np.ndarray
    form: str

    @property
    def iterations(self) -> int:
        return self.train_mse.shape[0] - 1


def _state(x: np.ndarray, y: np.ndarray, w: np.ndarray, a: np.ndarray, c: np.ndarray, activation: str
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features S (s, D, W), G = a σ' (s, D, W) and residuals r (s, D)."""
    s, ds = _activation(np.matmul(x, w.transpose(0, 2, 1)), activation)
    r = np.matmul(s, a[:, :, None])[..., 0] + c[:, None] - y
    return s, ds * a[:, None, :], r


def _gradient(x: np.ndarray, s: np.ndarray, g: np.ndarray, r: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Jᵀv for per-seed vectors v = r (s, D): the parts for a, w and c."""
    return (np.matmul(r[:, None, :], s)[:, 0], np.matmul((g * r[:, :, None]).transpose(0, 2, 1), x),
            r.sum(1))


def _system(x: np.ndarray, s: np.ndarray, g: np.ndarray, r: np.ndarray, dual: bool
            ) -> tuple[np.ndarray, np.ndarray]:
    """The undamped system of the step: (JJᵀ, r) in the dual form, (JᵀJ, Jᵀr) in the primal form."""
    if dual:
        gram = np.matmul(s, s.transpose(0, 2, 1))
        gram += np.matmul(g, g.transpose(0, 2, 1)) * np.matmul(x, x.transpose(0, 2, 1))
        gram += 1.0
        return gram, r
    seeds, n_train, width = s.shape
    jac = np.concatenate([s, (g[..., None] * x[:, :, None, :]).reshape(seeds, n_train, width * x.shape[2]),
                          np.ones((seeds, n_train, 1))], axis=2)
    return np.matmul(jac.transpose(0, 2, 1), jac), np.matmul(jac.transpose(0, 2, 1), r[..., None])[..., 0]


def _lm_step(x: np.ndarray, s: np.ndarray, g: np.ndarray, matrix: np.ndarray, rhs: np.ndarray, lam: np.ndarray,
             dual: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The Levenberg–Marquardt step δ = Jᵀ(JJᵀ + μI)⁻¹r = (JᵀJ + μI)⁻¹Jᵀr, split into (a, w, c).

    μ = λ tr(matrix)/D (tr JᵀJ = tr JJᵀ, so both forms take the same step)."""
    n = matrix.shape[1]
    damped = matrix.copy()
    damped[:, np.arange(n), np.arange(n)] += (lam * np.trace(matrix, axis1=1, axis2=2) / x.shape[1])[:, None]
    sol = np.linalg.solve(damped, rhs[..., None])[..., 0]
    if dual:
        return _gradient(x, s, g, sol)
    width = s.shape[2]
    return sol[:, :width], sol[:, width:-1].reshape(len(sol), width, x.shape[2]), sol[:, -1]


def train_levenberg_marquardt(x: Any, y: Any, w: Any, a: Any, c: Any, *, activation: str = "relu",
                              max_iter: int = 50, stop_loss: float | None = None,
                              stop_plateau: float | None = None, plateau_window: int = 5, x_test: Any = None,
                              y_test: Any = None, damping: float = 1e-3, form: str = "auto") -> TrainingHistory:
    r"""Train every seed's network by Levenberg–Marquardt until it meets the stopping rule.

    Parameters
    ----------
    x : (D, n_in) or (seeds, D, n_in) training inputs (bias coordinate included).
    y : (D,) or (seeds, D) targets.
    w, a, c : initial parameters from :func:`init_network` (not modified).
    activation : "relu" or "tanh".
    max_iter : the most iterations (accepted or rejected steps).
    stop_loss : a seed is converged once its training MSE is ≤ ``stop_loss``.
    stop_plateau : ... or once its training loss has stopped improving: it fell by less than a
        fraction ``stop_plateau`` over the last ``plateau_window`` iterations
        (:func:`plateau_criterion`). Without either, every seed runs ``max_iter`` iterations.
    x_test, y_test : test inputs (N, n_in) or (seeds, N, n_in) and targets, evaluated after every
        iteration.
    damping : initial λ (μ = λ tr(JJᵀ)/D).
    form : "dual", "primal" or "auto" (dual when D ≤ P): the same step, solved in the smaller space.

    Returns
    -------
    TrainingHistory; converged seeds keep their last values in the later rows.
    """
    check_choice("activation", activation, ACTIVATIONS)
    check_choice("form", form, ["auto", "dual", "primal"])
    w, a, c = _check_params(w, a, c)
    seeds, width, n_in = w.shape
    x = _batched_inputs("x", x, seeds, n_in)
    y = as_float_array("y", y, ndim=(1, 2))
    y = np.broadcast_to(y, (seeds, y.shape[-1])) if y.ndim == 1 else y
    if y.shape != x.shape[:2]:
        raise ValueError(f"y must have one target per training input: shape {x.shape[:2]} (got {y.shape})")
    max_iter = check_positive_int("max_iter", max_iter, minimum=0)
    if stop_loss is not None:
        stop_loss = check_in_range("stop_loss", stop_loss, low=0, low_open=True)
    if stop_plateau is not None:
        stop_plateau = check_in_range("stop_plateau", stop_plateau, low=0, low_open=True)
    plateau_window = check_positive_int("plateau_window", plateau_window)
    damping = check_in_range("damping", damping, low=_LAMBDA_RANGE[0], high=_LAMBDA_RANGE[1])
    has_test = x_test is not None or y_test is not None
    if has_test:
        if x_test is None or y_test is None:
            raise ValueError("give both x_test and y_test, or neither")
        x_test = _batched_inputs("x_test", x_test, seeds, n_in)
        y_test = as_float_array("y_test", y_test, ndim=(1, 2))
        y_test = np.broadcast_to(y_test, (seeds, y_test.shape[-1])) if y_test.ndim == 1 else y_test
        if y_test.shape != x_test.shape[:2]:
            raise ValueError(f"y_test must have shape {x_test.shape[:2]} (got {y_test.shape})")
    n_train = x.shape[1]
    dual = {"dual": True, "primal": False}.get(form, n_train <= network_parameter_count(width, n_in))
    w, a, c = w.copy(), a.copy(), c.copy()

    def test_errors(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not has_test:
            return np.full(idx.size, np.nan), np.full(idx.size, np.nan)
        err = network_forward(x_test[idx], w[idx], a[idx], c[idx], activation) - y_test[idx]
        return (err**2).mean(1), np.abs(err).mean(1)

    everyone = np.arange(seeds)
    s, g, r = _state(x, y, w, a, c, activation)
    loss = (r**2).mean(1)
    grad = 2 / n_train * np.sqrt(sum((p.reshape(seeds, -1) ** 2).sum(1) for p in _gradient(x, s, g, r)))
    lam = np.full(seeds, damping)
    te_mse, te_l1 = test_errors(everyone)
    rows = {"train_mse": [loss.copy()], "grad_norm": [grad.copy()], "test_mse": [te_mse], "test_l1": [te_l1]}

    def done() -> np.ndarray:
        met = np.zeros(seeds, bool)
        if stop_loss is not None:
            met |= loss <= stop_loss
        if stop_plateau is not None:
            met |= plateau_criterion(np.array(rows["train_mse"]), plateau_window,
                                     np.array(rows["accepted"]))[-1] <= stop_plateau
        return met | (lam >= _LAMBDA_RANGE[1])

    accepted = np.zeros(seeds, np.int64)
    rows["accepted"] = [accepted.copy()]
    matrix = rhs = None
    stale = np.ones(seeds, bool)  # the system must be rebuilt (parameters moved since it was built)
    for _ in range(max_iter):
        active = np.flatnonzero(~done()) if (stop_loss is not None or stop_plateau is not None) else everyone
        if active.size == 0:
            break
        rebuild = active[stale[active]]
        if rebuild.size:
            m, v = _system(x[rebuild], s[rebuild], g[rebuild], r[rebuild], dual)
            if matrix is None:
                matrix, rhs = np.empty((seeds, *m.shape[1:])), np.empty((seeds, *v.shape[1:]))
            matrix[rebuild], rhs[rebuild] = m, v
            stale[rebuild] = False
        xa = x[active]
        da, dw, dc = _lm_step(xa, s[active], g[active], matrix[active], rhs[active], lam[active], dual)
        wn, an, cn = w[active] - dw, a[active] - da, c[active] - dc
        sn, gn, rn = _state(xa, y[active], wn, an, cn, activation)
        new_loss = (rn**2).mean(1)
        ok = new_loss < loss[active]
        acc = active[ok]
        w[acc], a[acc], c[acc] = wn[ok], an[ok], cn[ok]
        s[acc], g[acc], r[acc], loss[acc] = sn[ok], gn[ok], rn[ok], new_loss[ok]
        stale[acc] = True
        accepted[acc] += 1
        lam[active] = np.clip(np.where(ok, lam[active] / 3, lam[active] * 4), *_LAMBDA_RANGE)
        if acc.size:
            parts = _gradient(x[acc], s[acc], g[acc], r[acc])
            grad[acc] = 2 / n_train * np.sqrt(sum((p.reshape(acc.size, -1) ** 2).sum(1) for p in parts))
            te_mse, te_l1 = te_mse.copy(), te_l1.copy()
            te_mse[acc], te_l1[acc] = test_errors(acc)
        rows["train_mse"].append(loss.copy())
        rows["grad_norm"].append(grad.copy())
        rows["test_mse"].append(te_mse)
        rows["test_l1"].append(te_l1)
        rows["accepted"].append(accepted.copy())
    return TrainingHistory(**{k: np.array(v) for k, v in rows.items()}, w=w, a=a, c=c,
                           form="dual" if dual else "primal")


def plateau_criterion(train_mse: Any, window: int = 5, accepted: Any = None) -> np.ndarray:
    r"""Relative improvement of the training loss over the last ``window`` accepted steps.

    :math:`c_t = (L_{t'} - L_t)/L_t`, where :math:`t'` is the iterate ``window`` accepted steps
    before t (∞ before there are that many): a run has *converged* at the first t with
    :math:`c_t \le \varepsilon`. Rejected Levenberg–Marquardt steps leave the loss unchanged while
    the damping adapts; counting accepted steps keeps them from passing for a plateau.

    ``train_mse`` is an (iterations + 1, seeds) history; ``accepted`` the number of accepted steps
    up to each row (default: every row is one). Returns the same shape.

    >>> plateau_criterion([[1.0], [0.5], [0.499]], window=1)[:, 0].round(4).tolist()
    [inf, 1.0, 0.002]
    >>> plateau_criterion([[1.0], [1.0], [0.5]], window=1, accepted=[[0], [0], [1]])[:, 0].tolist()
    [inf, inf, 1.0]
    """
    loss = np.maximum(as_float_array("train_mse", train_mse, ndim=2, nonnegative=True), np.finfo(float).tiny)
    window = check_positive_int("window", window)
    rows = np.arange(loss.shape[0])
    count = np.broadcast_to(rows[:, None], loss.shape) if accepted is None else as_float_array("accepted", accepted)
    if (count.shape != loss.shape or np.any(np.diff(count, axis=0) < 0) or np.any(count < 0)
            or np.any(count != np.round(count))):
        raise ValueError(f"accepted must be a non-decreasing count of shape {loss.shape} (got {np.shape(accepted)})")
    count = count.astype(np.int64)
    out = np.full(loss.shape, np.inf)
    for j in range(loss.shape[1]):  # loop over seeds: the row where each count was first reached
        first = np.searchsorted(count[:, j], count[:, j] - window)
        ok = count[:, j] >= window
        out[ok, j] = (loss[first[ok], j] - loss[ok, j]) / loss[ok, j]
    return out


def value_at_first_crossing(values: Any, criterion: Any, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Per seed, ``values`` at the first row where ``criterion`` ≤ ``threshold``, and that row.

    ``values`` and ``criterion`` are (iterations + 1, seeds) histories. Seeds that never cross
    get NaN and row −1.

    >>> v, it = value_at_first_crossing([[5.0, 6.0], [4.0, 3.0]], [[1.0, 1.0], [0.1, 0.5]], 0.2)
    >>> v.tolist(), it.tolist()
    ([4.0, nan], [1, -1])
    """
    values = as_float_array("values", values, ndim=2, finite=False)
    criterion = as_float_array("criterion", criterion, ndim=2, finite=False)
    if values.shape != criterion.shape:
        raise ValueError(f"values {values.shape} and criterion {criterion.shape} must have the same shape")
    threshold = check_in_range("threshold", threshold)
    crossed = criterion <= threshold
    first = np.where(crossed.any(0), np.argmax(crossed, axis=0), -1)
    out = np.where(first >= 0, values[np.maximum(first, 0), np.arange(values.shape[1])], np.nan)
    return out, first


# ---------------------------------------------------------------------------------------------
# sweeps on the torus
# ---------------------------------------------------------------------------------------------

def _stream(seed: int, *keys: int) -> np.random.Generator:
    return np.random.default_rng([seed, *keys])


def _check_task(d: int, target: Any, embedding: Any) -> None:
    if not isinstance(target, FourierTarget) or target.d != d:
        raise ValueError(f"target must be a FourierTarget on the {d}-torus")
    if not isinstance(embedding, TorusEmbedding) or embedding.d != d:
        raise ValueError(f"embedding must be a TorusEmbedding of the {d}-torus")


def _task_data(d: int, n: int, target: FourierTarget, embedding: TorusEmbedding, seed: int, seeds: int,
               key: int) -> tuple[np.ndarray, np.ndarray]:
    """Inputs (seeds, n, n_in) and targets (seeds, n): uniform points of the torus, one stream per seed.

    The first m points of a seed's stream do not depend on n, so training sets are nested."""
    theta = np.stack([_stream(seed, d, s, key).random((n, d)) for s in range(seeds)])
    return (np.stack([torus_network_inputs(t, embedding) for t in theta]),
            np.stack([target(t) for t in theta]))


def _single_thread() -> Any:
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1, user_api="blas")


def _rows(hist: TrainingHistory, criterion: np.ndarray, thresholds: np.ndarray, **columns: Any
          ) -> list[dict[str, Any]]:
    rows = []
    for tau in thresholds:
        mse, it = value_at_first_crossing(hist.test_mse, criterion, float(tau))
        l1, _ = value_at_first_crossing(hist.test_l1, criterion, float(tau))
        train, _ = value_at_first_crossing(hist.train_mse, criterion, float(tau))
        for s in range(mse.size):
            rows.append({"seed": s, **columns, "threshold": float(tau), "test_mse": float(mse[s]),
                         "test_l1": float(l1[s]), "train_mse": float(train[s]), "iteration": int(it[s]),
                         "converged": bool(it[s] >= 0), "final_train_mse": float(hist.train_mse[-1, s])})
    return rows



def _thresholds(name: str, values: Any) -> np.ndarray:
    """Convergence thresholds, positive and at least one, in decreasing order (the loosest first)."""
    thresholds = np.sort(as_float_array(name, values, ndim=1, positive=True))[::-1]
    if thresholds.size == 0:
        raise ValueError(f"{name} must hold at least one threshold")
    return thresholds

def trained_network_data_sweep(d: int, sizes: Any, target: FourierTarget, embedding: TorusEmbedding, *,
                               width: int, activation: str = "relu", seeds: int = 6, seed: int = 0,
                               loss_thresholds: Any = (1e-7, 1e-10), n_test: int = 2000, max_iter: int = 60
                               ) -> list[dict[str, Any]]:
    r"""Data scaling: networks of fixed ``width`` trained to convergence on D points, every D and seed.

    For each seed a stream of training points on the torus is drawn once (nested training sets)
    and ``n_test`` fresh test points; for each D all seeds train at once by
    :func:`train_levenberg_marquardt` until the training MSE is below the smallest threshold (or
    ``max_iter``). For each threshold τ the row records the test errors at the first iteration
    with training MSE ≤ τ (NaN and ``converged = False`` if it never got there).

    Returns a list of dicts with keys ``seed, D, W, P, threshold, test_mse, test_l1, train_mse,
    iteration, converged, final_train_mse`` (one per seed, D and threshold).
    """
    d = check_positive_int("d", d)
    sizes = check_sizes("sizes", sizes, minimum=2)
    _check_task(d, target, embedding)
    width = check_positive_int("width", width, minimum=2)
    check_choice("activation", activation, ACTIVATIONS)
    seeds = check_positive_int("seeds", seeds)
    seed = check_seed("seed", seed)
    thresholds = _thresholds("loss_thresholds", loss_thresholds)
    n_test = check_positive_int("n_test", n_test)
    n_in = embedding.ambient_dim + 1
    x_all, y_all = _task_data(d, int(sizes[-1]), target, embedding, seed, seeds, 0)
    x_test, y_test = _task_data(d, n_test, target, embedding, seed, seeds, 1)
    rows = []
    with _single_thread():
        for n_train in sizes:
            w, a, c = init_network(width, n_in, seeds=seeds, seed=[seed, d, int(n_train), 2])
            hist = train_levenberg_marquardt(x_all[:, :n_train], y_all[:, :n_train], w, a, c,
                                             activation=activation, max_iter=max_iter,
                                             stop_loss=float(thresholds[-1]), x_test=x_test, y_test=y_test)
            rows += _rows(hist, hist.train_mse, thresholds, D=int(n_train), W=width,
                          P=network_parameter_count(width, n_in))
    return rows


def trained_network_width_sweep(d: int, widths: Any, target: FourierTarget, embedding: TorusEmbedding, *,
                                n_train: int, activation: str = "relu", seeds: int = 4, seed: int = 0,
                                plateau_thresholds: Any = (1e-2, 1e-3), plateau_window: int = 5,
                                n_test: int = 2000, max_iter: int = 80) -> list[dict[str, Any]]:
    r"""Width scaling: networks of every width trained to convergence on the same ``n_train`` points.

    With :math:`D \gg P` the training loss cannot reach zero; a network is converged once its
    training loss has stopped improving: it fell by less than a fraction ε over the last
    ``plateau_window`` iterations (:func:`plateau_criterion`). Training runs until the smallest ε
    (or ``max_iter``); for each ε the row records the test errors at the first iteration that
    meets it (NaN and ``converged = False`` if none did).

    Returns a list of dicts with keys ``seed, W, P, D, threshold, test_mse, test_l1, train_mse,
    iteration, converged, final_train_mse``.
    """
    d = check_positive_int("d", d)
    widths = check_sizes("widths", widths, minimum=2)
    _check_task(d, target, embedding)
    n_train = check_positive_int("n_train", n_train, minimum=2)
    check_choice("activation", activation, ACTIVATIONS)
    seeds = check_positive_int("seeds", seeds)
    seed = check_seed("seed", seed)
    thresholds = _thresholds("plateau_thresholds", plateau_thresholds)
    plateau_window = check_positive_int("plateau_window", plateau_window)
    n_test = check_positive_int("n_test", n_test)
    n_in = embedding.ambient_dim + 1
    x, y = _task_data(d, n_train, target, embedding, seed, seeds, 0)
    x_test, y_test = _task_data(d, n_test, target, embedding, seed, seeds, 1)
    rows = []
    with _single_thread():
        for width in widths:
            w, a, c = init_network(int(width), n_in, seeds=seeds, seed=[seed, d, int(width), 3])
            hist = train_levenberg_marquardt(x, y, w, a, c, activation=activation, max_iter=max_iter,
                                             stop_plateau=float(thresholds[-1]), plateau_window=plateau_window,
                                             x_test=x_test, y_test=y_test)
            rows += _rows(hist, plateau_criterion(hist.train_mse, plateau_window, hist.accepted), thresholds,
                          W=int(width),
                          P=network_parameter_count(int(width), n_in), D=n_train)
    return rows

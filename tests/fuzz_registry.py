"""The fuzz registry: one entry per public name of ``scaling_utils`` (see tests/test_fuzz.py).

Each callable has a *valid* call — small inputs that work — and a kind for each parameter. The
fuzz test replaces one parameter at a time by generated bad values of its kind (NaN, inf, zero,
negative, 2⁶⁴, strings, None, complex, empty, wrong shapes, non-symmetric matrices …) and
requires a ValueError or TypeError whose message names that parameter, or a finite result
(some bad-looking values are valid for some parameters), within a time limit. Non-callable public
names (constants, dataclass fields) are listed in :data:`NOT_CALLABLE` with what they are.

A new public name without an entry here fails ``test_every_public_name_has_a_fuzz_entry``.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np


@dataclass(frozen=True)
class P:
    """A parameter: its name, valid value (``"@attr"`` = an attribute of :class:`Valid`), kind, and
    whether it is passed by keyword."""

    name: str
    value: Any
    kind: str
    keyword: bool = True


@dataclass(frozen=True)
class Entry:
    """A callable (``target(valid)`` returns it) and its parameters.

    ``nonfinite``: a documented reason why the valid result may hold NaN/inf (e.g. a pole), or None.
    ``baseline``: whether the unmutated call runs too (off for calls that take seconds).
    ``names_param``: whether error messages must name the mutated parameter (off for code this
    branch does not own, which must still raise ValueError/TypeError).
    ``record``: a plain record class that the package's functions build and return (a result,
    never an input a reader constructs): it is listed, not fuzzed; ``note`` says so.
    ``owner``: the code is not edited on this branch; its failures are listed in KNOWN_FAILURES.
    """

    target: Any
    params: tuple[P, ...] = ()
    nonfinite: str | None = None
    baseline: bool = True
    names_param: bool = True
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    note: str = ""
    record: bool = False
    owner: str | None = None


REAL = [np.nan, np.inf, -np.inf, "1", None, 1j, [1.0, 2.0], True]
VEC = [[], [np.nan], [[1.0]], "abc", None, [1 + 1j], [np.inf], np.full(3, 1e308)]
MAT = [np.ones(3), [[np.nan]], np.ones((2, 3)), "x", None, np.zeros((0, 0)), np.full((2, 2), 1e308)]
BAD: dict[str, list[Any]] = {
    "int": [0, -1, 2.5, True, "3", None, 2**53, 10**18, np.nan, [3]],
    "int0": [-1, 2.5, True, "3", None, 2**60, np.inf],
    "seed": [-1, 2.5, None, True, 2**64, "0"],
    "real": REAL,
    "pos": [*REAL, 0, -1.0, 1e308, 5e-324],
    "nonneg": [*REAL, -1.0, -1e-300, 1e308],
    "prob": [0, 1, -0.1, 1.5, np.nan, "0.5", None],
    "choice": ["nope", None, 1, "", ["a"], np.array(["a", "b"])],
    "str": [None, 3, "", b"x", ["a"]],
    "bool": [None, "yes", 2, np.array([True, False])],
    "obj": [None, 3, "x", np.ones(3)],
    "callable": [None, 3, "f"],
    "vec": VEC,
    "posvec": [*VEC, [-1.0], [0.0], [5e-324, 1.0]],
    "sizes": [[], [0], [-1, 2], [2, 1], [1.5], [5, 1e19], [[1, 2]], "ab", None, [1, 2**60], [3, 3]],
    "mat": MAT,
    "symmat": [*MAT, [[1.0, 2.0], [0.0, 1.0]], -np.eye(2)],
    "points": [np.ones(3), [[np.nan, 0.0]], np.zeros((0, 2)), "x", None, np.full((5, 2), 1e308), np.ones((4, 2, 1))],
    "curves": [np.zeros((0, 8)), np.ones(3), [[np.nan] * 8], "x", None, np.full((3, 8), 1e308), np.zeros((2, 8)),
               -np.ones((2, 8)), np.ones((2, 2, 8))],
    "window": [(5, 1), (np.nan, 10), ("a", "b"), 3, (1, 2, 3), "full"],
    "offset": ["nope", np.nan, np.inf, 1e308, -1e308, True, [0.1]],
    "xp": [None, 3, "numpy"],
    "backend": ["cupy-x", 3, "", "torch"],
    "grid": [[], {"n": 1}, [{"n": 1}, 3], "ab", None, [{1: 2}]],
    "names": [["nope"], "theory_grid", 3, [3]],
    "path": [3, 2.5, ["a"]],
}


class Valid:
    """Small valid inputs shared by the entries (built lazily, once per worker)."""

    @cached_property
    def rng(self) -> np.random.Generator:
        return np.random.default_rng(0)

    n8 = np.geomspace(10, 1e4, 8)

    @cached_property
    def curves(self) -> np.ndarray:
        return 2 * self.n8**-0.5 * (1 + 0.05 * np.random.default_rng(1).standard_normal((4, 8)))

    @cached_property
    def fit(self) -> Any:
        from scaling_utils.measurement.fitting import fit_power_law

        return fit_power_law(self.n8, self.curves)

    @cached_property
    def slope(self) -> Any:
        from scaling_utils.measurement.fitting import local_slope

        return local_slope(self.n8, self.curves, n_boot=20)

    @cached_property
    def table(self) -> Any:
        import pandas as pd

        return pd.DataFrame([{"seed": s, "n": float(n), "loss": float(self.curves[s, k])}
                             for s in range(4) for k, n in enumerate(self.n8)])

    @cached_property
    def lam(self) -> np.ndarray:
        from scaling_utils.theory.random_features import power_law_spectrum

        return power_law_spectrum(50, 1.0)

    @cached_property
    def model(self) -> Any:
        from scaling_utils.engines.teacher_student import sample_teacher_student

        return sample_teacher_student(self.lam, 12, 12, seed=0)

    @cached_property
    def x(self) -> np.ndarray:
        return np.random.default_rng(2).standard_normal((20, 3)) / np.sqrt(3)

    @cached_property
    def xt(self) -> np.ndarray:
        return np.random.default_rng(3).standard_normal((5, 3)) / np.sqrt(3)

    @cached_property
    def y(self) -> np.ndarray:
        return np.sin(self.x.sum(1))

    @cached_property
    def k(self) -> np.ndarray:
        from scaling_utils.engines.features import arccos_kernel

        return arccos_kernel(self.x)

    @cached_property
    def kt(self) -> np.ndarray:
        from scaling_utils.engines.features import arccos_kernel

        return arccos_kernel(self.xt, self.x)

    @cached_property
    def weights(self) -> tuple[np.ndarray, np.ndarray]:
        from scaling_utils.engines.networks import init_two_layer

        return init_two_layer(4, 3, seeds=2)

    @cached_property
    def kernel(self) -> Any:
        from scaling_utils.engines.torus_kernels import TorusKernel

        return TorusKernel("matern", 1, 0.1, 0.5)

    @cached_property
    def pts1(self) -> np.ndarray:
        return np.random.default_rng(4).random((20, 1))

    @cached_property
    def pts2(self) -> np.ndarray:
        return np.random.default_rng(5).random((60, 2))

    @cached_property
    def target(self) -> Any:
        from scaling_utils.data.manifolds import random_fourier_target

        return random_fourier_target(2, n_modes=3, seed=0)

    @cached_property
    def embedding(self) -> Any:
        from scaling_utils.data.manifolds import random_torus_embedding

        return random_torus_embedding(2, 5, seed=0)

    @cached_property
    def relu(self) -> Any:
        from scaling_utils.engines.linear_models import ReluTeacherStudent

        return ReluTeacherStudent.draw(3, 4, 2, 0.1, seed=0)

    @cached_property
    def theta(self) -> np.ndarray:
        return self.relu.learning_curves([10, 20], seeds=2)

    @cached_property
    def parts(self) -> Any:
        from scaling_utils.engines.networks import excess_loss_parts

        return excess_loss_parts([[1.0, 2.0], [3.0, 1.0]], [2.0, 1.5], [2.0, 1.0])

    @cached_property
    def sums(self) -> Any:
        from scaling_utils.theory.spectral_sums import SpectralSums

        return SpectralSums(self.lam, np.ones((1, 50)), 1e-3, 1.0)

    @cached_property
    def estimate(self) -> Any:
        from scaling_utils.measurement.dimension import twonn

        return twonn(self.pts2, boxsize=1.0, n_boot=20)

    @cached_property
    def xp(self) -> Any:
        from scaling_utils.engines.backend import namespace

        return namespace("numpy")

    @cached_property
    def spd(self) -> np.ndarray:
        return np.array([[2.0, 0.5], [0.5, 1.0]])

    @property
    def claims_dir(self) -> str:        # fresh for every case: ledgers must not leak between cases
        return tempfile.mkdtemp(prefix="fuzz-claims-")

    @property
    def ledger(self) -> Any:
        from scaling_utils.book.claims import Ledger

        ledger = Ledger("fuzz", self.claims_dir)
        return ledger

    @property
    def claim(self) -> Any:
        from scaling_utils.book.claims import Ledger

        ledger = Ledger("fuzz-claim", self.claims_dir)
        return ledger.record("a.claim", kind="method", statement="s", source="s", section="sec-a", expected=0.0,
                             measured=0.01, tolerance=0.1, alternative=1.0, alternative_note="n")

    @cached_property
    def ax(self) -> Any:
        from scaling_utils.book.plotting import new_figure

        return new_figure()[1]


def _cls(path: str) -> Any:
    """The object at ``path``: a module attribute, or an attribute of a module's class."""
    import importlib

    module, _, name = path.rpartition(".")
    try:
        return getattr(importlib.import_module(module), name)
    except ModuleNotFoundError:
        return getattr(_cls(module), name)


def fn(path: str):
    """Target: the public object at ``path`` (module.name)."""
    return lambda v: _cls(path)


def method(instance: str, name: str):
    """Target: the bound method ``name`` of the valid instance ``instance`` (an attribute of Valid)."""
    return lambda v: getattr(getattr(v, instance), name)


def attribute(instance: str, name: str):
    """Target: a zero-argument callable reading the property ``name`` of a valid instance."""
    return lambda v: (lambda: getattr(getattr(v, instance), name))


NOT_EDITED = "book/claims.py and book/plotting.py are not edited on this branch (issue 16's brief)"
VALIDATOR = ("a check for other functions' parameters: its errors name the checked parameter (its `name` "
             "argument); bad control arguments must still raise ValueError/TypeError")
SU = "scaling_utils."
FIT, DIM = SU + "measurement.fitting.", SU + "measurement.dimension."
NB, NET, FEAT = SU + "engines.neighbors.", SU + "engines.networks.", SU + "engines.features."
TS, SOLV, TK = SU + "engines.teacher_student.", SU + "engines.solvable.", SU + "engines.torus_kernels."
RF, KER, TNB = SU + "theory.random_features.", SU + "theory.kernels.", SU + "theory.neighbors."
VAR, SS, VAL = SU + "theory.variance.", SU + "theory.spectral_sums.", SU + "validation."
MAN, BE = SU + "data.manifolds.", SU + "engines.backend."
LM, REG = SU + "engines.linear_models.", SU + "engines.regression."

RF_GRID = (P("eigenvalues", "@lam", "posvec", False), P("teacher_variances", 0.02, "nonneg", False),
           P("n_features", 10.0, "pos", False), P("n_samples", 20.0, "pos", False))
POLE = "documented inf at the ridgeless pole N = T < M (the loss diverges there)"

ENTRIES: dict[str, Entry] = {
    # ---------------------------------------------------------------- measurement.fitting
    FIT + "fit_power_law": Entry(fn(FIT + "fit_power_law"), (
        P("n", "@n8", "posvec", False), P("losses", "@curves", "curves", False), P("offset", None, "offset"),
        P("window", None, "window"), P("level", 0.95, "prob"), P("ci", "jackknife", "choice"),
        P("n_boot", 10, "int0"), P("p_min", 0.05, "prob"), P("seed", 0, "seed"))),
    FIT + "fit_like": Entry(fn(FIT + "fit_like"), (P("fit", "@fit", "obj", False),
                                                  P("prediction", 2 * Valid.n8**-0.5, "posvec", False))),
    FIT + "jackknife_interval": Entry(fn(FIT + "jackknife_interval"), (
        P("estimate", 0.5, "real", False), P("leave_one_out", [0.49, 0.51, 0.5], "vec", False),
        P("level", 0.95, "prob"))),
    FIT + "interval_coverage": Entry(fn(FIT + "interval_coverage"), (
        P("seeds", 2, "int", False), P("ci", "jackknife", "choice"), P("offset", None, "choice"), P("repeats", 2,
                "int"),
        P("alpha", 0.5, "pos"), P("noise", 0.1, "nonneg"), P("sizes", None, "posvec"), P("level", 0.95, "prob"),
        P("seed", 0, "seed"))),
    FIT + "local_slope": Entry(fn(FIT + "local_slope"), (
        P("n", "@n8", "posvec", False), P("losses", "@curves", "curves", False), P("offset", 0.0, "real"),
        P("level", 0.68, "prob"), P("n_boot", 20, "int0"), P("seed", 0, "seed")),
        nonfinite="documented NaN slopes where the mean is at or below the offset, and NaN bands without seeds"),
    FIT + "curve_from_table": Entry(fn(FIT + "curve_from_table"), (
        P("table", "@table", "obj", False), P("x", "n", "str", False), P("y", "loss", "str", False),
        P("seed", "seed", "str")), aliases={"x": ("column",), "y": ("column",), "seed": ("column",)}),
    FIT + "FitResult": Entry(fn(FIT + "FitResult"), record=True, note="the result of fit_power_law"),
    FIT + "FitResult.predict": Entry(method("fit", "predict"), (P("n", "@n8", "posvec", False),)),
    FIT + "FitResult.covers": Entry(method("fit", "covers"), (P("value", 0.5, "real", False),)),
    FIT + "FitResult.describe": Entry(method("fit", "describe"), (P("symbol", "α", "str"), P("digits", 3, "int0"))),
    FIT + "LocalSlope": Entry(fn(FIT + "LocalSlope"), record=True, note="the result of local_slope"),
    FIT + "LocalSlope.alpha": Entry(attribute("slope", "alpha")),
    # ---------------------------------------------------------------- measurement.dimension
    DIM + "twonn": Entry(fn(DIM + "twonn"), (
        P("points", "@pts2", "points", False), P("boxsize", 1.0, "pos"), P("method", "mle", "choice"),
        P("discard", 0.1, "prob"), P("n_boot", 20, "int0"), P("level", 0.95, "prob"), P("seed", 0, "seed"),
        P("duplicates", "remove", "choice"))),
    DIM + "levina_bickel": Entry(fn(DIM + "levina_bickel"), (
        P("points", "@pts2", "points", False), P("k1", 3, "int"), P("k2", 5, "int"), P("boxsize", 1.0, "pos"),
        P("n_boot", 20, "int0"), P("level", 0.95, "prob"), P("seed", 0, "seed"),
        P("duplicates", "remove", "choice"))),
    DIM + "remove_duplicates": Entry(fn(DIM + "remove_duplicates"), (
        P("points", "@pts2", "points", False), P("duplicates", "remove", "choice"), P("boxsize", None, "pos"))),
    DIM + "DimensionEstimate": Entry(fn(DIM + "DimensionEstimate"), record=True, note="the result of twonn and "
                                     "levina_bickel"),
    DIM + "DimensionEstimate.describe": Entry(method("estimate", "describe"), (P("digits", 2, "int0"),)),
    # ---------------------------------------------------------------- engines.neighbors
    NB + "nearest_neighbors": Entry(fn(NB + "nearest_neighbors"), (
        P("train", "@pts2", "points", False), P("queries", "@pts2", "points", False), P("k", 2, "int", False),
        P("boxsize", None, "pos"), P("method", "auto", "choice"), P("block", None, "int"))),
    NB + "one_nn_predict": Entry(fn(NB + "one_nn_predict"), (
        P("train_x", "@pts2", "points", False), P("train_y", np.arange(60.0), "vec", False),
        P("test_x", "@pts2", "points", False), P("boxsize", 1.0, "pos")),
        aliases={"test_x": ("queries",)}),
    NB + "linear_interpolate_torus": Entry(fn(NB + "linear_interpolate_torus"), (
        P("train_x", "@pts2", "points", False), P("train_y", np.arange(60.0), "vec", False),
        P("test_x", [[0.5, 0.5]], "points", False), P("margin", None, "prob"))),
    NB + "cell_model_predict": Entry(fn(NB + "cell_model_predict"), (
        P("test_x", "@pts2", "points", False), P("target", "@target", "obj", False),
        P("cells_per_side", 4, "int", False), P("order", 0, "choice", False))),
    NB + "nn_regression_sweep": Entry(fn(NB + "nn_regression_sweep"), (
        P("d", 2, "int", False), P("sizes", [10, 20], "sizes", False), P("target", "@target", "obj", False),
        P("n_test", 20, "int"), P("seeds", 2, "int"), P("seed", 0, "seed"), P("embedding", None, "obj"))),
    NB + "interpolation_sweep": Entry(fn(NB + "interpolation_sweep"), (
        P("d", 2, "int", False), P("sizes", [10, 20], "sizes", False), P("target", "@target", "obj", False),
        P("n_test", 20, "int"), P("seeds", 1, "int"), P("seed", 0, "seed"))),
    NB + "cell_model_sweep": Entry(fn(NB + "cell_model_sweep"), (
        P("d", 2, "int", False), P("cells_per_side", [2, 4], "sizes", False), P("target", "@target", "obj", False),
        P("n_test", 20, "int"), P("seeds", 1, "int"), P("seed", 0, "seed"))),
    NB + "theory_ratio": Entry(fn(NB + "theory_ratio"), (
        P("curves", "@curves", "curves", False), P("theory", 2 * Valid.n8**-0.5, "posvec", False),
        P("n_boot", 20, "int"), P("level", 0.95, "prob"), P("seed", 0, "seed"))),
    # ---------------------------------------------------------------- engines.networks
    NET + "init_two_layer": Entry(fn(NET + "init_two_layer"), (
        P("width", 4, "int", False), P("dim", 3, "int", False), P("seeds", 2, "int"), P("seed", 0, "seed"),
        P("antisymmetric", True, "bool"))),
    NET + "network_output": Entry(fn(NET + "network_output"), (
        P("x", "@x", "points", False), P("w", np.ones((2, 4, 3)), "mat", False), P("a", np.ones((2, 4)), "mat",
                False))),
    NET + "train_two_layer": Entry(fn(NET + "train_two_layer"), (
        P("x", "@x", "points", False), P("y", "@y", "vec", False), P("w", np.ones((2, 4, 3)), "mat", False),
        P("a", np.ones((2, 4)), "mat", False), P("lr", 0.1, "pos"), P("steps", 3, "int0"))),
    NET + "empirical_ntk": Entry(fn(NET + "empirical_ntk"), (
        P("x1", "@x", "points", False), P("x2", None, "points", False), P("w", np.ones((2, 4, 3)), "mat", False),
        P("a", np.ones((2, 4)), "mat", False))),
    NET + "kernel_predict": Entry(fn(NET + "kernel_predict"), (
        P("k_train", "@k", "symmat", False), P("k_test", "@kt", "mat", False), P("y", "@y", "vec", False),
        P("ridge", 1e-3, "pos"), P("lr", None, "pos"), P("steps", None, "int0"))),
    NET + "kernel_predict_first_order": Entry(fn(NET + "kernel_predict_first_order"), (
        P("k_train", "@k", "symmat", False), P("k_test", "@kt", "mat", False), P("y", "@y", "vec", False),
        P("dk_train", np.zeros((20, 20)), "symmat", False), P("dk_test", np.zeros((5, 20)), "mat", False),
        P("ridge", 1e-3, "pos"))),
    NET + "random_feature_ridge_sweep": Entry(fn(NET + "random_feature_ridge_sweep"), (
        P("x_train", "@x", "points", False), P("y_train", "@y", "vec", False), P("x_test", "@xt", "points", False),
        P("widths", [8, 16], "sizes", False), P("ridge", 1e-2, "pos"), P("seeds", 2, "int"), P("seed", 0, "seed"),
        P("activation", "relu", "choice"))),
    NET + "network_width_sweep": Entry(fn(NET + "network_width_sweep"), (
        P("x_train", "@x", "points", False), P("y_train", "@y", "vec", False), P("x_test", "@xt", "points", False),
        P("widths", [8, 16], "sizes", False), P("lr", 0.5, "pos"), P("steps", 3, "int0"), P("seeds", 2, "int"),
        P("seed", 0, "seed"))),
    NET + "excess_loss_parts": Entry(fn(NET + "excess_loss_parts"), (
        P("f", [[1.0, 2.0], [3.0, 1.0]], "mat", False), P("f_inf", [2.0, 1.5], "vec", False),
        P("y", [2.0, 1.0], "vec", False), P("first_order", None, "mat", False))),
    NET + "ExcessParts": Entry(fn(NET + "ExcessParts"), record=True, note="the result of excess_loss_parts"),
    NET + "ExcessParts.corrected": Entry(attribute("parts", "corrected")),
    # ---------------------------------------------------------------- engines.features
    FEAT + "gaussian_weights": Entry(fn(FEAT + "gaussian_weights"), (
        P("width", 3, "int", False), P("dim", 2, "int", False), P("seed", 1, "seed"))),
    FEAT + "random_features": Entry(fn(FEAT + "random_features"), (
        P("x", "@x", "points", False), P("weights", np.ones((4, 3)), "points", False),
        P("activation", "relu", "choice"))),
    FEAT + "random_feature_kernel": Entry(fn(FEAT + "random_feature_kernel"), (
        P("x1", "@x", "points", False), P("x2", None, "points", False), P("weights", np.ones((4, 3)), "points", False),
        P("activation", "erf", "choice"))),
    **{FEAT + name: Entry(fn(FEAT + name), (P("x1", "@x", "points", False), P("x2", "@xt", "points", False)))
       for name in ("arccos_kernel", "erf_kernel", "erf_derivative_kernel", "erf_ntk")},
    # ---------------------------------------------------------------- engines.regression
    REG + "ridge_path": Entry(fn(REG + "ridge_path"), (
        P("x", "@x", "points", False), P("y", "@y", "vec", False), P("ridges", [0.0, 1.0], "nonneg", False),
        P("rcond", 1e-10, "prob"))),
    REG + "ridge_prefix_path": Entry(fn(REG + "ridge_prefix_path"), (
        P("x", "@x", "points", False), P("y", "@y", "vec", False), P("sizes", [5, 20], "sizes", False),
        P("ridges", [0.0, 1.0], "nonneg", False), P("rcond", 1e-10, "prob"))),
    REG + "population_mse": Entry(fn(REG + "population_mse"), (
        P("error", [1.0, 2.0], "vec", False), P("covariance", "@spd", "symmat", False))),
    # ---------------------------------------------------------------- engines.linear_models
    LM + "ols_learning_curves": Entry(fn(LM + "ols_learning_curves"), (
        P("sizes", [5, 20], "sizes", False), P("P", 3, "int", False), P("noise_var", 1.0, "nonneg", False),
        P("signal", 1.0, "nonneg"), P("seeds", 2, "int"), P("seed", 0, "seed"), P("chunk", 2, "int"))),
    LM + "ReluTeacherStudent": Entry(fn(LM + "ReluTeacherStudent"), (
        P("student", np.ones((4, 3)), "points", False), P("teacher", np.ones((2, 3)), "points", False),
        P("readout", [1.0, -1.0], "vec", False), P("noise_var", 0.0, "nonneg"))),
    LM + "ReluTeacherStudent.draw": Entry(fn(LM + "ReluTeacherStudent.draw"), (
        P("dim", 3, "int", False), P("P", 4, "int", False), P("M", 2, "int", False), P("noise_var", 0.1, "nonneg"),
        P("seed", 0, "seed"))),
    LM + "ReluTeacherStudent.sample": Entry(method("relu", "sample"), (
        P("D", 5, "int", False), P("seed", 0, "seed"), P("batch", (), "sizes"))),
    LM + "ReluTeacherStudent.excess": Entry(method("relu", "excess"), (P("theta", np.zeros(4), "vec", False),)),
    LM + "ReluTeacherStudent.omega": Entry(method("relu", "omega"), (P("n_mc", 100, "int", False), P("seed", 0,
            "seed"))),
    LM + "ReluTeacherStudent.learning_curves": Entry(method("relu", "learning_curves"), (
        P("sizes", [10, 20], "sizes", False), P("seeds", 2, "int"), P("seed", 0, "seed"), P("chunk", 2, "int"))),
    **{LM + f"ReluTeacherStudent.{name}": Entry(attribute("relu", name))
       for name in ("P", "sigma", "cross", "target_second_moment", "theta_star", "loss_inf")},
    LM + "coefficient_parts": Entry(fn(LM + "coefficient_parts"), (
        P("theta", "@theta", "curves", False), P("theta_star", np.zeros(4), "vec", False),
        P("sigma", np.eye(4), "symmat", False))),
    # ---------------------------------------------------------------- engines.teacher_student
    TS + "sample_teacher_student": Entry(fn(TS + "sample_teacher_student"), (
        P("eigenvalues", "@lam", "posvec", False), P("n_features", 5, "int", False), P("n_samples", 6, "int", False),
        P("seed", 0, "seed"), P("projection", "gaussian", "choice"))),
    TS + "TeacherStudent": Entry(fn(TS + "TeacherStudent"), (
        P("eigenvalues", [1.0, 0.5], "posvec", False), P("teacher", [1.0, 1.0], "vec", False),
        P("projection", np.eye(2), "mat", False), P("latent", np.ones((3, 2)), "mat", False),
        P("kind", "gaussian", "choice"))),
    **{TS + f"TeacherStudent.{name}": Entry(attribute("model", name))
       for name in ("S", "inputs", "features", "targets")},
    TS + "population_loss": Entry(fn(TS + "population_loss"), (
        P("model", "@model", "obj", False), P("coef", np.zeros(5), "vec", False))),
    TS + "loss_grid": Entry(fn(TS + "loss_grid"), (
        P("model", "@model", "obj", False), P("n_samples", [4, 8], "sizes", False), P("n_features", [4, 8], "sizes",
                False),
        P("ridge", 0.0, "nonneg", False), P("backend", None, "backend"))),
    TS + "loss_infinite_data": Entry(fn(TS + "loss_infinite_data"), (
        P("model", "@model", "obj", False), P("n_features", [4, 8], "sizes", False), P("teacher", "average",
                "choice"))),
    TS + "loss_infinite_features": Entry(fn(TS + "loss_infinite_features"), (
        P("model", "@model", "obj", False), P("n_samples", [4, 8], "sizes", False), P("teacher", "sampled", "choice"))),
    TS + "first_order_term": Entry(fn(TS + "first_order_term"), (
        P("model", "@model", "obj", False), P("n_samples", 3, "int", False), P("n_features", [6, 12], "sizes", False))),
    # ---------------------------------------------------------------- engines.solvable
    SOLV + "activation": Entry(fn(SOLV + "activation"), (P("name", "tanh", "choice", False),),
                               aliases={"name": ("activation",)}),
    SOLV + "feature_moments": Entry(fn(SOLV + "feature_moments"), (
        P("eigenvalues", [1.0, 0.5], "posvec", False), P("u", np.eye(2), "mat", False), P("w", [1.0, 1.0], "vec",
                False),
        P("name", "tanh", "choice", False), P("n_test", 100, "int"), P("seed", 0, "seed")),
        aliases={"name": ("activation",)}),
    SOLV + "feature_spectrum": Entry(fn(SOLV + "feature_spectrum"), (
        P("eigenvalues", "@lam", "posvec", False), P("n_features", 10, "int", False), P("name", "relu", "choice",
                False),
        P("sigma_u2", 1.0, "pos"), P("seed", 0, "seed"), P("n_test", 100, "int"), P("center", False, "bool")),
        aliases={"name": ("activation",)}),
    SOLV + "simulate_losses": Entry(fn(SOLV + "simulate_losses"), (
        P("eigenvalues", "@lam", "posvec", False), P("teacher_variances", 0.02, "nonneg", False),
        P("n_features", [5, 10], "sizes", False), P("n_samples", [8], "sizes", False), P("ridges", [0.0, 0.1],
                "nonneg", False),
        P("name", "linear", "choice"), P("seeds", 2, "int"), P("seed", 0, "seed"), P("sigma_u2", 1.0, "pos"),
        P("noise", 0.0, "nonneg"), P("n_test", 100, "int"), P("teachers", 2, "int"), P("backend", None, "backend"))),
    # ---------------------------------------------------------------- engines.torus_kernels
    TK + "TorusKernel": Entry(fn(TK + "TorusKernel"), (
        P("kind", "matern", "choice", False), P("d", 1, "int", False), P("lengthscale", 0.1, "pos", False),
        P("nu", 0.5, "pos"), P("variance", 1.0, "pos"))),
    TK + "TorusKernel.spectral_density": Entry(method("kernel", "spectral_density"), (P("omega", [0.0, 1.0],
            "nonneg", False),)),
    TK + "TorusKernel.coefficients": Entry(method("kernel", "coefficients"), (P("modes", [[0], [1]], "mat", False),)),
    TK + "TorusKernel.eigenvalues": Entry(method("kernel", "eigenvalues"), (P("n", 5, "int", False),)),
    TK + "TorusKernel.trace": Entry(method("kernel", "trace")),
    TK + "TorusKernel.asymptotic_eigenvalues": Entry(method("kernel", "asymptotic_eigenvalues"), (P("n", [1.0, 2.0],
            "posvec", False),)),
    TK + "TorusKernel.squared": Entry(method("kernel", "squared")),
    TK + "TorusKernel.value": Entry(method("kernel", "value"), (P("r", [0.0, 0.1], "nonneg", False),)),
    TK + "TorusKernel.torus_value": Entry(method("kernel", "torus_value"), (P("delta", [[0.0], [0.3]], "mat", False),)),
    TK + "TorusKernel.gram": Entry(method("kernel", "gram"), (P("x", "@pts1", "points", False), P("y", None,
            "points", False))),
    **{TK + f"TorusKernel.{name}": Entry(attribute("kernel", name)) for name in ("decay_exponent", "index_shift")},
    TK + "uniform_points": Entry(fn(TK + "uniform_points"), (P("n", 5, "int", False), P("d", 2, "int", False),
            P("seed", 0, "seed"))),
    TK + "sample_prior": Entry(fn(TK + "sample_prior"), (
        P("kernel", "@kernel", "obj", False), P("x", "@pts1", "points", False), P("seed", 0, "seed"),
        P("n_draws", 2, "int"), P("jitter", 1e-10, "nonneg"))),
    TK + "prior_averaged_error": Entry(fn(TK + "prior_averaged_error"), (
        P("kernel", "@kernel", "obj", False), P("x", "@pts1", "points", False), P("sizes", [5, 20], "sizes", False),
        P("ridge", 0.0, "nonneg", False))),
    # ---------------------------------------------------------------- engines.backend and sweep
    BE + "namespace": Entry(fn(BE + "namespace"), (P("backend", "numpy", "backend", False),)),
    BE + "blas_threads": Entry(fn(BE + "blas_threads"), (P("xp", "@xp", "xp", False), P("largest", 10, "int", False))),
    BE + "to_device": Entry(fn(BE + "to_device"), (P("xp", "@xp", "xp", False), P("a", [1.0, 2.0], "vec", False))),
    BE + "to_host": Entry(fn(BE + "to_host"), (P("a", np.ones(2), "obj", False),)),
    BE + "solve_triangular": Entry(fn(BE + "solve_triangular"), (
        P("xp", "@xp", "xp", False), P("r", np.eye(2), "mat", False), P("b", np.ones(2), "vec", False),
        P("trans", False, "bool")), aliases={"r": ("r",)}),
    BE + "qr_economic": Entry(fn(BE + "qr_economic"), (P("xp", "@xp", "xp", False), P("a", np.ones((3,
            2)) + np.eye(3, 2), "mat", False))),
    BE + "cholesky_upper": Entry(fn(BE + "cholesky_upper"), (
        P("xp", "@xp", "xp", False), P("g", "@spd", "symmat", False), P("ridge", 0.0, "nonneg"))),
    SU + "engines.sweep.run_sweep": Entry(fn(SU + "engines.sweep.run_sweep"), (
        P("func", "@sweep_func", "callable", False), P("grid", [{"n": 1}], "grid", False), P("n_jobs", 1, "int"),
        P("scheduler", None, "str"), P("cache", False, "bool"), P("verbose", 0, "int0")), baseline=False,
        note="valid calls are tested in test_sweep; mutated calls must fail before dispatching"),
    SU + "engines.sweep.cache_key": Entry(fn(SU + "engines.sweep.cache_key"), (
        P("func", "@sweep_func", "callable", False), P("params", {"n": 1}, "obj", False))),
    SU + "engines.sweep.cache_dir": Entry(fn(SU + "engines.sweep.cache_dir")),
    SU + "engines.sweep.source_hash": Entry(fn(SU + "engines.sweep.source_hash")),
    SU + "engines.sweep.StaleCacheWarning": Entry(fn(SU + "engines.sweep.StaleCacheWarning"), (P("message", "m",
            "str", False),),
                                                  names_param=False, note="a warning class"),
    # ---------------------------------------------------------------- data
    MAN + "sample_torus": Entry(fn(MAN + "sample_torus"), (P("n", 5, "int", False), P("d", 2, "int", False),
            P("seed", 0, "seed"))),
    MAN + "random_torus_embedding": Entry(fn(MAN + "random_torus_embedding"), (
        P("d", 2, "int", False), P("ambient_dim", 5, "int", False), P("seed", 0, "seed"))),
    MAN + "TorusEmbedding": Entry(fn(MAN + "TorusEmbedding"), (
        P("d", 1, "int", False), P("ambient_dim", 2, "int", False), P("rotation", np.eye(2), "mat", False))),
    MAN + "TorusEmbedding.chordal_distance": Entry(fn(MAN + "TorusEmbedding.chordal_distance"), (
        P("geodesic_offsets", [[0.1, 0.2]], "mat", False),)),
    MAN + "random_fourier_target": Entry(fn(MAN + "random_fourier_target"), (
        P("d", 2, "int", False), P("n_modes", 3, "int"), P("max_frequency", 1, "int"), P("seed", 0, "seed"),
        P("variance", 1.0, "pos"))),
    MAN + "FourierTarget": Entry(fn(MAN + "FourierTarget"), (
        P("frequencies", [[1, 0]], "mat", False), P("amplitudes", [1.0], "vec", False), P("phases", [0.0], "vec",
                False))),
    **{MAN + f"FourierTarget.{name}": Entry(attribute("target", name))
       for name in ("d", "wavenumbers", "variance", "gradient_sq_mean", "lipschitz_bound", "laplacian_sq_mean",
                    "hessian_cell_constant")},
    SU + "data.synthetic.synthetic_learning_curves": Entry(fn(SU + "data.synthetic.synthetic_learning_curves"), (
        P("n", "@n8", "posvec", False), P("alpha", 0.5, "pos"), P("amplitude", 1.0, "pos"), P("offset", 0.0, "nonneg"),
        P("noise", 0.05, "nonneg"), P("crossover", 0.0, "nonneg"), P("crossover_power", 1.0, "pos"),
        P("seeds", 2, "int"), P("seed", 0, "seed"))),
    # ---------------------------------------------------------------- theory.random_features
    RF + "power_law_spectrum": Entry(fn(RF + "power_law_spectrum"), (
        P("M", 5, "int", False), P("alpha", 1.0, "pos", False), P("lambda_plus", 1.0, "pos"))),
    RF + "c_alpha": Entry(fn(RF + "c_alpha"), (P("alpha", 1.0, "pos", False),)),
    RF + "degrees_of_freedom": Entry(fn(RF + "degrees_of_freedom"), (
        P("eigenvalues", "@lam", "posvec", False), P("kappa", [0.0, 0.1], "nonneg", False))),
    RF + "ridgeless_kappa": Entry(fn(RF + "ridgeless_kappa"), (P("eigenvalues", "@lam", "posvec", False), P("n",
            [5.0, 60.0], "posvec", False))),
    RF + "solve_kappa": Entry(fn(RF + "solve_kappa"), (*RF_GRID[:1], *RF_GRID[2:], P("ridge", 0.1, "nonneg", False),
                                                   P("sigma_u2", 1.0, "pos"))),
    RF + "test_loss": Entry(fn(RF + "test_loss"), (*RF_GRID, P("ridge", 0.1, "nonneg", False), P("sigma_u2", 1.0,
            "pos"),
                                               P("noise", 0.0, "nonneg")), nonfinite=POLE),
    RF + "ridgeless_loss": Entry(fn(RF + "ridgeless_loss"), (*RF_GRID, P("noise", 0.0, "nonneg")), nonfinite=POLE),
    RF + "kappa_asymptotic": Entry(fn(RF + "kappa_asymptotic"), (
        P("alpha", 1.0, "pos", False), P("n", [5.0], "posvec", False), P("lambda_plus", 1.0, "pos"))),
    RF + "ridgeless_loss_asymptotic": Entry(fn(RF + "ridgeless_loss_asymptotic"), (
        P("alpha", 1.0, "pos", False), P("teacher_variance", 0.02, "nonneg", False), P("n_features", 10.0, "pos",
                False),
        P("n_samples", 20.0, "pos", False), P("lambda_plus", 1.0, "pos")), nonfinite=POLE),
    RF + "optimal_ridge": Entry(fn(RF + "optimal_ridge"), (*RF_GRID, P("ridges", None, "nonneg"), P("sigma_u2", 1.0,
            "pos"),
                                                       P("noise", 0.0, "nonneg"))),
    RF + "OptimalRidge": Entry(fn(RF + "OptimalRidge"), record=True, note="the result of optimal_ridge"),
    # ---------------------------------------------------------------- theory.kernels
    KER + "solve_kappa": Entry(fn(KER + "solve_kappa"), (
        P("eigenvalues", "@lam", "posvec", False), P("n_samples", [10.0, 100.0], "posvec", False),
        P("ridge", 0.0, "nonneg", False), P("tail", 0.0, "nonneg"))),
    KER + "learning_curve": Entry(fn(KER + "learning_curve"), (
        P("eigenvalues", "@lam", "posvec", False), P("target_power", "@lam", "nonneg", False),
        P("n_samples", [10.0, 20.0], "posvec", False), P("ridge", 0.0, "nonneg", False), P("noise", 0.0, "nonneg"),
        P("tail", 0.0, "nonneg"), P("target_tail", 0.0, "nonneg")),
        nonfinite="documented inf where γ = 1 (ridgeless, D equal to the number of modes)"),
    KER + "LearningCurve": Entry(fn(KER + "LearningCurve"), record=True, note="the result of learning_curve"),
    KER + "c_b": Entry(fn(KER + "c_b"), (P("b", 2.0, "pos", False),)),
    KER + "ridgeless_exponent": Entry(fn(KER + "ridgeless_exponent"), (P("b", 2.0, "pos", False), P("c", None,
            "pos", False))),
    KER + "asymptotic_error": Entry(fn(KER + "asymptotic_error"), (
        P("n_samples", [10.0], "posvec", False), P("b", 2.0, "pos", False), P("amplitude", 1.0, "pos", False))),
    # ---------------------------------------------------------------- theory.neighbors
    TNB + "ball_volume": Entry(fn(TNB + "ball_volume"), (P("d", 3, "int", False),)),
    TNB + "nn_distance_moment": Entry(fn(TNB + "nn_distance_moment"), (
        P("D", [10.0, 100.0], "posvec", False), P("d", 2, "int", False), P("k", 1.0, "pos", False), P("exact", True,
                "bool"))),
    TNB + "nn_distance_survival": Entry(fn(TNB + "nn_distance_survival"), (
        P("s", [0.0, 0.1], "nonneg", False), P("D", 10, "int", False), P("d", 2, "int", False))),
    TNB + "nn_distance_weibull": Entry(fn(TNB + "nn_distance_weibull"), (P("D", 10, "int", False), P("d", 2, "int",
            False))),
    TNB + "nn_expectation": Entry(fn(TNB + "nn_expectation"), (
        P("func", np.square, "callable", False), P("D", [10.0], "posvec", False), P("d", 2, "int", False),
        P("nodes", 20, "int"))),
    TNB + "isotropic_characteristic": Entry(fn(TNB + "isotropic_characteristic"), (
        P("t", [0.0, 1.0], "nonneg", False), P("d", 3, "int", False))),
    TNB + "one_nn_mse": Entry(fn(TNB + "one_nn_mse"), (
        P("D", [10.0], "posvec", False), P("d", 2, "int", False), P("wavenumbers", [6.3], "posvec", False),
        P("amplitudes", [1.0], "vec", False))),
    TNB + "one_nn_mse_leading": Entry(fn(TNB + "one_nn_mse_leading"), (
        P("D", [10.0], "posvec", False), P("d", 2, "int", False), P("gradient_sq_mean", 1.0, "nonneg", False),
        P("exact_moment", True, "bool"))),
    TNB + "lipschitz_l1_bound": Entry(fn(TNB + "lipschitz_l1_bound"), (
        P("D", [10.0], "posvec", False), P("d", 2, "int", False), P("lipschitz", 1.0, "nonneg", False))),
    TNB + "linear_interpolation_mse_1d": Entry(fn(TNB + "linear_interpolation_mse_1d"), (
        P("D", [10.0], "posvec", False), P("f2_sq_mean", 1.0, "nonneg", False))),
    TNB + "cell_model_mse": Entry(fn(TNB + "cell_model_mse"), (
        P("P", [10.0], "posvec", False), P("d", 2, "int", False), P("order", 0, "choice", False),
        P("constant", 1.0, "nonneg", False))),
    # ---------------------------------------------------------------- theory.variance
    VAR + "ols_excess_risk": Entry(fn(VAR + "ols_excess_risk"), (
        P("D", [20.0], "posvec", False), P("P", 3, "int", False), P("noise_var", 1.0, "nonneg", False))),
    VAR + "min_norm_excess_risk": Entry(fn(VAR + "min_norm_excess_risk"), (
        P("D", [5.0, 20.0], "posvec", False), P("P", 10, "int", False), P("noise_var", 1.0, "nonneg", False),
        P("signal", 1.0, "nonneg")), nonfinite="documented inf for |D − P| ≤ 1, where the expected variance diverges"),
    VAR + "ols_local_exponent": Entry(fn(VAR + "ols_local_exponent"), (P("D", [20.0], "posvec", False), P("P", 3,
            "int", False))),
    VAR + "sandwich_excess_risk": Entry(fn(VAR + "sandwich_excess_risk"), (
        P("D", [20.0], "posvec", False), P("sigma", "@spd", "symmat", False), P("omega", "@spd", "symmat", False))),
    # ---------------------------------------------------------------- theory.spectral_sums and roots
    SS + "SpectralSums": Entry(fn(SS + "SpectralSums"), (
        P("eigenvalues", "@lam", "posvec", False), P("weights", np.ones((1, 50)), "mat", False),
        P("kappa_min", 1e-3, "pos", False), P("kappa_max", 1.0, "pos", False))),
    SS + "SpectralSums.panel_of": Entry(method("sums", "panel_of"), (P("kappa", [0.01, 0.1], "posvec", False),)),
    SS + "SpectralSums.n_panels_built": Entry(attribute("sums", "n_panels_built")),
    SS + "exact_sums": Entry(fn(SS + "exact_sums"), (
        P("eigenvalues", "@lam", "posvec", False), P("weights", np.ones((1, 50)), "mat", False),
        P("kappa", [0.0, 0.1], "nonneg", False))),
    SS + "df_pair": Entry(fn(SS + "df_pair"), (P("sums", np.ones((2, 4, 1)), "mat", False),)),
    SS + "gap": Entry(fn(SS + "gap"), (P("x", [1.0, 40.0], "vec", False), P("df", np.ones((2, 2)), "mat", False),
                                       P("total", 50.0, "real", False))),
    SS + "solve_monotone": Entry(fn(SS + "solve_monotone"), (
        P("func", "@monotone", "callable", False), P("sums", "@sums", "obj", False), P("lo", [1e-3], "posvec", False),
        P("hi", [1.0], "posvec", False), P("sign_lo", 1.0, "real", False))),
    SU + "theory.roots.solve_bracketed": Entry(fn(SU + "theory.roots.solve_bracketed"), (
        P("func", "@root_func", "callable", False), P("lo", 0.1, "pos", False), P("hi", 10.0, "pos", False),
        P("log", True, "bool"), P("rtol", 1e-12, "prob"), P("max_iter", 200, "int"))),
    # ---------------------------------------------------------------- validation
    VAL + "as_float_array": Entry(fn(VAL + "as_float_array"), (P("name", "x", "str", False), P("value", [1.0],
            "vec", False),
                                                               P("ndim", None, "int0")), names_param=False,
                                                                       note=VALIDATOR),
    VAL + "check_sizes": Entry(fn(VAL + "check_sizes"), (P("name", "n", "str", False), P("value", [1, 2], "sizes",
            False),
                                                         P("minimum", 1, "int0")), names_param=False, note=VALIDATOR),
    VAL + "check_positive_int": Entry(fn(VAL + "check_positive_int"), (
        P("name", "n", "str", False), P("value", 3, "int", False), P("minimum", 1, "int0"), P("maximum", None,
                "int")), names_param=False, note=VALIDATOR),
    VAL + "check_seed": Entry(fn(VAL + "check_seed"), (P("name", "seed", "str", False), P("value", 3, "seed", False),
                                                       P("generator", False, "bool")), names_param=False,
                                                               note=VALIDATOR),
    VAL + "check_in_range": Entry(fn(VAL + "check_in_range"), (
        P("name", "x", "str", False), P("value", 0.5, "real", False), P("low", 0.0, "real"), P("high", 1.0, "real"),
        P("low_open", False, "bool"), P("high_open", False, "bool")), names_param=False, note=VALIDATOR),
    VAL + "check_choice": Entry(fn(VAL + "check_choice"), (
        P("name", "x", "str", False), P("value", "a", "choice", False), P("choices", ["a", "b"], "vec", False)),
                names_param=False, note=VALIDATOR),
    VAL + "check_same_length": Entry(fn(VAL + "check_same_length"), (P("a", [1.0], "vec"), P("b", [2.0], "vec")),
                                     aliases={"a": ("lengths",), "b": ("lengths",)}, names_param=False, note=VALIDATOR),
    VAL + "check_square": Entry(fn(VAL + "check_square"), (
        P("name", "m", "str", False), P("value", "@spd", "symmat", False), P("symmetric", True, "bool"),
        P("batched", False, "bool")), names_param=False, note=VALIDATOR),
    VAL + "psd_spectrum": Entry(fn(VAL + "psd_spectrum"), (P("name", "m", "str", False), P("eigenvalues", [1.0,
            0.0], "vec", False)), names_param=False, note=VALIDATOR),
    VAL + "cholesky_factor": Entry(fn(VAL + "cholesky_factor"), (P("name", "m", "str", False), P("matrix", "@spd",
            "symmat", False)), names_param=False, note=VALIDATOR),
    VAL + "require_finite": Entry(fn(VAL + "require_finite"), (
        P("name", "r", "str", False), P("value", [1.0], "vec", False), P("why", "w", "str", False)),
                names_param=False, note=VALIDATOR),
    VAL + "check_budget": Entry(fn(VAL + "check_budget"), (
        P("what", "w", "str", False), P("nbytes", 10.0, "nonneg"), P("work", 10.0, "nonneg"), P("iterations", 1.0,
                "nonneg")), names_param=False, note=VALIDATOR),
    VAL + "max_bytes": Entry(fn(VAL + "max_bytes")),
    VAL + "max_work": Entry(fn(VAL + "max_work")),
    VAL + "resource_limits": Entry(fn(VAL + "resource_limits"), (P("max_bytes", 1e9, "pos"), P("max_work", 1e12,
            "pos"))),
    VAL + "InputTypeError": Entry(fn(VAL + "InputTypeError"), (P("message", "m", "str", False),), names_param=False,
                                  note="an exception class"),
    # ---------------------------------------------------------------- book (claims, plotting: owned elsewhere)
    SU + "book.claims.Ledger": Entry(fn(SU + "book.claims.Ledger"), (
        P("chapter", "fuzz-ledger", "str", False), P("directory", "@claims_dir", "path")), owner=NOT_EDITED),
    SU + "book.claims.Ledger.record": Entry(method("ledger", "record"), (
        P("id", "@fresh_id", "str", False), P("kind", "method", "choice"), P("statement", "s", "str"), P("source",
                "s", "str"),
        P("section", "sec-a", "str"), P("expected", 0.0, "real"), P("measured", 0.01, "real"), P("tolerance", 0.1,
                "nonneg"),
        P("alternative", 1.0, "real"), P("alternative_note", "n", "str"), P("interval", None, "vec"),
        P("comparison", "abs", "choice"), P("require_coverage", False, "bool")), owner=NOT_EDITED),
    SU + "book.claims.Ledger.record_fit": Entry(method("ledger", "record_fit"), (
        P("id", "@fresh_id", "str", False), P("fit", "@fit", "obj", False), P("expected", 0.5, "real"),
        P("tolerance", 0.0, "nonneg"), P("comparison", None, "choice"), P("kind", "method", "choice"),
        P("statement", "s", "str"), P("source", "s", "str"), P("section", "sec-a", "str"), P("alternative", 2.0,
                "real"),
        P("alternative_note", "n", "str")), aliases={"fit": ("interval",)}, owner=NOT_EDITED),
    SU + "book.claims.Ledger.complete": Entry(method("ledger", "complete"), baseline=False,
                                              note="completing the shared ledger would end the other cases",
                                                      owner=NOT_EDITED),
    SU + "book.claims.Ledger.table": Entry(method("ledger", "table"), (P("digits", 3, "int"),), owner=NOT_EDITED),
    SU + "book.claims.Claim": Entry(fn(SU + "book.claims.Claim"), record=True,
                                    note="the result of Ledger.record, which validates its fields"),
    **{SU + f"book.claims.Claim.{name}": Entry(method("claim", name)) for name in ("band", "verdict", "has_power")},
    SU + "book.claims.Claim.criterion": Entry(attribute("claim", "criterion")),
    SU + "book.claims.check_claims": Entry(fn(SU + "book.claims.check_claims"), (
        P("directory", "@claims_dir", "path"), P("expect", None, "vec")), owner=NOT_EDITED),
    SU + "book.claims.load_claims": Entry(fn(SU + "book.claims.load_claims"), (P("directory", "@claims_dir",
            "path"),), owner=NOT_EDITED),
    SU + "book.claims.claims_dir": Entry(fn(SU + "book.claims.claims_dir"), owner=NOT_EDITED),
    SU + "book.glue.glue_numbers": Entry(fn(SU + "book.glue.glue_numbers"), (P("value", "@glue_value", "real"),),
            baseline=False,
                                         note="myst-nb's glue needs a notebook kernel; only the refusals are fuzzed"),
    SU + "book.bench.run_benchmark": Entry(fn(SU + "book.bench.run_benchmark"), (
        P("names", ["theory_grid"], "names", False), P("quick", True, "bool"), P("repeat", 1, "int"),
        P("blas_threads", 1, "int")), baseline=False, note="the valid call takes seconds; tested in test_bench"),
    SU + "book.bench.BenchResult": Entry(fn(SU + "book.bench.BenchResult"), record=True,
                                         note="the result of run_benchmark"),
    **{SU + f"book.plotting.{name}": Entry(fn(SU + f"book.plotting.{name}"), params, owner=NOT_EDITED)
       for name, params in {
           "color": (P("i", 1, "int0", False),),
           "use_house_style": (),
           "new_figure": (P("ncols", 1, "int", False), P("nrows", 1, "int", False), P("width", 3.0, "pos"),
                          P("height", 2.0, "pos")),
           "plot_measured": (P("ax", "@ax", "obj", False), P("x", [1.0, 2.0], "posvec", False),
                             P("mean", [1.0, 0.5], "vec", False), P("err", None, "vec", False)),
           "plot_theory": (P("ax", "@ax", "obj", False), P("x", [1.0, 2.0], "posvec", False), P("y", [1.0, 0.5],
                   "vec", False)),
           "plot_fit": (P("ax", "@ax", "obj", False), P("fit", "@fit", "obj", False), P("extend", 1.0, "pos")),
           "plot_local_slope": (P("ax", "@ax", "obj", False), P("slope", "@slope", "obj", False),
                                P("expected", None, "real")),
           "show": (P("fig", "@figure", "obj", False),),
       }.items()},
}

#: Failing cases of code not edited on this branch (``owner``), found by this test; the test fails
#: when one of them is fixed (remove it here) or a new one appears.
KNOWN_FAILURES: set[str] = {
    'scaling_utils.book.claims.Ledger(directory=2.5)',
    'scaling_utils.book.claims.Ledger(directory=3)',
    "scaling_utils.book.claims.Ledger(directory=['a'])",
    "scaling_utils.book.claims.Ledger.record(expected='1')",
    'scaling_utils.book.claims.Ledger.record(measured=-inf)',
    'scaling_utils.book.claims.Ledger.record(measured=nan)',
    'scaling_utils.book.claims.Ledger.record(require_coverage=array([ True, False]))',
    "scaling_utils.book.claims.Ledger.record_fit(comparison=array(['a', 'b'], dtype='<U1'))",
    "scaling_utils.book.claims.Ledger.record_fit(fit='x')",
    'scaling_utils.book.claims.Ledger.record_fit(fit=3)',
    'scaling_utils.book.claims.Ledger.record_fit(fit=None)',
    'scaling_utils.book.claims.Ledger.record_fit(fit=array([1., 1., 1.]))',
    'scaling_utils.book.claims.Ledger.record_fit(tolerance=1e+308)',
    'scaling_utils.book.claims.check_claims(directory=2.5)',
    'scaling_utils.book.claims.check_claims(directory=3)',
    "scaling_utils.book.claims.check_claims(directory=['a'])",
    'scaling_utils.book.claims.check_claims(expect=[[1.0]])',
    'scaling_utils.book.claims.load_claims(directory=2.5)',
    'scaling_utils.book.claims.load_claims(directory=3)',
    "scaling_utils.book.claims.load_claims(directory=['a'])",
    'scaling_utils.book.plotting.new_figure(height=-1.0)',
    'scaling_utils.book.plotting.new_figure(height=-inf)',
    'scaling_utils.book.plotting.new_figure(height=inf)',
    'scaling_utils.book.plotting.new_figure(height=nan)',
    'scaling_utils.book.plotting.new_figure(ncols=2.5)',
    'scaling_utils.book.plotting.new_figure(ncols=9007199254740992)',
    'scaling_utils.book.plotting.new_figure(ncols=None)',
    'scaling_utils.book.plotting.new_figure(ncols=True)',
    'scaling_utils.book.plotting.new_figure(ncols=[3])',
    'scaling_utils.book.plotting.new_figure(nrows=-1)',
    'scaling_utils.book.plotting.new_figure(nrows=1000000000000000000)',
    'scaling_utils.book.plotting.new_figure(nrows=9007199254740992)',
    'scaling_utils.book.plotting.new_figure(nrows=True)',
    'scaling_utils.book.plotting.new_figure(nrows=nan)',
    'scaling_utils.book.plotting.new_figure(width=None)',
    'scaling_utils.book.plotting.new_figure(width=[1.0, 2.0])',
    'scaling_utils.book.plotting.new_figure(width=inf)',
    'scaling_utils.book.plotting.new_figure(width=nan)',
    "scaling_utils.book.plotting.plot_fit(ax='x')",
    'scaling_utils.book.plotting.plot_fit(ax=3)',
    'scaling_utils.book.plotting.plot_fit(ax=None)',
    'scaling_utils.book.plotting.plot_fit(ax=array([1., 1., 1.]))',
    "scaling_utils.book.plotting.plot_fit(extend='1')",
    'scaling_utils.book.plotting.plot_fit(extend=-1.0)',
    'scaling_utils.book.plotting.plot_fit(extend=1e+308)',
    'scaling_utils.book.plotting.plot_fit(extend=1j)',
    'scaling_utils.book.plotting.plot_fit(extend=inf)',
    "scaling_utils.book.plotting.plot_fit(fit='x')",
    'scaling_utils.book.plotting.plot_fit(fit=3)',
    'scaling_utils.book.plotting.plot_fit(fit=None)',
    'scaling_utils.book.plotting.plot_fit(fit=array([1., 1., 1.]))',
    "scaling_utils.book.plotting.plot_local_slope(ax='x')",
    'scaling_utils.book.plotting.plot_local_slope(ax=3)',
    'scaling_utils.book.plotting.plot_local_slope(ax=None)',
    'scaling_utils.book.plotting.plot_local_slope(ax=array([1., 1., 1.]))',
    "scaling_utils.book.plotting.plot_local_slope(slope='x')",
    'scaling_utils.book.plotting.plot_local_slope(slope=3)',
    'scaling_utils.book.plotting.plot_local_slope(slope=None)',
    'scaling_utils.book.plotting.plot_local_slope(slope=array([1., 1., 1.]))',
    "scaling_utils.book.plotting.plot_measured(ax='x')",
    'scaling_utils.book.plotting.plot_measured(ax=3)',
    'scaling_utils.book.plotting.plot_measured(ax=None)',
    'scaling_utils.book.plotting.plot_measured(ax=array([1., 1., 1.]))',
    "scaling_utils.book.plotting.plot_measured(err='abc')",
    'scaling_utils.book.plotting.plot_measured(mean=None)',
    'scaling_utils.book.plotting.plot_measured(mean=[[1.0]])',
    'scaling_utils.book.plotting.plot_measured(mean=[])',
    'scaling_utils.book.plotting.plot_measured(mean=[inf])',
    'scaling_utils.book.plotting.plot_measured(mean=[nan])',
    "scaling_utils.book.plotting.plot_theory(ax='x')",
    'scaling_utils.book.plotting.plot_theory(ax=3)',
    'scaling_utils.book.plotting.plot_theory(ax=None)',
    'scaling_utils.book.plotting.plot_theory(ax=array([1., 1., 1.]))',
    'scaling_utils.book.plotting.show(fig=array([1., 1., 1.]))',
}

#: Public names that take no input: constants and dataclass fields (their values are checked by the
#: tests of their modules).
NOT_CALLABLE = {
    FIT + "CI_METHODS", FIT + "COVERAGE_SEED_COUNTS", FIT + "FitResult.chi2_dof", FIT + "FitResult.p_value",
    FIT + "FitResult.level", FIT + "FitResult.ci", FIT + "FitResult.seeds",
    DIM + "NEAR_DUPLICATE_RTOL", DIM + "TIE_FRACTION", DIM + "TIE_RTOL", DIM + "DimensionEstimate.level",
    FEAT + "ACTIVATIONS", SOLV + "ACTIVATIONS", TS + "TeacherStudent.kind", TK + "TorusKernel.nu",
    TK + "TorusKernel.variance", BE + "BACKENDS", BE + "ENV_VAR", BE + "SMALL_MATRIX",
            SU + "engines.sweep.SCHEDULER_ENV",
    SS + "DEGREE", SS + "N_SUMS", SS + "PANEL_WIDTH", VAL + "DEFAULT_MAX_WORK", VAL + "ITERATION_COST", VAL + "MAX_INT",
    SU + "book.bench.CASES", SU + "book.claims.KINDS", SU + "book.claims.SCHEMA", SU + "book.plotting.PALETTE",
}


def sweep_func(n: int) -> dict:
    """A module-level experiment for the run_sweep entry."""
    return {"x": float(n)}


def monotone(kappa: np.ndarray, df: np.ndarray, sel: np.ndarray) -> np.ndarray:
    return df[:, 0] - 10.0


def root_func(x: np.ndarray) -> np.ndarray:
    return np.log(x)


_COUNTER = iter(range(10**9))
Valid.sweep_func = staticmethod(sweep_func)
Valid.monotone = staticmethod(monotone)
Valid.root_func = staticmethod(root_func)
Valid.glue_value = 1.0
Valid.fresh_id = property(lambda self: f"fuzz.claim.{next(_COUNTER)}")
Valid.figure = property(lambda self: self.ax.figure)

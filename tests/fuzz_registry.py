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

import contextlib
import io
import tempfile
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
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
    """

    target: Any
    params: tuple[P, ...] = ()
    nonfinite: str | None = None
    baseline: bool = True
    names_param: bool = True
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    note: str = ""
    record: bool = False


REAL = [np.nan, np.inf, -np.inf, "1", None, 1j, [1.0, 2.0], True]
VEC = [[], [np.nan], [[1.0]], "abc", None, [1 + 1j], [np.inf], np.full(3, 1e308)]
MAT = [np.ones(3), [[np.nan]], np.ones((2, 3)), "x", None, np.zeros((0, 0)), np.full((2, 2), 1e308)]
BAD: dict[str, list[Any]] = {
    "int": [0, -1, 2.5, True, "3", None, 2**53, 10**18, np.nan, [3]],
    "int0": [-1, 2.5, True, "3", None, 2**60, np.inf],
    "integer": [2.5, True, "3", None, np.nan, [3]],
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
    # the scaling-fit command line: files (written by _cli_files) and option lists a user might pass
    "cli_file": ["missing", "text", "nan", "negative", "empty", "binary"],
    "cli_options": [
        ("--size", "n", "--loss", "nope"),                                   # no such column
        ("--size", "n", "--loss", "loss", "--seed", "seed", "--offset", "nope"),
        ("--size", "n", "--loss", "loss", "--seed", "seed", "--level", "2"),
        ("--size", "n", "--loss", "loss", "--seed", "seed", "--window", "a:b"),
        ("--size", "n"),                                                     # argparse: --loss is required
        ("--size", "n", "--loss", "loss"),                                   # repeated sizes without --seed
        ("--size", "n", "--size2", "n", "--loss", "loss", "--seed", "seed"),  # --seed with two resources
        ("--size", "n", "--loss", "loss", "--seed", "seed", "--offset", "inf"),
    ],
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

    # ------------------------------------------------------------ inputs of the newer modules
    @cached_property
    def pool_x(self) -> np.ndarray:
        return self.pts2[:30]

    @cached_property
    def pool_y(self) -> np.ndarray:
        return np.sin(6 * self.pool_x[:, 0])

    @cached_property
    def pool_gram(self) -> np.ndarray:
        from scaling_utils.engines.pool_curves import kernel_matrix

        return kernel_matrix("laplace", self.pool_x, length=0.5)

    @cached_property
    def pool_dist(self) -> np.ndarray:
        from scaling_utils.engines.pool_curves import pairwise_distances

        return pairwise_distances(self.pool_x)

    @cached_property
    def net(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        from scaling_utils.engines.trained_networks import init_network

        return init_network(4, 3, seeds=2)

    @cached_property
    def net_x(self) -> np.ndarray:
        return np.hstack([self.x[:, :2], np.ones((20, 1))])

    @cached_property
    def history(self) -> Any:
        from scaling_utils.engines.trained_networks import train_levenberg_marquardt

        return train_levenberg_marquardt(self.net_x, self.y, *self.net, max_iter=3, x_test=self.net_x[:5],
                                         y_test=self.y[:5])

    @cached_property
    def runs(self) -> Any:
        from scaling_utils.data.chinchilla import load_runs

        return load_runs()

    @cached_property
    def faces(self) -> Any:
        from scaling_utils.data.real import load_faces

        return load_faces()

    @cached_property
    def regime(self) -> Any:
        from scaling_utils.book.regimes import regime_surface

        return regime_surface(0.5, 5000, 1.0, 1000.0, 9)

    @cached_property
    def series(self) -> Any:
        from scaling_utils.measurement.series import fit_inverse_powers

        return fit_inverse_powers(self.n8, self.curves)

    @cached_property
    def spectrum(self) -> Any:
        from scaling_utils.measurement.spectra import covariance_spectrum

        return covariance_spectrum(self.pts2, groups=4)

    @cached_property
    def eigensystem(self) -> Any:
        from scaling_utils.measurement.spectra import kernel_eigensystem

        return kernel_eigensystem(self.pool_gram, np.stack([self.pool_y, self.pool_y**2], axis=1))

    @cached_property
    def nd_runs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n, d = (a.ravel() for a in np.meshgrid(np.geomspace(1e7, 1e10, 4), np.geomspace(1e9, 1e12, 4)))
        return n, d, 1.7 + 400 * n**-0.34 + 400 * d**-0.28

    @cached_property
    def two_resource(self) -> Any:
        from scaling_utils.measurement.two_resource import fit_two_resource

        return fit_two_resource(*self.nd_runs, n_starts=2)

    @property
    def sweep_table(self) -> Any:
        import pandas as pd

        return pd.DataFrame({"seed": [1, 0], "losses": [np.ones(3), np.zeros(3)]})


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
M_ = SU + "measurement."
TWO, SER, AGR = M_ + "two_resource.", M_ + "series.", M_ + "agreement."
OPT, SPEC = M_ + "optimum.", M_ + "spectra."
PC, TN, SSW = SU + "engines.pool_curves.", SU + "engines.trained_networks.", SU + "engines.solvable_sweeps."
REAL, CHIN = SU + "data.real.", SU + "data.chinchilla."
#: The valid options of the scaling-fit entry (a learning curve per seed in the file "runs").
CLI_OPTIONS = ("--size", "n", "--loss", "loss", "--seed", "seed")

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
    FIT + "interval_coverage_point": Entry(fn(FIT + "interval_coverage_point"), (
        P("seeds", 2, "int", False), P("ci", "jackknife", "choice", False), P("offset", None, "choice", False),
        P("repeats", 2, "int", False), P("seed", 0, "seed", False))),
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
        P("level", 0.95, "prob"))),
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
                                                       P("generator", False, "bool"), P("sequence", False, "bool")),
                              names_param=False,
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
    # ---------------------------------------------------------------- measurement.two_resource
    TWO + "two_resource_loss": Entry(fn(TWO + "two_resource_loss"), (
        P("n", [1e7, 1e8], "posvec", False), P("d", [1e9, 1e10], "posvec", False), P("E", 1.7, "real"),
        P("A", 400.0, "pos"), P("B", 400.0, "pos"), P("alpha", 0.34, "pos"), P("beta", 0.28, "pos"))),
    TWO + "start_grid": Entry(fn(TWO + "start_grid")),
    TWO + "fit_two_resource": Entry(fn(TWO + "fit_two_resource"), (
        P("n", "@tr_n", "posvec", False), P("d", "@tr_d", "posvec", False), P("loss", "@tr_loss", "posvec", False),
        P("delta", 1e-3, "pos"), P("n_boot", 0, "int0"), P("level", 0.95, "prob"), P("n_starts", 2, "int"),
        P("seed", 0, "seed"))),
    TWO + "compute_optimal": Entry(fn(TWO + "compute_optimal"), (
        P("fit", "@two_resource", "obj", False), P("compute", [1e20, 1e22], "posvec", False))),
    TWO + "coverage_replica": Entry(fn(TWO + "coverage_replica"), (
        P("n", "@tr_n", "posvec", False), P("d", "@tr_d", "posvec", False), P("truth", "@tr_truth", "obj", False),
        P("residuals", [0.01, -0.01, 0.02], "vec", False), P("n_boot", 2, "int"), P("level", 0.95, "prob"),
        P("delta", 1e-3, "pos"), P("seed", 0, "seed"))),
    TWO + "TwoResourceFit": Entry(fn(TWO + "TwoResourceFit"), record=True, note="the result of fit_two_resource"),
    TWO + "TwoResourceFit.describe": Entry(method("two_resource", "describe"), (P("digits", 3, "int"),)),
    TWO + "TwoResourceFit.predict": Entry(method("two_resource", "predict"), (
        P("n", [1e7, 1e8], "posvec", False), P("d", [1e9, 1e10], "posvec", False))),
    # ---------------------------------------------------------------- measurement.series, agreement, optimum
    SER + "fit_inverse_powers": Entry(fn(SER + "fit_inverse_powers"), (
        P("n", "@n8", "posvec", False), P("losses", "@curves", "curves", False), P("powers", [1.0, 2.0], "posvec"),
        P("level", 0.95, "prob"))),
    SER + "SeriesFit": Entry(fn(SER + "SeriesFit"), record=True, note="the result of fit_inverse_powers"),
    SER + "SeriesFit.predict": Entry(method("series", "predict"), (P("n", [10.0, 100.0], "posvec", False),)),
    AGR + "pointwise_agreement": Entry(fn(AGR + "pointwise_agreement"), (
        P("losses", "@curves", "curves", False), P("theory", 2 * Valid.n8**-0.5, "posvec", False),
        P("allowance", 0.0, "nonneg"), P("alternative", 3 * Valid.n8**-0.5, "posvec"), P("level", 0.95, "prob")),
        nonfinite="documented NaN `alternative` (the worst z under the alternative) when no alternative is given"),
    AGR + "Agreement": Entry(fn(AGR + "Agreement"), record=True, note="the result of pointwise_agreement"),
    AGR + "Agreement.holds": Entry(attribute("agreement", "holds")),
    OPT + "parabola_vertex": Entry(fn(OPT + "parabola_vertex"), (
        P("x", np.linspace(-2, 2, 9), "vec", False), P("y", (np.linspace(-2, 2, 9) - 0.3) ** 2, "vec", False),
        P("points", 5, "int"))),
    OPT + "parabola_minimum": Entry(fn(OPT + "parabola_minimum"), (
        P("x", np.linspace(-2, 2, 9), "vec", False), P("y", (np.linspace(-2, 2, 9) - 0.3) ** 2, "vec", False),
        P("points", 5, "int"))),
    OPT + "optimum_location": Entry(fn(OPT + "optimum_location"), (
        P("x", np.linspace(-2, 2, 9), "vec", False), P("losses", "@tuned_losses", "curves", False),
        P("points", 5, "int"), P("level", 0.95, "prob"))),
    OPT + "Optimum": Entry(fn(OPT + "Optimum"), record=True, note="the result of optimum_location"),
    # ---------------------------------------------------------------- measurement.spectra
    SPEC + "covariance_spectrum": Entry(fn(SPEC + "covariance_spectrum"), (
        P("x", "@pts2", "points", False), P("groups", 4, "int"), P("seed", 0, "seed"))),
    SPEC + "CovarianceSpectrum": Entry(fn(SPEC + "CovarianceSpectrum"), record=True,
                                       note="the result of covariance_spectrum"),
    **{SPEC + f"CovarianceSpectrum.{name}": Entry(method("spectrum", name), (P("ranks", [1, 2], "sizes", False),))
       for name in ("pseudo_curves", "stderr")},
    SPEC + "rank_grid": Entry(fn(SPEC + "rank_grid"), (
        P("max_rank", 100, "int", False), P("points", 5, "int"), P("min_rank", 1, "int"))),
    SPEC + "numerical_rank": Entry(fn(SPEC + "numerical_rank"), (
        P("eigenvalues", [4.0, 1.0, 0.0], "vec", False), P("rtol", 1e-10, "prob"))),
    SPEC + "explained_rank": Entry(fn(SPEC + "explained_rank"), (
        P("eigenvalues", [5.0, 3.0, 1.0], "vec", False), P("fraction", 0.9, "prob"))),
    SPEC + "kernel_eigensystem": Entry(fn(SPEC + "kernel_eigensystem"), (
        P("gram", "@pool_gram", "symmat", False), P("targets", "@pool_y", "vec", False))),
    SPEC + "KernelEigensystem": Entry(fn(SPEC + "KernelEigensystem"), record=True,
                                      note="the result of kernel_eigensystem"),
    SPEC + "KernelEigensystem.positive": Entry(method("eigensystem", "positive"), (
        P("relative", 1e-13, "prob"), P("columns", None, "vec"))),
    SPEC + "KernelEigensystem.target_power": Entry(attribute("eigensystem", "target_power")),
    # ---------------------------------------------------------------- measurement.dimension (newer functions)
    DIM + "interval_coverage": Entry(fn(DIM + "interval_coverage"), (
        P("estimator", "twonn", "choice", False), P("d", 2, "int", False), P("n_points", 50, "int"),
        P("ci", "split", "choice"), P("splits", 2, "int"), P("repeats", 2, "int"), P("level", 0.95, "prob"),
        P("n_boot", 20, "int0"), P("seed", 0, "seed"))),
    DIM + "twonn_decimation": Entry(fn(DIM + "twonn_decimation"), (
        P("points", "@pts2", "points", False), P("sizes", [10, 20], "sizes", False), P("max_subsets", 3, "int"),
        P("seed", 0, "seed"), P("duplicates", "remove", "choice")),
        nonfinite="documented NaN stderr at a size that leaves a single subset"),
    # ---------------------------------------------------------------- engines.pool_curves
    PC + "split_pool": Entry(fn(PC + "split_pool"), (
        P("labels", np.repeat([0, 1], 5), "vec", False), P("n_test", 4, "int", False), P("seed", 1, "seed"))),
    PC + "pairwise_distances": Entry(fn(PC + "pairwise_distances"), (
        P("x1", "@pts2", "points", False), P("x2", None, "points", False))),
    PC + "median_distance": Entry(fn(PC + "median_distance"), (P("x", "@pts2", "points", False),)),
    PC + "kernel_matrix": Entry(fn(PC + "kernel_matrix"), (
        P("name", "laplace", "choice", False), P("x1", "@pts2", "points", False), P("x2", None, "points", False),
        P("length", 0.5, "pos")), aliases={"name": ("kernel",)}),
    PC + "kernel_curves": Entry(fn(PC + "kernel_curves"), (
        P("gram", "@pool_gram", "symmat", False), P("y", "@pool_y", "vec", False),
        P("pool", np.arange(20), "vec", False), P("test", np.arange(20, 30), "vec", False),
        P("sizes", [5, 10], "sizes", False), P("seeds", 2, "int"), P("seed", 0, "seed"), P("ridge", 0.0, "nonneg"))),
    PC + "nearest_neighbour_curves": Entry(fn(PC + "nearest_neighbour_curves"), (
        P("distances", "@test_pool_dist", "mat", False), P("y_pool", "@y_pool", "vec", False),
        P("y_test", "@y_test", "vec", False), P("sizes", [5, 10], "sizes", False), P("seeds", 2, "int"),
        P("seed", 0, "seed"))),
    PC + "self_distance_curves": Entry(fn(PC + "self_distance_curves"), (
        P("distances", "@pool_dist", "mat", False), P("sizes", [5, 10], "sizes", False), P("seeds", 2, "int"),
        P("seed", 0, "seed"))),
    PC + "random_feature_curves": Entry(fn(PC + "random_feature_curves"), (
        P("x", "@pool_x", "points", False), P("y", "@pool_y", "vec", False), P("pool", np.arange(20), "vec", False),
        P("test", np.arange(20, 30), "vec", False), P("n_samples", [5, 10], "sizes", False),
        P("n_features", [4, 8], "sizes", False), P("seeds", 2, "int"), P("seed", 0, "seed"), P("ridge", 1e-10, "pos"))),
    PC + "kernel_curve_point": Entry(fn(PC + "kernel_curve_point"), (
        P("dataset", "digits", "choice", False), P("kernel", "laplace", "choice", False),
        P("target", "parity", "choice", False), P("sizes", [10, 20], "sizes", False), P("n_test", 100, "int"),
        P("split_seed", 0, "seed"), P("seeds", 2, "int"), P("seed", 0, "seed"), P("ridge", 0.0, "nonneg"))),
    PC + "kernel_eigensystem_point": Entry(fn(PC + "kernel_eigensystem_point"), (
        P("dataset", "digits", "choice", False), P("kernel", "laplace", "choice", False),
        P("targets", ("parity",), "names"), P("n_test", 100, "int"), P("split_seed", 0, "seed"),
        P("pool_size", 50, "int"), P("subset_seed", 0, "seed"))),
    PC + "nearest_neighbour_point": Entry(fn(PC + "nearest_neighbour_point"), (
        P("dataset", "digits", "choice", False), P("target", "parity", "choice", False),
        P("sizes", [10, 20], "sizes", False), P("n_test", 100, "int"), P("split_seed", 0, "seed"),
        P("seeds", 2, "int"), P("seed", 0, "seed"))),
    PC + "random_feature_point": Entry(fn(PC + "random_feature_point"), (
        P("dataset", "digits", "choice", False), P("target", "parity", "choice", False),
        P("n_samples", [10, 20], "sizes", False), P("n_features", [5, 10], "sizes", False), P("n_test", 100, "int"),
        P("split_seed", 0, "seed"), P("seeds", 2, "int"), P("seed", 0, "seed"), P("ridge", 1e-10, "pos"))),
    PC + "spectrum_point": Entry(fn(PC + "spectrum_point"), (
        P("source", "digits", "choice", False), P("features", "relu", "choice", False), P("n_features", 20, "int"),
        P("seed", 0, "seed"), P("patch_size", 16, "int"))),
    PC + "intrinsic_dimension_point": Entry(fn(PC + "intrinsic_dimension_point"), (
        P("dataset", "faces", "choice", False), P("method", "twonn", "choice", False), P("k1", 3, "int"),
        P("k2", 5, "int"), P("groups", 4, "int"), P("seed", 0, "seed"))),
    PC + "self_distance_point": Entry(fn(PC + "self_distance_point"), (
        P("dataset", "faces", "choice", False), P("sizes", [5, 10], "sizes", False), P("seeds", 2, "int"),
        P("seed", 0, "seed"))),
    # ---------------------------------------------------------------- data.real and data.chinchilla
    REAL + "ImageData": Entry(fn(REAL + "ImageData"), record=True, note="the result of the loaders"),
    **{REAL + f"ImageData.{name}": Entry(attribute("faces", name)) for name in ("n", "dim")},
    REAL + "remove_exact_duplicates": Entry(fn(REAL + "remove_exact_duplicates"), (
        P("x", [[0.0, 1.0], [0.5, 0.5], [0.0, 1.0]], "points", False), P("labels", [3, 4, 5], "vec"))),
    REAL + "label_targets": Entry(fn(REAL + "label_targets"), (
        P("labels", [0, 3], "vec", False), P("kind", "parity", "choice", False))),
    **{REAL + name: Entry(fn(REAL + name)) for name in ("load_digits", "load_faces", "load_mnist")},
    REAL + "natural_patches": Entry(fn(REAL + "natural_patches"), (
        P("size", 8, "int"), P("stride", None, "int"), P("photographs", ("camera",), "names"),
        P("per_photograph", 20, "int"), P("seed", 0, "seed"))),
    CHIN + "load_runs": Entry(fn(CHIN + "load_runs"), (P("path", None, "path"),)),
    CHIN + "exclude_highest_loss": Entry(fn(CHIN + "exclude_highest_loss"), (
        P("runs", "@runs", "obj", False), P("count", 5, "int0"))),
    # ---------------------------------------------------------------- engines.solvable (newer functions)
    SOLV + "draw_losses": Entry(fn(SOLV + "draw_losses"), (
        P("eigenvalues", "@lam", "posvec", False), P("teacher_variances", 0.02, "nonneg", False),
        P("data", "@draw_z", "mat", False), P("features", "@draw_g", "mat", False),
        P("n_features", [4, 8], "sizes", False), P("n_samples", [4, 8], "sizes", False),
        P("ridges", [0.0, 0.1], "nonneg", False), P("sigma_u2", 1.0, "pos"))),
    SOLV + "feature_eigensystem": Entry(fn(SOLV + "feature_eigensystem"), (
        P("eigenvalues", "@lam", "posvec", False), P("teacher_variances", 0.02, "nonneg", False),
        P("name", "erf", "choice", False), P("n_pool", 30, "int", False), P("sigma_u2", 1.0, "pos"),
        P("seed", 0, "seed"))),
    SOLV + "FeatureEigensystem": Entry(fn(SOLV + "FeatureEigensystem"), record=True,
                                       note="the result of feature_eigensystem"),
    SOLV + "latent_coordinates": Entry(fn(SOLV + "latent_coordinates"), (
        P("gaussian", "@x", "mat", False), P("law", "student", "choice", False), P("df", 5.0, "pos"),
        P("seed", 0, "seed"))),
    TS + "TeacherStudent.swapped": Entry(method("model", "swapped")),
    # ---------------------------------------------------------------- engines.solvable_sweeps
    SSW + "unit_preactivation": Entry(fn(SSW + "unit_preactivation"), (P("M", 20, "int", False), P("alpha", 1.0, "pos",
                                                                                                  False))),
    SSW + "losses_point": Entry(fn(SSW + "losses_point"), (
        P("M", 20, "int"), P("alpha", 1.0, "pos"), P("n_features", [5, 10], "sizes"), P("n_samples", [8], "sizes"),
        P("ridges", [0.0, 0.1], "nonneg"), P("seed", 0, "seed"), P("name", "linear", "choice"),
        P("sigma_u2", None, "pos"), P("noise", 0.0, "nonneg"), P("teachers", 2, "int"),
        P("latent", "gaussian", "choice"), P("latent_df", 5.0, "pos"), P("sigma_w2", 1.0, "pos"))),
    SSW + "budget_point": Entry(fn(SSW + "budget_point"), (
        P("M", 20, "int"), P("alpha", 1.0, "pos"), P("budget", 100.0, "pos"), P("n_features", [5, 10], "sizes"),
        P("ridges", [0.1], "nonneg"), P("seed", 0, "seed"), P("noise", 0.0, "nonneg"), P("teachers", 2, "int"),
        P("sigma_w2", 1.0, "pos"))),
    SSW + "eigensystem_point": Entry(fn(SSW + "eigensystem_point"), (
        P("M", 20, "int"), P("alpha", 1.0, "pos"), P("name", "relu", "choice"), P("n_pool", 30, "int"),
        P("seed", 0, "seed"), P("sigma_u2", None, "pos"), P("sigma_w2", 1.0, "pos"))),
    SSW + "stack_losses": Entry(fn(SSW + "stack_losses"), (
        P("table", "@sweep_table", "obj", False), P("seeds", 2, "int", False))),
    # ---------------------------------------------------------------- engines.torus_kernels (sweep points)
    TK + "gram_spectrum": Entry(fn(TK + "gram_spectrum"), (
        P("kind", "matern", "choice", False), P("d", 1, "int", False), P("lengthscale", 0.1, "pos", False),
        P("nu", 0.5, "pos", False), P("n_points", 20, "int", False), P("seed", 0, "seed", False))),
    TK + "prior_error_curve": Entry(fn(TK + "prior_error_curve"), (
        P("kind", "matern", "choice", False), P("d", 1, "int", False), P("lengthscale", 0.1, "pos", False),
        P("nu", 0.5, "pos", False), P("sizes", [5, 10], "sizes", False), P("seed", 0, "seed", False))),
    # ---------------------------------------------------------------- engines.trained_networks
    TN + "network_parameter_count": Entry(fn(TN + "network_parameter_count"), (
        P("width", 10, "int", False), P("n_in", 3, "int", False))),
    TN + "torus_network_inputs": Entry(fn(TN + "torus_network_inputs"), (
        P("theta", "@pts2", "points", False), P("embedding", "@embedding", "obj", False))),
    TN + "init_network": Entry(fn(TN + "init_network"), (
        P("width", 4, "int", False), P("n_in", 3, "int", False), P("seeds", 2, "int"), P("seed", 0, "seed"))),
    TN + "network_forward": Entry(fn(TN + "network_forward"), (
        P("x", "@net_x", "points", False), P("w", "@net_w", "mat", False), P("a", "@net_a", "mat", False),
        P("c", "@net_c", "vec", False), P("activation", "relu", "choice"))),
    TN + "train_levenberg_marquardt": Entry(fn(TN + "train_levenberg_marquardt"), (
        P("x", "@net_x", "points", False), P("y", "@y", "vec", False), P("w", "@net_w", "mat", False),
        P("a", "@net_a", "mat", False), P("c", "@net_c", "vec", False), P("activation", "tanh", "choice"),
        P("max_iter", 3, "int0"), P("stop_loss", None, "pos"), P("stop_plateau", None, "pos"),
        P("plateau_window", 5, "int"), P("x_test", "@net_x_test", "points"), P("y_test", "@y_test5", "vec"),
        P("damping", 1e-3, "pos"), P("form", "auto", "choice"))),
    TN + "plateau_criterion": Entry(fn(TN + "plateau_criterion"), (
        P("train_mse", [[1.0, 2.0], [0.5, 1.0], [0.49, 0.9]], "mat", False), P("window", 1, "int"),
        P("accepted", None, "mat")), nonfinite="documented inf before a seed has `window` accepted steps"),
    TN + "value_at_first_crossing": Entry(fn(TN + "value_at_first_crossing"), (
        P("values", [[5.0, 6.0], [4.0, 3.0]], "mat", False), P("criterion", [[1.0, 1.0], [0.1, 0.5]], "mat", False),
        P("threshold", 0.2, "real", False)), nonfinite="documented NaN for seeds that never cross the threshold"),
    TN + "trained_network_data_sweep": Entry(fn(TN + "trained_network_data_sweep"), (
        P("d", 2, "int", False), P("sizes", [4, 8], "sizes", False), P("target", "@target", "obj", False),
        P("embedding", "@embedding", "obj", False), P("width", 4, "int"), P("activation", "relu", "choice"),
        P("seeds", 2, "int"), P("seed", 0, "seed"), P("loss_thresholds", (1e-7, 1e-10), "posvec"),
        P("n_test", 20, "int"), P("max_iter", 5, "int0")),
        nonfinite="documented NaN test errors at a threshold a seed never reached (converged = False)"),
    TN + "trained_network_width_sweep": Entry(fn(TN + "trained_network_width_sweep"), (
        P("d", 2, "int", False), P("widths", [2, 4], "sizes", False), P("target", "@target", "obj", False),
        P("embedding", "@embedding", "obj", False), P("n_train", 10, "int"), P("activation", "relu", "choice"),
        P("seeds", 2, "int"), P("seed", 0, "seed"), P("plateau_thresholds", (1e-2, 1e-3), "posvec"),
        P("plateau_window", 5, "int"), P("n_test", 20, "int"), P("max_iter", 5, "int0")),
        nonfinite="documented NaN test errors at a threshold a seed never reached (converged = False)"),
    TN + "TrainingHistory": Entry(fn(TN + "TrainingHistory"), record=True, note="the result of "
                                  "train_levenberg_marquardt"),
    TN + "TrainingHistory.iterations": Entry(attribute("history", "iterations")),
    # ---------------------------------------------------------------- theory (newer functions)
    SU + "theory.gaussian_equivalence.gaussian_equivalent_loss": Entry(
        fn(SU + "theory.gaussian_equivalence.gaussian_equivalent_loss"), (
            P("eigenvalues", "@lam_over_m", "posvec", False), P("teacher_power", "@teacher_power", "vec", False),
            P("n_features", [10.0, 20.0], "posvec", False), P("n_samples", 40.0, "pos", False),
            P("ridge", 1e-2, "nonneg", False), P("noise", 0.0, "nonneg"), P("residual", 0.0, "nonneg")),
        nonfinite=POLE),
    KER + "extrapolate_pool": Entry(fn(KER + "extrapolate_pool"), (
        P("error", [0.3], "vec", False), P("error_half", [0.31], "vec", False))),
    TNB + "cell_model_mse_exact": Entry(fn(TNB + "cell_model_mse_exact"), (
        P("cells_per_side", [4.0, 8.0], "posvec", False), P("frequencies", [[1, 0]], "mat", False),
        P("amplitudes", [1.0], "vec", False), P("order", 1, "choice", False))),
    TNB + "chordal_nn_distance_mean": Entry(fn(TNB + "chordal_nn_distance_mean"), (
        P("D", [10.0, 100.0], "posvec", False), P("d", 2, "int", False))),
    TNB + "one_nn_l1": Entry(fn(TNB + "one_nn_l1"), (
        P("D", [10.0, 100.0], "posvec", False), P("d", 2, "int", False), P("frequencies", [[1, 0]], "mat", False),
        P("amplitudes", [1.0], "vec", False), P("phases", [0.0], "vec", False), P("n_points", 64, "int"),
        P("grid", 8, "int"), P("seed", 0, "seed"))),
    TNB + "sinc_moment": Entry(fn(TNB + "sinc_moment"), (P("u", [0.0, 1e-4, 1.0], "vec", False),)),
    RF + "finite_size_allowance": Entry(fn(RF + "finite_size_allowance"), (
        P("n_features", [50, 800], "posvec", False), P("n_samples", [1600, 450], "posvec", False),
        P("M", 400, "int", False))),
    # ---------------------------------------------------------------- the scaling-fit command line
    SU + "fit.main": Entry(lambda v: scaling_fit, (
        P("file", "runs", "cli_file", False), P("options", CLI_OPTIONS, "cli_options", False)),
        note="called through scaling_fit below: a bad file or option must end in exit status 2 with a one-line "
             "message (argparse's own errors included), never a traceback"),
    # ---------------------------------------------------------------- book (regimes, glue, figures)
    SU + "book.regimes.regime_surface": Entry(fn(SU + "book.regimes.regime_surface"), (
        P("alpha", 0.5, "pos"), P("latent_dim", 5000, "int"), P("smallest", 1.0, "pos"), P("largest", 1000.0, "pos"),
        P("points", 9, "int"), P("ridge", 1e-4, "pos"))),
    SU + "book.regimes.plot_regimes": Entry(fn(SU + "book.regimes.plot_regimes"), (
        P("surface", "@regime", "obj", False), P("phone", False, "bool"))),
    SU + "book.regimes.RegimeSurface": Entry(fn(SU + "book.regimes.RegimeSurface"), record=True,
                                             note="the result of regime_surface"),
    SU + "book.glue.latex_number": Entry(fn(SU + "book.glue.latex_number"), (
        P("value", 3.7e-5, "real", False), P("digits", 2, "int"))),
    SU + "book.glue.power_tex": Entry(fn(SU + "book.glue.power_tex"), (
        P("base", "D", "str"), P("numerator", -4, "integer"), P("denominator", 2, "int"))),
    SU + "book.glue.glue_math": Entry(fn(SU + "book.glue.glue_math"), (P("digits", 2, "int"), P("x", 1.0, "real"))),
    SU + "book.plotting.smallest_text_pt": Entry(fn(SU + "book.plotting.smallest_text_pt"), (
        P("fig", "@figure", "obj", False), P("png_width_px", None, "pos"), P("column_in", 6.4, "pos"))),
    # ---------------------------------------------------------------- book (claims, plotting: owned elsewhere)
    SU + "book.claims.Ledger": Entry(fn(SU + "book.claims.Ledger"), (
        P("chapter", "fuzz-ledger", "str", False), P("directory", "@claims_dir", "path"))),
    SU + "book.claims.Ledger.record": Entry(method("ledger", "record"), (
        P("id", "@fresh_id", "str", False), P("kind", "method", "choice"), P("statement", "s", "str"), P("source",
                "s", "str"),
        P("section", "sec-a", "str"), P("expected", 0.0, "real"), P("measured", 0.01, "real"), P("tolerance", 0.1,
                "nonneg"),
        P("alternative", 1.0, "real"), P("alternative_note", "n", "str"), P("interval", None, "vec"),
        P("comparison", "abs", "choice"), P("require_coverage", False, "bool")),
        nonfinite="documented: a NaN or infinite `measured` is recorded as a claim that does not hold, "
                  "and check_claims reports it"),
    SU + "book.claims.Ledger.record_fit": Entry(method("ledger", "record_fit"), (
        P("id", "@fresh_id", "str", False), P("fit", "@fit", "obj", False), P("expected", 0.5, "real"),
        P("tolerance", 0.0, "nonneg"), P("comparison", None, "choice"), P("kind", "method", "choice"),
        P("statement", "s", "str"), P("source", "s", "str"), P("section", "sec-a", "str"), P("alternative", 2.0,
                "real"),
        P("alternative_note", "n", "str")), aliases={"fit": ("interval",)}),
    SU + "book.claims.Ledger.complete": Entry(method("ledger", "complete"), baseline=False,
                                              note="completing the shared ledger would end the other cases"),
    SU + "book.claims.Ledger.table": Entry(method("ledger", "table"), (P("digits", 3, "int"),)),
    SU + "book.claims.Claim": Entry(fn(SU + "book.claims.Claim"), record=True,
                                    note="the result of Ledger.record, which validates its fields"),
    **{SU + f"book.claims.Claim.{name}": Entry(method("claim", name)) for name in ("band", "verdict", "has_power")},
    SU + "book.claims.Claim.criterion": Entry(attribute("claim", "criterion")),
    SU + "book.claims.check_claims": Entry(fn(SU + "book.claims.check_claims"), (
        P("directory", "@claims_dir", "path"), P("expect", None, "vec"))),
    SU + "book.claims.load_claims": Entry(fn(SU + "book.claims.load_claims"), (P("directory", "@claims_dir",
            "path"),)),
    SU + "book.claims.claims_dir": Entry(fn(SU + "book.claims.claims_dir")),
    SU + "book.glue.glue_numbers": Entry(fn(SU + "book.glue.glue_numbers"), (P("value", "@glue_value", "real"),),
            baseline=False,
                                         note="myst-nb's glue needs a notebook kernel; only the refusals are fuzzed"),
    SU + "book.bench.run_benchmark": Entry(fn(SU + "book.bench.run_benchmark"), (
        P("names", ["theory_grid"], "names", False), P("quick", True, "bool"), P("repeat", 1, "int"),
        P("blas_threads", 1, "int")), baseline=False, note="the valid call takes seconds; tested in test_bench"),
    SU + "book.bench.BenchResult": Entry(fn(SU + "book.bench.BenchResult"), record=True,
                                         note="the result of run_benchmark"),
    **{SU + f"book.plotting.{name}": Entry(fn(SU + f"book.plotting.{name}"), params)
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

#: Failing cases that are known and accepted for now (e.g. in code another branch owns), as
#: ``describe`` prints them; the test fails when one of them passes (remove it here) or a new one appears.
KNOWN_FAILURES: set[str] = set()

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
    SU + "book.regimes.INFINITE", SU + "book.regimes.REGIMES", CHIN + "DATA_FILE", REAL + "PHOTOGRAPHS",
    REAL + "TARGETS", REAL + "ImageData.groups", PC + "DATASETS", PC + "KERNELS", SOLV + "LATENT_LAWS",
    SOLV + "POOL_ACTIVATIONS", TN + "ACTIVATIONS", DIM + "CI_METHODS", DIM + "DimensionEstimate.ci",
    DIM + "DimensionEstimate.splits", DIM + "DimensionEstimate.n_tied",
    SER + "SeriesFit.chi2_dof", SER + "SeriesFit.level", SER + "SeriesFit.seeds",
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


def _tail(attr: str, i: int) -> property:
    return property(lambda self: getattr(self, attr)[i])


Valid.tr_n, Valid.tr_d, Valid.tr_loss = (_tail("nd_runs", i) for i in range(3))
Valid.net_w, Valid.net_a, Valid.net_c = (_tail("net", i) for i in range(3))
Valid.tr_truth = property(lambda self: dict(self.two_resource.params))
Valid.agreement = property(lambda self: _cls(AGR + "pointwise_agreement")(self.curves, 2 * self.n8**-0.5))
Valid.tuned_losses = property(lambda self: np.exp((np.linspace(-2, 2, 9) - 0.5) ** 2)[None, :]
                              * (1 + 0.01 * np.random.default_rng(6).standard_normal((4, 9))))
Valid.test_pool_dist = property(lambda self: self.pool_dist[20:, :20])
Valid.y_pool = property(lambda self: self.pool_y[:20])
Valid.y_test = property(lambda self: self.pool_y[20:])
Valid.draw_z = property(lambda self: np.random.default_rng(7).standard_normal((8, 50)))
Valid.draw_g = property(lambda self: np.random.default_rng(8).standard_normal((8, 50)))
Valid.net_x_test = property(lambda self: self.net_x[:5])
Valid.y_test5 = property(lambda self: self.y[:5])
Valid.lam_over_m = property(lambda self: self.lam / 50)
Valid.teacher_power = property(lambda self: 0.02 * self.lam)


@lru_cache(maxsize=1)
def _cli_files() -> dict[str, str]:
    """CSV files for the scaling-fit entry, written once per process: a valid one and bad ones."""
    directory = Path(tempfile.mkdtemp(prefix="fuzz-cli-"))
    n = np.repeat(np.geomspace(10, 1e4, 6), 3)
    seed = np.tile(np.arange(3), 6)
    loss = 2 * n**-0.5 * (1 + 0.05 * np.random.default_rng(9).standard_normal(n.size))
    good = "n,seed,loss\n" + "".join(f"{a:g},{b},{c!r}\n" for a, b, c in zip(n, seed, loss.tolist(), strict=True))
    fifth = repr(loss.tolist()[4])
    texts = {"runs": good, "text": good.replace(fifth, "abc"), "nan": good.replace(fifth, ""),
             "negative": good.replace(fifth, "-1.0"), "empty": ""}
    paths = {"missing": str(directory / "no-such-file.csv")}
    for name, text in texts.items():
        (directory / f"{name}.csv").write_text(text)
        paths[name] = str(directory / f"{name}.csv")
    (directory / "binary.csv").write_bytes(bytes(range(256)) * 4)
    paths["binary"] = str(directory / "binary.csv")
    return paths


def scaling_fit(file: str, options: tuple[str, ...]) -> int:
    """``scaling-fit <file> <options>`` as a user runs it (``scaling_utils.fit.main``).

    Exit status 0 returns 0; exit status 2 with an ``error:`` line on stderr (the CLI's refusal of a
    bad file or option) becomes a ValueError; anything else (a traceback, another status, no
    message) is a RuntimeError, which fails the case.
    """
    from scaling_utils.fit import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main([_cli_files()[file], *options])
        except SystemExit as exc:           # argparse's usage errors exit by themselves
            status = exc.code
        except Exception as exc:
            raise RuntimeError(f"scaling-fit ended in a traceback: {type(exc).__name__}: {exc}") from exc
    lines = err.getvalue().strip().splitlines()
    if status == 0:
        return 0
    if status == 2 and lines and "error:" in lines[-1]:
        raise ValueError(f"scaling-fit exited with status 2 (file={file!r}, options={list(options)}): {lines[-1]}")
    raise RuntimeError(f"scaling-fit exited with status {status!r} and stderr {err.getvalue()[-300:]!r}")

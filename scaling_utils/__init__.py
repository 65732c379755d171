"""scaling_utils — the tested code behind the companion book to two papers on neural scaling laws.

The package is grouped by role, one sub-package a room:

* :mod:`~scaling_utils.engines` — simulations that produce learning curves (models, kernels, sweeps);
* :mod:`~scaling_utils.theory` — closed forms and self-consistent equations, no sampling;
* :mod:`~scaling_utils.measurement` — exponents, intervals, fit windows, intrinsic dimension;
* :mod:`~scaling_utils.data` — inputs and targets (manifolds, synthetic curves);
* :mod:`~scaling_utils.book` — the claims ledger, the figure style, glue, the benchmark;
* :mod:`~scaling_utils.validation` — input checks that name the bad parameter (used by all).

Submodules are imported on demand (``from scaling_utils.measurement import fitting``) to keep
start-up light.
"""

__version__ = "0.1.0"

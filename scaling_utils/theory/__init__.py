"""Closed forms and self-consistent equations: predictions with no sampling and no fitted constants.

Submodules, by regime:

* :mod:`~scaling_utils.theory.variance` — variance-limited regime (OLS variance, kernel and NTK limits);
* :mod:`~scaling_utils.theory.neighbors` — nearest-neighbour distances and interpolation errors;
* :mod:`~scaling_utils.theory.kernels` — kernel spectra and spectral learning curves;
* :mod:`~scaling_utils.theory.random_features` — the random-feature deterministic equivalent
  (Maloney–Roberts–Sully), shared by the random-feature and solvable-model chapters;
* :mod:`~scaling_utils.theory.spectral_sums` — compressed spectral sums and the κ equations they solve;
* :mod:`~scaling_utils.theory.roots` — vectorized bracketed root finding.

Rule: nothing in this package draws random numbers.
"""

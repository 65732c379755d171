"""Engines: the simulations that produce learning curves, fast.

Each module samples data and models and returns losses, reusing factorizations across sizes:

* :mod:`~scaling_utils.engines.linear_models` — OLS and the ReLU teacher–student of the variance-limited chapter;
* :mod:`~scaling_utils.engines.networks` — two-layer networks, their NTK, kernel regression, width sweeps;
* :mod:`~scaling_utils.engines.trained_networks` — two-layer networks trained to convergence (Levenberg–Marquardt);
* :mod:`~scaling_utils.engines.features` — random features and their infinite-width kernels;
* :mod:`~scaling_utils.engines.torus_kernels` — stationary kernels on the d-torus (Matérn, Gaussian);
* :mod:`~scaling_utils.engines.neighbors` — nearest neighbours, 1-NN and simplex interpolation sweeps;
* :mod:`~scaling_utils.engines.teacher_student` — the random-feature teacher–student model (Bahri et al.);
* :mod:`~scaling_utils.engines.solvable` — the solvable model's simulation (Maloney–Roberts–Sully);
* :mod:`~scaling_utils.engines.regression` — ridge paths reusing one factorization;
* :mod:`~scaling_utils.engines.pool_curves` — learning curves on a pool of real images (kernels,
  1-NN, random ReLU features) and the spectra and distances of real data;
* :mod:`~scaling_utils.engines.backend` — the array namespace (NumPy, CuPy, array-API-strict);
* :mod:`~scaling_utils.engines.sweep` — cached, parallel parameter grids.

Rule: engines never plot and never fit exponents.
"""

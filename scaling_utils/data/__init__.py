"""Data: inputs and targets that experiments sample from.

* :mod:`~scaling_utils.data.synthetic` — synthetic learning curves with a known exponent;
* :mod:`~scaling_utils.data.manifolds` — the d-torus, its isometric embeddings, random Fourier targets;
* :mod:`~scaling_utils.data.real` — real images that ship in installed packages (MNIST 5000,
  scikit-learn's digits, LFW faces, natural-image patches).
"""

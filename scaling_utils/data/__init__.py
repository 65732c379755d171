"""Data: inputs and targets that experiments sample from.

* :mod:`~scaling_utils.data.synthetic` — synthetic learning curves with a known exponent;
* :mod:`~scaling_utils.data.manifolds` — the d-torus, its isometric embeddings, random Fourier targets.
"""

"""Torus samples, the isometric embedding and Fourier targets."""

import numpy as np
import pytest

from scaling_utils.data.manifolds import TorusEmbedding, random_fourier_target, random_torus_embedding, sample_torus


def test_sample_torus_range_and_determinism():
    x = sample_torus(1000, 3, seed=4)
    assert x.shape == (1000, 3) and x.min() >= 0 and x.max() < 1
    assert np.array_equal(x, sample_torus(1000, 3, seed=4))
    assert abs(x.mean() - 0.5) < 0.02


def test_embedding_is_isometric_with_chordal_distances():
    emb = random_torus_embedding(3, 17, seed=1)
    assert np.allclose(emb.rotation @ emb.rotation.T, np.eye(17))
    rng = np.random.default_rng(0)
    a, b = rng.random((50, 3)), rng.random((50, 3))
    ambient = np.linalg.norm(emb(a) - emb(b), axis=1)
    delta = (a - b + 0.5) % 1 - 0.5
    assert np.allclose(ambient, TorusEmbedding.chordal_distance(delta))
    # short distances: chord = flat distance to relative O(r^2)
    small = a + 1e-3 * rng.standard_normal((50, 3))
    flat = np.linalg.norm(small - a, axis=1)
    assert np.allclose(np.linalg.norm(emb(small) - emb(a), axis=1) / flat, 1, atol=1e-4)


def test_fourier_target_averages():
    f = random_fourier_target(2, 4, 2, seed=3, variance=2.0)
    assert f.variance == pytest.approx(2.0)
    k = f.frequencies
    assert len({tuple(v) for v in k} | {tuple(-v) for v in k}) == 2 * len(k)  # no ±duplicates
    # population averages on an exact quadrature grid (trigonometric polynomial of degree <= 4)
    g = (np.indices((16, 16)).reshape(2, -1).T + 0.5) / 16
    assert np.mean(f(g) ** 2) == pytest.approx(f.variance)
    h = 1e-5
    grad = np.stack([(f(g + h * e) - f(g - h * e)) / (2 * h) for e in np.eye(2)], axis=1)
    assert np.mean((grad**2).sum(1)) == pytest.approx(f.gradient_sq_mean, rel=1e-6)
    assert np.linalg.norm(grad, axis=1).max() <= f.lipschitz_bound
    one = random_fourier_target(1, 8, 2, seed=0)
    assert len(one.frequencies) == 2  # only k = 1, 2 exist


def test_bad_inputs():
    with pytest.raises(ValueError, match="n must"):
        sample_torus(0, 2)
    with pytest.raises(ValueError, match="seed"):
        sample_torus(3, 2, seed=-1)
    with pytest.raises(ValueError, match="ambient_dim must be >= 6"):
        random_torus_embedding(3, 5)
    emb = random_torus_embedding(2, 4)
    with pytest.raises(ValueError, match="theta must have d = 2"):
        emb(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="max_frequency"):
        random_fourier_target(2, 4, 0)
    with pytest.raises(ValueError, match="candidate"):
        random_fourier_target(12, 4, 5)
    f = random_fourier_target(2)
    with pytest.raises(ValueError, match="theta must have d = 2"):
        f(np.zeros((2, 1)))
    with pytest.raises(ValueError, match="variance"):
        random_fourier_target(2, variance=0)

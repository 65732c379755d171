"""scaling_utils — the tested code behind the companion book to two papers on neural scaling laws.

Modules, by what each one knows:

* :mod:`~scaling_utils.validation` — input checks that name the bad parameter;
* :mod:`~scaling_utils.fitting` — power-law fits with bootstrap intervals, local slopes, fit windows;
* :mod:`~scaling_utils.claims` — the claims ledger behind the reproducibility report;
* :mod:`~scaling_utils.plotting` — the house style of every figure.

Submodules are imported on demand (``from scaling_utils import fitting``) to keep start-up light.
"""

__version__ = "0.1.0"

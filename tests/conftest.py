"""Shared test settings: a non-interactive matplotlib backend for the unit tests."""

import matplotlib

matplotlib.use("Agg")

"""Measurement: estimating what the book reports from simulated or real curves.

* :mod:`~scaling_utils.measurement.fitting` — power laws with an offset, intervals over seeds,
  fit windows, local slopes;
* :mod:`~scaling_utils.measurement.dimension` — intrinsic dimension (TwoNN, Levina–Bickel);
* :mod:`~scaling_utils.measurement.spectra` — covariance spectra with jackknife intervals, a
  kernel's eigensystem on a pool of data.
"""

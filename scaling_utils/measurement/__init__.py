"""Measurement: estimating what the book reports from simulated or real curves.

* :mod:`~scaling_utils.measurement.fitting` — power laws with an offset, intervals over seeds,
  fit windows, local slopes;
* :mod:`~scaling_utils.measurement.series` — the constants of a law whose exponents are known
  (the variance-limited :math:`c_1/n + c_2/n^2`), with intervals over seeds;
* :mod:`~scaling_utils.measurement.agreement` — theory against simulation point by point: the worst
  point in its own standard errors, with a stated allowance;
* :mod:`~scaling_utils.measurement.optimum` — the location of an optimum (a parabola's vertex) with
  an interval over seeds;
* :mod:`~scaling_utils.measurement.dimension` — intrinsic dimension (TwoNN, Levina–Bickel);
* :mod:`~scaling_utils.measurement.spectra` — covariance spectra with jackknife intervals, a
  kernel's eigensystem on a pool of data.
"""

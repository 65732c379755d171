import matplotlib.pyplot as plt
import numpy as np
import pytest

from scaling_utils.book import plotting
from scaling_utils.book.glue import glue_numbers
from scaling_utils.measurement.fitting import fit_power_law, local_slope


def test_house_style_figure_with_all_layers():
    n = np.geomspace(10, 1000, 8)
    losses = 2 * n**-0.5 * (1 + 0.02 * np.random.default_rng(0).standard_normal((6, 8)))
    fit = fit_power_law(n, losses, n_boot=50)
    fig, axes = plotting.new_figure(2)
    ax = axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    plotting.plot_measured(ax, n, fit.mean, fit.stderr, label="sim")
    plotting.plot_theory(ax, n, 2 * n**-0.5, label="theory")
    (line,) = plotting.plot_fit(ax, fit)
    assert line.get_label().startswith("fit: α = 0.50") and line.get_linestyle() == "--"
    plotting.plot_local_slope(axes[1], local_slope(n, losses), expected=0.5)
    assert len(axes[1].lines) == 2  # the slope and the expected value
    assert plotting.color(0) == plotting.PALETTE[0] == plotting.color(len(plotting.PALETTE))
    plotting.show(fig)
    assert not plt.fignum_exists(fig.number)


def test_glue_numbers_rejects_non_numbers():
    with pytest.raises(ValueError, match="x must be a real number"):
        glue_numbers(x=[1, 2])
    with pytest.raises(ValueError, match="y must be a real number"):
        glue_numbers(y="text")

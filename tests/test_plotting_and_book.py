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


# --- show(): one output, readable at the column's width and on a phone ------------------------------

import base64  # noqa: E402
import dataclasses  # noqa: E402

from docutils import nodes  # noqa: E402
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402
from IPython.utils.capture import capture_output  # noqa: E402

from scaling_utils.book import mystnb_figures, regimes  # noqa: E402


def _shown(fig, **kwargs):
    """The outputs ``plotting.show`` displays, as a notebook would record them."""
    InteractiveShell.instance()
    with capture_output() as captured:
        plotting.show(fig, **kwargs)
    return captured.outputs


def _size(png_b64: str) -> tuple[int, int]:
    png = base64.b64decode(png_b64)
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _panels(ncols, nrows=1, **kwargs):
    fig, axes = plotting.new_figure(ncols, nrows, **kwargs)
    for i, ax in enumerate(np.atleast_1d(axes).ravel()):
        ax.plot([1, 10, 100], [1, 0.3, 0.1], "o-", label=f"curve {i}")
        ax.set(xlabel="training-set size $D$", ylabel="test loss $L$")
        ax.legend()
    return fig


def test_a_figure_that_fits_a_phone_is_one_png():
    fig = _panels(1, width=3.3)
    outputs = _shown(fig)
    assert len(outputs) == 1 and not plt.fignum_exists(fig.number)
    assert set(outputs[0].data) == {"image/png", "text/plain"}
    assert not outputs[0].metadata
    width, _ = _size(outputs[0].data["image/png"])
    assert width <= plotting.COLUMN_WIDTH_IN * plotting.HOUSE_DPI


def test_grid_of_panels_carries_a_phone_layout_one_panel_wide():
    outputs = _shown(_panels(2, 2), alt="Four log-log panels of the test loss falling with data.")
    assert len(outputs) == 1
    extra = outputs[0].metadata[plotting.OUTPUT_KEY]
    assert extra["alt"].startswith("Four log-log panels")
    wide_w, wide_h = _size(outputs[0].data["image/png"])
    stacked_w, stacked_h = _size(extra["phone"])
    assert stacked_w <= plotting.PHONE_WIDTH_IN * plotting.HOUSE_DPI + 1
    assert stacked_w < wide_w / 1.5 and stacked_h > 1.8 * wide_h    # four panels in one column
    assert outputs[0].data["text/plain"].startswith("<Figure size 704x")  # the figure as laid out


def test_a_single_panel_wider_than_a_phone_is_redrawn_at_the_phones_width():
    outputs = _shown(_panels(1, width=6.0, height=2.5))
    width, height = _size(outputs[0].metadata[plotting.OUTPUT_KEY]["phone"])
    assert width <= (plotting.PHONE_WIDTH_IN + 2 * plotting.PAD_IN) * plotting.HOUSE_DPI + 1
    assert height >= 0.75 * plotting.PHONE_WIDTH_IN * plotting.HOUSE_DPI    # a flat panel gets height
    assert not _shown(_panels(1, width=plotting.PHONE_FITS_IN))[0].metadata  # fits: shown as it is


def test_a_single_panel_takes_the_phone_layout_drawn_for_it():
    phone = _panels(1, width=plotting.PHONE_WIDTH_IN, height=3.0)
    outputs = _shown(_panels(1, width=6.0, height=3.0), phone=phone)
    width, height = _size(outputs[0].metadata[plotting.OUTPUT_KEY]["phone"])
    assert width <= (plotting.PHONE_WIDTH_IN + 2 * plotting.PAD_IN) * plotting.HOUSE_DPI + 1 and height > 300
    assert not plt.fignum_exists(phone.number)


def test_a_phone_layout_must_fit_a_phone_with_readable_text():
    with pytest.raises(ValueError, match="phone must be at most PHONE_WIDTH_IN"):
        plotting.show(_panels(1), phone=_panels(1, width=4.0))
    small = _panels(1, width=plotting.PHONE_WIDTH_IN)
    small.axes[0].tick_params(labelsize=7)
    with pytest.raises(ValueError, match="phone: its smallest text"):
        plotting.show(_panels(1), phone=small)
    assert plt.get_fignums() == []


def test_stacked_layout_shows_tick_labels_that_sharing_hid():
    fig = _panels(2, sharey=True)
    right = fig.axes[1]
    assert right.yaxis.get_tick_params()["labelleft"] is False
    _shown(fig)
    assert right.yaxis.get_tick_params()["labelleft"] is True


def test_default_grid_fits_the_column_and_passes_the_text_check():
    fig, _ = plotting.new_figure(3)
    assert fig.get_figwidth() == pytest.approx(plotting.COLUMN_WIDTH_IN)
    fig2, _ = plotting.new_figure(2, width=4.0)   # an explicit width keeps the old default height
    assert fig2.get_figheight() == pytest.approx(3.3)
    plt.close(fig), plt.close(fig2)


def test_text_below_8pt_as_displayed_is_refused():
    wide = _panels(2, width=4.3)        # 8.6 in, shrunk to the 6.4 in column: 8.5 pt legends → 6.3 pt
    with pytest.raises(ValueError, match=r"displayed at 6\.\d pt, below the book's 8 pt"):
        plotting.show(wide)
    assert not plt.fignum_exists(wide.number)
    small = _panels(1)
    small.axes[0].tick_params(labelsize=6)
    with pytest.raises(ValueError, match="smallest text"):
        plotting.show(small)
    inset = _panels(1)
    inset.axes[0].inset_axes([0.5, 0.5, 0.3, 0.3]).set_ylabel("resid./σ", fontsize=7)
    with pytest.raises(ValueError, match="resid"):
        plotting.show(inset)


def test_smallest_text_counts_only_drawn_text_and_the_displayed_scale():
    fig, ax = plotting.new_figure(width=6.4)
    ax.set_title("title", fontsize=12)
    ax.text(0.5, 0.5, "tiny but invisible", fontsize=3, visible=False)
    ax.tick_params(labelsize=9)
    size, text = plotting.smallest_text_pt(fig)
    assert size == pytest.approx(9) and "tiny" not in text
    assert plotting.smallest_text_pt(fig, png_width_px=2 * 704)[0] == pytest.approx(4.5)
    with pytest.raises(ValueError, match="png_width_px"):
        plotting.smallest_text_pt(fig, png_width_px=0)
    plt.close(fig)


def test_show_and_new_figure_reject_bad_input():
    fig = _panels(1)
    with pytest.raises(ValueError, match="alt must be a sentence"):
        plotting.show(fig, alt="plot")
    with pytest.raises(ValueError, match="ncols"):
        plotting.new_figure(0)
    with pytest.raises(ValueError, match="width"):
        plotting.new_figure(width=-1)
    with pytest.raises(ValueError, match=r"new_figure with ncols=1000000 .* over the limit"):
        plotting.new_figure(10**6)              # refused before matplotlib allocates a million panels
    ax = plotting.new_figure()[1]
    for call, message in [(lambda: plotting.plot_measured(None, [1.0], [1.0]), "ax must be a matplotlib Axes"),
                          (lambda: plotting.plot_measured(ax, [1.0, 2.0], [1.0]), "mean must have one value per x"),
                          (lambda: plotting.plot_fit(ax, "fit"), "fit must be a FitResult"),
                          (lambda: plotting.plot_local_slope(ax, None), "slope must be a LocalSlope"),
                          (lambda: plotting.show(np.ones(3)), "fig must be a matplotlib Figure")]:
        with pytest.raises(TypeError, match=message) if "must be a" in message else \
                pytest.raises(ValueError, match=message):
            call()
    plt.close("all")


# --- the myst-nb plugin that renders show()'s output as two images ---------------------------------

@dataclasses.dataclass
class _MimeData:        # the fields of myst_nb.core.render.MimeData the plugin uses
    mime_type: str
    content: str
    cell_metadata: dict
    output_metadata: dict


class _Renderer:
    """Stands in for myst-nb's renderer: an image node with the cell's alt text."""

    def render_image(self, data):
        alt = data.cell_metadata.get("mystnb", {}).get("image", {}).get("alt")
        node = nodes.image(uri=f"{hash(data.content)}.png")
        if alt:
            node["alt"] = alt
        return [node]


def test_plugin_renders_wide_and_phone_images_with_the_cell_alt_text():
    outputs = _shown(_panels(2))
    cell = {"mystnb": {"image": {"alt": "Two panels of the loss falling as a power law."}}}
    data = _MimeData("image/png", outputs[0].data["image/png"], cell, outputs[0].metadata)
    wide, stacked = mystnb_figures.PhoneFigure.handle_mime(_Renderer(), data, False)
    assert wide["classes"] == [mystnb_figures.WIDE_CLASS] and stacked["classes"] == [mystnb_figures.PHONE_CLASS]
    assert wide["alt"] == stacked["alt"] == cell["mystnb"]["image"]["alt"]
    assert wide["uri"] != stacked["uri"]


def test_plugin_falls_back_to_the_alt_given_to_show_and_leaves_other_outputs_alone():
    outputs = _shown(_panels(1, width=3.3), alt="One panel of the loss falling as a power law.")
    data = _MimeData("image/png", outputs[0].data["image/png"], {}, outputs[0].metadata)
    (image,) = mystnb_figures.PhoneFigure.handle_mime(_Renderer(), data, False)
    assert image["alt"] == "One panel of the loss falling as a power law." and not image["classes"]
    plain = _MimeData("image/png", outputs[0].data["image/png"], {}, {})
    assert mystnb_figures.PhoneFigure.handle_mime(_Renderer(), plain, False) is None
    assert mystnb_figures.PhoneFigure.handle_mime(_Renderer(), data, True) is None


# --- the four regimes on the random-feature loss surface ---------------------------------------------

def test_regime_surface_measures_each_regime_exponent():
    surface = regimes.regime_surface(alpha=0.5, points=9)
    a = surface.exponents
    # resolution-limited: the spectral exponent α, approached from below at these sizes (finite
    # P/D ≥ 20 and the end of the spectrum); variance-limited: exactly 1 in the limit.
    assert a["resolution-limited, data"] == pytest.approx(0.5, abs=0.03)
    assert a["resolution-limited, parameters"] == pytest.approx(a["resolution-limited, data"], rel=1e-9)  # D ↔ P
    assert a["variance-limited, data"] == pytest.approx(1.0, abs=0.01)
    assert a["variance-limited, parameters"] == pytest.approx(1.0, abs=0.01)
    steeper = regimes.regime_surface(alpha=1.0, points=9).exponents["resolution-limited, data"]
    assert steeper > 0.9                          # the exponent follows the spectrum, not a constant
    assert surface.loss.shape == (9, 9) and np.all(np.isfinite(surface.loss))
    fig, ax = regimes.plot_regimes(surface)
    phone, phone_ax = regimes.plot_regimes(surface, phone=True)
    for axes in (ax, phone_ax):
        assert len([t for t in axes.texts if "limited" in t.get_text()]) == 4
    assert plotting.smallest_text_pt(fig)[0] >= plotting.MIN_TEXT_PT
    outputs = _shown(fig, phone=phone)                    # passes the text check in both columns
    assert "phone" in outputs[0].metadata[plotting.OUTPUT_KEY]


def test_regime_surface_rejects_bad_input():
    with pytest.raises(ValueError, match="alpha"):
        regimes.regime_surface(alpha=0)
    with pytest.raises(ValueError, match="largest"):
        regimes.regime_surface(largest=100)
    with pytest.raises(ValueError, match="largest must be <= latent_dim / 5"):
        regimes.regime_surface(latent_dim=1000, largest=1e4)


def test_a_narrowed_panel_shows_its_legend_below_with_the_same_entries():
    fig, ax = plotting.new_figure(1, width=6.0, height=2.5)
    ax.errorbar([1, 2], [1, 2], yerr=[0.1, 0.1], fmt="o", label="simulation")
    ax.plot([1, 2], [1, 2], label="theory")
    shown = [t.get_text() for t in ax.legend().texts]
    height = fig.get_figheight()
    plotting._legends_below(fig)
    assert ax.get_legend() is None and len(fig.legends) == 1
    below = fig.legends[0]
    assert [t.get_text() for t in below.texts] == shown                  # same entries, same order
    assert fig.get_figheight() > height                                  # the panel keeps its height
    plt.close(fig)

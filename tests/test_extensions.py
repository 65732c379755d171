"""The book's Sphinx extensions (``_ext/``): the report's formatting, the alt-text check."""

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest
from docutils import nodes

from scaling_utils.book.claims import Claim


def _extension(name):
    spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parents[1] / "_ext" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


report = _extension("claims_report")
figures = _extension("figures")


@pytest.mark.parametrize(("x", "tex"), [
    (0.502, "0.502"), (1.0, "1"), (0.0, "0"), (1234.5, "1234"), (0.001, "0.001"),
    (4.0e6, r"4 \times 10^{6}"), (-0.00024, r"-2.4 \times 10^{-4}"), (12345, r"1.234 \times 10^{4}"),
    (9999.7, r"1 \times 10^{4}"), (2.5e-14, r"2.5 \times 10^{-14}"),
])
def test_numbers_are_latex_never_python_formats(x, tex):
    assert report.tex_number(x) == tex
    assert "e+" not in report.tex_number(x) and "e-" not in report.tex_number(x)


def _claim(comparison, tolerance=0.05, coverage=False, interval=(0.45, 0.55)):
    return Claim(id="x", chapter="c", kind="theory", statement="s", source="s", section="sec-x", expected=0.5,
                 measured=0.51, interval=list(interval), tolerance=tolerance, comparison=comparison,
                 require_coverage=coverage, alternative=1.0, alternative_note="n", holds=True)


def test_criteria_read_as_formulas_in_m_and_the_prediction():
    assert report.criterion_tex(_claim("abs")) == [r"|m - 0.5| \le 0.05"]
    assert report.criterion_tex(_claim("abs", coverage=True)) == [r"|m - 0.5| \le 0.05", r"0.5 \in \mathrm{CI}"]
    assert report.criterion_tex(_claim("le", tolerance=0)) == [r"m \le 0.5"]
    assert report.criterion_tex(_claim("ge")) == [r"m \ge 0.5 - 0.05"]
    assert report.criterion_tex(_claim("covers", tolerance=0)) == [r"0.5 \in \mathrm{CI}"]
    assert report.criterion_tex(_claim("covers")) == [r"0.5 \in \mathrm{CI} \pm 0.05"]


def _figure(name, *images):
    figure = nodes.figure(names=[name])
    for uri, alt, classes in images:
        image = nodes.image(uri=uri, classes=classes)
        if alt:
            image["alt"] = alt
        figure += image
    doctree = nodes.document(None, None)
    doctree += figure
    return doctree


def test_an_image_without_alt_text_is_a_warning_naming_its_figure(monkeypatch):
    warnings = []
    monkeypatch.setattr(figures.logger, "warning", lambda message, **_: warnings.append(message))
    html = SimpleNamespace(builder=SimpleNamespace(format="html"))
    figures.check_images(html, _figure("fig-a", ("a.png", None, ["book-figure-wide"]),
                                       ("b.png", None, [figures.PHONE_CLASS])), "chapters/x")
    assert len(warnings) == 1 and "figure 'fig-a' has no alt text" in warnings[0]   # once per figure
    warnings.clear()
    figures.check_images(html, _figure("fig-b", ("a.png", "A plot of the loss against D.", [])), "chapters/x")
    assert warnings == []


def test_other_builders_keep_only_the_wide_image():
    doctree = _figure("fig-c", ("a.png", "A plot of the loss.", ["book-figure-wide"]),
                      ("b.png", "A plot of the loss.", [figures.PHONE_CLASS]))
    figures.check_images(SimpleNamespace(builder=SimpleNamespace(format="latex")), doctree, "chapters/x")
    assert [image["uri"] for image in doctree.findall(nodes.image)] == ["a.png"]

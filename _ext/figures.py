"""Sphinx extension: every image says what it shows; phone layouts of figures only in HTML.

* An image without alt text is a build warning (an error under ``-W``), located at its cell:
  a notebook figure gets its alt text from the cell metadata ``mystnb.image.alt`` (or from
  ``plotting.show(fig, alt=...)``). Without it the HTML would fall back to the image's file name.
* A figure from ``scaling_utils.book.plotting.show`` wider than a phone is two images, the wide
  layout and one for phones (panels stacked; ``scaling_utils.book.mystnb_figures``);
  ``_static/book.css`` shows one of them by screen width. Builders other than HTML keep only the
  wide one.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)
PHONE_CLASS = "book-figure-phone"


def _which(image: nodes.image) -> str:
    """The figure an image belongs to, as a reader of the notebook would find it: its name or caption."""
    figure = image.parent
    while figure is not None and not isinstance(figure, nodes.figure):
        figure = figure.parent
    if figure is None:
        return f"image {image['uri']!r}"
    if figure.get("names"):
        return f"figure {figure['names'][0]!r}"
    captions = list(figure.findall(nodes.caption))
    text = captions[0].astext() if captions else image["uri"]
    return f"figure {text[:60]!r}"


def check_images(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for image in list(doctree.findall(nodes.image)):
        if app.builder.format != "html" and PHONE_CLASS in image["classes"]:
            image.parent.remove(image)
            continue
        if PHONE_CLASS not in image["classes"] and not str(image.get("alt", "")).strip():   # once per figure
            logger.warning(f"{_which(image)} has no alt text: give its cell the metadata "
                           '"mystnb": {"image": {"alt": "<what the figure shows>"}} (or an :alt: option)',
                           location=image)


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("doctree-resolved", check_images)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}

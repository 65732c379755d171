"""myst-nb plugin: a figure from :func:`scaling_utils.book.plotting.show` as two images, wide and for phones.

``show`` emits one output per figure: the PNG of the figure as laid out (``image/png``) and, for
a figure wider than a phone's column, a PNG of the same figure laid out for phones (panels
stacked in one column) in the output's metadata (key :data:`~scaling_utils.book.plotting.OUTPUT_KEY`,
field ``phone``). This plugin, registered under the ``myst_nb.mime_renderers`` entry point
(``pyproject.toml``), renders that output as two image nodes in the cell's one figure: the wide
image (class ``book-figure-wide``) and the phone one (class ``book-figure-phone``);
``_static/book.css`` shows the phone image instead of the wide one on narrow screens. Both images
are written by myst-nb's own image renderer, so both get the cell's ``mystnb.image`` options —
the alt text among them. Where the cell has no ``mystnb.image.alt``, the ``alt`` that ``show`` was
given (field ``alt``) is used. Every other output is left to myst-nb.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from scaling_utils.book.plotting import OUTPUT_KEY

WIDE_CLASS = "book-figure-wide"
PHONE_CLASS = "book-figure-phone"


class PhoneFigure:
    """The mime renderer (a ``myst_nb.core.render.MimeRenderPlugin``)."""

    mime_priority_overrides: ClassVar[list[tuple[str, str, int | None]]] = []

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list[Any] | None:
        """Image nodes for an ``image/png`` output of ``show``; ``None`` (myst-nb renders it) otherwise."""
        extra = data.output_metadata.get(OUTPUT_KEY) if isinstance(data.output_metadata, dict) else None
        if inline or data.mime_type != "image/png" or not isinstance(extra, dict):
            return None
        cell_metadata = data.cell_metadata
        alt = extra.get("alt")
        if alt and not cell_metadata.get("mystnb", {}).get("image", {}).get("alt"):
            mystnb = dict(cell_metadata.get("mystnb", {}))
            mystnb["image"] = {**mystnb.get("image", {}), "alt": alt}
            cell_metadata = {**cell_metadata, "mystnb": mystnb}
        wide = renderer.render_image(dataclasses.replace(data, cell_metadata=cell_metadata))
        if "phone" not in extra:
            return wide
        phone = renderer.render_image(dataclasses.replace(data, content=extra["phone"], cell_metadata=cell_metadata,
                                                          output_metadata={}))
        for node in wide:
            node["classes"].append(WIDE_CLASS)
        for node in phone:
            node["classes"].append(PHONE_CLASS)
        return wide + phone

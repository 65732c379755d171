"""Sphinx extension: keep every built page free of network loads.

Jupyter Book 1 always enables sphinx-thebe, which writes an inline script holding the URL of its
JavaScript on a CDN (fetched only when a reader starts live code). The book offers no live code
(`launch_buttons.thebe: false`), so the script is dropped from every page, and a page can never
reach for the network.
"""

from __future__ import annotations

from sphinx.application import Sphinx


def drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object) -> None:
    scripts = context.get("script_files")
    if scripts is None:
        return
    context["script_files"] = [s for s in scripts if "THEBE_JS_URL" not in str(getattr(s, "attributes", {}))
                               and "thebe" not in str(getattr(s, "filename", "") or "")]


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("html-page-context", drop_thebe, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}

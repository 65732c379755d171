"""Sphinx extension: the "Reproducibility report" built from the claims ledgers.

``{claims-report}`` marks where the report goes. The table is filled in at ``doctree-resolved``,
in Sphinx's write phase, i.e. after every page has been read and every notebook executed, so
it shows this build's ledgers whatever order the pages executed in. The report page is marked
outdated on every build so it is never served from the cache. A chapter under ``chapters/`` in
the table of contents without a ledger is a build warning (an error under ``-W``).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from scaling_utils.book.claims import Claim, claims_dir, load_claims

logger = logging.getLogger(__name__)

COLUMNS = ("claim", "predicted", "measured [CI]", "criterion", "holds")
WIDTHS = (46, 9, 17, 20, 8)


class claims_report_node(nodes.General, nodes.Element):
    """Placeholder replaced by the report tables."""


class ClaimsReportDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        self.env.claims_report_docs = getattr(self.env, "claims_report_docs", set()) | {self.env.docname}
        return [claims_report_node()]


def _cell(text: str, cls: str | None = None) -> nodes.entry:
    entry = nodes.entry()
    para = nodes.paragraph(text=text)
    if cls:
        para["classes"].append(cls)
    entry += para
    return entry


def _measured(c: Claim) -> str:
    text = f"{c.measured:.4g}"
    if c.interval is not None:
        text += f" [{c.interval[0]:.4g}, {c.interval[1]:.4g}]"
    return text


_EQ_LABEL = re.compile(r"\(?\b(eq-[A-Za-z0-9-]+)\)?")


def _resolve_equations(app: Sphinx, text: str) -> str:
    """Ledgers cite equations by label ("eq. (eq-ols)"); show the book's equation number instead."""
    math = app.env.get_domain("math")

    def number(match: re.Match) -> str:
        label = match.group(1)
        if label not in math.equations:
            return match.group(0)
        docname = math.equations[label][0]
        shown = app.env.toc_fignumbers.get(docname, {}).get("displaymath", {}).get(f"equation-{label}")
        return match.group(0) if not shown else f"({'.'.join(map(str, shown))})"

    return _EQ_LABEL.sub(number, text)


def _table(app: Sphinx, claims: list[Claim]) -> nodes.table:
    table = nodes.table(classes=["claims-table"])
    group = nodes.tgroup(cols=len(COLUMNS))
    table += group
    for width in WIDTHS:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    row = nodes.row()
    for name in COLUMNS:
        row += _cell(name)
    head += row
    group += head
    body = nodes.tbody()
    for c in claims:
        row = nodes.row()
        claim = nodes.entry()
        para = nodes.paragraph()
        para += nodes.literal(text=c.id)
        claim += para
        claim += nodes.paragraph(text=_resolve_equations(app, c.statement))
        source = nodes.paragraph()
        source += nodes.emphasis(text=f"Source: {_resolve_equations(app, c.source)}")
        claim += source
        row += claim
        for text in (f"{c.expected:.4g}", _measured(c), c.criterion):
            row += _cell(text)
        row += _cell("yes" if c.holds else "NO", "claim-holds" if c.holds else "claim-fails")
        body += row
    group += body
    return table


def _chapters(app: Sphinx) -> list[str]:
    """Chapter documents in table-of-contents order (depth first from the root document)."""
    env, order = app.env, []

    def walk(doc: str) -> None:
        for child in env.toctree_includes.get(doc, []):
            if child not in order:
                order.append(child)
                walk(child)

    walk(app.config.root_doc)
    listed = [d for d in order if d.startswith("chapters/")]
    return listed + sorted(d for d in env.found_docs if d.startswith("chapters/") and d not in listed)


def resolve_report(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = list(doctree.findall(claims_report_node))
    if not placeholders:
        return
    ledgers = load_claims(claims_dir())
    content: list[nodes.Node] = []
    total = sum(len(v) for v in ledgers.values())
    held = sum(c.holds for v in ledgers.values() for c in v)
    content.append(nodes.paragraph(
        text=f"{held} of {total} claims hold, in {len(ledgers)} chapters. "
             f"Ledgers read from _build/{claims_dir().name}/ at the end of this build."))
    for chapter in _chapters(app):
        stem = chapter.split("/", 1)[1]
        title = app.env.titles[chapter].astext() if chapter in app.env.titles else stem
        section = nodes.section(ids=[f"report-{stem}"])
        heading = nodes.title()
        ref = nodes.reference(text=title, refuri=app.builder.get_relative_uri(docname, chapter))
        heading += ref
        section += heading
        if stem not in ledgers:
            logger.warning(f"claims report: chapter {chapter!r} has no ledger in {claims_dir()} "
                           "(was it executed? run `make clean book`)", location=docname)
            section += nodes.paragraph(text="No ledger was written for this chapter in this build.")
        else:
            section += _table(app, ledgers[stem])
        content.append(section)
    for node in placeholders:
        node.replace_self(content)


def always_outdated(app: Sphinx, env: object, added: set, changed: set, removed: set) -> list[str]:
    return sorted(getattr(env, "claims_report_docs", set()))


def setup(app: Sphinx) -> dict[str, object]:
    app.add_node(claims_report_node)
    app.add_directive("claims-report", ClaimsReportDirective)
    app.connect("env-get-outdated", always_outdated)
    app.connect("doctree-resolved", resolve_report)
    return {"version": "0.1", "parallel_read_safe": False, "parallel_write_safe": True}

"""Sphinx extension: the "Reproducibility report" built from the claims ledgers.

``{claims-report}`` marks where the report goes. The table is filled in at ``doctree-resolved``,
in Sphinx's write phase, i.e. after every page has been read and every notebook executed, so
it shows this build's ledgers whatever order the pages executed in. The report page is marked
outdated on every build so it is never served from the cache. The report opens with the count of
claims that hold per kind, then one table per kind, the papers' statements first; every claim
links to the section that measures it. Numbers are typeset as math (``4.0 × 10⁶``, never ``4e+06``),
the criterion as a formula in *m* (measured) and the prediction, ``$…$`` in the texts as math, and
equation labels (``eq. (eq-ols)``) as the book's equation numbers. A chapter under ``chapters/`` in
the table of contents without a ledger, a claim naming an unknown section, or a claim citing a
label that is not a numbered equation is a build warning (an error under ``-W``).
"""

from __future__ import annotations

import math
import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from scaling_utils.book.claims import KIND_TITLES, KINDS, Claim, claims_dir, load_claims, summary

logger = logging.getLogger(__name__)

COLUMNS = ("claim", "result")
WIDTHS = (56, 44)


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


def tex_number(x: float, digits: int = 4) -> str:
    """``x`` as LaTeX to ``digits`` significant figures: ``0.502``, ``4.0 \\times 10^{6}``, never ``4e+06``."""
    if x == 0 or not math.isfinite(x):
        return {0: "0", math.inf: r"\infty", -math.inf: r"-\infty"}.get(x, r"\mathrm{NaN}")
    exponent = math.floor(math.log10(abs(x)))
    plain = f"{x:.{digits}g}"
    if -3 <= exponent < 4 and "e" not in plain:
        return plain
    mantissa = x / 10.0**exponent
    if round(abs(mantissa), digits - 1) >= 10:   # 9.9996e5 rounds up to 10.00e5
        mantissa, exponent = mantissa / 10, exponent + 1
    return rf"{mantissa:.{digits}g} \times 10^{{{exponent}}}"


def _labelled(label: str, *parts: str | nodes.Node) -> nodes.paragraph:
    """``label`` in italics, then the parts: strings are LaTeX (typeset as math), nodes go in as they are."""
    para = nodes.paragraph()
    para += nodes.emphasis(text=f"{label} ")
    for part in parts:
        para += part if isinstance(part, nodes.Node) else nodes.math(text=part)
    return para


def _measured(c: Claim) -> list[str | nodes.Node]:
    """The measured value, and its interval: separate pieces of math, so that a line may break between them."""
    parts: list[str | nodes.Node] = [f"m = {tex_number(c.measured)}"]
    if c.interval is not None:
        parts += [nodes.Text(", CI "), rf"[{tex_number(c.interval[0])},\ {tex_number(c.interval[1])}]"]
    return parts


def criterion_tex(c: Claim) -> list[str]:
    """The acceptance test as math, in *m* (measured) and the prediction; a second piece if the CI must cover."""
    e, t = tex_number(c.expected), tex_number(c.tolerance, 3)
    plus, minus = ("", "") if c.tolerance == 0 else (f" + {t}", f" - {t}")
    test = {"abs": rf"|m - {e}| \le {t}", "le": rf"m \le {e}{plus}", "ge": rf"m \ge {e}{minus}",
            "covers": (rf"{e} \in \mathrm{{CI}}" if c.tolerance == 0 else rf"{e} \in \mathrm{{CI}} \pm {t}"),
            }[c.comparison]
    if c.require_coverage and c.comparison != "covers":
        return [test, rf"{e} \in \mathrm{{CI}}"]
    return [test]


_MATH = re.compile(r"\$([^$]+)\$")


def _rich(app: Sphinx, docname: str, c: Claim, text: str, emphasis: bool = False) -> nodes.paragraph:
    """A paragraph of ``text`` with equation labels shown as numbers and ``$…$`` typeset as math."""
    para = nodes.paragraph()
    for i, part in enumerate(_MATH.split(_resolve_equations(app, docname, c, text))):
        if i % 2:
            para += nodes.math(text=part)
        elif part:
            para += nodes.emphasis(text=part) if emphasis else nodes.Text(part)
    return para


_EQ_LABEL = re.compile(r"\(?\b(eq-[A-Za-z0-9-]+)\)?")


def _resolve_equations(app: Sphinx, docname: str, c: Claim, text: str) -> str:
    """Ledgers cite equations by label ("eq. (eq-ols)"); the report shows the book's number, "eq. (2.1)".

    A label that is not an equation of the book is a build warning: the reader would see an
    internal name.
    """
    math_domain = app.env.get_domain("math")

    def number(match: re.Match) -> str:
        label = match.group(1)
        shown = None
        if label in math_domain.equations:
            target = math_domain.equations[label][0]
            shown = app.env.toc_fignumbers.get(target, {}).get("displaymath", {}).get(f"equation-{label}")
        if not shown:
            logger.warning(f"claims report: claim {c.id!r} cites {label!r}, which is not a numbered equation "
                           "of the book", location=docname)
            return match.group(0)
        return f"({'.'.join(map(str, shown))})"

    return _EQ_LABEL.sub(number, text)


def _section_link(app: Sphinx, docname: str, c: Claim, titles: dict[str, dict[str, nodes.title]]
                  ) -> nodes.paragraph:
    """"Measured in §4.2 Duality" — a link to the section whose label the claim names.

    The link shows the section's own title nodes, so a title with math ("Data scaling with
    $P \\gg D$") is typeset as in the chapter rather than shown as LaTeX source.
    """
    para = nodes.paragraph()
    label = app.env.get_domain("std").labels.get(c.section.lower())
    if label is None or not label[0].startswith("chapters/"):
        logger.warning(f"claims report: claim {c.id!r} names section {c.section!r}, which is not a "
                       f"section label of a chapter", location=docname)
        para += nodes.emphasis(text=f"Measured in: {c.section} (unknown section)")
        return para
    target, anchor, title = label
    number = app.env.toc_secnumbers.get(target, {}).get(f"#{anchor}")
    link = nodes.reference(refuri=f"{app.builder.get_relative_uri(docname, target)}#{anchor}")
    if number:
        link += nodes.Text(f"§{'.'.join(map(str, number))} ")
    if target not in titles:
        titles[target] = {i: section[0] for section in app.env.get_doctree(target).findall(nodes.section)
                          for i in section["ids"] if isinstance(section[0], nodes.title)}
    shown = titles[target].get(anchor)
    link += ([child.deepcopy() for child in shown.children] if shown is not None
             else [nodes.Text(title or c.section)])
    para += nodes.Text("Measured in ")
    para += link
    return para


def _table(app: Sphinx, docname: str, claims: list[Claim], titles: dict[str, dict[str, nodes.title]]
           ) -> nodes.table:
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
        claim += _rich(app, docname, c, c.statement)
        claim += _rich(app, docname, c, f"Source: {c.source}", emphasis=True)
        claim += _section_link(app, docname, c, titles)
        row += claim
        result = nodes.entry()
        verdict = nodes.paragraph(classes=["claim-holds" if c.holds else "claim-fails"])
        verdict += nodes.strong(text="holds" if c.holds else "does NOT hold")
        result += verdict
        result += _labelled("predicted", f"e = {tex_number(c.expected)}")
        result += _labelled("measured", *_measured(c))
        tests = criterion_tex(c)
        result += _labelled("criterion", tests[0], *([nodes.Text(" and "), tests[1]] if len(tests) > 1 else []))
        rules_out = _labelled("rules out", tex_number(c.alternative), nodes.Text(": "))
        rules_out += _rich(app, docname, c, c.alternative_note).children
        result += rules_out
        row += result
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
    try:
        ledgers = load_claims(claims_dir())
    except ValueError as err:
        logger.warning(f"claims report: {err}", location=docname)
        ledgers = {}
    chapters = _chapters(app)
    for chapter in chapters:
        if chapter.split("/", 1)[1] not in ledgers:
            logger.warning(f"claims report: chapter {chapter!r} has no ledger in {claims_dir()} "
                           "(was it executed? run `make clean book`)", location=docname)
    order = [c.split("/", 1)[1] for c in chapters]
    claims = [c for stem in order + sorted(set(ledgers) - set(order)) for c in ledgers.get(stem, [])]
    headline = nodes.paragraph(text=f"{summary(claims)}, in {len(ledgers)} chapters.",
                               classes=["claims-headline"])
    content: list[nodes.Node] = [headline]
    titles: dict[str, dict[str, nodes.title]] = {}      # chapter → section id → title, read once
    for kind in KINDS:
        of_kind = [c for c in claims if c.kind == kind]
        if not of_kind:
            continue
        section = nodes.section(ids=[f"report-{kind}"])
        section += nodes.title(text=f"{KIND_TITLES[kind][0].upper()}{KIND_TITLES[kind][1:]} "
                                    f"({sum(c.holds for c in of_kind)} of {len(of_kind)} hold)")
        section += _table(app, docname, of_kind, titles)
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

"""Paragraphs, runs and tables written straight as WordprocessingML elements.

python-docx's proxies look every style up by scanning all styles and place
each child by walking the schema's order; for a plan of a few thousand
paragraphs and cells that costs more than the whole HTML export. These helpers
build the same elements directly, in schema order, inside the document that
python-docx opened and saves.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn
from lxml import etree

W_P, W_PPR, W_R, W_RPR, W_T, W_BR = qn("w:p"), qn("w:pPr"), qn("w:r"), qn("w:rPr"), qn("w:t"), qn("w:br")
W_VAL = qn("w:val")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
MM = 56.6929  # twentieths of a point in a millimetre


def sub(parent: Any, tag: str, **attrs: str) -> Any:
    el = etree.SubElement(parent, qn(tag))
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


class Body:
    """Where new blocks go: the document body (before its last section properties) or a table cell."""

    def __init__(self, element: Any) -> None:
        self.element = element
        last = element[-1] if len(element) else None
        self.anchor = last if last is not None and last.tag == qn("w:sectPr") else None

    def add(self, el: Any) -> Any:
        if self.anchor is not None:
            self.anchor.addprevious(el)
        else:
            self.element.append(el)
        return el


def paragraph(
    style: str | None = None,
    *,
    keep: bool = False,
    page_break: bool = False,
    align: str | None = None,
    before: float | None = None,
    after: float | None = None,
    indent: float | None = None,
) -> Any:
    """An empty ``w:p``; ``before``/``after`` in points, ``indent`` in mm."""
    p = etree.Element(W_P)
    if style or keep or page_break or align or before is not None or after is not None or indent is not None:
        ppr = etree.SubElement(p, W_PPR)
        if style:
            sub(ppr, "w:pStyle", val=style)
        if keep:
            sub(ppr, "w:keepNext")
        if page_break:
            sub(ppr, "w:pageBreakBefore")
        if before is not None or after is not None:
            spacing = sub(ppr, "w:spacing")
            if before is not None:
                spacing.set(qn("w:before"), str(round(before * 20)))
            if after is not None:
                spacing.set(qn("w:after"), str(round(after * 20)))
        if indent is not None:
            sub(ppr, "w:ind", left=str(round(indent * MM)))
        if align:
            sub(ppr, "w:jc", val=align)
    return p


def run(
    p: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    caps: bool = False,
    color: str | None = None,
    size: float | None = None,
    line_break: bool = False,
) -> Any:
    """Append a run with ``text`` to paragraph ``p``; ``line_break`` starts it on a new line."""
    r = etree.SubElement(p, W_R)
    if bold or italic or caps or color or size:
        rpr = etree.SubElement(r, W_RPR)
        if bold:
            sub(rpr, "w:b")
        if italic:
            sub(rpr, "w:i")
        if caps:
            sub(rpr, "w:caps")
        if color:
            sub(rpr, "w:color", val=color)
        if size:
            sub(rpr, "w:sz", val=str(round(size * 2)))
    if line_break:
        etree.SubElement(r, W_BR)
    if text:
        t = etree.SubElement(r, W_T)
        t.text = text
        if text != text.strip():
            t.set(XML_SPACE, "preserve")
    return r


def table(style: str, widths_mm: list[float], rows: int, *, header: bool, first_column: bool) -> tuple[Any, list[list[Any]]]:
    """A table with fixed column widths; returns it and its cells (each holding one empty paragraph)."""
    tbl = etree.Element(qn("w:tbl"))
    pr = sub(tbl, "w:tblPr")
    sub(pr, "w:tblStyle", val=style)
    total = sum(round(w * MM) for w in widths_mm)
    sub(pr, "w:tblW", w=str(total), type="dxa")
    sub(pr, "w:tblLayout", type="fixed")
    # both spellings: the bit mask (Word 2007, LibreOffice) and the attributes (Word 2010 and later)
    mask = (0x20 if header else 0) | (0x80 if first_column else 0) | 0x400
    sub(pr, "w:tblLook", val=f"{mask:04X}", firstRow=str(int(header)), lastRow="0",
        firstColumn=str(int(first_column)), lastColumn="0", noHBand="0", noVBand="1")  # fmt: skip
    grid = sub(tbl, "w:tblGrid")
    twips = [str(round(w * MM)) for w in widths_mm]
    for w in twips:
        sub(grid, "w:gridCol", w=w)
    cells: list[list[Any]] = []
    for i in range(rows):
        tr = sub(tbl, "w:tr")
        if header and i == 0:
            trpr = sub(tr, "w:trPr")
            sub(trpr, "w:cantSplit")
            sub(trpr, "w:tblHeader")
        else:
            sub(sub(tr, "w:trPr"), "w:cantSplit")
        row = []
        for w in twips:
            tc = sub(tr, "w:tc")
            sub(sub(tc, "w:tcPr"), "w:tcW", w=w, type="dxa")
            etree.SubElement(tc, W_P)
            row.append(tc)
        cells.append(row)
    return tbl, cells


def cell_paragraph(tc: Any) -> Any:
    """The cell's first paragraph."""
    return tc.find(W_P)


def set_style(p: Any, style: str) -> None:
    ppr = p.find(W_PPR)
    if ppr is None:
        ppr = etree.Element(W_PPR)
        p.insert(0, ppr)
    existing = ppr.find(qn("w:pStyle"))
    if existing is None:
        existing = etree.Element(qn("w:pStyle"))
        ppr.insert(0, existing)
    existing.set(W_VAL, style)


def shade(tc: Any, fill: str) -> None:
    tcpr = tc.find(qn("w:tcPr"))
    sub(tcpr, "w:shd", val="clear", color="auto", fill=fill)


def span(tc: Any, columns: int) -> None:
    """Let the cell span ``columns`` grid columns (the cells it covers must be removed by the caller)."""
    tcpr = tc.find(qn("w:tcPr"))
    sub(tcpr, "w:gridSpan", val=str(columns))


def no_borders(tbl: Any) -> None:
    """A layout table (form header, signatures): none of the table style's rules."""
    pr = tbl.find(qn("w:tblPr"))
    borders = etree.Element(qn("w:tblBorders"))
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        sub(borders, f"w:{side}", val="nil")
    # tblBorders comes after tblW and before tblLayout in the schema
    pr.find(qn("w:tblLayout")).addprevious(borders)
    # nor its banded rows
    look = pr.find(qn("w:tblLook"))
    look.set(qn("w:noHBand"), "1")
    look.set(W_VAL, f"{int(look.get(W_VAL), 16) | 0x200:04X}")


def _ppr(p: Any) -> Any:
    ppr = p.find(W_PPR)
    if ppr is None:
        ppr = etree.Element(W_PPR)
        p.insert(0, ppr)
    return ppr


def set_align(p: Any, align: str) -> None:
    """Alignment of a paragraph that has no alignment yet (``w:jc`` is last among the properties used here)."""
    sub(_ppr(p), "w:jc", val=align)


def set_spacing(p: Any, before: float) -> None:
    """Space before a paragraph whose properties hold at most a style."""
    sub(_ppr(p), "w:spacing", before=str(round(before * 20)))

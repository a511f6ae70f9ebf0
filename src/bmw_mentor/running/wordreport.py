"""The evaluation report as Word (python-docx, with the plans' styles) and as PDF (WeasyPrint, from the HTML).

Both take the view model that the HTML and Markdown templates get, so the four
formats carry the same figures; the charts are the same matplotlib drawings
(PNG pictures in Word, inline SVG in the PDF). The same answers give the same
bytes: dates come from the project's last change.
"""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace
from typing import Any


def docx(view: dict[str, Any], updated: dt.datetime, org: str) -> bytes:
    import docx as python_docx
    from docx.shared import Mm

    from bmw_mentor.documents.word import style
    from bmw_mentor.documents.word.file import _reproducible
    from bmw_mentor.running.charts import bar_png

    s = view["s"]
    doc = python_docx.Document()
    style.setup(doc, view["lang"])
    style.footer(doc.sections[0], org, view["page_of"])
    doc.add_heading(view["title"], level=1)
    if view["subtitle"]:
        doc.add_paragraph(view["subtitle"])
    doc.add_paragraph(view["made_on"])
    if view["summary"]:
        doc.add_heading(s["summary"], level=2)
        for line in view["summary"]:
            doc.add_paragraph(line, style="List Bullet")
    doc.add_heading(s["targets"], level=2)
    if view["targets"]:
        heads = [s["col_target"], s["col_measure"], s["col_result"], s["col_verdict"]]
        _table(doc, style, heads, [[t["target"], t["measure"], t["result"], t["verdict"]] for t in view["targets"]])
    else:
        doc.add_paragraph(s["no_targets"])
    for sec in view["sections"]:
        doc.add_heading(sec["title"], level=2)
        if not sec["total"]:
            doc.add_paragraph(s["no_responses"])
            continue
        rows = [
            [c["label"] + (f" ({view['withheld_word']})" if c["withheld"] else ""), str(c["n"])] for c in sec["counts"]
        ]
        _table(doc, style, [s["col_group"], s["col_count"]], rows)
        if sec["any_withheld"]:
            doc.add_paragraph(view["withheld_note"])
        if not sec["shown"]:
            doc.add_paragraph(view["nothing_shown"])
            continue
        if sec["closed"]:
            doc.add_heading(s["closed"], level=3)
        for q in sec["closed"]:
            doc.add_heading(q["text"], level=4)
            if q["summary"]:
                doc.add_paragraph(q["summary"])
            by_group = {g: [row[1 + k] for row in q["rows"]] for k, g in enumerate(q["groups"])}
            picture = bar_png([row[0] for row in q["rows"]], by_group)
            doc.add_picture(io.BytesIO(picture), width=Mm(150))
            doc.paragraphs[-1].runs[0]._r.xpath(".//pic:cNvPr")[0].set("descr", q["text"])
        if sec["open"]:
            doc.add_heading(s["open"], level=3)
            for o in sec["open"]:
                doc.add_heading(o["text"], level=4)
                for answer in o["answers"]:
                    doc.add_paragraph(answer, style="List Bullet")
    doc.add_heading(s["next_steps"], level=2)
    for step in view["next_steps"]:
        doc.add_paragraph(step, style="List Number")
    doc.add_paragraph(view["footer"])
    props = doc.core_properties
    when = updated.replace(microsecond=0, tzinfo=None)
    props.title = f"{view['title']} – {org}" if org else view["title"]
    props.author, props.last_modified_by, props.revision = org or "bmw-mentor", "bmw-mentor", 1
    props.created = props.modified = props.last_printed = when
    buffer = io.BytesIO()
    doc.save(buffer)
    return _reproducible(buffer.getvalue(), SimpleNamespace(updated=updated))  # type: ignore[arg-type]


def _table(doc: Any, style: Any, heads: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(heads))
    table.style = doc.styles[style.TABLE_STYLE]
    for cell, text in zip(table.rows[0].cells, heads):
        run = cell.paragraphs[0].add_run(text)
        # white on the style's dark header shade, as in the plans
        run.bold, run.font.color.rgb = True, style.rgb("FFFFFF")
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = str(text)
    style.table_look(table, header=True)


def pdf(html: str, lang: str, updated: dt.datetime, org: str) -> bytes:
    """The HTML report laid out on A4 by WeasyPrint; only data: URIs may be read."""
    from bmw_mentor.documents.pdf import _weasyprint

    weasyprint = _weasyprint(lang)
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    document = weasyprint.HTML(string=html, url_fetcher=fetcher).render()
    stamp = updated.replace(microsecond=0).isoformat() + ("Z" if updated.tzinfo is None else "")
    meta = document.metadata
    meta.created = meta.modified = stamp
    meta.authors = [org] if org else []
    meta.generator = "bmw-mentor"
    return bytes(document.write_pdf(pdf_identifier=f"bmw-mentor evaluation {org} {stamp}".encode()))

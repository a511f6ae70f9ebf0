"""``mentor export plan.docx``: an editable Word document built from the plan context with python-docx.

Not HTML pasted into Word: real heading styles (Word's navigation pane and its
own contents work), a contents field, page numbers in the footer, tables in a
table style, forms with lines to write on, and the communication plan in a
landscape section. The same project gives the same bytes: the dates inside
come from the project's last change, and the zip entries carry that date too.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bmw_mentor.documents.context import PlanContext
    from bmw_mentor.documents.logo import Logo


def docx(context: PlanContext, single: bool, logo: Logo | None = None) -> bytes:
    """The documents in ``context`` as a .docx file."""
    import docx as python_docx

    from bmw_mentor.documents.word import style
    from bmw_mentor.documents.word.body import Writer

    logo_png = _logo_image(logo, context.lang) if logo is not None else None
    doc = python_docx.Document()
    style.setup(doc, context.lang)
    style.footer(doc.sections[0], context.org_name, context.s["page_of"])
    writer = Writer(doc, context)
    writer.cover(single, logo, logo_png)
    writer.contents()
    for d in context.documents:
        writer.document(d)
    writer.closing()
    _properties(doc, context)
    # Word fills in the contents' page numbers when it opens the file
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    doc.settings.element.append(parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>'))
    buffer = io.BytesIO()
    doc.save(buffer)
    return _reproducible(buffer.getvalue(), context)


def _properties(doc: object, context: PlanContext) -> None:
    props = doc.core_properties  # type: ignore[attr-defined]
    when = context.updated.replace(microsecond=0, tzinfo=None)
    props.title = f"{context.s['title']} – {context.org_name}" if context.org_name else context.s["title"]
    props.author = context.org_name or "bmw-mentor"
    props.last_modified_by = "bmw-mentor"
    props.comments = ""
    props.created = props.modified = props.last_printed = when
    props.revision = 1
    props.language = {"nl": "nl-BE", "en": "en-GB"}.get(context.lang, "en-GB")


def _reproducible(data: bytes, context: PlanContext) -> bytes:
    """The same zip with every entry dated from the project's last change, in a fixed order."""
    stamp = context.updated.timetuple()[:6]
    stamp = (max(stamp[0], 1980), *stamp[1:])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def _logo_image(logo: Logo, lang: str) -> bytes:
    """The logo as Word can show it: PNG and JPEG as they are, an SVG drawn to a PNG (scripts never run)."""
    if not logo.svg:
        return logo.data
    from bmw_mentor.errors import UsageError
    from bmw_mentor.messages import msg

    try:
        import cairosvg
    except (ImportError, OSError) as exc:
        raise UsageError(msg("logo_svg_word", lang, reason=str(exc).splitlines()[0][:120])) from None

    width = 600 if logo.width <= 0 or logo.height <= 0 or logo.width >= logo.height else round(600 / logo.ratio)
    try:
        # not unsafe: no entities, and nothing outside the file is read (only data: URLs inside it)
        png = cairosvg.svg2png(bytestring=logo.data, output_width=width, unsafe=False)
    except Exception as exc:  # noqa: BLE001 - any drawing failure of an untrusted file is the file's problem
        raise UsageError(msg("logo_svg_broken", lang, reason=f"{type(exc).__name__}: {exc}"[:120])) from None
    if not isinstance(png, bytes):
        raise UsageError(msg("logo_svg_broken", lang, reason="no image"))
    return png

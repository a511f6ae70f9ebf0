"""The Word document's look: page, styles (headings, table style, form lines), fields and the footer.

Everything here is a named Word style or a real Word field, so that a person
who edits the file in Word changes the look in one place (Modify style) and
Word's navigation pane, contents and page numbers keep working.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor, Twips

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.section import Section
    from docx.table import _Cell

# the HTML plan's colours (templates/plan.html.j2), so that both read as one house style
NAVY = "14324F"
ACCENT = "1D6A73"
INK = "1D2430"
MUTED = "4D5966"
LINE = "D3DBE2"
SOFT = "EEF3F6"
TODO_BG = "FFF3D1"
TODO_EDGE = "B7791F"
HIGH = "B42318"
MEDIUM = "8A5300"
FONT = "Calibri"
TABLE_STYLE = "Plan Table"
LANG_TAGS = {"nl": "nl-BE", "en": "en-GB"}


def rgb(hex_: str) -> RGBColor:
    return RGBColor.from_string(hex_)


def setup(doc: WordDocument, lang: str) -> None:
    """A4 pages, the plan's fonts and colours on Word's own styles, and the styles the writer adds."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(18)
    section.top_margin, section.bottom_margin = Mm(18), Mm(18)
    section.footer_distance = Mm(9)
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.font.color.rgb = rgb(INK)
    normal.paragraph_format.space_after = Pt(5)
    normal.paragraph_format.line_spacing = 1.12
    rpr = normal.element.get_or_add_rPr()
    # the proofing language, so that Word spell-checks in the plan's language
    rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="{LANG_TAGS.get(lang, "en-GB")}"/>'))
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    sizes = {1: 20, 2: 14.5, 3: 12, 4: 9, 5: 10.5}
    for level, size in sizes.items():
        heading = styles[f"Heading {level}"]
        heading.font.name = FONT
        heading.font.size = Pt(size)
        heading.font.bold = level != 1
        heading.font.italic = False
        heading.font.color.rgb = rgb(ACCENT if level == 4 else NAVY)
        heading.font.all_caps = level == 4
        fmt = heading.paragraph_format
        fmt.keep_with_next = True
        fmt.space_before = Pt({1: 0, 2: 16, 3: 12, 4: 9, 5: 7}[level])
        fmt.space_after = Pt({1: 8, 2: 5, 3: 4, 4: 2, 5: 2}[level])
        heading.element.get_or_add_rPr()
        fonts = heading.element.rPr.find(qn("w:rFonts"))
        if fonts is not None:
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attr), None)
    styles["Heading 2"].element.get_or_add_pPr().append(_border("bottom", LINE, 8, 2))
    styles["Heading 1"].element.get_or_add_pPr().append(_border("top", NAVY, 36, 8))
    title = styles["Title"]
    title.font.name, title.font.size, title.font.color.rgb = FONT, Pt(30), rgb(NAVY)
    ppr = title.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:pBdr")):
        ppr.remove(old)
    subtitle = styles["Subtitle"]
    subtitle.font.name, subtitle.font.size, subtitle.font.color.rgb = FONT, Pt(13), rgb(MUTED)
    subtitle.font.italic = False
    toc_heading = styles["TOC Heading"]
    toc_heading.font.color.rgb = rgb(NAVY)
    for name in ("List Bullet", "List Number"):
        styles[name].paragraph_format.space_after = Pt(2)
    _paragraph_style(doc, "Eyebrow", size=9.5, color=ACCENT, bold=True, caps=True, after=4)
    _paragraph_style(doc, "Lead", size=11.5, color=MUTED, after=8)
    _paragraph_style(doc, "Small", size=8.5, color=MUTED, after=3)
    _paragraph_style(doc, "Field Label", size=8, color=MUTED, caps=True, after=0, keep=True)
    todo = _paragraph_style(doc, "To Decide", size=10, color="4A3300", after=6)
    todo.element.get_or_add_pPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{TODO_BG}"/>')
    )
    todo.element.get_or_add_pPr().append(_border("left", TODO_EDGE, 24, 6))
    goal = _paragraph_style(doc, "Goal", size=12, color=INK, after=10)
    goal.element.get_or_add_pPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{SOFT}"/>')
    )
    goal.element.get_or_add_pPr().append(_border("left", ACCENT, 36, 8))
    # a line to write on: an empty paragraph with a bottom border, tall enough for handwriting
    line = _paragraph_style(doc, "Form Line", size=10.5, color=INK, after=0)
    line.paragraph_format.space_before = Pt(14)
    # Word and LibreOffice draw one border round a run of paragraphs with the same borders:
    # "between" gives each line of the run its own rule
    line.element.get_or_add_pPr().append(
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="4" w:space="1" w:color="9AA6B2"/>'
            '<w:between w:val="single" w:sz="4" w:space="1" w:color="9AA6B2"/></w:pBdr>'
        )
    )
    for name in ("TOC 1", "TOC 2"):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.paragraph_format.space_after = Pt(2 if name == "TOC 2" else 4)
        style.paragraph_format.left_indent = Mm(0 if name == "TOC 1" else 6)
        style.font.bold = name == "TOC 1"
        style.paragraph_format.tab_stops.add_tab_stop(Mm(174), WD_TAB_ALIGNMENT.RIGHT, _dots())
    _table_style(doc)


def _dots() -> Any:
    from docx.enum.text import WD_TAB_LEADER

    return WD_TAB_LEADER.DOTS


def _paragraph_style(
    doc: WordDocument,
    name: str,
    *,
    size: float,
    color: str,
    bold: bool = False,
    caps: bool = False,
    after: float = 4,
    keep: bool = False,
) -> Any:
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    style.font.size = Pt(size)
    style.font.color.rgb = rgb(color)
    style.font.bold = bold
    style.font.all_caps = caps
    style.paragraph_format.space_after = Pt(after)
    style.paragraph_format.keep_with_next = keep
    return style


def _border(side: str, color: str, size: int, space: int) -> Any:
    return parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{color}"/></w:pBdr>'
    )


def _table_style(doc: WordDocument) -> None:
    """'Plan Table': thin rules between rows, a navy header row in white capitals, like the HTML tables."""
    xml = f"""
<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="PlanTable">
  <w:name w:val="{TABLE_STYLE}"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="40"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="19"/></w:rPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="{LINE}"/>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="{LINE}"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="{LINE}"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="50" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>
      <w:bottom w:w="50" w:type="dxa"/><w:right w:w="100" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:pPr><w:keepNext/></w:pPr>
    <w:rPr><w:b/><w:caps/><w:color w:val="FFFFFF"/><w:sz w:val="16"/></w:rPr>
    <w:tblPr/>
    <w:trPr><w:tblHeader/></w:trPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{NAVY}"/></w:tcPr>
  </w:tblStylePr>
  <w:tblStylePr w:type="firstCol">
    <w:rPr><w:b/><w:color w:val="{NAVY}"/></w:rPr>
  </w:tblStylePr>
  <w:tblStylePr w:type="band2Horz">
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="F7F9FB"/></w:tcPr>
  </w:tblStylePr>
</w:style>"""
    doc.styles.element.append(parse_xml(xml))


def shade(cell: _Cell, fill: str) -> None:
    """A cell's background colour."""
    cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def table_look(table: Any, header: bool = True, first_column: bool = False) -> None:
    """Which parts of the table style apply (header row, first column, banded rows)."""
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblLook")):
        tbl_pr.remove(old)
    # both spellings: the bit mask (Word 2007, LibreOffice) and the attributes (Word 2010 and later)
    mask = (0x20 if header else 0) | (0x80 if first_column else 0) | 0x400
    look = parse_xml(
        f'<w:tblLook {nsdecls("w")} w:val="{mask:04X}" w:firstRow="{int(header)}" w:lastRow="0" '
        f'w:firstColumn="{int(first_column)}" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
    )
    tbl_pr.append(look)


def field(p: Any, instruction: str, shown: str = "") -> None:
    """A Word field (PAGE, NUMPAGES …) in paragraph element ``p``, whose last known result is ``shown``."""
    field_start(p, instruction, before=False)
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t>{shown}</w:t></w:r>'))
    field_end(p)


def field_start(p: Any, instruction: str, before: bool = True) -> None:
    """Open a field in paragraph element ``p``; its result runs up to :func:`field_end`, maybe paragraphs later.

    With ``before``, the field's start goes in front of the paragraph's text, which becomes the result.
    """
    runs = [
        parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'),
        parse_xml(f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'),
        parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>'),
    ]
    existing = p.findall(qn("w:r"))
    for run in runs:
        if before and existing:
            existing[0].addprevious(run)
        else:
            p.append(run)


def field_end(p: Any) -> None:
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'))


def footer(section: Section, org: str, page_words: str) -> None:
    """The organisation on the left, "Page X of Y" on the right; nothing on the cover."""
    section.different_first_page_header_footer = True
    par = section.footer.paragraphs[0]
    width = section.page_width - section.left_margin - section.right_margin
    stops = par.paragraph_format.tab_stops
    # the Footer style's centre and right stops are set for US Letter: clear them, stop at this page's margin
    for twips in (4680, 9360):
        stops.add_tab_stop(Twips(twips), WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    head = par.add_run(f"{org}\t")
    head.font.size, head.font.color.rgb = Pt(8), rgb(MUTED)
    before, _, rest = page_words.partition("{page}")
    middle, _, after = rest.partition("{pages}")
    for text, instruction in ((before, ""), ("", "PAGE"), (middle, ""), ("", "NUMPAGES"), (after, "")):
        if instruction:
            start = len(par.runs)
            field(par._p, instruction, "1")
            for run in par.runs[start:]:
                run.font.size, run.font.color.rgb = Pt(8), rgb(MUTED)
        elif text:
            run = par.add_run(text)
            run.font.size, run.font.color.rgb = Pt(8), rgb(MUTED)

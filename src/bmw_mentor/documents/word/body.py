"""The Word document's content, written from the plan context: cover, contents, each document, open points.

Headings use Word's Heading 1-4 styles (document, section, subsection, label),
tables use the ``Plan Table`` style, forms get lines to write on, and the
communication plan sits in a landscape section of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.shared import Mm

from bmw_mentor.documents.word import health as health_part
from bmw_mentor.documents.word import ooxml as ox
from bmw_mentor.documents.word import style as st
from bmw_mentor.documents.word import summary as summary_part
from bmw_mentor.documents.word.writer import (
    LANDSCAPE_WIDTH,
    PORTRAIT_WIDTH,
    Base,
    items_value,
)

if TYPE_CHECKING:
    from bmw_mentor.documents.context import Document, Entry, Form, Section, Value
    from bmw_mentor.documents.logo import Logo

BOX = "☐"


class Writer(Base):
    """Writes one plan context into a python-docx document: cover, contents, the documents, open points."""

    # --- cover and contents -------------------------------------------------------------------
    def cover(self, single: bool, logo: Logo | None, logo_png: bytes | None) -> None:
        c, s = self.c, self.s
        if logo is not None and logo_png is not None:
            import io

            from bmw_mentor.documents.logo import sniff

            drawn = sniff(logo_png)
            ratio = drawn.ratio if drawn is not None else logo.ratio
            height = 24.0
            width = height / ratio
            if width > 70:
                width, height = 70.0, 70 * ratio
            self.doc.add_paragraph().add_run().add_picture(io.BytesIO(logo_png), width=Mm(width), height=Mm(height))
        summary = getattr(c, "summary", None)
        self.par("", before=(60 if logo is None else 30) if summary is None else 6)
        if c.org_name:
            self.par(c.org_name, "Eyebrow")
        self.par(s["title"], "Title")
        self.par(c.documents[0].title if single else s["subtitle_all"], "Subtitle")
        if summary is not None:
            # the summary takes the cover's place: the first page is what a director reads
            self.par(f"{s['cover_version']} {c.version_text}", "Small")
            summary_part.summary(self, summary)
            return
        if c.goal:
            self.par(s["cover_goal"], "Field Label", before=12)
            self.text(c.goal, style="Goal")
        facts: list[tuple[str, str]] = []
        if c.coordinator:
            role = f", {c.coordinator_role}" if c.coordinator_role else ""
            facts.append((s["cover_coordinator"], c.coordinator + role))
        if c.period_text:
            facts.append((s["cover_period"], c.period_text))
        elif c.launch_text:
            facts.append((s["cover_launch"], c.launch_text))
        if c.focus_text:
            facts.append((s["cover_focus"], c.focus_text))
        if c.pairs_text:
            facts.append((s["cover_pairs"], c.pairs_text))
        facts.append((s["cover_version"], c.version_text))
        self.facts(facts)
        if c.todo_count:
            self.par(f"{s['cover_open']}: {c.todo_count}", "To Decide")

    def contents(self) -> None:
        """Word's table-of-contents field, with the headings already filled in until Word updates it."""
        s = self.s
        self.par(s["toc"], "TOC Heading", page_break=True)
        entries: list[tuple[int, str]] = []
        for d in self.c.documents:
            entries.append((1, d.title))
            entries += [(2, title) for _, title in d.toc]
        appendix = getattr(self.c, "appendix", None)
        if appendix is not None:
            entries.append((1, appendix.title))
        elif self.c.todo_count:
            entries.append((1, s["doc_todo"]))
        # the field's result, until Word updates it (then with page numbers): one paragraph per entry
        paras = [self.par(title, f"TOC {level}") for level, title in entries] or [self.par("")]
        st.field_start(paras[0], 'TOC \\o "1-2" \\h \\z \\u')
        st.field_end(paras[-1])
        self.par(s["toc_update"], "Small")

    # --- the documents ------------------------------------------------------------------------
    def document(self, d: Document) -> None:
        landscape = d.id == "communication"
        if landscape:
            self.orientation(landscape=True)
        self.par(d.title, "Heading 1", page_break=not landscape, before=0)
        if d.intro:
            self.par(d.intro, "Lead")
        if d.id == "programme":
            for sec in d.sections:
                self.section(sec, 2)
            if d.health is not None:
                health_part.health(self, d.health)
        elif d.id == "communication":
            self.communication(d)
        elif d.id == "training":
            self.training(d)
        elif d.id == "forms":
            for i, form in enumerate(d.forms):
                self.form(form, page_break=i > 0)
        if landscape:
            self.orientation(landscape=False)

    def orientation(self, landscape: bool) -> None:
        """Start a new section on a new page, landscape or portrait, with its own footer."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        short, long_ = Mm(210), Mm(297)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (long_, short) if landscape else (short, long_)
        section.different_first_page_header_footer = False
        section.footer.is_linked_to_previous = False
        st.footer(section, self.c.org_name, self.s["page_of"])
        self.width = LANDSCAPE_WIDTH if landscape else PORTRAIT_WIDTH

    def section(self, sec: Section, level: int) -> None:
        self.heading(sec.title, level)
        if sec.intro:
            self.par(sec.intro)
        for block in sec.blocks:
            if block.kind == "facts":
                self.facts([(e.label, e.value.text) for e in block.entries])
            else:
                self.entry(block.entries[0], level + 1)
        for sub in sec.subsections:
            self.section(sub, level + 1)

    def entry(self, e: Entry, level: int) -> None:
        if e.kind == "todo":
            assert e.value.todo is not None
            self.todo(e.value.todo)
            return
        if e.label:
            self.heading(e.label, 4 if level <= 4 else 5)
        if e.kind == "needs":
            for group in e.data:
                p = self.par("", keep=True, after=1)
                ox.run(p, group.title, bold=True)
                self.bullets(group.items)
        elif e.kind == "grid":
            rows = self.table(["", *e.data.columns], len(e.data.rows), [40, 67, 67], first_column=True)
            for cells, (title, values) in zip(rows, e.data.rows):
                self.put(cells[0], title)
                for tc, v in zip(cells[1:], values):
                    self.cell(tc, v)
        elif e.kind == "team":
            rows = self.table([self.s["col_task"], self.s["col_owner"]], len(e.data), [100, 74], first_column=True)
            for cells, (task, owner) in zip(rows, e.data):
                self.put(cells[0], task)
                self.cell(cells[1], owner)
        elif e.kind == "milestones":
            self.milestones()
        elif e.kind == "pairs":
            data = e.data
            rows = self.table(["#", data.mentor, data.mentee], len(data.rows), [12, 80, 80])
            for i, (cells, (mentor, mentee)) in enumerate(zip(rows, data.rows), start=1):
                self.put(cells[0], str(i), color=st.MUTED)
                self.put(cells[1], mentor)
                self.put(cells[2], mentee)
            self.par(data.note.format(command=data.command), "Small")
        elif e.emphasis and e.value.text:
            ox.run(self.par(""), e.value.text.strip(), bold=True, size=12, color=st.NAVY)
        else:
            self.value(e.value)

    def milestones(self) -> None:
        s = self.s
        groups = self.c.milestone_groups
        count = sum(len(items) + 1 for _, items in groups)
        rows = iter(self.table([s["col_date"], s["col_milestone"], s["col_owner"]], count, [40, 92, 42]))
        for phase, items in groups:
            cells = next(rows)
            # the phase as one cell across the row
            for extra in cells[1:]:
                extra.getparent().remove(extra)
            ox.span(cells[0], 3)
            ox.shade(cells[0], st.SOFT)
            self.put(cells[0], phase, bold=True, caps=True, size=8, color=st.NAVY)
            for m in items:
                cells = next(rows)
                self.put(cells[0], m.date_text, bold=True)
                self.par(m.moment, "Small", cells[0], after=0)
                self.put(cells[1], m.title, bold=m.phase == "launch")
                if m.detail:
                    self.par(m.detail, "Small", cells[1])
                self.cell(cells[2], m.owner)

    def communication(self, d: Document) -> None:
        s = self.s
        self.heading(d.principles_title or s["principles_title"], 2)
        self.bullets(d.principles)
        self.heading(d.messages_title or s["messages_title"], 2)
        header = [s["col_moment"], s["col_audience"], s["col_objective"], s["col_message"], s["col_channel"]]
        rows = self.table([*header, s["col_owner"]], len(d.rows), [30, 32, 50, 70, 38, 41])
        for cells, r in zip(rows, d.rows):
            if r.date_text:
                self.put(cells[0], r.date_text, bold=True)
            self.par(r.moment, "Small", cells[0])
            self.put(cells[1], r.audience, bold=True, color=st.NAVY)
            self.put(cells[2], r.objective)
            self.cell(cells[3], r.message)
            self.cell(cells[4], r.channels, plain=True)
            self.cell(cells[5], r.owner)

    def training(self, d: Document) -> None:
        s = self.s
        if not d.audiences:
            self.par(s["tr_none"])
        for a in d.audiences:
            self.heading(a.title, 2)
            rows: list[tuple[str, Value]] = [
                (s["tr_topics"], a.topics),
                (s["tr_format"], a.format),
                (s["tr_duration"], a.duration),
                (s["tr_timing"], a.timing),
            ]
            if a.materials:
                rows.append((s["tr_materials"], items_value(a.materials)))
            cells_list = self.table(None, len(rows), [40, 134], first_column=True)
            for cells, (label, v) in zip(cells_list, rows):
                self.put(cells[0], label)
                self.cell(cells[1], v)

    def form(self, f: Form, page_break: bool) -> None:
        s = self.s
        self.heading(f.title, 2, page_break=page_break)
        self.par(f.intro, "Lead")
        if f.header:
            rows = self.table(None, 2, [1] * len(f.header))
            for i, label in enumerate(f.header):
                self.put(rows[0][i], label, "Field Label")
                self.restyle(ox.cell_paragraph(rows[1][i]), "Form Line")
            ox.no_borders(rows[0][0].getparent().getparent())
        if f.ticks:
            p = self.par("", before=6)
            ox.run(p, f"{s['form_tick']}   ", size=8, caps=True, color=st.MUTED)
            ox.run(p, "     ".join(f"{BOX} {t}" for t in f.ticks))
        for part in f.parts:
            self.heading(part.title, 3)
            if part.value.todo:
                self.todo(part.value.todo)
            elif part.style == "checklist":
                for item in part.value.items:
                    self.par(f"{BOX}  {item}", after=2)
            else:
                for item in part.value.items:
                    self.question(item, 2)
        if f.practical:
            self.heading(f.practical_title, 3)
            self.bullets(f.practical)
        if f.confidentiality:
            self.heading(f.confidentiality_title, 3)
            self.value(f.confidentiality)
        for number, (label, lines) in enumerate(f.fields, start=1):
            self.question(f"{number}. {label}", lines)
        if f.signatures:
            self.par("", before=14)
            rows = self.table(None, 3, [1] * len(f.signatures))
            for i, who in enumerate(f.signatures):
                line = ox.cell_paragraph(rows[0][i])
                self.restyle(line, "Form Line")
                ox.set_spacing(line, before=30)
                self.put(rows[1][i], who, bold=True)
                self.put(rows[2][i], f"{s['form_date']}:", "Form Line")
            ox.no_borders(rows[0][0].getparent().getparent())

    def question(self, label: str, lines: int) -> None:
        """A question in bold and ``lines`` empty lines to write the answer on."""
        ox.run(self.par("", keep=True, before=6, after=0), label, bold=True, color=st.NAVY)
        for i in range(max(lines, 1)):
            self.par("", "Form Line", keep=i < lines - 1)

    def closing(self) -> None:
        """The end of the file: the appendix for the coordinator, or (without one) the list of open points."""
        appendix = getattr(self.c, "appendix", None)
        if appendix is not None:
            summary_part.appendix(self, appendix)
        elif self.c.todo_count:
            self.todo_list()

    def todo_list(self) -> None:
        s = self.s
        self.heading(s["doc_todo"], 1, page_break=True)
        self.par(s["todo_intro"], "Lead")
        titles = self.c.doc_titles
        for group in self.c.todo_groups:
            self.heading(group.title, 2)
            for t in group.todos:
                p = self.par(t.label, "List Bullet")
                ox.run(p, f"  ({titles[t.doc]})", size=9, color=st.MUTED)
            self.par(group.command, "To Decide")

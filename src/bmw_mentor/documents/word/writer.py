"""The Word document's building blocks: paragraphs in the plan's styles, values, tables and facts.

Everything is written as WordprocessingML elements (see ``ooxml``) into the
document that python-docx opened; the writers of each part (``body``,
``health``, ``summary``) build on this class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bmw_mentor.documents.render import paragraphs
from bmw_mentor.documents.word import ooxml as ox
from bmw_mentor.documents.word import style as st

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

    from bmw_mentor.documents.context import PlanContext, Todo, Value

PORTRAIT_WIDTH = 174  # mm of text between the margins of an A4 page
LANDSCAPE_WIDTH = 261


class Base:
    """Writes into one python-docx document for one plan context."""

    def __init__(self, doc: WordDocument, context: PlanContext) -> None:
        self.doc = doc
        self.c = context
        self.s = context.s
        self.ids = {name: doc.styles[name].style_id for name in _STYLES}
        self.body = ox.Body(doc.element.body)
        self.width = PORTRAIT_WIDTH
        # with an appendix for the coordinator, the body speaks to management: no commands, no rule sources
        self.for_management = getattr(context, "appendix", None) is not None

    # --- small pieces -------------------------------------------------------------------------
    def par(self, text: str = "", style: str = "Normal", container: Any = None, **fmt: Any) -> Any:
        """A new paragraph at the end of the body, or of ``container`` (a table cell)."""
        p = ox.paragraph(self.ids[style] if style != "Normal" else None, **fmt)
        if text:
            ox.run(p, text)
        if container is None:
            self.body.add(p)
        else:
            container.append(p)
        return p

    def restyle(self, p: Any, style: str) -> None:
        ox.set_style(p, self.ids[style])

    def heading(self, text: str, level: int, page_break: bool = False) -> Any:
        return self.par(text, f"Heading {level}", page_break=page_break)

    def text(self, value: str, container: Any = None, style: str = "Normal") -> None:
        """Free text: paragraphs, line breaks, and lines starting with "- " as bullets."""
        for kind, lines in paragraphs(value):
            if kind == "ul":
                for line in lines:
                    self.par(line, "List Bullet", container)
            else:
                p = self.par("", style, container)
                for i, line in enumerate(lines):
                    ox.run(p, line, line_break=i > 0)

    def bullets(self, items: list[str], container: Any = None) -> None:
        for item in items:
            self.par(item, "List Bullet", container)

    def settle(self, todo: Todo) -> str:
        """How an open point is settled, where the plan's words still name the command (empty otherwise)."""
        words = self.s.get("todo_settle")
        return words.format(command=todo.command) if words and not self.for_management else ""

    def todo(self, todo: Todo, container: Any = None) -> None:
        p = self.par("", "To Decide", container)
        ox.run(p, f"{self.s['todo']}: {todo.label}", bold=True)
        settle = self.settle(todo)
        if settle:
            ox.run(p, f" — {settle}")

    def value(self, v: Value, container: Any = None) -> None:
        if v.todo:
            self.todo(v.todo, container)
        elif v.items:
            self.bullets(v.items, container)
        elif v.text:
            self.text(v.text, container)

    def cell(self, tc: Any, v: Value, plain: bool = False) -> None:
        """A table cell showing a value; the cell's own first paragraph takes the first line."""
        first = ox.cell_paragraph(tc)
        if v.todo:
            self.restyle(first, "To Decide")
            settle = self.settle(v.todo)
            ox.run(first, f"{self.s['todo']}: " if settle else self.s["todo"], bold=True)
            if settle:
                ox.run(first, settle)
        elif v.items and (len(v.items) > 1 or plain):
            mark = "" if plain else "• "
            ox.run(first, mark + v.items[0])
            for item in v.items[1:]:
                self.par(mark + item, container=tc)
        elif v.items:
            ox.run(first, v.items[0])
        elif v.text:
            lines = [line.strip() for line in v.text.strip().split("\n") if line.strip()]
            ox.run(first, lines[0] if lines else "")
            for line in lines[1:]:
                self.par(line, container=tc)
        else:
            ox.run(first, "—")

    def put(self, tc: Any, text: str, style: str | None = None, **fmt: Any) -> Any:
        """Text into a cell's first paragraph."""
        p = ox.cell_paragraph(tc)
        if style:
            self.restyle(p, style)
        ox.run(p, text, **fmt)
        return p

    def table(
        self, header: list[str] | None, rows: int, widths: list[float], first_column: bool = False
    ) -> list[list[Any]]:
        """A table in the plan's table style (``widths`` in mm, scaled to the page); returns the body rows' cells."""
        scale = self.width / sum(widths)
        tbl, cells = ox.table(
            self.ids[st.TABLE_STYLE], [w * scale for w in widths], rows + (1 if header else 0),
            header=bool(header), first_column=first_column,
        )  # fmt: skip
        self.body.add(tbl)
        if header:
            for tc, title in zip(cells[0], header):
                # also as direct formatting: LibreOffice lets the paragraph style's colour win over the table style's
                ox.run(ox.cell_paragraph(tc), title, bold=True, caps=True, size=8, color="FFFFFF")
            return cells[1:]
        return cells

    def facts(self, facts: list[tuple[str, str]]) -> None:
        """Label and value side by side, in a two-column table."""
        rows = self.table(None, len(facts), [55, 119], first_column=True)
        for cells, (label, text) in zip(rows, facts):
            self.put(cells[0], label, "Field Label")
            self.cell(cells[1], text_value(text))

_STYLES = (
    "Normal",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Heading 4",
    "Heading 5",
    "Title",
    "Subtitle",
    "List Bullet",
    "List Number",
    "TOC Heading",
    "TOC 1",
    "TOC 2",
    "Eyebrow",
    "Lead",
    "Small",
    "Field Label",
    "To Decide",
    "Goal",
    "Form Line",
    st.TABLE_STYLE,
)


def text_value(text: str) -> Value:
    from bmw_mentor.documents.context import Value

    return Value(text=text)


def items_value(items: list[str]) -> Value:
    from bmw_mentor.documents.context import Value

    return Value(items=items)

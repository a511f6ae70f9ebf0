"""The screen around a prompt: one layout for every kind of question, wrapped at word boundaries.

Every prompt looks the same from top to bottom::

    › The question, wrapped by us at word boundaries
      ✗ what is wrong with the answer (only after Enter, directly under the prompt)
      the choices, for lists
      ↑/↓: move · Enter: choose · F1 or ?: help · Esc: back · Ctrl-C: stop …

The hint and the message are wrapped to the terminal's width each time the
screen is drawn, so that a line never breaks inside a word, not even after the
window is resized. Both disappear once the question is answered.
"""

from __future__ import annotations

from collections.abc import Callable

from prompt_toolkit.application import Application, get_app
from prompt_toolkit.filters import Condition, is_done, to_filter
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.layout import ConditionalContainer, HSplit, Layout, Window
from prompt_toolkit.layout.controls import FormattedTextControl
from prompt_toolkit.utils import get_cwidth

SEPARATOR = " · "
INDENT = "  "


def width_now() -> int:
    """The terminal's width in cells, as prompt_toolkit sees it."""
    try:
        return max(get_app().output.get_size().columns, 20)
    except Exception:  # noqa: BLE001 - no output yet: a safe guess
        return 80


def wrap(text: str, width: int) -> list[str]:
    """Break ``text`` into lines of at most ``width`` cells, only at spaces (a longer word gets a line of its own)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and get_cwidth(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def wrap_items(items: list[str], width: int) -> list[str]:
    """Pack hint items ("Esc: back") into lines of at most ``width`` cells, breaking between items.

    An item wider than a line is broken at its spaces.
    """
    lines: list[str] = []
    line = ""
    for item in items:
        candidate = f"{line}{SEPARATOR}{item}" if line else item
        if get_cwidth(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        parts = wrap(item, width)
        lines.extend(parts[:-1])
        line = parts[-1]
    if line:
        lines.append(line)
    return lines


def split_items(hint: str) -> list[str]:
    """The items of a hint message written as "a · b · c" (surrounding brackets are dropped)."""
    hint = hint.strip()
    if hint.startswith("(") and hint.endswith(")"):
        hint = hint[1:-1]
    return [item.strip() for item in hint.split(SEPARATOR.strip()) if item.strip()]


def _block(lines: list[str], style: str, first: str = "", rest: str = "") -> StyleAndTextTuples:
    out: StyleAndTextTuples = []
    for i, line in enumerate(lines):
        if i:
            out.append(("", "\n"))
        out.append((style, f"{first if i == 0 else rest}{line}"))
    return out


def message_lines(message: str, width: int) -> str:
    """A question's text wrapped for the line that starts with "› " (later lines indented to match)."""
    # "› " before it, and after it a space and the cursor, which must not be pushed onto a line of their own
    lines = wrap(message, max(width - len(INDENT) - 2, 20))
    return f"\n{INDENT}".join(lines)


def frame(app: Application, *, kind: str, hint: list[str], error: Callable[[], str | None]) -> None:
    """Put the error line and the hint into ``app``'s layout, in the same places for every kind of prompt.

    ``app`` is a questionary prompt: a text prompt's first container holds the
    question and the input line; a list prompt's holds the question, followed by
    the list. prompt_toolkit's own one-line validation toolbar (which cuts long
    messages, and in lists sits below the whole list) is left out.
    """

    def error_text() -> StyleAndTextTuples:
        text = error()
        if not text:
            return []
        lines = wrap(text, width_now() - len(INDENT) - 3)
        return _block(lines, "class:error", f"{INDENT}✗ ", f"{INDENT}  ")

    def hint_text() -> StyleAndTextTuples:
        lines = wrap_items(hint, width_now() - len(INDENT) - 1)
        return _block(lines, "class:hint", INDENT, INDENT)

    error_box = ConditionalContainer(
        Window(FormattedTextControl(error_text), dont_extend_height=True),
        filter=~is_done & Condition(lambda: bool(error())),
    )
    hint_box = ConditionalContainer(
        Window(FormattedTextControl(hint_text), dont_extend_height=True), filter=~is_done & Condition(lambda: bool(hint))
    )
    parts = list(app.layout.container.children)  # type: ignore[attr-defined]
    if kind == "text":
        app.layout.current_window.dont_extend_height = to_filter(True)  # the input line: as high as its text
        body = [parts[0], error_box, hint_box]
    else:
        for window in parts[1].get_children():  # the list grows to its own height only, never to the screen's
            if isinstance(window, Window):
                window.dont_extend_height = to_filter(True)
        body = [parts[0], error_box, *parts[1:3], hint_box]  # the list, and questionary's search line
    # prompt_toolkit lends a prompt every row down to the bottom of the terminal; this empty
    # window takes what is not used, so that the hint stays right under the prompt
    body.append(Window())
    app.layout = Layout(HSplit(body), focused_element=app.layout.current_window)

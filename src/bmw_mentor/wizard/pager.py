"""Help that is taller than the screen, shown one screen at a time in the system's pager.

The text goes to the pager wrapped at word boundaries for the terminal's width
and without colours or box lines: ``less`` shows escape codes as text unless it
is told otherwise, and Windows' ``more`` reads the file in the console's code page.
"""

from __future__ import annotations

import os
import pydoc
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.text import Text


@contextmanager
def _less_prompt(keys: str) -> Iterator[None]:
    """Tell ``less`` (when it is the pager and the user set no options of their own) which keys work."""
    if "LESS" in os.environ:
        yield
        return
    # less expands '%' and '?' and ':' in a prompt; keep the text literal
    literal = "".join(f"\\{ch}" if ch in "?:.%\\" else ch for ch in keys)
    os.environ["LESS"] = f"-Ps{literal}$"
    try:
        yield
    finally:
        del os.environ["LESS"]


def page(console: Console, title: str, markup: str, keys: str) -> None:
    """Show ``markup`` (rich markup) under ``title`` in the pager; ``keys`` says how to page and how to leave."""
    body = Text.from_markup(markup)
    plain = Console(width=console.width, no_color=True, highlight=False, force_terminal=False, record=True,
                    file=open(os.devnull, "w"))  # noqa: SIM115 - rendered only to be exported  # fmt: skip
    plain.print(title, style="bold")
    plain.print("=" * min(len(title), console.width))
    plain.print()
    plain.print(body)
    plain.print()
    plain.print(keys)
    text = plain.export_text(styles=False)
    plain.file.close()
    with _less_prompt(keys):
        _show(text)


def _show(text: str) -> None:
    """The user's $PAGER, else ``less``, else Windows' ``more``; pydoc runs it (and ignores Ctrl-C meanwhile)."""
    chosen = os.environ.get("PAGER")
    if sys.platform == "win32":
        pydoc.tempfilepager(text, chosen or "more <")  # pipes to a pager are unreliable on Windows
    elif chosen or shutil.which("less"):
        pydoc.pipepager(text, chosen or "less")
    else:
        pydoc.pager(text)

"""Making user-typed text safe to show on a terminal."""

from __future__ import annotations

import re

# C0 and C1 control characters (keeping newline and tab), DEL, and the Unicode
# bidirectional overrides and isolates that can disguise text on screen.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Replace control and bidi-override characters by a visible ``\\uXXXX`` form."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def one_line(text: str) -> str:
    """Like :func:`clean`, and line breaks and tabs become visible too: for one-line messages."""
    return clean(text).replace("\n", "\\n").replace("\t", "\\t")


def for_document(text: str) -> str:
    """Drop control and bidi-override characters from text bound for a document.

    They have no meaning on paper, an HTML parser rejects some of them, and an
    override can make a name read backwards; line breaks become plain newlines.
    """
    return _UNSAFE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))

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


# what GitHub-flavoured Markdown turns into a link by itself: a scheme's "://", "www." and e-mail addresses
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<![\w.])(www)(\.)|(@)(?=[\w-])")


def defuse_links(escaped: str) -> str:
    """Markdown (already escaped) in which no bare URL or e-mail address becomes a link.

    A backslash before the ``:`` of ``https://``, the dot of ``www.`` and the ``@`` of an
    address keeps the text as it reads, and keeps a reader from following a link that
    an answer slipped into a plan.
    """
    def swap(m: re.Match[str]) -> str:
        if m.group(1):
            return "\\:"
        if m.group(2):
            return m.group(2) + "\\."
        return "\\@"

    return _AUTOLINK.sub(swap, escaped)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_text(encoded: str) -> str:
    """JSON text in which DEL, C1 controls and bidi marks are ``\\uXXXX`` escapes, like C0 controls already are.

    Only strings can hold these characters in JSON, and the escape means the same
    character to a JSON reader; a terminal or a log viewer shows it harmlessly.
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", encoded)

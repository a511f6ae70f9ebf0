"""Render the plan context through the Jinja templates in ``templates/``.

HTML is autoescaped by Jinja. Markdown has no such thing built in, so the
Markdown environment escapes every ``{{ expression }}`` through ``finalize``:
an answer can never turn into a heading, a link, a table cell or raw HTML.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bmw_mentor.files.textsafe import defuse_links, for_document

if TYPE_CHECKING:
    import jinja2

    from bmw_mentor.documents.context import PlanContext


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&!{}])")
# spaces and tabs only (never across lines): `\s*` here made escaping quadratic in a run of newlines
_MD_LINE_START = re.compile(r"^([^\S\n]*)([-+=>]|\d+(?=[.)]))", re.MULTILINE)
_BULLET = re.compile(r"^\s*[-*•]\s+")


class MdSafe(str):
    """Markdown that is already escaped (the ``finalize`` hook leaves it alone)."""


def md_escape(text: str) -> str:
    """Escape text so that GitHub-flavoured Markdown shows it literally."""
    escaped = _MD_SPECIAL.sub(r"\\\1", for_document(text))
    escaped = _MD_LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if not m.group(2)[0].isdigit() else f"{m.group(1)}{m.group(2)}\\", escaped)
    return defuse_links(escaped)


def _md_finalize(value: Any) -> str:
    if isinstance(value, MdSafe):
        return value
    if value is None:
        return ""
    return md_escape(str(value))


def md_cell(value: Any) -> MdSafe:
    """A table cell: escaped, on one line (line breaks become <br>)."""
    return MdSafe(_join_lines(md_escape(str(value or "")), "<br>"))


def md_line(value: Any) -> MdSafe:
    """Escaped text that must stay on one line (headings, list items)."""
    return MdSafe(_join_lines(md_escape(str(value or "")), " "))


def _join_lines(text: str, joint: str) -> str:
    """The text's non-blank lines, stripped and joined by ``joint`` (linear: no regex backtracking)."""
    return joint.join(line for line in (part.strip() for part in text.split("\n")) if line)


def _html_finalize(value: Any) -> Any:
    # markup built by the templates' own macros is left alone; its pieces went through here already
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return for_document(value)
    return value


def css_string(value: Any) -> Any:
    """A value inside a CSS string in a <style> element (HTML escaping does not apply there)."""
    from markupsafe import Markup

    text = str(value or "")
    out = "".join(ch if ch.isalnum() or ch in " .,-–·()'&" else f"\\{ord(ch):x} " for ch in text)
    return Markup('"' + out.replace("&", "\\26 ").replace("'", "\\27 ") + '"')


def paragraphs(text: str) -> list[tuple[str, list[str]]]:
    """Split free text into paragraphs and bullet lists (lines starting with "- ")."""
    blocks: list[tuple[str, list[str]]] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.rstrip() for ln in chunk.splitlines() if ln.strip()]
        current: tuple[str, list[str]] | None = None
        for line in lines:
            kind = "ul" if _BULLET.match(line) else "p"
            content = _BULLET.sub("", line) if kind == "ul" else line.strip()
            if current is None or current[0] != kind:
                current = (kind, [])
                blocks.append(current)
            current[1].append(content)
    return blocks


def md_anchor(title: str, seen: dict[str, int]) -> str:
    """The id GitHub gives a Markdown heading (lower case, punctuation dropped, spaces as hyphens)."""
    slug = re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")
    count = seen.get(slug, 0)
    seen[slug] = count + 1
    return slug if count == 0 else f"{slug}-{count}"


@cache
def environment(kind: str) -> jinja2.Environment:
    """The Jinja environment for ``html`` or ``md`` templates (compiled templates are cached on disk)."""
    import jinja2

    from bmw_mentor.files.resources import data_dir

    options: dict[str, Any] = {
        "loader": jinja2.FileSystemLoader(str(data_dir("templates"))),
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
        "auto_reload": False,
    }
    cache_dir = _bytecode_dir()
    if cache_dir is not None:
        # compiled code depends on this module's environment options (finalize), not only on the template source
        stamp = Path(__file__).stat().st_mtime_ns
        options["bytecode_cache"] = jinja2.FileSystemBytecodeCache(str(cache_dir), f"__jinja2_{stamp}_%s.cache")
    if kind == "html":
        env = jinja2.Environment(autoescape=True, finalize=_html_finalize, **options)
        env.filters["css_string"] = css_string
    else:
        env = jinja2.Environment(autoescape=False, finalize=_md_finalize, **options)
        env.filters["cell"] = md_cell
        env.filters["line"] = md_line
        env.filters["raw"] = MdSafe
    env.filters["paragraphs"] = paragraphs
    return env


def _bytecode_dir() -> Path | None:
    """A private cache folder for compiled templates (they are code); None when there is none to trust."""
    from bmw_mentor.files.resources import private_cache

    return private_cache("templates")


def render(context: PlanContext, kind: str, single: bool, logo: str | None = None) -> str:
    """Render the documents in ``context`` as ``html`` or ``md``; ``logo`` is a ``data:`` URI for the HTML cover."""
    env = environment(kind)
    if kind == "html":
        return env.get_template("plan.html.j2").render(c=context, s=context.s, single=single, logo=logo)
    body = env.get_template("plan.md.j2").render(c=context, s=context.s, single=single, toc=None)
    return _tidy_md(_with_md_toc(env, context, _tidy_md(body), single))


def _tidy_md(text: str) -> str:
    # the templates err on the side of blank lines; Markdown needs at most one between blocks
    stripped = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", stripped).strip() + "\n"


def _with_md_toc(env: jinja2.Environment, context: PlanContext, body: str, single: bool) -> str:
    """Build the Markdown table of contents from the headings actually written, so every link resolves."""
    seen: dict[str, int] = {}
    toc: list[tuple[int, str, str]] = []
    in_fence = False
    for line in body.splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
        m = re.match(r"^(#{2,3}) (.+)$", line)
        if m and not in_fence:
            title = re.sub(r"\\(.)", r"\1", m.group(2))
            anchor = md_anchor(title, seen)
            toc.append((len(m.group(1)), title, anchor))
    # The contents heading itself comes first in the document and takes its slug before the others.
    seen = {}
    md_anchor(context.s["toc"], seen)
    toc = [(level, title, md_anchor(title, seen)) for level, title, _ in toc]
    return env.get_template("plan.md.j2").render(c=context, s=context.s, single=single, toc=toc)

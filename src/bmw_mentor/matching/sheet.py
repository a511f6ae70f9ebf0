"""The matching sheet: the suggested pairs as Markdown, HTML or CSV, and as a table on screen.

A sheet is rendered from a plain dictionary (see :func:`sheet_data`) so that
``mentor forget`` can render it again, without the forgotten person, from what
the index of written files keeps.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bmw_mentor.files.textsafe import clean, defuse_links
from bmw_mentor.matching.assign import Result
from bmw_mentor.matching.participants import guard, vocabulary
from bmw_mentor.matching.rules import Words

FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".csv": "csv"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def sheet_data(result: Result, words: Words, org: str = "", today: dt.date | None = None) -> dict[str, Any]:
    """Everything a sheet shows, as plain data."""
    return {
        "lang": words.lang,
        "terms": dict(words.terms),
        "org": org,
        "date": (today or dt.date.today()).isoformat(),
        "rules": list(result.rules),
        "pairs": [
            {"mentor": p.mentor, "mentee": p.mentee, "score": p.score, "reasons": list(p.reasons), "pinned": p.pinned}
            for p in result.pairs
        ],
        "unmatched": [{"name": u.name, "role": u.role, "reason": u.reason} for u in result.unmatched],
    }


def format_of(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())


def render(data: dict[str, Any], fmt: str) -> bytes:
    """The sheet in one format (``md``, ``html`` or ``csv``)."""
    words = Words(data["lang"], data.get("terms"))
    if fmt == "csv":
        return _csv(data, words)
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from bmw_mentor.files.resources import data_dir

    env = Environment(
        loader=FileSystemLoader(str(data_dir("templates"))),
        autoescape=fmt == "html",
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = _md
    template = env.get_template(f"matching_sheet.{fmt}.j2")
    return template.render(**_context(data, words)).encode("utf-8")


def _context(data: dict[str, Any], words: Words) -> dict[str, Any]:
    labels = {
        key: words.sheet(key)
        for key in (
            "intro",
            "rules_heading",
            "col_score",
            "col_why",
            "col_name",
            "col_role",
            "col_reason",
            "pinned_mark",
            "no_pairs",
            "all_matched",
            "privacy",
        )
    }
    labels["col_mentor"] = words.fill("{Mentor}")
    labels["col_mentee"] = words.fill("{Mentee}")
    labels["pairs_heading"] = words.sheet("pairs_heading", n=len(data["pairs"]))
    labels["unmatched_heading"] = words.sheet("unmatched_heading", n=len(data["unmatched"]))
    scores = [p["score"] for p in data["pairs"]]
    average = words.sheet("average", avg=words.number(round(sum(scores) / len(scores), 1))) if scores else ""
    date = dt.date.fromisoformat(data["date"])
    return {
        "lang": words.lang,
        "title": words.sheet("title"),
        "org": data.get("org") or "",
        "made_on": words.sheet("made_on", date=f"{date.day}/{date.month}/{date.year}"),
        "labels": labels,
        "rules": data["rules"],
        "pairs": [{**p, "score_text": words.number(p["score"])} for p in data["pairs"]],
        "unmatched": [{**u, "role_text": role_word(u["role"], words)} for u in data["unmatched"]],
        "average": average,
    }


def role_word(role: str, words: Words) -> str:
    """A role in the organisation's own words."""
    if role in ("mentor", "mentee"):
        return words.terms[role]
    return vocabulary().role_label(role, words.lang)


def _md(text: Any) -> str:
    """A value made safe for one Markdown table cell or line."""
    flat = " ".join(str(text).split())
    return defuse_links(_MD_SPECIAL.sub(r"\\\1", flat))


def _csv(data: dict[str, Any], words: Words) -> bytes:
    # Excel set to Dutch or Belgian settings expects ; and a decimal comma.
    delimiter = ";" if words.lang == "nl" else ","
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(
        [
            words.sheet("col_status"),
            words.fill("{Mentor}"),
            words.fill("{Mentee}"),
            words.sheet("col_score"),
            words.sheet("col_why"),
        ]
    )
    pair_word, unmatched_word = words.sheet("status_pair"), words.sheet("status_unmatched")
    for p in data["pairs"]:
        why = " ".join(p["reasons"])
        writer.writerow([pair_word, guard(p["mentor"]), guard(p["mentee"]), words.number(p["score"]), guard(why)])
    for u in data["unmatched"]:
        mentor, mentee = (u["name"], "") if u["role"] == "mentor" else ("", u["name"])
        writer.writerow([unmatched_word, guard(mentor), guard(mentee), "", guard(u["reason"])])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# Beyond this many pairs the reasons no longer fit on a screen; they stay in the sheet.
SCREEN_REASONS = 40


def show(result: Result, words: Words, console: Console, *, sheet_asked: bool = False) -> None:
    """Print the pairs, the unmatched people and the rules used."""
    with_reasons = len(result.pairs) <= SCREEN_REASONS
    pairs = Table(
        title=words.sheet("pairs_heading", n=len(result.pairs)), title_justify="left", show_lines=with_reasons
    )
    pairs.add_column(words.fill("{Mentor}"))
    pairs.add_column(words.fill("{Mentee}"))
    pairs.add_column(words.sheet("col_score"), justify="right")
    if with_reasons:
        pairs.add_column(words.sheet("col_why"), ratio=1)
    for p in result.pairs:
        mark = f" [dim]({escape(words.sheet('pinned_mark'))})[/]" if p.pinned else ""
        cells = [escape(clean(p.mentor)) + mark, escape(clean(p.mentee)), words.number(p.score)]
        if with_reasons:
            cells.append(escape(clean(" ".join(p.reasons))))
        pairs.add_row(*cells)
    if result.pairs:
        console.print(pairs)
        if not with_reasons and not sheet_asked:
            console.print(words.sheet("reasons_in_sheet"))
        if result.average is not None:
            console.print(words.sheet("average", avg=words.number(round(result.average, 1))))
    else:
        console.print(words.sheet("no_pairs"))
    if result.unmatched:
        table = Table(title=words.sheet("unmatched_heading", n=len(result.unmatched)), title_justify="left")
        table.add_column(words.sheet("col_name"))
        table.add_column(words.sheet("col_role"))
        table.add_column(words.sheet("col_reason"), ratio=1)
        for u in result.unmatched:
            table.add_row(escape(clean(u.name)), escape(role_word(u.role, words)), escape(clean(u.reason)))
        console.print(table)
    else:
        console.print(words.sheet("all_matched"))
    console.print(f"[bold]{escape(words.sheet('rules_heading'))}[/]")
    for line in result.rules:
        console.print(f"  • {escape(line)}")

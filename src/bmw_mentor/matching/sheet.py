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
from bmw_mentor.matching.explain import NotChosen, Result
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
            {
                "mentor": p.mentor,
                "mentee": p.mentee,
                "score": p.score,
                "reasons": list(p.reasons),
                "pinned": p.pinned,
                "flags": list(p.flags),
                "not_chosen": _groups(p.not_chosen),
            }
            for p in result.pairs
        ],
        "unmatched": [
            {"name": u.name, "role": u.role, "reason": u.reason, "not_chosen": _groups(u.not_chosen)}
            for u in result.unmatched
        ],
    }


def _groups(groups: tuple[NotChosen, ...]) -> list[dict[str, Any]]:
    return [{"names": list(g.names), "why": g.why} for g in groups]


def not_chosen_text(groups: list[dict[str, Any]], words: Words) -> str:
    """'Not chosen: Dirk Peeters (in the same reporting line).', or '' when nobody was passed over."""
    parts = [
        words.sheet("not_chosen_group", names=words.join(g.get("names", [])), why=g.get("why", ""))
        for g in groups
        if g.get("names")
    ]
    return words.sheet("not_chosen", groups="; ".join(parts)) if parts else ""


def flags_text(flags: list[str], words: Words) -> str:
    """'⚠ low score (below 50), no common language', or ''."""
    return f"{words.sheet('weak_mark')} {', '.join(flags)}" if flags else ""


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
    env.filters["code_md"] = _code_md
    env.filters["code_html"] = _code_html
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
            "col_check",
            "weak_mark",
        )
    }
    labels["col_mentor"] = words.fill("{Mentor}")
    labels["col_mentee"] = words.fill("{Mentee}")
    labels["pairs_heading"] = words.sheet("pairs_heading", n=len(data["pairs"]))
    labels["unmatched_heading"] = words.sheet("unmatched_heading", n=len(data["unmatched"]))
    scores = [p["score"] for p in data["pairs"]]
    average = words.sheet("average", avg=words.number(round(sum(scores) / len(scores), 1))) if scores else ""
    weak = sum(1 for p in data["pairs"] if p.get("flags"))
    date = dt.date.fromisoformat(data["date"])
    return {
        "lang": words.lang,
        "title": words.sheet("title"),
        "org": data.get("org") or "",
        "made_on": words.sheet("made_on", date=long_date(date, words.lang)),
        "labels": labels,
        "rules": data["rules"],
        "pairs": [
            {
                **p,
                "score_text": words.number(p["score"]),
                "flags_text": ", ".join(p.get("flags", [])),
                "not_chosen_text": not_chosen_text(p.get("not_chosen", []), words),
            }
            for p in data["pairs"]
        ],
        "unmatched": [
            {
                **u,
                "role_text": role_word(u["role"], words),
                "not_chosen_text": not_chosen_text(u.get("not_chosen", []), words),
            }
            for u in data["unmatched"]
        ],
        "average": average,
        "weak_count": words.sheet("weak_count", n=weak) if weak else "",
    }


def role_word(role: str, words: Words) -> str:
    """A role in the organisation's own words."""
    if role in ("mentor", "mentee"):
        return words.terms[role]
    return vocabulary().role_label(role, words.lang)


def long_date(day: dt.date, lang: str) -> str:
    """A date written out as the exported plans write it ("2 December 2026", "2 december 2026"), by Babel."""
    from bmw_mentor.messages import date_text

    return date_text(day, lang)


def _spans(text: str) -> list[tuple[bool, str]]:
    """Text split at `backticks`: (True, command) for the parts between them."""
    return [(i % 2 == 1, part) for i, part in enumerate(str(text).split("`")) if part]


def _code_md(text: Any) -> str:
    """One Markdown line in which `commands` stay code and everything else is escaped."""
    return "".join(f"`{part}`" if code else _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", part)) for code, part in _spans(text)).strip()


def _code_html(text: Any) -> Any:
    """HTML in which `commands` become <code> and everything else is escaped."""
    from markupsafe import Markup, escape

    return Markup("".join(f"<code>{escape(part)}</code>" if code else str(escape(part)) for code, part in _spans(text)))


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
            words.sheet("col_check"),
            words.sheet("col_not_chosen"),
        ]
    )
    pair_word, unmatched_word = words.sheet("status_pair"), words.sheet("status_unmatched")
    for p in data["pairs"]:
        why = " ".join(p["reasons"])
        writer.writerow(
            [
                pair_word,
                guard(p["mentor"]),
                guard(p["mentee"]),
                words.number(p["score"]),
                guard(why),
                guard(flags_text(p.get("flags", []), words)),
                guard(not_chosen_text(p.get("not_chosen", []), words)),
            ]
        )
    for u in data["unmatched"]:
        mentor, mentee = (u["name"], "") if u["role"] == "mentor" else ("", u["name"])
        not_chosen = guard(not_chosen_text(u.get("not_chosen", []), words))
        writer.writerow([unmatched_word, guard(mentor), guard(mentee), "", guard(u["reason"]), "", not_chosen])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# Beyond this many rows a table no longer helps on a screen: a summary, and the list in the sheet.
SCREEN_ROWS = 50


def show(result: Result, words: Words, console: Console, *, sheet_asked: bool = False, why: bool = False) -> None:
    """The pairs as a compact table (mentor, mentee, score, what to look at again), then the rest.

    Reasons appear with ``why``; they are always in the sheet files. A long list,
    or output that is not a terminal, gets no Rich table: drawing thousands of
    rows costs more than finding the pairs.
    """
    long = len(result.pairs) > SCREEN_ROWS or len(result.unmatched) > SCREEN_ROWS
    if long:
        console.print(words.sheet("counts", pairs=len(result.pairs), unmatched=len(result.unmatched)))
        _summary(result, words, console)
        if not sheet_asked:
            console.print(words.sheet("long_list"))
        _rules(result, console, words)
        return
    if not result.pairs:
        console.print(words.sheet("no_pairs"))
    elif console.is_terminal:
        console.print(_pairs_table(result, words, why))
    else:
        console.print(words.sheet("pairs_heading", n=len(result.pairs)))
        for p in result.pairs:
            mark = f" ({words.sheet('pinned_mark')})" if p.pinned else ""
            flag = f"  {flags_text(list(p.flags), words)}" if p.flags else ""
            console.print(escape(f"{clean(p.mentor)}{mark} – {clean(p.mentee)}: {words.number(p.score)}{flag}"))
            if why:
                for line in [*p.reasons, not_chosen_text(_groups(p.not_chosen), words)]:
                    if line:
                        console.print(f"    {escape(clean(line))}")
    if result.pairs:
        _summary(result, words, console)
        if not why and not sheet_asked:
            console.print(f"[dim]{escape(words.sheet('why_hint'))}[/]")
    if result.unmatched:
        table = Table(title=words.sheet("unmatched_heading", n=len(result.unmatched)), title_justify="left")
        table.add_column(words.sheet("col_name"))
        table.add_column(words.sheet("col_role"))
        table.add_column(words.sheet("col_reason"), ratio=1)
        for u in result.unmatched:
            reason = " ".join(x for x in (u.reason, not_chosen_text(_groups(u.not_chosen), words)) if x)
            table.add_row(escape(clean(u.name)), escape(role_word(u.role, words)), escape(clean(reason)))
        console.print(table)
    else:
        console.print(words.sheet("all_matched"))
    _rules(result, console, words)


def _pairs_table(result: Result, words: Words, why: bool) -> Table:
    table = Table(
        title=words.sheet("pairs_heading", n=len(result.pairs)), title_justify="left", show_lines=why
    )
    table.add_column(words.fill("{Mentor}"))
    table.add_column(words.fill("{Mentee}"))
    table.add_column(words.sheet("col_score"), justify="right")
    table.add_column(words.sheet("col_check"), ratio=1 if not why else None)
    if why:
        table.add_column(words.sheet("col_why"), ratio=1)
    for p in result.pairs:
        mark = f" [dim]({escape(words.sheet('pinned_mark'))})[/]" if p.pinned else ""
        flag = f"[yellow]{escape(flags_text(list(p.flags), words))}[/]" if p.flags else ""
        cells = [escape(clean(p.mentor)) + mark, escape(clean(p.mentee)), words.number(p.score), flag]
        if why:
            lines = [*p.reasons, not_chosen_text(_groups(p.not_chosen), words)]
            cells.append(escape(clean(" ".join(x for x in lines if x))))
        table.add_row(*cells)
    return table


def _summary(result: Result, words: Words, console: Console) -> None:
    if result.average is not None:
        console.print(words.sheet("average", avg=words.number(round(result.average, 1))))
    if result.weak:
        console.print(f"[yellow]{escape(words.sheet('weak_count', n=result.weak))}[/]")


def _rules(result: Result, console: Console, words: Words) -> None:
    console.print(f"[bold]{escape(words.sheet('rules_heading'))}[/]")
    for line in result.rules:
        console.print(f"  • {escape(line)}")

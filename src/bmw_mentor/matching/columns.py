"""Which column of a spreadsheet holds which field, and a word about every column that is not used.

A header is looked up, in this order, in the mapping the user gave
(``--column 'Header=field'``, kept in the project file), in the names of
``checklists/participants.yaml``, and by closeness to those names. A column
that is still unknown is reported with the closest field and the option that
would use it, so no column is ever dropped without a word.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bmw_mentor.errors import ParticipantsInvalidError, UsageError
from bmw_mentor.matching.participants import FIELDS, Vocabulary, display, header_key, vocabulary
from bmw_mentor.messages import msg

IGNORE = ""  # a mapping to nothing: the column is left out on purpose


@dataclass
class Header:
    """The field of each column (None: not used), and what was said about the columns."""

    fields: list[str | None]
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def parse_mapping(items: Iterable[str], lang: str) -> dict[str, str]:
    """``--column 'Header=field'`` options as {header: field id}; an empty field ignores the column."""
    vocab = vocabulary()
    out: dict[str, str] = {}
    for item in items:
        header, sep, target = item.rpartition("=")
        if not sep or not header.strip():
            raise UsageError(msg("column_bad_option", lang, value=display(item)))
        out[" ".join(header.split())] = field_id(target, vocab, lang, item)
    return out


def field_id(text: str, vocab: Vocabulary, lang: str, item: str) -> str:
    """A field named by its id or by any of its names; '' or '-' means: do not use."""
    key = header_key(text)
    if key in ("",):
        return IGNORE
    if text.strip() in FIELDS:
        return text.strip()
    found = vocab.columns.get(key)
    if found is None:
        choices = ", ".join(FIELDS)
        raise UsageError(msg("column_bad_field", lang, value=display(item), field=display(text), choices=choices))
    return found


def expand(alias: str, mentee_words: Iterable[str]) -> list[str]:
    """An alias with ``{mentees}``/``{mentee}`` written out for every word for a mentee."""
    if "{mentee" not in alias:
        return [alias]
    out: list[str] = []
    for word in mentee_words:
        out.append(alias.replace("{mentees}", word).replace("{mentee}", word))
    return out


def known_names(vocab: Vocabulary, terms: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every column name that is read as a field, keyed without case, accents, spaces or punctuation."""
    words = list(vocab.mentee_words)
    for term in ("mentee", "mentees"):
        if terms and isinstance(terms.get(term), str) and terms[term].strip():
            words.append(terms[term].strip())
    words += [w + "s" for w in words if not w.endswith("s")]
    names = dict(vocab.columns)
    for field_id_, aliases in vocab.templates.items():
        for alias in aliases:
            for written in expand(alias, words):
                names.setdefault(header_key(written), field_id_)
    return names


def map_header(
    cells: list[str],
    source: Path,
    line: int,
    lang: str,
    mapping: Mapping[str, str] | None = None,
    terms: Mapping[str, str] | None = None,
) -> Header:
    """The field of each header cell; raises when a needed column is missing or a field is given twice."""
    vocab = vocabulary()
    names = known_names(vocab, terms)
    given = {header_key(h): f for h, f in (mapping or {}).items()}
    header = Header(fields=[])
    used: dict[str, str] = {}
    unknown: list[tuple[int, str]] = []
    ignored: list[str] = []
    for k, cell in enumerate(cells):
        key = header_key(cell)
        text = " ".join(cell.split())
        if not key:
            header.fields.append(None)
            continue
        if key in given:
            chosen: str | None = given[key] or None
            if chosen is None:
                ignored.append(text)
        else:
            chosen = names.get(key)
            if chosen is None and key in vocab.ignored:
                ignored.append(text)
        if chosen is not None and chosen in used:
            raise ParticipantsInvalidError(
                msg(
                    "participants_double_column",
                    lang,
                    path=source,
                    line=line,
                    a=used[chosen],
                    b=text,
                    field=vocab.header(chosen, lang),
                )
            )
        if chosen is not None:
            used[chosen] = text
        elif key not in given and key not in vocab.ignored:
            unknown.append((k, text))
        header.fields.append(chosen)
    _closeness(header, unknown, names, used, vocab, source, lang)
    for needed in ("name", "role"):
        if needed not in used:
            raise ParticipantsInvalidError(
                msg(
                    "participants_missing_column",
                    lang,
                    path=source,
                    line=line,
                    field=vocab.header(needed, lang),
                    en=vocab.header(needed, "en"),
                    nl=vocab.header(needed, "nl"),
                )
            )
    if ignored:
        header.notes.append(msg("column_not_needed", lang, path=source, columns=", ".join(f"'{c}'" for c in ignored)))
    for text in (mapping or {}):
        if header_key(text) not in {header_key(c) for c in cells}:
            header.notes.append(msg("column_mapping_unused", lang, path=source, column=display(text)))
    return header


def _closeness(
    header: Header,
    unknown: list[tuple[int, str]],
    names: Mapping[str, str],
    used: dict[str, str],
    vocab: Vocabulary,
    source: Path,
    lang: str,
) -> None:
    """Read an unknown column as the field it is very close to, or suggest the closest free field."""
    for k, text in unknown:
        best, ratio = _closest(header_key(text), names, used)
        if best is not None and ratio >= vocab.closeness["read_as"]:
            header.fields[k] = best
            used[best] = text
            header.notes.append(
                msg("column_read_as", lang, path=source, column=display(text), field=vocab.header(best, lang))
            )
            continue
        if best is not None and ratio >= vocab.closeness["suggest"]:
            header.warnings.append(
                msg(
                    "column_unused_suggest",
                    lang,
                    path=source,
                    column=display(text),
                    field=vocab.header(best, lang),
                    option=f"--column '{display(text)}={best}'",
                )
            )
        else:
            header.warnings.append(
                msg("column_unused", lang, path=source, column=display(text), option=f"--column '{display(text)}=FIELD'")
            )


def _closest(key: str, names: Mapping[str, str], used: Mapping[str, str]) -> tuple[str | None, float]:
    """The free field whose name is closest to ``key``, and how close (0-1)."""
    best: str | None = None
    ratio = 0.0
    matcher = difflib.SequenceMatcher(b=key, autojunk=False)
    for name, field_id_ in names.items():
        if field_id_ in used:
            continue
        matcher.set_seq1(name)
        if matcher.real_quick_ratio() <= ratio or matcher.quick_ratio() <= ratio:
            continue
        r = matcher.ratio()
        # a name that the header starts with ("Capaciteit (max)") counts as close as well
        if len(name) >= 4 and (key.startswith(name) or name.startswith(key) and len(key) >= 4):
            r = max(r, 0.75)
        if r > ratio:
            best, ratio = field_id_, r
    return best, ratio

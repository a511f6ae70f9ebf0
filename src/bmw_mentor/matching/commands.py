"""What ``mentor participants`` and ``mentor match`` do; ``cli.py`` calls these."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bmw_mentor.errors import ParticipantsInvalidError, ProjectMissingError, StorageError, UsageError
from bmw_mentor.files import ledger, locking
from bmw_mentor.files.textsafe import clean
from bmw_mentor.matching import names, participants, reading
from bmw_mentor.matching.participants import Participant, Role
from bmw_mentor.matching.reading import Sheet
from bmw_mentor.messages import guess_language, msg, number_text
from bmw_mentor.projectfile.project import Project

_TERMS = ("mentor", "mentors", "mentee", "mentees")


def make_console(stderr: bool = False) -> Console:
    return Console(highlight=False, stderr=stderr)


@dataclass
class Context:
    project_path: Path
    project: Project | None
    lang: str

    @property
    def answers(self) -> dict[str, Any]:
        return self.project.lookup() if self.project else {}

    @property
    def terms(self) -> dict[str, str]:
        return {k: v for k in _TERMS if isinstance(v := self.answers.get(k), str) and v.strip()}

    @property
    def role_words(self) -> dict[str, Role]:
        words: dict[str, Role] = {}
        for term, role in (("mentor", "mentor"), ("mentors", "mentor"), ("mentee", "mentee"), ("mentees", "mentee")):
            if term in self.terms:
                words[self.terms[term]] = role  # type: ignore[assignment]
        return words

    @property
    def store(self) -> Path:
        return participants.store_path(self.project_path)

    def options(self, columns: list[str] | None = None, sheet: str | None = None) -> reading.Options:
        """How to read a sheet: the project's words, its kept column mapping plus ``--column``."""
        from bmw_mentor.matching import columns as cols

        mapping = dict(self.project.columns) if self.project else {}
        mapping.update(cols.parse_mapping(columns or [], self.lang))
        return reading.Options(role_words=self.role_words, terms=self.terms, mapping=mapping, sheet=sheet)

    def keep_columns(self, columns: list[str]) -> None:
        """Remember a ``--column`` mapping in the project file, for the next sheet."""
        from bmw_mentor.matching import columns as cols
        from bmw_mentor.projectfile import project as project_file

        if not columns or self.project is None:
            return
        given = cols.parse_mapping(columns, self.lang)
        with locking.locked(self.project_path, self.lang):
            # read again under the lock: what another terminal saved meanwhile stays
            current = project_file.load(self.project_path) if self.project_path.exists() else self.project
            replaced = {participants.header_key(h) for h in given}
            kept = {k: v for k, v in current.columns.items() if participants.header_key(k) not in replaced}
            current.columns = {**kept, **given}
            project_file.save(current, self.project_path)
        self.project = current
        make_console().print(f"[dim]{escape(msg('column_kept', self.lang, path=self.project_path))}[/]")


def load_context(project_path: Path, lang: str | None = None) -> Context:
    from bmw_mentor.projectfile import project as project_file

    project = project_file.load(project_path) if project_path.exists() else None
    chosen = lang or (project.language if project else guess_language())
    return Context(project_path, project, chosen)


def _warn_bad_rows(sheet: Sheet, lang: str) -> None:
    """Columns not used, names read as someone else, and skipped rows on stderr; plain notes on stdout."""
    err = make_console(stderr=True)
    for line in [*sheet.warnings, *sheet.bad_lines(lang)]:
        err.print(f"[yellow]{escape(clean(line))}[/]", soft_wrap=True)
    if sheet.bad:
        skipped = msg("count_rows_skipped", lang, n=len(sheet.bad))
        read = msg("count_people_read", lang, n=len(sheet.people))
        err.print(msg("participants_bad_summary", lang, skipped=skipped, read=read), soft_wrap=True)
    if sheet.notes:
        out = make_console()
        for line in sheet.notes:
            out.print(f"[dim]{escape(clean(line))}[/]", soft_wrap=True)


# -- mentor participants ------------------------------------------------------
def participants_add(
    project_path: Path,
    name: str | None,
    values: Mapping[str, str | None],
    source: Path | None,
    *,
    columns: list[str] | None = None,
    sheet_name: str | None = None,
) -> None:
    """Add people to the local participants file, one by options or many from a spreadsheet."""
    ctx = load_context(project_path)
    lang = ctx.lang
    if (name is None) == (source is None):
        raise UsageError(msg("participants_add_usage", lang))
    options = ctx.options(columns, sheet_name)
    current = reading.load_store(ctx.store, lang, options)
    if source is not None:
        sheet = reading.read(source, lang, options, check_names=False)
        if not sheet.people:
            _warn_bad_rows(sheet, lang)
            raise ParticipantsInvalidError(msg("participants_none_usable", lang, path=source))
        # names are checked against everyone on the list, not only the new file
        merged = participants.merge(current.people, sheet.people)[0]
        new_keys = {p.key for p in sheet.people}
        sheet.warnings += names.check_managers(merged, lang, str(source), only=new_keys).warnings
        _warn_bad_rows(sheet, lang)
        new = sheet.people
        ledger.note_source(ctx.project_path.parent, source)
        ctx.keep_columns(columns or [])
    else:
        cells = {k: v for k, v in values.items() if v is not None}
        cells["name"] = name or ""
        person, reasons = participants.build(cells, lang, _roles(ctx))
        if person is None:
            raise ParticipantsInvalidError(msg("participants_add_invalid", lang, reasons="; ".join(reasons)))
        new = [person]
    with locking.locked(ctx.store, lang):
        # read, changed and written under the lock: two `participants add` at once both count
        current = reading.load_store_to_change(ctx.store, lang, options)
        people, added, replaced = participants.merge(current.people, new)
        participants.save_store(ctx.store, people, lang)
    make_console().print(msg("participants_added", lang, added=added, replaced=replaced, path=escape(str(ctx.store))))


def _roles(ctx: Context) -> dict[str, Role]:
    roles = dict(participants.vocabulary().roles)
    for word, role in ctx.role_words.items():
        roles.setdefault(participants.word_key(word), role)
    return roles


def participants_list(project_path: Path, role: str | None) -> None:
    ctx = load_context(project_path)
    lang = ctx.lang
    sheet = reading.load_store(ctx.store, lang, ctx.options())
    sheet.notes = []  # what the list leaves out is shown below, not the managers outside it
    _warn_bad_rows(sheet, lang)
    people = [p for p in sheet.people if role is None or p.role == role or (p.role == "both")]
    console = make_console()
    if not people:
        console.print(msg("participants_empty_store", lang, path=escape(str(ctx.store))))
        return
    vocab = participants.vocabulary()
    rows = [_cells(p, lang, ctx.terms) for p in people]
    headers = [vocab.header(f, lang) for f in participants.FIELDS]
    # columns nobody filled in only take room; the others come in order of use until the screen is full
    filled = [k for k in _LIST_ORDER if k < 2 or any(row[k] for row in rows)]
    shown, left_out = _fit_columns(filled, headers, rows, console.width)
    table = Table(title=msg("participants_title", lang, n=len(people)), title_justify="left")
    for k in sorted(shown):
        # never narrower than its longest word, so that words are wrapped between, not inside
        table.add_column(headers[k], min_width=_longest_word([headers[k], *(row[k] for row in rows)]))
    for row in rows:
        table.add_row(*[escape(clean(row[k])) for k in sorted(shown)])
    console.print(table)
    if left_out:
        names = ", ".join(headers[k] for k in sorted(left_out))
        console.print(f"[dim]{escape(msg('participants_columns_left_out', lang, columns=names))}[/]")
    console.print(f"[dim]{escape(str(ctx.store))}[/]")


# The order in which columns get room in `participants list`: the most useful first.
_LIST_ORDER = (0, 1, 2, 4, 7, 8, 3, 5, 6, 9)


def _longest_word(texts: list[str]) -> int:
    return max((len(word) for text in texts for word in text.split()), default=1)


def _fit_columns(
    order: list[int], headers: list[str], rows: list[list[str]], width: int
) -> tuple[list[int], list[int]]:
    """The columns that fit ``width`` without breaking a word, in order of use, and those left out."""
    shown: list[int] = []
    used = 1  # the table's left border
    for k in order:
        need = _longest_word([headers[k], *(row[k] for row in rows)]) + 3  # padding and a border
        if used + need <= width or len(shown) < 2:
            shown.append(k)
            used += need
    return shown, [k for k in order if k not in shown]


def _cells(p: Participant, lang: str, terms: Mapping[str, str] | None = None) -> list[str]:
    vocab = participants.vocabulary()
    years = "" if p.years is None else number_text(p.years, lang)
    own = (terms or {}).get(p.role, "") if p.role != "both" else ""
    return [
        p.name,
        own or vocab.role_label(p.role, lang),
        p.department,
        years,
        p.line_manager,
        ", ".join(p.wants),
        ", ".join(p.offers),
        ", ".join(vocab.language_name(c, lang) for c in p.languages),
        "" if p.capacity is None else str(p.capacity),
        ", ".join(p.availability),
    ]


def participants_remove(project_path: Path, name: str) -> None:
    name = " ".join(name.split())
    ctx = load_context(project_path)
    lang = ctx.lang
    with locking.locked(ctx.store, lang):
        sheet = reading.load_store_to_change(ctx.store, lang, ctx.options())
        key = participants.name_key(name)
        kept = [p for p in sheet.people if p.key != key]
        if len(kept) == len(sheet.people):
            hint = _did_you_mean(name, sheet.people, lang)
            raise UsageError(msg("participants_not_listed", lang, name=name, hint=hint))
        participants.save_store(ctx.store, kept, lang)
    make_console().print(msg("participants_removed", lang, name=escape(clean(name)), path=escape(str(ctx.store))))


def _did_you_mean(name: str, people: list[Participant], lang: str) -> str:
    close = difflib.get_close_matches(name, [p.name for p in people], n=3, cutoff=0.6)
    return msg("forget_did_you_mean", lang, names=", ".join(close)) if close else ""


# -- mentor match -----------------------------------------------------------------
def match(
    project_path: Path,
    source: Path | None,
    *,
    outs: list[Path],
    save: bool,
    pins: list[str],
    forbids: list[str],
    config: Path | None,
    sets: list[str],
    gap: str | None,
    off: list[str],
    focus: str | None,
    keep_saved: bool,
    strict: bool,
    lang: str | None,
    force: bool = False,
    columns: list[str] | None = None,
    sheet_name: str | None = None,
    why: bool = False,
) -> None:
    """Suggest pairs for the whole group, show them, and write or store them on request."""
    from bmw_mentor.files.atomic import write_atomic
    from bmw_mentor.matching import explain as matching
    from bmw_mentor.matching import rules as matchrules
    from bmw_mentor.matching import sheet as matchsheet
    from bmw_mentor.projectfile import project as project_file
    from bmw_mentor.projectfile.project import Pair

    ctx = load_context(project_path, lang)
    lang = ctx.lang
    formats = []
    for out in outs:
        fmt = matchsheet.format_of(out)
        if fmt is None:
            raise UsageError(msg("match_bad_out", lang, path=out))
        folder = out.parent if str(out.parent) else Path(".")
        if not folder.is_dir():
            raise StorageError(msg("match_out_folder", lang, path=out, folder=folder))
        formats.append(fmt)
    _refuse_outs(ctx, source, outs, force)
    if save and ctx.project is None:
        raise ProjectMissingError(msg("match_save_no_project", lang, path=project_path))

    options = ctx.options(columns, sheet_name)
    if source is not None:
        sheet = reading.read(source, lang, options)
        ledger.note_source(ctx.project_path.parent, source)
        ctx.keep_columns(columns or [])
    else:
        sheet = reading.load_store(ctx.store, lang, options)
        if not sheet.people and not sheet.bad:
            raise ParticipantsInvalidError(msg("match_no_participants", lang, path=ctx.store))
    if strict and sheet.bad:
        first = sheet.bad_lines(lang)[0]
        raise ParticipantsInvalidError(msg("match_strict", lang, first=first, n=len(sheet.bad)))
    _warn_bad_rows(sheet, lang)
    if not sheet.people:
        raise ParticipantsInvalidError(msg("participants_none_usable", lang, path=sheet.source))

    pin_pairs = [_pair(p, "--pin", lang) for p in pins]
    if keep_saved and ctx.project is not None:
        pin_pairs += _saved_pins(ctx.project, sheet.people, pin_pairs, lang)
    forbid_pairs = [_pair(p, "--forbid", lang) for p in forbids]

    resolved = matchrules.resolve(ctx.answers, lang, focus=focus, config=config, sets=sets, gap=gap, off=off)
    words = matchrules.Words(lang, ctx.terms)
    result = matching.match(
        sheet.people,
        resolved.settings,
        words,
        pins=pin_pairs,
        forbids=forbid_pairs,
        rules=matchrules.summary(resolved, words),
    )
    console = make_console()
    matchsheet.show(result, words, console, sheet_asked=bool(outs), why=why)

    data = matchsheet.sheet_data(result, words, org=str(ctx.answers.get("org_name") or ""))
    sheets = [(out, fmt, matchsheet.render(data, fmt)) for out, fmt in zip(outs, formats)]
    if not sheets and not save:
        if ctx.project is not None:
            console.print(f"[dim]{msg('match_save_hint', lang)}[/]")
        return
    folder = ctx.project_path.parent
    with locking.locked(ctx.project_path, lang):
        # recorded first, written next: a crash or a full disk in between leaves each sheet
        # recorded (and absent, or as it was), never written and unknown to `mentor forget`
        ledger.note_sheets(folder, data, sheets)
        try:
            for out, _, content in sheets:
                write_atomic(out, content)
                console.print(msg("match_written", lang, path=escape(str(out))))
        finally:
            ledger.settle(folder, [out for out, _, _ in sheets])
        if save and ctx.project is not None:
            # read again under the lock: an answer given meanwhile in another terminal stays
            current = project_file.load(ctx.project_path) if ctx.project_path.exists() else ctx.project
            current.pairs = [
                Pair(mentor=p.mentor, mentee=p.mentee, score=p.score, reasons=list(p.reasons)) for p in result.pairs
            ]
            current.pool = _pool(sheet.people, result, resolved.settings.capacity_default)
            project_file.save(current, ctx.project_path)
            console.print(msg("match_saved", lang, n=len(result.pairs), path=escape(str(ctx.project_path))))
        elif ctx.project is not None:
            console.print(f"[dim]{msg('match_save_hint', lang)}[/]")


def _refuse_outs(ctx: Context, source: Path | None, outs: list[Path], force: bool) -> None:
    """A sheet never replaces the spreadsheet it is made from, mentor's own files, or a file mentor did not write."""
    from bmw_mentor.projectfile import project as project_file

    own = [ctx.project_path, ctx.store, ledger.index_path(ctx.project_path.parent)]
    own += project_file.backups(ctx.project_path)
    for out in outs:
        if not (out.exists() or out.is_symlink()):
            continue
        if source is not None and _same(out, source):
            raise UsageError(msg("match_out_is_input", ctx.lang, path=out))
        if any(_same(out, mine) for mine in own):
            raise UsageError(msg("match_out_is_own", ctx.lang, path=out))
        if not force and not ledger.written_by_mentor(ctx.project_path.parent, out):
            raise UsageError(msg("out_not_ours", ctx.lang, path=out))


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and a.samefile(b))
    except OSError:
        return False


def _pool(people: list[Participant], result: Any, default: int) -> Any:
    """What `mentor check` and the estimate need from the list behind the saved pairs: counts, no names."""
    from bmw_mentor.projectfile.project import Pool

    paired = {participants.name_key(p.mentee) for p in result.pairs}
    mentees = [p for p in people if p.role == "mentee"]
    mentors = [p for p in people if p.is_mentor]
    return Pool(
        mentees=len(mentees),
        mentors=len(mentors),
        places=sum(default if p.capacity is None else p.capacity for p in mentors),
        unmatched_mentees=sum(1 for p in mentees if p.key not in paired),
    )


def _pair(text: str, option: str, lang: str) -> tuple[str, str]:
    mentor, sep, mentee = text.partition("=")
    if not sep or not mentor.strip() or not mentee.strip():
        raise UsageError(msg("match_bad_pair", lang, option=option, value=participants.display(text)))
    return " ".join(mentor.split()), " ".join(mentee.split())


def _saved_pins(
    project: Project, people: list[Participant], already: list[tuple[str, str]], lang: str
) -> list[tuple[str, str]]:
    """Pairs stored earlier, kept as they are where both people are still on the list."""
    present = {p.key for p in people}
    pinned = {participants.name_key(mentee) for _, mentee in already}
    out: list[tuple[str, str]] = []
    for pair in project.pairs:
        mentor, mentee = participants.name_key(pair.mentor), participants.name_key(pair.mentee)
        if mentee in pinned:
            continue
        if mentor in present and mentee in present:
            out.append((pair.mentor, pair.mentee))
            pinned.add(mentee)
        else:
            make_console(stderr=True).print(
                msg(
                    "match_saved_pair_dropped",
                    lang,
                    mentor=escape(clean(pair.mentor)),
                    mentee=escape(clean(pair.mentee)),
                )
            )
    return out

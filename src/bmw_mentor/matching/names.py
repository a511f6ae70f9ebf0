"""Names checked against each other: a line manager written a little differently from a participant.

The reporting-line rule follows the line-manager column. A typo there ("Dirk
Peters" for "Dirk Peeters"), a missing accent or a swapped first and last name
would silently break it, so a manager who is not on the list is compared with
everyone who is. When one name is clearly meant, the rule uses that person and
a warning names both spellings; otherwise a note says the line stops there.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from bmw_mentor.matching.participants import Participant, name_key, vocabulary
from bmw_mentor.messages import msg


@dataclass
class NameCheck:
    """The people with their managers resolved, and what to tell the user."""

    people: list[Participant]
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def loose_key(name: str) -> str:
    """A name without case, accents or punctuation, its parts in order."""
    decomposed = unicodedata.normalize("NFKD", name_key(name))
    plain = "".join(ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.split())


def _sorted_parts(key: str) -> str:
    return " ".join(sorted(key.split()))


def closest(name: str, candidates: Iterable[Participant]) -> list[Participant]:
    """The participants ``name`` most likely means: an accent, the order of the parts, or a typo apart."""
    loose = loose_key(name)
    people = list(candidates)
    same = [p for p in people if loose_key(p.name) == loose]
    if same:
        return same
    swapped = [p for p in people if _sorted_parts(loose_key(p.name)) == _sorted_parts(loose)]
    if swapped:
        return swapped
    cutoff = vocabulary().closeness["manager"]
    scored: list[tuple[float, Participant]] = []
    matcher = difflib.SequenceMatcher(b=loose, autojunk=False)
    for p in people:
        matcher.set_seq1(loose_key(p.name))
        if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
            continue
        ratio = matcher.ratio()
        if ratio >= cutoff:
            scored.append((ratio, p))
    if not scored:
        return []
    best = max(r for r, _ in scored)
    # two names about as close are a guess too many: name both, choose neither
    return [p for r, p in sorted(scored, key=lambda s: -s[0]) if best - r < 0.02]


def check_managers(
    people: list[Participant], lang: str, source: str = "", only: set[str] | None = None
) -> NameCheck:
    """Resolve line managers who are not on the list but clearly mean someone who is.

    With ``only``, the people checked are those (by name key); the others still count as names.
    """
    known = {p.key for p in people}
    result = NameCheck(people=[])
    absent: dict[str, str] = {}
    guesses: dict[str, list[Participant]] = {}
    for p in people:
        manager = p.line_manager
        if not manager or name_key(manager) in known or (only is not None and p.key not in only):
            result.people.append(p)
            continue
        key = name_key(manager)
        if key not in guesses:
            guesses[key] = [c for c in closest(manager, people) if c.key != p.key]
        found = [c for c in guesses[key] if c.key != p.key]
        where = msg("names_line", lang, source=source, line=p.line) if p.line else ""
        if len(found) == 1:
            result.people.append(replace(p, manager_read_as=found[0].name))
            result.warnings.append(
                msg("names_manager_read_as", lang, where=where, written=manager, name=p.name, meant=found[0].name)
            )
        elif found:
            result.people.append(p)
            result.warnings.append(
                msg(
                    "names_manager_unclear",
                    lang,
                    where=where,
                    written=manager,
                    name=p.name,
                    options=" / ".join(f"'{c.name}'" for c in found),
                )
            )
        else:
            result.people.append(p)
            absent.setdefault(key, manager)
    if absent:
        result.notes.append(msg("names_managers_absent", lang, names=", ".join(absent.values())))
    return result

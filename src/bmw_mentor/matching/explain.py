"""Turning an assignment into plain words: reasons, pairs to look at again, and who was not chosen.

Every sentence comes from ``checklists/matching.yaml``. Names never appear in
those sentences: a pair and the mentors not chosen for it are kept as names in
their own fields, so that ``mentor forget`` can take a person out of a sheet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from bmw_mentor.matching.assign import _EPS, Assignment, Problem, solve
from bmw_mentor.matching.participants import Participant, tag_key, vocabulary, word_key
from bmw_mentor.matching.rules import PAIR_RULES, GapSettings, Settings, Words

# Rows of mentees handled at once when looking for the mentors not chosen (keeps memory flat).
_CHUNK = 512


@dataclass(frozen=True)
class NotChosen:
    """Mentors who score better for a mentee but were excluded, and why (one reason for all of them)."""

    names: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class PairResult:
    """One suggested pair, with its score (0-100), the reasons, and what to look at again."""

    mentor: str
    mentee: str
    score: float
    reasons: tuple[str, ...]
    pinned: bool = False
    flags: tuple[str, ...] = ()
    not_chosen: tuple[NotChosen, ...] = ()


@dataclass(frozen=True)
class Unmatched:
    name: str
    role: str
    reason: str
    not_chosen: tuple[NotChosen, ...] = ()


@dataclass
class Result:
    pairs: list[PairResult]
    unmatched: list[Unmatched]
    total: float
    rules: list[str] = field(default_factory=list)

    @property
    def average(self) -> float | None:
        return sum(p.score for p in self.pairs) / len(self.pairs) if self.pairs else None

    @property
    def weak(self) -> int:
        """How many pairs are marked to look at again."""
        return sum(1 for p in self.pairs if p.flags)


def explain(problem: Problem, assignment: Assignment, words: Words, rules: list[str] | None = None) -> Result:
    """Turn an assignment into pairs with reasons, and the unmatched people with why."""
    pinned = {(i, j) for i, j, _ in problem.pinned}
    load = Counter(j for _, j, _ in assignment)
    order = {p.key: k for k, p in enumerate(problem.people)}
    partner = {i: j for i, j, _ in assignment}
    passed_over = _not_chosen(problem, partner, load, words)
    pairs: list[PairResult] = []
    for i, j, _ in sorted(
        assignment, key=lambda a: (order[problem.mentors[a[1]].key], order[problem.mentees[a[0]].key])
    ):
        mentee, mentor = problem.mentees[i], problem.mentors[j]
        reasons: list[str] = []
        if (i, j) in pinned:
            reasons.append(words.rule("pinned", ""))
        for rule_id in PAIR_RULES:
            if problem.settings.rule(rule_id).counts or (rule_id == "reporting_line" and problem.inline[i, j]):
                reasons.append(_reason(problem, rule_id, i, j, words))
        if load[j] > 1 and problem.settings.load_spreading.enabled:
            reasons.append(words.rule("load_spreading", "shared_load", n=load[j]))
        # someone listed as both could have been on either side: say which side they take here
        if mentee.role == "both":
            reasons.append(words.rule("both", "as_mentee"))
        if mentor.role == "both":
            reasons.append(words.rule("both", "as_mentor"))
        score = round(float(problem.fit(i)[j]), 1)
        pairs.append(
            PairResult(
                mentor=mentor.name,
                mentee=mentee.name,
                score=score,
                reasons=tuple(reasons),
                pinned=(i, j) in pinned,
                flags=tuple(flags(problem, i, j, score, words)),
                not_chosen=passed_over.get(i, ()),
            )
        )
    return Result(
        pairs=pairs,
        unmatched=_unmatched(problem, assignment, words, passed_over),
        total=problem.value(assignment)[1],
        rules=rules or [],
    )


def flags(problem: Problem, i: int, j: int, score: float, words: Words) -> list[str]:
    """Why a pair deserves a second look: a low score, a must-have it misses, or the reporting line."""
    s = problem.settings
    out: list[str] = []
    if score < s.weak_score - _EPS:
        out.append(words.rule("weak", "low_score", n=words.number(s.weak_score)))
    for rule_id in s.must_have:
        broken = problem.broken.get(rule_id)
        if broken is not None and broken[i, j]:
            out.append(words.rule(rule_id, "flag"))
    if problem.inline[i, j] and "reporting_line" not in s.must_have:
        # allowed only because the rule is off (with it on, the pair could not exist)
        out.append(words.rule("reporting_line", "flag"))
    return out


def _causes(problem: Problem, rows: slice, full: np.ndarray) -> np.ndarray:
    """For each pair in ``rows``: 0 when not excluded, else 1 + the index of the first reason in ``_CAUSES``."""
    n = rows.stop - rows.start
    cause = np.zeros((n, problem.m), np.int8)
    masks: list[np.ndarray] = [problem.unmet[r][rows] if r in problem.unmet else None for r in PAIR_RULES]  # type: ignore[misc]
    masks += [problem.forbidden[rows], problem.below_min[rows]]
    masks += [np.broadcast_to(problem.capacity == 0, (n, problem.m)), np.broadcast_to(full, (n, problem.m))]
    # the first reason wins: fill from the last one backwards
    for k in range(len(masks) - 1, -1, -1):
        if masks[k] is not None:
            cause[masks[k]] = k + 1
    cause[problem.is_self[rows]] = 0
    return cause


def _cause_text(k: int, problem: Problem, words: Words) -> str:
    if k < len(PAIR_RULES):
        return words.rule(PAIR_RULES[k], "flag")
    return words.rule("why_not", ("forbidden", "min_score", "no_places", "full")[k - len(PAIR_RULES)])


def _not_chosen(
    problem: Problem, partner: dict[int, int], load: Counter[int], words: Words
) -> dict[int, tuple[NotChosen, ...]]:
    """For each mentee, the best-scoring mentors that were excluded (by a hard rule or a full capacity)."""
    limit = problem.settings.why_not_names
    out: dict[int, tuple[NotChosen, ...]] = {}
    if limit == 0 or problem.m == 0 or problem.n == 0:
        return out
    full = np.array([load[j] >= problem.capacity[j] > 0 for j in range(problem.m)], bool)
    chosen = np.array([partner.get(i, -1) for i in range(problem.n)])
    for start in range(0, problem.n, _CHUNK):
        rows = slice(start, min(start + _CHUNK, problem.n))
        cause = _causes(problem, rows, full)
        fit = problem.fit(rows)
        bar = np.where(chosen[rows] >= 0, fit[np.arange(fit.shape[0]), np.maximum(chosen[rows], 0)], -np.inf)
        better = (cause > 0) & (fit > bar[:, None] + _EPS)
        for r in np.flatnonzero(better.any(axis=1)):
            candidates = np.flatnonzero(better[r])
            top = candidates[np.argsort(-fit[r, candidates], kind="stable")[:limit]]
            groups: dict[int, list[str]] = {}
            for j in top:
                groups.setdefault(int(cause[r, j]) - 1, []).append(problem.mentors[j].name)
            out[start + int(r)] = tuple(
                NotChosen(names=tuple(names), why=_cause_text(k, problem, words)) for k, names in groups.items()
            )
    return out


def _reason(problem: Problem, rule_id: str, i: int, j: int, words: Words) -> str:
    """One rule's sentence about one pair (the same judgement the score matrix made)."""
    e, m = problem.mentees[i], problem.mentors[j]
    rule = problem.settings.rule(rule_id)
    lang = words.lang
    if rule_id == "experience_gap":
        assert isinstance(rule, GapSettings)
        if e.years is None or m.years is None:
            return words.rule(rule_id, "unknown")
        gap = m.years - e.years
        params = {"gap": words.number(gap), "min": words.number(rule.min_years), "max": words.number(rule.max_years)}
        if gap < rule.min_years - _EPS:
            return words.rule(rule_id, "reversed" if gap <= 0 else "too_small", **params)
        if gap > rule.max_years + _EPS:
            return words.rule(rule_id, "too_large", **params)
        return words.rule(rule_id, "in_range", **params)
    if rule_id == "reporting_line":
        if problem.inline[i, j]:
            return words.rule(rule_id, "in_line" if rule.enabled else "allowed_off")
        return words.rule(rule_id, "clear" if problem.line_known[i, j] else "unknown")
    if rule_id == "department":
        if not e.department or not m.department:
            return words.rule(rule_id, "unknown")
        same = word_key(e.department) == word_key(m.department)
        mode = rule.mode  # type: ignore[attr-defined]
        met = same if mode == "same" else not same
        return words.rule(
            rule_id,
            f"{mode}_{'met' if met else 'unmet'}",
            department=m.department,
            mentor_department=m.department,
            mentee_department=e.department,
        )
    if rule_id == "learning":
        if not e.wants or not m.offers:
            return words.rule(rule_id, "unknown")
        offers = {tag_key(t) for t in m.offers}
        shared = [t for t in e.wants if tag_key(t) in offers]
        missing = [t for t in e.wants if tag_key(t) not in offers]
        key = "full" if not missing else ("partial" if shared else "none")
        return words.rule(
            rule_id, key, shared=words.join(shared), missing=words.join(missing), wants=words.join(e.wants)
        )
    if rule_id == "language":
        if not e.languages or not m.languages:
            return words.rule(rule_id, "unknown")
        vocab = vocabulary()
        shared = [vocab.language_name(c, lang) for c in e.languages if c in m.languages]
        return words.rule(rule_id, "shared" if shared else "none", shared=words.join(shared))
    # availability
    if not e.availability or not m.availability:
        return words.rule(rule_id, "unknown")
    available = {tag_key(t) for t in m.availability}
    shared = [t for t in e.availability if tag_key(t) in available]
    return words.rule(rule_id, "shared" if shared else "none", shared=words.join(shared))


def _unmatched(
    problem: Problem, assignment: Assignment, words: Words, passed_over: dict[int, tuple[NotChosen, ...]]
) -> list[Unmatched]:
    matched_mentees = {i for i, _, _ in assignment}
    matched_mentors = {j for _, j, _ in assignment}
    in_pair = {problem.mentees[i].key for i in matched_mentees} | {problem.mentors[j].key for j in matched_mentors}
    out: list[Unmatched] = []
    for person in problem.people:
        if person.key in in_pair:
            continue
        reasons: list[str] = []
        if person.is_mentee:
            reasons.append(_mentee_reason(problem, problem._mentee_at[person.key], words))
        if person.is_mentor:
            reasons.append(_mentor_reason(problem, problem._mentor_at[person.key], words))
        if len(reasons) == 2:
            reason = " ".join(
                [words.unmatched("as_mentee", reason=reasons[0]), words.unmatched("as_mentor", reason=reasons[1])]
            )
        else:
            reason = reasons[0]
        i = problem.mentee_at(person.key)
        out.append(
            Unmatched(name=person.name, role=person.role, reason=reason, not_chosen=passed_over.get(i, ()) if i >= 0 else ())
        )
    return out


def _details(problem: Problem, others: np.ndarray, cut: tuple[slice | int, slice | int], words: Words) -> str:
    """Why the candidates in ``others`` were ruled out, as counts per rule."""
    parts: list[str] = []
    for rule_id, unmet in problem.unmet.items():
        n = int((unmet[cut] & others).sum())
        if n:
            key = "excluded"
            if rule_id == "department":
                key = f"excluded_{problem.settings.department.mode}"
            parts.append(words.rule(rule_id, key, n=n))
    for name, mask in (("forbidden", problem.forbidden), ("min_score", problem.below_min)):
        n = int((mask[cut] & others).sum())
        if n:
            parts.append(words.rule(name, "excluded", n=n))
    return words.join(parts)


def _mentee_reason(problem: Problem, i: int, words: Words) -> str:
    if problem.m == 0:
        return words.unmatched("no_mentors")
    others = ~problem.is_self[i]
    fits = problem.allowed[i] & (problem.capacity > 0)
    if not fits.any():
        details = _details(problem, others, (i, slice(None)), words)
        no_places = int((problem.allowed[i] & (problem.capacity == 0)).sum())
        if no_places:
            extra = words.rule("capacity", "excluded", n=no_places)
            details = f"{details}, {extra}" if details else extra
        return words.unmatched("mentee_ruled_out", details=details)
    count = int(fits.sum())
    return words.unmatched("mentee_full_one") if count == 1 else words.unmatched("mentee_full", n=count)


def _mentor_reason(problem: Problem, j: int, words: Words) -> str:
    if problem.capacity[j] == 0:
        return words.unmatched("mentor_no_capacity")
    if problem.n == 0 or not (~problem.is_self[:, j]).any():
        return words.unmatched("no_mentees")
    if not problem.allowed[:, j].any():
        others = ~problem.is_self[:, j]
        return words.unmatched("mentor_ruled_out", details=_details(problem, others, (slice(None), j), words))
    return words.unmatched("mentor_not_needed")


def match(
    people: Sequence[Participant],
    settings: Settings,
    words: Words,
    *,
    pins: Iterable[tuple[str, str]] = (),
    forbids: Iterable[tuple[str, str]] = (),
    rules: list[str] | None = None,
) -> Result:
    """Score, solve and explain in one call."""
    problem = Problem(people, settings, pins=pins, forbids=forbids, lang=words.lang)
    return explain(problem, solve(problem), words, rules)

"""Scoring every possible pair and choosing the best set of pairs for the whole group.

Every rule is scored for all mentee × mentor combinations at once (numpy). The
mentors are then expanded into one column per place they can offer, the 2nd,
3rd, ... place of a mentor costing a little more (load spreading), and
:func:`scipy.optimize.linear_sum_assignment` picks the set of pairs with the
highest total score among those that match as many people as the rules allow.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from bmw_mentor.errors import UsageError
from bmw_mentor.matching.participants import Participant, name_key, tag_key, vocabulary, word_key
from bmw_mentor.matching.rules import PAIR_RULES, GapSettings, Settings, Words
from bmw_mentor.messages import msg

_EPS = 1e-9


@dataclass(frozen=True)
class PairResult:
    """One suggested pair, with its score (0-100) and the reasons in plain language."""

    mentor: str
    mentee: str
    score: float
    reasons: tuple[str, ...]
    pinned: bool = False


@dataclass(frozen=True)
class Unmatched:
    name: str
    role: str
    reason: str


@dataclass
class Result:
    pairs: list[PairResult]
    unmatched: list[Unmatched]
    total: float
    rules: list[str] = field(default_factory=list)

    @property
    def average(self) -> float | None:
        return sum(p.score for p in self.pairs) / len(self.pairs) if self.pairs else None


# An assignment: (mentee index, mentor index, place of the mentor, 0-based).
Assignment = list[tuple[int, int, int]]


class Problem:
    """The group to match, with every pair scored and checked against the hard rules."""

    def __init__(
        self,
        people: Sequence[Participant],
        settings: Settings,
        *,
        pins: Iterable[tuple[str, str]] = (),
        forbids: Iterable[tuple[str, str]] = (),
        lang: str = "en",
    ) -> None:
        self.people = list(people)
        self.settings = settings
        self.lang = lang
        self.mentees = [p for p in self.people if p.is_mentee]
        self.mentors = [p for p in self.people if p.is_mentor]
        self.n, self.m = len(self.mentees), len(self.mentors)
        self.capacity = np.array(
            [p.capacity if p.capacity is not None else settings.capacity_default for p in self.mentors], dtype=np.int64
        )
        self._mentee_at = {p.key: i for i, p in enumerate(self.mentees)}
        self._mentor_at = {p.key: j for j, p in enumerate(self.mentors)}
        self.is_self = self._self_mask()
        self.inline, self.line_known = self._reporting_line()
        self.raw = np.zeros((self.n, self.m))
        self.unmet: dict[str, np.ndarray] = {}
        for rule_id in PAIR_RULES:
            rule = settings.rule(rule_id)
            if not rule.counts:
                continue
            score, unmet = self._rule(rule_id)
            if rule.weight:
                self.raw += rule.weight * score
            if rule.hard:
                self.unmet[rule_id] = unmet
        total = settings.total_weight
        self.fit = self.raw / total * 100 if total > 0 else np.full((self.n, self.m), 100.0)
        self.below_min = (
            self.fit < settings.min_score - _EPS if settings.min_score > 0 else np.zeros((self.n, self.m), bool)
        )
        self.forbidden = np.zeros((self.n, self.m), bool)
        for mentor, mentee in forbids:
            j, i = self._mentor_index(mentor, mentee, "--forbid"), self._mentee_index(mentor, mentee, "--forbid")
            self.forbidden[i, j] = True
        blocked = self.is_self | self.forbidden | self.below_min
        for unmet in self.unmet.values():
            blocked |= unmet
        self.allowed = ~blocked
        self.pinned = self._pins(list(pins))

    # -- building ---------------------------------------------------------
    def _self_mask(self) -> np.ndarray:
        mask = np.zeros((self.n, self.m), bool)
        for i, p in enumerate(self.mentees):
            j = self._mentor_at.get(p.key)
            if j is not None:
                mask[i, j] = True
        return mask

    def _reporting_line(self) -> tuple[np.ndarray, np.ndarray]:
        """Who is above whom, following the line-manager column as far as the list goes.

        Each person's managers are found once and shared with everyone below them (as
        bit sets), so a long chain costs time in proportion to its length, not its square.
        """
        manager = {p.key: p.manager_key for p in self.people if p.line_manager}
        mentors_above = _above(manager, self._mentor_at)
        mentees_above = _above(manager, self._mentee_at)
        inline = np.zeros((self.n, self.m), bool)
        for i, p in enumerate(self.mentees):
            bits = mentors_above.get(p.key, 0)
            if bits:
                inline[i, :] |= _unpack(bits, self.m)
        for j, p in enumerate(self.mentors):
            bits = mentees_above.get(p.key, 0)
            if bits:
                inline[:, j] |= _unpack(bits, self.n)
        has_e = np.array([bool(p.line_manager) for p in self.mentees], bool)
        has_m = np.array([bool(p.line_manager) for p in self.mentors], bool)
        known = has_e[:, None] | has_m[None, :] | inline
        return inline, known

    def _rule(self, rule_id: str) -> tuple[np.ndarray, np.ndarray]:
        """The score (0-1) of every pair for one rule, and where the rule is clearly broken."""
        rule = self.settings.rule(rule_id)
        if rule_id == "experience_gap":
            assert isinstance(rule, GapSettings)
            ye = np.array([np.nan if p.years is None else p.years for p in self.mentees], float)
            ym = np.array([np.nan if p.years is None else p.years for p in self.mentors], float)
            gap = ym[None, :] - ye[:, None]
            known = ~np.isnan(gap)
            gap = np.where(known, gap, 0.0)
            outside = np.maximum(rule.min_years - gap, 0) + np.maximum(gap - rule.max_years, 0)
            score = np.clip(1 - outside / rule.soft_years, 0, 1)
            unmet = known & (outside > _EPS)
        elif rule_id == "reporting_line":
            known = self.line_known
            score = (~self.inline).astype(float)
            unmet = self.inline
        elif rule_id == "department":
            codes: dict[str, int] = {}
            de = np.array(
                [codes.setdefault(word_key(p.department), len(codes)) if p.department else -1 for p in self.mentees]
            )
            dm = np.array(
                [codes.setdefault(word_key(p.department), len(codes)) if p.department else -1 for p in self.mentors]
            )
            known = (de >= 0)[:, None] & (dm >= 0)[None, :]
            same = de[:, None] == dm[None, :]
            score = (same if rule.mode == "same" else ~same).astype(float)  # type: ignore[attr-defined]
            unmet = known & (score == 0)
        else:
            rows, cols = {
                "learning": ([p.wants for p in self.mentees], [p.offers for p in self.mentors]),
                "language": ([p.languages for p in self.mentees], [p.languages for p in self.mentors]),
                "availability": ([p.availability for p in self.mentees], [p.availability for p in self.mentors]),
            }[rule_id]
            overlap, row_n, col_n = _overlap(rows, cols)
            known = (row_n > 0)[:, None] & (col_n > 0)[None, :]
            if rule_id == "learning":
                score = overlap / np.maximum(row_n, 1)[:, None]
            else:
                score = (overlap > 0).astype(float)
            unmet = known & (overlap == 0)
        return np.where(known, score, rule.unknown_score), unmet

    def _find(self, name: str, option: str, pair: str) -> Participant:
        for p in self.people:
            if p.key == name_key(name):
                return p
        raise UsageError(msg("match_pair_unknown", self.lang, option=option, pair=pair, name=name))

    def _mentor_index(self, mentor: str, mentee: str, option: str) -> int:
        pair = f"{mentor}={mentee}"
        person = self._find(mentor, option, pair)
        self._find(mentee, option, pair)
        if name_key(mentor) == name_key(mentee):
            raise UsageError(msg("match_pair_self", self.lang, option=option, pair=pair))
        if not person.is_mentor:
            raise UsageError(msg("match_pair_not_mentor", self.lang, option=option, pair=pair, name=person.name))
        return self._mentor_at[person.key]

    def _mentee_index(self, mentor: str, mentee: str, option: str) -> int:
        person = self._find(mentee, option, f"{mentor}={mentee}")
        if not person.is_mentee:
            raise UsageError(
                msg("match_pair_not_mentee", self.lang, option=option, pair=f"{mentor}={mentee}", name=person.name)
            )
        return self._mentee_at[person.key]

    def _pins(self, pins: list[tuple[str, str]]) -> Assignment:
        fixed: Assignment = []
        taken: dict[int, int] = {}
        load: Counter[int] = Counter()
        for mentor, mentee in pins:
            j, i = self._mentor_index(mentor, mentee, "--pin"), self._mentee_index(mentor, mentee, "--pin")
            pair = f"{mentor}={mentee}"
            if self.forbidden[i, j]:
                raise UsageError(msg("match_pin_forbidden", self.lang, pair=pair))
            if i in taken:
                if taken[i] == j:
                    continue
                raise UsageError(
                    msg(
                        "match_pin_twice",
                        self.lang,
                        pair=pair,
                        name=self.mentees[i].name,
                        other=self.mentors[taken[i]].name,
                    )
                )
            if load[j] >= self.capacity[j]:
                raise UsageError(
                    msg(
                        "match_pin_capacity",
                        self.lang,
                        name=self.mentors[j].name,
                        n=load[j] + 1,
                        cap=int(self.capacity[j]),
                    )
                )
            taken[i] = j
            fixed.append((i, j, load[j]))
            load[j] += 1
        return fixed

    # -- objective -------------------------------------------------------
    def value(self, assignment: Assignment) -> tuple[int, float]:
        """How many pairs, and the total score minus the load-spreading cost."""
        w = self.settings.load_penalty
        total = sum(float(self.raw[i, j]) - w * pos for i, j, pos in assignment)
        return len(assignment), total


def _overlap(rows: Sequence[Sequence[str]], cols: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """How many items each row shares with each column, plus the item counts."""
    index: dict[str, int] = {}
    for items in (*rows, *cols):
        for item in items:
            index.setdefault(tag_key(item), len(index))
    a = np.zeros((len(rows), max(len(index), 1)), np.float32)
    b = np.zeros((len(cols), max(len(index), 1)), np.float32)
    for r, items in enumerate(rows):
        a[r, [index[tag_key(t)] for t in items]] = 1
    for c, items in enumerate(cols):
        b[c, [index[tag_key(t)] for t in items]] = 1
    return (a @ b.T).astype(np.float64), a.sum(axis=1), b.sum(axis=1)


# -- solving -----------------------------------------------------------------
def _free(problem: Problem) -> tuple[list[int], np.ndarray, np.ndarray]:
    """Mentees still to match, and one column per free place: (mentor, place number)."""
    pinned_rows = {i for i, _, _ in problem.pinned}
    rows = [i for i in range(problem.n) if i not in pinned_rows]
    used = Counter(j for _, j, _ in problem.pinned)
    slot_mentor: list[int] = []
    slot_place: list[int] = []
    for j in range(problem.m):
        for place in range(used[j], int(problem.capacity[j])):
            slot_mentor.append(j)
            slot_place.append(place)
    return rows, np.array(slot_mentor, np.int64), np.array(slot_place, np.int64)


def solve(problem: Problem) -> Assignment:
    """The optimal pairs for the whole group (pinned pairs included)."""
    from scipy.optimize import linear_sum_assignment

    rows, slot_mentor, slot_place = _free(problem)
    chosen: Assignment = list(problem.pinned)
    if not rows or slot_mentor.size == 0:
        return chosen
    row_idx = np.asarray(rows)
    value = problem.raw[np.ix_(row_idx, slot_mentor)] - problem.settings.load_penalty * slot_place[None, :]
    allowed = problem.allowed[np.ix_(row_idx, slot_mentor)]
    if not allowed.any():
        return chosen
    # A forbidden pair costs more than all allowed pairs together could gain, so the
    # optimum first matches as many people as possible, then maximises the score.
    big = (float(np.abs(value[allowed]).max()) + 1.0) * (len(rows) + 1) * 4
    cost = np.where(allowed, -value, big)
    r, c = linear_sum_assignment(cost)
    keep = allowed[r, c]
    for rr, cc in zip(r[keep], c[keep]):
        chosen.append((rows[rr], int(slot_mentor[cc]), int(slot_place[cc])))
    return _renumber(chosen)


def greedy(problem: Problem) -> Assignment:
    """The plain baseline: each mentee in turn takes the best mentor still free."""
    rows, _, _ = _free(problem)
    chosen: Assignment = list(problem.pinned)
    load = np.zeros(problem.m, np.int64)
    for _, j, _ in problem.pinned:
        load[j] += 1
    w = problem.settings.load_penalty
    for i in rows:
        open_ = problem.allowed[i] & (load < problem.capacity)
        if not open_.any():
            continue
        value = np.where(open_, problem.raw[i] - w * load, -np.inf)
        j = int(np.argmax(value))
        chosen.append((i, j, int(load[j])))
        load[j] += 1
    return chosen


def _renumber(assignment: Assignment) -> Assignment:
    # Places of one mentor are interchangeable apart from their cost; number them 0, 1, ...
    seen: Counter[int] = Counter()
    out: Assignment = []
    for i, j, _ in sorted(assignment, key=lambda a: (a[1], a[2], a[0])):
        out.append((i, j, seen[j]))
        seen[j] += 1
    return out


# -- explaining --------------------------------------------------------------
def explain(problem: Problem, assignment: Assignment, words: Words, rules: list[str] | None = None) -> Result:
    """Turn an assignment into pairs with reasons, and the unmatched people with why."""
    pinned = {(i, j) for i, j, _ in problem.pinned}
    load = Counter(j for _, j, _ in assignment)
    order = {p.key: k for k, p in enumerate(problem.people)}
    pairs: list[PairResult] = []
    for i, j, _ in sorted(
        assignment, key=lambda a: (order[problem.mentors[a[1]].key], order[problem.mentees[a[0]].key])
    ):
        mentee, mentor = problem.mentees[i], problem.mentors[j]
        reasons: list[str] = []
        if (i, j) in pinned:
            reasons.append(words.rule("pinned", ""))
        for rule_id in PAIR_RULES:
            if problem.settings.rule(rule_id).counts:
                reasons.append(_reason(problem, rule_id, i, j, words))
        if load[j] > 1 and problem.settings.load_spreading.enabled:
            reasons.append(words.rule("load_spreading", "shared_load", n=load[j]))
        pairs.append(
            PairResult(
                mentor=mentor.name,
                mentee=mentee.name,
                score=round(float(problem.fit[i, j]), 1),
                reasons=tuple(reasons),
                pinned=(i, j) in pinned,
            )
        )
    return Result(
        pairs=pairs,
        unmatched=_unmatched(problem, assignment, words),
        total=problem.value(assignment)[1],
        rules=rules or [],
    )


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
            return words.rule(rule_id, "in_line")
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


def _unmatched(problem: Problem, assignment: Assignment, words: Words) -> list[Unmatched]:
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
        out.append(Unmatched(name=person.name, role=person.role, reason=reason))
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


def _above(manager: dict[str, str], at: dict[str, int]) -> dict[str, int]:
    """For each person with a manager, the bit set of the indices in ``at`` of everyone above them.

    The line-manager column makes each person point at one other, so every walk
    ends at the top, at someone already done, or in a circle (whose members are
    all above each other, themselves included, as a walk round it meets them all).
    """
    def bit(key: str) -> int:
        k = at.get(key)
        return 0 if k is None else 1 << k

    done: dict[str, int] = {}
    for start in manager:
        path: list[str] = []
        on_path: dict[str, int] = {}
        node = start
        while node in manager and node not in done and node not in on_path:
            on_path[node] = len(path)
            path.append(node)
            node = manager[node]
        if node in on_path:
            circle = path[on_path[node] :]
            bits = 0
            for member in circle:
                bits |= bit(member)
            for member in circle:
                done[member] = bits
            path = path[: on_path[node]]
        for key in reversed(path):
            boss = manager[key]
            done[key] = bit(boss) | done.get(boss, 0)
    return done


def _unpack(bits: int, size: int) -> np.ndarray:
    """A bit set as a boolean row of ``size``."""
    raw = np.frombuffer(bits.to_bytes((size + 7) // 8, "little"), np.uint8)
    return np.unpackbits(raw, bitorder="little")[:size].astype(bool)

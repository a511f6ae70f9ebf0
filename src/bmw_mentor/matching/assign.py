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

import numpy as np

from bmw_mentor.errors import UsageError
from bmw_mentor.matching.participants import Participant, name_key, tag_key, word_key
from bmw_mentor.matching.rules import PAIR_RULES, GapSettings, Settings
from bmw_mentor.messages import msg

_EPS = 1e-9


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
        # single precision: scores are sums of a few weights, and at 10,000 × 2,000 this halves the memory
        self.raw = np.zeros((self.n, self.m), np.float32)
        # where a hard rule rules a pair out, and where a must-have rule is clearly missed
        self.unmet: dict[str, np.ndarray] = {}
        self.broken: dict[str, np.ndarray] = {}
        for rule_id in PAIR_RULES:
            rule = settings.rule(rule_id)
            if not rule.counts:
                continue
            score, unmet = self._rule(rule_id)
            if rule.weight:
                score *= np.float32(rule.weight)
                self.raw += score
            del score
            if rule.hard:
                self.unmet[rule_id] = unmet
            if rule_id in settings.must_have:
                self.broken[rule_id] = unmet
        total = settings.total_weight
        # the score out of 100 is raw × scale (or 100 when no rule scores); it is made on demand, in rows
        self.scale = 100 / total if total > 0 else 0.0
        self.below_min = (
            self.fit() < settings.min_score - _EPS if settings.min_score > 0 else np.zeros((self.n, self.m), bool)
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

    def fit(self, rows: slice | int = slice(None)) -> np.ndarray:
        """The score (0-100) of the pairs in ``rows``."""
        part = self.raw[rows]
        return part * self.scale if self.scale else np.full(part.shape, 100.0)

    def mentee_at(self, key: str) -> int:
        """The row of a mentee by name key, or -1."""
        return self._mentee_at.get(key, -1)

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
            ye = np.array([np.nan if p.years is None else p.years for p in self.mentees], np.float32)
            ym = np.array([np.nan if p.years is None else p.years for p in self.mentors], np.float32)
            gap = ym[None, :] - ye[:, None]
            known = ~np.isnan(gap)
            gap[~known] = 0
            outside = np.maximum(np.float32(rule.min_years) - gap, 0)
            outside += np.maximum(gap - np.float32(rule.max_years), 0)
            del gap
            unmet = known & (outside > _EPS)
            score = np.clip(1 - outside / np.float32(rule.soft_years), 0, 1)
        elif rule_id == "reporting_line":
            known = self.line_known
            score = (~self.inline).astype(np.float32)
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
            score = (same if rule.mode == "same" else ~same).astype(np.float32)  # type: ignore[attr-defined]
            unmet = known & (score == 0)
        else:
            rows, cols = {
                "learning": ([p.wants for p in self.mentees], [p.offers for p in self.mentors]),
                "language": ([p.languages for p in self.mentees], [p.languages for p in self.mentors]),
                "availability": ([p.availability for p in self.mentees], [p.availability for p in self.mentors]),
            }[rule_id]
            overlap, row_n, col_n = _overlap(rows, cols)
            known = (row_n > 0)[:, None] & (col_n > 0)[None, :]
            unmet = known & (overlap == 0)
            if rule_id == "learning":
                score = overlap / np.maximum(row_n, 1)[:, None]
            else:
                score = (overlap > 0).astype(np.float32)
            del overlap
        score[~known] = rule.unknown_score
        return score, unmet

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
    return a @ b.T, a.sum(axis=1), b.sum(axis=1)


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


# Columns of the cost matrix filled at once: keeps the temporary copies small.
_BLOCK = 256


def cost_matrix(problem: Problem) -> np.ndarray:
    """The cost of every (free place, mentee still to match), as ``linear_sum_assignment`` takes it.

    The shorter side comes first, so scipy solves it without a transposed copy; a
    pair the rules rule out costs more than all allowed pairs together could gain,
    so the optimum first matches as many people as possible, then maximises the score.
    """
    rows, slot_mentor, slot_place = _free(problem)
    return _cost(problem, np.asarray(rows, np.int64), slot_mentor, slot_place)


def _cost(problem: Problem, rows: np.ndarray, slot_mentor: np.ndarray, slot_place: np.ndarray) -> np.ndarray:
    penalty = problem.settings.load_penalty
    biggest = float(np.abs(problem.raw).max(initial=0.0)) + penalty * float(slot_place.max(initial=0)) + 1.0
    big = biggest * (len(rows) + 1) * 4
    slots_first = slot_mentor.size <= rows.size
    shape = (slot_mentor.size, rows.size) if slots_first else (rows.size, slot_mentor.size)
    cost = np.empty(shape)
    for start in range(0, slot_mentor.size, _BLOCK):
        cols = slice(start, min(start + _BLOCK, slot_mentor.size))
        mentors = slot_mentor[cols]
        block = -problem.raw[np.ix_(rows, mentors)] + penalty * slot_place[cols][None, :]
        block[~problem.allowed[np.ix_(rows, mentors)]] = big
        if slots_first:
            cost[cols, :] = block.T
        else:
            cost[:, cols] = block
    return cost


def solve(problem: Problem) -> Assignment:
    """The optimal pairs for the whole group (pinned pairs included)."""
    from scipy.optimize import linear_sum_assignment

    rows, slot_mentor, slot_place = _free(problem)
    chosen: Assignment = list(problem.pinned)
    if not rows or slot_mentor.size == 0:
        return chosen
    row_idx = np.asarray(rows, np.int64)
    if not problem.allowed[row_idx].any():
        return chosen
    cost = _cost(problem, row_idx, slot_mentor, slot_place)
    a, b = linear_sum_assignment(cost)
    del cost
    slot, row = (a, b) if slot_mentor.size <= row_idx.size else (b, a)
    for rr, cc in zip(row, slot):
        mentee, mentor = rows[rr], int(slot_mentor[cc])
        if problem.allowed[mentee, mentor]:
            chosen.append((mentee, mentor, int(slot_place[cc])))
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

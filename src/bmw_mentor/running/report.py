"""The evaluation report as figures: counts per group, distributions, open answers, targets, next steps.

Everything here is computed from the responses and the answers; the charts and
the wording of the page are added by :mod:`bmw_mentor.running.evaluate`. A group
with fewer responses than the threshold is withheld everywhere but in the count,
so that no one's answers can be singled out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bmw_mentor.framework.schema import AnswerValue
from bmw_mentor.matching.participants import word_key
from bmw_mentor.running.questionnaires import Measure, Questionnaire, Words, applicable, evaluation
from bmw_mentor.running.responses import Response

_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")


@dataclass(frozen=True)
class GroupCount:
    group: str
    label: str
    n: int
    withheld: bool


@dataclass(frozen=True)
class Distribution:
    """How the shown groups answered one closed question: counts per point, per group and in all."""

    qid: str
    text: str
    points: list[str]
    by_group: dict[str, list[int]]  # group label -> count per point
    counts: list[int]
    mean: float | None  # on the scale; None for yes/no

    @property
    def n(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class OpenAnswers:
    qid: str
    text: str
    answers: list[str]


@dataclass
class Section:
    questionnaire: Questionnaire
    title: str
    counts: list[GroupCount]
    distributions: list[Distribution] = field(default_factory=list)
    open_answers: list[OpenAnswers] = field(default_factory=list)

    @property
    def shown(self) -> int:
        return sum(c.n for c in self.counts if not c.withheld)

    @property
    def total(self) -> int:
        return sum(c.n for c in self.counts)


@dataclass(frozen=True)
class TargetResult:
    """One measurable target of step 2, next to what the responses show (None: not measured)."""

    target: str
    measure: str | None = None
    result: float | None = None  # a share (0-1) or a mean score
    goal: float | None = None
    kind: str = ""  # share or mean
    n: int = 0
    met: bool | None = None


@dataclass
class Report:
    threshold: int
    sections: list[Section]
    targets: list[TargetResult]
    next_steps: list[str]


def build(rows: list[Response], words: Words) -> Report:
    """The report's figures from the responses, for the questionnaires that apply to this programme."""
    ev = evaluation()
    sections = [section(q, [r for r in rows if r.questionnaire == q.id], words) for q in _questionnaires(rows, words)]
    return Report(ev.threshold, sections, targets(sections, words), next_steps(words))


def _questionnaires(rows: list[Response], words: Words) -> list[Questionnaire]:
    # a questionnaire that was answered counts even if the answers say it does not apply
    answered = {r.questionnaire for r in rows}
    shown = {q.id for q in applicable(words)} | answered
    return [q for q in evaluation().questionnaires if q.id in shown]


def section(q: Questionnaire, rows: list[Response], words: Words) -> Section:
    ev = evaluation()
    counts = []
    for gid, group in ev.groups.items():
        n = sum(1 for r in rows if r.group == gid)
        if n:
            counts.append(GroupCount(gid, words(group.label), n, n < ev.threshold))
    shown_groups = [c for c in counts if not c.withheld]
    shown = [r for r in rows if any(r.group == c.group for c in shown_groups)]
    result = Section(q, words(q.title), counts)
    for question in q.questions:
        if question.scale is None:
            # sorted, so the order of the rows (and of who sat where) does not show
            answers = sorted({str(r.answers[question.id]) for r in shown if question.id in r.answers}, key=str.casefold)
            if answers:
                result.open_answers.append(OpenAnswers(question.id, words(question.text), answers))
            continue
        points = [words(p) for p in ev.scales[question.scale].points]
        by_group = {
            c.label: _count([r for r in shown if r.group == c.group], question.id, len(points)) for c in shown_groups
        }
        total = _count(shown, question.id, len(points))
        mean = None
        if question.scale != "yes_no" and sum(total):
            mean = sum(k * n for k, n in enumerate(total, start=1)) / sum(total)
        result.distributions.append(Distribution(question.id, words(question.text), points, by_group, total, mean))
    return result


def _count(rows: list[Response], qid: str, size: int) -> list[int]:
    counts = [0] * size
    for r in rows:
        value = r.answers.get(qid)
        if isinstance(value, int):
            counts[value - 1] += 1
    return counts


# -- targets ---------------------------------------------------------------------
def target_lines(text: AnswerValue) -> list[str]:
    """The targets of step 2, one per line or bullet."""
    if not isinstance(text, str):
        return []
    lines = [re.sub(r"^\s*(?:[-*•·]|\d+[.)])\s*", "", line).strip() for line in text.splitlines()]
    return [line for line in lines if line]


def _has(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word_key(word))}(?!\w)", text) is not None


def measure_for(line: str) -> Measure | None:
    key = word_key(line)
    return next((m for m in evaluation().measures if any(_has(key, k) for k in m.keywords)), None)


def _fraction(line: str) -> tuple[int, int] | None:
    """ "9 op 10", "4 out of 5", "3/4": the two numbers."""
    words = "|".join(re.escape(w) for w in sorted(evaluation().of_words, key=len, reverse=True))
    found = re.search(rf"(?<![\d,.])(\d+)\s*(?:{words})\s*(\d+)(?![\d,.])", line, re.IGNORECASE)
    return (int(found.group(1)), int(found.group(2))) if found else None


def targets(sections: list[Section], words: Words) -> list[TargetResult]:
    by_question = {f"{s.questionnaire.id}.{d.qid}": d for s in sections for d in s.distributions}
    out: list[TargetResult] = []
    for line in target_lines(words.answers.get("scope_targets")):
        measure = measure_for(line)
        if measure is None:
            out.append(TargetResult(line))
            continue
        label = words(measure.label)
        dist = by_question.get(measure.question)
        if dist is None or dist.n == 0:
            out.append(TargetResult(line, label))
            continue
        out.append(_judge(line, label, dist))
    return out


def _judge(line: str, label: str, dist: Distribution) -> TargetResult:
    percent = _PERCENT.search(line)
    share = float(percent.group(1).replace(",", ".")) / 100 if percent else None
    fraction = _fraction(line)
    size = len(dist.points)
    every = any(_has(word_key(line), w) for w in evaluation().every_words)
    if size == 2:  # yes/no: the share of yes
        if share is None and fraction and fraction[1] and fraction[0] <= fraction[1]:
            share = fraction[0] / fraction[1]
        goal = share if share is not None else (1.0 if every else None)
        result = dist.counts[1] / dist.n
        return TargetResult(line, label, result, goal, "share", dist.n, None if goal is None else result >= goal - 1e-9)
    # a scale: "4 op 5" is the lowest score that counts; otherwise the top two points
    low = fraction[0] if fraction and fraction[1] == size and 1 <= fraction[0] <= size else size - 1
    if share is None and not every and fraction:
        mean = dist.mean or 0.0
        return TargetResult(line, label, mean, float(low), "mean", dist.n, mean >= low - 1e-9)
    goal = share if share is not None else 1.0
    result = sum(dist.counts[low - 1 :]) / dist.n
    return TargetResult(line, label, result, goal, f"share_from_{low}", dist.n, result >= goal - 1e-9)


# -- next steps ------------------------------------------------------------------
def next_steps(words: Words) -> list[str]:
    """The framework's closing steps, in the words that fit this programme's answers."""
    answers: Mapping[str, AnswerValue] = words.answers
    local = {"followup_months": str(answers.get("followup_months") or 12)}
    chosen = answers.get("celebration")
    question = words.checklists.questions.get("celebration")
    if isinstance(chosen, list) and question is not None:
        labels = {c.id: words(c.label) for c in question.choices}
        local["celebration"] = ", ".join(labels.get(c, c) for c in chosen).lower()
    out = []
    for step in evaluation().next_steps:
        for option in step.texts:
            if option.when is None or option.when.holds(answers.get(option.when.answer)):
                out.append(words(option.text, **local))
                break
    return out

"""Programme health: the rules in ``checklists/rules.yaml`` judged on a project's answers.

A rule describes a problem (a framework pitfall, or a gap against a checkpoint
of EMCC's ISMCP or MENTOR's Elements of Effective Practice) as a condition on
the answers. Judging a rule gives one of three outcomes: the problem is there
(a *risk*), it is not, or it cannot be told yet because an answer it needs is
missing (*to decide*). :func:`report` gives everything as plain data, for
``mentor check`` and for the programme plan's "Programme health" section.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    field_validator,
    model_validator,
)

from bmw_mentor.errors import ChecklistInvalidError
from bmw_mentor.files.resources import data_dir
from bmw_mentor.framework.schema import AnswerValue, Checklists, Identifier, Language, Text
from bmw_mentor.framework.text import Filler, names_one_of, placeholders
from bmw_mentor.health import estimate, smart
from bmw_mentor.health.estimate import finite
from bmw_mentor.messages import msg
from bmw_mentor.projectfile import progress
from bmw_mentor.projectfile.project import Project

Severity = Literal["high", "medium", "low"]
SEVERITIES: tuple[Severity, ...] = ("high", "medium", "low")
Kind = Literal["risk", "to_decide"]
FILE_NAME = "rules.yaml"

Scalar = Union[bool, int, float, str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- the rules file ------------------------------------------------------------
class Leaf(_Strict):
    """One test on one answer (``answer:``) or on a computed fact (``fact:``)."""

    answer: Identifier | None = None
    fact: Identifier | None = None
    any_of: list[Scalar] | None = None
    not_any_of: list[Scalar] | None = None
    equals: Scalar | None = None
    is_set: bool | None = None
    below: float | None = None
    above: float | None = None

    @model_validator(mode="after")
    def _one_subject_one_test(self) -> Leaf:
        if (self.answer is None) == (self.fact is None):
            raise ValueError("give exactly one of answer, fact")
        tests = [self.any_of, self.not_any_of, self.equals, self.is_set, self.below, self.above]
        if sum(t is not None for t in tests) != 1:
            raise ValueError("give exactly one of any_of, not_any_of, equals, is_set, below, above")
        return self

    @property
    def subject(self) -> str:
        return self.answer or self.fact or ""

    def test(self, value: AnswerValue) -> bool:
        """The test on a known value (``None`` or ``[]`` mean: nothing chosen)."""
        items = value if isinstance(value, list) else ([] if value in (None, "") else [value])
        chosen = {str(v) for v in items}
        if self.any_of is not None:
            return bool(chosen & {str(v) for v in self.any_of})
        if self.not_any_of is not None:
            return not (chosen & {str(v) for v in self.not_any_of})
        if self.is_set is not None:
            return bool(chosen) == self.is_set
        if self.equals is not None:
            if isinstance(self.equals, bool) or isinstance(value, bool):
                return value is self.equals
            return value == self.equals
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if self.below is not None:
            return value < self.below
        return self.above is not None and value > self.above


class AllOf(_Strict):
    all: list[Node] = Field(min_length=1)


class AnyOf(_Strict):
    any: list[Node] = Field(min_length=1)


def _kind(data: Any) -> str:
    if isinstance(data, AllOf) or (isinstance(data, dict) and "all" in data):
        return "all"
    if isinstance(data, AnyOf) or (isinstance(data, dict) and "any" in data):
        return "any"
    return "leaf"


def _list_means_all(data: Any) -> Any:
    return {"all": data} if isinstance(data, list) else data


Node = Annotated[
    Union[Annotated[Leaf, Tag("leaf")], Annotated[AllOf, Tag("all")], Annotated[AnyOf, Tag("any")]],
    Discriminator(_kind),
    BeforeValidator(_list_means_all),  # a plain list means: all of these
]
AllOf.model_rebuild()
AnyOf.model_rebuild()


class Source(_Strict):
    """What a rule rests on: a section of the framework, or good practice (the framework does not say it), and checkpoints."""

    framework: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+)?$")] | None = None
    good_practice: bool = False
    topic: Identifier | None = None
    checkpoints: list[Identifier] = Field(default_factory=list)


class Fix(_Strict):
    """Where to repair it: ``mentor step N``, at the first of these questions that applies."""

    step: int = Field(ge=0, le=4)
    question: list[Identifier] = Field(min_length=1)

    @field_validator("question", mode="before")
    @classmethod
    def _one_or_more(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v


class Examples(_Strict):
    """Answers that make the rule fire and answers that do not; the tests use both."""

    fires: dict[Identifier, Any]
    fires_as: Kind = "risk"
    passes: dict[Identifier, Any]


class Rule(_Strict):
    id: Identifier
    severity: Severity
    when: Node
    title: Text
    risk: Text
    source: Source
    fix: Fix
    examples: Examples


class Checkpoint(_Strict):
    id: Identifier
    title: Text


class Standard(_Strict):
    id: Identifier
    name: Text
    short: Text
    about: Text  # what the standard is, in a sentence or two, for readers who never heard of it
    checkpoints: list[Checkpoint] = Field(min_length=1)


class RulesFile(_Strict):
    standards: list[Standard] = Field(min_length=1)
    rules: list[Rule] = Field(min_length=1)
    estimate: estimate.EstimateSpec


# -- facts: figures computed from several answers ------------------------------
class _Undecided(Exception):
    """An answer the test needs is missing."""

    def __init__(self, questions: list[str]) -> None:
        super().__init__(", ".join(questions))
        self.questions = questions


class Answers:
    """The answers as rules see them: a question that does not apply counts as empty."""

    def __init__(self, project: Project, checklists: Checklists, spec: estimate.EstimateSpec) -> None:
        self.project = project
        self.checklists = checklists
        self.lookup = project.lookup()
        self.spec = spec
        self._figures: estimate.Figures | None = None

    def applies(self, qid: str) -> bool:
        q = self.checklists.questions.get(qid)
        return q is not None and q.applies(self.lookup)

    def known(self, qid: str) -> AnswerValue:
        """The answer; empty when the question does not apply; raises when it applies but is open."""
        if not self.applies(qid):
            return None
        value = self.lookup.get(qid)
        if value is None or value == "":
            raise _Undecided([qid])
        return value

    def need(self, *qids: str) -> list[AnswerValue]:
        """Several answers at once, reporting every missing one together."""
        values: list[AnswerValue] = []
        missing: list[str] = []
        for qid in qids:
            try:
                values.append(self.known(qid))
            except _Undecided as exc:
                missing += exc.questions
        if missing:
            raise _Undecided(missing)
        return values

    @property
    def figures(self) -> estimate.Figures:
        if self._figures is None:
            self._figures = estimate.figures(self.spec, self.checklists, self.lookup, *_matched(self.project))
        return self._figures


def _matched(project: Project) -> tuple[int, estimate.Matched | None]:
    """The saved pairs, and what the participants list said about mentors and places when they were saved."""
    pool = project.pool
    if not project.pairs or pool is None:
        return len(project.pairs), None
    used = len({" ".join(p.mentor.split()).casefold() for p in project.pairs})
    return len(project.pairs), estimate.Matched(mentors=pool.mentors, places=pool.places, in_use=used)


def _goal_smart_missing(a: Answers) -> AnswerValue:
    texts = []
    for qid in ("goal_statement", "scope_targets"):
        try:
            value = a.known(qid)
        except _Undecided:
            continue
        if isinstance(value, str):
            texts.append(value)
    if not texts:
        raise _Undecided(["goal_statement"])
    return list(smart.missing("\n".join(texts), smart.owner_names(a.lookup)))


def _per_mentor(a: Answers) -> float:
    return max(a.figures.values["mentees_per_mentor"] or 1, 1)


def _capacity_shortfall(a: Answers) -> AnswerValue:
    saved = a.project.pool
    if a.project.pairs and saved is not None:
        # the participants' own capacities: mentees still waiting against the places still free
        return saved.unmatched_mentees - max(saved.places - len(a.project.pairs), 0)
    if a.project.pairs:
        pairs, pool = float(len(a.project.pairs)), finite(a.need("mentor_pool")[0])
    else:
        pairs, pool = (finite(v) for v in a.need("scope_pairs", "mentor_pool"))
    if pairs is None or pool is None:
        return None
    return pairs - pool * _per_mentor(a)


def _mentors_in_use(a: Answers) -> AnswerValue:
    if a.project.pairs:
        # the accepted pairs say exactly who mentors
        return len({" ".join(p.mentor.split()).casefold() for p in a.project.pairs})
    pairs = finite(a.need("scope_pairs")[0])
    if pairs is None:
        return None
    needed = math.ceil(pairs / _per_mentor(a))
    pool = finite(a.lookup.get("mentor_pool")) if a.applies("mentor_pool") else None
    return min(needed, pool) if pool is not None else needed


def _time_shortfall(a: Answers) -> AnswerValue:
    frequency, allowed = a.need("meeting_frequency", "mentor_hours_month")
    q = a.checklists.questions["meeting_frequency"]
    choice = q.choice(frequency) if isinstance(frequency, str) else None
    if choice is None or choice.value is None or finite(allowed) is None:
        return None  # no fixed rhythm, or no hours allowed at all: other rules speak to that
    return a.figures.values["mentor_hours_month"] - finite(allowed)  # type: ignore[operator]


def _relationship_overrun(a: Answers) -> AnswerValue:
    relationship, programme = (finite(v) for v in a.need("relationship_months", "programme_months"))
    if relationship is None or programme is None:
        return None
    return relationship - programme


def _coordinator_tasks(a: Answers) -> AnswerValue:
    (coordinator,) = a.need("coordinator_name")
    name = str(coordinator).strip().casefold()
    count = 0
    for q in a.checklists.step(0).questions if 0 in a.checklists.numbers else []:
        if not q.id.startswith("task_"):
            continue
        value = a.lookup.get(q.id)
        # a task nobody else was named for stays with the coordinator, as the wizard suggests
        owner = value if isinstance(value, str) and value.strip() else str(coordinator)
        count += owner.strip().casefold() == name
    return count


FACTS: dict[str, Callable[[Answers], AnswerValue]] = {
    "goal_smart_missing": _goal_smart_missing,
    "capacity_shortfall": _capacity_shortfall,
    "mentors_in_use": _mentors_in_use,
    "time_shortfall": _time_shortfall,
    "relationship_overrun": _relationship_overrun,
    "coordinator_tasks": _coordinator_tasks,
}


# -- judging ---------------------------------------------------------------------
Outcome = tuple[Union[bool, None], list[str]]  # True / False / None (undecided), and the open questions


def judge(node: Any, answers: Answers) -> Outcome:
    """Three-valued: a False part settles ``all``, a True part settles ``any``; otherwise open answers win."""
    if isinstance(node, Leaf):
        try:
            value = FACTS[node.fact](answers) if node.fact else answers.known(node.subject)
        except _Undecided as exc:
            return None, exc.questions
        return node.test(value), []
    if isinstance(node, AnyOf):
        parts = [judge(n, answers) for n in node.any]
        if any(state is True for state, _ in parts):
            return True, []
        settle = False
    else:
        parts = [judge(n, answers) for n in node.all]
        if any(state is False for state, _ in parts):
            return False, []
        settle = True
    missing = [q for state, qs in parts if state is None for q in qs]
    return (None, list(dict.fromkeys(missing))) if missing else (settle, [])


@dataclass
class Finding:
    rule: Rule
    kind: Kind
    open_questions: list[str] = field(default_factory=list)


def evaluate(rules: RulesFile, project: Project, checklists: Checklists) -> list[Finding]:
    """Every rule that finds a problem or an open decision, the most serious first."""
    answers = Answers(project, checklists, rules.estimate)
    findings: list[Finding] = []
    for rule in rules.rules:
        state, missing = judge(rule.when, answers)
        if state is True:
            findings.append(Finding(rule, "risk"))
        elif state is None:
            findings.append(Finding(rule, "to_decide", missing))
    order = {r.id: i for i, r in enumerate(rules.rules)}
    findings.sort(key=lambda f: (SEVERITIES.index(f.rule.severity), f.kind != "risk", order[f.rule.id]))
    return findings


# -- loading ---------------------------------------------------------------------
def load(checklists: Checklists, path: Path | None = None) -> RulesFile:
    """Read ``rules.yaml`` and check it against the checklists; any problem is one clear line."""
    from bmw_mentor.framework.datafile import load_model as _load_model

    path = path or data_dir("checklists") / FILE_NAME
    if not path.is_file():
        raise ChecklistInvalidError(f"{path}: the programme health rules are missing")
    rules: RulesFile = _load_model(path, RulesFile)
    smart_problems = smart.problems(smart.shipped(), checklists.questions)
    if smart_problems:
        raise ChecklistInvalidError(f"{data_dir('checklists') / 'smart.yaml'}: {smart_problems[0]}")
    problems = _problems(rules, checklists)
    if problems:
        more = f"; and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''}" if len(problems) > 1 else ""
        raise ChecklistInvalidError(f"{path}: {problems[0]}{more}")
    return rules


def shipped(checklists: Checklists) -> RulesFile:
    """The shipped rules, validated once and then kept in the user's cache folder (as the checklists are)."""
    from bmw_mentor.framework import datafile

    modules = (__file__, estimate.__file__, smart.__file__)
    return datafile.cached("rules", data_dir("checklists"), modules, RulesFile, lambda: load(checklists))


def _leaves(node: Any) -> list[Leaf]:
    if isinstance(node, Leaf):
        return [node]
    children = node.all if isinstance(node, AllOf) else node.any
    return [leaf for child in children for leaf in _leaves(child)]


def _problems(rules: RulesFile, checklists: Checklists) -> list[str]:
    out: list[str] = []
    questions = checklists.questions
    checkpoints = [c.id for s in rules.standards for c in s.checkpoints]
    out += [f"checkpoint '{c}' is listed twice" for c in sorted({c for c in checkpoints if checkpoints.count(c) > 1})]
    ids = [r.id for r in rules.rules]
    out += [f"rule id '{i}' is used twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
    cited: set[str] = set()
    for rule in rules.rules:
        where = f"rule '{rule.id}'"
        for leaf in _leaves(rule.when):
            if leaf.fact is not None:
                if leaf.fact not in FACTS:
                    out.append(f"{where}: unknown fact '{leaf.fact}' (known: {', '.join(FACTS)})")
                continue
            q = questions.get(leaf.subject)
            if q is None:
                out.append(f"{where}: '{leaf.subject}' is not a question")
                continue
            if q.type in ("single", "multi"):
                named = [*(leaf.any_of or []), *(leaf.not_any_of or [])]
                named += [leaf.equals] if isinstance(leaf.equals, str) else []
                bad = [str(v) for v in named if q.choice(str(v)) is None]
                if bad:
                    out.append(f"{where}: '{q.id}' has no choice {', '.join(bad)}")
        for cp in rule.source.checkpoints:
            if cp not in checkpoints:
                out.append(f"{where}: unknown checkpoint '{cp}'")
            cited.add(cp)
        if rule.source.topic and checklists.topics and rule.source.topic not in checklists.topics:
            out.append(f"{where}: unknown background topic '{rule.source.topic}'")
        for qid in rule.fix.question:
            if qid not in questions:
                out.append(f"{where}: fix names '{qid}', which is not a question")
            elif checklists.step_of[qid].number != rule.fix.step:
                out.append(f"{where}: '{qid}' is asked in step {checklists.step_of[qid].number}, not {rule.fix.step}")
        for text in (rule.title, rule.risk):
            for name in placeholders(text.en + text.nl):
                if not names_one_of(name, questions):
                    out.append(f"{where}: placeholder {{{name}}} names no question")
    out += [f"checkpoint '{c}' is not covered by any rule" for c in checkpoints if c not in cited]
    out += rules.estimate.problems(checklists)
    return out


# -- the report as plain data ------------------------------------------------------
def _question(checklists: Checklists, fill: Filler, qid: str) -> dict[str, Any]:
    q = checklists.questions[qid]
    step = checklists.step_of[qid].number
    return {"id": qid, "step": step, "command": f"mentor step {'setup' if step == 0 else step}", "text": fill(q.prompt)}


def _fix_question(rule: Rule, answers: Answers) -> str:
    for qid in rule.fix.question:
        if answers.applies(qid):
            return qid
    return rule.fix.question[0]


def _sources(rule: Rule, rules: RulesFile, checklists: Checklists, lang: Language) -> list[str]:
    out: list[str] = []
    if rule.source.framework:
        topic = checklists.topics.get(rule.source.topic or "")
        text = msg("check_source_framework", lang, section=rule.source.framework)
        if topic is not None:
            text += " " + msg("check_source_topic", lang, title=topic.title.get(lang))
        out.append(text)
    if rule.source.good_practice:
        out.append(msg("check_source_good_practice", lang))
    for standard in rules.standards:
        for cp in standard.checkpoints:
            if cp.id in rule.source.checkpoints:
                out.append(f"{standard.short.get(lang)}: {cp.title.get(lang)}")
    return out


def report(
    project: Project,
    checklists: Checklists,
    rules: RulesFile | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Findings, coverage of the standards, the next three fixes and the resource estimate.

    Everything is plain data (text already in the project's language, with the
    organisation's own words), ready for JSON or a document template.
    """
    rules = rules or load(checklists)
    lang = project.language
    fill = Filler(checklists, project.lookup(), lang)
    answers = Answers(project, checklists, rules.estimate)
    findings = evaluate(rules, project, checklists)

    items: list[dict[str, Any]] = []
    for f in findings:
        fix_id = f.open_questions[0] if f.kind == "to_decide" else _fix_question(f.rule, answers)
        items.append(
            {
                "rule": f.rule.id,
                "severity": f.rule.severity,
                "severity_label": msg(f"check_severity_{f.rule.severity}", lang),
                "kind": f.kind,
                "title": fill(f.rule.title),
                "risk": fill(f.rule.risk),
                "sources": _sources(f.rule, rules, checklists, lang),
                "fix": _question(checklists, fill, fix_id),
                "open_questions": [_question(checklists, fill, q) for q in f.open_questions],
            }
        )

    to_decide: dict[str, dict[str, Any]] = {}
    for item in items:
        for q in item["open_questions"]:
            entry = to_decide.setdefault(q["id"], {**q, "severity": item["severity"], "rules": [], "titles": []})
            entry["rules"].append(item["rule"])
            entry["titles"].append(item["title"])

    firing = {f.rule.id for f in findings}
    coverage = []
    for standard in rules.standards:
        points = []
        for cp in standard.checkpoints:
            cited = [r.id for r in rules.rules if cp.id in r.source.checkpoints]
            open_rules = [r for r in cited if r in firing]
            points.append(
                {"id": cp.id, "title": cp.title.get(lang), "met": not open_rules, "rules": cited, "open": open_rules}
            )
        coverage.append(
            {
                "id": standard.id,
                "name": standard.name.get(lang),
                "short": standard.short.get(lang),
                "about": standard.about.get(lang),
                "met": sum(p["met"] for p in points),
                "total": len(points),
                "checkpoints": points,
            }
        )

    next_fixes: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in items:
        if item["fix"]["id"] in seen:
            continue
        seen.add(item["fix"]["id"])
        next_fixes.append({k: item[k] for k in ("rule", "severity", "severity_label", "kind", "title", "fix")})
        if len(next_fixes) == 3:
            break

    counts = {s: sum(1 for i in items if i["kind"] == "risk" and i["severity"] == s) for s in SEVERITIES}
    high_open = sum(1 for i in items if i["severity"] == "high")
    summary = {**counts, "risks": sum(counts.values()), "to_decide": len(to_decide), "high_open": high_open}
    # the same count as `mentor export` gives: every open question, not only those the rules need
    summary["open_questions"] = len(progress.open_questions(project, checklists))
    return {
        "checked": (today or dt.date.today()).isoformat(),
        "language": lang,
        "summary": summary,
        "findings": items,
        "to_decide": sorted(to_decide.values(), key=lambda e: (SEVERITIES.index(e["severity"]), e["step"])),
        "coverage": coverage,
        "next": next_fixes,
        "estimate": estimate.build(rules.estimate, checklists, project.lookup(), lang, *_matched(project)),
    }

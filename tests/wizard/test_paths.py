"""Quick start and full path: fixed totals, the review, warnings, steps out of order, the organisation's words."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from driver import CLEAR, CTRL_C, DOWN, ENTER, keyboard, make_wizard, plan, step_number
from rich.console import Console

from bmw_mentor.errors import Interrupted
from bmw_mentor.framework.schema import Checklists, Question
from bmw_mentor.framework.words import plural
from bmw_mentor.projectfile import progress
from bmw_mentor.projectfile import project as project_file
from bmw_mentor.projectfile.project import Project


def saved(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    flat: dict[str, Any] = {}
    for answers in data["answers"].values():
        flat.update(answers)
    return flat


def start(path: Path, lang: str = "en", **answers: Any) -> Project:
    from bmw_mentor.framework.checklist import shipped

    project = Project(language=lang)  # type: ignore[arg-type]
    for qid, value in answers.items():
        project.set_answer(shipped(), qid, value)
    project_file.save(project, path)
    return project


def screen(wizard: Any) -> io.StringIO:
    out = io.StringIO()
    wizard.console = Console(file=out, width=200, color_system=None)
    return out


def enter_on_defaults(q: Question, n: int) -> str | None:
    """Enter on every default; type only what has none and is required."""
    if q.type == "date":
        return CLEAR + "1/3/2030" + ENTER
    if q.required and q.type in ("text", "long_text") and q.default is None:
        return CLEAR + f"{q.id} text" + ENTER
    return ENTER


# -- the organisation's own words ---------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "word", "expected"),
    [
        ("nl", "peter", "peters"),
        ("nl", "meter", "meters"),
        ("nl", "nieuwkomer", "nieuwkomers"),
        ("nl", "coach", "coaches"),
        ("nl", "buddy", "buddy's"),  # Dutch spelling of the loanword (Taalunie: baby's, hobby's)
        ("nl", "peter/meter", "peters/meters"),
        ("nl", "mentor", "mentoren"),
        ("en", "buddy", "buddies"),
        ("en", "coach", "coaches"),
        ("en", "peter", "peters"),
        ("en", "new starter", "new starters"),
        ("en", "Buddy", "Buddies"),
    ],
)
def test_plural_is_derived_from_the_word_typed(lang: str, word: str, expected: str) -> None:
    assert plural(word, lang) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("lang", "word", "expected"), [("nl", "peter", "peters"), ("en", "buddy", "buddies")])
def test_wizard_suggests_the_plural_of_the_word_typed(
    tmp_path: Path, checklists: Checklists, lang: str, word: str, expected: str
) -> None:
    path = tmp_path / "p.yaml"
    project = start(path, lang)

    def script(q: Question, n: int) -> str | None:
        if q.id == "mentor":
            return CLEAR + word + ENTER
        if q.id == "mentors":
            return ENTER  # keep the suggestion
        if q.id == "mentee":
            return CTRL_C
        return None

    with keyboard(script) as kb, pytest.raises(Interrupted):
        wizard = make_wizard(project, path, checklists, kb)
        wizard.run(1, from_start=True)
    assert saved(path)["mentors"] == expected


# -- honest progress ----------------------------------------------------------------
@pytest.mark.parametrize("quick", [False, True])
def test_total_shown_first_equals_questions_asked_with_defaults(tmp_path: Path, checklists: Checklists, quick: bool) -> None:
    path = tmp_path / "p.yaml"
    project = start(path)
    with keyboard(enter_on_defaults) as kb:
        wizard = make_wizard(project, path, checklists, kb, quick=quick)
        out = screen(wizard)
        wizard.run(0)
    text = out.getvalue()
    shown = [int(n) for i, n in re.findall(r"question (\d+) of (\d+)", text) if i == "1"]
    asked = [sum(1 for qid in kb.asked if step_number(checklists, qid) == s.number) for s in checklists.steps]
    assert shown == asked
    # every header of a step shows the same total
    totals = [int(n) for n in re.findall(r"question \d+ of (\d+)", text)]
    assert sorted(set(totals)) == sorted(set(asked))
    loaded = project_file.load(path)
    rows = {r.number: r for r in progress.step_progress(loaded, checklists)}
    if not quick:
        # `mentor status` counts the same questions
        assert [rows[s.number].applicable for s in checklists.steps] == asked


def test_quick_start_asks_only_what_cannot_be_defaulted(tmp_path: Path, checklists: Checklists) -> None:
    path = tmp_path / "p.yaml"
    project = start(path)
    with keyboard(enter_on_defaults) as kb:
        make_wizard(project, path, checklists, kb, quick=True).run(0)
    assert all(checklists.questions[a].quick for a in kb.asked if not a.startswith("group_"))
    assert len(kb.asked) + len(kb.chosen) <= 28  # plus the language and the path: at most 30 prompts
    loaded = project_file.load(path)
    assert loaded.steps_completed == checklists.numbers
    stored = saved(path)
    # the decisions the quick start skipped hold the framework's recommendation, marked for review
    assert stored["evaluator"] == "line_manager" and "evaluator" in loaded.defaults
    assert stored["start_induction"] == [c.id for c in checklists.questions["start_induction"].choices]
    assert not {q.id for q in checklists.questions.values() if q.quick} & set(loaded.defaults)
    rows = progress.step_progress(loaded, checklists)
    # `mentor status` counts, per step, the prompts that hold a default to review
    assert all(0 < r.defaults <= r.applicable for r in rows if r.number in (3, 4))


def test_recommended_items_come_pre_ticked(tmp_path: Path, checklists: Checklists) -> None:
    path = tmp_path / "p.yaml"
    project = start(path, programme_focus="induction")
    seen: dict[str, Any] = {}

    def script(q: Question, n: int) -> str | None:
        return CTRL_C if q.id == "contact_story" or q.id == "support_measures" else ENTER

    with keyboard(script) as kb, pytest.raises(Interrupted):
        wizard = make_wizard(project, path, checklists, kb)
        real = wizard.asker

        def spy(q: Question, **kwargs: Any) -> Any:
            seen[q.id] = kwargs["default"]
            return real(q, **kwargs)

        wizard.asker = spy
        wizard.run(4)
    everything = [c.id for c in checklists.questions["start_induction"].choices]
    assert seen["start_induction"] == everything  # "most programmes use all of them"
    assert saved(path)["start_induction"] == everything


# -- the review ----------------------------------------------------------------------
def test_review_changes_an_answer_and_comes_back(tmp_path: Path, checklists: Checklists) -> None:
    path = tmp_path / "p.yaml"
    project = start(path)
    step2 = progress.applicable(checklists.step(2), {"programme_focus": "induction"})
    position = [q.id for q in step2].index("goal_statement")
    reviews: list[str] = []

    def choices(message: str, values: list[Any]) -> str | None:
        reviews.append(message)
        if message == "Looks right?" and reviews.count(message) == 1:
            return DOWN + ENTER  # change an answer
        if message.startswith("Which answer"):
            assert values[position] == "goal_statement"
            return DOWN * position + ENTER
        return None  # looks right: go on

    def script(q: Question, n: int) -> str | None:
        if q.id == "goal_statement":
            return CLEAR + ("First goal" if n == 1 else "Better goal by 2028") + ENTER
        return enter_on_defaults(q, n)

    with keyboard(script, choices) as kb:
        wizard = make_wizard(project, path, checklists, kb)
        out = screen(wizard)
        wizard.run(2, chain=False)
    assert reviews == ["Looks right?", "Which answer do you want to change?", "Looks right?"]
    assert kb.asked.count("goal_statement") == 2
    assert saved(path)["goal_statement"] == "Better goal by 2028"
    text = out.getvalue()
    assert text.count("Your answers in this step") == 2
    assert "Better goal by 2028" in text.split("Your answers in this step")[-1]
    assert "Continue later with mentor step 3" in text


def test_review_change_opens_a_follow_up_question(tmp_path: Path, checklists: Checklists) -> None:
    """Ticking a project-team task in the review asks who takes it on, then returns to the review."""
    path = tmp_path / "p.yaml"
    project = start(path)
    seen: list[str] = []

    def choices(message: str, values: list[Any]) -> str | None:
        seen.append(message)
        if message == "Looks right?" and seen.count(message) == 1:
            return DOWN + ENTER
        if message.startswith("Which answer"):
            return DOWN * values.index("team_tasks") + ENTER
        return DOWN * 2 + ENTER  # stop here

    def script(q: Question, n: int) -> str | None:
        if q.id == "team_tasks" and n == 2:
            return DOWN * 4 + " " + ENTER  # communication is someone else's
        if q.id == "task_communication":
            return CLEAR + "Jef" + ENTER
        return enter_on_defaults(q, n)

    with keyboard(script, choices) as kb:
        make_wizard(project, path, checklists, kb).run(0)
    assert kb.asked[-2:] == ["team_tasks", "task_communication"]
    assert saved(path)["task_communication"] == "Jef"
    assert seen[-1] == "Looks right?"


# -- contradictions said when they happen --------------------------------------------
def test_warns_when_pairs_exceed_places(tmp_path: Path, checklists: Checklists) -> None:
    path = tmp_path / "p.yaml"
    project = start(path, scope_pairs=10, programme_focus="induction")

    def script(q: Question, n: int) -> str | None:
        return {"mentor_pool": CLEAR + "6" + ENTER, "mentees_per_mentor": CLEAR + "1" + ENTER}.get(q.id, CTRL_C)

    with keyboard(script) as kb, pytest.raises(Interrupted):
        wizard = make_wizard(project, path, checklists, kb, quick=True)
        out = screen(wizard)
        wizard.run(3)
    text = " ".join(out.getvalue().split())
    assert "10 pairs are planned, but 6 mentors with 1 place(s) each give 6 places." in text
    assert saved(path)["mentees_per_mentor"] == 1  # a warning, not a refusal


def test_warns_when_programme_is_shorter_than_a_relationship(tmp_path: Path, checklists: Checklists) -> None:
    path = tmp_path / "p.yaml"
    project = start(path, programme_months=3, programme_focus="growth")

    def script(q: Question, n: int) -> str | None:
        return CLEAR + "6" + ENTER if q.id == "relationship_months" else CTRL_C

    with keyboard(script) as kb, pytest.raises(Interrupted):
        wizard = make_wizard(project, path, checklists, kb)
        out = screen(wizard)
        wizard.run(4)
    text = " ".join(out.getvalue().split())
    assert "The programme runs 3 month(s), shorter than one relationship of 6 month(s)." in text


def test_warns_when_the_start_date_lies_in_the_past(tmp_path: Path, checklists: Checklists) -> None:
    path = tmp_path / "p.yaml"
    project = start(path, "nl", org_name="Transport Peeters", coordinator_name="An")
    past = dt.date.today() - dt.timedelta(days=40)

    def script(q: Question, n: int) -> str | None:
        return CLEAR + past.strftime("%d/%m/%Y") + ENTER if q.id == "start_date" else CTRL_C

    with keyboard(script) as kb, pytest.raises(Interrupted):
        wizard = make_wizard(project, path, checklists, kb, quick=True)
        out = screen(wizard)
        wizard.run(0)
    assert f"{past.strftime('%d/%m/%Y')} ligt in het verleden." in out.getvalue()
    assert saved(path)["start_date"] == past


def test_no_warning_when_everything_fits(tmp_path: Path, checklists: Checklists) -> None:
    path = tmp_path / "p.yaml"
    project = start(path, scope_pairs=4, programme_focus="induction")

    def script(q: Question, n: int) -> str | None:
        return {"mentor_pool": CLEAR + "2" + ENTER, "mentees_per_mentor": CLEAR + "2" + ENTER}.get(q.id, CTRL_C)

    with keyboard(script) as kb, pytest.raises(Interrupted):
        wizard = make_wizard(project, path, checklists, kb, quick=True)
        out = screen(wizard)
        wizard.run(3)
    assert "⚠" not in out.getvalue()


# -- steps out of order --------------------------------------------------------------
@pytest.mark.parametrize("accept", [True, False])
def test_step_out_of_order_offers_the_unfinished_step(tmp_path: Path, checklists: Checklists, accept: bool) -> None:
    path = tmp_path / "p.yaml"
    project = start(path)
    project.steps_completed = [0, 1]
    for step in (0, 1):
        for q in checklists.step(step).questions:
            if q.asked and q.applies(project.lookup()):
                value = progress.suggested(q, project.lookup(), checklists, "en")
                project.set_answer(checklists, q.id, plan(q)[1] if value is None else value)
    project_file.save(project, path)

    with keyboard(lambda q, n: CTRL_C) as kb, pytest.raises(Interrupted):
        if not accept:
            kb.confirm = lambda message, lang, default=True: (kb.chosen.append(message), False)[1]  # type: ignore[method-assign]
        wizard = make_wizard(project_file.load(path), path, checklists, kb)
        out = screen(wizard)
        wizard.run(3, check_order=True)
    text = out.getvalue()
    assert "step 2 is not done yet" in text
    assert kb.chosen == ["Start with step 2 first?"]
    first = step_number(checklists, kb.asked[0])
    assert first == (2 if accept else 3)
    # the step's introduction never claims that the goal exists
    assert "Your goal is set" not in text


# -- content fitted to the focus -----------------------------------------------------
def test_growth_theory_waits_behind_the_review_for_an_induction_programme(tmp_path: Path, checklists: Checklists) -> None:
    path = tmp_path / "p.yaml"
    project = start(path, programme_focus="induction")
    roles = [c.id for c in checklists.questions["mentor_roles"].choices]
    reviews: list[list[Any]] = []

    def script(q: Question, n: int) -> str | None:
        if q.id == "mentor_roles":  # the shop floor also wants one skill coached
            return DOWN * roles.index("skill") + " " + ENTER
        return enter_on_defaults(q, n)

    def choices(message: str, values: list[Any]) -> str | None:
        reviews.append(values)
        if message.startswith("Which answer"):
            return DOWN * values.index("tasks_skill") + ENTER  # "show more": the 20 behaviours
        return DOWN + ENTER if len(reviews) == 1 else DOWN * 2 + ENTER  # change, then stop

    with keyboard(script, choices) as kb:
        wizard = make_wizard(project, path, checklists, kb)
        out = screen(wizard)
        wizard.run(3, chain=False)
    first_pass = kb.asked[: kb.asked.index("tasks_skill")]
    assert "tasks_skill" not in first_pass and "profile_skill" not in first_pass  # not asked on the way
    assert "Kolb" not in out.getvalue().split("Your answers in this step")[0]
    loaded = project_file.load(path)
    assert {"tasks_skill", "profile_skill", "training_topics_growth"} <= set(loaded.defaults) | {"tasks_skill"}
    assert kb.asked[-1] == "tasks_skill"  # reachable from the review
    assert "tasks_skill" not in loaded.defaults  # answered by the user now

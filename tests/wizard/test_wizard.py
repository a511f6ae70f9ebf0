"""The wizard driven through questionary's real prompts on a prompt_toolkit pipe."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from driver import CLEAR, CTRL_C, DOWN, ENTER, ESC, F1, SPACE, keyboard, make_wizard, members, plan, step_number
from rich.console import Console

from bmw_mentor.errors import Interrupted
from bmw_mentor.framework.schema import Checklists, Question
from bmw_mentor.projectfile import progress
from bmw_mentor.projectfile import project as project_file
from bmw_mentor.projectfile.project import Project


def saved(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    flat: dict[str, Any] = {}
    for answers in data["answers"].values():
        flat.update(answers)
    return flat


def fresh(path: Path, lang: str = "en") -> Project:
    project = Project(language=lang)  # type: ignore[arg-type]
    project_file.save(project, path)
    return project


def test_all_steps_answered_with_real_keystrokes(tmp_path: Path, checklists: Checklists) -> None:
    path = tmp_path / "p.yaml"
    project = fresh(path)
    with keyboard() as kb:
        make_wizard(project, path, checklists, kb).run(0, chain=True)
    stored = saved(path)
    loaded = project_file.load(path)
    for step in checklists.steps:
        for q in progress.applicable(step, loaded.lookup()):
            if q.group is not None:
                continue  # asked together with others, as one list (below)
            expected = plan(q)[1]
            value = stored[q.id]
            if q.type == "date":
                value = value.isoformat()
            assert value == expected, q.id
    assert loaded.steps_completed == checklists.numbers
    # the second choice was reached with the arrow key, and conditions followed it
    focus = checklists.questions["programme_focus"].choices[1].id
    assert stored["programme_focus"] == focus
    merged = {q.id: q.same_as for q in checklists.questions.values() if q.same_as}
    asked = {qid for a in kb.asked for qid in members(checklists, a)}
    assert asked & set(stored) == set(stored) - set(merged)  # a merged question is never asked ...
    assert not any(checklists.questions[q].applies(loaded.lookup()) for q in asked - set(stored))
    for qid, source in merged.items():
        assert stored[qid] == stored[source]  # ... it takes the answer it was merged into
    # a group is one list: its first two entries were ticked (the driver untoggled the recommended ones)
    needs = checklists.questions["needs_workplace"].choices
    assert stored["needs_workplace"] == [needs[0].id, needs[1].id] and stored["needs_hr"] == []
    agreements = [q.id for q in checklists.step(3).questions if q.group == "matching_agreements"]
    assert [stored[q] for q in agreements if q in stored] == [True, True] + [False] * (len([q for q in agreements if q in stored]) - 2)


def test_words_for_mentor_are_used_after_step_one(tmp_path: Path, checklists: Checklists) -> None:
    path = tmp_path / "p.yaml"
    project = fresh(path)
    with keyboard() as kb:
        make_wizard(project, path, checklists, kb).run(1, chain=True)
    later = [p for qid, p in zip(kb.asked, kb.prompts) if step_number(checklists, qid) >= 3]
    assert any("buddy" in p or "starter" in p for p in later)
    assert not any("{mentor" in p or "{mentee" in p for p in kb.prompts)


def test_escape_goes_back_and_the_answer_can_be_changed(tmp_path: Path, checklists: Checklists) -> None:
    path = tmp_path / "p.yaml"
    project = fresh(path)

    def script(q: Question, n: int) -> str | None:
        if q.id == "org_sector" and n == 1:
            return ESC
        if q.id == "org_name" and n == 2:
            return CLEAR + "Second name" + ENTER
        if q.id == "coordinator_name":
            return CTRL_C
        return None

    with keyboard(script) as kb, pytest.raises(Interrupted):
        make_wizard(project, path, checklists, kb).run(0)
    assert kb.asked[:4] == ["org_name", "org_sector", "org_name", "org_sector"]
    assert saved(path)["org_name"] == "Second name"


def test_help_key_shows_help_and_asks_again(tmp_path: Path, checklists: Checklists) -> None:
    path = tmp_path / "p.yaml"
    project = fresh(path)
    out = tmp_path / "screen.txt"

    def script(q: Question, n: int) -> str | None:
        if q.id == "vision_achieve" and n == 1:
            return F1
        if q.id == "group_needs" and n == 1:
            return "?"
        if q.id == "group_learning":
            return CTRL_C
        return None

    with keyboard(script) as kb, out.open("w") as screen, pytest.raises(Interrupted):
        wizard = make_wizard(project, path, checklists, kb)
        wizard.console = Console(file=screen, width=100, color_system=None)
        wizard.run(1)
    assert kb.asked[:5] == ["vision_achieve", "vision_achieve", "vision_today", "group_needs", "group_needs"]
    text = out.read_text()
    example = checklists.questions["vision_achieve"].examples[0].text.en[:30]
    assert example in " ".join(text.split())


def test_ctrl_c_keeps_answers_and_step_resumes_there(tmp_path: Path, checklists: Checklists) -> None:
    path = tmp_path / "p.yaml"
    project = fresh(path)

    def script(q: Question, n: int) -> str | None:
        return CTRL_C if q.id == "goal_statement" else None

    with keyboard(script) as kb, pytest.raises(Interrupted) as stop:
        make_wizard(project, path, checklists, kb).run(2, chain=False)
    assert "mentor step 2" in str(stop.value)
    before = saved(path)
    assert "programme_focus" in before and "goal_statement" not in before

    reloaded = project_file.load(path)
    with keyboard() as kb2:
        make_wizard(reloaded, path, checklists, kb2).run(2, chain=False)
    assert kb2.asked[0] == "goal_statement"
    assert saved(path)["programme_focus"] == before["programme_focus"]


def test_revisit_offers_saved_answers_as_defaults(tmp_path: Path, checklists: Checklists) -> None:
    path = tmp_path / "p.yaml"
    project = fresh(path)
    with keyboard() as kb:
        make_wizard(project, path, checklists, kb).run(2, chain=False)
    first = saved(path)
    with keyboard(lambda q, n: ENTER) as kb2:
        make_wizard(project_file.load(path), path, checklists, kb2).run(2, chain=False)
    assert kb2.asked[0] == "programme_focus"  # a finished step starts from the top
    assert saved(path) == first


def test_saved_answer_that_no_longer_fits_is_asked_again(tmp_path: Path, checklists: Checklists) -> None:
    path = tmp_path / "p.yaml"
    project = fresh(path)
    with keyboard() as kb:
        make_wizard(project, path, checklists, kb).run(2, chain=False)
    text = path.read_text(encoding="utf-8")
    focus = saved(path)["programme_focus"]
    path.write_text(text.replace(f"programme_focus: {focus}", "programme_focus: retired_option"), encoding="utf-8")
    reloaded = project_file.load(path)
    assert progress.first_open(reloaded, checklists.step(2)) == 0
    with keyboard() as kb2:
        make_wizard(reloaded, path, checklists, kb2).run(2, chain=False)
    assert kb2.asked[0] == "programme_focus"
    assert saved(path)["programme_focus"] == focus


def test_other_entry_in_a_checkbox_keeps_free_text(tmp_path: Path, checklists: Checklists) -> None:
    path = tmp_path / "p.yaml"
    project = fresh(path)
    q = checklists.questions["channels"]
    assert q.other

    def script(q: Question, n: int) -> str | None:
        if q.id == "channels":
            last = len(q.choices)
            # the recommended channels come pre-ticked: "a" ticks all, "a" again none
            return "aa" + SPACE + DOWN * last + SPACE + ENTER + "Canteen screen; Radio" + ENTER
        if q.id == "readiness_attitude":
            return CTRL_C
        return None

    with keyboard(script) as kb, pytest.raises(Interrupted):
        make_wizard(project, path, checklists, kb).run(0)
    assert saved(path)["channels"] == [q.choices[0].id, "Canteen screen", "Radio"]


def test_validation_rejects_then_accepts(tmp_path: Path, checklists: Checklists) -> None:
    path = tmp_path / "p.yaml"
    project = fresh(path)

    def script(q: Question, n: int) -> str | None:
        if q.id == "start_date":
            # an impossible date is refused on screen; the prompt stays open for the next try
            return CLEAR + "31/2/2027" + ENTER + CLEAR + "15/9/2027" + ENTER
        if q.id == "programme_months":
            return CLEAR + "many" + ENTER + CLEAR + "9" + ENTER
        if q.id == "channels":
            return CTRL_C
        return None

    with keyboard(script) as kb, pytest.raises(Interrupted):
        make_wizard(project, path, checklists, kb).run(0)
    stored = saved(path)
    assert stored["start_date"] == dt.date(2027, 9, 15)
    assert stored["programme_months"] == 9


def test_dutch_wizard_fills_the_organisations_words(tmp_path: Path, checklists: Checklists) -> None:
    path = tmp_path / "p.yaml"
    project = fresh(path, "nl")
    with keyboard() as kb:
        make_wizard(project, path, checklists, kb).run(1, chain=True)
    assert project_file.load(path).language == "nl"
    step3 = [p for qid, p in zip(kb.asked, kb.prompts) if step_number(checklists, qid) == 3]
    assert step3 and any("buddy" in p or "starter" in p for p in step3)


def test_help_keeps_what_was_typed_or_ticked(tmp_path: Path, checklists: Checklists) -> None:
    path = tmp_path / "p.yaml"
    project = fresh(path)

    def script(q: Question, n: int) -> str | None:
        if q.id == "org_name":
            return {1: CLEAR + "Half typed" + F1, 2: " name" + ENTER}[n]
        if q.id == "channels":
            return {1: "aa" + SPACE + DOWN + DOWN + SPACE + "?", 2: ENTER}[n]
        if q.id == "readiness_attitude":
            return CTRL_C
        return None

    with keyboard(script) as kb, pytest.raises(Interrupted):
        make_wizard(project, path, checklists, kb).run(0)
    stored = saved(path)
    assert stored["org_name"] == "Half typed name"
    ids = [c.id for c in checklists.questions["channels"].choices]
    assert stored["channels"] == [ids[0], ids[2]]

"""The shipped checklists: complete, bilingual, and a broken one is reported clearly."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from bmw_mentor import cli
from bmw_mentor.errors import ExitCode
from bmw_mentor.framework.checklist import load
from bmw_mentor.framework.schema import Checklists
from bmw_mentor.framework.text import texts_of

# OUTLINE.md counts: checklist 1 has 49 needs in six domains, checklist 2 about 28 activities.
NEEDS = {
    "needs_workplace": 8,
    "needs_competences": 14,
    "needs_hr": 10,
    "needs_social": 7,
    "needs_production": 5,
    "needs_communication": 5,
}
LEARNING = ["learning_work_formal", "learning_work_informal", "learning_outside_formal", "learning_outside_informal"]


def test_checklist_one_has_all_49_needs_in_six_domains(checklists: Checklists) -> None:
    counts = {qid: len(checklists.questions[qid].choices) for qid in NEEDS}
    assert counts == NEEDS
    assert sum(counts.values()) == 49


def test_checklist_two_covers_the_whole_grid(checklists: Checklists) -> None:
    sizes = [len(checklists.questions[qid].choices) for qid in LEARNING]
    assert all(size >= 2 for size in sizes)
    assert sum(sizes) >= 28


def test_every_step_of_the_framework_is_there(checklists: Checklists) -> None:
    assert checklists.numbers == [0, 1, 2, 3, 4]
    for qid in ["vision_achieve", "vision_today", "going_well", "next_step", "strengths"]:
        assert checklists.step_of[qid].number == 1  # the five appreciative questions
    for qid in ["mentor", "mentors", "mentee", "mentees"]:
        assert checklists.step_of[qid].number == 1
    assert {"induction", "growth", "both"} <= {c.id for c in checklists.questions["programme_focus"].choices}
    assert len(checklists.questions["contract_points"].choices) == 14
    assert len(checklists.questions["programme_evaluation"].choices) == 8
    tasks = [q for q in checklists.step(0).questions if q.id.startswith("task_")]
    assert len(tasks) == 8  # the project team's eight tasks


def test_questions_apply_only_to_the_right_kind_of_programme(checklists: Checklists) -> None:
    induction_only = checklists.questions["start_induction"]
    growth_only = checklists.questions["contract_points"]
    assert induction_only.applies({"programme_focus": "induction"})
    assert not induction_only.applies({"programme_focus": "growth"})
    assert growth_only.applies({"programme_focus": "growth"})
    assert not growth_only.applies({"programme_focus": "induction"})


def test_every_text_exists_in_both_languages(checklists: Checklists) -> None:
    for q in checklists.questions.values():
        for text in texts_of(q):
            assert text.strip(), q.id


# Small English words that would betray an untranslated Dutch text.
ENGLISH = re.compile(r"\b(the|and|with|your|you|which|what|how|should|would|from|this|that|when|who)\b")


def test_dutch_texts_contain_no_english(checklists: Checklists) -> None:
    offenders = []
    for step in checklists.steps:
        parts = [step.title.nl, step.intro.nl]
        for q in step.questions:
            parts += list(texts_of(q))[1::2]  # texts_of yields en, nl pairs
        for text in parts:
            if ENGLISH.search(text):
                offenders.append(text[:80])
    for topic in checklists.topics.values():
        for text in (topic.title.nl, topic.body.nl):
            if ENGLISH.search(text):
                offenders.append(text[:80])
    assert offenders == []


def test_background_topics_cover_outline_section_zero(checklists: Checklists) -> None:
    wanted = {
        "what_is_mentoring", "when_mentoring", "benefits", "pitfalls", "resistance", "mentor_vs_manager",
        "legal_be", "formal_programme", "project_team", "communication", "readiness",
    }  # fmt: skip
    assert wanted <= set(checklists.topics)
    linked = {t for q in checklists.questions.values() for t in q.background}
    assert wanted <= linked  # each is reachable as help from some question


def test_partner_examples_are_offered(checklists: Checklists) -> None:
    per_step = {s.number: sum(len(q.examples) for q in s.questions) for s in checklists.steps}
    assert per_step[1] >= 20 and per_step[2] >= 20 and per_step[3] >= 10 and per_step[4] >= 10


@pytest.fixture
def broken_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(REPO / "checklists", tmp_path / "checklists")
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    monkeypatch.setenv("MENTOR_DATA_DIR", str(tmp_path))
    from bmw_mentor.files import resources

    resources.data_dir.cache_clear()
    yield tmp_path / "checklists"
    resources.data_dir.cache_clear()


def _run_status(workdir: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from bmw_mentor.framework import checklist

    checklist.shipped.cache_clear()
    code = cli.run(["status", "-p", str(workdir / "none.yaml")])
    checklist.shipped.cache_clear()
    return code, capsys.readouterr().err


def test_missing_translation_names_file_field_and_line(
    broken_data: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    step2 = broken_data / "step2.yaml"
    text = step2.read_text(encoding="utf-8")
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("nl:") and i > 5)
    del lines[index]
    step2.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, err = _run_status(workdir, capsys)
    assert code == ExitCode.CHECKLIST_INVALID
    assert len(err.strip().splitlines()) == 1
    assert "step2.yaml" in err and ".nl" in err and "line" in err and "Traceback" not in err


def test_unknown_question_type_is_reported(broken_data: Path, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    step1 = broken_data / "step1.yaml"
    text = step1.read_text(encoding="utf-8")
    step1.write_text(text.replace("type: long_text", "type: essay", 1), encoding="utf-8")
    code, err = _run_status(workdir, capsys)
    assert code == ExitCode.CHECKLIST_INVALID
    assert "step1.yaml" in err and ".type" in err and "line" in err


def test_checklist_that_is_not_yaml(broken_data: Path, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (broken_data / "step3.yaml").write_text("number: 3\nquestions: [unclosed\n", encoding="utf-8")
    code, err = _run_status(workdir, capsys)
    assert code == ExitCode.CHECKLIST_INVALID
    assert "step3.yaml" in err and "line" in err


def test_condition_on_a_later_question_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "checklists"
    folder.mkdir()
    (folder / "step1.yaml").write_text(
        """
number: 1
id: step1
title: {en: One, nl: Een}
intro: {en: Intro, nl: Intro}
questions:
  - id: first
    type: text
    prompt: {en: First?, nl: Eerste?}
    when: {answer: second, is_set: true}
  - id: second
    type: text
    prompt: {en: Second?, nl: Tweede?}
""",
        encoding="utf-8",
    )
    from bmw_mentor.errors import ChecklistInvalidError

    with pytest.raises(ChecklistInvalidError, match="not an earlier question"):
        load(folder)

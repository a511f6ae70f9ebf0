"""End to end: the installed ``mentor`` in a pseudo-terminal, answered with real keystrokes."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest
import yaml
from driver import CTRL_C, DOWN, ENTER, ESC, plan

from bmw_mentor.errors import ExitCode
from bmw_mentor.framework.schema import Checklists, Question
from bmw_mentor.framework.text import Filler
from bmw_mentor.projectfile import progress
from bmw_mentor.projectfile.project import Project
from bmw_mentor.wizard import groups

pytestmark = pytest.mark.e2e


def mentor_command() -> str:
    found = shutil.which("mentor", path=os.path.dirname(sys.executable)) or shutil.which("mentor")
    if found is None:
        pytest.fail("the `mentor` console script is not installed next to this Python")
    return found


def spawn(args: list[str], cwd: Path) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTOR_")}
    env.update({"TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "COLUMNS": "120", "LINES": "40"})
    # pexpect is not a real terminal and never answers prompt_toolkit's cursor-position request
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    child = pexpect.spawn(mentor_command(), args, cwd=str(cwd), env=env, encoding="utf-8", timeout=20,
                          dimensions=(40, 120))  # fmt: skip
    child.logfile_read = open(cwd / "screen.log", "a", encoding="utf-8")  # noqa: SIM115
    return child


class Player:
    """Plays the keyboard part for a run, knowing which question comes next from the checklists."""

    def __init__(self, child: pexpect.spawn, checklists: Checklists, planned: Project) -> None:
        self.child = child
        self.checklists = checklists
        self.planned = planned  # the answers this player has given so far

    def units(self, number: int) -> list[list[Question]]:
        return progress.units(progress.applicable(self.checklists.step(number), self.planned.lookup()))

    def questions(self, number: int) -> list[Question]:
        """What is on screen, prompt by prompt: a question, or several asked as one list."""
        step = self.checklists.step(number)
        return [unit[0] if len(unit) == 1 else groups.as_one(step, unit) for unit in self.units(number)]

    def default(self, q: Question) -> Any:
        saved = self.planned.lookup().get(q.id)
        return saved if saved is not None else progress.suggested(q, self.planned.lookup(), self.checklists, "en")

    def wait_for(self, q: Question, index: int, total: int) -> None:
        # the total is fixed when the step starts; answers other than the defaults may add questions
        self.child.expect_exact(f"question {index + 1} of ")
        text = Filler(self.checklists, self.planned.lookup(), "en")(q.prompt)
        self.child.expect_exact(text[:24])

    def answer(self, number: int, index: int) -> None:
        qs = self.questions(number)
        q = qs[index]
        self.wait_for(q, index, len(qs))
        unit = self.units(number)[index]
        current = {m.id: self.default(m) for m in unit}
        default = current[q.id] if len(unit) == 1 else groups.joined(unit, current)
        keys, value = plan(q, default=default)
        self.child.send(keys)
        answers = {q.id: value} if len(unit) == 1 else groups.split(unit, value, current)
        for qid, v in answers.items():
            self.planned.set_answer(self.checklists, qid, v)

    def step(self, number: int, start: int = 0, stop: int | None = None, back_at: int | None = None) -> None:
        index = start
        while index < len(self.questions(number)) and (stop is None or index < stop):
            if back_at is not None and index == back_at:
                q = self.questions(number)[index]
                self.wait_for(q, index, len(self.questions(number)))
                self.child.send(ESC)
                back_at = None
                index -= 1
                # back at the previous question, its saved answer is on screen: keep it
                qs = self.questions(number)
                self.wait_for(qs[index], index, len(qs))
                self.child.send(ENTER)
                index += 1
                continue
            self.answer(number, index)
            index += 1

    def go_on(self, number: int) -> None:
        self.child.expect_exact("Looks right?")
        self.child.expect_exact(f"Yes, go on with step {number}")
        self.child.send(ENTER)


def flat(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out: dict[str, Any] = {}
    for answers in data["answers"].values():
        out.update(answers)
    return out


def test_new_user_answers_everything_with_a_stop_half_way(tmp_path: Path, checklists: Checklists) -> None:
    child = spawn(["init"], tmp_path)
    child.expect_exact("Language / Taal")
    child.send(ENTER)  # English is offered first
    child.expect_exact("Full framework")
    child.send(DOWN + ENTER)  # the quick start is offered first
    player = Player(child, checklists, Project(language="en"))
    player.step(0)
    player.go_on(1)
    player.step(1)
    player.go_on(2)
    player.step(2)
    player.go_on(3)
    # go back once in step 3, then stop half-way with Ctrl-C
    half = len(player.questions(3)) // 2
    player.step(3, stop=half, back_at=3)
    qs = player.questions(3)
    player.wait_for(qs[half], half, len(qs))
    child.send(CTRL_C)
    child.expect_exact("mentor step 3")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == ExitCode.INTERRUPTED

    project_path = tmp_path / "mentor-project.yaml"
    stored = flat(project_path)
    for qid, value in player.planned.lookup().items():
        got = stored[qid].isoformat() if hasattr(stored[qid], "isoformat") else stored[qid]
        assert got == value, qid
    assert qs[half].id not in stored

    # resume: step 3 continues at the question where Ctrl-C was pressed
    child = spawn(["step", "3"], tmp_path)
    player.child = child
    player.step(3, start=half)
    player.go_on(4)
    player.step(4)
    child.expect_exact("Looks right?")
    child.send(ENTER)  # yes, finish
    child.expect_exact("All steps are done")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    stored = flat(project_path)
    assert set(stored) == set(player.planned.lookup())
    data = yaml.safe_load(project_path.read_text(encoding="utf-8"))
    assert data["steps_completed"] == [0, 1, 2, 3, 4]
    assert (project_path.stat().st_mode & 0o777) == 0o600

    child = spawn(["status"], tmp_path)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "mentor export" in child.before


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_quick_start_takes_at_most_30_prompts_and_leaves_no_open_quick_topic(
    tmp_path: Path, checklists: Checklists, lang: str
) -> None:
    from bmw_mentor.documents.plan import build
    from bmw_mentor.messages import msg
    from bmw_mentor.projectfile import project as project_file

    child = spawn(["init"], tmp_path)
    prompts = 0
    child.expect_exact("Language / Taal")
    child.send(ENTER if lang == "en" else DOWN + ENTER)
    prompts += 1
    child.expect_exact(msg("path_question", lang))
    child.send(ENTER)  # the quick start comes first
    prompts += 1
    planned = Project(language=lang)  # type: ignore[arg-type]
    for step in checklists.steps:
        index = 0
        while index < len(progress.units(progress.applicable(step, planned.lookup(), quick=True))):
            unit = progress.units(progress.applicable(step, planned.lookup(), quick=True))[index]
            q = unit[0] if len(unit) == 1 else groups.as_one(step, unit)
            child.expect_exact(msg("where_question", lang, i=index + 1, n=""))
            child.expect_exact(Filler(checklists, planned.lookup(), lang)(q.prompt)[:24])
            current = {m.id: progress.suggested(m, planned.lookup(), checklists, lang) for m in unit}
            keys, value = plan(q, lang, default=current[q.id] if len(unit) == 1 else groups.joined(unit, current))
            child.send(keys)
            prompts += 1
            for qid, v in ({q.id: value} if len(unit) == 1 else groups.split(unit, value, current)).items():
                planned.set_answer(checklists, qid, v)
            index += 1
        progress.fill_recommended(planned, checklists, step)
        child.expect_exact(msg("review_question", lang))
        child.send(ENTER)  # looks right: go on
        prompts += 1
    child.expect_exact(msg("all_done", lang, path="")[:20])
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert prompts <= 30, prompts
    print(f"quick start, {lang}: {prompts} prompts")  # quoted in the issue note (pytest -s)

    child = spawn(["export", "plan.html"], tmp_path)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    page = (tmp_path / "plan.html").read_text(encoding="utf-8")
    project = project_file.load(tmp_path / "mentor-project.yaml")
    assert project.steps_completed == checklists.numbers
    quick_topics = {q.id for q in checklists.questions.values() if q.quick}
    defaulted = set(project.defaults)
    assert defaulted and not defaulted & quick_topics
    # no open point among the quick start's topics, nor among the decisions it took a default for
    open_points = {t.question for g in build(project, checklists).todo_groups for t in g.todos}
    assert not open_points & (quick_topics | defaulted)
    # the plan says which parts are recommended defaults, and how to review them
    from bmw_mentor.documents.builder import strings

    intro = strings()["defaults_intro"][lang].replace("'", "&#39;")
    assert intro in page
    listed = page.split(intro)[1].split("</ul>")[0]
    # the cover names the steps that hold recommended answers; the commands are for the coordinator's appendix
    assert listed.count("<li>") >= 3 and "mentor step" not in listed
    assert (tmp_path / "screen.log").read_text(encoding="utf-8").count("⚠") == 0

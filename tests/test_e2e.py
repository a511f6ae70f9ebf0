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
from driver import CTRL_C, ENTER, ESC, plan

from bmw_mentor.errors import ExitCode
from bmw_mentor.framework.schema import Checklists, Question
from bmw_mentor.framework.text import Filler
from bmw_mentor.projectfile import progress
from bmw_mentor.projectfile.project import Project

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

    def questions(self, number: int) -> list[Question]:
        return progress.applicable(self.checklists.step(number), self.planned.lookup())

    def wait_for(self, q: Question, index: int, total: int) -> None:
        self.child.expect_exact(f"question {index + 1} of {total}")
        text = Filler(self.checklists, self.planned.lookup(), "en")(q.prompt)
        self.child.expect_exact(text[:24])

    def answer(self, number: int, index: int) -> None:
        qs = self.questions(number)
        q = qs[index]
        self.wait_for(q, index, len(qs))
        keys, value = plan(q)
        self.child.send(keys)
        self.planned.set_answer(self.checklists, q.id, value)

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
        self.child.expect_exact(f"Go on with step {number}?")
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

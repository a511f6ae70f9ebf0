"""The wizard open in one terminal and `mentor match --save` in another: both the answers and the pairs survive."""

from __future__ import annotations

import sys
from pathlib import Path

import pexpect
import pytest
import yaml
from driver import CTRL_C, ENTER, plan
from test_concurrency import PEOPLE

from bmw_mentor import cli
from bmw_mentor.errors import ExitCode
from bmw_mentor.framework.schema import Checklists
from bmw_mentor.projectfile import progress
from bmw_mentor.projectfile.project import Project

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from test_e2e import spawn  # noqa: E402

pytestmark = pytest.mark.e2e


def test_an_answer_and_saved_pairs_from_another_terminal_both_stay(
    tmp_path: Path, checklists: Checklists, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LC_ALL", "C")
    monkeypatch.delenv("MENTOR_PROJECT", raising=False)
    (tmp_path / "start.yaml").write_text("org_name: Acme\nstart_date: 2027-01-04\n", encoding="utf-8")
    assert cli.run(["init", "--lang", "en", "--answers", "start.yaml"]) == 0
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    questions = progress.applicable(checklists.step(1), Project(language="en").lookup())

    child = spawn(["step", "1"], tmp_path)
    child.expect_exact("Start with Project set-up first?")  # the set-up is not done: no, step 1 as asked
    child.send("\x1b[B" + ENTER)
    child.expect_exact("question 1 of")
    keys, first = plan(questions[0])
    child.send(keys)
    child.expect_exact(f"question 2 of")
    # the wizard waits for its second answer; meanwhile another terminal saves pairs
    assert cli.run(["match", "people.csv", "--save"]) == 0
    keys, second = plan(questions[1])
    child.send(keys)
    child.expect_exact("question 3 of")
    child.send(CTRL_C)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == ExitCode.INTERRUPTED

    data = yaml.safe_load((tmp_path / "mentor-project.yaml").read_text(encoding="utf-8"))
    assert {(p["mentor"], p["mentee"]) for p in data["pairs"]} == {
        ("Katrien Desmet", "Wietse Vandromme"),
        ("Joris Van Acker", "Lotte Claeys"),
    }
    assert data["answers"]["step1"][questions[0].id] == first
    assert data["answers"]["step1"][questions[1].id] == second
    assert data["answers"]["setup"]["org_name"] == "Acme"

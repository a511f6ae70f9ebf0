"""``mentor forget`` takes a person out of the check-in log, the evaluation responses and the reports."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bmw_mentor import cli

PROJECT = """schema_version: 1
language: en
answers:
  setup:
    org_name: Acme Freight
    start_date: 2028-01-31
  step2:
    programme_focus: induction
  step4:
    meeting_frequency: monthly
pairs:
- {mentor: An Peeters, mentee: Sofie Janssens}
- {mentor: Bram De Smet, mentee: Julie Claes}
"""
FOLLOWUP = """I am,Name (optional),Is the mentee still working at Acme Freight?,What helped you most in the first months?
mentee,Sofie Janssens,yes,Riding along with An
mentee,Julie Claes,yes,The checklist for the first week
mentee,Tom Wouters,no,Sofie Janssens showed me the depot
mentee,,yes,The patience of Bram De Smet
"""


@pytest.fixture
def project(workdir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = workdir / "mentor-project.yaml"
    path.write_text(PROJECT, encoding="utf-8")
    assert cli.run(["log", "An Peeters", "Sofie Janssens", "--date", "2028-02-10", "--minutes", "30"]) == 0
    assert cli.run(["log", "Julie Claes", "--date", "2028-02-11", "--note", "first week"]) == 0
    (workdir / "followup.csv").write_text(FOLLOWUP, encoding="utf-8")
    assert cli.run(["evaluate", "followup.csv", "--out", "report.html", "--out", "report.md"]) == 0
    capsys.readouterr()
    return path


def test_forget_removes_check_ins_and_identifiable_responses(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = project.parent
    assert "Riding along with An" in (folder / "report.md").read_text(encoding="utf-8")
    assert "Sofie Janssens showed me the depot" in (folder / "report.md").read_text(encoding="utf-8")
    assert cli.run(["forget", "sofie  janssens"]) == 0
    out = capsys.readouterr().out
    assert "removed 1 meeting" in out and "evaluation response" in out
    log = (folder / "mentor-checkins.csv").read_text(encoding="utf-8-sig")
    assert "Sofie" not in log and "Julie Claes" in log
    store = (folder / "mentor-responses.yaml").read_text(encoding="utf-8")
    assert "Sofie" not in store and "Julie Claes" in store
    assert stat.S_IMODE((folder / "mentor-responses.yaml").stat().st_mode) == 0o600
    for report in ("report.md", "report.html"):
        text = (folder / report).read_text(encoding="utf-8")
        # her own row and an answer that names her are gone; the others stay
        assert "Riding along with An" not in text and "Sofie" not in text
        assert "The checklist for the first week" in text and "The patience of Bram De Smet" in text
    # the pair is gone from the project, so the status no longer lists it
    assert cli.run(["status", "--as-of", "2028-03-01"]) == 0
    assert "Sofie" not in capsys.readouterr().out


def test_forget_finds_a_person_who_is_only_in_the_log(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_text(PROJECT.replace("- {mentor: Bram De Smet, mentee: Julie Claes}\n", ""), encoding="utf-8")
    assert cli.run(["forget", "Bram De Smet"]) == 0
    assert "Bram" not in (project.parent / "mentor-checkins.csv").read_text(encoding="utf-8-sig")
    # an answer that names him is left out of the report
    assert "Bram" not in (project.parent / "report.md").read_text(encoding="utf-8")


def test_forget_leaves_a_report_it_cannot_prove_it_wrote(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = project.parent / "report.md"
    report.write_text("My own notes about Sofie Janssens\n", encoding="utf-8")  # no longer what mentor wrote
    assert cli.run(["forget", "Sofie Janssens"]) != 0
    assert "report.md" in capsys.readouterr().err
    assert report.read_text(encoding="utf-8") == "My own notes about Sofie Janssens\n"
    assert "Sofie" not in (project.parent / "mentor-checkins.csv").read_text(encoding="utf-8-sig")

"""``mentor log`` and the pairs view of ``mentor status``, through the command line."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bmw_mentor import cli
from bmw_mentor.errors import ExitCode

PROJECT = """schema_version: 1
language: {lang}
answers:
  setup:
    org_name: Transport Test
    start_date: 2028-01-31
  step2:
    programme_focus: induction
  step4:
    relationship_months: 6
    meeting_frequency: monthly
    review_months_induction: [month_1, end_of_period]
pairs:
- {{mentor: An Peeters, mentee: Sofie Janssens}}
- {{mentor: Bram De Smet, mentee: Julie Claes}}
"""


@pytest.fixture
def project(workdir: Path) -> Path:
    path = workdir / "mentor-project.yaml"
    path.write_text(PROJECT.format(lang="en"), encoding="utf-8")
    return path


def test_log_keeps_the_meeting_owner_only_and_status_shows_who_is_overdue(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.run(["log", "an peeters", "Sofie  Janssens", "--date", "29/2/2028", "--minutes", "40", "--review"]) == 0
    log = project.parent / "mentor-checkins.csv"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    text = log.read_text(encoding="utf-8-sig")
    assert "2028-02-29,An Peeters,Sofie Janssens,40,Yes," in text  # the saved spelling of the names
    capsys.readouterr()
    assert cli.run(["status", "--as-of", "2028-03-10"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if "An Peeters" in line)
    assert "1/1" in row and "!" not in row
    late = next(line for line in out.splitlines() if "Bram De Smet" in line and "│" in line)
    assert "0/1" in late and "2028-02-29 !" in late
    attention = " ".join(out[out.index("Needs your attention") :].split())  # however the terminal wrapped it
    assert "Bram De Smet – Julie Claes" in attention and "Sofie" not in attention
    assert "review planned for 2028-02-29 is not logged" in attention


def test_one_name_is_enough_when_it_is_in_one_pair(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(["log", "Julie Claes", "--date", "2028-02-15", "--note", "first shift together"]) == 0
    assert "Bram De Smet,Julie Claes,,,first shift together" in (project.parent / "mentor-checkins.csv").read_text(
        encoding="utf-8-sig"
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["log", "Nobody", "Here"], "is not a saved pair"),
        (["log", "An Peeters", "Sofie Janssens", "--date", "31/2/2028"], "is not a date"),
        (["log"], "give the pair"),
    ],
)
def test_bad_input_is_one_line_and_nothing_is_written(
    project: Path, capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    assert cli.run(args) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err
    assert not (project.parent / "mentor-checkins.csv").exists()


def test_log_from_a_workbook_with_its_own_column_names(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Opmerking", "Naam mentee", "Dag", "Peter", "Duur"])
    import datetime as dt

    sheet.append(["kennismaking", "Sofie Janssens", dt.datetime(2028, 2, 1), "An Peeters", 30])
    sheet.append(["", "Julie Claes", "3/2/2028", "Bram De Smet", ""])
    sheet.append(["wrong pair", "Julie Claes", "2028-02-04", "An Peeters", 20])
    source = project.parent / "meetings.xlsx"
    book.save(source)
    assert cli.run(["log", "--from", str(source)]) == 0
    captured = capsys.readouterr()
    assert "line 4 skipped" in captured.err and "are not a saved pair" in captured.err
    rows = (project.parent / "mentor-checkins.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[1:] == [
        "2028-02-01,An Peeters,Sofie Janssens,30,,kennismaking",
        "2028-02-03,Bram De Smet,Julie Claes,,,",
    ]
    # the same meeting again is not counted twice
    assert cli.run(["log", "--from", str(source)]) == 0
    assert len((project.parent / "mentor-checkins.csv").read_text(encoding="utf-8-sig").splitlines()) == 3


def test_status_speaks_the_project_language(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_text(PROJECT.format(lang="nl"), encoding="utf-8")
    assert cli.run(["status", "--as-of", "2028-04-01"]) == 0
    out = capsys.readouterr().out
    assert "Duo's op 2028-04-01" in out and "Vraagt uw aandacht (2)" in out


def test_a_damaged_log_is_one_line_and_is_left_alone(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = project.parent / "mentor-checkins.csv"
    log.write_bytes(b"Date,Mentor\n\x00\x01")
    assert cli.run(["status"]) == ExitCode.RECORDS_INVALID
    assert cli.run(["log", "Julie Claes", "--date", "2028-02-15"]) == ExitCode.RECORDS_INVALID
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "mentor-checkins.csv" in err
    assert log.read_bytes() == b"Date,Mentor\n\x00\x01"

"""Dates from year 1 to 9999 through every command; encodings; what the outputs let through."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from bmw_mentor import cli
from bmw_mentor.errors import ExitCode
from bmw_mentor.framework.answers import AnswerError, normalise
from bmw_mentor.framework.checklist import shipped
from bmw_mentor.messages import msg
from bmw_mentor.projectfile import progress
from bmw_mentor.projectfile.project import load

PEOPLE = "name,role,department\nKatrien Desmet,mentor,Production\nWietse Vandromme,mentee,Production\n"
YEARS = [1, 1899, 1900, 2027, 2200, 2201, 9999]


@pytest.fixture
def project(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LC_ALL", "C")
    (workdir / "start.yaml").write_text("org_name: Acme\nstart_date: 2027-01-04\nprogramme_months: 12\n", encoding="utf-8")
    assert cli.run(["init", "--lang", "en", "--answers", "start.yaml"]) == 0
    (workdir / "people.csv").write_text(PEOPLE, encoding="utf-8")
    return workdir / "mentor-project.yaml"


def set_start(project: Path, day: dt.date) -> None:
    """The start date as someone typed it into the project file by hand."""
    text = project.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["answers"]["setup"]["start_date"] = day
    project.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("year", YEARS)
def test_every_command_takes_any_year(project: Path, year: int, capsys: pytest.CaptureFixture[str]) -> None:
    day = dt.date(year, 1, 4)
    inside = 1900 <= year <= 2200
    assert cli.run(["match", "people.csv", "--save", "-o", "sheet.md"]) == 0
    set_start(project, day)
    commands = [
        ["status"],
        ["check"],
        ["check", "--format", "json"],
        ["export", "plan.html"],
        ["export", "plan.md"],
        ["export", "plan.ics"],
        ["export", "plans/", "--format", "md"],
        ["match", "people.csv", "--save", "-o", "sheet.md"],
        ["participants", "add", "--from", "people.csv"],
        ["participants", "list"],
        ["forget", "Wietse Vandromme"],
    ]
    (project.parent / "plans").mkdir()
    for args in commands:
        capsys.readouterr()
        code = cli.run(args)
        err = capsys.readouterr().err
        assert code == 0, (args, err)
    for name in ("plan.html", "plan.md", "plan.ics", "sheet.md", "mentor-project.yaml"):
        assert "Wietse" not in (project.parent / name).read_text(encoding="utf-8"), name
    # the plan is dated from the start date only when it lies in the years a plan can have
    assert (str(year) in (project.parent / "plan.ics").read_text(encoding="utf-8")) == inside

    # an answers file, the wizard's check and the saved file all say the same about it
    (project.parent / "again.yaml").write_text(f"start_date: {day.isoformat()}\n", encoding="utf-8")
    capsys.readouterr()
    code = cli.run(["step", "0", "--answers", "again.yaml"])
    err = capsys.readouterr().err
    q = shipped().questions["start_date"]
    said = msg("answer_date_range", "en", first=1900, last=2200)
    if inside:
        assert code == 0 and progress.saved_problem(q, load(project)) is None
    else:
        assert code == ExitCode.ANSWERS_INVALID and said in err
        with pytest.raises(AnswerError, match=said):
            normalise(q, day.strftime("%d/%m/") + f"{year:04d}", "en")  # as typed in the wizard
        assert progress.saved_problem(q, load(project)) == said


def test_dates_in_the_dutch_wizard_say_the_same(project: Path) -> None:
    q = shipped().questions["start_date"]
    with pytest.raises(AnswerError, match="Typ een datum tussen de jaren 1900 en 2200."):
        normalise(q, "1/3/9999", "nl")


# -- encodings -----------------------------------------------------------------------------------
def test_a_stray_byte_in_a_utf8_sheet_is_reported_with_its_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = "name,role\nZoë Peeters,mentee\nRené Claes,mentor\n".encode()
    (project.parent / "stray.csv").write_bytes(good + "Jo\xe9l,mentee\n".encode("cp1252"))
    capsys.readouterr()
    assert cli.run(["participants", "add", "--from", "stray.csv"]) == ExitCode.PARTICIPANTS_INVALID
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "line 4" in err[0] and "0xe9" in err[0]
    assert not (project.parent / "mentor-participants.csv").exists()  # nothing garbled was stored


def test_a_whole_windows_1252_sheet_is_still_read(project: Path) -> None:
    (project.parent / "ansi.csv").write_bytes("name;role\nRené Claes;mentor\nZoë Peeters;mentee\n".encode("cp1252"))
    assert cli.run(["participants", "add", "--from", "ansi.csv"]) == 0
    text = (project.parent / "mentor-participants.csv").read_text(encoding="utf-8-sig")
    assert "René Claes" in text and "Zoë Peeters" in text


def test_a_stray_byte_in_the_project_file_names_its_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = project.read_bytes().replace(b"org_name: Acme", b"org_name: Acm\xe9")
    project.write_bytes(raw)
    line = raw[: raw.index(b"\xe9")].count(b"\n") + 1
    capsys.readouterr()
    assert cli.run(["status"]) == ExitCode.PROJECT_INVALID
    assert f"line {line}:" in capsys.readouterr().err


# -- output hygiene ------------------------------------------------------------------------------
def test_json_output_escapes_control_and_bidi_characters(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = yaml.safe_load(project.read_text(encoding="utf-8"))
    data["answers"]["setup"]["org_name"] = "Acme\u202egnp.exe\x85\x9b31m"
    data["answers"].setdefault("step2", {})["goal_statement"] = "Grow\u2066 fast\u2069 \x1b[31m"
    project.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    capsys.readouterr()
    assert cli.run(["check", "--format", "json"]) == 0
    out = capsys.readouterr().out
    for ch in ("\u202e", "\x85", "\x9b", "\u2066", "\u2069", "\x1b"):
        assert ch not in out
    json.loads(out)  # still JSON, with the characters as escapes


def test_markdown_defuses_bare_links_and_escapes_ampersands(project: Path) -> None:
    people = "name,role,department\nAnn & Co https://evil.example,mentor,Sales & Marketing\nBob www.evil.example,mentee,x@evil.example\n"
    (project.parent / "people.csv").write_text(people, encoding="utf-8")
    data = yaml.safe_load(project.read_text(encoding="utf-8"))
    data["answers"].setdefault("step2", {})["goal_statement"] = "See https://evil.example/x, www.evil.example or mail boss@evil.example &amp; go"
    project.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert cli.run(["match", "people.csv", "--save", "-o", "sheet.md"]) == 0
    assert cli.run(["export", "plan.md"]) == 0
    gfm = MarkdownIt("gfm-like")
    for name in ("sheet.md", "plan.md"):
        html = gfm.render((project.parent / name).read_text(encoding="utf-8"))
        assert "evil.example" in html, name
        assert "href" not in html or "evil" not in html.split("href", 1)[1].split(">", 1)[0], name
        assert "&amp;amp;" in html or name == "sheet.md"  # the typed "&amp;" stays text
    assert "Ann \\& Co https\\://evil.example" in (project.parent / "sheet.md").read_text(encoding="utf-8")


# -- caches --------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757])
def test_a_cache_others_can_write_to_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int) -> None:
    from bmw_mentor.files.resources import private_cache

    monkeypatch.delenv("MENTOR_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "bmw-mentor"
    folder.mkdir(mode=0o700)
    assert private_cache() == folder and private_cache("templates") == folder / "templates"
    folder.chmod(mode)
    assert private_cache() is None and private_cache("templates") is None


def test_a_planted_pickle_in_a_shared_cache_is_never_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bmw_mentor.framework import datafile

    monkeypatch.delenv("MENTOR_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    data = tmp_path / "data"
    data.mkdir()
    (data / "x.yaml").write_text("a: 1\n", encoding="utf-8")
    assert datafile.cached("probe", data, (), dict, lambda: {"built": True}) == {"built": True}
    (pickled,) = (tmp_path / "bmw-mentor").glob("probe-*.pickle")
    import pickle

    pickled.write_bytes(pickle.dumps({"planted": True}))
    pickled.chmod(0o666)  # anyone could have written it
    assert datafile.cached("probe", data, (), dict, lambda: {"built": True}) == {"built": True}
    # the control: the same file, private, is used
    pickled.write_bytes(pickle.dumps({"planted": True}))
    pickled.chmod(0o600)
    assert datafile.cached("probe", data, (), dict, lambda: {"built": True}) == {"planted": True}

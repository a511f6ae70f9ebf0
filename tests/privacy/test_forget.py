"""`mentor forget` and exported plans: the programme plan lists the accepted pairs, so forgetting a
person exports those plans again without them."""

from __future__ import annotations

import json
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import html5lib
import pytest
from exportkit import EXAMPLES, export, load_yaml, parse_html, text_of, write_project
from markdown_it import MarkdownIt

from bmw_mentor import cli
from bmw_mentor.errors import ExitCode

ENGLISH = next(p for p in EXAMPLES if p.name.startswith("manufacturing"))
DUTCH = next(p for p in EXAMPLES if p.name.startswith("logistics"))
PEOPLE = (
    "name,role,department,years of experience\n"
    "Katrien Desmet,mentor,Production,20\n"
    "Joris Van Acker,mentor,Production,15\n"
    "Wietse Vandromme,mentee,Production,1\n"
    "Lotte Claeys,mentee,Production,2\n"
)
REWRITTEN = {"en": "written again without this person.", "nl": "opnieuw geschreven zonder deze persoon."}


@pytest.fixture(autouse=True)
def _english_without_a_project(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "C")
    monkeypatch.delenv("MENTOR_PROJECT", raising=False)


def matched_project(folder: Path, example: Path = ENGLISH, name: str = "mentor-project.yaml") -> Path:
    """A copy of an example with the pairs `mentor match --save` accepts for four colleagues."""
    project = folder / name
    shutil.copy(example / "mentor-project.yaml", project)
    people = folder / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    assert cli.run(["match", str(people), "--save", "-p", str(project)]) == 0
    pairs = {(p["mentor"], p["mentee"]) for p in load_yaml(project)["pairs"]}
    assert pairs == {("Katrien Desmet", "Wietse Vandromme"), ("Joris Van Acker", "Lotte Claeys")}
    return project


def pair_rows(root: object) -> list[list[str]]:
    """The rows of the plan's table of accepted pairs (the table whose header names both roles)."""
    rows = []
    for table in root.iter("table"):  # type: ignore[attr-defined]
        body = [[text_of(td) for td in tr.iter("td")] for tr in table.iter("tr")]
        if any("Lotte Claeys" in cells for cells in body):
            rows += [cells for cells in body if cells]
    return rows


def md_root(text: str) -> object:
    return parse_html("<body>" + MarkdownIt("commonmark").enable("table").render(text) + "</body>")


@pytest.mark.parametrize(("example", "lang"), [(ENGLISH, "en"), (DUTCH, "nl")], ids=["en", "nl"])
def test_forget_exports_the_plans_again_without_the_person(
    example: Path, lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = matched_project(tmp_path, example)
    (tmp_path / "out").mkdir()
    plans = [tmp_path / "plan.html", tmp_path / "plan.md"]
    for plan in plans:
        assert export(project, plan) == 0
    assert export(project, tmp_path / "out", "--doc", "programme") == 0
    # a folder export names its files in the project's language
    plans.append(tmp_path / "out" / ("programme.html" if lang == "en" else "programma.html"))
    html_before = parse_html(plans[0].read_text(encoding="utf-8"))
    assert ["2", "Katrien Desmet", "Wietse Vandromme"] in pair_rows(html_before)
    for plan in plans:
        assert "Wietse Vandromme" in plan.read_text(encoding="utf-8")
    capsys.readouterr()

    assert cli.run(["forget", "wietse vandromme", "-p", str(project)]) == 0
    out = capsys.readouterr().out
    for plan in plans:
        assert f"{plan}: {REWRITTEN[lang]}" in out
        text = plan.read_text(encoding="utf-8")
        assert re.search("wietse|vandromme|katrien", text, re.IGNORECASE) is None, plan
        assert stat.S_IMODE(plan.stat().st_mode) == 0o600
    # still whole documents, with the other pair listed as before
    html = plans[0].read_text(encoding="utf-8")
    html5lib.HTMLParser(strict=True).parse(html)  # raises on any HTML5 parse error
    html5lib.HTMLParser(strict=True).parse(plans[2].read_text(encoding="utf-8"))
    assert pair_rows(parse_html(html)) == [["1", "Joris Van Acker", "Lotte Claeys"]]
    assert pair_rows(md_root(plans[1].read_text(encoding="utf-8"))) == [["1", "Joris Van Acker", "Lotte Claeys"]]
    # exactly what exporting the project as it is now gives
    for plan, again in ((plans[0], "again.html"), (plans[1], "again.md")):
        assert export(project, tmp_path / again) == 0
        assert plan.read_bytes() == (tmp_path / again).read_bytes()
    # the calendar never listed pairs: left as it was
    assert "plan.ics" not in out
    for kept in (project, tmp_path / "mentor-written.yaml"):
        assert "Wietse" not in kept.read_text(encoding="utf-8")


def test_exports_are_recorded_only_when_the_plan_lists_pairs(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    shutil.copy(ENGLISH / "mentor-project.yaml", plain / "mentor-project.yaml")
    assert export(plain / "mentor-project.yaml", plain / "plan.html") == 0
    assert not (plain / "mentor-written.yaml").exists()  # no names in it, so nothing to find again

    project = matched_project(tmp_path)
    (tmp_path / "out").mkdir()
    assert export(project, tmp_path / "plan.md", "--doc", "programme") == 0
    assert export(project, tmp_path / "out/", "--format", "ics") == 0
    assert export(project, tmp_path / "plan.md") == 0  # the same file again: one entry, the last export
    index = tmp_path / "mentor-written.yaml"
    assert stat.S_IMODE(index.stat().st_mode) == 0o600
    exports = {Path(e["path"]).relative_to(tmp_path).as_posix(): e for e in load_yaml(index)["exports"]}
    assert {k: (e["doc"], e["format"]) for k, e in exports.items()} == {
        "plan.md": ("all", "md"),
        "out/programme.ics": ("programme", "ics"),
        "out/communication.ics": ("communication", "ics"),
        "out/training.ics": ("training", "ics"),
    }
    assert {e["project"] for e in exports.values()} == {str(project.resolve())}


def test_hand_edits_and_vanished_files_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = matched_project(tmp_path)
    for name in ("plan.md", "gone.html"):
        assert export(project, tmp_path / name) == 0
    (tmp_path / "gone.html").unlink()
    with (tmp_path / "plan.md").open("a", encoding="utf-8") as f:
        f.write("\nA note typed by hand.\n")
    capsys.readouterr()
    assert cli.run(["forget", "Lotte Claeys", "-p", str(project)]) == 0
    out = capsys.readouterr().out
    assert f"{tmp_path / 'plan.md'}: written again without this person (changes made to it by hand are gone)." in out
    assert f"{tmp_path / 'gone.html'}: no longer exists" in out
    assert "A note typed by hand." not in (tmp_path / "plan.md").read_text(encoding="utf-8")
    paths = [e["path"] for e in load_yaml(tmp_path / "mentor-written.yaml")["exports"]]
    assert paths == [str(tmp_path / "plan.md")]


def test_a_plan_whose_project_is_gone_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = matched_project(tmp_path)
    old = tmp_path / "old-project.yaml"
    shutil.copy(project, old)
    assert export(old, tmp_path / "old.html") == 0
    old.unlink()
    capsys.readouterr()

    # the person is in the current project too: forgotten there, and the old plan is named
    assert cli.run(["forget", "Wietse Vandromme", "-p", str(project)]) == 0
    out = capsys.readouterr().out
    assert "mentor-project.yaml: removed 1 pair." in out
    gone = f"{tmp_path / 'old.html'} may still hold this name: the project file it was exported from ({old}) is gone"
    assert gone in out
    assert "Wietse Vandromme" in (tmp_path / "old.html").read_text(encoding="utf-8")  # mentor cannot make it again

    # the partner left with the pair; only the old plan still names them: one line, and the usage exit code
    assert cli.run(["forget", "Katrien Desmet", "-p", str(project)]) == ExitCode.USAGE
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err
    assert "nobody called 'Katrien Desmet'" in lines[0]
    assert f"{tmp_path / 'old.html'} may still hold this name" in lines[0]


def test_a_plan_that_cannot_be_exported_again_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = matched_project(tmp_path)
    other = tmp_path / "other.yaml"
    shutil.copy(project, other)
    assert export(other, tmp_path / "other.html") == 0
    other.write_text("schema_version: 1\nlanguage: [\n", encoding="utf-8")  # damaged by hand since
    before = (tmp_path / "other.html").read_bytes()
    capsys.readouterr()

    assert cli.run(["forget", "Wietse Vandromme", "-p", str(project)]) == ExitCode.PROJECT_INVALID
    captured = capsys.readouterr()
    assert "mentor-project.yaml: removed 1 pair." in captured.out  # the rest is done
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err
    # the damaged project itself may hold the pair too: both files are named, on the one line
    assert lines[0].startswith(f"mentor: {other} may still hold this name: it could not be written again")
    assert f"; {tmp_path / 'other.html'} may still hold this name: it could not be exported" in lines[0]
    assert str(other) in lines[0]
    assert (tmp_path / "other.html").read_bytes() == before


def test_an_export_that_cannot_be_recorded_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = matched_project(tmp_path)
    (tmp_path / "mentor-written.yaml").unlink()
    (tmp_path / "mentor-written.yaml").mkdir()  # something in the way of the list
    capsys.readouterr()
    assert export(project, tmp_path / "plan.html") == ExitCode.IO_ERROR
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err
    assert f"{tmp_path / 'plan.html'} is written, but it could not be added to the list" in lines[0]


def test_export_does_not_load_the_matching_code(tmp_path: Path) -> None:
    """Recording an export is one small write: it must not pull in the participants or matching modules."""
    project = matched_project(tmp_path)
    code = (
        "import json, sys\n"
        "from bmw_mentor.cli import run\n"
        f"rc = run(['export', {str(tmp_path / 'plan.html')!r}, '--project', {str(project)!r}])\n"
        "print(json.dumps({'rc': rc, 'mods': sorted(sys.modules)}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["rc"] == 0
    assert (tmp_path / "plan.html").exists() and "plan.html" in (tmp_path / "mentor-written.yaml").read_text()
    heavy = {"bmw_mentor.matching.participants", "bmw_mentor.matching.assign", "bmw_mentor.matching.rules", "scipy"}
    assert not heavy & set(result["mods"])


def test_a_name_that_is_also_in_an_answer_is_pointed_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the example's coordinator (an answer, shown in every plan and as an owner in the calendar) also mentors
    project = tmp_path / "mentor-project.yaml"
    data = load_yaml(ENGLISH / "mentor-project.yaml")
    coordinator = data["answers"]["setup"]["coordinator_name"]
    data["pairs"] = [
        {"mentor": coordinator, "mentee": "Lotte Claeys"},
        {"mentor": "Bo Peeters", "mentee": "Noor Amrani"},
    ]
    write_project(project, data)
    for name in ("plan.html", "plan.ics"):
        assert export(project, tmp_path / name) == 0
    capsys.readouterr()

    # part of a longer name is nobody: nothing is exported again, nothing pointed out
    before = (tmp_path / "plan.html").read_bytes()
    assert cli.run(["forget", "bo", "-p", str(project)]) == ExitCode.USAGE
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1
    assert (tmp_path / "plan.html").read_bytes() == before

    assert cli.run(["forget", coordinator, "-p", str(project)]) == 0
    out = capsys.readouterr().out
    assert f"{tmp_path / 'plan.html'}: written again without this person." in out
    assert "Lotte Claeys" not in (tmp_path / "plan.html").read_text(encoding="utf-8")
    for name in ("plan.html", "plan.ics"):
        assert f"{tmp_path / name} still shows this name, probably in one of the project's answers" in out

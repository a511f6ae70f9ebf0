"""The project file: readable YAML, atomic saves, and clear errors that leave it untouched."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import yaml

from bmw_mentor import cli
from bmw_mentor.errors import ExitCode, StorageError
from bmw_mentor.framework.schema import Checklists
from bmw_mentor.projectfile import project as project_file
from bmw_mentor.projectfile.project import Project

GOOD = """\
schema_version: 1
language: en
answers:
  setup:
    org_name: Acme
    start_date: 2027-03-01
"""


def _status(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.run(["status", "--project", str(path)])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("schema_version: 1\nlanguage: en\nanswers: [oops\n", "line 3"),
        ("schema_version: 1\nlanguage: fr\n", "line 2: field 'language'"),
        ("schema_version: 1\nlanguage: en\nsteps_completed: many\n", "line 3: field 'steps_completed'"),
        ("schema_version: 1\nlanguage: en\nanswers:\n  setup: [1, 2]\n", "line 4: field 'answers.setup'"),
        ("schema_version: 7\nlanguage: en\n", "newer bmw-mentor"),
        ("schema_version: one\nlanguage: en\n", "field 'schema_version'"),
        ("", "empty"),
        ("- just\n- a list\n", "expected fields"),
        ("language: en\nsurprise: 1\n", "field 'surprise'"),
    ],
)
def test_broken_project_file_gives_one_line_and_is_untouched(
    workdir: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    path = workdir / "mentor-project.yaml"
    path.write_text(content, encoding="utf-8")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    code, err = _status(path, capsys)
    assert code == ExitCode.PROJECT_INVALID
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert str(path) in lines[0] and expected in lines[0]
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_binary_junk_is_refused(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = workdir / "mentor-project.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    code, err = _status(path, capsys)
    assert code == ExitCode.PROJECT_INVALID
    assert "not a text file" in err


def test_missing_project_points_to_init(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _status(workdir / "nothing.yaml", capsys)
    assert code == ExitCode.NO_PROJECT
    assert "mentor init" in err


def test_environment_variable_chooses_the_project(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workdir / "elsewhere.yaml"
    path.write_text(GOOD, encoding="utf-8")
    monkeypatch.setenv("MENTOR_PROJECT", str(path))
    assert cli.run(["status"]) == 0
    assert "Acme" in capsys.readouterr().out


def test_save_is_atomic_private_and_readable(tmp_path: Path, checklists: Checklists) -> None:
    path = tmp_path / "p.yaml"
    project = Project(language="nl")
    project.set_answer(checklists, "org_name", "Bakkerij Janssens")
    project.set_answer(checklists, "vision_achieve", "Line one\nLine two")
    project_file.save(project, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert "org_name: Bakkerij Janssens" in text
    assert "vision_achieve: |" in text  # long answers stay readable
    assert [p.name for p in tmp_path.iterdir()] == ["p.yaml"]  # no temporary file left behind
    again = project_file.load(path)
    assert again.get("vision_achieve") == "Line one\nLine two"
    assert yaml.safe_load(text)["language"] == "nl"


def test_answers_keep_the_checklist_order(tmp_path: Path, checklists: Checklists) -> None:
    project = Project(language="en")
    project.set_answer(checklists, "goals", ["induction"])
    project.set_answer(checklists, "org_name", "Acme")
    project.set_answer(checklists, "programme_focus", "induction")
    assert list(project.answers) == ["setup", "step2"]
    assert list(project.answers["step2"]) == ["programme_focus", "goals"]


def test_full_disk_leaves_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.yaml"
    project_file.save(Project(language="en"), path)
    before = path.read_bytes()

    def no_space(fd: int, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", no_space)
    with pytest.raises(StorageError, match="disk is full"):
        project_file.save(Project(language="nl"), path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["p.yaml"]


"""Nothing overwritten that mentor did not write; backups rotate; links and read-only files are respected;
exit codes for every failed write; the version check for any form of `schema_version`."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bmw_mentor import cli
from bmw_mentor.errors import ExitCode, StorageError
from bmw_mentor.projectfile import project as project_file

PEOPLE = (
    "name,role,department,years of experience\n"
    "Katrien Desmet,mentor,Production,20\n"
    "Wietse Vandromme,mentee,Production,1\n"
)
MENTOR = [sys.executable, "-m", "bmw_mentor"]


@pytest.fixture
def project(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LC_ALL", "C")
    (workdir / "start.yaml").write_text("org_name: Acme\nstart_date: 2027-01-04\n", encoding="utf-8")
    assert cli.run(["init", "--lang", "en", "--answers", "start.yaml"]) == 0
    (workdir / "people.csv").write_text(PEOPLE, encoding="utf-8")
    return workdir / "mentor-project.yaml"


def one_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


# -- mentor match -o ---------------------------------------------------------------------
def test_a_sheet_never_replaces_its_own_input(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = project.parent / "people.csv"
    for force in ([], ["--force"]):
        capsys.readouterr()
        assert cli.run(["match", "people.csv", "-o", "people.csv", *force]) == ExitCode.USAGE
        assert "that is the spreadsheet the people are read from" in one_error(capsys)
        assert source.read_text(encoding="utf-8") == PEOPLE


def test_a_sheet_never_replaces_the_participants_list(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(["participants", "add", "--from", "people.csv"]) == 0
    store = project.parent / "mentor-participants.csv"
    before = store.read_bytes()
    capsys.readouterr()
    assert cli.run(["match", "-o", "mentor-participants.csv", "--force"]) == ExitCode.USAGE
    assert "one of mentor's own files" in one_error(capsys)
    assert store.read_bytes() == before


def test_a_sheet_replaces_a_file_of_the_user_only_with_force(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = project.parent / "notes.md"
    notes.write_text("my own notes\n", encoding="utf-8")
    notes.chmod(0o644)
    capsys.readouterr()
    assert cli.run(["match", "people.csv", "-o", "notes.md"]) == ExitCode.USAGE
    assert "mentor did not write it" in one_error(capsys)
    assert notes.read_text(encoding="utf-8") == "my own notes\n"
    # a sheet mentor wrote may be written again without --force
    assert cli.run(["match", "people.csv", "-o", "sheet.md"]) == 0
    assert cli.run(["match", "people.csv", "-o", "sheet.md"]) == 0
    assert cli.run(["match", "people.csv", "-o", "notes.md", "--force"]) == 0
    assert "Wietse Vandromme" in notes.read_text(encoding="utf-8")


# -- mentor export -----------------------------------------------------------------------
def test_export_refuses_a_file_mentor_did_not_write(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = project.parent / "plan.html"
    mine.write_text("<p>my own page</p>\n", encoding="utf-8")
    mine.chmod(0o644)
    capsys.readouterr()
    assert cli.run(["export", "plan.html"]) == ExitCode.USAGE
    assert "mentor did not write it" in one_error(capsys)
    assert mine.read_text(encoding="utf-8") == "<p>my own page</p>\n"
    assert stat.S_IMODE(mine.stat().st_mode) == 0o644
    assert cli.run(["export", "plan.html", "--force"]) == 0
    assert "bmw-mentor" in mine.read_text(encoding="utf-8")
    assert stat.S_IMODE(mine.stat().st_mode) == 0o644  # the user's file keeps the permissions they gave it
    # now it is mentor's: exporting again needs no --force, in each format
    assert cli.run(["export", "plan.html"]) == 0
    for name in ("plan.md", "plan.ics"):
        assert cli.run(["export", name]) == 0
        assert cli.run(["export", name]) == 0


def test_export_to_an_empty_name_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p.name for p in project.parent.iterdir())
    capsys.readouterr()
    assert cli.run(["export", ""]) == ExitCode.USAGE
    assert "FILE is empty" in one_error(capsys)
    assert sorted(p.name for p in project.parent.iterdir()) == before


# -- the project file --------------------------------------------------------------------
def test_init_force_keeps_timestamped_backups_and_rotates_them(project: Path) -> None:
    versions = []
    for k in range(project_file.KEEP_BACKUPS + 2):
        versions.append(project.read_bytes())
        (project.parent / "again.yaml").write_text(f"org_name: Acme {k}\n", encoding="utf-8")
        assert cli.run(["init", "--force", "--lang", "en", "--answers", "again.yaml"]) == 0
    backups = project_file.backups(project)
    assert len(backups) == project_file.KEEP_BACKUPS
    assert [b.read_bytes() for b in backups] == versions[-project_file.KEEP_BACKUPS :]
    assert all(stat.S_IMODE(b.stat().st_mode) == 0o600 for b in backups)


def test_init_force_on_a_full_disk_keeps_the_project(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    before = project.read_bytes()
    real = project_file.write_atomic

    def full(path: Path, data: bytes, mode: int = 0o600) -> None:
        if path.name == project.name:
            raise StorageError(f"{path}: could not save (the disk is full); the previous version is unchanged")
        real(path, data, mode)

    monkeypatch.setattr(project_file, "write_atomic", full)
    (project.parent / "again.yaml").write_text("org_name: Other\n", encoding="utf-8")
    capsys.readouterr()
    assert cli.run(["init", "--force", "--lang", "en", "--answers", "again.yaml"]) == ExitCode.IO_ERROR
    assert "the previous version is unchanged" in one_error(capsys)
    assert project.read_bytes() == before  # and what the message says is true


def test_a_linked_project_file_is_written_through(project: Path) -> None:
    real = project.parent / "real" / "project.yaml"
    real.parent.mkdir()
    project.rename(real)
    project.symlink_to(real)
    (project.parent / "s1.yaml").write_text("vision_achieve: Through the link\n", encoding="utf-8")
    assert cli.run(["step", "1", "--answers", "s1.yaml"]) == 0
    assert project.is_symlink()
    assert "Through the link" in real.read_text(encoding="utf-8")


def test_a_read_only_project_file_is_reported_not_replaced(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project.chmod(0o400)
    before = project.read_bytes()
    (project.parent / "s1.yaml").write_text("vision_achieve: Nope\n", encoding="utf-8")
    capsys.readouterr()
    assert cli.run(["step", "1", "--answers", "s1.yaml"]) == ExitCode.IO_ERROR
    assert "read-only" in one_error(capsys)
    assert project.read_bytes() == before
    assert stat.S_IMODE(project.stat().st_mode) == 0o400


@pytest.mark.parametrize("version", ['"2"', "2.0", "'1.5'", "1.5", "0", "'x'"])
def test_the_version_check_reads_every_form(project: Path, version: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = project.read_text(encoding="utf-8").replace("schema_version: 1", f"schema_version: {version}")
    project.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert cli.run(["status"]) == ExitCode.PROJECT_INVALID
    line = one_error(capsys)
    assert "schema_version" in line


@pytest.mark.parametrize("version", ['"1"', "1.0"])
def test_version_one_in_any_form_is_read(project: Path, version: str) -> None:
    text = project.read_text(encoding="utf-8").replace("schema_version: 1", f"schema_version: {version}")
    project.write_text(text, encoding="utf-8")
    assert cli.run(["status"]) == 0


# -- exit codes of the output itself -----------------------------------------------------
def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTOR_")}
    env.update({"LC_ALL": "C", "NO_COLOR": "1"})
    return env


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["check"], ["check", "--format", "json"], ["status"]])
def test_output_to_a_full_device_is_exit_8(project: Path, args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([*MENTOR, *args], cwd=project.parent, stdout=full, stderr=subprocess.PIPE, text=True,
                              env=_env(), timeout=120)  # fmt: skip
    assert done.returncode == ExitCode.IO_ERROR
    assert done.stderr.strip().splitlines() == ["mentor: could not write the output (No space left on device)"]


def test_a_closed_pipe_is_a_quiet_exit_that_is_not_1(project: Path) -> None:
    reader = subprocess.Popen([*MENTOR, "check"], cwd=project.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=_env())  # fmt: skip
    assert reader.stdout is not None
    reader.stdout.close()  # the reader goes away before the first line, like `| head -0`: no race with the output
    _, err = reader.communicate(timeout=120)
    assert reader.returncode == cli.PIPE_CLOSED
    assert err == b""


def test_a_folder_that_cannot_hold_the_lock_is_exit_8(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    import filelock

    def refuse(self: object, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    # simulated: the tests run as root, for whom chmod does not make a folder read-only
    monkeypatch.setattr(filelock.FileLock, "acquire", refuse)
    (project.parent / "s1.yaml").write_text("vision_achieve: Nope\n", encoding="utf-8")
    capsys.readouterr()
    assert cli.run(["step", "1", "--answers", "s1.yaml"]) == ExitCode.IO_ERROR
    assert "cannot take the lock" in one_error(capsys)


def test_every_write_failure_is_exit_8(project: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    import tempfile

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full)
    (project.parent / "s1.yaml").write_text("vision_achieve: Nope\n", encoding="utf-8")
    for args in (
        ["step", "1", "--answers", "s1.yaml"],
        ["export", "plan.html"],
        ["match", "people.csv", "-o", "sheet.md"],
        ["match", "people.csv", "--save"],
        ["participants", "add", "Ann", "--role", "mentor"],
    ):
        capsys.readouterr()
        assert cli.run(args) == ExitCode.IO_ERROR, args
        assert "the disk is full" in one_error(capsys)
    assert yaml.safe_load(project.read_text(encoding="utf-8"))["answers"]["setup"]["org_name"] == "Acme"

"""`mentor-written.yaml` cannot be turned against its owner, and `mentor forget` leaves no name behind."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from bmw_mentor import cli
from bmw_mentor.errors import ExitCode, StorageError
from bmw_mentor.files import ledger

PEOPLE = (
    "name,role,department,years of experience\n"
    "Katrien Desmet,mentor,Production,20\n"
    "Joris Van Acker,mentor,Production,15\n"
    "Wietse Vandromme,mentee,Production,1\n"
    "Lotte Claeys,mentee,Production,2\n"
)
HOSTILE = "$(touch pwned)"


@pytest.fixture
def project(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LC_ALL", "C")
    (workdir / "start.yaml").write_text("org_name: Acme\nstart_date: 2027-01-04\n", encoding="utf-8")
    assert cli.run(["init", "--lang", "en", "--answers", "start.yaml"]) == 0
    (workdir / "people.csv").write_text(PEOPLE, encoding="utf-8")
    return workdir / "mentor-project.yaml"


def plant(folder: Path, target: Path, fmt: str = "md") -> None:
    """A ledger run, as someone else could write it, that points at ``target``."""
    data = {
        "lang": "en",
        "terms": {},
        "org": HOSTILE,
        "date": "2027-01-01",
        "rules": [],
        "pairs": [{"mentor": "Katrien Desmet", "mentee": "Wietse Vandromme", "score": 1, "reasons": []}],
        "unmatched": [],
    }
    index = ledger.load(folder)
    index["runs"].append({"data": data, "sheets": [{"path": str(target), "format": fmt, "sha256": "0" * 64}]})
    index["files"].append({"path": str(target), "kind": "participants"})
    index["exports"].append({"path": str(target), "doc": "all", "format": fmt, "project": str(target), "sha256": "0"})
    ledger.save(folder, index)


def test_a_planted_ledger_pointing_outside_the_project_is_refused(
    project: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path_factory.mktemp("home")
    bashrc = home / ".bashrc.md"
    bashrc.write_text("export PATH=$PATH # Wietse Vandromme\n", encoding="utf-8")
    before = bashrc.read_bytes()
    assert cli.run(["match", "people.csv", "--save"]) == 0
    plant(project.parent, bashrc)
    capsys.readouterr()

    assert cli.run(["forget", "Wietse Vandromme"]) == ExitCode.IO_ERROR
    captured = capsys.readouterr()
    assert bashrc.read_bytes() == before
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and str(bashrc) in lines[0] and "outside the project's folder" in lines[0]
    # everything else was still cleaned
    assert "Wietse" not in project.read_text(encoding="utf-8")
    assert not (project.parent / "pwned").exists()


def test_a_planted_entry_for_a_user_file_inside_the_project_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = project.parent / "notes.md"
    notes.write_text("Wietse Vandromme: my own notes\n", encoding="utf-8")
    before = notes.read_bytes()
    assert cli.run(["match", "people.csv", "--save"]) == 0
    plant(project.parent, notes)
    capsys.readouterr()
    assert cli.run(["forget", "Wietse Vandromme"]) == ExitCode.IO_ERROR
    err = capsys.readouterr().err
    assert notes.read_bytes() == before
    assert f"{notes} may still hold this name: mentor did not change it" in err


def test_a_planted_link_is_refused(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "target.md"
    outside.write_text("Wietse Vandromme\n", encoding="utf-8")
    link = project.parent / "sheet.md"
    link.symlink_to(outside)
    assert cli.run(["match", "people.csv", "--save"]) == 0
    plant(project.parent, link)
    assert cli.run(["forget", "Wietse Vandromme"]) == ExitCode.IO_ERROR
    assert outside.read_text(encoding="utf-8") == "Wietse Vandromme\n"


def test_every_field_of_the_ledger_is_untrusted(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(["match", "people.csv", "-o", "sheet.md", "--save"]) == 0
    index_file = project.parent / ledger.INDEX_FILE
    data = yaml.safe_load(index_file.read_text(encoding="utf-8"))
    data["runs"].append({"data": {"pairs": "nonsense", "unmatched": [1, None]}, "sheets": [{"path": 5}, "x"]})
    data["runs"].append({"data": {"lang": "xx", "pairs": [{"mentor": 3}]}, "sheets": [{"path": "sheet2.md", "format": "exe"}]})
    data["exports"].append({"path": "plan.html", "doc": "../../etc", "format": "exe", "project": "\x00"})
    data["files"].append({"path": ["a"], "kind": "participants"})
    index_file.write_text(yaml.safe_dump(data), encoding="utf-8")
    (project.parent / "sheet2.md").write_text("Wietse Vandromme\n", encoding="utf-8")
    capsys.readouterr()
    code = cli.run(["forget", "Wietse Vandromme"])
    captured = capsys.readouterr()
    assert code in (0, ExitCode.IO_ERROR) and "Traceback" not in captured.err and "internal error" not in captured.err
    assert "Wietse" not in (project.parent / "sheet.md").read_text(encoding="utf-8")
    assert (project.parent / "sheet2.md").read_text(encoding="utf-8") == "Wietse Vandromme\n"


def test_a_sheet_is_recorded_before_it_is_written(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # the disk fills up just when the ledger is written: no sheet without a record
    def full(folder: Path, index: dict) -> None:
        raise StorageError(f"{folder / ledger.INDEX_FILE}: could not save (the disk is full)")

    monkeypatch.setattr(ledger, "save", full)
    assert cli.run(["match", "people.csv", "-o", "sheet.md"]) == ExitCode.IO_ERROR
    assert not (project.parent / "sheet.md").exists()


def test_a_crash_between_record_and_write_leaves_the_sheet_recorded(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bmw_mentor.matching import commands

    assert cli.run(["match", "people.csv", "-o", "sheet.md"]) == 0
    first = (project.parent / "sheet.md").read_bytes()

    import bmw_mentor.files.atomic as atomic

    real = atomic.write_atomic

    def crash(path: Path, data: bytes, mode: int = 0o600) -> None:
        if path.name == "sheet.md":
            raise KeyboardInterrupt  # killed after recording, before the new content is in place
        real(path, data, mode)

    with monkeypatch.context() as patched:
        patched.setattr(atomic, "write_atomic", crash)
        assert cli.run(["match", "people.csv", "-o", "sheet.md", "--lang", "nl"]) == ExitCode.INTERRUPTED
    assert (project.parent / "sheet.md").read_bytes() == first  # the old sheet, still recorded
    shas = {s["sha256"] for r in ledger.load(project.parent)["runs"] for s in r["sheets"]}
    assert hashlib.sha256(first).hexdigest() in shas
    assert cli.run(["forget", "Wietse Vandromme"]) == 0
    assert "Wietse" not in (project.parent / "sheet.md").read_text(encoding="utf-8")
    del commands


def test_forget_removes_temporary_and_backup_copies(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(["match", "people.csv", "-o", "sheet.md", "--save"]) == 0
    assert cli.run(["init", "--force", "--lang", "en", "--answers", "start.yaml"]) == 0  # a backup with the pairs
    assert cli.run(["match", "people.csv", "--save"]) == 0
    leftovers = [
        project.parent / f".{project.name}.abc123.tmp",
        project.parent / ".sheet.md.xyz789.tmp",
        project.parent / ".mentor-participants.csv.q1.tmp",
    ]
    for tmp in leftovers:
        tmp.write_text("Wietse Vandromme\n", encoding="utf-8")
    capsys.readouterr()
    assert cli.run(["forget", "Wietse Vandromme"]) == 0
    out = capsys.readouterr().out
    for tmp in leftovers:
        assert not tmp.exists() and f"{tmp.name}: a temporary file left by an interrupted save; removed." in out
    for path in project.parent.iterdir():
        if path.is_file() and path.name != "people.csv":
            assert "Wietse" not in path.read_text(encoding="utf-8-sig"), path


def test_forget_goes_on_when_one_file_cannot_be_written_and_names_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.run(["participants", "add", "--from", "people.csv"]) == 0
    assert cli.run(["match", "-o", "a.md", "-o", "b.csv", "--save"]) == 0
    (project.parent / "a.md").chmod(0o400)  # this one cannot be replaced
    capsys.readouterr()
    assert cli.run(["forget", "Wietse Vandromme"]) == ExitCode.IO_ERROR
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and str(project.parent / "a.md") in lines[0] and "read-only" in lines[0]
    for name in ("b.csv", "mentor-project.yaml", "mentor-participants.csv"):
        assert "Wietse" not in (project.parent / name).read_text(encoding="utf-8-sig"), name
    # resumable: once the file can be written, forgetting again finishes the job
    (project.parent / "a.md").chmod(0o600)
    assert cli.run(["forget", "Wietse Vandromme"]) == 0
    assert "Wietse" not in (project.parent / "a.md").read_text(encoding="utf-8")

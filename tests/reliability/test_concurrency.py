"""Two `mentor` commands at once: every write survives, and nobody reports success for a lost write.

Each round starts two real command runs in two processes (forked, so that the round costs no
interpreter start-up) released at the same moment by a barrier, then checks both changes.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from bmw_mentor import cli
from bmw_mentor.errors import ExitCode

ROUNDS = 20
CTX = multiprocessing.get_context("fork")
PEOPLE = (
    "name,role,department,years of experience\n"
    "Katrien Desmet,mentor,Production,20\n"
    "Joris Van Acker,mentor,Production,15\n"
    "Wietse Vandromme,mentee,Production,1\n"
    "Lotte Claeys,mentee,Production,2\n"
)


def _child(barrier: multiprocessing.synchronize.Barrier, folder: str, argv: list[str], codes: multiprocessing.Queue) -> None:
    os.chdir(folder)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    barrier.wait()
    codes.put((tuple(argv), cli.run(argv)))


def together(folder: Path, *commands: list[str]) -> dict[tuple[str, ...], int]:
    """Run the commands at the same moment, each in its own process; their exit codes."""
    barrier = CTX.Barrier(len(commands))
    codes: multiprocessing.Queue = CTX.Queue()
    procs = [CTX.Process(target=_child, args=(barrier, str(folder), argv, codes)) for argv in commands]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0, "a command process died"
    return dict(codes.get(timeout=5) for _ in commands)


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "C")
    monkeypatch.delenv("MENTOR_PROJECT", raising=False)


def new_project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    answers = folder / "start.yaml"
    answers.write_text("org_name: Acme\nstart_date: 2027-01-04\n", encoding="utf-8")
    assert cli.run(["init", "--lang", "en", "--answers", str(answers), "-p", str(folder / "mentor-project.yaml")]) == 0
    return folder / "mentor-project.yaml"


def rounds(tmp_path: Path, one_round: Callable[[Path, int], None]) -> None:
    for k in range(ROUNDS):
        one_round(tmp_path / f"round{k}", k)


@pytest.mark.slow
def test_two_answer_files_at_once_both_stay(tmp_path: Path) -> None:
    def one_round(folder: Path, k: int) -> None:
        project = new_project(folder)
        (folder / "s1.yaml").write_text(f"vision_achieve: Vision {k}\n", encoding="utf-8")
        (folder / "s2.yaml").write_text(f"goal_statement: Goal {k}\n", encoding="utf-8")
        codes = together(folder, ["step", "1", "--answers", "s1.yaml"], ["step", "2", "--answers", "s2.yaml"])
        assert set(codes.values()) == {0}
        answers = load(project)["answers"]
        assert answers["step1"]["vision_achieve"] == f"Vision {k}" and answers["step2"]["goal_statement"] == f"Goal {k}"

    rounds(tmp_path, one_round)


@pytest.mark.slow
def test_two_participants_added_at_once_both_stay(tmp_path: Path) -> None:
    def one_round(folder: Path, k: int) -> None:
        new_project(folder)
        codes = together(
            folder,
            ["participants", "add", f"Ann {k}", "--role", "mentor"],
            ["participants", "add", f"Bob {k}", "--role", "mentee"],
        )
        assert set(codes.values()) == {0}
        text = (folder / "mentor-participants.csv").read_text(encoding="utf-8-sig")
        assert f"Ann {k}" in text and f"Bob {k}" in text

    rounds(tmp_path, one_round)


@pytest.mark.slow
def test_two_sheets_written_at_once_are_both_recorded(tmp_path: Path) -> None:
    def one_round(folder: Path, k: int) -> None:
        new_project(folder)
        (folder / "people.csv").write_text(PEOPLE, encoding="utf-8")
        codes = together(folder, ["match", "people.csv", "-o", "a.md"], ["match", "people.csv", "-o", "b.csv"])
        assert set(codes.values()) == {0}
        recorded = {Path(s["path"]).name for r in load(folder / "mentor-written.yaml")["runs"] for s in r["sheets"]}
        assert recorded == {"a.md", "b.csv"}

    rounds(tmp_path, one_round)


@pytest.mark.slow
def test_saved_pairs_and_an_answer_at_once_both_stay(tmp_path: Path) -> None:
    def one_round(folder: Path, k: int) -> None:
        project = new_project(folder)
        (folder / "people.csv").write_text(PEOPLE, encoding="utf-8")
        (folder / "s1.yaml").write_text(f"vision_achieve: Vision {k}\n", encoding="utf-8")
        codes = together(folder, ["match", "people.csv", "--save"], ["step", "1", "--answers", "s1.yaml"])
        assert set(codes.values()) == {0}
        data = load(project)
        assert len(data["pairs"]) == 2 and data["answers"]["step1"]["vision_achieve"] == f"Vision {k}"

    rounds(tmp_path, one_round)


@pytest.mark.slow
def test_two_meetings_logged_at_once_both_stay(tmp_path: Path) -> None:
    def one_round(folder: Path, k: int) -> None:
        new_project(folder)
        (folder / "people.csv").write_text(PEOPLE, encoding="utf-8")
        assert cli.run(["match", str(folder / "people.csv"), "--save", "-p", str(folder / "mentor-project.yaml")]) == 0
        codes = together(
            folder,
            ["log", "Katrien Desmet", "--date", f"2027-02-{k + 1:02d}"],
            ["log", "Lotte Claeys", "--date", f"2027-03-{k + 1:02d}"],
        )
        assert set(codes.values()) == {0}
        text = (folder / "mentor-checkins.csv").read_text(encoding="utf-8-sig")
        assert f"2027-02-{k + 1:02d}" in text and f"2027-03-{k + 1:02d}" in text

    rounds(tmp_path, one_round)


def test_four_sheets_at_once_then_forget_leaves_no_name(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    outs = ["a.md", "b.html", "c.csv", "d.md"]
    codes = together(tmp_path, *[["match", "people.csv", "-o", out] for out in outs])
    assert set(codes.values()) == {0}
    assert cli.run(["forget", "Wietse Vandromme", "-p", str(project)]) == 0
    for name in [*outs, "mentor-written.yaml", "mentor-project.yaml"]:
        assert "Wietse" not in (tmp_path / name).read_text(encoding="utf-8-sig"), name


def test_a_held_lock_is_a_clear_error_after_the_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from filelock import FileLock

    project = new_project(tmp_path)
    (tmp_path / "s1.yaml").write_text("vision_achieve: Later\n", encoding="utf-8")
    before = project.read_bytes()
    monkeypatch.setenv("MENTOR_LOCK_TIMEOUT", "0.3")
    other = CTX.Process(target=_hold, args=(str(tmp_path / ".mentor.lock"), 3.0))
    ready = tmp_path / ".held"
    other.start()
    try:
        for _ in range(100):
            if ready.exists():
                break
            import time

            time.sleep(0.05)
        capsys.readouterr()
        assert cli.run(["step", "1", "--answers", str(tmp_path / "s1.yaml"), "-p", str(project)]) == ExitCode.IO_ERROR
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "another mentor command is busy with this project" in err[0]
        assert project.read_bytes() == before
    finally:
        other.join(10)
    del FileLock


def _hold(lock_file: str, seconds: float) -> None:
    import time

    from filelock import FileLock

    with FileLock(lock_file):
        Path(lock_file).with_name(".held").touch()
        time.sleep(seconds)


def test_no_lock_file_is_made_in_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("org_name: Acme\n", encoding="utf-8")
    target = tmp_path / "no" / "such" / "p.yaml"
    assert cli.run(["init", "--lang", "en", "--answers", str(tmp_path / "a.yaml"), "-p", str(target)]) == ExitCode.IO_ERROR
    assert not (tmp_path / "no").exists()


def test_copying_a_project_folder_keeps_working(tmp_path: Path) -> None:
    """The lock file is mentor's own: a copied folder (lock file and all) is no obstacle."""
    project = new_project(tmp_path / "a")
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    (tmp_path / "s1.yaml").write_text("vision_achieve: Copied\n", encoding="utf-8")
    assert cli.run(["step", "1", "--answers", str(tmp_path / "s1.yaml"), "-p", str(tmp_path / "b" / project.name)]) == 0

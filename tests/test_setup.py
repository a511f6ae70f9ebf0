"""Set-up as printed: the commands mentor tells you work when typed, init twice, Windows-safe saving."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from driver import CTRL_C, DOWN, ENTER

from bmw_mentor.errors import ExitCode, StorageError
from bmw_mentor.files import atomic

BIN = Path(sys.executable).parent  # the virtual environment's bin (Scripts on Windows) folder


def _run_installed(args: list[str], *, on_path: bool, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed ``mentor`` the way the README does: by its path from the folder above the venv."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTOR_")}
    folders = [p for p in env.get("PATH", "").split(os.pathsep) if p and Path(p).resolve() != BIN.resolve()]
    env["PATH"] = os.pathsep.join(([str(BIN)] if on_path else []) + folders)
    typed = os.path.join(BIN.parent.name, BIN.name, "mentor")  # .venv/bin/mentor
    return subprocess.run([typed, *args], cwd=BIN.parent.parent, capture_output=True, text=True, env=env)


@pytest.mark.skipif(not (BIN / "mentor").exists(), reason="needs the installed mentor console script")
def test_hints_show_the_command_the_user_typed(tmp_path: Path) -> None:
    missing = tmp_path / "none.yaml"
    typed = os.path.join(BIN.parent.name, BIN.name, "mentor")
    result = _run_installed(["status", "--project", str(missing)], on_path=False, cwd=tmp_path)
    assert result.returncode == ExitCode.NO_PROJECT
    assert f"`{typed} init`" in result.stderr, result.stderr
    # with mentor on the PATH, the short form works and is shown
    result = _run_installed(["status", "--project", str(missing)], on_path=True, cwd=tmp_path)
    assert "`mentor init`" in result.stderr, result.stderr


def test_saving_works_without_fchmod(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Windows has no os.fchmod before Python 3.13
    monkeypatch.delattr(os, "fchmod", raising=False)
    atomic.write_atomic(tmp_path / "a.yaml", b"language: nl\n")
    assert (tmp_path / "a.yaml").read_bytes() == b"language: nl\n"


def _held_open(times: int, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """os.replace fails like Windows does while another program holds the target open."""
    real = os.replace
    calls: list[int] = []

    def replace(src: str, dst: object) -> None:
        calls.append(1)
        if len(calls) <= times:
            error = PermissionError(13, "Access is denied")
            error.winerror = 32  # type: ignore[attr-defined]  # ERROR_SHARING_VIOLATION
            raise error
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic.os, "replace", replace)
    monkeypatch.setattr("time.sleep", lambda s: None)
    return calls


def test_a_file_held_open_for_a_moment_is_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "mentor-project.yaml"
    target.write_bytes(b"old\n")
    calls = _held_open(3, monkeypatch)
    atomic.write_atomic(target, b"new\n")
    assert target.read_bytes() == b"new\n" and len(calls) == 4
    assert [p.name for p in tmp_path.iterdir()] == ["mentor-project.yaml"]  # no temporary file left


def test_a_file_held_open_says_so_and_keeps_the_old_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plan.html"
    target.write_bytes(b"old\n")
    _held_open(1000, monkeypatch)
    with pytest.raises(StorageError) as failed:
        atomic.write_atomic(target, b"new\n")
    assert "another program has the file open" in str(failed.value)
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.html"]


# -- mentor init where a project exists ---------------------------------------------------------------
def _spawn(args: list[str], cwd: Path) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTOR_")}
    env.update({"TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PROMPT_TOOLKIT_NO_CPR": "1"})
    return pexpect.spawn(str(BIN / "mentor"), args, cwd=str(cwd), env=env, encoding="utf-8", timeout=20,
                         dimensions=(40, 120))  # fmt: skip


@pytest.mark.e2e
@pytest.mark.skipif(not (BIN / "mentor").exists(), reason="needs the installed mentor console script")
def test_init_again_in_a_terminal_offers_to_continue(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("org_name: Peeters\n", encoding="utf-8")
    assert subprocess.run([BIN / "mentor", "init", "--lang", "nl", "--answers", "a.yaml"], cwd=tmp_path).returncode == 0
    before = (tmp_path / "mentor-project.yaml").read_bytes()

    child = _spawn(["init"], tmp_path)
    child.expect_exact("Wilt u ermee verdergaan?")
    child.send(ENTER)  # Ja
    child.expect_exact("vraag 2 van")  # straight on at the first open question of the set-up
    child.send(CTRL_C)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == ExitCode.INTERRUPTED

    child = _spawn(["init"], tmp_path)
    child.expect_exact("Wilt u ermee verdergaan?")
    child.send(DOWN + ENTER)  # Nee: nothing changes, and the way to start over is shown
    child.expect_exact("mentor init --force")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == ExitCode.PROJECT_EXISTS
    assert (tmp_path / "mentor-project.yaml").read_bytes() == before

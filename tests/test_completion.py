"""Shell completion through Typer's own mechanism, and a help screen that reads right."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bmw_mentor import cli

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def mentor() -> str:
    found = shutil.which("mentor", path=os.path.dirname(sys.executable)) or shutil.which("mentor")
    if found is None:
        pytest.fail("the `mentor` console script is not installed next to this Python")
    return found


def completion_env(clean_env: dict[str, str], home: Path) -> dict[str, str]:
    # Typer detects the shell from the parent process; the test names it instead
    return {**clean_env, "HOME": str(home), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}


@pytest.mark.parametrize("args", [["--help"], ["init", "--help"], ["check", "--help"], ["match", "--help"]])
def test_flags_show_no_type(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(args) == 0
    out = capsys.readouterr().out
    assert "--help" in out
    assert "<bool>" not in out


def test_help_offers_completion(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(["--help"]) == 0
    out = capsys.readouterr().out
    assert "--install-completion" in out and "--show-completion" in out
    assert "schema" in out


@pytest.mark.parametrize("shell", SHELLS)
def test_completion_script_for_each_shell(shell: str, tmp_path: Path, clean_env: dict[str, str]) -> None:
    out = subprocess.run(
        [mentor(), "--show-completion", shell],
        capture_output=True, text=True, env=completion_env(clean_env, tmp_path), check=True, timeout=60,
    )  # fmt: skip
    assert "_MENTOR_COMPLETE" in out.stdout
    assert out.stderr == ""


def test_install_completion_writes_the_shell_start_file(tmp_path: Path, clean_env: dict[str, str]) -> None:
    out = subprocess.run(
        [mentor(), "--install-completion", "bash"],
        capture_output=True, text=True, env=completion_env(clean_env, tmp_path), check=True, timeout=60,
    )  # fmt: skip
    script = tmp_path / ".bash_completions" / "mentor.sh"
    assert str(script) in out.stdout
    assert "_MENTOR_COMPLETE" in script.read_text()
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(
    ("line", "expected", "absent"),
    [
        ("mentor ex", {"export"}, {"init"}),
        ("mentor export plan.html --doc ", {"programme", "communication", "training", "forms", "all"}, set()),
        ("mentor check --format ", {"text", "json"}, set()),
        ("mentor participants ", {"add", "list", "remove"}, {"export"}),
        ("mentor init --", {"--lang", "--answers", "--force", "--project"}, {"--doc"}),
    ],
)
def test_bash_completes_commands_options_and_choices(
    line: str, expected: set[str], absent: set[str], tmp_path: Path, clean_env: dict[str, str]
) -> None:
    """The installed script, sourced in a real bash, completes what the user is typing."""
    words = line.split(" ")
    program = (
        f'source <("{mentor()}" --show-completion bash)\n'
        f"COMP_WORDS=({' '.join(repr(w) for w in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        "_mentor_completion mentor\n"  # bash passes the command's name; the script runs it
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = completion_env(clean_env, tmp_path)
    env["PATH"] = os.pathsep.join([os.path.dirname(mentor()), env.get("PATH", "")])
    out = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program], capture_output=True, text=True, env=env, check=True, timeout=60
    )
    offered = set(out.stdout.split())
    assert expected <= offered, (line, offered)
    assert not absent & offered


def test_completion_does_not_load_the_wizard(clean_env: dict[str, str]) -> None:
    """Each Tab runs mentor: it must stay as light as --help."""
    code = (
        "import sys\nfrom bmw_mentor.cli import run\n"
        "try:\n    run([])\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'questionary', 'jinja2', 'prompt_toolkit', 'yaml'}),"
        " file=sys.stderr)\n"
    )
    env = {**clean_env, "_MENTOR_COMPLETE": "complete_bash", "COMP_WORDS": "mentor step ", "COMP_CWORD": "2"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, timeout=60)
    assert out.stderr.strip().splitlines()[-1] == "[]"

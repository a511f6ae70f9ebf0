"""One language per project: with a Dutch project every error, hint and help screen is Dutch."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from bmw_mentor import cli, cliwords
from bmw_mentor.errors import ExitCode
from bmw_mentor.messages import has_message, msg

REPO = Path(__file__).resolve().parent.parent
DUTCH_EXAMPLE = REPO / "examples" / "logistics-onboarding-nl" / "mentor-project.yaml"

# Words that occur in English sentences and never in Dutch ones (quoted values and paths are left out first).
ENGLISH = re.compile(
    r"\b(the|not|cannot|should|found|file|folder|missing|invalid|exist|exists|does|this|there|already|"
    r"expected|value|usage|option|options|no|and|from|must|please|choose|with|unknown|line|argument|"
    r"such|command|got|requires|help|show|only|you|your|give)\b",
    re.IGNORECASE,
)


def english_words(text: str) -> list[str]:
    """The English words in ``text``, leaving out what the user typed, paths, options and commands."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`", " ", text)  # quoted: typed values, names, commands
    text = re.sub(r"(?<!\w)(/|\.{1,2}/|[A-Za-z]:\\)\S*", " ", text)  # paths
    text = re.sub(r"\S*(mentor-project|\.ya?ml|\.csv|\.html|\.md|\.ics|\.pdf)\S*", " ", text)  # file names
    text = re.sub(r"(?<!\w)--?[\w-]+", " ", text)  # options
    text = re.sub(r"<[\w |-]+>", " ", text)  # Typer's names of value types in --help (<file>, <int>)
    text = re.sub(r"\bmentor(\s+(init|step|continue|status|check|export|match|participants|forget)\b[^;,)]*)?", " ", text)
    return ENGLISH.findall(text)


@pytest.fixture
def dutch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding a complete Dutch project, made the current one; the system locale is English."""
    monkeypatch.chdir(tmp_path)
    for var in ("MENTOR_PROJECT", "LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    (tmp_path / "mentor-project.yaml").write_bytes(DUTCH_EXAMPLE.read_bytes())
    return tmp_path


def _broken(folder: Path) -> None:
    path = folder / "mentor-project.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nanswers: [unclosed\n", encoding="utf-8")


def _bad_field(folder: Path) -> None:
    path = folder / "mentor-project.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^schema_version: .*$", "schema_version: twee", text), encoding="utf-8")


def _bad_participants(folder: Path) -> None:
    (folder / "staff.csv").write_text("naam;afdeling\nJan;logistiek\n", encoding="utf-8")


def _no_participants_rows(folder: Path) -> None:
    (folder / "staff.csv").write_text("naam;rol\n;mentor\n", encoding="utf-8")


ERROR_PATHS = {
    "step out of range": ([], ["step", "7"], ExitCode.USAGE),
    "step not a number": ([], ["step", "drie"], ExitCode.USAGE),
    "step missing": ([], ["step"], ExitCode.USAGE),
    "unknown command": ([], ["exporteer", "plan.html"], ExitCode.USAGE),
    "unknown option": ([], ["init", "--kleur", "rood"], ExitCode.USAGE),
    "option without value": ([], ["export", "plan.html", "--doc"], ExitCode.USAGE),
    "extra argument": ([], ["status", "nu"], ExitCode.USAGE),
    "bad choice": ([], ["check", "--format", "pdf"], ExitCode.USAGE),
    "unknown format": ([], ["export", "plan.odt"], ExitCode.USAGE),
    "format does not match": ([], ["export", "plan.md", "--format", "html"], ExitCode.USAGE),
    "existing project": ([], ["init", "--lang", "nl", "--answers", "answers.yaml"], ExitCode.PROJECT_EXISTS),
    "answers file missing": ([], ["step", "2", "--answers", "weg.yaml"], ExitCode.ANSWERS_INVALID),
    "broken project file": ([_broken], ["status"], ExitCode.PROJECT_INVALID),
    "wrong field in project file": ([_bad_field], ["status"], ExitCode.PROJECT_INVALID),
    "participants without role": ([_bad_participants], ["match", "staff.csv"], ExitCode.PARTICIPANTS_INVALID),
    "participants without usable rows": ([_no_participants_rows], ["match", "staff.csv"], ExitCode.PARTICIPANTS_INVALID),
    "participants file missing": ([], ["match", "weg.csv"], ExitCode.PARTICIPANTS_INVALID),
    "forget nobody": ([], ["forget", "Niemand Hier"], None),
    "no terminal": ([], ["step", "1"], ExitCode.NO_TERMINAL),
}


@pytest.mark.parametrize("case", list(ERROR_PATHS), ids=list(ERROR_PATHS))
def test_every_error_is_dutch_in_a_dutch_project(dutch: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    prepare, argv, expected = ERROR_PATHS[case]
    for step in prepare:
        step(dutch)
    code = cli.run(argv)
    out, err = capsys.readouterr()
    if expected is not None:
        assert code == expected, (code, err)
    else:
        assert code != 0, (code, out, err)
    assert err.strip(), out
    for line in err.strip().splitlines():
        assert not english_words(line), (line, english_words(line))


def test_the_checker_finds_english() -> None:
    # the test above can fail: the same lines in English are caught
    assert english_words("mentor: plans/: the folder does not exist")
    assert english_words("mentor: Invalid value for 'number': Input should be less than or equal to 4")
    assert not english_words("mentor: plans/: de map bestaat niet")


def _help(env: dict[str, str], *args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "bmw_mentor", *args, "--help"], capture_output=True, text=True, env=env, check=True
    )
    return out.stdout


@pytest.mark.parametrize("command", [[], ["export"], ["match"], ["participants", "add"]], ids=lambda c: " ".join(c) or "mentor")
def test_help_follows_the_locale_without_a_project(tmp_path: Path, clean_env: dict[str, str], command: list[str]) -> None:
    env = {**clean_env, "LANG": "nl_BE.UTF-8", "COLUMNS": "200"}
    env.pop("LC_ALL", None)
    text = subprocess.run(
        [sys.executable, "-m", "bmw_mentor", *command, "--help"],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=True,
    ).stdout  # fmt: skip
    assert "Gebruik:" in text and "Opties" in text
    words = [w for line in text.splitlines() for w in english_words(line.strip("│ "))]
    assert not words, (words, text)
    english = subprocess.run(
        [sys.executable, "-m", "bmw_mentor", *command, "--help"],
        capture_output=True, text=True, env={**env, "LANG": "en_IE.UTF-8"}, cwd=tmp_path, check=True,
    ).stdout  # fmt: skip
    assert "Usage:" in english and "Gebruik:" not in english


def test_help_of_a_dutch_project_is_dutch_whatever_the_locale(dutch: Path, clean_env: dict[str, str]) -> None:
    env = {**clean_env, "LANG": "en_US.UTF-8"}
    text = subprocess.run(
        [sys.executable, "-m", "bmw_mentor", "--help"], capture_output=True, text=True, env=env, cwd=dutch, check=True
    ).stdout
    assert "Gebruik:" in text and "Opdrachten" in text


def test_every_command_and_option_has_its_help_in_both_languages() -> None:
    command = typer.main.get_command(cli.app)
    missing = [keys[0] for keys in cliwords.help_keys(command) if not any(has_message(k) for k in keys)]
    assert not missing, missing


def test_the_english_help_in_messages_matches_cli_py() -> None:
    # cli.py keeps an English help text beside each option for the reader of the code; the
    # user sees messages.yaml's. A change to one without the other shows here.
    def texts(command: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], str]:
        found = {path: command.help or ""}
        for param in command.params:
            opt = next((o for o in param.opts if o.startswith("--")), param.name)
            found[(*path, opt)] = getattr(param, "help", None) or ""
        for name, sub in getattr(command, "commands", {}).items():
            found |= texts(sub, (*path, name))
        return found

    def norm(text: str) -> str:
        return " ".join(text.replace("\\[", "[").split()).split("\n\n")[0]

    command = typer.main.get_command(cli.app)
    differ = []
    for (keys, inline) in zip(cliwords.help_keys(command), texts(command).values()):
        key = next(k for k in keys if has_message(k))
        if inline and norm(msg(key, "en")) != norm(inline):
            differ.append((key, inline))
    assert not differ, differ


def test_mentor_project_env_picks_the_language(dutch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    moved = dutch / "elders" / "project.yaml"
    moved.parent.mkdir()
    os.replace(dutch / "mentor-project.yaml", moved)
    assert cliwords.language_for(["status"]) == "en"
    assert cliwords.language_for(["status", "--project", str(moved)]) == "nl"
    monkeypatch.setenv("MENTOR_PROJECT", str(moved))
    assert cliwords.language_for(["status"]) == "nl"
    assert cliwords.language_for(["init", "--lang", "en"]) == "en"


def test_the_dutch_example_speaks_dutch_in_every_command(
    dutch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the terminal side of a whole Dutch project: progress lines, warnings, tables and hints
    staff = dutch / "staff.csv"
    staff.write_bytes((REPO / "examples" / "participants-nl.csv").read_bytes() + b"\n;mentor;;;\n")
    runs = [
        ["status"],
        ["check"],
        ["export", "plan.html"],
        ["export", "plannen/"],
        ["match", "staff.csv", "--out", "duo.md", "--save"],
        ["participants", "add", "--from", "staff.csv"],
        ["participants", "list"],
        ["status"],
        ["forget", "Niemand"],
        ["check", "--strict"],
    ]
    english = []
    for argv in runs:
        cli.run(argv)
        out, err = capsys.readouterr()
        assert out.strip() or err.strip(), argv
        english += [(argv, line) for line in (out + err).splitlines() if english_words(line)]
    assert not english, english
    assert sorted(p.name for p in (dutch / "plannen").iterdir())[0] == "communicatie.html"

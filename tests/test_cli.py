"""The command line as a script or a consultant uses it: options, answer files, status, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bmw_mentor import cli
from bmw_mentor.errors import ExitCode
from bmw_mentor.framework.schema import Checklists

HEAVY = ("questionary", "jinja2", "pydantic", "prompt_toolkit")


def test_help_does_not_import_heavy_libraries(clean_env: dict[str, str]) -> None:
    code = (
        "import sys, json\n"
        "sys.argv = ['mentor', '--help']\n"
        "from bmw_mentor.cli import run\n"
        "rc = run(['--help'])\n"
        "print(json.dumps({'rc': rc, 'mods': sorted(sys.modules)}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=clean_env, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["rc"] == 0
    loaded = {m.split(".")[0] for m in result["mods"]}
    assert not loaded & set(HEAVY), loaded & set(HEAVY)
    assert "Usage" in out.stdout and "init" in out.stdout


@pytest.mark.parametrize("sub", ["init", "step", "status", "continue"])
def test_subcommand_help_does_not_load_the_wizard(sub: str, clean_env: dict[str, str]) -> None:
    # Typer itself uses pydantic to parse option values, so only the wizard's own libraries are checked here.
    wizard_libs = ("questionary", "jinja2", "prompt_toolkit")
    code = (
        "import sys\n"
        f"from bmw_mentor.cli import run\nrun(['{sub}', '--help'])\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({wizard_libs!r})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=clean_env, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_wrong_option_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(["init", "--colour", "red"]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--colour" in err and "Traceback" not in err


def test_step_out_of_range(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(["step", "7"]) == ExitCode.USAGE
    assert "step" in capsys.readouterr().err


def test_python_dash_m_works(clean_env: dict[str, str]) -> None:
    out = subprocess.run([sys.executable, "-m", "bmw_mentor", "--version"], capture_output=True, text=True, env=clean_env)
    assert out.returncode == 0 and "bmw-mentor" in out.stdout


def answers_for(checklists: Checklists, focus: str = "induction") -> dict[str, object]:
    """A consultant's answer file: every question answered as the keyboard driver would."""
    from driver import plan

    answers: dict[str, object] = {}
    for step in checklists.steps:
        for q in step.questions:
            answers[q.id] = plan(q)[1]
    answers["programme_focus"] = focus
    return answers


def write(path: Path, data: object) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_init_from_answers_then_status(workdir: Path, checklists: Checklists, capsys: pytest.CaptureFixture[str]) -> None:
    planned = answers_for(checklists)
    # questions that do not apply to an induction programme must not be in the file
    answers: dict[str, object] = {}
    for qid, value in planned.items():
        if checklists.questions[qid].applies(answers):  # type: ignore[arg-type]
            answers[qid] = value
    source = write(workdir / "answers.yaml", {"language": "nl", **answers})
    assert cli.run(["init", "--answers", str(source)]) == 0
    data = yaml.safe_load((workdir / "mentor-project.yaml").read_text(encoding="utf-8"))
    assert data["language"] == "nl"
    assert data["answers"]["step2"]["programme_focus"] == "induction"
    assert data["steps_completed"] == [0, 1, 2, 3, 4]
    capsys.readouterr()
    assert cli.run(["status"]) == 0
    out = capsys.readouterr().out
    assert "klaar" in out and "mentor export" in out


def test_answers_file_uses_the_same_validation(workdir: Path, checklists: Checklists, capsys: pytest.CaptureFixture[str]) -> None:
    source = write(
        workdir / "answers.yaml",
        {"setup": {"org_name": "Acme", "programme_months": 500, "start_date": "31/2/2027", "org_size": "giant"},
         "step9": {"nonsense": 1}},
    )  # fmt: skip
    assert cli.run(["init", "--lang", "en", "--answers", str(source)]) == ExitCode.ANSWERS_INVALID
    err = capsys.readouterr().err
    assert "programme_months" in err and "start_date" in err and "org_size" in err and "nonsense" in err
    assert not (workdir / "mentor-project.yaml").exists()


def test_step_answers_accept_labels_and_dutch_yes(workdir: Path, checklists: Checklists) -> None:
    write(workdir / "a.yaml", {"org_name": "Acme", "start_date": "2027-01-15", "programme_months": 12})
    assert cli.run(["init", "--lang", "en", "--answers", "a.yaml"]) == 0
    q = checklists.questions["programme_focus"]
    growth = next(c for c in q.choices if c.id == "growth")
    write(workdir / "b.yaml", {"step2": {"programme_focus": growth.label.en, "goal_statement": "Grow"},
                               "step3": {"no_reporting_line": "ja"}})  # fmt: skip
    assert cli.run(["step", "2", "--answers", "b.yaml"]) == 0
    data = yaml.safe_load((workdir / "mentor-project.yaml").read_text(encoding="utf-8"))
    assert data["answers"]["step2"]["programme_focus"] == "growth"
    assert "step3" not in data["answers"]  # only step 2 was asked for
    assert cli.run(["step", "3", "--answers", "b.yaml"]) == 0
    data = yaml.safe_load((workdir / "mentor-project.yaml").read_text(encoding="utf-8"))
    assert data["answers"]["step3"]["no_reporting_line"] is True


def test_no_terminal_points_to_answers_mode(workdir: Path, clean_env: dict[str, str]) -> None:
    for args in (["init", "--lang", "en"], ["init"]):
        out = subprocess.run(
            [sys.executable, "-m", "bmw_mentor", *args],
            capture_output=True, text=True, env=clean_env, stdin=subprocess.DEVNULL, cwd=workdir,
        )  # fmt: skip
        assert out.returncode == ExitCode.NO_TERMINAL
        assert "--answers" in out.stderr and "Traceback" not in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1


def test_init_refuses_to_overwrite(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "a.yaml", {"org_name": "Acme"})
    assert cli.run(["init", "--lang", "en", "--answers", "a.yaml"]) == 0
    before = (workdir / "mentor-project.yaml").read_bytes()
    assert cli.run(["init", "--lang", "en", "--answers", "a.yaml"]) == ExitCode.PROJECT_EXISTS
    assert "mentor step" in capsys.readouterr().err
    assert (workdir / "mentor-project.yaml").read_bytes() == before
    write(workdir / "b.yaml", {"org_name": "Other"})
    assert cli.run(["init", "--lang", "en", "--answers", "b.yaml", "--force"]) == 0
    from bmw_mentor.projectfile.project import backups

    assert [b.read_bytes() for b in backups(workdir / "mentor-project.yaml")] == [before]


def test_status_counts_applicable_questions(workdir: Path, checklists: Checklists, capsys: pytest.CaptureFixture[str]) -> None:
    write(workdir / "a.yaml", {"org_name": "Acme", "programme_focus": "induction"})
    assert cli.run(["init", "--lang", "en", "--answers", "a.yaml"]) == 0
    capsys.readouterr()
    assert cli.run(["status"]) == 0
    out = capsys.readouterr().out
    # the total counts every question asked when the open ones take their suggested value:
    # nobody but the coordinator takes a project-team task, so no "who takes it?" question
    setup = [q for q in checklists.step(0).questions if q.applies({"team_tasks": []})]
    assert f"1/{len(setup)}" in out
    step2 = [q for q in checklists.step(2).questions if q.asked and q.applies({"programme_focus": "induction"})]
    assert f"1/{len(step2)}" in out
    assert "mentor step setup" in out


def test_status_does_not_load_the_prompt_library(workdir: Path, clean_env: dict[str, str]) -> None:
    write(workdir / "a.yaml", {"org_name": "Acme"})
    assert cli.run(["init", "--lang", "en", "--answers", "a.yaml"]) == 0
    code = (
        "import sys\nfrom bmw_mentor.cli import run\nrc = run(['status'])\n"
        "print(rc, sorted({m.split('.')[0] for m in sys.modules} & {'questionary', 'prompt_toolkit', 'jinja2'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=clean_env, cwd=workdir)
    assert out.stdout.strip().splitlines()[-1] == "0 []"

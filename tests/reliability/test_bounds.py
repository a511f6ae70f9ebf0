"""Inputs that explode: alias bombs, oversized files, devices and pipes, quadratic escaping, long chains.

Each hostile input runs through the real command in a child process, whose time and peak memory
are measured; an input is handled when the command stops with its one-line error well within both.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bmw_mentor.errors import ExitCode
from bmw_mentor.files.resources import data_dir

SECONDS = 60  # generous: the machine running the tests may be busy; the bombs took minutes or never ended
MEGABYTES = 600
RUNNER = (
    "import json, resource, sys, time\n"
    "from bmw_mentor.cli import run\n"
    "start = time.perf_counter()\n"
    "code = run(sys.argv[1:])\n"
    "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
    "sys.stderr.write('\\n' + json.dumps({'code': code, 'seconds': time.perf_counter() - start, 'mb': peak}) + '\\n')\n"
)


def bomb(levels: int = 9) -> str:
    """A billion-laughs document: ten values, each level ten aliases of the one before."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for k in range(1, levels + 1):
        lines.append(f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def mentor(args: list[str], cwd: Path, **env: str) -> tuple[int, list[str], dict[str, float]]:
    """Run ``mentor args`` in a child process: exit code, error lines, and its time and peak memory."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MENTOR_")}
    environ.update({"LC_ALL": "C", "NO_COLOR": "1", **env})
    done = subprocess.run([sys.executable, "-c", RUNNER, *args], cwd=cwd, capture_output=True, text=True,
                          env=environ, timeout=SECONDS * 3)  # fmt: skip
    *lines, last = done.stderr.strip().splitlines()
    stats = json.loads(last)
    return int(stats["code"]), [line for line in lines if line.strip()], stats


def within_bounds(stats: dict[str, float]) -> None:
    assert stats["seconds"] < SECONDS, stats
    assert stats["mb"] < MEGABYTES, stats


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "start.yaml").write_text("org_name: Acme\nstart_date: 2027-01-04\n", encoding="utf-8")
    code, err, _ = mentor(["init", "--lang", "en", "--answers", "start.yaml"], tmp_path)
    assert code == 0, err
    (tmp_path / "people.csv").write_text("name,role\nAnn,mentor\nBob,mentee\n", encoding="utf-8")
    return tmp_path


# -- alias bombs, on every reader ----------------------------------------------------------------
def test_an_alias_bomb_as_the_project_file(folder: Path) -> None:
    project = folder / "mentor-project.yaml"
    nested = "".join("    " + line + "\n" for line in bomb().splitlines())
    project.write_text("schema_version: 1\nlanguage: en\nanswers:\n  setup:\n" + nested, encoding="utf-8")
    for args in (["status"], ["export", "plan.html"], ["check"], ["step", "1", "--answers", "start.yaml"]):
        code, err, stats = mentor(args, folder)
        assert code == ExitCode.PROJECT_INVALID and len(err) == 1 and "aliases" in err[0], (args, err)
        within_bounds(stats)


def test_an_alias_bomb_as_an_answers_file(folder: Path) -> None:
    (folder / "bomb.yaml").write_text(bomb(), encoding="utf-8")
    code, err, stats = mentor(["step", "1", "--answers", "bomb.yaml"], folder)
    assert code == ExitCode.ANSWERS_INVALID and len(err) == 1 and "aliases" in err[0]
    within_bounds(stats)


def test_an_alias_bomb_as_the_ledger(folder: Path) -> None:
    (folder / "mentor-written.yaml").write_text(bomb(), encoding="utf-8")
    for args, expected in ((["match", "people.csv", "-o", "s.md"], ExitCode.IO_ERROR), (["forget", "Ann"], ExitCode.IO_ERROR)):
        code, err, stats = mentor(args, folder)
        assert code == expected and len(err) == 1 and "aliases" in err[0], (args, err)
        within_bounds(stats)


def test_an_alias_bomb_as_a_match_config(folder: Path) -> None:
    (folder / "rules.yaml").write_text(bomb(), encoding="utf-8")
    code, err, stats = mentor(["match", "people.csv", "--config", "rules.yaml"], folder)
    assert code == ExitCode.USAGE and len(err) == 1 and "aliases" in err[0]
    within_bounds(stats)


def test_an_alias_bomb_in_a_checklist(folder: Path) -> None:
    data = folder / "data"
    shutil.copytree(data_dir("checklists"), data / "checklists")
    shutil.copytree(data_dir("templates"), data / "templates")
    step1 = data / "checklists" / "step1.yaml"
    step1.write_text(step1.read_text(encoding="utf-8") + "\n" + bomb().replace("a0:", "zz0:", 1).replace("*a0", "*zz0") .replace("&a0", "&zz0"), encoding="utf-8")  # noqa: E501
    code, err, stats = mentor(["status"], folder, MENTOR_DATA_DIR=str(data), MENTOR_NO_CACHE="1")
    assert code == ExitCode.CHECKLIST_INVALID and len(err) == 1 and "aliases" in err[0], err
    within_bounds(stats)


# -- sizes, devices and pipes --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-p", "/dev/zero", "status"], ExitCode.PROJECT_INVALID),
        (["step", "1", "--answers", "/dev/zero"], ExitCode.ANSWERS_INVALID),
        (["match", "/dev/zero"], ExitCode.PARTICIPANTS_INVALID),
        (["participants", "add", "--from", "/dev/zero"], ExitCode.PARTICIPANTS_INVALID),
        (["match", "people.csv", "--config", "/dev/zero"], ExitCode.USAGE),
        (["evaluate", "/dev/zero", "--out", "report.md"], ExitCode.RECORDS_INVALID),
    ],
    ids=["project", "answers", "match", "participants", "config", "responses"],
)
def test_an_endless_device_is_read_up_to_the_limit(folder: Path, args: list[str], expected: int) -> None:
    args = [a if a != "-p" else "--project" for a in args]
    if args[0] == "--project":
        args = [args[2], "--project", args[1]]
    code, err, stats = mentor(args, folder)
    assert code == expected and len(err) == 1 and "too large" in err[0], err
    within_bounds(stats)


def test_a_pipe_without_end_is_read_up_to_the_limit(folder: Path) -> None:
    fifo = folder / "people.fifo"
    os.mkfifo(fifo)
    writer = subprocess.Popen([sys.executable, "-c", f"f = open({str(fifo)!r}, 'wb')\nwhile True: f.write(b'a,' * 65536)"])
    try:
        code, err, stats = mentor(["match", str(fifo)], folder, MENTOR_MAX_INPUT=str(4 * 1024 * 1024))
    finally:
        writer.kill()
        writer.wait()
    assert code == ExitCode.PARTICIPANTS_INVALID and "too large" in err[0]
    within_bounds(stats)


def test_an_oversized_ledger_and_project_are_refused(folder: Path) -> None:
    big = "# " + "x" * 2000 + "\n"
    (folder / "mentor-written.yaml").write_text(big * 600, encoding="utf-8")
    code, err, _ = mentor(["match", "people.csv", "-o", "s.md"], folder, MENTOR_MAX_INPUT="1000000")
    assert code == ExitCode.IO_ERROR and "too large" in err[0]
    project = folder / "mentor-project.yaml"
    project.write_text(project.read_text(encoding="utf-8") + big * 600, encoding="utf-8")
    code, err, _ = mentor(["status"], folder, MENTOR_MAX_INPUT="1000000")
    assert code == ExitCode.PROJECT_INVALID and "too large" in err[0]


# -- escaping is linear ----------------------------------------------------------------------------
def test_markdown_escaping_is_linear() -> None:
    from bmw_mentor.documents.render import _tidy_md, md_cell, md_escape, md_line
    from bmw_mentor.matching.sheet import _md

    def cost(n: int) -> float:
        start = time.perf_counter()
        for text in ("\n" * n, " " * n + "x", "\n " * n, "- " * n, "1." * n + "\n" * n):
            md_escape(text)
            md_cell(text)
            md_line(text)
            _tidy_md(text)
            _md(text)
        return time.perf_counter() - start

    cost(1000)  # warm up
    small, large = min(cost(4000) for _ in range(3)), min(cost(64000) for _ in range(3))
    # 16 times the text: about 16 times the work when linear, 256 times when quadratic
    assert large / small < 50, (small, large)


def test_a_huge_mentor_word_exports_and_forgets_in_time(folder: Path) -> None:
    import yaml

    code, err, _ = mentor(["match", "people.csv", "--save"], folder)
    assert code == 0, err
    project = folder / "mentor-project.yaml"
    data = yaml.safe_load(project.read_text(encoding="utf-8"))
    data["answers"]["step1"] = {"mentor": "Buddy"}
    project.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, err, baseline = mentor(["export", "plain.md"], folder)  # the same plan with an ordinary word
    assert code == 0, err
    data["answers"]["step1"] = {"mentor": "Bud" + "\n" * 8192 + "dy"}
    project.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, err, stats = mentor(["export", "plan.md"], folder)
    assert code == 0, err
    within_bounds(stats)
    # it took 64 s while escaping was quadratic, against about one for the ordinary plan
    assert stats["seconds"] < 4 * baseline["seconds"] + 5, (baseline, stats)
    code, err, again = mentor(["forget", "Ann"], folder)  # which exports both plans again
    assert code == 0, err
    assert again["seconds"] < 8 * baseline["seconds"] + 10, (baseline, again)
    assert "Ann" not in (folder / "plan.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_chain_of_ten_thousand_line_managers_is_matched_in_seconds(tmp_path: Path) -> None:
    rows = ["name,role,years of experience,line manager"]
    for k in range(10_000):
        rows.append(f"P{k},{'mentor' if k % 2 else 'mentee'},{k % 30},{f'P{k - 1}' if k else ''}")
    # every mentee is in every mentor's reporting line: all 5,000 are left unmatched, with the reason
    (tmp_path / "chain.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, err, stats = mentor(["match", "chain.csv", "--lang", "en", "-o", "chain-sheet.csv"], tmp_path)
    assert code == 0, err
    # 2,400 people took 77 s while each walk up the chain tested a list; 10,000 would have taken hours
    assert stats["seconds"] < 120, stats

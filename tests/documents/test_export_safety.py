"""`mentor export` under stress: killed while writing, a folder that is missing, and hostile text in every answer.

The project file gets the same treatment in test_robustness.py; this file does it for the exported plans.
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from exportkit import EXAMPLES, export, load_yaml, parse_html, text_of, write_project
from markdown_it import MarkdownIt
from payloads import PAYLOADS

from bmw_mentor.errors import ExitCode
from bmw_mentor.files.textsafe import for_document
from bmw_mentor.framework.schema import Checklists

MANUFACTURING = next(p for p in EXAMPLES if p.name.startswith("manufacturing"))
FAMILY = next(p for p in EXAMPLES if p.name.startswith("family"))


def quiet_export(project: Path, target: Path | str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = export(project, target, *args)
    return code, out.getvalue(), err.getvalue()


def every_text_answer(checklists: Checklists, text: str, pairs: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """The manufacturing example with every free-text answer (asked or not) set to ``text``."""
    data = load_yaml(MANUFACTURING / "mentor-project.yaml")
    for q in checklists.questions.values():
        if q.type in ("text", "long_text"):
            data["answers"].setdefault(checklists.step_of[q.id].id, {})[q.id] = text
    if pairs:
        data["pairs"] = [{"mentor": m, "mentee": e} for m, e in pairs]
    return data


# -- killed while exporting ------------------------------------------------------------------------
CHILD = textwrap.dedent(
    """
    import os
    import sys
    from bmw_mentor.cli import run

    target, first, second, warm = sys.argv[1:5]
    # a first export elsewhere loads everything, so that the kills land in real exports
    sys.stdout = open(os.devnull, "w")
    assert run(["export", warm, "--project", first]) == 0
    sys.__stdout__.write("ready\\n")
    sys.__stdout__.flush()
    i = 0
    while True:
        assert run(["export", target, "--project", (first, second)[i % 2]]) == 0
        i += 1
    """
)


def folder_state(folder: Path) -> set[tuple[str, int, int]]:
    return {(e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(folder)}


def wait_for_writing(folder: Path, deadline: float) -> None:
    """Return as soon as anything in ``folder`` changes: a file appears, or one changes size or time."""
    before = folder_state(folder)
    while time.monotonic() < deadline:
        try:
            if folder_state(folder) != before:
                return
        except FileNotFoundError:  # a file went away while being looked at: that is a change too
            return


def test_kill_during_export_leaves_the_old_or_the_new_plan(tmp_path: Path, checklists: Checklists) -> None:
    projects = tmp_path / "projects"
    projects.mkdir()
    versions = {}
    for tag in ("A", "B"):
        path = write_project(projects / f"{tag}.yaml", every_text_answer(checklists, f"{tag}{tag.lower()} " * 4000))
        start = time.perf_counter()
        assert quiet_export(path, projects / f"{tag}.html")[0] == 0
        seconds = time.perf_counter() - start
        versions[tag] = (path, (projects / f"{tag}.html").read_bytes())
    assert versions["A"][1] != versions["B"][1] and len(versions["A"][1]) > 2_000_000

    out = tmp_path / "out"
    out.mkdir()
    target = out / "plan.html"
    target.write_bytes(versions["A"][1])  # a previous, complete export
    target.chmod(0o600)
    rng = random.Random(20261127)
    kills = 40
    seen = {"A": 0, "B": 0}
    for n in range(kills):
        first, second = ("B", "A") if n % 2 == 0 else ("A", "B")
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(target), str(versions[first][0]), str(versions[second][0]), str(projects / "warm.html")],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        if n % 2:
            time.sleep(rng.uniform(0.0, 2.5 * seconds))  # anywhere: reading, building, rendering or writing
        else:
            # right as the writing starts, when a careless save would have cut the old plan short
            wait_for_writing(out, deadline=time.monotonic() + 10 * seconds + 5)
            time.sleep(rng.uniform(0.0, 0.01))
        child.send_signal(signal.SIGKILL)
        child.wait()
        now = target.read_bytes()
        found = [tag for tag, (_, content) in versions.items() if now == content]
        assert found, f"kill {n}: the plan is neither the old nor the new export ({len(now)} bytes)"
        seen[found[0]] += 1
    assert seen["A"] and seen["B"], seen  # exports did complete between the kills
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    # what a kill leaves behind is a hidden temporary file, readable by the owner only ...
    leftovers = [p for p in out.iterdir() if p != target]
    assert all(re.fullmatch(r"\.plan\.html\..+\.tmp", p.name) for p in leftovers), leftovers
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in leftovers)
    # ... and the next export clears those that are clearly abandoned
    for p in leftovers:
        os.utime(p, (time.time() - 3600, time.time() - 3600))
    assert quiet_export(versions["B"][0], target)[0] == 0
    assert sorted(out.iterdir()) == [target] and target.read_bytes() == versions["B"][1]


# -- a folder that is not there ----------------------------------------------------------------------
def snapshot(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


@pytest.mark.parametrize(
    ("target", "written"),
    [
        ("nowhere/plan.html", ["nowhere/plan.html"]),
        ("nowhere/plan.ics", ["nowhere/plan.ics"]),
        ("nowhere/deeper/plan.md", ["nowhere/deeper/plan.md"]),
        ("nowhere/", [f"nowhere/{d}.html" for d in ("programme", "communication", "training", "forms")]),
    ],
)
def test_a_missing_export_folder_is_made(target: str, written: list[str], tmp_path: Path) -> None:
    # `mentor export plans/ --format html`, as the README shows it, works in a fresh folder
    project = tmp_path / "mentor-project.yaml"
    shutil.copy(FAMILY / "mentor-project.yaml", project)
    code, _, err = quiet_export(project, f"{tmp_path}/{target}")
    assert code == ExitCode.OK, err
    assert sorted(p for p in snapshot(tmp_path) if snapshot(tmp_path)[p] is not None and p.startswith("nowhere")) == sorted(written)


def test_a_missing_export_folder_is_not_made_when_the_project_is_broken(tmp_path: Path) -> None:
    project = tmp_path / "mentor-project.yaml"
    project.write_text("language: [en\n", encoding="utf-8")
    before = snapshot(tmp_path)
    code, _, err = quiet_export(project, f"{tmp_path}/nowhere/plan.html")
    assert code == ExitCode.PROJECT_INVALID and len(err.strip().splitlines()) == 1
    assert snapshot(tmp_path) == before


def test_a_folder_that_disappears_before_the_write_is_one_line_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bmw_mentor.documents import export as exporter

    project = tmp_path / "mentor-project.yaml"
    shutil.copy(FAMILY / "mentor-project.yaml", project)
    folder = tmp_path / "out"
    folder.mkdir()
    real_build = exporter.build

    def build_then_lose_the_folder(*args: Any, **kwargs: Any) -> Any:
        context = real_build(*args, **kwargs)
        folder.rmdir()  # a USB stick pulled out, a network share gone
        return context

    monkeypatch.setattr(exporter, "build", build_then_lose_the_folder)
    before = snapshot(tmp_path)
    code, out, err = quiet_export(project, folder / "plan.html")
    assert code == ExitCode.IO_ERROR
    assert len(err.strip().splitlines()) == 1 and "does not exist" in err
    assert out == ""
    # the plan was recorded before it was written (recorded or absent, never written and unknown to
    # `mentor forget`); the record and mentor's lock file are the only changes
    after = {k: v for k, v in snapshot(tmp_path).items() if k not in ("mentor-written.yaml", ".mentor.lock")}
    assert after == {k: v for k, v in before.items() if k != "out"}


# -- hostile text in every free-text answer -------------------------------------------------------------
BENIGN_PAIRS = [("Ann Peeters", "Bart Claes")]


def md_html(md: str) -> Any:
    return parse_html("<body>" + MarkdownIt("commonmark", {"html": True}).enable("table").render(md) + "</body>")


def markup(root: Any) -> tuple[set[str], set[str]]:
    """The element names and attribute names in a parsed document."""
    tags, attributes = set(), set()
    for el in root.iter():
        if isinstance(el.tag, str):
            tags.add(el.tag)
            attributes |= set(el.attrib)
    return tags, attributes


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[set[str], set[str]]]:
    """The markup of the same plans when every answer is ordinary text spread over a few lines."""
    from bmw_mentor.framework.checklist import shipped

    folder = tmp_path_factory.mktemp("baseline")
    project = write_project(folder / "p.yaml", every_text_answer(shipped(), "Plain words.\nA second line.\n\n- a point\n- another", BENIGN_PAIRS))
    out = {}
    for ext in ("html", "md"):
        assert quiet_export(project, folder / f"plan.{ext}")[0] == 0
        text = (folder / f"plan.{ext}").read_text(encoding="utf-8")
        out[ext] = markup(parse_html(text) if ext == "html" else md_html(text))
    return out


def shown(payload: str) -> str:
    """What a reader should see of a payload: the text itself, without control characters."""
    return re.sub(r"\s+", " ", for_document(payload)).strip()


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_hostile_text_in_every_answer_never_becomes_markup(
    payload: str, tmp_path: Path, checklists: Checklists, baseline: dict[str, tuple[set[str], set[str]]]
) -> None:
    project = write_project(tmp_path / "p.yaml", every_text_answer(checklists, payload, [(payload, payload + " 2")]))
    assert quiet_export(project, tmp_path / "plan.html")[0] == 0
    assert quiet_export(project, tmp_path / "plan.md")[0] == 0
    html = (tmp_path / "plan.html").read_text(encoding="utf-8")
    md = (tmp_path / "plan.md").read_text(encoding="utf-8")

    root = parse_html(html)
    tags, attributes = markup(root)
    assert tags <= baseline["html"][0], tags - baseline["html"][0]
    assert attributes <= baseline["html"][1], attributes - baseline["html"][1]
    assert not {"script", "img", "svg", "textarea", "iframe", "object"} & tags
    assert not [a for a in attributes if a.lower().startswith("on")]
    assert len(list(root.iter("style"))) == 1
    assert all(not el.get("href", "#").lower().startswith("javascript") for el in root.iter())
    assert shown(payload) in text_of(root)  # shown as text, not dropped
    # nothing a parser or a printer would trip over
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", html + md)

    # Markdown: the only raw HTML is the <br> the templates put in table cells
    assert not re.search(r"(?<!\\)<(?!br>)", md), re.search(r".{30}(?<!\\)<(?!br>).{30}", md)
    md_root = md_html(md)
    tags, attributes = markup(md_root)
    assert tags <= baseline["md"][0], tags - baseline["md"][0]
    assert attributes <= baseline["md"][1], attributes - baseline["md"][1]
    assert not {"script", "img", "svg", "textarea", "iframe", "object"} & tags
    assert shown(payload) in text_of(md_root)

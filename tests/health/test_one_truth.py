"""One truth for check, export and match: saved pairs and the participants' capacities, one count of open questions."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO

from bmw_mentor import cli

HEALTHY = yaml.safe_load((REPO / "tests" / "data" / "health-healthy.yaml").read_text(encoding="utf-8"))
FIXTURES = REPO / "tests" / "matching" / "fixtures"


def _init(folder: Path, answers: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> Path:
    source = folder / "answers.yaml"
    source.write_text(yaml.safe_dump({"language": "en", **answers}, allow_unicode=True), encoding="utf-8")
    project = folder / "mentor-project.yaml"
    assert cli.run(["init", "--force", "--answers", str(source), "--project", str(project)]) == 0
    capsys.readouterr()
    return project


def _check(project: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert cli.run(["check", "--project", str(project), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_check_after_save_uses_the_participants_capacities(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the wizard planned 7 pairs with 3 mentors of 1 place each: too few on paper
    project = _init(workdir, {**HEALTHY, "scope_pairs": 7, "mentor_pool": 3, "mentees_per_mentor": 1}, capsys)
    before = _check(project, capsys)
    assert "pool_too_small" in {f["rule"] for f in before["findings"]}
    # the participants file gives the real capacities ("Max. aantal nieuwkomers"), and every newcomer gets a mentor
    source = workdir / "deelnemers.ods"
    shutil.copy(FIXTURES / "deelnemers_eigen_kolommen.ods", source)
    assert cli.run(["match", str(source), "--save", "--project", str(project), "-o", "pairs.csv"]) == 0
    capsys.readouterr()
    saved = yaml.safe_load(project.read_text(encoding="utf-8"))
    assert len(saved["pairs"]) == 7 and saved["pool"]["unmatched_mentees"] == 0
    after = _check(project, capsys)
    assert "pool_too_small" not in {f["rule"] for f in after["findings"]}
    items = {i["id"]: i for i in after["estimate"]["items"]}
    assert items["pool_capacity"]["value"] == saved["pool"]["places"] == 8
    assert items["mentors_needed"]["value"] == len({p["mentor"] for p in saved["pairs"]})
    assert after["estimate"]["pairs"]["source"] == "matched"


def test_check_still_warns_when_mentees_are_left_waiting_for_lack_of_places(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _init(workdir, {**HEALTHY, "scope_pairs": 2, "mentor_pool": 10, "mentees_per_mentor": 1}, capsys)
    source = workdir / "staff.csv"
    source.write_text(
        "name;role;capacity\nA;mentor;1\nB;mentee;\nC;mentee;\nD;mentee;\n", encoding="utf-8"
    )  # three mentees, one place
    assert cli.run(["match", str(source), "--save", "--project", str(project)]) == 0
    capsys.readouterr()
    assert "pool_too_small" in {f["rule"] for f in _check(project, capsys)["findings"]}


def test_export_and_check_count_the_same_open_questions(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    half = {k: v for k, v in list(HEALTHY.items())[: len(HEALTHY) // 2]}
    project = _init(workdir, half, capsys)
    report = _check(project, capsys)
    assert cli.run(["check", "--project", str(project)]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert cli.run(["export", str(workdir / "plan.html"), "--project", str(project)]) == 0
    exported = capsys.readouterr().out
    n = report["summary"]["open_questions"]
    assert n > report["summary"]["to_decide"] > 0  # more open questions than the rules need
    assert f"{n} question" in text
    found = re.search(r"Questions still to decide: (\d+)", exported)
    assert found is not None and int(found.group(1)) == n

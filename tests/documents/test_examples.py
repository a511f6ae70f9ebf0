"""The committed examples: complete, and their committed exports match what the templates produce now."""

from __future__ import annotations

from pathlib import Path

import pytest
from exportkit import EXAMPLES, REPO, export

from bmw_mentor.framework.schema import Checklists
from bmw_mentor.projectfile import progress
from bmw_mentor.projectfile.project import load


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_project_is_complete(example: Path, checklists: Checklists) -> None:
    project = load(example / "mentor-project.yaml")
    assert progress.next_step_number(project, checklists) is None, "every step of an example is answered"
    assert project.get("org_name")


@pytest.mark.parametrize("name", ["plan.html", "plan.md", "plan.ics"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_committed_export_matches_the_templates(example: Path, name: str, tmp_path: Path) -> None:
    committed = example / name
    assert committed.exists(), f"{committed} is missing: run python examples/regenerate.py"
    fresh = tmp_path / name
    assert export(example / "mentor-project.yaml", fresh) == 0
    assert fresh.read_bytes() == committed.read_bytes(), (
        f"{committed.relative_to(REPO)} no longer matches what the templates produce; "
        "run `python examples/regenerate.py` and commit the result"
    )


def test_exports_are_deterministic(tmp_path: Path) -> None:
    project = EXAMPLES[0] / "mentor-project.yaml"
    for name in ("a", "b"):
        for ext in ("html", "md", "ics"):
            assert export(project, tmp_path / f"{name}.{ext}") == 0
    for ext in ("html", "md", "ics"):
        assert (tmp_path / f"a.{ext}").read_bytes() == (tmp_path / f"b.{ext}").read_bytes()

"""The committed examples: complete, and their committed exports match what the templates produce now."""

from __future__ import annotations

from pathlib import Path

import pytest
from exportkit import EXAMPLES, REPO, docx_parts, export, pdf_pages

from bmw_mentor.framework.schema import Checklists
from bmw_mentor.projectfile import progress
from bmw_mentor.projectfile.project import load


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_project_is_complete(example: Path, checklists: Checklists) -> None:
    project = load(example / "mentor-project.yaml")
    assert progress.next_step_number(project, checklists) is None, "every step of an example is answered"
    assert project.get("org_name")


def _comparable(name: str, data: bytes) -> object:
    """What must match: a Word file's parts (not the zip's compression), a PDF's text page by page
    (not the font subsets, which depend on the fonts installed), the bytes of every other format."""
    if name.endswith(".docx"):
        return docx_parts(data)
    if name.endswith(".pdf"):
        return pdf_pages(data)
    return data


@pytest.mark.parametrize("name", ["plan.html", "plan.md", "plan.docx", "plan.pdf", "plan.ics"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_committed_export_matches_the_templates(example: Path, name: str, tmp_path: Path) -> None:
    committed = example / name
    assert committed.exists(), f"{committed} is missing: run python examples/regenerate.py"
    fresh = tmp_path / name
    assert export(example / "mentor-project.yaml", fresh) == 0
    assert _comparable(name, fresh.read_bytes()) == _comparable(name, committed.read_bytes()), (
        f"{committed.relative_to(REPO)} no longer matches what the templates produce; "
        "run `python examples/regenerate.py` and commit the result"
    )


def test_exports_are_deterministic(tmp_path: Path) -> None:
    project = EXAMPLES[0] / "mentor-project.yaml"
    kinds = ("html", "md", "docx", "pdf", "ics")
    for name in ("a", "b"):
        for ext in kinds:
            assert export(project, tmp_path / f"{name}.{ext}") == 0
    for ext in kinds:
        assert (tmp_path / f"a.{ext}").read_bytes() == (tmp_path / f"b.{ext}").read_bytes(), ext

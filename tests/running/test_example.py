"""The Dutch example runs: its committed check-ins give a pairs view, its answers the committed report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO

from bmw_mentor import cli

EXAMPLE = REPO / "examples" / "logistics-onboarding-nl"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    # a copy, so that the store and ledger mentor keeps next to a project are not written into the repository
    for name in ("mentor-project.yaml", "mentor-checkins.csv", *[p.name for p in EXAMPLE.glob("antwoorden-*.csv")]):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize("name", ["evaluation.html", "evaluation.md"])
def test_committed_report_matches_the_answers(copy: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    answers = sorted(str(p) for p in copy.glob("antwoorden-*.csv"))
    assert cli.run(["evaluate", *answers, "--out", str(copy / name), "-p", str(copy / "mentor-project.yaml")]) == 0
    assert (copy / name).read_bytes() == (EXAMPLE / name).read_bytes(), (
        f"examples/{EXAMPLE.name}/{name} is out of date: run `python examples/regenerate.py` and commit the result"
    )


def test_the_pairs_view_of_the_example(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(["status", "-p", str(copy / "mentor-project.yaml"), "--as-of", "2028-02-29"]) == 0
    out = capsys.readouterr().out
    assert "Duo's op 2028-02-29" in out
    attention = " ".join(out[out.index("Vraagt uw aandacht (3)") :].split())  # however the terminal wrapped it
    assert "Nathalie Wuyts – Milan Hendrickx: een gesprek is 28 dagen te laat" in attention
    assert "Johan Verstraete – Sara Jacobs: pas 13 van de 25 gesprekken" in attention
    assert "Luc Van Acker" not in attention

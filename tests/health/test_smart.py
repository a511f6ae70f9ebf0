"""SMART hints on goal texts, and the wizard showing them after the goal questions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from driver import plan
from rich.console import Console

from bmw_mentor.framework.schema import Checklists, Question
from bmw_mentor.health import smart
from bmw_mentor.health.smart import missing, smart_hints
from bmw_mentor.messages import msg
from bmw_mentor.projectfile.project import Project
from bmw_mentor.wizard.loop import Wizard

HINTS = {a.id: a.hint for a in smart.shipped().aspects}


@pytest.mark.parametrize(
    ("text", "gaps"),
    [
        ("We want our new hires to feel at home.", ["measure", "date", "owner"]),
        ("9 in 10 new drivers are still with us after 6 months; the HR manager follows this up.", []),
        ("By the end of 2027 every starter has a buddy; the coordinator checks.", []),
        ("Within 6 months new hires work on their own.", ["measure", "owner"]),  # 6 is a time frame, not a measure
        ("Reduce turnover among new staff.", ["date", "owner"]),
        ("Tegen eind 2027 blijft 80 % van de nieuwe medewerkers; de zaakvoerder volgt op.", []),
        ("Binnen zes maanden kent elke starter de veiligheidsregels.", ["owner"]),
        ("Nieuwe mensen voelen zich snel thuis.", ["measure", "date", "owner"]),
        ("Q3 2027: de coördinator rapporteert.", ["measure"]),
    ],
)
def test_smart_heuristics(text: str, gaps: list[str]) -> None:
    assert missing(text) == gaps


def test_hints_come_in_the_project_language_and_explain_what_is_missing() -> None:
    text = "New hires feel at home quickly."
    assert smart_hints(text, "en") == [HINTS["measure"].en, HINTS["date"].en, HINTS["owner"].en]
    assert smart_hints(text, "nl") == [HINTS["measure"].nl, HINTS["date"].nl, HINTS["owner"].nl]
    assert smart_hints("By the end of 2027, 90% stay; the HR manager follows up.", "nl") == []


def test_a_named_colleague_counts_as_owner_but_not_a_common_word() -> None:
    text = "By the end of 2027, 90% of starters stay; Sofie follows this up."
    assert smart_hints(text, "en", names=["Sofie Claeys"]) == []
    assert smart_hints(text, "en") == [HINTS["owner"].en]
    # short name parts such as "An" or "De" must not match ordinary words
    assert missing("By 2027 an increase of 10%", names=["An De Smet"]) == ["owner"]


def test_an_empty_goal_gets_no_hints() -> None:
    assert smart_hints("", "en") == [] and smart_hints("   ", "nl") == []


def test_the_wizard_points_out_what_a_typed_goal_lacks(tmp_path: Path, checklists: Checklists) -> None:
    project = Project(language="en")
    goal = "Our starters feel welcome."

    def asker(q: Question, **_: Any) -> Any:
        return goal if q.id == "goal_statement" else plan(q)[1]

    console = Console(record=True, width=200, file=open("/dev/null", "w"))  # noqa: SIM115
    wizard = Wizard(project, tmp_path / "p.yaml", checklists, console, asker=asker, confirmer=lambda *a, **k: False,
                    chooser=lambda *a, **k: "stop")
    wizard.run(2, chain=False)
    shown = " ".join(console.export_text().split())
    assert project.get("goal_statement") == goal  # the hint is advice; the answer is kept
    for hint in (HINTS["measure"].en, HINTS["date"].en, HINTS["owner"].en):
        assert " ".join(hint.split()) in shown
    # the targets are part of the goal now: one question, one set of hints
    assert shown.count(msg("smart_title", "en")) == 1
    assert shown.count(" ".join(HINTS["measure"].en.split())) == 1
    assert shown.count(" ".join(HINTS["owner"].en.split())) == 1


def test_the_wizard_stays_quiet_about_a_smart_goal(tmp_path: Path, checklists: Checklists) -> None:
    project = Project(language="nl")
    good = "Tegen eind 2027 is 85 % van de starters na zes maanden nog bij ons; de HR-verantwoordelijke volgt op."

    def asker(q: Question, **_: Any) -> Any:
        return good if q.id in ("goal_statement", "scope_targets") else plan(q, "nl")[1]

    console = Console(record=True, width=200, file=open("/dev/null", "w"))  # noqa: SIM115
    Wizard(project, tmp_path / "p.yaml", checklists, console, asker=asker, confirmer=lambda *a, **k: False,
                    chooser=lambda *a, **k: "stop").run(2, chain=False)
    shown = " ".join(console.export_text().split())
    assert project.get("goal_statement") == good
    assert "Tip: maak het SMART" not in shown and "Nog niet meetbaar" not in shown

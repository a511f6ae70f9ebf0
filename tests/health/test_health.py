"""`mentor check`: the programme health rules, the standards' coverage, --strict, JSON and the estimate."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO

from bmw_mentor import cli
from bmw_mentor.errors import ExitCode
from bmw_mentor.framework.checklist import shipped
from bmw_mentor.health import rules as health
from bmw_mentor.messages import msg

RULES = health.load(shipped())
HEALTHY = yaml.safe_load((REPO / "tests" / "data" / "health-healthy.yaml").read_text(encoding="utf-8"))


def _init(folder: Path, answers: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> Path:
    source = folder / "answers.yaml"
    source.write_text(yaml.safe_dump({"language": "en", **answers}, allow_unicode=True), encoding="utf-8")
    project = folder / "mentor-project.yaml"
    assert cli.run(["init", "--force", "--answers", str(source), "--project", str(project)]) == 0
    capsys.readouterr()
    return project


def _check(project: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    code = cli.run(["check", "--project", str(project), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def _report(folder: Path, answers: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, _ = _check(_init(folder, answers, capsys), capsys, "--format", "json")
    assert code == 0
    return json.loads(out)


def _kinds(report: dict[str, Any]) -> dict[str, str]:
    return {f["rule"]: f["kind"] for f in report["findings"]}


# -- every rule, on its own examples -----------------------------------------------
@pytest.mark.parametrize("rule", RULES.rules, ids=[r.id for r in RULES.rules])
def test_rule_fires_on_its_example(rule: health.Rule, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = _kinds(_report(workdir, rule.examples.fires, capsys))
    assert found.get(rule.id) == rule.examples.fires_as


@pytest.mark.parametrize("rule", RULES.rules, ids=[r.id for r in RULES.rules])
def test_rule_stays_quiet_on_its_counter_example(
    rule: health.Rule, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert rule.id not in _kinds(_report(workdir, rule.examples.passes, capsys))


def test_every_checkpoint_of_both_standards_is_covered_by_a_rule() -> None:
    standards = {s.id: [c.id for c in s.checkpoints] for s in RULES.standards}
    assert [len(points) for points in standards.values()] == [6, 6]  # EMCC ISMCP and MENTOR EEP: six each
    cited = {cp for rule in RULES.rules for cp in rule.source.checkpoints}
    uncovered = [cp for points in standards.values() for cp in points if cp not in cited]
    assert uncovered == []


def test_the_issue_pitfalls_are_all_rules() -> None:
    ids = {r.id for r in RULES.rules}
    wanted = {
        "mentor_in_reporting_line", "no_time_for_mentors", "one_mentor_for_everyone", "nonselected_not_told",
        "no_confidentiality", "no_training_before_matching", "training_too_short", "no_way_to_end_a_match",
        "no_closing_session", "no_celebration", "no_followup_evaluation", "goal_not_measurable",
        "goal_without_date", "induction_without_period", "mentor_evaluates_mentee", "no_shared_aim", "no_channels",
    }
    assert wanted <= ids
    assert len(ids) >= 40


def test_rule_texts_are_written_in_both_languages() -> None:
    for rule in RULES.rules:
        for text in (rule.title, rule.risk):
            assert text.en.strip() != text.nl.strip(), rule.id


# -- a sound programme, and one with problems ------------------------------------
def test_a_sound_programme_has_no_findings_and_passes_strict(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _init(workdir, HEALTHY, capsys)
    code, out, err = _check(project, capsys, "--strict", "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["findings"] == [] and report["next"] == []
    assert [(s["short"], s["met"], s["total"]) for s in report["coverage"]] == [("EMCC ISMCP", 6, 6), ("MENTOR EEP", 6, 6)]


def test_strict_fails_while_a_high_risk_remains(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _init(workdir, {**HEALTHY, "no_reporting_line": False}, capsys)
    code, out, err = _check(project, capsys, "--strict")
    assert code == ExitCode.CHECK_FAILED == 1
    assert err == f"mentor: {msg('check_strict_failed', 'en', n=1)}\n"
    assert "A mentor may be the mentee's own boss" in out  # the report is still printed
    code, _, err = _check(project, capsys)
    assert (code, err) == (0, "")  # without --strict a risk is advice, not a failure


def test_strict_also_counts_an_undecided_high_severity_question(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = {k: v for k, v in HEALTHY.items() if k not in ("mentor_time_allowed", "mentor_hours_month")}
    project = _init(workdir, answers, capsys)
    code, out, _ = _check(project, capsys, "--strict", "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["summary"]["risks"] == 0
    assert [(q["id"], q["severity"]) for q in report["to_decide"]] == [("mentor_time_allowed", "high")]


def test_medium_and_low_risks_do_not_fail_strict(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _init(workdir, {**HEALTHY, "closing_session": False, "success_stories": False}, capsys)
    code, out, _ = _check(project, capsys, "--strict", "--format", "json")
    assert code == 0
    summary = json.loads(out)["summary"]
    assert summary.pop("open_questions") >= 0  # every open question, counted as `mentor export` counts them
    assert summary == {"high": 0, "medium": 1, "low": 1, "risks": 2, "to_decide": 0, "high_open": 0}


def test_findings_come_most_serious_first_and_next_three_are_distinct_fixes(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    risky = {**HEALTHY, "success_stories": False, "closing_session": False, "confidentiality": False,
             "evaluator": "both", "mentor_time_allowed": False}
    risky.pop("mentor_hours_month")
    report = _report(workdir, risky, capsys)
    severities = [f["severity"] for f in report["findings"]]
    assert severities == sorted(severities, key=health.SEVERITIES.index)
    assert [n["rule"] for n in report["next"]] == ["mentor_evaluates_mentee", "no_time_for_mentors", "no_confidentiality"]
    assert [n["fix"]["command"] for n in report["next"]] == ["mentor step 3", "mentor step 4", "mentor step 4"]
    emcc = {cp["id"]: cp["met"] for cp in report["coverage"][0]["checkpoints"]}
    assert emcc["emcc_ethics"] is False and emcc["emcc_measurement"] is True


def test_an_empty_project_gives_decisions_to_make_not_risks(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = _report(workdir, {}, capsys)
    assert report["summary"]["risks"] == 0
    assert report["summary"]["to_decide"] >= 20
    assert all(f["kind"] == "to_decide" and f["open_questions"] for f in report["findings"])
    assert all(s["met"] == 0 for s in report["coverage"])


def test_the_text_report_has_its_three_parts_and_the_estimate(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _init(workdir, {**HEALTHY, "evaluator": "mentor", "celebration": []}, capsys)
    code, out, _ = _check(project, capsys)
    assert code == 0
    text = " ".join(out.split())
    order = [msg(k, "en") for k in ("check_risks_heading", "check_coverage_heading", "check_next_heading", "check_estimate_heading")]
    assert [text.index(h) for h in order] == sorted(text.index(h) for h in order)
    assert "HIGH The mentor formally evaluates the mentee" in text
    assert "LOW Success is not celebrated" in text
    assert "EMCC ISMCP" in text and "5 of 6 checkpoints with no open risk linked to them" in text
    assert "1. mentor step 3 → Who formally evaluates the mentee?" in text


def test_a_dutch_project_gets_a_dutch_report_with_its_own_words(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = {**HEALTHY, "language": "nl", "no_reporting_line": False, "mentor": "peter", "mentors": "peters",
               "mentee": "starter", "mentees": "starters"}
    project = _init(workdir, answers, capsys)
    code, out, _ = _check(project, capsys)
    text = " ".join(out.split())
    assert code == 0
    assert "HOOG Een peter kan de eigen baas van de starter zijn" in text
    assert "Dekking van de internationale standaarden" in text
    for english in ("Risks", "Coverage", "Resource estimate", "checkpoints with no open risk", "HIGH", "Source:"):
        assert english not in text


# -- the resource estimate ---------------------------------------------------------
def test_the_estimate_follows_the_answers(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = {**HEALTHY, "meeting_frequency": "weekly", "meeting_minutes": 45, "relationship_months": 6,
               "mentees_per_mentor": 2, "training_hours": 4, "scope_pairs": 7, "mentor_pool": 3, "mentor_hours_month": 8}
    est = _report(workdir, answers, capsys)["estimate"]
    values = {item["id"]: item["value"] for item in est["items"]}
    per_month = 4 * 45 / 60 * 2
    assert values["mentor_hours_month"] == per_month == 6
    assert values["hours_per_mentor"] == per_month * 6 + 4 == 40
    assert values["mentors_needed"] == math.ceil(7 / 2) == 4
    assert values["pool_capacity"] == 3 * 2
    assert values["training_hours_total"] == 4 * 4 + 7 * 1  # mentors trained, plus an hour of briefing per mentee
    assert values["mentor_hours_total"] == 4 * 40
    assert values["coordinator_hours"] == 24 + 7 * 0.5 * 6 + 8
    notes = {item["id"]: item["note"] for item in est["items"]}
    assert notes["pool_capacity"] == msg("check_est_short", "en", n="1")
    assert notes["mentor_hours_month"] == msg("check_est_within", "en", n="8")
    assert "pool_too_small" in {f["rule"] for f in _report(workdir, answers, capsys)["findings"]}


def test_unanswered_inputs_are_shown_as_assumptions_with_the_value_used(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = {k: v for k, v in HEALTHY.items() if k not in ("relationship_months", "meeting_minutes")}
    est = _report(workdir, answers, capsys)["estimate"]
    assumed = {a["id"]: (a["value"], a["command"]) for a in est["assumptions"]}
    assert assumed["relationship_months"] == (6, "mentor step 4")
    assert assumed["meeting_minutes"] == (60, "mentor step 4")
    assert "scope_pairs" not in assumed and "training_hours" not in assumed  # answered
    hours = next(i for i in est["items"] if i["id"] == "hours_per_mentor")
    assert hours["value"] == 2 * 1 * 6 * 2 + 6
    assert hours["how"] == "2/month × 60 min × 6 months × 2 (mentees per mentor) + 6 h training"


def test_meetings_as_needed_fall_back_to_an_assumed_rhythm(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = _report(workdir, {**HEALTHY, "meeting_frequency": "as_needed"}, capsys)
    assumed = {a["id"]: a["value"] for a in report["estimate"]["assumptions"]}
    assert assumed["meetings_per_month"] == 1
    assert "meetings_only_when_needed" in _kinds(report)


# -- the plan's "Programme health" section gets the same data ----------------------
def test_report_gives_plain_data_with_the_check_date(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    from bmw_mentor.projectfile import project as project_file

    path = _init(workdir, {**HEALTHY, "confidentiality": False}, capsys)
    data = health.report(project_file.load(path), shipped(), today=dt.date(2027, 5, 4))
    assert data["checked"] == "2027-05-04"
    assert json.loads(json.dumps(data)) == data  # nothing but plain values
    assert data["findings"][0]["rule"] == "no_confidentiality"
    assert data["findings"][0]["sources"][0].startswith("Framework 4.2")


# -- a broken rules file ---------------------------------------------------------------
def _broken_copy(tmp_path: Path, change: Any) -> Path:
    data = tmp_path / "data"
    shutil.copytree(REPO / "checklists", data / "checklists")
    shutil.copytree(REPO / "templates", data / "templates")
    rules = data / "checklists" / "rules.yaml"
    if change is None:
        rules.unlink()
    else:
        rules.write_text(change(rules.read_text(encoding="utf-8")), encoding="utf-8")
    return data


BROKEN = {
    "yaml_syntax": (lambda t: t.replace("rules:\n", "rules: [\n", 1), "not valid YAML"),
    "bad_severity": (lambda t: t.replace("severity: high", "severity: urgent", 1), "severity"),
    "unknown_question": (lambda t: t.replace("answer: readiness_aim", "answer: readiness_aims", 1), "'readiness_aims' is not a question"),
    "unknown_choice": (lambda t: t.replace("any_of: [nothing_planned]", "any_of: [nothing_said]", 1), "has no choice nothing_said"),
    "two_tests": (lambda t: t.replace("equals: false}", "equals: false, is_set: true}", 1), "give exactly one of"),
    "uncovered_checkpoint": (
        lambda t: t.replace("[eep_screening, ", "[").replace("checkpoints: [eep_screening]}", "checkpoints: []}"),
        "checkpoint 'eep_screening' is not covered by any rule",
    ),
    "wrong_fix_step": (lambda t: t.replace("fix: {step: 3, question: evaluator}", "fix: {step: 2, question: evaluator}"), "asked in step 3"),
    "missing_estimate_figure": (lambda t: t.replace("- id: closing_hours", "- id: closing_hour"), "closing_hour"),
    "missing_file": (None, "rules are missing"),
}


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_a_broken_rules_file_gives_one_clear_line(case: str, tmp_path: Path, clean_env: dict[str, str]) -> None:
    change, expected = BROKEN[case]
    data = _broken_copy(tmp_path, change)
    project = tmp_path / "p.yaml"
    project.write_text("language: en\nanswers: {}\n", encoding="utf-8")
    env = {**clean_env, "MENTOR_DATA_DIR": str(data)}
    done = subprocess.run(
        [sys.executable, "-m", "bmw_mentor", "check", "--project", str(project)],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert done.returncode == ExitCode.CHECKLIST_INVALID
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("mentor: ") and "rules.yaml" in lines[0] and expected in lines[0]
    assert done.stdout == ""


def test_the_shipped_data_passes_through_the_same_loader(tmp_path: Path, clean_env: dict[str, str]) -> None:
    # the copy mechanism itself works: an unchanged copy checks fine
    data = _broken_copy(tmp_path, lambda t: t)
    project = tmp_path / "p.yaml"
    project.write_text("language: en\nanswers: {}\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bmw_mentor", "check", "--format", "json", "--project", str(project)],
        capture_output=True, text=True, env={**clean_env, "MENTOR_DATA_DIR": str(data)}, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["summary"]["risks"] == 0


def test_check_help_does_not_load_the_engine(clean_env: dict[str, str]) -> None:
    # Typer itself needs pydantic for option values; the check engine and the wizard's libraries stay out
    engine = ("bmw_mentor.health", "questionary", "jinja2")
    code = (
        "import sys, json\nfrom bmw_mentor.cli import run\nrun(['check', '--help'])\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.startswith({engine!r}))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=clean_env, timeout=60)
    assert "--strict" in done.stdout and "--format" in done.stdout
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


# -- the shipped examples ------------------------------------------------------------
# What an experienced coordinator would say about each example; a new example needs its line here.
EXAMPLES = {
    "family-business-succession-en": {
        # the founder mentors his own successors, without training first, and line managers are not briefed
        "mentor_in_reporting_line": "risk",
        "no_training_before_matching": "risk",
        "no_manager_briefing": "risk",
        "mentees_not_chosen_on_motivation": "risk",
        "no_success_stories": "risk",
    },
    "logistics-onboarding-nl": {},
    "manufacturing-knowledge-transfer-en": {},
}
EXAMPLE_DIRS = sorted(p.parent.name for p in (REPO / "examples").glob("*/mentor-project.yaml"))


def test_every_example_has_its_expected_findings_listed() -> None:
    assert EXAMPLE_DIRS == sorted(EXAMPLES)


@pytest.mark.parametrize("name", EXAMPLE_DIRS)
def test_examples_get_the_expected_advice(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    project = REPO / "examples" / name / "mentor-project.yaml"
    code, out, _ = _check(project, capsys, "--strict", "--format", "json")
    report = json.loads(out)
    assert _kinds(report) == EXAMPLES[name]
    has_high = any(f["severity"] == "high" for f in report["findings"])
    assert code == (1 if has_high else 0)


def test_a_broken_smart_file_is_named_in_the_error(tmp_path: Path, clean_env: dict[str, str]) -> None:
    data = _broken_copy(tmp_path, lambda t: t)
    smart_file = data / "checklists" / "smart.yaml"
    smart_file.write_text(smart_file.read_text(encoding="utf-8").replace("scope_targets:", "scope_target:"), encoding="utf-8")
    project = tmp_path / "p.yaml"
    project.write_text("language: en\nanswers: {}\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bmw_mentor", "check", "--project", str(project)],
        capture_output=True, text=True, env={**clean_env, "MENTOR_DATA_DIR": str(data)}, timeout=60,
    )
    assert done.returncode == ExitCode.CHECKLIST_INVALID
    assert done.stderr.splitlines() == [f"mentor: {smart_file}: 'scope_target' is not a question"]


ODD_VALUES = [float("inf"), float("nan"), -5, 0, 10**30, 1e300, "", "ten", ["x", "y"], [], True, False, "2027-01-01"]


@pytest.mark.parametrize("value", ODD_VALUES, ids=[repr(v) for v in ODD_VALUES])
def test_hand_edited_answers_of_any_kind_never_break_the_check(
    value: Any, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a project file edited by hand: every question gets the same odd value, unchecked by the wizard
    from bmw_mentor.projectfile import project as project_file
    from bmw_mentor.projectfile.project import Project

    questions = shipped().questions
    project = Project(language="en", answers={"setup": {qid: value for qid in questions}})
    path = workdir / "mentor-project.yaml"
    project_file.save(project, path)
    code, out, err = _check(path, capsys, "--format", "json")
    assert (code, err) == (0, "")

    def strict_constant(name: str) -> None:
        raise AssertionError(f"not valid JSON: {name}")

    report = json.loads(out, parse_constant=strict_constant)
    assert {f["rule"] for f in report["findings"]} <= {r.id for r in RULES.rules}
    code, out, err = _check(path, capsys)
    assert (code, err) == (0, "") and "Resource estimate" in out

"""The programme plan's "Programme health" and "Resource estimate" sections, and the pairs from `mentor match` in the plans."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from exportkit import (
    EXAMPLES,
    REPO,
    export,
    load_yaml,
    parse_html,
    text_of,
    write_project,
)
from markdown_it import MarkdownIt

from bmw_mentor import cli
from bmw_mentor.errors import ExitCode
from bmw_mentor.framework.schema import Checklists
from bmw_mentor.framework.text import texts_in
from bmw_mentor.health import rules as health

LOGISTICS = next(p for p in EXAMPLES if p.name.startswith("logistics"))
FAMILY = next(p for p in EXAMPLES if p.name.startswith("family"))
HEALTH_TITLE = {"en": "Programme health", "nl": "Gezondheid van het programma"}
ESTIMATE_TITLE = {"en": "Resource estimate", "nl": "Inschatting van tijd en middelen"}


def check_json(project: Path) -> dict[str, Any]:
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.run(["check", "--format", "json", "--project", str(project)]) == 0
    return json.loads(out.getvalue())


def exported(project: Path, folder: Path, ext: str) -> str:
    target = folder / f"plan-{project.parent.name}.{ext}"
    assert export(project, target) == 0
    return target.read_text(encoding="utf-8")


def md_root(md: str) -> Any:
    return parse_html("<body>" + MarkdownIt("commonmark", {"html": True}).enable("table").render(md) + "</body>")


def md_part(md: str, title: str) -> str:
    """The Markdown from the "### title" heading up to the next heading of level 2 or 3."""
    start = md.index(f"\n### {title}\n")
    end = re.search(r"\n#{2,3} ", md[start + 5 :])
    return md[start : start + 5 + end.start()] if end else md[start:]


def section(root: Any, anchor: str) -> Any:
    found = root.find(f".//section[@id='{anchor}']")
    assert found is not None, anchor
    return found


@pytest.mark.parametrize("example", [FAMILY, LOGISTICS], ids=lambda p: p.name)
def test_the_plan_shows_the_same_findings_as_mentor_check(example: Path, tmp_path: Path) -> None:
    project = example / "mentor-project.yaml"
    lang = load_yaml(project)["language"]
    report = check_json(project)
    root = parse_html(exported(project, tmp_path, "html"))
    programme = section(root, "programme")
    part = section(programme, "programme-health")
    assert text_of(part.find("div/h3")) == HEALTH_TITLE[lang]

    # the risks, most serious first, each with its fix and its sources
    cards = [c for c in part.iter("div") if "risk" in (c.get("class") or "").split()]
    risks = [f for f in report["findings"] if f["kind"] == "risk"]
    assert [text_of(c.find("p[@class='risk-title']")) for c in cards] == [
        f"{text_of(c.find('.//span'))} {f['title']}" for c, f in zip(cards, risks)
    ]
    assert [c.get("class") for c in cards] == [f"risk sev-{f['severity']}" for f in risks]
    for card, finding in zip(cards, risks):
        # what to look at again, in words; the command and the sources are in the appendix for the coordinator
        assert finding["fix"]["text"] in text_of(card) and "mentor step" not in text_of(card)
        assert not any(src in text_of(card) for src in finding["sources"])
    # the scorecard repeats the summary
    scores = {s.get("class"): text_of(s.find("span[@class='n']")) for s in part.iter("div") if "score" in (s.get("class") or "").split()}
    for sev in ("high", "medium", "low"):
        assert any(k.startswith(f"score sev-{sev}") and v == str(report["summary"][sev]) for k, v in scores.items())
    # coverage per standard: "met of total", and a mark per checkpoint
    for standard, block in zip(report["coverage"], [b for b in part.iter("div") if b.get("class") == "standard"]):
        assert f"{standard['met']} " in text_of(block.find(".//p[@class='std-score']"))
        marks = [text_of(li.find("span[@class='mark']")) for li in block.iter("li")]
        assert marks == ["✓" if cp["met"] else "✗" for cp in standard["checkpoints"]]
    # the next three fixes name what to look at again
    steps = [text_of(li) for li in part.find(".//ol[@class='next']") or []]
    assert [n["fix"]["text"] in t for n, t in zip(report["next"], steps)] == [True] * len(steps)
    assert len(steps) == min(3, len(report["findings"]))
    # the appendix lists every finding with its sources and the step that revisits it
    rows = [[text_of(c) for c in tr] for tr in section(root, "coordinator").find(".//table[@class='sources']/tbody") or []]
    assert len(rows) == len(report["findings"])
    for row, finding in zip(rows, report["findings"]):
        assert row[0].startswith(finding["title"]) and all(src in row[1] for src in finding["sources"])
        assert row[2] == finding["fix"]["command"]

    # the resource estimate: every figure of `mentor check`, with its unit and how it is computed
    est = section(programme, "programme-estimate")
    assert text_of(est.find("div/h3")) == ESTIMATE_TITLE[lang]
    rows = [[text_of(c) for c in tr] for tr in est.find(".//table[@class='estimate']/tbody")]
    assert [(r[0], r[1]) for r in rows] == [(i["label"], f"{i['display']} {i['unit']}".strip()) for i in report["estimate"]["items"]]
    assert all(i["how"] in r[2] for i, r in zip(report["estimate"]["items"], rows))


def test_the_health_sections_are_in_the_contents_in_html_and_markdown(tmp_path: Path) -> None:
    project = LOGISTICS / "mentor-project.yaml"
    root = parse_html(exported(project, tmp_path, "html"))
    toc = [(a.get("href"), text_of(a)) for a in root.find(".//nav[@class='toc']").iter("a")]
    assert ("#programme-health", HEALTH_TITLE["nl"]) in toc and ("#programme-estimate", ESTIMATE_TITLE["nl"]) in toc
    # after the programme plan's own parts, before the next document
    hrefs = [h for h, _ in toc]
    assert hrefs.index("#programme-action-plan") < hrefs.index("#programme-health") < hrefs.index("#programme-estimate") < hrefs.index("#communication")
    md = exported(project, tmp_path, "md")
    assert "  - [Gezondheid van het programma](#gezondheid-van-het-programma)" in md
    assert "  - [Inschatting van tijd en middelen](#inschatting-van-tijd-en-middelen)" in md
    headings = [text_of(h) for h in md_root(md).iter("h3")]
    assert HEALTH_TITLE["nl"] in headings and ESTIMATE_TITLE["nl"] in headings


def test_the_markdown_has_the_same_findings(tmp_path: Path) -> None:
    project = FAMILY / "mentor-project.yaml"
    report = check_json(project)
    md = exported(project, tmp_path, "md")
    part = md_part(md, "Programme health")
    assert "| Checked on | High risks | Medium risks | Low risks | Open questions |" in part
    s = report["summary"]
    assert f"| {s['high']} | {s['medium']} | {s['low']} | {s['to_decide']} |" in part
    titles = re.findall(r"^\*\*(High|Medium|Low) · (.+)\*\*$", part, re.MULTILINE)
    assert [(sev.lower(), t) for sev, t in titles] == [
        (f["severity"], f["title"]) for f in report["findings"] if f["kind"] == "risk"
    ]
    for standard in report["coverage"]:
        assert f"**{standard['name']}** — {standard['met']} of {standard['total']} checkpoints with no open risk linked to them" in part
    from bmw_mentor.documents.render import md_line

    fixes = re.findall(r"^\d\\\. (.+)<br>$", part, re.MULTILINE)
    assert [f.startswith(md_line(n["fix"]["text"])) for f, n in zip(fixes, report["next"])] == [True] * len(report["next"])
    assert "mentor step" not in part
    appendix = md[md.index("\n## For the coordinator\n") :]
    for finding in report["findings"]:
        assert f"`{finding['fix']['command']}`" in appendix
    estimate = md_part(md, "Resource estimate")
    for item in report["estimate"]["items"]:
        assert f"**{item['display']} {item['unit']}".rstrip() in estimate


def test_the_check_date_is_the_project_date_and_the_export_stays_reproducible(tmp_path: Path) -> None:
    data = load_yaml(FAMILY / "mentor-project.yaml")
    data["updated"] = dt.datetime(2025, 3, 4, 9, 30)
    project = write_project(tmp_path / "p.yaml", data)
    first = exported(project, tmp_path, "html")
    part = section(parse_html(first), "programme-health")
    assert "Checked on 4 March 2025" in text_of(part)
    assert "as of 4 March 2025" in text_of(section(parse_html(first), "programme-estimate"))
    assert exported(project, tmp_path, "html") == first
    data["language"] = "nl"
    project = write_project(tmp_path / "p.yaml", data)
    assert "Getoetst op 4 maart 2025" in text_of(section(parse_html(exported(project, tmp_path, "html")), "programme-health"))


def _english_only(en: str, nl: str, out: set[str]) -> None:
    if en == nl:
        return
    for part in re.split(r"\{\w+\}", en):
        part = part.strip(" .,:;()·")
        if len(part) >= 14 and part not in nl:
            out.add(part)


def english_health_phrases(checklists: Checklists) -> set[str]:
    """English-only wording of the health check: the rules file, the estimate and the check's own messages."""
    from bmw_mentor.messages import _catalogue

    phrases: set[str] = set()

    for text in texts_in(health.load(checklists)):
        _english_only(text.en, text.nl, phrases)
    for key, entry in _catalogue().items():
        if key.startswith("check_"):
            en, nl = entry["en"], entry["nl"]
            if isinstance(en, dict):  # a text per plural form
                for form in en:
                    _english_only(en[form], nl.get(form, nl["other"]), phrases)
            else:
                _english_only(en, nl, phrases)
    return phrases


def test_a_dutch_plan_with_findings_has_no_english(tmp_path: Path, checklists: Checklists) -> None:
    # the Dutch example is sound; the family business's answers in Dutch give risks, open checkpoints and assumptions
    data = load_yaml(FAMILY / "mentor-project.yaml")
    data["language"] = "nl"
    for step in data["answers"].values():
        step.pop("meeting_minutes", None)
    project = write_project(tmp_path / "nl.yaml", data)
    report = check_json(project)
    assert report["summary"]["risks"] >= 3 and report["estimate"]["assumptions"]
    phrases = english_health_phrases(checklists)
    assert len(phrases) > 50
    for ext in ("html", "md"):
        text = exported(project, tmp_path, ext)
        found = sorted(p for p in phrases if p in text)
        assert not found, found[:10]
    md = exported(project, tmp_path, "md")
    assert "### Gezondheid van het programma" in md and "#### Risico's, de ernstigste eerst" in md


def test_unanswered_figures_are_shown_as_assumptions_with_the_value_used(tmp_path: Path) -> None:
    data = load_yaml(FAMILY / "mentor-project.yaml")
    for step in data["answers"].values():
        step.pop("meeting_minutes", None)
    project = write_project(tmp_path / "p.yaml", data)
    report = check_json(project)
    assumed = {a["id"]: a for a in report["estimate"]["assumptions"]}
    minutes = assumed["meeting_minutes"]
    root = parse_html(exported(project, tmp_path, "html"))
    table = section(root, "programme-estimate").find(".//table[@class='estimate assumptions']")
    rows = {text_of(tr[0]): [text_of(c) for c in tr] for tr in table.find("tbody")}
    assert rows[minutes["label"]][1] == f"{minutes['display']} {minutes['unit']}" == "60 min"
    assert rows[minutes["label"]][2] == "Not answered yet: still to decide"
    assert set(rows) == {a["label"] for a in report["estimate"]["assumptions"]}
    assert "Planning figure" in rows[assumed["coordinator_setup_hours"]["label"]][2]
    md = md_part(exported(project, tmp_path, "md"), "Resource estimate")
    assert f"| {minutes['label']} | 60 min | Not answered yet: still to decide |" in md
    assert f"- {minutes['label']} `{minutes['command']}`" in exported(project, tmp_path, "md").split("\n## For the coordinator\n")[1]


def test_a_project_without_findings_says_so(tmp_path: Path) -> None:
    root = parse_html(exported(LOGISTICS / "mentor-project.yaml", tmp_path, "html"))
    part = section(root, "programme-health")
    clear = [text_of(p) for p in part.iter("p") if p.get("class") == "all-clear"]
    assert clear == ["In de antwoorden tot nu toe zijn geen risico's gevonden.", "Niets aan te pakken: de antwoorden doorstaan elke toets."]


def test_the_calendar_and_other_documents_do_without_the_health_check(tmp_path: Path) -> None:
    project = FAMILY / "mentor-project.yaml"
    assert export(project, tmp_path / "c.html", "--doc", "communication") == 0
    assert "programme-health" not in (tmp_path / "c.html").read_text(encoding="utf-8")
    assert export(project, tmp_path / "p.html", "--doc", "programme") == 0
    assert section(parse_html((tmp_path / "p.html").read_text(encoding="utf-8")), "programme-health") is not None


# -- a broken rules file -------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["plan.html", "plan.md", "out/"])
def test_a_broken_rules_file_stops_the_export_with_one_line(target: str, tmp_path: Path, clean_env: dict[str, str]) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO / "checklists", data / "checklists")
    shutil.copytree(REPO / "templates", data / "templates")
    rules = data / "checklists" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("severity: high", "severity: urgent", 1), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "bmw_mentor", "export", str(tmp_path / target), "--project", str(FAMILY / "mentor-project.yaml")],
        capture_output=True, text=True, env={**clean_env, "MENTOR_DATA_DIR": str(data)}, timeout=60, check=False,
    )
    assert done.returncode == ExitCode.CHECKLIST_INVALID
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "rules.yaml" in lines[0] and "severity" in lines[0] and "Traceback" not in done.stderr
    assert done.stdout == ""
    assert not (tmp_path / "plan.html").exists() and not (tmp_path / "plan.md").exists() and not list(out.iterdir())


# -- pairs from `mentor match` ---------------------------------------------------------------------
PAIRS = [("Luc Van Acker", "Yusuf Demir"), ("Nathalie Wuyts", "Emma Janssens"), ("Luc Van Acker", "Tom Peeters")]


def unpaired(tmp_path: Path, example: Path = LOGISTICS) -> Path:
    """The example as planned, before `mentor match --save` (the Dutch example has saved its pairs)."""
    data = load_yaml(example / "mentor-project.yaml")
    data.pop("pairs", None)
    return write_project(tmp_path / "planned-only.yaml", data)


def with_pairs(tmp_path: Path, example: Path = LOGISTICS, pairs: list[tuple[str, str]] = PAIRS) -> Path:
    data = load_yaml(example / "mentor-project.yaml")
    data["pairs"] = [{"mentor": m, "mentee": e, "score": 70.0, "reasons": ["same department"]} for m, e in pairs]
    return write_project(tmp_path / "paired.yaml", data)


def test_accepted_pairs_replace_the_planned_number_in_the_estimate(tmp_path: Path) -> None:
    before = check_json(unpaired(tmp_path))["estimate"]
    project = with_pairs(tmp_path)
    after = check_json(project)["estimate"]
    assert before["values"]["scope_pairs"] == 14 and before["pairs"]["source"] == "answer"
    assert after["values"]["scope_pairs"] == 3 and after["pairs"] == {
        "value": 3,
        "source": "matched",
        "planned": 14,
        "text": "Aantal koppels: 3, de koppels die met mentor match aanvaard zijn (in plaats van de 14 uit stap 2)",
    }
    # 2 mentees per mentor: 2 mentors for 3 pairs; the coordinator's follow-up counts 3 pairs
    assert after["values"]["mentors_needed"] == 2 and before["values"]["mentors_needed"] == 7
    coordinator = {i["id"]: i for i in after["items"]}["coordinator_hours"]
    assert coordinator["how"].startswith("24 u opzet + 3 koppels")
    # and `mentor check` says where the number comes from
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.run(["check", "--project", str(project)]) == 0
    assert "de koppels die met mentor match aanvaard zijn" in " ".join(out.getvalue().split())


def test_accepted_pairs_count_even_when_the_number_was_never_planned(tmp_path: Path) -> None:
    data = load_yaml(with_pairs(tmp_path))
    for step in data["answers"].values():
        step.pop("scope_pairs", None)
    project = write_project(tmp_path / "unplanned.yaml", data)
    est = check_json(project)["estimate"]
    assert est["values"]["scope_pairs"] == 3 and est["pairs"]["planned"] is None
    assert "scope_pairs" not in {a["id"] for a in est["assumptions"]}
    assert est["pairs"]["text"].endswith("mentor match aanvaard zijn")
    root = parse_html(exported(project, tmp_path, "html"))
    facts = {text_of(f.find("dt")): text_of(f.find("dd")) for f in section(root, "programme-goal").iter("div") if f.get("class") == "fact"}
    assert facts["Aantal koppels"] == "3 koppels, gevormd en aanvaard"


def test_the_plan_lists_the_accepted_pairs_in_the_matching_section(tmp_path: Path) -> None:
    project = with_pairs(tmp_path)
    root = parse_html(exported(project, tmp_path, "html"))
    summary = {text_of(d.find("dt")): text_of(d.find("dd")) for d in root.find(".//dl[@class='sum-facts']")}
    assert summary["Aantal koppels"] == "3"
    facts = {text_of(f.find("dt")): text_of(f.find("dd")) for f in section(root, "programme-goal").iter("div") if f.get("class") == "fact"}
    assert facts["Aantal koppels"] == "3 koppels, gevormd en aanvaard (14 gepland)"
    selection = section(root, "programme-selection")
    table = selection.find(".//table[@class='pairs']")
    assert table is not None and section(root, "programme-goal").find(".//table[@class='pairs']") is None
    assert [text_of(th) for th in table.find("thead/tr")] == ["#", "Peter", "Starter"]  # the organisation's own words
    rows = [tuple(text_of(td) for td in tr)[1:] for tr in table.find("tbody")]
    assert rows == sorted(PAIRS)
    assert "Aanvaarde koppels" in text_of(selection) and "mentor match" not in text_of(selection)
    assert "de koppels die de coördinator aanvaard heeft (in plaats van de 14 geplande)" in text_of(section(root, "programme-estimate"))
    assert "mentor match" in text_of(section(root, "coordinator"))

    md = exported(project, tmp_path, "md")
    assert "- **Aantal koppels:** 3" in md
    assert "| **Aantal koppels** | 3 koppels, gevormd en aanvaard (14 gepland) |" in md
    matching = md_part(md, "Profielen, selectie en koppeling")
    assert "| # | Peter | Starter |" in matching
    assert [tuple(r) for r in re.findall(r"^\| \d \| (.+?) \| (.+?) \|$", matching, re.MULTILINE)] == sorted(PAIRS)


def test_one_pair_reads_as_one_pair(tmp_path: Path) -> None:
    project = with_pairs(tmp_path, FAMILY, [("Declan Brennan", "Aoife Brennan")])
    html = exported(project, tmp_path, "html")
    assert "1 pair, formed and accepted (3 planned)" in text_of(parse_html(html))


def test_the_health_check_judges_the_accepted_pairs_rather_than_the_plan(tmp_path: Path) -> None:
    def rules(project: Path) -> set[str]:
        return {f["rule"] for f in check_json(project)["findings"]}

    # 4 peters for 14 planned pairs at 2 each is too few; for the 3 pairs actually formed it is enough
    data = load_yaml(unpaired(tmp_path))
    data["answers"]["step3"]["mentor_pool"] = 4
    assert "pool_too_small" in rules(write_project(tmp_path / "planned.yaml", data))
    data["pairs"] = [{"mentor": m, "mentee": e} for m, e in PAIRS]
    assert "pool_too_small" not in rules(write_project(tmp_path / "matched.yaml", data))
    # 9 peters are available, but every pair went to the same one
    one = with_pairs(tmp_path, pairs=[("Luc Van Acker", e) for _, e in PAIRS])
    assert "one_mentor_for_everyone" in rules(one) and not rules(with_pairs(tmp_path))

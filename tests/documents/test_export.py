"""`mentor export`: the plans as HTML and Markdown, checked by parsing what was written."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import html5lib
import pytest
from exportkit import (
    EXAMPLES,
    export,
    headings,
    ids,
    load_yaml,
    parse_html,
    text_of,
    write_project,
)
from markdown_it import MarkdownIt

from bmw_mentor.documents import spec as plan_spec
from bmw_mentor.documents.dates import add_months, working_day
from bmw_mentor.errors import ExitCode
from bmw_mentor.framework.schema import Checklists
from bmw_mentor.framework.text import texts_in

LOGISTICS = next(p for p in EXAMPLES if p.name.startswith("logistics"))
MANUFACTURING = next(p for p in EXAMPLES if p.name.startswith("manufacturing"))
FAMILY = next(p for p in EXAMPLES if p.name.startswith("family"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """Every example exported once as HTML and as Markdown."""
    out: dict[str, dict[str, str]] = {}
    folder = tmp_path_factory.mktemp("exports")
    for example in EXAMPLES:
        out[example.name] = {}
        for ext in ("html", "md"):
            target = folder / f"{example.name}.{ext}"
            assert export(example / "mentor-project.yaml", target) == 0
            out[example.name][ext] = target.read_text(encoding="utf-8")
    return out


def answers_of(example: Path) -> dict[str, Any]:
    data = load_yaml(example / "mentor-project.yaml")
    flat: dict[str, Any] = {}
    for step in data["answers"].values():
        flat.update(step)
    return flat


def test_there_are_at_least_three_examples_and_one_is_dutch() -> None:
    assert len(EXAMPLES) >= 3
    languages = {load_yaml(e / "mentor-project.yaml")["language"] for e in EXAMPLES}
    assert languages == {"en", "nl"}


# --- HTML structure -----------------------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_html_structure(example: Path, rendered: dict[str, dict[str, str]]) -> None:
    html = rendered[example.name]["html"]
    root = parse_html(html)
    assert html.startswith("<!DOCTYPE html>")
    html5lib.HTMLParser(strict=True).parse(html)  # raises on any HTML5 parse error
    assert root.get("lang") == load_yaml(example / "mentor-project.yaml")["language"]
    levels = [level for level, _, _ in headings(root)]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"
    titles = [t for _, t, _ in headings(root)]
    for doc in ("programme", "communication", "training", "forms"):
        assert root.find(f".//section[@id='{doc}']") is not None
    # the table of contents links to every document and every one of its parts, and every link resolves
    all_ids = ids(root)
    assert len(all_ids) == len(set(all_ids)), "duplicate ids"
    toc = root.find(".//nav[@class='toc']")
    assert toc is not None
    links = [a.get("href", "") for a in toc.iter("a")]
    assert len(links) >= 20
    for href in (a.get("href", "") for a in root.iter("a")):
        assert href.startswith("#") and href[1:] in all_ids, f"broken link {href}"
    assert all(text_of(a) in titles for a in toc.iter("a"))
    # accessible tables: every header cell says what it heads
    for th in root.iter("th"):
        assert th.get("scope") in ("col", "row", "rowgroup"), text_of(th)
    # self-contained: no scripts, no external resources
    assert not list(root.iter("script")) and not list(root.iter("link")) and not list(root.iter("img"))
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "@import" not in html and "url(" not in html
    # no heading stands alone: something follows it inside its section
    for section in root.iter("section"):
        children = [c for c in section if c.tag not in ("header",)]
        content = [c for c in children if c.tag not in ("h2", "h3", "h4", "h5")]
        header = section.find("header")
        assert content or (header is not None and len(header) > 1), f"empty section {section.get('id')}"


def comm_rows(root: Any) -> dict[str, list[str]]:
    table = root.find(".//section[@id='communication-messages']//table")
    assert table is not None
    rows = {}
    for tr in table.find("tbody"):
        cells = [text_of(c) for c in tr]
        assert len(cells) == 6
        rows[tr.get("id", "")] = cells
    return rows


def test_communication_rows_follow_the_answers(rendered: dict[str, dict[str, str]]) -> None:
    logistics = comm_rows(parse_html(rendered[LOGISTICS.name]["html"]))
    family = comm_rows(parse_html(rendered[FAMILY.name]["html"]))
    for rows in (logistics, family):
        assert {"comm-management", "comm-line-managers", "comm-candidate-mentors", "comm-target-group", "comm-all-staff-launch"} <= set(rows)
        assert len(rows) >= 10
    # volunteers were asked for, so candidates who are not chosen hear from us; the family business has none
    assert "comm-nonselected" in logistics and "comm-nonselected" not in family
    # new hires get their own message in an induction programme only
    assert "comm-new-hires" in logistics and "comm-new-hires" not in family
    # success stories: the half-way message to all staff depends on them
    assert "comm-all-staff-midway-stories" in logistics and "comm-all-staff-midway" not in logistics
    assert "comm-all-staff-midway" in family and "comm-all-staff-midway-stories" not in family
    # columns: moment, audience, objective, message, channel, owner — from the answers
    moment, audience, _, message, channel, owner = logistics["comm-management"]
    launch = load_yaml(LOGISTICS / "mentor-project.yaml")["answers"]["setup"]["start_date"]
    twelve_weeks_before = written(launch - dt.timedelta(weeks=12), "nl")
    assert audience == "Directie" and "12 weken voor de start" in moment and twelve_weeks_before in moment
    assert "Transport Claeys nv" in message
    assert "Contactmomenten met leidinggevenden" in channel and owner == "Sofie Claeys"
    assert logistics["comm-nonselected"][5] == "Kris De Smet"
    # a channel the organisation did not choose is never proposed
    chosen_labels = {"Personeels- of teamvergaderingen", "Berichtenapp of WhatsApp-groep", "Prikbord", "Persoonlijke gesprekken", "Brochure over het wat, waarom en hoe", "Contactmomenten met leidinggevenden"}
    for cells in logistics.values():
        assert "E-mail" not in cells[4] and "Intranet" not in cells[4]
        assert any(label in cells[4] for label in chosen_labels)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_answers_appear(example: Path, rendered: dict[str, dict[str, str]], checklists: Checklists) -> None:
    answers = answers_of(example)
    lang = load_yaml(example / "mentor-project.yaml")["language"]
    page = text_of(parse_html(rendered[example.name]["html"]))
    for qid in ("org_name", "coordinator_name", "team_management", "scope_departments", "line_manager_role"):
        assert str(answers[qid]).strip() in page, qid
    for qid in ("goal_statement", "vision_achieve", "vision_today"):
        first_line = str(answers[qid]).strip().splitlines()[0]
        assert re.sub(r"\s+", " ", first_line) in page, qid
    # choices show as labels in the project's language, "other" entries as typed
    for qid in ("goals", "training_format", "celebration", "selection_mentors"):
        q = checklists.questions[qid]
        for value in answers[qid]:
            choice = q.choice(value)
            shown = choice.label.get(lang) if choice else value
            shown = re.sub(r"\{(\w+)\}", lambda m: str(answers.get(m.group(1).lower(), m.group(0))), shown)
            if shown[:1].islower() and choice and "{" in choice.label.get(lang)[:1]:
                shown = shown[:1].upper() + shown[1:]
            assert shown in page, (qid, value)
    # the organisation's own words for mentor and mentee
    assert answers["mentees"] in page


def test_own_word_replaces_mentor(rendered: dict[str, dict[str, str]]) -> None:
    page = text_of(parse_html(rendered[LOGISTICS.name]["html"]))
    assert "peters" in page and "starter" in page
    assert "Opleiding van de peters" in page
    assert "Overeenkomst tussen peter en starter" in page


def milestone_rows(root: Any) -> list[tuple[str, str, str]]:
    table = root.find(".//section[@id='programme-action-plan']//table")
    assert table is not None
    out = []
    for tbody in table.findall("tbody"):
        for tr in tbody:
            if tr.get("class", "").startswith("ms-"):
                cells = list(tr)
                out.append((text_of(cells[0]), text_of(cells[1]), text_of(cells[2])))
    return out


MONTHS_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def written(day: dt.date, lang: str) -> str:
    return f"{day.day} {(MONTHS_NL if lang == 'nl' else MONTHS_EN)[day.month - 1]} {day.year}"


@pytest.mark.parametrize("start", ["2026-09-07", "2027-01-31", "2028-02-29", "2027-05-15"])
def test_dates_follow_from_the_start_date(start: str, tmp_path: Path) -> None:
    data = load_yaml(MANUFACTURING / "mentor-project.yaml")
    data["answers"]["setup"]["start_date"] = dt.date.fromisoformat(start)
    project = write_project(tmp_path / "p.yaml", data)
    assert export(project, tmp_path / "plan.html") == 0
    rows = milestone_rows(parse_html((tmp_path / "plan.html").read_text(encoding="utf-8")))
    launch = dt.date.fromisoformat(start)
    end = add_months(launch, 18)

    def row(title_part: str) -> list[tuple[str, str, str]]:
        return [r for r in rows if title_part in r[1]]

    assert row("Launch")[0][0].startswith(written(launch, "en"))
    assert row("Project team starts")[0][0].startswith(written(working_day(launch - dt.timedelta(weeks=12)), "en"))
    assert row("Training of the mentors")[0][0].startswith(written(working_day(launch - dt.timedelta(weeks=4)), "en"))
    # reviews every 4 months until the end of an 18-month programme: months 4, 8, 12 and 16
    reviews = row("Periodic review of the pairs")
    assert [r[0].split(" ", 3)[:3] for r in reviews] == [written(working_day(add_months(launch, m)), "en").split(" ") for m in (4, 8, 12, 16)]
    assert row("Closing session")[0][0].startswith(written(working_day(end), "en"))
    assert row("Follow-up evaluation")[0][0].startswith(written(working_day(add_months(end, 12)), "en"))
    dates = [plan_date(r[0]) for r in rows]
    assert dates == sorted(dates)
    for date in dates[1:]:
        assert date.weekday() < 5 or date == launch


def plan_date(cell: str) -> dt.date:
    day, month, year = cell.split(" ")[:3]
    return dt.date(int(year), MONTHS_EN.index(month) + 1, int(day))


def test_induction_reviews_are_dated_from_the_chosen_months(rendered: dict[str, dict[str, str]]) -> None:
    rows = milestone_rows(parse_html(rendered[LOGISTICS.name]["html"]))
    launch = load_yaml(LOGISTICS / "mentor-project.yaml")["answers"]["setup"]["start_date"]
    reviews = [r for r in rows if r[1].startswith("Opvolgmoment nieuwe medewerkers")]
    expected = [working_day(add_months(launch, 1)), working_day(add_months(launch, 3)), working_day(add_months(launch, 6))]
    assert [r[0][: len(written(d, "nl"))] for r, d in zip(reviews, expected)] == [written(d, "nl") for d in expected]


def test_month_arithmetic() -> None:
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)
    assert add_months(dt.date(2026, 9, 7), -2) == dt.date(2026, 7, 7)
    assert working_day(dt.date(2027, 3, 6)) == dt.date(2027, 3, 8)  # Saturday
    assert working_day(dt.date(2027, 3, 7)) == dt.date(2027, 3, 8)  # Sunday
    assert working_day(dt.date(2027, 3, 9)) == dt.date(2027, 3, 9)


# --- safety: answers are text, never markup --------------------------------------------------

PAYLOADS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "</style><script>alert(2)</script>",
    "<svg onload=alert(3)>",
    "[click](javascript:alert(4))",
    "# Not a heading | not | a cell",
    "{{ 7 * 7 }} {% if true %}x{% endif %} {coordinator_name}",
    "line one\n\n- not a list item? yes it is\n<b>bold</b>",
]


def poisoned(tmp_path: Path) -> Path:
    data = load_yaml(MANUFACTURING / "mentor-project.yaml")
    answers = data["answers"]
    for i, (step, qid) in enumerate(
        [("setup", "org_name"), ("setup", "coordinator_name"), ("step2", "goal_statement"), ("step1", "vision_achieve"),
         ("setup", "team_departments"), ("step1", "mentees"), ("setup", "task_communication"), ("step3", "line_manager_role")]
    ):
        answers[step][qid] = PAYLOADS[i % len(PAYLOADS)]
    answers["step2"]["goals"] = [*answers["step2"]["goals"], PAYLOADS[0]]
    answers["setup"]["channels"] = [*answers["setup"]["channels"], PAYLOADS[1]]
    return write_project(tmp_path / "poisoned.yaml", data)


def test_html_injection_never_becomes_markup(tmp_path: Path) -> None:
    project = poisoned(tmp_path)
    assert export(project, tmp_path / "plan.html") == 0
    html = (tmp_path / "plan.html").read_text(encoding="utf-8")
    root = parse_html(html)
    assert not list(root.iter("script")) and not list(root.iter("img")) and not list(root.iter("svg"))
    assert not list(root.iter("b"))
    assert len(list(root.iter("style"))) == 1
    for el in root.iter():
        assert not any(name.lower().startswith("on") for name in el.attrib), el.tag
        assert not el.get("href", "#").lower().startswith("javascript")
    page = text_of(root)
    for payload in PAYLOADS[:6]:
        assert payload in page
    assert "{{ 7 * 7 }}" in page and "49" not in page.split("{{ 7 * 7 }}")[0][-3:]
    assert "{coordinator_name}" in page  # an answer is never filled in as a template


def test_markdown_injection_never_becomes_markup(tmp_path: Path) -> None:
    project = poisoned(tmp_path)
    assert export(project, tmp_path / "plan.md") == 0
    md = (tmp_path / "plan.md").read_text(encoding="utf-8")
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    root = parse_html(f"<body>{html}</body>")
    assert not list(root.iter("script")) and not list(root.iter("img")) and not list(root.iter("svg"))
    for el in root.iter():
        assert not any(name.lower().startswith("on") for name in el.attrib), el.tag
        assert not el.get("href", "#").lower().startswith("javascript")
    # the payload shows literally (it is also the word for mentees, so it sits inside real headings) but never makes one
    assert not [t for _, t, _ in headings(root) if t.startswith("Not a heading")]
    # a pipe in an answer never adds a table cell: every line of a table has as many cell borders as its header
    table: list[int] = []
    for line in [*md.splitlines(), ""]:
        if line.startswith("|"):
            table.append(len(re.findall(r"(?<!\\)\|", line)))
        elif table:
            assert len(set(table)) == 1, table
            table = []
    page = text_of(root)
    for payload in PAYLOADS[:6]:
        assert payload in page, payload


# --- Markdown ---------------------------------------------------------------------------------


def github_slug(title: str) -> str:
    return "-".join(re.sub(r"[^\w\- ]", "", title.lower()).split(" "))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_markdown_tables_and_contents(example: Path, rendered: dict[str, dict[str, str]]) -> None:
    md = rendered[example.name]["md"]
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    root = parse_html(f"<body>{html}</body>")
    tables = list(root.iter("table"))
    assert len(tables) >= 8
    widths = {len(list(t.iter("th"))) for t in tables}
    assert 6 in widths and 4 in widths  # communication plan and action plan
    for table in tables:
        width = len(table.find("thead/tr"))
        for tr in table.find("tbody") if table.find("tbody") is not None else []:
            assert len(tr) == width
    slugs: dict[str, int] = {}
    anchors = set()
    for _, title, _ in headings(root):
        slug = github_slug(title)
        anchors.add(slug if slug not in slugs else f"{slug}-{slugs[slug]}")
        slugs[slug] = slugs.get(slug, 0) + 1
    links = re.findall(r"\]\(#([^)]+)\)", md)
    assert len(links) >= 20
    assert set(links) <= anchors


# --- to decide ----------------------------------------------------------------------------------


def test_unanswered_parts_become_to_decide_items(tmp_path: Path) -> None:
    data = load_yaml(FAMILY / "mentor-project.yaml")
    answers = data["answers"]
    del answers["setup"]["channels"]
    answers["step3"]["training_hours"] = None
    answers["step4"]["review_every_months"] = None
    answers["step4"]["closing_session"] = None
    del answers["step1"]["needs_social"]
    project = write_project(tmp_path / "p.yaml", data)
    assert export(project, tmp_path / "plan.html") == 0
    root = parse_html((tmp_path / "plan.html").read_text(encoding="utf-8"))
    appendix = root.find(".//section[@id='coordinator']")
    assert appendix is not None
    body = [p for p in root.iter() if p not in set(appendix.iter())]
    # in the body, an open point reads as a decision to take, without the command that settles it
    todos = [text_of(p) for p in body if "todo" in (p.get("class") or "").split()]
    assert todos and all(t.startswith("To decide: ") and "mentor" not in t.split(":")[0] for t in todos)
    assert not any("mentor step" in t for t in todos)
    channel_cells = [text_of(tr[4]) for tr in root.find(".//section[@id='communication-messages']//tbody")]
    assert channel_cells and all(c == "To decide" for c in channel_cells)
    # the appendix for the coordinator names the step that settles each one
    listed = text_of(appendix)
    for step in ("mentor step setup", "mentor step 3", "mentor step 4"):
        assert step in listed
    summary = root.find(".//section[@id='summary']")
    assert "To decide: Channel" in text_of(summary)
    # nothing is invented: no review rounds without a rhythm, no closing session without a decision
    titles = " ".join(r[1] for r in milestone_rows(root))
    assert "Periodic review of the pairs" not in titles and "Closing session" not in titles


def test_empty_project_gives_a_plan_of_open_points(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p.yaml", {"schema_version": 1, "language": "nl", "answers": {}})
    assert export(project, tmp_path / "plan.html") == 0
    root = parse_html((tmp_path / "plan.html").read_text(encoding="utf-8"))
    appendix = text_of(root.find(".//section[@id='coordinator']"))
    for step in ("setup", "1", "2", "3", "4"):
        assert f"mentor step {step}" in appendix
    assert "Te beslissen: " in text_of(root.find(".//section[@id='summary']"))
    assert export(project, tmp_path / "plan.md") == 0
    assert export(project, tmp_path / "plan.ics") == 0


# --- language -----------------------------------------------------------------------------------


def english_only_phrases() -> set[str]:
    """Phrases of the documents' own wording whose English differs from the Dutch."""
    from bmw_mentor.documents.builder import strings
    from bmw_mentor.documents.spec import shipped_spec

    phrases: set[str] = set()

    def add(en: str, nl: str) -> None:
        if en == nl:
            return
        for part in re.split(r"\{\w+\}", en):
            part = part.strip(" .,:;()")
            if len(part) >= 14 and part not in nl:
                phrases.add(part)

    for value in strings().values():
        if isinstance(value.get("en"), str):
            add(value["en"], value["nl"])

    for text in texts_in(shipped_spec()):
        add(text.en, text.nl)
    return phrases


def test_dutch_plan_has_no_english(rendered: dict[str, dict[str, str]]) -> None:
    phrases = english_only_phrases()
    assert len(phrases) > 100
    for ext in ("html", "md"):
        text = rendered[LOGISTICS.name][ext]
        found = sorted(p for p in phrases if p in text)
        assert not found, found[:10]


# --- the command ---------------------------------------------------------------------------------


def test_folder_target_writes_one_file_per_document(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    project = FAMILY / "mentor-project.yaml"
    assert export(project, f"{out}/") == 0
    assert sorted(p.name for p in out.iterdir()) == ["communication.html", "forms.html", "programme.html", "training.html"]
    root = parse_html((out / "training.html").read_text(encoding="utf-8"))
    assert root.find(".//section[@id='training']") is not None and root.find(".//section[@id='programme']") is None
    assert export(project, str(out), "--format", "md") == 0
    assert (out / "forms.md").read_text(encoding="utf-8").count("……") > 20
    assert export(project, f"{out}/", "--format", "ics") == 0
    assert not (out / "forms.ics").exists() and (out / "programme.ics").exists()
    assert (out / "programme.html").stat().st_mode & 0o077 == 0  # names of colleagues: owner only


def test_single_document(tmp_path: Path) -> None:
    assert export(FAMILY / "mentor-project.yaml", tmp_path / "c.html", "--doc", "communication") == 0
    root = parse_html((tmp_path / "c.html").read_text(encoding="utf-8"))
    assert [s.get("id") for s in root.iter("section") if "document" in (s.get("class") or "")] == ["communication"]


@pytest.mark.parametrize(
    ("target", "args", "code", "words"),
    [
        ("plan.odt", [], ExitCode.USAGE, ".html, .md, .docx, .pdf or .ics"),
        ("plan", [], ExitCode.USAGE, "no extension"),
        ("plan.html/", [], ExitCode.IO_ERROR, "is a file, not a folder"),
        ("plan.ics", ["--doc", "forms"], ExitCode.USAGE, "no dates"),
        ("plan.html", ["--doc", "nonsense"], ExitCode.USAGE, "--doc"),
        ("plan.md", ["--format", "html"], ExitCode.USAGE, "does not match"),
    ],
)
def test_bad_targets_fail_with_one_line(
    target: str, args: list[str], code: int, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plan.html").write_text("an earlier export", encoding="utf-8")
    assert export(FAMILY / "mentor-project.yaml", tmp_path / target if not target.endswith("/") else f"{tmp_path}/{target}", *args) == code
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0] and "Traceback" not in err[0]


def test_missing_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert export(tmp_path / "none.yaml", tmp_path / "plan.html") == ExitCode.NO_PROJECT
    assert not (tmp_path / "plan.html").exists()


def test_broken_plans_yaml_names_file_and_line(tmp_path: Path, checklists: Checklists) -> None:
    from bmw_mentor.errors import ChecklistInvalidError
    from bmw_mentor.files.resources import data_dir

    text = (data_dir("checklists") / "plans.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "plans.yaml"
    broken.write_text(text.replace("    phase: prepare\n", "    phase: someday\n", 1), encoding="utf-8")
    with pytest.raises(ChecklistInvalidError, match=r"plans\.yaml: milestones\[0\]\.phase \(line \d+\)"):
        plan_spec.load_spec(checklists, broken)
    broken.write_text(text.replace("{Mentors} and {mentees} selected", "{Mentors} and {menteez} selected"), encoding="utf-8")
    with pytest.raises(ChecklistInvalidError, match=r"\{menteez\}"):
        plan_spec.load_spec(checklists, broken)
    broken.write_text(text.replace("answer: training_hours", "answer: training_hourz", 1), encoding="utf-8")
    with pytest.raises(ChecklistInvalidError, match="training_hourz"):
        plan_spec.load_spec(checklists, broken)


# --- contrast -----------------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_text_colours_are_readable(rendered: dict[str, dict[str, str]]) -> None:
    css = rendered[FAMILY.name]["html"]
    var = dict(re.findall(r"--([\w-]+): (#[0-9a-f]{6})", css))
    backgrounds = ["#ffffff", var["soft"], var["zebra"]]
    for text in ("ink", "muted", "navy", "accent"):
        for background in backgrounds:
            assert contrast(var[text], background) >= 4.5, (text, background)  # WCAG AA for body text
    assert contrast(var["todo-ink"], var["todo-bg"]) >= 7
    assert contrast("#ffffff", var["navy"]) >= 7  # table headers

"""``mentor evaluate``: the blank questionnaires, reading answers from forgiving sheets, and the report."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from bmw_mentor import cli
from bmw_mentor.errors import ExitCode

PROJECT = """schema_version: 1
language: en
answers:
  setup:
    org_name: Acme Freight
  step1:
    mentor: buddy
    mentors: buddies
  step2:
    programme_focus: induction
    scope_targets: |-
      - 9 in 10 new drivers are still with us after six months
      - every newcomer rates the welcome at least 4 out of 5
      - no damage claims in the first three months
  step4:
    followup_evaluation: true
    followup_months: 12
    success_stories: true
"""

# the programme sheet as a web form exports it: its own order, numbered, without the scales, one typo
PROGRAMME_HEADER = [
    "Timestamp",
    "3. Would you take part again, or recommend it to a colleague?",
    "1. How do you rate the programme as a whole? [1-5]",
    "Your role",
    "What should change",
    "The coordinater was there when support was needed.",
    "Email",
]
PROGRAMME_ROWS = [
    ["2028-06-01", "yes", "4", "buddy", "More time in the roster", "agree", "kim@example.org"],
    ["2028-06-01", "ja", "5 - excellent", "Mentor", "", "5", ""],
    ["2028-06-02", "no", "3", "buddy", "Less paperwork", "4", ""],
    ["2028-06-02", "yes", "4", "mentee", "Longer rides together", "strongly agree", ""],
    ["2028-06-03", "yes", "2", "Mentee", "", "2", ""],
    ["2028-06-03", "x", "5", "new hire", "", "5", ""],
    ["2028-06-04", "no", "1", "line manager", "Only my manager would write this", "1", "boss@example.org"],
    ["2028-06-04", "yes", "4", "team leader", "", "3", ""],
]
FOLLOWUP = [
    ["Naam", "Werkt de mentee nog bij Acme Freight?", "Ik ben", "welcome"],
    ["Sofie Janssens", "ja", "mentee", "5"],
    ["Tom Wouters", "yes", "mentee", "4"],
    ["Julie Claes", "nee", "mentee", "3"],
    ["Karim El Amrani", "ja", "mentee", "4"],
]


@pytest.fixture
def project(workdir: Path) -> Path:
    path = workdir / "mentor-project.yaml"
    path.write_text(PROJECT, encoding="utf-8")
    return path


@pytest.fixture
def responses(workdir: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Form1"
    sheet.append(PROGRAMME_HEADER)
    for row in PROGRAMME_ROWS:
        sheet.append(row)
    other = book.create_sheet("Follow-up")
    for row in FOLLOWUP:
        other.append(row)
    path = workdir / "responses.xlsx"
    book.save(path)
    return path


def test_template_has_a_column_per_question_and_the_scale_in_the_header(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from python_calamine import CalamineWorkbook

    out = project.parent / "forms.xlsx"
    assert cli.run(["evaluate", "template", "--out", str(out)]) == 0
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["Relationship", "Programme", "Follow-up"]
    header = book.get_sheet_by_name("Programme").to_python()[0]
    assert header[:2] == ["I am", "Name (optional)"]
    assert "How do you rate the programme as a whole? (1 = very poor … 5 = excellent)" in header
    assert "The pairing of buddy and mentee was a good fit. (1 = strongly disagree … 5 = strongly agree)" in header
    assert "Would you take part again, or recommend it to a colleague? (yes / no)" in header
    assert "What should change?" in header
    assert (
        "Is the mentee still working at Acme Freight? (yes / no)" in book.get_sheet_by_name("Follow-up").to_python()[0]
    )


def test_a_filled_in_template_reads_back_one_to_one(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    out = project.parent / "forms.xlsx"
    assert cli.run(["evaluate", "template", "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    sheet = book["Relationship"]
    width = sheet.max_column
    for group, rating in (("buddy", 4), ("buddy", 5), ("Buddy", 5), ("mentee", 1)):
        sheet.append([group, "", rating, 5, 3, 4] + [f"text {rating}"] * (width - 6))
    book.save(out)
    assert cli.run(["evaluate", str(out), "--out", str(project.parent / "r.md")]) == 0
    md = (project.parent / "r.md").read_text(encoding="utf-8")
    assert "| Buddies | 3 |" in md and "| Mentees (withheld: fewer than 3) | 1 |" in md
    assert "average 4.7 on 5" in md and "text 1" not in md


def _direct(column: int, scale: dict[str, int], shown: set[str]) -> Counter[int]:
    """The distribution of one programme column, computed straight from the fixture."""
    groups = {"buddy": "mentor", "mentor": "mentor", "mentee": "mentee", "new hire": "mentee"}
    counts: Counter[int] = Counter()
    for row in PROGRAMME_ROWS:
        if groups.get(row[3].lower(), "other") in shown:
            counts[
                scale[row[column].split(" ")[0].lower()] if not row[column][0].isdigit() else int(row[column][0])
            ] += 1
    return counts


def test_renamed_and_reordered_columns_are_read_and_the_figures_are_right(
    project: Path, responses: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = project.parent / "evaluation.md"
    assert cli.run(["evaluate", str(responses), "--out", str(out)]) == 0
    md = out.read_text(encoding="utf-8")
    # 3 buddies and 3 mentees are shown; the line managers (2, under the threshold of 3) are withheld
    assert "| Buddies | 3 |" in md and "| Mentees | 3 |" in md
    assert "| Line managers (withheld: fewer than 3) | 2 |" in md
    rating = _direct(2, {}, {"mentor", "mentee"})
    assert rating == Counter({4: 2, 5: 2, 3: 1, 2: 1})
    block = md[md.index("### How do you rate the programme as a whole?") :]
    block = block[: block.index("###", 4)]
    rows = dict(re.findall(r"^\| (\w[\w ]*?) \| \d+ \| \d+ \| (\d+) \|$", block, re.MULTILINE))
    assert [int(rows[p]) for p in ("very poor", "poor", "fair", "good", "excellent")] == [
        rating[k] for k in range(1, 6)
    ]
    mean = sum(k * n for k, n in rating.items()) / sum(rating.values())
    assert f"average {mean:.1f} on 5" in block
    coordinator = _direct(5, {"agree": 4, "strongly": 5}, {"mentor", "mentee"})
    assert f"average {sum(k * n for k, n in coordinator.items()) / 6:.1f} on 5" in md
    yes = sum(
        1 for r in PROGRAMME_ROWS if r[3].lower() not in ("line manager", "team leader") and r[1] in ("yes", "ja", "x")
    )
    assert f"{round(yes / 6 * 100)}% said yes" in md


def test_a_group_under_the_threshold_is_withheld_everywhere(
    project: Path, responses: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = project.parent / "evaluation.html"
    assert cli.run(["evaluate", str(responses), "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "Only my manager would write this" not in html
    assert "More time in the roster" in html and "Less paperwork" in html
    # no name or e-mail address from the sheets is shown
    for who in ("kim@example.org", "boss@example.org", "Sofie Janssens", "Julie Claes"):
        assert who not in html


def test_results_stand_next_to_the_targets(project: Path, responses: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = project.parent / "evaluation.md"
    assert cli.run(["evaluate", str(responses), "--out", str(out)]) == 0
    md = out.read_text(encoding="utf-8")
    # 3 of the 4 new hires are still there: 75% against 9 in 10
    assert (
        "| 9 in 10 new drivers are still with us after six months | still working here at the follow-up | 75% of 4 | not reached (90%) |"
        in md
    )
    # every newcomer at least 4 out of 5: 3 of 4 gave 4 or more
    assert "75% of 4 gave 4 or more | not reached (100%) |" in md
    assert "| no damage claims in the first three months |  | not in the questionnaires" in md
    assert "Hold the follow-up evaluation 12 months after the end" in md
    summary = md[md.index("## In short") : md.index("## Results against the targets")]
    assert "- Reached: 0 of the 2 targets that the answers measure." in summary
    assert "- 75% of the mentees followed up still work here." in summary


def test_the_charts_are_svg_inside_the_one_html_file(
    project: Path, responses: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = project.parent / "evaluation.html"
    assert cli.run(["evaluate", str(responses), "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    svgs = re.findall(r"<svg [^>]*>", html)
    # one chart per closed question that has answers: programme 3, follow-up 2
    assert len(svgs) == 5
    assert all('role="img"' in s and "aria-label=" in s for s in svgs)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    # no external request: nothing is loaded from anywhere
    assert not re.search(r'(?:src|href)="(?!#)', html)
    assert "<img" not in html and "<link" not in html


def test_a_bad_answer_is_one_line_and_the_rest_is_read(
    project: Path, responses: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    book = openpyxl.load_workbook(responses)
    book["Form1"].append(["2028-06-05", "maybe", "7", "buddy", "", "", ""])
    book.save(responses)
    assert cli.run(["evaluate", str(responses), "--out", str(project.parent / "e.md")]) == 0
    err = capsys.readouterr().err
    assert "line 10: 'maybe' is not an answer" in err and "'7' is not an answer" in err
    assert "Traceback" not in err


def test_a_sheet_without_questions_is_refused_in_one_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = project.parent / "other.csv"
    other.write_text("Naam;Rol\nAn;mentor\n", encoding="utf-8")
    assert cli.run(["evaluate", str(other), "--out", str(project.parent / "e.html")]) == ExitCode.RECORDS_INVALID
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no column matches a question" in err
    assert not (project.parent / "e.html").exists()


def test_the_word_report_carries_the_charts_as_pictures(
    project: Path, responses: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import zipfile

    out = project.parent / "evaluation.docx"
    assert cli.run(["evaluate", str(responses), "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as docx:
        pictures = [n for n in docx.namelist() if n.startswith("word/media/") and n.endswith(".png")]
        body = docx.read("word/document.xml").decode("utf-8")
    # one picture per closed question with answers, as in the HTML: programme 3, follow-up 2
    assert len(pictures) == 5
    assert "How do you rate the programme as a whole?" in body and 'descr="How do you rate the programme' in body
    assert "Reached: 0 of the 2 targets that the answers measure." in body
    assert "Only my manager would write this" not in body


def test_the_pdf_report_has_the_summary_and_the_charts(
    project: Path, responses: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pypdf = pytest.importorskip("pypdf")
    out = project.parent / "evaluation.pdf"
    assert cli.run(["evaluate", str(responses), "--out", str(out)]) == 0
    reader = pypdf.PdfReader(out)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Reached: 0 of the 2 targets that the answers measure." in text
    assert "still with us after six months" in text
    # the charts' answer labels are drawn as text in the PDF (vector, not a picture)
    assert "excellent" in text and "very poor" in text

"""Real spreadsheets: Excel and LibreOffice files, the company's own column names, and names checked.

The fixtures in ``fixtures/`` are made by ``fixtures/make.py`` from the shared
participant files: the typo file (a line manager "Dirk Peters" for "Dirk
Peeters", a role "nieuwkomr", a duplicate row) as .xlsx and as a CSV with BOM
and ``;``, the company's own column names as .ods, and a Windows-1252 CSV with
an accent missing and a name written last name first.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from bmw_mentor import cli
from bmw_mentor.errors import ExitCode
from bmw_mentor.projectfile import project as project_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "C")
    monkeypatch.setenv("COLUMNS", "200")


def _copy(workdir: Path, name: str) -> Path:
    target = workdir / name
    shutil.copy(FIXTURES / name, target)
    return target


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _pairs_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("name", ["deelnemers_fouten.xlsx", "deelnemers_fouten.csv"])
def test_manager_typo_is_named_with_both_spellings_and_keeps_the_reporting_line(
    workdir: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    source = _copy(workdir, name)
    code, out, err = _run(capsys, "match", str(source), "--out", "pairs.csv")
    assert code == 0, err
    warning = next(line for line in err.splitlines() if "Dirk Peters" in line)
    assert "line 9" in warning and "'Dirk Peeters'" in warning and "Tom Claes" in warning
    pairs = {(p["Mentor"], p["Mentee"]) for p in _pairs_csv(workdir / "pairs.csv") if p["Mentor"] and p["Mentee"]}
    assert ("Dirk Peeters", "Tom Claes") not in pairs  # Tom reports to Dirk
    assert pairs  # the others are still matched


@pytest.mark.parametrize("name", ["deelnemers_fouten.xlsx", "deelnemers_fouten.csv"])
def test_role_typo_gets_a_suggestion_in_the_companys_own_words(
    workdir: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    source = _copy(workdir, name)
    code, _, err = _run(capsys, "participants", "add", "--from", str(source))
    assert code == 0, err
    line = next(line for line in err.splitlines() if "nieuwkomr" in line)
    assert "line 8" in line
    assert "peter, meter, nieuwkomer" in line  # the words this sheet uses, not mentor/mentee
    assert "did you mean 'nieuwkomer'?" in line
    assert "line 11: 'Piotr Nowak' is already on line 10" in err


def test_excel_file_is_read_with_numbers_as_numbers_and_line_numbers(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _copy(workdir, "deelnemers_fouten.xlsx")
    code, out, err = _run(capsys, "participants", "add", "--from", str(source))
    assert code == 0, err
    assert "7 added" in out
    with (workdir / "mentor-participants.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = {r["name"]: r for r in csv.DictReader(fh)}
    assert rows["Jens Verbeke"]["years of experience"] == "0.5"
    assert rows["Luc Van den Broeck"]["years of experience"] == "22"
    assert rows["Luc Van den Broeck"]["capacity"] == "2"
    assert rows["Patrick Wuyts"]["years of experience"] == "15"  # "15 jaar"
    assert rows["Dirk Peeters"]["can offer"] == "heftruck, veiligheid, WMS"  # capitals kept


def test_another_sheet_by_name_and_an_unknown_sheet(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _copy(workdir, "deelnemers_fouten.xlsx")
    code, out, err = _run(capsys, "participants", "add", "--from", str(source), "--sheet", "vorig jaar")
    assert code == 0, err
    assert "2 added" in out
    code, _, err = _run(capsys, "participants", "add", "--from", str(source), "--sheet", "Nope")
    assert code == ExitCode.USAGE
    assert err.count("\n") == 1
    assert "no sheet 'Nope'" in err and "Deelnemers, Vorig jaar" in err


def test_libreoffice_file_with_the_companys_own_column_names(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _copy(workdir, "deelnemers_eigen_kolommen.ods")
    code, out, err = _run(capsys, "match", str(source), "--out", "pairs.csv")
    assert code == 0, err
    assert "is not used" not in err  # Jaren in dienst, Kan aanleren, Max. aantal nieuwkomers, Chef ... all known
    assert "'Functie'" in out  # the one column left out is named
    rows = _pairs_csv(workdir / "pairs.csv")
    matched = [r for r in rows if r["Mentor"] and r["Mentee"]]
    # with the capacities read ("Max. aantal nieuwkomers"), every newcomer has a mentor
    assert len(matched) == 7, rows
    assert all("missing" not in r["Why"] for r in matched)
    kris = next(r for r in matched if "Kris Goossens" in (r["Mentor"], r["Mentee"]))  # "beide" in the file
    assert "listed as both mentor and mentee; taking part as" in kris["Why"]


def test_windows_1252_file_with_accents_and_swapped_names(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _copy(workdir, "deelnemers_cp1252.csv")
    code, out, err = _run(capsys, "match", str(source), "--out", "pairs.csv")
    assert code == 0, err
    assert "line 9: line manager 'Hilde Mertens' of Sara De Wilde" in err
    assert "line 13: line manager 'Mërtens Hilde' of Piotr Nowak" in err
    pairs = {(p["Mentor"], p["Mentee"]) for p in _pairs_csv(workdir / "pairs.csv")}
    assert ("Hilde Mërtens", "Sara De Wilde") not in pairs
    assert ("Hilde Mërtens", "Piotr Nowak") not in pairs


def test_each_unknown_column_is_reported_with_a_suggestion(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = workdir / "staff.csv"
    source.write_text(
        "Naam;Rol;Max nieuwe collegas;Leidinggevnde;Lievelingskleur;Talen\n"
        "An;mentor;2;;blauw;nl\nBen;mentee;;An;groen;nl\n",
        encoding="utf-8",
    )
    code, out, err = _run(capsys, "participants", "add", "--from", str(source))
    assert code == 0, err
    pupils = next(line for line in err.splitlines() if "Max nieuwe collegas" in line)
    assert "did you mean 'capacity'?" in pupils
    assert "--column 'Max nieuwe collegas=capacity'" in pupils
    colour = next(line for line in err.splitlines() if "Lievelingskleur" in line)
    assert "is not used" in colour and "--column 'Lievelingskleur=FIELD'" in colour
    assert "column 'Leidinggevnde' is read as 'line manager'" in out


def test_column_mapping_is_used_and_kept_in_the_project(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = workdir / "mentor-project.yaml"
    project_file.save(project_file.Project(language="en"), project)
    source = workdir / "staff.csv"
    source.write_text(
        "Naam;Rol;Max nieuwe collegas;Lievelingskleur\nAn;mentor;2;blauw\nBen;mentee;;groen\n", encoding="utf-8"
    )
    code, out, err = _run(
        capsys, "participants", "add", "--from", str(source),
        "--column", "Max nieuwe collegas=capaciteit", "--column", "Lievelingskleur=",
    )  # fmt: skip
    assert code == 0, err
    assert "is not used" not in err
    assert project_file.load(project).columns == {"Max nieuwe collegas": "capacity", "Lievelingskleur": ""}
    with (workdir / "mentor-participants.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert next(csv.DictReader(fh))["capacity"] == "2"
    # the next file with the same columns needs no options
    code, _, err = _run(capsys, "match", str(source))
    assert code == 0, err
    assert "is not used" not in err


def test_bad_column_option_is_one_line(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _copy(workdir, "deelnemers_fouten.csv")
    code, _, err = _run(capsys, "match", str(source), "--column", "Functie=hobby")
    assert code == ExitCode.USAGE
    assert err.count("\n") == 1 and "'hobby' is not a field" in err


def test_broken_workbook_is_one_line(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = workdir / "staff.xlsx"
    source.write_bytes(b"PK\x03\x04 this is not really a workbook")
    code, _, err = _run(capsys, "match", str(source))
    assert code == ExitCode.PARTICIPANTS_INVALID
    assert err.count("\n") == 1 and "cannot be read as a spreadsheet" in err


# -- what the outputs say: pairs to look at again, mentors not chosen, the screen --------------
def test_weak_pairs_are_marked_in_every_output(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _copy(workdir, "deelnemers_fouten.xlsx")
    outs = ["-o", "pairs.md", "-o", "pairs.html", "-o", "pairs.csv"]
    code, out, err = _run(capsys, "match", str(source), *outs)
    assert code == 0, err
    # Patrick Wuyts – Piotr Nowak: no common language and a low score
    line = next(line for line in out.splitlines() if "Piotr Nowak" in line)
    assert "⚠ low score (below 40), no common language" in line
    assert "Pairs to look at again: 1 (marked ⚠)." in out
    rows = {r["Mentee"]: r for r in _pairs_csv(workdir / "pairs.csv")}
    assert rows["Piotr Nowak"]["Look again"] == "⚠ low score (below 40), no common language"
    assert rows["Tom Claes"]["Look again"] == ""
    md = (workdir / "pairs.md").read_text(encoding="utf-8")
    piotr = next(line for line in md.splitlines() if "Piotr Nowak" in line)
    assert "⚠ low score (below 40), no common language" in piotr
    assert "Pairs to look at again: 1" in md
    import html5lib

    doc = html5lib.parse((workdir / "pairs.html").read_text(encoding="utf-8"), namespaceHTMLElements=False)
    weak = [tr for tr in doc.iter("tr") if tr.get("class") == "weak"]
    assert len(weak) == 1 and "Piotr Nowak" in "".join(weak[0].itertext())
    assert "no common language" in "".join(weak[0].itertext())


def test_why_not_names_the_excluded_mentors(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _copy(workdir, "deelnemers_fouten.xlsx")
    code, _, err = _run(capsys, "match", str(source), "-o", "pairs.csv", "-o", "pairs.md")
    assert code == 0, err
    rows = {r["Mentee"]: r for r in _pairs_csv(workdir / "pairs.csv")}
    # Tom reports to Dirk ("Dirk Peters" in the file), the mentor who offers exactly what he wants to learn
    assert rows["Tom Claes"]["Not chosen"] == "Not chosen: Dirk Peeters (in the same reporting line)."
    assert "Hilde Mertens and Dirk Peeters (in the same reporting line)" in rows["Piotr Nowak"]["Not chosen"]
    assert "Dirk Peeters (in the same reporting line)" in (workdir / "pairs.md").read_text(encoding="utf-8")


def test_a_pair_in_the_reporting_line_allowed_by_the_rule_being_off_says_so(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = workdir / "family.csv"
    source.write_text(
        "name;role;line manager;languages\nVader;mentor;;nl\nDochter;mentee;Vader;nl\n", encoding="utf-8"
    )
    code, out, err = _run(capsys, "match", str(source), "--off", "reporting_line", "-o", "pairs.csv")
    assert code == 0, err
    (row,) = [r for r in _pairs_csv(workdir / "pairs.csv") if r["Status"] == "pair"]
    assert row["Mentor"] == "Vader" and row["Mentee"] == "Dochter"
    assert "only possible because the reporting-line rule is switched off" in row["Why"]
    assert "in the same reporting line" in row["Look again"]
    assert "Pairs to look at again: 1" in out


def test_terminal_shows_a_compact_table_and_reasons_on_request(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # Rich draws for a terminal
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    source = _copy(workdir, "deelnemers_fouten.xlsx")
    code, out, err = _run(capsys, "match", str(source))
    assert code == 0, err
    out = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "┃ Mentor" in out and "Look again" in out and "┃ Why" not in out
    assert "⚠ low score" in out
    assert "add --why" in out
    code, out, err = _run(capsys, "match", str(source), "--why")
    assert code == 0, err
    out = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "┃ Why" in out and "reporting line" in out


def test_a_long_list_gives_a_summary_and_points_to_the_sheet(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ["name;role;capacity"]
    lines += [f"Mentee {k};mentee;" for k in range(60)]
    lines += [f"Mentor {k};mentor;5" for k in range(11)]
    source = workdir / "big.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = _run(capsys, "match", str(source))
    assert code == 0, err
    assert "Pairs: 55 · not matched: 5" in out
    assert "Mentee 17" not in out
    assert "--out pairs.html" in out


def test_participants_list_fits_80_columns_without_breaking_words(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _copy(workdir, "deelnemers_fouten.csv")
    assert cli.run(["participants", "add", "--from", str(source)]) == 0
    capsys.readouterr()
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = _run(capsys, "participants", "list")
    assert code == 0, err
    table = [line for line in out.splitlines() if line[:1] in "┏┃┡│└"]
    assert table and all(len(line) <= 80 for line in out.splitlines())
    words = {"Transport", "Magazijn", "Peeters", "Mertens", "Janssens", "Vermeulen"}
    cells = " ".join(table)
    for word in words:
        assert word in cells, word  # whole, never folded inside
    assert "years of experience" not in cells or "experience" in cells
    assert "Not shown, for lack of room:" in out

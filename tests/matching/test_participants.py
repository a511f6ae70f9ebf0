"""The participants file: spreadsheet exports in, a local owner-only list out, bad rows reported."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bmw_mentor import cli
from bmw_mentor.errors import ExitCode

NL_EXPORT = (
    "\ufeffNaam;Rol;Afdeling;Jaren ervaring;Leidinggevende;Wil leren;Kan aanbieden;Talen;Capaciteit;Beschikbaarheid\r\n"
    "An Peeters;mentor;Productie;15;Marc Dubois;;planning, veiligheid;Nederlands, Frans;2;ma, do\r\n"
    "Sofie Janssens;mentee;Productie;1,5;An Peeters;planning;;nl;;ma\r\n"
    "Lisa Maes;beide;Verkoop;9 jaar;;strategie;onderhandelen;nl, en;1;do\r\n"
)


@pytest.fixture(autouse=True)
def _english_without_a_project(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages shown before a project exists follow the locale; these tests read them in English."""
    monkeypatch.setenv("LC_ALL", "C")


def _store(workdir: Path) -> Path:
    return workdir / "mentor-participants.csv"


def _read_store(workdir: Path) -> list[dict[str, str]]:
    with _store(workdir).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _add_from(workdir: Path, content: bytes, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    source = workdir / "export.csv"
    source.write_bytes(content)
    code = cli.run(["participants", "add", "--from", str(source), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_dutch_export_with_bom_and_semicolons_is_read_and_kept_owner_only(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _add_from(workdir, NL_EXPORT.encode("utf-8"), capsys)
    assert code == 0, err
    assert err == ""
    assert "3 added" in out
    assert stat.S_IMODE(_store(workdir).stat().st_mode) == 0o600
    rows = _read_store(workdir)
    assert [r["name"] for r in rows] == ["An Peeters", "Sofie Janssens", "Lisa Maes"]
    an, sofie, lisa = rows
    assert an["role"] == "mentor" and an["capacity"] == "2" and an["line manager"] == "Marc Dubois"
    assert an["languages"] == "nl, fr"  # "Nederlands, Frans" understood as languages
    assert an["can offer"] == "planning, veiligheid"
    assert sofie["years of experience"] == "1.5"  # decimal comma
    assert lisa["role"] == "both" and lisa["years of experience"] == "9"


def test_comma_separated_english_export_with_quoted_cells(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = (
        "Name,Role,Department,Years of experience,Line manager,"
        "Wants to learn,Can offer,Languages,Capacity,Availability\n"
        '"Peters, Jan",mentor,Sales,12,,,"negotiation, pricing",English,3,"mon, tue"\n'
        "Ann Lee,mentee,Sales,2,,negotiation,,english,,mon\n"
    )
    code, _, err = _add_from(workdir, content.encode("utf-8"), capsys)
    assert code == 0, err
    rows = _read_store(workdir)
    assert rows[0]["name"] == "Peters, Jan"
    assert rows[0]["can offer"] == "negotiation, pricing"
    assert rows[1]["languages"] == "en"


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        ("sep=;\nnaam;rol\nJan;mentor\nEls;mentee\n", "utf-8"),
        ("naam\trol\nJan\tmentor\nEls\tmentee\n", "utf-16"),
        ("naam;rol;afdeling\nJan;mentor;Financiën\nEls;mentee;Financiën\n", "cp1252"),
    ],
    ids=["excel-sep-hint", "utf16-tabs", "windows-1252"],
)
def test_other_spreadsheet_exports(
    workdir: Path, capsys: pytest.CaptureFixture[str], content: str, encoding: str
) -> None:
    code, _, err = _add_from(workdir, content.encode(encoding), capsys)
    assert code == 0, err
    rows = _read_store(workdir)
    assert [(r["name"], r["role"]) for r in rows] == [("Jan", "mentor"), ("Els", "mentee")]
    if encoding == "cp1252":
        assert rows[0]["department"] == "Financiën"


def test_bad_rows_are_reported_with_line_and_reason_and_good_rows_kept(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = (
        "name,role,years of experience,capacity,line manager\n"  # line 1
        "Good One,mentor,10,2,\n"  # 2
        ",mentee,1,,\n"  # 3 no name
        "Bad Role,teacher,3,,\n"  # 4
        "Bad Years,mentee,lots,,\n"  # 5
        "\n"  # 6 empty: ignored
        "Bad Capacity,mentor,8,2.5,\n"  # 7
        "Good One,mentee,1,,\n"  # 8 duplicate
        '"Multi\nLine",mentee,many,,\n'  # 9-10: one record over two lines
        "Self Boss,mentee,2,,self boss\n"  # 11
        "Too Old,mentor,120,,\n"  # 12
        "Good Two,mentee,1,,Good One\n"  # 13
        "Extra,mentee,1,,,surprise\n"  # 14
        "Bell\x07,mentee,1,,\n"  # 15
    )
    code, out, err = _add_from(workdir, content.encode("utf-8"), capsys)
    assert code == 0
    lines = [line for line in err.splitlines() if "export.csv" in line]
    by_line = {int(line.split("line ")[1].split(":")[0]): line for line in lines}
    assert sorted(by_line) == [3, 4, 5, 7, 8, 9, 11, 12, 14, 15]
    assert "the name is empty" in by_line[3]
    assert "'teacher' is not one of: mentor, mentee, both" in by_line[4]
    assert "'lots' is not a number" in by_line[5]
    assert "'2.5' is not a whole number" in by_line[7]
    assert "'Good One' is already on line 2" in by_line[8]
    assert "'many' is not a number" in by_line[9]
    assert "control characters" in by_line[15]
    assert "own line manager" in by_line[11]
    assert "not between 0 and 80" in by_line[12]
    assert "6 cells but the header only 5" in by_line[14]
    assert all(line.endswith("row skipped") for line in lines)
    assert "10 rows skipped, 2 people read" in err
    assert [r["name"] for r in _read_store(workdir)] == ["Good One", "Good Two"]
    assert "2 added" in out


def test_bad_rows_in_dutch_for_a_dutch_project(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "mentor-project.yaml").write_text("schema_version: 1\nlanguage: nl\n", encoding="utf-8")
    code, _, err = _add_from(workdir, b"naam;rol;jaren ervaring\nJan;mentor;veel\nEls;mentee;2\n", capsys)
    assert code == 0
    assert "export.csv: regel 2: jaren ervaring 'veel' is geen getal; rij overgeslagen" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"\n\n", "the file is empty"),
        (b"role;department\nmentor;HR\n", "line 1: no 'name' column"),
        (b"naam;afdeling\nJan;HR\n", "line 1: no 'role' column"),
        (b"name;naam;role\nJan;Jan;mentor\n", "columns 'name' and 'naam' both mean 'name'"),
        (b"name,role\n\x00\x01binary", "neither a spreadsheet nor a CSV text file"),
    ],
)
def test_unusable_files_fail_in_one_line(
    workdir: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str
) -> None:
    code, _, err = _add_from(workdir, content, capsys)
    assert code == ExitCode.PARTICIPANTS_INVALID
    assert len(err.strip().splitlines()) == 1, err
    assert expected in err
    assert not _store(workdir).exists()


def test_missing_file_fails_cleanly(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.run(["participants", "add", "--from", str(workdir / "nope.csv")])
    err = capsys.readouterr().err
    assert code == ExitCode.PARTICIPANTS_INVALID
    assert "nope.csv: file not found" in err


def test_add_one_person_by_options_update_list_and_remove(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        cli.run(
            [
                "participants",
                "add",
                "Jan Smit",
                "--role",
                "mentor",
                "--years",
                "12",
                "--languages",
                "nl, fr",
                "--offer",
                "Excel; planning",
                "--capacity",
                "2",
            ]
        )
        == 0
    )
    assert cli.run(["participants", "add", "Els Wouters", "--role", "beide", "--department", "HR"]) == 0
    assert cli.run(["participants", "add", "jan  smit", "--role", "mentor", "--years", "13"]) == 0
    out = capsys.readouterr().out
    assert "0 added and 1 updated" in out
    rows = _read_store(workdir)
    assert [(r["name"], r["years of experience"]) for r in rows] == [("jan smit", "13"), ("Els Wouters", "")]

    assert cli.run(["participants", "list"]) == 0
    listing = capsys.readouterr().out
    assert "jan smit" in listing and "Els Wouters" in listing and "Participants (2)" in listing

    assert cli.run(["participants", "remove", "JAN SMIT"]) == 0
    assert [r["name"] for r in _read_store(workdir)] == ["Els Wouters"]
    capsys.readouterr()
    assert cli.run(["participants", "remove", "Els Wouter"]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "nobody called 'Els Wouter'" in err and "did you mean: Els Wouters" in err


def test_adding_an_invalid_person_changes_nothing(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.run(["participants", "add", "Jan", "--role", "boss", "--years", "x"])
    err = capsys.readouterr().err
    assert code == ExitCode.PARTICIPANTS_INVALID
    assert "role 'boss'" in err and "'x' is not a number" in err
    assert not _store(workdir).exists()
    assert cli.run(["participants", "add"]) == ExitCode.USAGE


def test_formula_like_cells_are_neutralised_in_the_file_and_read_back_intact(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.run(["participants", "add", "=HYPERLINK(1)", "--role", "mentee", "--learn", "+sales"]) == 0
    raw = _store(workdir).read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(1)" in raw and "'+sales" in raw
    assert cli.run(["participants", "list"]) == 0
    assert "=HYPERLINK(1)" in capsys.readouterr().out
    assert _read_store(workdir)[0]["name"] == "'=HYPERLINK(1)"


def test_the_organisations_own_words_work_as_roles(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "mentor-project.yaml").write_text(
        "schema_version: 1\nlanguage: en\nanswers:\n  step1:\n    mentor: buddy\n    mentee: starter\n",
        encoding="utf-8",
    )
    code, _, err = _add_from(workdir, b"name,role\nJan,Buddy\nEls,starter\n", capsys)
    assert code == 0, err
    assert [r["role"] for r in _read_store(workdir)] == ["mentor", "mentee"]


def test_a_participants_file_with_unreadable_rows_is_not_rewritten_and_loses_nothing(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _store(workdir)
    store.write_text(
        "name,role,years of experience,line manager\nJan,mentor,lots,\nEls,mentee,2,Jan\nPiet,mentee,x,Jan\n",
        encoding="utf-8",
    )
    before = store.read_bytes()
    assert cli.run(["participants", "add", "Ann", "--role", "mentee"]) == ExitCode.PARTICIPANTS_INVALID
    err = capsys.readouterr().err
    assert "line 2: years of experience 'lots' is not a number" in err and "fix the participants file first" in err
    assert cli.run(["participants", "remove", "Els"]) == ExitCode.PARTICIPANTS_INVALID
    assert store.read_bytes() == before
    # forgetting works on the raw rows: the unreadable row naming the person goes too
    assert cli.run(["forget", "Jan"]) == 0
    rows = list(csv.reader(store.read_text(encoding="utf-8-sig").splitlines()))
    assert rows == [
        ["name", "role", "years of experience", "line manager"],
        ["Els", "mentee", "2", ""],
        ["Piet", "mentee", "x", ""],
    ]
    assert stat.S_IMODE(store.stat().st_mode) == 0o600


_CELLS = st.text(alphabet=st.sampled_from(list("ab ;,\"'\t\r\n=+-@é\x00\u202e0123456789.")), max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(
        st.sampled_from(["naam", "name", "rol", "role", "jaren ervaring", "capacity", "talen", "x"]), max_size=6
    ),
    rows=st.lists(st.lists(_CELLS, max_size=7), max_size=6),
    delimiter=st.sampled_from([";", ",", "\t"]),
    bom=st.booleans(),
)
def test_any_export_is_read_or_refused_in_one_line(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    header: list[str],
    rows: list[list[str]],
    delimiter: str,
    bom: bool,
) -> None:
    text = "\n".join(delimiter.join(r) for r in [header, *rows])
    source = workdir / "fuzz.csv"
    source.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    code = cli.run(["match", str(source), "--lang", "en"])
    err = capsys.readouterr().err
    assert code in (0, ExitCode.PARTICIPANTS_INVALID), err
    lines = err.strip().splitlines()
    if code:  # one error line, last; before it only the rows that were skipped
        assert [line for line in lines if line.startswith("mentor: ")] == lines[-1:], err
    for line in lines:
        assert line.startswith(("mentor: ", str(source))) or "skipped" in line, line

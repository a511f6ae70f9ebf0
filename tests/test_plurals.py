"""Real plurals everywhere: no "(s)", "(en)", "('s)" or "vraag/vragen" in anything the examples produce."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bmw_mentor import cli
from bmw_mentor.messages import date_text, msg, number_text, percent_text

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.parent for p in (REPO / "examples").glob("*/mentor-project.yaml"))
PARTICIPANTS = REPO / "examples" / "participants-nl.csv"

# "example(s)", "voorbeeld(en)", "duo('s)", "ernstig(e)", and "persoon/personen", "vraag/vragen"
BRACKETED = re.compile(r"\w\((s|es|en|n|e|'s|’s)\)", re.IGNORECASE)
SLASHED = re.compile(r"\b([^\W\d_]{3,})/([^\W\d_]+)\b")


def plural_patterns(text: str) -> list[str]:
    found = [m.group(0) for m in BRACKETED.finditer(text)]
    for m in SLASHED.finditer(text):
        one, many = m.group(1).lower(), m.group(2).lower()
        if len(many) > len(one) and many[:3] == one[:3]:  # a word and its plural, side by side
            found.append(m.group(0))
    return found


def test_the_scan_finds_the_old_ways() -> None:
    assert plural_patterns("hulp toont 1 voorbeeld(en)") == ["d(en)"]
    assert plural_patterns("3 risico('s), 1 risk(s)") == ["o('s)", "k(s)"]
    assert plural_patterns("0 vraag/vragen, 7 persoon/personen") == ["vraag/vragen", "persoon/personen"]
    assert not plural_patterns("Dag/maand/jaar, peter/meter, 4/maand, and/or, 1 voorbeeld, 2 voorbeelden")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_no_written_out_plurals_in_any_output_of_the_examples(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MENTOR_PROJECT", raising=False)
    shutil.copy(example / "mentor-project.yaml", tmp_path / "mentor-project.yaml")
    shutil.copy(PARTICIPANTS, tmp_path / "staff.csv")
    # a row that cannot be used, so that the skipped-rows summary is printed too
    with (tmp_path / "staff.csv").open("a", encoding="utf-8") as f:
        f.write("\n;mentor;;;\n")
    runs = [
        ["status"],
        ["check"],
        ["check", "--format", "json"],
        ["export", "plan.html"],
        ["export", "plan.md"],
        ["export", "plan.ics"],
        ["export", "plans/", "--format", "md"],
        ["match", "staff.csv", "--out", "pairs.md", "--out", "pairs.html", "--out", "pairs.csv", "--save"],
        ["participants", "add", "--from", "staff.csv"],
        ["participants", "list"],
        ["forget", "Nobody At All"],
    ]
    seen: dict[str, list[str]] = {}
    for argv in runs:
        cli.run(argv)
        out, err = capsys.readouterr()
        seen[" ".join(argv)] = plural_patterns(out + err)
    for path in sorted(tmp_path.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".md", ".ics", ".csv", ".json"):
            seen[path.name] = plural_patterns(path.read_text(encoding="utf-8-sig"))
    assert {k: v for k, v in seen.items() if v} == {}
    assert (tmp_path / "plan.html").exists() and (tmp_path / "pairs.md").exists()


@pytest.mark.parametrize(("lang", "one", "many"), [("en", "1 pair", "2 pairs"), ("nl", "1 koppel", "2 koppels")])
def test_the_plural_follows_the_number(lang: str, one: str, many: str) -> None:
    assert msg("match_saved", lang, n=1, path="p.yaml").startswith(("Stored " + one, one))
    assert many in msg("match_saved", lang, n=2, path="p.yaml")
    assert many.replace("2", "0") in msg("match_saved", lang, n=0, path="p.yaml")


def test_dates_and_numbers_follow_the_locale() -> None:
    import datetime as dt

    assert date_text(dt.date(2027, 9, 6), "nl") == "6 september 2027"
    assert date_text(dt.date(2027, 9, 6), "en") == "6 September 2027"
    assert number_text(0.5, "nl") == "0,5" and number_text(0.5, "en") == "0.5"
    assert number_text(1234.56, "nl") == "1.234,6" and number_text(12.0, "en") == "12"
    assert percent_text(0.85, "nl").replace("\xa0", " ") in ("85%", "85 %")

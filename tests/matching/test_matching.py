"""`mentor match`: the framework's matching rules, optimal pairs, the sheets, and `mentor forget`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import random
import re
import stat
from pathlib import Path

import html5lib
import pytest
import yaml

from bmw_mentor import cli
from bmw_mentor.errors import ExitCode
from bmw_mentor.matching import assign as matching
from bmw_mentor.matching import explain as explaining
from bmw_mentor.matching import rules as matchrules
from bmw_mentor.matching.participants import Participant

FIELDS = ("name", "role", "department", "years", "manager", "wants", "offers", "languages", "capacity", "availability")
HEADER = [
    "name",
    "role",
    "department",
    "years of experience",
    "line manager",
    "wants to learn",
    "can offer",
    "languages",
    "capacity",
    "availability",
]


@pytest.fixture(autouse=True)
def _english_without_a_project(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages shown before a project exists follow the locale; these tests read them in English."""
    monkeypatch.setenv("LC_ALL", "C")


def write_people(folder: Path, people: list[dict[str, str]], name: str = "people.csv") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for p in people:
        writer.writerow([str(p.get(f, "")) for f in FIELDS])
    path = folder / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


class Run:
    """One `mentor match` run, with the pairs and unmatched people read back from its CSV sheet."""

    def __init__(self, folder: Path, capsys: pytest.CaptureFixture[str], source: Path | None, *args: str) -> None:
        sheet = folder / "sheet.csv"
        if sheet.exists():
            sheet.unlink()
        argv = ["match", *([str(source)] if source else []), "--out", str(sheet), *args]
        if "--lang" not in args:
            argv += ["--lang", "en"]
        self.code = cli.run(argv)
        captured = capsys.readouterr()
        self.out, self.err = captured.out, captured.err
        self.pairs: dict[str, str] = {}
        self.scores: dict[str, float] = {}
        self.why: dict[str, str] = {}
        self.unmatched: dict[str, str] = {}
        if self.code == 0:
            text = sheet.read_text(encoding="utf-8-sig")
            delimiter = ";" if text.startswith("Status;") else ","
            for row in csv.reader(io.StringIO(text), delimiter=delimiter):
                status, mentor, mentee, score, why, *_ = row
                if status in ("pair", "koppel"):
                    self.pairs[mentee] = mentor
                    self.scores[mentee] = float(score.replace(",", "."))
                    self.why[mentee] = why
                elif status in ("not matched", "niet gekoppeld"):
                    self.unmatched[mentor or mentee] = why

    def mentees_of(self, mentor: str) -> list[str]:
        return sorted(e for e, m in self.pairs.items() if m == mentor)


@pytest.fixture
def match(workdir: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def run(people: list[dict[str, str]] | None, *args: str) -> Run:
        source = write_people(workdir, people) if people is not None else None
        return Run(workdir, capsys, source, *args)

    return run


def only(*keep: str) -> list[str]:
    """Options that switch off every rule except ``keep``."""
    rules = ["experience_gap", "reporting_line", "department", "learning", "language", "availability", "load_spreading"]
    return [arg for r in rules if r not in keep for arg in ("--off", r)]


# -- each rule, on and off -------------------------------------------------------
# Each scenario: one mentee, mentor A favoured by the rule under test, mentor B
# favoured (weakly) by availability. With the rule on, A wins; off, B wins.
RULE_CASES = {
    "experience_gap": (
        {"years": 1},
        {"years": 5},
        {"years": 40},
    ),
    "department": (
        {"department": "Sales"},
        {"department": "Sales"},
        {"department": "IT"},
    ),
    "learning": (
        {"wants": "excel, planning"},
        {"offers": "planning, excel"},
        {"offers": "welding"},
    ),
    "language": (
        {"languages": "nl"},
        {"languages": "Dutch, French"},
        {"languages": "fr"},
    ),
}


@pytest.mark.parametrize("rule", sorted(RULE_CASES))
def test_each_soft_rule_switched_on_and_off(match, rule: str) -> None:  # type: ignore[no-untyped-def]
    mentee, a, b = RULE_CASES[rule]
    people = [
        {"name": "Mia", "role": "mentee", "availability": "mon", **mentee},
        {"name": "Alex", "role": "mentor", "availability": "fri", **a},
        {"name": "Bo", "role": "mentor", "availability": "mon", **b},
    ]
    weights = ["--set", f"{rule}.weight=3", "--set", "availability.weight=1"]
    on = match(people, *only(rule, "availability"), *weights, "--focus", "induction")
    assert on.code == 0, on.err
    assert on.pairs == {"Mia": "Alex"}
    off = match(people, *only(rule, "availability"), *weights, "--focus", "induction", "--off", rule)
    assert off.pairs == {"Mia": "Bo"}
    assert "Both are available: mon." in off.why["Mia"]


def test_availability_rule_on_and_off(match) -> None:  # type: ignore[no-untyped-def]
    people = [
        {"name": "Mia", "role": "mentee", "availability": "tue, thu", "languages": "nl"},
        {"name": "Alex", "role": "mentor", "availability": "thu", "languages": "fr"},
        {"name": "Bo", "role": "mentor", "availability": "mon", "languages": "nl"},
    ]
    weights = ["--set", "availability.weight=3", "--set", "language.weight=1"]
    assert match(people, *only("availability", "language"), *weights).pairs == {"Mia": "Alex"}
    assert match(people, *only("availability", "language"), *weights, "--off", "availability").pairs == {"Mia": "Bo"}


def test_reporting_line_is_a_hard_rule_up_the_chain_and_can_be_switched_off(match) -> None:  # type: ignore[no-untyped-def]
    people = [
        {"name": "Mia", "role": "mentee", "manager": "Tom", "availability": "mon"},
        {"name": "Tom", "role": "mentor", "manager": "Alex", "capacity": 0},  # Alex: Mia's manager's manager
        {"name": "Alex", "role": "mentor", "availability": "mon"},
        {"name": "Bo", "role": "mentor", "availability": "fri"},
    ]
    on = match(people, *only("reporting_line", "availability"))
    assert on.code == 0, on.err
    assert on.pairs == {"Mia": "Bo"}
    assert "Neither of them is in the other's reporting line." in on.why["Mia"]
    off = match(people, *only("reporting_line", "availability"), "--off", "reporting_line")
    assert off.pairs == {"Mia": "Alex"}


def test_reporting_line_also_rules_out_a_mentee_above_the_mentor(match) -> None:  # type: ignore[no-untyped-def]
    people = [
        {"name": "Boss", "role": "mentee"},
        {"name": "Alex", "role": "mentor", "manager": "Boss"},
    ]
    run = match(people)
    assert run.pairs == {}
    assert run.unmatched["Boss"] == "No mentor fits: 1 in the same reporting line."
    assert run.unmatched["Alex"] == "No mentee fits: 1 in the same reporting line."


def test_a_soft_rule_can_be_made_hard(match) -> None:  # type: ignore[no-untyped-def]
    people = [
        {"name": "Mia", "role": "mentee", "languages": "nl"},
        {"name": "Alex", "role": "mentor", "languages": "fr"},
    ]
    soft = match(people)
    assert soft.pairs == {"Mia": "Alex"}
    assert "They have no language in common." in soft.why["Mia"]
    hard = match(people, "--set", "language.hard=true")
    assert hard.pairs == {}
    assert hard.unmatched["Mia"] == "No mentor fits: 1 without a shared language."


def test_focus_sets_the_department_preference(match, workdir: Path) -> None:  # type: ignore[no-untyped-def]
    people = [
        {"name": "Mia", "role": "mentee", "department": "Sales"},
        {"name": "Same", "role": "mentor", "department": "sales"},
        {"name": "Other", "role": "mentor", "department": "IT"},
    ]
    assert match(people, "--focus", "induction").pairs == {"Mia": "Same"}
    assert match(people, "--focus", "growth").pairs == {"Mia": "Other"}
    project = workdir / "mentor-project.yaml"
    project.write_text(
        "schema_version: 1\nlanguage: en\nanswers:\n  step2:\n    programme_focus: growth\n", encoding="utf-8"
    )
    run = match(people)
    assert run.pairs == {"Mia": "Other"}
    assert "Defaults for a programme aimed at growth of existing staff." in run.out
    assert "another department" in run.why["Mia"]
    # the step-3 criteria the organisation ticked win over the focus defaults
    project.write_text(
        "schema_version: 1\nlanguage: en\nanswers:\n  step2:\n    programme_focus: growth\n"
        "  step3:\n    matching_criteria: [same_department]\n",
        encoding="utf-8",
    )
    assert match(people).pairs == {"Mia": "Same"}


def test_experience_gap_range_is_configurable(match) -> None:  # type: ignore[no-untyped-def]
    people = [
        {"name": "Mia", "role": "mentee", "years": 2},
        {"name": "Close", "role": "mentor", "years": 4},
        {"name": "Far", "role": "mentor", "years": 14},
    ]
    assert match(people, *only("experience_gap"), "--gap", "1-5").pairs == {"Mia": "Close"}
    run = match(people, *only("experience_gap"), "--gap", "8-15")
    assert run.pairs == {"Mia": "Far"}
    assert "12 years more experience than the mentee, the right gap (8 to 15 years)" in run.why["Mia"]


def test_settings_from_a_config_file(match, workdir: Path) -> None:  # type: ignore[no-untyped-def]
    people = [
        {"name": "Mia", "role": "mentee", "years": 2},
        {"name": "Close", "role": "mentor", "years": 4},
        {"name": "Far", "role": "mentor", "years": 14},
    ]
    config = workdir / "rules.yaml"
    config.write_text("experience_gap: {min_years: 8, max_years: 15}\nmin_score: 10\n", encoding="utf-8")
    run = match(people, *only("experience_gap"), "--config", str(config))
    assert run.pairs == {"Mia": "Far"}
    assert "Pairs that score below 10 out of 100 are not made." in run.out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--set", "language.weight=heavy"], "setting 'language.weight': should be a number"),
        (["--set", "language.loud=true"], "setting 'language.loud': unknown setting"),
        (["--set", "department.mode=elsewhere"], "setting 'department.mode': should be one of 'same' or 'other'"),
        (["--set", "nonsense"], "should look like rule.setting=value"),
        (["--gap", "9-2"], "min_years is larger than max_years"),
        (["--gap", "lots"], "should be two numbers of years"),
        (["--off", "charm"], "there is no rule 'charm'"),
        (["--pin", "Alex-Mia"], "should look like MENTOR=MENTEE"),
        (["--pin", "Nobody=Mia"], "nobody called 'Nobody'"),
        (["--pin", "Mia=Alex"], "'Mia' is not a mentor"),
        (["--pin", "Alex=Alex"], "cannot be paired with themselves"),
        (["--pin", "Alex=Mia", "--forbid", "Alex=Mia"], "also given with --forbid"),
        (["--pin", "Alex=Mia", "--pin", "Alex=Noor"], "would get 2 pinned mentees but can take 1"),
        (["--out", "sheet.pdf"], "should end in .md, .html or .csv"),
        (["--save"], "no project file to store the pairs in"),
        (["--out", "missing/sheet.md"], "the folder missing does not exist"),
    ],
)
def test_bad_options_fail_in_one_line(
    workdir: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    source = write_people(
        workdir,
        [
            {"name": "Mia", "role": "mentee"},
            {"name": "Noor", "role": "mentee"},
            {"name": "Alex", "role": "mentor", "capacity": 1},
        ],
    )
    code = cli.run(["match", str(source), "--lang", "en", *args])
    captured = capsys.readouterr()
    err = captured.err
    assert code in (ExitCode.USAGE, ExitCode.NO_PROJECT, ExitCode.IO_ERROR), err
    assert captured.out == ""  # checked before any pair is shown or written
    assert len(err.strip().splitlines()) == 1, err
    assert expected in err


# -- pinned and forbidden pairs, capacity, load ---------------------------------
def _two_by_two() -> list[dict[str, str]]:
    return [
        {"name": "Mia", "role": "mentee", "languages": "nl"},
        {"name": "Noor", "role": "mentee", "languages": "fr"},
        {"name": "Alex", "role": "mentor", "languages": "nl"},
        {"name": "Bo", "role": "mentor", "languages": "fr"},
    ]


def test_pinned_pairs_are_kept_and_the_rest_is_optimised_around_them(match) -> None:  # type: ignore[no-untyped-def]
    free = match(_two_by_two())
    assert free.pairs == {"Mia": "Alex", "Noor": "Bo"}
    pinned = match(_two_by_two(), "--pin", "bo = mia")
    assert pinned.pairs == {"Mia": "Bo", "Noor": "Alex"}
    assert pinned.why["Mia"].startswith("You fixed this pair yourself.")
    assert "fixed by you" in pinned.out


def test_forbidden_pairs_are_never_made(match) -> None:  # type: ignore[no-untyped-def]
    run = match(_two_by_two(), "--forbid", "Alex=Mia")
    assert run.pairs == {"Mia": "Bo", "Noor": "Alex"}
    people = _two_by_two()[:3]
    alone = match(people, "--forbid", "Alex=Mia")
    assert alone.pairs == {"Noor": "Alex"}
    assert alone.unmatched["Mia"] == "No mentor fits: 1 you ruled out."


def test_capacity_is_respected_and_the_unmatched_are_told_why(match) -> None:  # type: ignore[no-untyped-def]
    people = [{"name": f"Mentee {k}", "role": "mentee"} for k in range(5)] + [
        {"name": "Alex", "role": "mentor", "capacity": 3},
        {"name": "Bo", "role": "mentor"},  # the default: 1
        {"name": "Cas", "role": "mentor", "capacity": 0},
    ]
    run = match(people)
    assert run.code == 0, run.err
    assert len(run.mentees_of("Alex")) == 3 and len(run.mentees_of("Bo")) == 1
    assert run.mentees_of("Cas") == []
    left = [name for name in run.unmatched if name.startswith("Mentee")]
    assert len(left) == 1
    assert (
        run.unmatched[left[0]]
        == "All 2 mentors who fit are fully booked by mentees for whom they fit as well or better."
    )
    assert run.unmatched["Cas"] == "The capacity is 0, so no mentee was assigned."
    more = match(people, "--set", "capacity_default=2")
    assert len(more.pairs) == 5


def test_default_capacity_comes_from_the_project(match, workdir: Path) -> None:  # type: ignore[no-untyped-def]
    (workdir / "mentor-project.yaml").write_text(
        "schema_version: 1\nlanguage: en\nanswers:\n  step3:\n    mentees_per_mentor: 3\n", encoding="utf-8"
    )
    people = [{"name": f"Mentee {k}", "role": "mentee"} for k in range(3)] + [{"name": "Alex", "role": "mentor"}]
    assert len(match(people).mentees_of("Alex")) == 3


def test_load_is_spread_over_mentors(match) -> None:  # type: ignore[no-untyped-def]
    people = [
        {"name": "Mia", "role": "mentee", "availability": "mon"},
        {"name": "Noor", "role": "mentee", "availability": "mon"},
        {"name": "Alex", "role": "mentor", "capacity": 2, "availability": "mon"},
        {"name": "Bo", "role": "mentor", "capacity": 2, "availability": "fri"},
    ]
    base = [*only("availability", "load_spreading"), "--set", "availability.weight=1"]
    spread = match(people, *base, "--set", "load_spreading.weight=2")
    assert sorted(spread.pairs.values()) == ["Alex", "Bo"]
    piled = match(people, *base, "--off", "load_spreading")
    assert piled.pairs == {"Mia": "Alex", "Noor": "Alex"}
    assert "This mentor guides 2 mentees in this round." not in piled.why["Mia"]  # load rule off: not mentioned
    weak = match(people, *base, "--set", "load_spreading.weight=0.5")
    assert weak.pairs == {"Mia": "Alex", "Noor": "Alex"}
    assert "This mentor guides 2 mentees in this round." in weak.why["Mia"]


def test_a_person_with_both_roles_is_never_their_own_mentor(match) -> None:  # type: ignore[no-untyped-def]
    people = [
        {"name": "Lisa", "role": "both", "years": 9},
        {"name": "Mia", "role": "mentee", "years": 1},
        {"name": "Alex", "role": "mentor", "years": 20},
    ]
    run = match(people, "--set", "capacity_default=2")
    assert run.pairs["Lisa"] == "Alex"
    assert all(mentor != mentee for mentee, mentor in run.pairs.items())


# -- optimality --------------------------------------------------------------------
def _random_group(rng: random.Random) -> list[Participant]:
    depts, langs, tags = ["A", "B"], ["nl", "fr", "en"], ["x", "y", "z"]
    people: list[Participant] = []
    n_mentees, n_mentors = rng.randint(1, 5), rng.randint(1, 3)
    names = [f"P{k}" for k in range(n_mentees + n_mentors)]
    for k, name in enumerate(names):
        role = "mentee" if k < n_mentees else rng.choice(["mentor", "mentor", "both"])
        people.append(
            Participant(
                name=name,
                role=role,  # type: ignore[arg-type]
                department=rng.choice(depts + [""]),
                years=rng.choice([None, *range(0, 25, 3)]),
                line_manager=rng.choice(["", "", *[n for n in names if n != name]]),
                wants=tuple(rng.sample(tags, rng.randint(0, 2))),
                offers=tuple(rng.sample(tags, rng.randint(0, 2))),
                languages=tuple(rng.sample(langs, rng.randint(0, 2))),
                capacity=rng.choice([None, 0, 1, 2, 3]),
                availability=tuple(rng.sample(["mon", "tue"], rng.randint(0, 2))),
            )
        )
    return people


def _brute_force(problem: matching.Problem) -> tuple[int, float]:
    """The best (pairs, score) over every way of giving each free mentee a mentor or none."""
    pinned = {i for i, _, _ in problem.pinned}
    free = [i for i in range(problem.n) if i not in pinned]
    w = problem.settings.load_penalty
    best = (-1, float("-inf"))
    for choice in itertools.product([None, *range(problem.m)], repeat=len(free)):
        load = [0] * problem.m
        total = 0.0
        count = 0
        for i, j, _ in problem.pinned:
            total += problem.raw[i, j] - w * load[j]
            load[j] += 1
            count += 1
        ok = True
        for i, j in zip(free, choice):
            if j is None:
                continue
            if not problem.allowed[i, j] or load[j] >= problem.capacity[j]:
                ok = False
                break
            total += problem.raw[i, j] - w * load[j]
            load[j] += 1
            count += 1
        if ok and (count, total) > (best[0], best[1] + 1e-9):
            best = (count, total)
    return best


@pytest.mark.parametrize("seed", range(60))
def test_on_small_groups_the_optimum_equals_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    people = _random_group(rng)
    overrides = [
        f"{rule}.hard={str(rng.random() < 0.3).lower()}" for rule in ("language", "experience_gap", "department")
    ]
    overrides.append(f"load_spreading.weight={rng.choice([0, 0.5, 1, 3])}")
    if rng.random() < 0.3:
        overrides.append(f"min_score={rng.choice([20, 50])}")
    resolved = matchrules.resolve(
        {"programme_focus": rng.choice(["induction", "growth", "both"])}, "en", sets=overrides
    )
    mentees = [p for p in people if p.is_mentee]
    mentors = [p for p in people if p.is_mentor]
    forbids = []
    options = [(m.name, e.name) for m in mentors for e in mentees if m.name != e.name]
    if options and rng.random() < 0.5:
        forbids.append(rng.choice(options))
    default = resolved.settings.capacity_default
    pinnable = [
        (m.name, e.name)
        for m in mentors
        for e in mentees
        if m.name != e.name
        and (m.capacity if m.capacity is not None else default) > 0
        and (m.name, e.name) not in forbids
    ]
    pins = [rng.choice(pinnable)] if pinnable and rng.random() < 0.3 else []
    problem = matching.Problem(people, resolved.settings, forbids=forbids, pins=pins)
    chosen = matching.solve(problem)
    assert all((problem.mentors[j].name, problem.mentees[i].name) in pins for i, j, _ in problem.pinned)
    assert {(problem.mentors[j].name, problem.mentees[i].name) for i, j, _ in chosen} >= set(pins)
    count, total = problem.value(chosen)
    best_count, best_total = _brute_force(problem)
    assert count == best_count
    assert total == pytest.approx(best_total, abs=1e-6)
    # every pair not pinned by the user is allowed, and no mentor is over capacity
    fixed = {(i, j) for i, j, _ in problem.pinned}
    assert all(problem.allowed[i, j] for i, j, _ in chosen if (i, j) not in fixed)
    loads = [sum(1 for _, j, _ in chosen if j == k) for k in range(problem.m)]
    assert all(load <= cap for load, cap in zip(loads, problem.capacity))
    # the greedy baseline is never better
    g_count, g_total = problem.value(matching.greedy(problem))
    assert (g_count, g_total) <= (count, total + 1e-9)


def test_optimal_beats_greedy_where_greedy_goes_wrong() -> None:
    # Greedy gives Mia her favourite; Noor then has nobody who shares a language.
    people = [
        Participant("Mia", "mentee", languages=("nl", "fr")),
        Participant("Noor", "mentee", languages=("fr",)),
        Participant("Alex", "mentor", languages=("fr",), availability=("mon",)),
        Participant("Bo", "mentor", languages=("nl",)),
    ]
    settings = matchrules.resolve({}, "en", sets=["language.hard=true"]).settings
    problem = matching.Problem(people, settings)
    assert problem.value(matching.greedy(problem))[0] == 1
    result = explaining.explain(problem, matching.solve(problem), matchrules.Words("en"))
    assert {(p.mentor, p.mentee) for p in result.pairs} == {("Bo", "Mia"), ("Alex", "Noor")}


# -- the spreadsheet export, output files, the project ---------------------------------
def test_dutch_export_with_bom_and_semicolons_gives_dutch_sheets(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "mentor-project.yaml").write_text(
        "schema_version: 1\nlanguage: nl\nanswers:\n  setup:\n    org_name: Bakkerij <Janssens> & Zonen\n"
        "  step1:\n    mentor: peter\n    mentors: peters\n  step2:\n    programme_focus: induction\n",
        encoding="utf-8",
    )
    export = workdir / "deelnemers.csv"
    export.write_bytes(
        (
            "\ufeffNaam;Rol;Afdeling;Jaren ervaring;Leidinggevende;Wil leren;Kan aanbieden;Talen;Capaciteit\r\n"
            "An Peeters;peter;Productie;15;;;planning;nl, fr;2\r\n"
            "Sofie | Janssens;mentee;Productie;1;;planning;;Nederlands;\r\n"
            "Karim <b>El</b> Amrani;mentee;Verkoop;2;An Peeters;onderhandelen;;nl;\r\n"
            "Fout;mentee;Verkoop;veel;;;;;\r\n"
        ).encode("utf-8")
    )
    argv = ["match", str(export), "-o", "blad.md", "-o", "blad.html", "-o", "blad.csv"]
    code = cli.run(argv)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "deelnemers.csv: regel 5: jaren ervaring 'veel' is geen getal; rij overgeslagen" in captured.err
    for name in ("blad.md", "blad.html", "blad.csv"):
        assert stat.S_IMODE((workdir / name).stat().st_mode) == 0o600
    rows = list(csv.reader(io.StringIO((workdir / "blad.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Status", "Peter", "Mentee", "Score (0-100)", "Waarom", "Nakijken", "Niet gekozen"]
    assert rows[1][:3] == ["koppel", "An Peeters", "Sofie | Janssens"]
    assert "Beiden werken in Productie" in rows[1][4]
    assert rows[2][0] == "niet gekoppeld" and rows[2][2] == "Karim <b>El</b> Amrani"
    assert rows[2][4] == "Geen enkele peter past: 1 in dezelfde hiërarchische lijn."
    sheets = " ".join((workdir / n).read_text(encoding="utf-8-sig") for n in ("blad.md", "blad.csv"))
    for english in (" the ", " and ", "Why", "weight", "Reason", "Score:"):
        assert english not in sheets, english
    md = (workdir / "blad.md").read_text(encoding="utf-8")
    assert "| An Peeters | Sofie \\| Janssens |" in md
    assert "Karim \\<b\\>El\\</b\\> Amrani" in md
    html = (workdir / "blad.html").read_text(encoding="utf-8")
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    assert doc.get("lang") == "nl"
    assert not doc.findall(".//b") and not doc.findall(".//script") and not doc.findall(".//link")
    assert "Karim <b>El</b> Amrani" in "".join(doc.find(".//body").itertext())
    assert "Bakkerij <Janssens> & Zonen" in "".join(doc.find(".//body").itertext())
    # the plan's look and date format, and no raw Markdown in the footer
    from bmw_mentor.matching.sheet import long_date

    today = dt.date.today()
    written = long_date(today, "nl")
    assert written == f"{today.day} {['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'][today.month - 1]} {today.year}"
    assert f"Gemaakt op {written}" in "".join(doc.find(".//header").itertext())
    assert "".join(doc.find(".//header/p[@class='eyebrow']").itertext()) == "Bakkerij <Janssens> & Zonen"
    assert '"Segoe UI", "Helvetica Neue"' in html and "--navy: #14324f" in html
    footer = doc.find(".//footer")
    assert "`" not in "".join(footer.itertext()) and "".join(footer.find(".//code").itertext()) == "mentor forget NAAM"
    assert f"Gemaakt op {written}" in md
    assert md.rstrip().endswith("Met `mentor forget NAAM` haalt u iemand eruit._")


def test_save_stores_the_pairs_and_keep_saved_holds_them(match, workdir: Path) -> None:  # type: ignore[no-untyped-def]
    project = workdir / "mentor-project.yaml"
    project.write_text("schema_version: 1\nlanguage: en\n", encoding="utf-8")
    run = match(_two_by_two(), "--pin", "Bo=Mia", "--save")
    assert run.code == 0, run.err
    stored = yaml.safe_load(project.read_text(encoding="utf-8"))["pairs"]
    assert {(p["mentor"], p["mentee"]) for p in stored} == {("Bo", "Mia"), ("Alex", "Noor")}
    assert all(0 <= p["score"] <= 100 and p["reasons"] for p in stored)
    assert stat.S_IMODE(project.stat().st_mode) == 0o600
    again = match(_two_by_two(), "--keep-saved")
    assert again.pairs == {"Mia": "Bo", "Noor": "Alex"}
    fresh = match(_two_by_two())
    assert fresh.pairs == {"Mia": "Alex", "Noor": "Bo"}


def test_match_uses_the_participants_list_when_no_file_is_given(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.run(["match", "--lang", "en"]) == ExitCode.PARTICIPANTS_INVALID
    assert "no participants yet" in capsys.readouterr().err
    source = write_people(workdir, _two_by_two())
    assert cli.run(["participants", "add", "--from", str(source)]) == 0
    source.unlink()
    run = Run(workdir, capsys, None)
    assert run.pairs == {"Mia": "Alex", "Noor": "Bo"}


def test_strict_stops_at_a_bad_row(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_people(workdir, [{"name": "Mia", "role": "mentee"}, {"name": "X", "role": "boss"}])
    assert cli.run(["match", str(source), "--strict", "--lang", "en", "-o", "s.csv"]) == ExitCode.PARTICIPANTS_INVALID
    err = capsys.readouterr().err
    assert "line 3: the role 'boss'" in err and len(err.strip().splitlines()) == 1
    assert not (workdir / "s.csv").exists()


# -- forgetting a person ----------------------------------------------------------------
def test_forget_removes_a_person_from_every_file_the_tool_wrote(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = workdir / "mentor-project.yaml"
    project.write_text("schema_version: 1\nlanguage: en\n", encoding="utf-8")
    people = [*_two_by_two(), {"name": "Zoë Devos", "role": "mentee", "manager": "Alex"}]
    source = write_people(workdir, people)
    assert cli.run(["participants", "add", "--from", str(source)]) == 0
    (workdir / "out").mkdir()
    sheets = [workdir / "out" / f"sheet.{ext}" for ext in ("md", "html", "csv")]
    args = ["match", "--lang", "en", "--save", *[a for s in sheets for a in ("-o", str(s))]]
    assert cli.run(args) == 0
    files = [*sheets, project, workdir / "mentor-participants.csv", workdir / "mentor-written.yaml"]
    assert all("Alex" in f.read_text(encoding="utf-8-sig") for f in files)
    capsys.readouterr()

    assert cli.run(["forget", "ALEX"]) == 0
    out = capsys.readouterr().out
    for f in files:
        text = f.read_text(encoding="utf-8-sig")
        assert re.search("alex", text, re.IGNORECASE) is None, f
        assert stat.S_IMODE(f.stat().st_mode) == 0o600
    assert "Mia" in sheets[2].read_text(encoding="utf-8-sig")  # the partner stays, unmatched
    rows = list(csv.reader(io.StringIO(sheets[2].read_text(encoding="utf-8-sig"))))
    assert ["not matched", "", "Mia", "", "The other person in this pair was removed from this sheet.", "", ""] in rows
    assert "removed as line manager of 1 person." in out
    # the spreadsheet the user gave is theirs: untouched, but mentioned
    assert "Alex" in source.read_text(encoding="utf-8")
    assert f"{source} may still hold this name" in out

    assert cli.run(["forget", "Alex"]) == ExitCode.USAGE
    assert "nobody called 'Alex'" in capsys.readouterr().err
    assert cli.run(["forget", "Zoe Devos"]) == ExitCode.USAGE
    assert "did you mean: Zoë Devos" in capsys.readouterr().err


def test_explanations_never_contain_names() -> None:
    people = [
        Participant(
            "Mia Unique",
            "mentee",
            department="Sales",
            years=1,
            line_manager="Tom Boss",
            wants=("excel",),
            languages=("nl",),
            availability=("mon",),
        ),
        Participant(
            "Alex Unique",
            "mentor",
            department="IT",
            years=9,
            offers=("excel",),
            languages=("nl",),
            availability=("mon",),
            capacity=2,
        ),
        Participant("Tom Boss", "mentor", department="Sales", years=20),
    ]
    settings = matchrules.resolve({"programme_focus": "growth"}, "en").settings
    result = explaining.match(people, settings, matchrules.Words("en"), pins=[("Tom Boss", "Mia Unique")])
    text = " ".join([*result.pairs[0].reasons, *(u.reason for u in result.unmatched)])
    for name in ("Mia", "Alex", "Tom", "Unique", "Boss"):
        assert name not in text
    assert "Careful: one of them is in the other's reporting line." in result.pairs[0].reasons


def test_forget_covers_every_run_and_drops_sheets_that_are_gone(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_people(workdir, _two_by_two())
    assert cli.run(["match", str(source), "--lang", "en", "-o", "first.md"]) == 0
    assert cli.run(["match", str(source), "--lang", "nl", "-o", "second.html", "-o", "first.csv"]) == 0
    (workdir / "first.md").unlink()
    capsys.readouterr()
    assert cli.run(["forget", "Noor"]) == 0
    out = capsys.readouterr().out
    assert "first.md: no longer exists" in out
    for name in ("second.html", "first.csv", "mentor-written.yaml"):
        assert "Noor" not in (workdir / name).read_text(encoding="utf-8-sig"), name
    assert "Bo" in (workdir / "second.html").read_text(encoding="utf-8")  # the partner stays, in Dutch
    assert "De andere persoon van dit koppel werd uit dit blad verwijderd." in (workdir / "first.csv").read_text(
        encoding="utf-8-sig"
    )


def test_a_large_group_is_shown_without_reasons_which_stay_in_the_sheet(match) -> None:  # type: ignore[no-untyped-def]
    people = [{"name": f"Mentee {k}", "role": "mentee"} for k in range(45)]
    people += [{"name": f"Mentor {k}", "role": "mentor", "capacity": 3} for k in range(15)]
    run = match(people)
    assert len(run.pairs) == 45 and all(run.why.values())
    assert "Why" not in run.out and "Pairs (45)" in run.out

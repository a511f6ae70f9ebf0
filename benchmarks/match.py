"""Benchmark of `mentor match`: the solver alone against the whole command, and peak memory.

Generates groups of mentees and mentors (with capacities, departments, a
reporting hierarchy, learning tags, languages and availability), writes them
as a spreadsheet export and, in one run, measures for each size:

* solver: scoring every pair + ``linear_sum_assignment`` + explanations, in this process;
* greedy: the same scoring + each mentee in turn taking the best free mentor (quality baseline);
* baseline: a fresh Python that makes the command's imports and solves the same cost matrix;
* command: ``mentor match FILE --out pairs.csv`` in a fresh process, twice (the second run
  finds the index of written files of the first), with its peak memory.

Targets: at 2,000 × 500 the command takes at most 1.5 × the baseline, and the
repeated run is no slower than the first (within 10 %); at 10,000 × 2,000 the
command's peak memory stays under 1 GB; the optimal assignment scores at least
as well as greedy.

    python benchmarks/match.py [--sizes 2000x500,10000x2000] [--repeat 3] [--seed 7]

Exit code 1 when a target is missed.
"""

from __future__ import annotations

import os

# Hold numpy's thread pools to the 2 cores the target is set for.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "2")

import argparse  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from bmw_mentor.matching import assign as matching
from bmw_mentor.matching import explain as explaining
from bmw_mentor.matching import reading
from bmw_mentor.matching import rules as matchrules

DEPARTMENTS = ["Productie", "Verkoop", "Logistiek", "Financiën", "HR", "IT", "Onderhoud", "Kwaliteit", "Aankoop", "R&D"]
SKILLS = [
    "planning",
    "safety",
    "negotiation",
    "excel",
    "leadership",
    "customer care",
    "lean",
    "budgeting",
    "coaching",
    "presenting",
    "project management",
    "quality",
    "purchasing",
    "maintenance",
    "sql",
    "python",
    "marketing",
    "law",
    "hr policy",
    "logistics",
    "welding",
    "cnc",
    "sales",
    "export",
    "writing",
    "time management",
    "conflict handling",
    "strategy",
    "data analysis",
    "automation",
]
LANGUAGES = ["nl", "fr", "en", "de"]
DAYS = ["mon", "tue", "wed", "thu", "fri"]


def generate(mentees: int, mentors: int, seed: int) -> bytes:
    """A spreadsheet export (UTF-8 with BOM, ';') with a realistic mix of people."""
    rng = random.Random(seed)
    header = "naam;rol;afdeling;jaren ervaring;leidinggevende;wil leren;kan aanbieden;talen;capaciteit;beschikbaarheid"
    rows = [header]
    mentor_names = [f"Mentor {k:04d}" for k in range(mentors)]
    # the first tenth of the mentors are the managers of the others and of the mentees
    bosses = mentor_names[: max(1, mentors // 10)]
    for k, name in enumerate(mentor_names):
        boss = "" if k < len(bosses) else rng.choice(bosses)
        if k < len(bosses) and k > 0:
            boss = bosses[0]
        rows.append(
            ";".join(
                [
                    name,
                    "mentor",
                    rng.choice(DEPARTMENTS),
                    str(rng.randint(4, 35)),
                    boss,
                    "",
                    ", ".join(rng.sample(SKILLS, rng.randint(2, 6))),
                    ", ".join(_languages(rng)),
                    str(rng.choice([1, 2, 3, 3, 4, 5])),
                    ", ".join(rng.sample(DAYS, rng.randint(1, 4))),
                ]
            )
        )
    for k in range(mentees):
        rows.append(
            ";".join(
                [
                    f"Mentee {k:04d}",
                    "mentee",
                    rng.choice(DEPARTMENTS),
                    str(rng.randint(0, 12)),
                    rng.choice(mentor_names) if rng.random() < 0.8 else "",
                    ", ".join(rng.sample(SKILLS, rng.randint(1, 4))),
                    "",
                    ", ".join(_languages(rng)),
                    "",
                    ", ".join(rng.sample(DAYS, rng.randint(1, 3))),
                ]
            )
        )
    return ("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8")


def _languages(rng: random.Random) -> list[str]:
    first = rng.choices(LANGUAGES, weights=[6, 3, 1, 0.5])[0]
    more = [lang for lang in LANGUAGES if lang != first and rng.random() < 0.35]
    return [first, *more]


# The imports `mentor match` makes: the baseline pays for them too.
BASELINE = """
import sys, time
t0 = time.perf_counter()
import typer, rich, rich.table, yaml, pydantic, numpy, scipy.optimize, python_calamine
from bmw_mentor.matching import assign, explain, reading, rules, sheet
cost = numpy.load(sys.argv[1])
scipy.optimize.linear_sum_assignment(cost)
"""
RATIO_TARGET = 1.5
MEMORY_TARGET_MB = 1024


def _mentor() -> str:
    found = shutil.which("mentor", path=os.path.dirname(sys.executable)) or shutil.which("mentor")
    if found is None:
        raise SystemExit("the `mentor` command is not installed next to this Python")
    return found


def _timed(argv: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time (s) and peak memory (MB) of one process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTOR_")}
    env["MENTOR_NO_CACHE"] = "0"
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {err.strip()[:300]}")
    return elapsed, usage.ru_maxrss / 1024


def measure(mentees: int, mentors: int, repeat: int, seed: int, folder: Path) -> dict[str, float]:
    """Every figure for one size of group."""
    path = folder / f"participants-{mentees}x{mentors}.csv"
    path.write_bytes(generate(mentees, mentors, seed))
    sheet = reading.read(path, "en")
    if sheet.bad:
        raise SystemExit(f"unexpected bad rows: {sheet.bad[:3]}")
    people = sheet.people
    resolved = matchrules.resolve({}, "en")
    words = matchrules.Words("en")
    slots = sum(p.capacity or 0 for p in people if p.is_mentor)

    solver: list[float] = []
    greedy: list[float] = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        problem = matching.Problem(people, resolved.settings)
        chosen = matching.solve(problem)
        result = explaining.explain(problem, chosen, words)
        solver.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        baseline_choice = matching.greedy(matching.Problem(people, resolved.settings))
        greedy.append(time.perf_counter() - t0)
    opt_n, opt_total = problem.value(chosen)
    gre_n, gre_total = problem.value(baseline_choice)
    cost = folder / "cost.npy"
    np.save(cost, matching.cost_matrix(problem))
    del problem

    base = [_timed([sys.executable, "-c", BASELINE, str(cost)], folder)[0] for _ in range(repeat)]
    cost.unlink()
    argv = [_mentor(), "match", str(path), "--out", "pairs.csv"]
    firsts = []
    for k in range(repeat):  # each in a fresh folder: no index of written files yet
        work = folder / f"run-{mentees}-{k}"
        work.mkdir()
        firsts.append(_timed(argv, work))
    again = [_timed(argv, work) for _ in range(repeat)]  # the same folder again and again
    first, first_mb = statistics.median(t for t, _ in firsts), max(mb for _, mb in firsts)
    return {
        "mentees": mentees,
        "mentors": mentors,
        "slots": slots,
        "solver": statistics.median(solver),
        "greedy": statistics.median(greedy),
        "baseline": statistics.median(base),
        "first": first,
        "again": statistics.median(t for t, _ in again),
        "memory": max([first_mb, *(mb for _, mb in again)]),
        "pairs": opt_n,
        "gain": opt_total - gre_total,
        "greedy_pairs": gre_n,
        "explained": len(result.pairs),
    }


def run(sizes: list[tuple[int, int]], repeat: int, seed: int) -> int:
    ok = True
    print(f"cores: {os.cpu_count()}; medians of {repeat}; times in seconds, memory in MB")
    print(f"{'group':>13} {'places':>6} {'solver':>7} {'greedy':>7} {'baseline':>8} {'command':>8} "
          f"{'again':>6} {'ratio':>6} {'peak MB':>8}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for mentees, mentors in sizes:
            f = measure(mentees, mentors, repeat, seed, Path(tmp))
            ratio = f["first"] / f["baseline"]
            print(
                f"{mentees:>6}×{mentors:<6} {f['slots']:>6} {f['solver']:7.2f} {f['greedy']:7.2f} "
                f"{f['baseline']:8.2f} {f['first']:8.2f} {f['again']:6.2f} {ratio:6.2f} {f['memory']:8.0f}"
            )
            if (f["pairs"], f["gain"]) < (f["greedy_pairs"], -1e-6):
                print("MISSED: the optimal assignment scored below greedy")
                ok = False
            if mentees <= 2000 and ratio > RATIO_TARGET:
                print(f"MISSED: the command took {ratio:.2f} × the baseline (target {RATIO_TARGET})")
                ok = False
            if f["again"] > f["first"] * 1.1:
                print(f"MISSED: a repeated run took {f['again']:.2f} s against {f['first']:.2f} s the first time")
                ok = False
            if mentees >= 10000 and f["memory"] > MEMORY_TARGET_MB:
                print(f"MISSED: peak memory {f['memory']:.0f} MB (target {MEMORY_TARGET_MB} MB)")
                ok = False
    print("targets met" if ok else "targets missed")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000x500,10000x2000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sizes = [tuple(int(x) for x in size.split("x")) for size in args.sizes.split(",")]
    return run(sizes, args.repeat, args.seed)  # type: ignore[arg-type]


if __name__ == "__main__":
    sys.exit(main())

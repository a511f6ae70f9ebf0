"""Start-up cost of ``mentor``, as ratios to a baseline measured in the same run.

Baseline: ``python -c "import typer, rich, questionary, pydantic, yaml, jinja2"``.
Measured:
- ``mentor --help`` (target: median at most 0.65 x the baseline);
- ``mentor status`` and ``mentor export plan.html`` on the largest example project;
- time to the first question of ``mentor init --lang en`` in a pseudo-terminal
  (target: at most 1.5 x the baseline).

Run: ``python benchmarks/startup.py [--runs N]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BASELINE = [sys.executable, "-c", "import typer, rich, questionary, pydantic, yaml, jinja2"]


def mentor() -> str:
    found = shutil.which("mentor", path=os.path.dirname(sys.executable)) or shutil.which("mentor")
    if not found:
        sys.exit("benchmarks: install the package first (pip install .)")
    return found


def env() -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("MENTOR_")}
    out.update({"PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm-256color", "LANG": "C.UTF-8"})
    return out


def wall(cmd: list[str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env(), cwd=cwd, check=False)
    return time.perf_counter() - start


def first_prompt() -> float:
    """Seconds from starting ``mentor init --lang en`` in a pty until its first question is on screen."""
    import pexpect

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        child = pexpect.spawn(mentor(), ["init", "--lang", "en"], cwd=folder, env=env(), encoding="utf-8", timeout=30)
        child.expect_exact("question 1 of")
        child.expect_exact("?")
        took = time.perf_counter() - start
        child.terminate(force=True)
        return took


def largest_example() -> Path | None:
    projects = sorted(REPO.glob("examples/*/mentor-project.yaml"), key=lambda p: p.stat().st_size)
    return projects[-1] if projects else None


def median(fn: Callable[[], float], runs: int) -> float:
    fn()  # warm the file-system cache
    return statistics.median(fn() for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    exe = mentor()
    rows: list[tuple[str, float, float | None]] = []
    base = median(lambda: wall(BASELINE), args.runs)
    rows.append(("baseline: import typer, rich, questionary, pydantic, yaml, jinja2", base, None))
    rows.append(("mentor --help", median(lambda: wall([exe, "--help"]), args.runs), 0.65))
    example = largest_example()
    if example is not None:
        rows.append((f"mentor status ({example.parent.name})",
                     median(lambda: wall([exe, "status", "-p", str(example)]), args.runs), None))  # fmt: skip
        with tempfile.TemporaryDirectory() as out:
            target = str(Path(out) / "plan.html")
            rows.append((f"mentor export plan.html ({example.parent.name})",
                         median(lambda: wall([exe, "export", target, "-p", str(example)]), args.runs), None))  # fmt: skip
    rows.append(("first question of mentor init (pty)", median(first_prompt, args.runs), 1.5))
    print(f"{'measurement':58} {'median s':>9} {'ratio':>7} {'target':>7}")
    for name, seconds, target in rows:
        ratio = seconds / base
        goal = f"<= {target}" if target else ""
        flag = "" if target is None or ratio <= target else "  (over target)"
        print(f"{name:58} {seconds:9.3f} {ratio:7.2f} {goal:>7}{flag}")


if __name__ == "__main__":
    main()

"""How long `mentor export` of the largest example takes: HTML against importing its main libraries,
and Word (.docx) against HTML.

    python benchmarks/export.py [--runs N]

The commands run as fresh processes, interleaved, N times each (after one
warm-up run of each); the script prints the median wall time of each and the
ratios. Targets: HTML / imports <= 1.5, and .docx / .html <= 1.5.

Measured as installed: Python may write bytecode (PYTHONDONTWRITEBYTECODE is
dropped for the runs; pip compiles a wheel's modules at install time, and the
libraries of the baseline come compiled too), and the warm-up fills mentor's
caches of validated checklists and compiled templates, as any first run does.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.5


def largest_example() -> Path:
    projects = sorted(ROOT.glob("examples/*/mentor-project.yaml"), key=lambda p: p.stat().st_size)
    if not projects:
        sys.exit("no example project files under examples/; run examples/regenerate.py first")
    return projects[-1]


def mentor_command() -> list[str]:
    beside = Path(sys.executable).with_name("mentor")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("mentor")
    if found:
        return [found]
    return [sys.executable, "-m", "bmw_mentor"]


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    project = largest_example()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "MENTOR_NO_CACHE")}
    with tempfile.TemporaryDirectory() as tmp:
        export = [*mentor_command(), "export", str(Path(tmp) / "plan.html"), "--project", str(project)]
        word = [*mentor_command(), "export", str(Path(tmp) / "plan.docx"), "--project", str(project)]
        baseline = [sys.executable, "-c", "import jinja2, pydantic, yaml"]
        for cmd in (export, word, baseline):
            timed(cmd, env)
        export_times, word_times, base_times = [], [], []
        for _ in range(args.runs):
            export_times.append(timed(export, env))
            word_times.append(timed(word, env))
            base_times.append(timed(baseline, env))
    export_ms = statistics.median(export_times) * 1000
    word_ms = statistics.median(word_times) * 1000
    base_ms = statistics.median(base_times) * 1000
    ratio = export_ms / base_ms
    word_ratio = word_ms / export_ms
    print(f"example:                          {project.relative_to(ROOT)}")
    print(f"runs:                             {args.runs} each, interleaved")
    print(f"mentor export plan.html (median): {export_ms:7.1f} ms")
    print(f"mentor export plan.docx (median): {word_ms:7.1f} ms")
    print(f"import jinja2, pydantic, yaml:    {base_ms:7.1f} ms")
    print(f"ratio html / imports:             {ratio:7.2f}  (target <= {TARGET_RATIO})")
    print(f"ratio docx / html:                {word_ratio:7.2f}  (target <= {TARGET_RATIO})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

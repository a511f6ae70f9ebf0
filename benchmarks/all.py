"""Run every benchmark with one command; each prints ratios to a baseline measured in the same run.

    python benchmarks/all.py [--runs N]

- startup.py: ``mentor --help``, ``mentor status``, ``mentor export`` and the first question of
  ``mentor init``, against ``import typer, rich, questionary, pydantic, yaml, jinja2``;
- export.py: ``mentor export`` of the largest example, against ``import jinja2, pydantic, yaml``, and
  ``plan.docx`` against ``plan.html``;
- match.py: optimal matching of 2,000 mentees and 500 mentors, against a greedy baseline.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    failed = 0
    for script, extra in (("startup.py", ["--runs", str(args.runs)]), ("export.py", ["--runs", str(args.runs)]),
                          ("match.py", [])):  # fmt: skip
        print(f"\n== {script} ==", flush=True)
        failed |= subprocess.run([sys.executable, str(HERE / script), *extra], check=False).returncode
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

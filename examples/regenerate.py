"""Regenerate the committed example exports (plan.html, .md, .docx, .pdf, .ics) and the shipped JSON Schemas.

    python examples/regenerate.py            # re-export every example
    python examples/regenerate.py --reinit   # first rebuild each project file from its answers.yaml

tests/test_examples.py fails when a committed export differs from what the
templates produce now; run this script after changing templates or plans.yaml.
tests/projectfile/test_schemas.py fails when the schemas shipped in
src/bmw_mentor/schemas/ differ from the checklists; this script writes them too.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bmw_mentor.cli import run

HERE = Path(__file__).resolve().parent
SCHEMAS = HERE.parent / "src" / "bmw_mentor" / "schemas"
EXPORTS = ("plan.html", "plan.md", "plan.docx", "plan.pdf", "plan.ics")


def examples() -> list[Path]:
    """Every example folder (one holding an answers.yaml)."""
    return sorted(p.parent for p in HERE.glob("*/answers.yaml"))


def main(argv: list[str]) -> int:
    reinit = "--reinit" in argv
    code = run(["schema", str(SCHEMAS)])
    if code:
        return code
    for folder in examples():
        project = folder / "mentor-project.yaml"
        if reinit or not project.exists():
            answers = folder / "answers.yaml"
            if project.exists():
                project.unlink()
            code = run(["init", "--answers", str(answers), "-p", str(project)])
            if code:
                return code
        for name in EXPORTS:
            code = run(["export", str(folder / name), "-p", str(project)])
            if code:
                return code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

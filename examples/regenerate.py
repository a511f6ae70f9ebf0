"""Regenerate the committed example exports (plan.html, .md, .docx, .pdf, .ics) and the shipped JSON Schemas.

An example with a participants file (deelnemers.csv / participants.csv) gets its pairs from
`mentor match --save` when its project is rebuilt; one with evaluation answers
(antwoorden-*.csv / responses-*.csv) also gets its evaluation report (evaluation.html, .md, .docx, .pdf).

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
PARTICIPANTS = ("deelnemers.csv", "participants.csv")
RESPONSES = ("antwoorden-*.csv", "responses-*.csv")
REPORTS = ("evaluation.html", "evaluation.md", "evaluation.docx", "evaluation.pdf")


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
            for name in PARTICIPANTS:
                if (folder / name).exists():
                    code = run(["match", str(folder / name), "--save", "-p", str(project)])
                    if code:
                        return code
        for name in EXPORTS:
            code = run(["export", str(folder / name), "-p", str(project)])
            if code:
                return code
        responses = sorted(str(p) for pattern in RESPONSES for p in folder.glob(pattern))
        if responses:
            outs = [arg for name in REPORTS for arg in ("--out", str(folder / name))]
            code = run(["evaluate", *responses, *outs, "-p", str(project)])
            if code:
                return code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Any project file the loader accepts exports without an internal error, whatever its answers hold."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from exportkit import export, parse_html, write_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bmw_mentor.framework.checklist import shipped

QUESTIONS = sorted(shipped().questions)
STEP_OF = {qid: shipped().step_of[qid].id for qid in QUESTIONS}
CHOICES = sorted({c.id for q in shipped().questions.values() for c in q.choices})

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=400),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6),
    st.dates(),  # the whole calendar, year 1 to 9999: a plan outside 1900-2200 has its dates to decide
    st.text(max_size=30),
    st.sampled_from(CHOICES),
    st.lists(st.one_of(st.sampled_from(CHOICES), st.text(max_size=12)), max_size=4),
)


def _any_answers_export(lang: str, answers: dict[str, Any]) -> None:
    data: dict[str, Any] = {"schema_version": 1, "language": lang, "answers": {}}
    for qid, value in answers.items():
        data["answers"].setdefault(STEP_OF[qid], {})[qid] = value
    with tempfile.TemporaryDirectory() as tmp:
        project = write_project(Path(tmp) / "p.yaml", data)
        for ext in ("html", "md", "ics"):
            code = export(project, Path(tmp) / f"plan.{ext}")
            assert code == 0, (ext, code)
        root = parse_html((Path(tmp) / "plan.html").read_text(encoding="utf-8"))
        assert root.get("lang") == lang


_STRATEGIES = {"lang": st.sampled_from(["en", "nl"]), "answers": st.dictionaries(st.sampled_from(QUESTIONS), values, max_size=40)}
# a quick run in every test run; the long one behind the `slow` marker
test_any_answers_export = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])(
    given(**_STRATEGIES)(_any_answers_export)
)
test_any_answers_export_long = pytest.mark.slow(
    settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])(
        given(**_STRATEGIES)(_any_answers_export)
    )
)

"""Fuzzing the project file: every input loads correctly or fails with one line, and is never modified."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bmw_mentor import cli
from bmw_mentor.errors import ExitCode

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(REPO.glob("examples/*/mentor-project.yaml"))
GOOD = EXAMPLES[0].read_text(encoding="utf-8") if EXAMPLES else "schema_version: 1\nlanguage: en\nanswers: {}\n"
COMMANDS: list[list[str]] = [["status"]]
if (REPO / "templates").is_dir():
    COMMANDS.append(["export", "{out}/plan.html"])
    COMMANDS.append(["export", "{out}/plan.md"])
    COMMANDS.append(["export", "{out}/plan.ics"])



def fuzz(test: Callable[..., None], **strategies: Any) -> tuple[Callable[..., None], Callable[..., None]]:
    """The same property twice: a quick run in every test run, and a long one behind the ``slow`` marker."""
    checks = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
    quick = settings(max_examples=25, deadline=None, suppress_health_check=checks)(given(**strategies)(test))
    many = int(os.environ.get("MENTOR_FUZZ_EXAMPLES", "400"))
    long = settings(max_examples=many, deadline=None, suppress_health_check=checks)(given(**strategies)(test))
    return quick, pytest.mark.slow(long)


def check_outcome(tmp_path: Path, content: bytes) -> None:
    """Run every command on ``content``; each must succeed or fail with one line, leaving the file alone."""
    path = tmp_path / "mentor-project.yaml"
    path.write_bytes(content)
    before = (content, path.stat().st_mtime_ns)
    out_dir = tmp_path / "out"
    out_dir.mkdir(exist_ok=True)
    for template in COMMANDS:
        args = [a.format(out=out_dir) for a in template] + ["--project", str(path)]
        err = io.StringIO()
        with redirect_stderr(err), redirect_stdout(io.StringIO()):
            code = cli.run(args)
        message = err.getvalue()
        assert code in (ExitCode.OK, ExitCode.PROJECT_INVALID), (args, code, message)
        if code != ExitCode.OK:
            assert len(message.strip().splitlines()) == 1, message
            assert str(path) in message
        assert "Traceback" not in message
        assert (path.read_bytes(), path.stat().st_mtime_ns) == before


yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
    st.dates(), st.datetimes(),
)  # fmt: skip
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(st.text(max_size=12), children, max_size=5)),
    max_leaves=25,
)


def _random_yaml(tmp_path: Path, data: Any) -> None:
    check_outcome(tmp_path, yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))


test_random_yaml, test_random_yaml_long = fuzz(_random_yaml, data=yaml_values)


FIELDS = ["schema_version", "language", "created", "updated", "steps_completed", "answers", "pairs"]


def _valid_file_with_one_field_mutated(tmp_path: Path, field: str, value: Any) -> None:
    data = yaml.safe_load(GOOD)
    data[field] = value
    check_outcome(tmp_path, yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))


test_valid_file_with_one_field_mutated, test_valid_file_with_one_field_mutated_long = fuzz(_valid_file_with_one_field_mutated, field=st.sampled_from(FIELDS), value=yaml_values)


def _valid_file_with_one_answer_mutated(tmp_path: Path, data: st.DataObject) -> None:
    project = yaml.safe_load(GOOD)
    steps = sorted(project.get("answers", {}) or {"setup": {}})
    step = data.draw(st.sampled_from(steps))
    answers = project.setdefault("answers", {}).setdefault(step, {}) or {}
    key = data.draw(st.sampled_from(sorted(answers) or ["org_name"]))
    answers[key] = data.draw(yaml_values)
    project["answers"][step] = answers
    check_outcome(tmp_path, yaml.safe_dump(project, allow_unicode=True).encode("utf-8"))


test_valid_file_with_one_answer_mutated, test_valid_file_with_one_answer_mutated_long = fuzz(_valid_file_with_one_answer_mutated, data=st.data())


def _truncated_file(tmp_path: Path, cut: int) -> None:
    check_outcome(tmp_path, GOOD.encode("utf-8")[:cut])


test_truncated_file, test_truncated_file_long = fuzz(_truncated_file, cut=st.integers(min_value=0, max_value=len(GOOD.encode("utf-8"))))


def _binary_junk(tmp_path: Path, junk: bytes) -> None:
    check_outcome(tmp_path, junk)


test_binary_junk, test_binary_junk_long = fuzz(_binary_junk, junk=st.binary(max_size=2000))


def _random_text(tmp_path: Path, text: str) -> None:
    check_outcome(tmp_path, text.encode("utf-8", "surrogatepass"))


test_random_text, test_random_text_long = fuzz(_random_text, text=st.text(max_size=400))


@pytest.mark.parametrize("megabytes", [1, pytest.param(4, marks=pytest.mark.slow)])
def test_files_of_several_megabytes(tmp_path: Path, megabytes: int) -> None:
    big = GOOD + "\n# " + "x" * (megabytes * 1_000_000) + "\n"
    check_outcome(tmp_path, big.encode("utf-8"))
    data = yaml.safe_load(GOOD)
    data.setdefault("answers", {}).setdefault("step1", {})["vision_achieve"] = "word " * (megabytes * 200_000)
    check_outcome(tmp_path, yaml.safe_dump(data).encode("utf-8"))
    check_outcome(tmp_path, b"[" * (megabytes * 100_000))  # deeply nested


def test_empty_file(tmp_path: Path) -> None:
    check_outcome(tmp_path, b"")
    check_outcome(tmp_path, b"\n\n")

"""JSON Schemas for editors: generated from the model and the checklists, shipped, and true to mentor's own checks."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator
from pydantic import ValidationError

from bmw_mentor import cli
from bmw_mentor.framework.answers import AnswerError, normalise
from bmw_mentor.framework.schema import Checklists, Question
from bmw_mentor.projectfile import progress, schemas
from bmw_mentor.projectfile.project import PROJECT_SCHEMA, Project

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p.parent for p in (REPO / "examples").glob("*/answers.yaml"))


def as_editor_sees(data: Any) -> Any:
    """YAML as an editor's language server reads it: dates and times are text, as written."""
    return json.loads(json.dumps(data, default=str))


def load(path: Path) -> Any:
    return as_editor_sees(yaml.safe_load(path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Draft7Validator]:
    """Both schemas, as `mentor schema DIR` writes them."""
    folder = tmp_path_factory.mktemp("schemas") / "new folder"
    assert cli.run(["schema", str(folder)]) == 0
    out = {}
    for name in (PROJECT_SCHEMA, schemas.ANSWERS_SCHEMA):
        schema = json.loads((folder / name).read_text(encoding="utf-8"))
        Draft7Validator.check_schema(schema)
        out[name] = Draft7Validator(schema)
    return out


def errors(validator: Draft7Validator, data: Any) -> list[str]:
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_examples_follow_both_schemas(example: Path, written: dict[str, Draft7Validator]) -> None:
    project = load(example / "mentor-project.yaml")
    assert errors(written[PROJECT_SCHEMA], project) == []
    assert errors(written[schemas.ANSWERS_SCHEMA], load(example / "answers.yaml")) == []
    # a whole project file is a valid answers file too (README: "A project file works as well")
    assert errors(written[schemas.ANSWERS_SCHEMA], project) == []


def test_files_mentor_writes_name_their_schema(tmp_path: Path) -> None:
    path = tmp_path / "mentor-project.yaml"
    assert cli.run(["init", "--lang", "en", "--answers", str(EXAMPLES[0] / "answers.yaml"), "-p", str(path)]) == 0
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=mentor-project.schema.json"
    for example in EXAMPLES:
        assert (example / "mentor-project.yaml").read_text(encoding="utf-8").splitlines()[0] == first
        # the hand-written answers point at the copy shipped in the package, so the link works in a checkout
        line = (example / "answers.yaml").read_text(encoding="utf-8").splitlines()[0]
        target = (example / line.split("$schema=", 1)[1]).resolve()
        assert target == (REPO / "src" / "bmw_mentor" / "schemas" / schemas.ANSWERS_SCHEMA).resolve()
        # and that checkout copy is the one the installed package carries
        assert target.read_bytes() == (schemas.shipped_dir() / schemas.ANSWERS_SCHEMA).read_bytes()


def _broken(project: dict[str, Any], checklists: Checklists) -> dict[str, dict[str, Any]]:
    """One damaged copy of a good project file per kind of mistake a person makes by hand."""
    first_single = next(q for q in checklists.questions.values() if q.type == "single" and not q.other)
    first_multi = next(q for q in checklists.questions.values() if q.type == "multi" and not q.other)
    bounded = next(q for q in checklists.questions.values() if q.type == "number" and q.validation and q.validation.max)
    a_date = next(q for q in checklists.questions.values() if q.type == "date")
    yes_no = next(q for q in checklists.questions.values() if q.type == "yes_no")

    def with_answer(q: Question, value: Any) -> dict[str, Any]:
        data = copy.deepcopy(project)
        data["answers"].setdefault(checklists.step_of[q.id].id, {})[q.id] = value
        return data

    cases = {
        "misspelt question id": copy.deepcopy(project),
        "choice id that does not exist": with_answer(first_single, "no_such_choice"),
        "checkbox answer with an unknown id": with_answer(first_multi, [first_multi.choices[0].id, "nope"]),
        "number above its maximum": with_answer(bounded, bounded.validation.max + 1),  # type: ignore[union-attr]
        "number written as words": with_answer(bounded, "twelve"),
        "date in the wrong shape": with_answer(a_date, "March 2027"),
        "yes/no as text": with_answer(yes_no, "maybe"),
        "unknown top-level field": {**copy.deepcopy(project), "colour": "blue"},
        "unknown language": {**copy.deepcopy(project), "language": "fr"},
        "no language": {k: v for k, v in project.items() if k != "language"},
        "unknown step": {**copy.deepcopy(project), "answers": {**project["answers"], "step9": {}}},
    }
    cases["misspelt question id"]["answers"]["setup"]["org_nmae"] = "Acme"
    return cases


def test_broken_project_files_fail_the_schema(written: dict[str, Draft7Validator], checklists: Checklists) -> None:
    project = load(EXAMPLES[0] / "mentor-project.yaml")
    assert errors(written[PROJECT_SCHEMA], project) == []
    for mistake, data in _broken(project, checklists).items():
        assert errors(written[PROJECT_SCHEMA], data), f"the schema let through: {mistake}"
        # mentor itself refuses each of them too: the editor warns about nothing mentor would accept
        assert _mentor_refuses(data, checklists), f"mentor accepts what the schema refuses: {mistake}"


def _mentor_refuses(data: dict[str, Any], checklists: Checklists) -> bool:
    """Whether mentor rejects the file, or asks again for an answer in it, or does not know a name in it."""
    try:
        loaded = Project.model_validate(data)
    except ValidationError:
        return True
    known_steps = {s.id for s in checklists.steps}
    return (
        any(progress.saved_problem(q, loaded) is not None for q in checklists.questions.values())
        or any(step_id not in known_steps for step_id in loaded.answers)
        or any(qid not in checklists.questions for step in loaded.answers.values() for qid in step)
    )


def _candidates(q: Question) -> list[Any]:
    """Answers a consultant might write, right and wrong, for question ``q``."""
    words = ["", "  ", "x", "Acme", 12, 0, -1, 2.5, 1000000, True, False, None, [], ["x"], "yes", "ja", "Nee", "maybe",
             "2027-03-01", "1/3/2027", "31/13/2027", "2027-13-01", "03/01/2027 ", "12", "a" * 5000]
    for c in q.choices[:3]:
        words += [c.id, c.label.en, c.label.nl, [c.id], [c.label.nl], [c.id, c.id]]
    if len(q.choices) > 1:
        words.append([c.id for c in q.choices])
    return words


def test_answers_schema_never_accepts_what_mentor_refuses(
    written: dict[str, Draft7Validator], checklists: Checklists
) -> None:
    """For every question and many candidate answers: if the editor says fine, mentor takes it."""
    validator = written[schemas.ANSWERS_SCHEMA]
    accepted = 0
    for q in checklists.questions.values():
        for value in _candidates(q):
            data = as_editor_sees({checklists.step_of[q.id].id: {q.id: value}})
            if errors(validator, data):
                continue
            try:
                normalise(q, value, "en")
            except AnswerError as exc:
                pytest.fail(f"{q.id} = {value!r}: the schema accepts it, mentor says: {exc}")
            accepted += 1
    assert accepted > 5 * len(checklists.questions)  # the schema is no wall: plenty of good answers pass


def test_shipped_schemas_are_current(checklists: Checklists) -> None:
    for name, schema in (
        (PROJECT_SCHEMA, schemas.project_schema(checklists)),
        (schemas.ANSWERS_SCHEMA, schemas.answers_schema(checklists)),
    ):
        shipped = schemas.shipped_dir() / name
        assert shipped.read_text(encoding="utf-8") == schemas.render(schema), (
            f"{shipped} is out of date with the checklists: run `python examples/regenerate.py` and commit"
        )


def test_schema_lists_every_question_and_choice(checklists: Checklists) -> None:
    project = schemas.project_schema(checklists)
    steps = project["properties"]["answers"]["properties"]
    for q in checklists.questions.values():
        entry = steps[checklists.step_of[q.id].id]["properties"][q.id]
        text = json.dumps(entry)
        assert q.prompt.en.split("{")[0][:20] in text
        for c in q.choices:
            assert json.dumps(c.id) in text


def test_schema_command_defaults_to_the_project_folder(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sub = workdir / "client"
    sub.mkdir()
    assert cli.run(["schema", "-p", str(sub / "mentor-project.yaml")]) == 0
    assert sorted(p.name for p in sub.iterdir()) == sorted([PROJECT_SCHEMA, schemas.ANSWERS_SCHEMA])
    out = capsys.readouterr().out
    assert "$schema=mentor-answers.schema.json" in out


def test_schema_command_into_a_file_is_one_line(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "taken").write_text("a file, not a folder")
    code = cli.run(["schema", str(workdir / "taken")])
    err = capsys.readouterr().err
    assert code != 0 and len(err.strip().splitlines()) == 1 and "Traceback" not in err

"""Shared fixtures: the shipped checklists, a project folder, and real prompts on a pipe."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bmw_mentor.framework.checklist import shipped
from bmw_mentor.framework.schema import Checklists

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def checklists() -> Checklists:
    return shipped()


@pytest.fixture(autouse=True)
def _no_language_from_an_earlier_test() -> Iterator[None]:
    """Each ``cli.run`` sets the language of its run; a test that calls the engine directly starts afresh."""
    from bmw_mentor import messages

    messages.reset_language()
    yield
    messages.reset_language()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder, made the current one, with no project set in the environment."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MENTOR_PROJECT", raising=False)
    return tmp_path


@pytest.fixture
def clean_env() -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTOR_")}
    env["NO_COLOR"] = "1"
    yield env


# -- progress by part ------------------------------------------------------------------------------
# The dots alone look hung during the long wizard tests. Each part (a package of tests/, or a
# top-level test file) gets a line when it is finished, with its count and time, and the run
# starts by naming the parts: a newcomer can see what is running and how far it got.

_PARTS: dict[str, list[int]] = {}  # part -> [tests collected, tests finished]
_STARTED: dict[str, float] = {}


def _part(nodeid: str) -> str:
    path = nodeid.split("::", 1)[0]
    pieces = path.split("/")
    if len(pieces) > 2:  # tests/<package>/test_x.py
        return pieces[1]
    return pieces[-1].removeprefix("test_").removesuffix(".py")


def _announce(config: pytest.Config, nodeids: list[str]) -> None:
    if _PARTS or not nodeids:
        return
    for nodeid in nodeids:
        _PARTS.setdefault(_part(nodeid), [0, 0])[0] += 1
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        parts = ", ".join(f"{name} ({counts[0]})" for name, counts in sorted(_PARTS.items()))
        reporter.write_line(f"parts: {parts}")


def pytest_collection_finish(session: pytest.Session) -> None:
    # without xdist the main process collects; with xdist the workers do (see the hook below)
    if session.items and not hasattr(session.config, "workerinput"):
        _announce(session.config, [item.nodeid for item in session.items])


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: Any, ids: list[str]) -> None:
    _announce(node.config, ids)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    part = _part(report.nodeid)
    if part not in _PARTS:
        return
    _STARTED.setdefault(part, time.monotonic())
    if report.when != "teardown":
        return
    counts = _PARTS[part]
    counts[1] += 1
    if counts[1] == counts[0]:
        reporter = _CONFIG[0].pluginmanager.get_plugin("terminalreporter") if _CONFIG else None
        if reporter is not None:
            reporter.write("\n")  # the dots of the line so far stay where they are
            reporter.write_line(f"  done: {part}, {counts[0]} tests ({time.monotonic() - _STARTED[part]:.0f} s)")


_CONFIG: list[pytest.Config] = []


def pytest_configure(config: pytest.Config) -> None:
    _CONFIG.append(config)

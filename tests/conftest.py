"""Shared fixtures: the shipped checklists, a project folder, and real prompts on a pipe."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bmw_mentor.framework.checklist import shipped
from bmw_mentor.framework.schema import Checklists

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def checklists() -> Checklists:
    return shipped()


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

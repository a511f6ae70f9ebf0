"""The settings of the running programme (``checklists/running.yaml``), checked once per process."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bmw_mentor.files.resources import data_dir
from bmw_mentor.framework import datafile
from bmw_mentor.framework.schema import Text


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rhythm(_Strict):
    """The time from one meeting to the next: days or calendar months, not both."""

    days: int | None = Field(default=None, ge=1, le=366)
    months: int | None = Field(default=None, ge=1, le=24)

    @model_validator(mode="after")
    def _one_unit(self) -> Rhythm:
        if (self.days is None) == (self.months is None):
            raise ValueError("give either days or months")
        return self


class Column(_Strict):
    header: Text
    aliases: list[str] = Field(default_factory=list)


class RunningSettings(_Strict):
    rhythm: dict[str, Rhythm]
    grace_days: int = Field(ge=0, le=60)
    review_early_days: int = Field(ge=0, le=120)
    behind_share: float = Field(ge=0, le=1)
    columns: dict[str, Column]
    yes_words: list[str]

    @model_validator(mode="after")
    def _needed_columns(self) -> RunningSettings:
        missing = {"date", "mentor", "mentee", "minutes", "review", "note"} - set(self.columns)
        if missing:
            raise ValueError(f"columns: missing {', '.join(sorted(missing))}")
        return self


@cache
def running() -> RunningSettings:
    return datafile.load_model(data_dir("checklists") / "running.yaml", RunningSettings)

"""The matching rules' settings and words, from ``checklists/matching.yaml``.

Settings are layered, each layer overriding the one before: the shipped
defaults, the programme focus, the step-3 answers in the project file, a
``--config`` YAML file, and finally the command-line options.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bmw_mentor.errors import ChecklistInvalidError, UsageError
from bmw_mentor.files import yamlio
from bmw_mentor.files.resources import data_dir
from bmw_mentor.framework import datafile
from bmw_mentor.framework.schema import Text
from bmw_mentor.framework.text import substitute
from bmw_mentor.matching.participants import display
from bmw_mentor.messages import msg, number_text

Focus = Literal["induction", "growth", "both"]
FOCI: tuple[Focus, ...] = ("induction", "growth", "both")
# The order in which rules are applied and explained.
PAIR_RULES = ("experience_gap", "reporting_line", "department", "learning", "language", "availability")


class RuleSettings(BaseModel):
    """What every pair rule has: on/off, weight, hard or soft, and a score for missing data."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    weight: float = Field(default=0, ge=0, le=100)
    hard: bool = False
    unknown_score: float = Field(default=0.5, ge=0, le=1)

    @property
    def counts(self) -> bool:
        """Whether the rule takes part at all (it adds to the score or can rule a pair out)."""
        return self.enabled and (self.weight > 0 or self.hard)


class GapSettings(RuleSettings):
    min_years: float = Field(default=2, ge=0, le=80)
    max_years: float = Field(default=15, ge=0, le=80)
    soft_years: float = Field(default=3, gt=0, le=80)

    @model_validator(mode="after")
    def _ordered(self) -> GapSettings:
        if self.min_years > self.max_years:
            raise ValueError(f"min_years ({self.min_years:g}) is larger than max_years ({self.max_years:g})")
        return self


class DepartmentSettings(RuleSettings):
    mode: Literal["same", "other"] = "same"


class LoadSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    weight: float = Field(default=1, ge=0, le=100)


class Settings(BaseModel):
    """Every setting of one matching run."""

    model_config = ConfigDict(extra="forbid")

    experience_gap: GapSettings
    reporting_line: RuleSettings
    department: DepartmentSettings
    learning: RuleSettings
    language: RuleSettings
    availability: RuleSettings
    load_spreading: LoadSettings
    capacity_default: int = Field(default=1, ge=0, le=50)
    min_score: float = Field(default=0, ge=0, le=100)
    weak_score: float = Field(default=40, ge=0, le=100)
    must_have: list[Literal[PAIR_RULES]] = Field(default_factory=lambda: ["language"])  # type: ignore[valid-type]
    why_not_names: int = Field(default=3, ge=0, le=20)

    def rule(self, rule_id: str) -> RuleSettings:
        return getattr(self, rule_id)  # type: ignore[no-any-return]

    @property
    def load_penalty(self) -> float:
        return self.load_spreading.weight if self.load_spreading.enabled else 0.0

    @property
    def total_weight(self) -> float:
        return sum(self.rule(r).weight for r in PAIR_RULES if self.rule(r).enabled)


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    settings: dict[str, Any]
    focus: dict[Focus, dict[str, dict[str, Any]]]
    default_focus: Focus
    criteria: dict[str, dict[str, dict[str, Any]]]
    criteria_rules: list[str]
    terms: dict[Literal["en", "nl"], dict[str, str]]
    focus_names: dict[Focus, Text]
    texts: dict[str, Text | dict[str, Text]]
    unmatched: dict[str, Text]
    sheet: dict[str, Text]


@cache
def data() -> _Data:
    """The shipped ``matching.yaml``, checked."""
    path = data_dir("checklists") / "matching.yaml"
    raw, text = datafile.read(path)
    loaded = datafile.validate(_Data, raw, path, text)
    datafile.validate(Settings, loaded.settings, path)
    unknown = [r for r in loaded.criteria_rules if r not in PAIR_RULES]
    if unknown:
        raise ChecklistInvalidError(f"{path}: criteria_rules: unknown rule(s) {', '.join(unknown)}")
    return loaded


# -- words -------------------------------------------------------------------
class Words:
    """Sentences about matching in one language, with the organisation's own terms filled in."""

    def __init__(self, lang: str, terms: Mapping[str, str] | None = None) -> None:
        self.lang = lang
        base = dict(data().terms["nl" if lang == "nl" else "en"])
        base.update({k: v for k, v in (terms or {}).items() if isinstance(v, str) and v.strip()})
        self.terms = base

    def fill(self, text: Text | str, /, **params: Any) -> str:
        raw = text.get(self.lang) if isinstance(text, Text) else text  # type: ignore[arg-type]
        values = {**self.terms, **{k: str(v) for k, v in params.items()}}
        return substitute(raw, values.get)

    def rule(self, rule_id: str, key: str, /, **params: Any) -> str:
        entry = data().texts[rule_id]
        text = entry if isinstance(entry, Text) else entry[key]
        return self.fill(text, **params)

    def unmatched(self, key: str, /, **params: Any) -> str:
        return self.fill(data().unmatched[key], **params)

    def sheet(self, key: str, /, **params: Any) -> str:
        return self.fill(data().sheet[key], **params)

    def number(self, value: float) -> str:
        return number_text(value, self.lang)

    def join(self, items: Iterable[str]) -> str:
        items = list(items)
        if len(items) <= 1:
            return "".join(items)
        last = self.rule("list_and", "")
        return f"{', '.join(items[:-1])} {last} {items[-1]}"


# -- settings ----------------------------------------------------------------
@dataclass
class Resolved:
    """The settings of a run, and where they came from (for the rules summary)."""

    settings: Settings
    focus: Focus
    from_criteria: bool = False
    notes: list[str] = field(default_factory=list)


def resolve(
    answers: Mapping[str, Any],
    lang: str,
    *,
    focus: str | None = None,
    config: Path | None = None,
    sets: Iterable[str] = (),
    gap: str | None = None,
    off: Iterable[str] = (),
) -> Resolved:
    """Work out the settings from every layer; a bad override is a one-line :class:`UsageError`."""
    shipped = data()
    file_layer: dict[str, Any] = _read_config(config, lang) if config is not None else {}
    chosen = focus or file_layer.pop("focus", None) or answers.get("programme_focus")
    file_layer.pop("focus", None)
    if chosen not in FOCI:
        if focus is not None:
            raise UsageError(msg("match_bad_focus", lang, value=display(focus), choices=", ".join(FOCI)))
        chosen = shipped.default_focus
    layered = copy.deepcopy(shipped.settings)
    _merge(layered, shipped.focus.get(chosen, {}))  # type: ignore[arg-type]
    from_criteria = _apply_criteria(layered, answers.get("matching_criteria"))
    if answers.get("no_reporting_line") is False:
        _merge(layered, {"reporting_line": {"enabled": False}})
    per_mentor = answers.get("mentees_per_mentor")
    if isinstance(per_mentor, (int, float)) and not isinstance(per_mentor, bool) and per_mentor >= 0:
        layered["capacity_default"] = int(per_mentor)
    if file_layer:
        _merge(layered, file_layer)
        _validate(layered, str(config), lang)
    cli_layer: dict[str, Any] = {}
    if gap is not None:
        low, high = _parse_gap(gap, lang)
        _merge(cli_layer, {"experience_gap": {"enabled": True, "min_years": low, "max_years": high}})
    for rule_id in off:
        if rule_id not in PAIR_RULES and rule_id != "load_spreading":
            raise UsageError(msg("match_unknown_rule", lang, value=display(rule_id), choices=", ".join(_rule_ids())))
        _merge(cli_layer, {rule_id: {"enabled": False}})
    for item in sets:
        _merge(cli_layer, _parse_set(item, lang))
    _merge(layered, cli_layer)
    settings = _validate(layered, "--set" if cli_layer else str(config or "matching.yaml"), lang)
    return Resolved(settings=settings, focus=chosen, from_criteria=from_criteria)  # type: ignore[arg-type]


def _rule_ids() -> list[str]:
    return [*PAIR_RULES, "load_spreading"]


def _merge(into: dict[str, Any], layer: Mapping[str, Any]) -> None:
    for key, value in layer.items():
        if isinstance(value, Mapping) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)


def _apply_criteria(layered: dict[str, Any], ticked: Any) -> bool:
    """Let the step-3 matching criteria switch rules on and off; True if they did."""
    shipped = data()
    if not isinstance(ticked, list):
        return False
    known = [c for c in ticked if isinstance(c, str) and c in shipped.criteria]
    if not known:
        return False
    wanted: dict[tuple[str, str], Any] = {}
    clashing: set[tuple[str, str]] = set()
    for criterion in known:
        for rule_id, values in shipped.criteria[criterion].items():
            for key, value in values.items():
                if (rule_id, key) in wanted and wanted[(rule_id, key)] != value:
                    clashing.add((rule_id, key))
                wanted[(rule_id, key)] = value
    for rule_id in shipped.criteria_rules:
        layered.setdefault(rule_id, {})["enabled"] = False
    for (rule_id, key), value in wanted.items():
        if (rule_id, key) not in clashing:
            layered.setdefault(rule_id, {})[key] = value
    return True


def _read_config(path: Path, lang: str) -> dict[str, Any]:
    try:
        loaded = yamlio.load_file(path)
    except FileNotFoundError:
        raise UsageError(msg("match_config_missing", lang, path=path)) from None
    except (OSError, yamlio.YamlSyntaxError) as exc:
        raise UsageError(str(exc)) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise UsageError(msg("match_config_not_mapping", lang, path=path))
    return loaded


def _parse_gap(text: str, lang: str) -> tuple[float, float]:
    m = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*[-–:]\s*(\d+(?:[.,]\d+)?)\s*", text)
    if not m:
        raise UsageError(msg("match_bad_gap", lang, value=display(text)))
    return float(m.group(1).replace(",", ".")), float(m.group(2).replace(",", "."))


def _parse_set(item: str, lang: str) -> dict[str, Any]:
    key, sep, raw = item.partition("=")
    parts = [p.strip() for p in key.split(".")]
    if not sep or not all(parts) or len(parts) > 2:
        raise UsageError(msg("match_bad_set", lang, value=display(item)))
    try:
        value = yamlio.loads(raw.strip(), "--set") if raw.strip() else ""
    except yamlio.YamlSyntaxError:
        value = raw.strip()
    if len(parts) == 1:
        return {parts[0]: value}
    return {parts[0]: {parts[1]: value}}


def _validate(layered: dict[str, Any], source: str, lang: str) -> Settings:
    try:
        return Settings.model_validate(layered)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "settings"
        raise UsageError(
            msg("match_setting_invalid", lang, source=source, key=where, reason=_reason(err, lang))
        ) from None


def _reason(err: Mapping[str, Any], lang: str) -> str:
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        extra = ["capacity_default", "min_score", "weak_score", "must_have", "why_not_names"]
        return msg("setting_unknown", lang, choices=", ".join([*_rule_ids(), *extra]))
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        return msg("setting_not_number", lang)
    if kind in ("bool_parsing", "bool_type"):
        return msg("setting_not_bool", lang)
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        limit = next(iter(ctx.values()), "")
        return msg(f"setting_{kind}", lang, limit=limit)
    if kind == "literal_error":
        return msg("setting_choice", lang, choices=ctx.get("expected", ""))
    if kind in ("dict_type", "model_type"):
        return msg("setting_not_mapping", lang)
    if kind == "value_error" and "min_years" in str(ctx.get("error", "")):
        return msg("setting_gap_order", lang)
    return msg("setting_invalid", lang)


def summary(resolved: Resolved, words: Words) -> list[str]:
    """The rules of a run in plain sentences, for the screen and the matching sheet."""
    s = resolved.settings
    focus = words.fill(data().focus_names[resolved.focus])
    lines = [words.rule("focus_line", "", focus=focus)]
    if resolved.from_criteria:
        lines.append(words.rule("criteria_line", ""))
    for rule_id in PAIR_RULES:
        rule = s.rule(rule_id)
        if rule_id == "experience_gap":
            text = words.rule(
                rule_id,
                "describe",
                min=words.number(s.experience_gap.min_years),
                max=words.number(s.experience_gap.max_years),
            )
        elif rule_id == "department":
            text = words.rule(rule_id, f"describe_{s.department.mode}")
        else:
            text = words.rule(rule_id, "describe")
        lines.append(_with_state(text, _state(rule.enabled, rule.hard, rule.weight, words)))
    load = s.load_spreading
    lines.append(_with_state(words.rule("load_spreading", "describe"), _state(load.enabled, False, load.weight, words)))
    lines.append(words.rule("capacity", "describe", n=s.capacity_default))
    if s.min_score > 0:
        lines.append(words.rule("min_score", "describe", n=words.number(s.min_score)))
    musts = words.join(words.rule(r, "flag") for r in s.must_have if s.rule(r).enabled)
    key = "describe_must" if musts else "describe"
    lines.append(words.rule("weak", key, n=words.number(s.weak_score), must=musts))
    return lines


def _with_state(text: str, state: str) -> str:
    body = text[:-1] if text.endswith(".") else text
    return f"{body} ({state})."


def _state(enabled: bool, hard: bool, weight: float, words: Words) -> str:
    if not enabled:
        return words.rule("rule_off", "")
    if hard:
        return words.rule("rule_hard", "")
    return words.rule("rule_weight", "", w=words.number(weight))

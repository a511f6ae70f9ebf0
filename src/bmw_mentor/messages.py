"""The engine's own words (prompts, hints, errors) in English and Dutch, from ``messages.yaml``."""

from __future__ import annotations

import locale
import os
from functools import cache
from pathlib import Path
from typing import Any

_FILE = Path(__file__).with_name("messages.yaml")


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    import yaml

    # our own shipped file: read directly, so that this module stays at the bottom of the layout
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(_FILE.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    assert isinstance(data, dict)
    return data


def msg(key: str, lang: str, /, **params: Any) -> str:
    """Return message ``key`` in ``lang`` with ``{params}`` filled in."""
    entry = _catalogue()[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**params) if params else text


def guess_language() -> str:
    """The language for messages shown before a project (and its language) is known."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "nl" if value.lower().startswith("nl") else "en"
    try:
        current = locale.getlocale()[0] or ""
    except ValueError:  # pragma: no cover - broken locale settings
        current = ""
    return "nl" if current.lower().startswith("nl") else "en"

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
    from bmw_mentor import yamlio

    data = yamlio.load_file(_FILE)
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

"""The organisation's own words: the plural suggested for the word typed for mentor or mentee."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from bmw_mentor.errors import ChecklistInvalidError
from bmw_mentor.files.resources import data_dir
from bmw_mentor.framework.schema import Language


@cache
def _rules(lang: Language) -> dict[str, Any]:
    from bmw_mentor.framework import datafile

    path = data_dir("checklists") / "plurals.yaml"
    data, _ = datafile.read(path)
    rules = data.get(lang) if isinstance(data, dict) else None
    if not isinstance(rules, dict) or not isinstance(rules.get("endings"), list):
        raise ChecklistInvalidError(f"{path}: '{lang}' needs 'irregular', 'endings' and 'connectors'")
    return rules


def _one(word: str, lang: Language) -> str:
    rules = _rules(lang)
    lower = word.lower()
    found = rules.get("irregular", {}).get(lower)
    if found is None:
        for pattern, replacement in rules["endings"]:
            if re.search(pattern, lower):
                found = re.sub(pattern, replacement, lower, count=1)
                break
        else:  # pragma: no cover - the last ending matches everything
            found = lower
    # keep the capitals the user typed (Buddy → Buddies, ICT-coach → ICT-coaches)
    return word + found[len(lower):] if found.startswith(lower) else (found[:1].upper() + found[1:] if word[:1].isupper() else found)


def plural(text: str, lang: Language) -> str:
    """The plural of a word or a short phrase: "peter/meter" → "peters/meters", "new starter" → "new starters"."""
    text = text.strip()
    if not text:
        return text
    connectors = [re.escape(c) for c in _rules(lang).get("connectors", [])]
    separator = r"(\s*[/,&]\s*" + "".join(rf"|\s+{c}\s+" for c in connectors) + ")"
    parts = re.split(separator, text, flags=re.IGNORECASE)
    out = []
    for i, part in enumerate(parts):
        if i % 2 or not part.strip():
            out.append(part)  # a separator ("/", " en ", " or "...) stays as typed
            continue
        head, _, last = part.rpartition(" ")
        out.append(f"{head} {_one(last, lang)}" if head else _one(last, lang))
    return "".join(out)

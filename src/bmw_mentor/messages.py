"""The engine's own words (prompts, hints, errors) in English and Dutch, from ``messages.yaml``."""

from __future__ import annotations

import locale
import marshal
import os
import re
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

_FILE = Path(__file__).with_name("messages.yaml")


@cache
def _catalogue() -> dict[str, dict[str, Any]]:
    # Every run speaks through this catalogue, `mentor --help` included: parsing the YAML (and
    # importing PyYAML) costs more than the rest of the help screen, so the parsed catalogue
    # is kept in the user's cache folder, keyed by the file's size and modification time.
    stat = _FILE.stat()
    cache_file = None
    if not os.environ.get("MENTOR_NO_CACHE"):
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        tag = f"{stat.st_size}-{stat.st_mtime_ns}-{sys.version_info[0]}{sys.version_info[1]}"
        cache_file = base / "bmw-mentor" / f"messages-{tag}.marshal"
        try:
            found = marshal.loads(cache_file.read_bytes())
            if isinstance(found, dict):
                return found
        except (OSError, ValueError, EOFError, TypeError):
            pass
    import yaml

    # our own shipped file: read directly, so that this module stays at the bottom of the layout
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(_FILE.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    assert isinstance(data, dict)
    if cache_file is not None:
        _keep(cache_file, marshal.dumps(data))
    return data


def _keep(path: Path, blob: bytes) -> None:
    """Write a cache file in one step; a cache that cannot be written only makes the next start slower."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
        os.replace(tmp, path)
    except OSError:
        pass


def msg(key: str, lang: str, /, **params: Any) -> str:
    """Return message ``key`` in ``lang`` with ``{params}`` filled in.

    A message that counts something has one text per plural category (``one``, ``other``, as
    CLDR names them); the parameter ``n`` picks the text by the language's own plural rule.
    """
    entry = _catalogue()[key]
    text = entry.get(lang) or entry["en"]
    if isinstance(text, dict):
        text = text.get(plural_category(lang, params["n"])) or text["other"]
    return with_command(text.format(**params) if params else text)


def plural_category(lang: str, n: Any) -> str:
    """The CLDR plural category (``one``, ``other``, …) of the number ``n`` in ``lang``."""
    # Babel is imported only by the commands that count something, never by `mentor --help`
    return str(_locale(lang).plural_form(_number(n)))


@cache
def _locale(lang: str) -> Any:
    from babel.core import Locale

    return Locale.parse(_LOCALES.get(lang, lang))


def _number(n: Any) -> float | int:
    if isinstance(n, (int, float)):
        return n
    # a number already formatted for display ("1,5" or "1.5")
    try:
        return float(str(n).replace(",", "."))
    except ValueError:
        return 0


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


def has_message(key: str) -> bool:
    return key in _catalogue()


_LANGUAGE: list[str] = []


def set_language(lang: str) -> None:
    """The language of this run, for messages raised where no project is at hand (see ``cliwords``)."""
    _LANGUAGE[:] = [lang]


def reset_language() -> None:
    """Forget the language of the run: the next message follows the system's again."""
    _LANGUAGE.clear()


def language() -> str:
    """The language of this run: the project's, else the one asked for, else the system's."""
    return _LANGUAGE[0] if _LANGUAGE else guess_language()


def say(key: str, /, **params: Any) -> str:
    """Message ``key`` in the language of this run."""
    return msg(key, language(), **params)


_LANGUAGE_LINE = re.compile(rb"^language:[ \t]*['\"]?(en|nl)['\"]?[ \t]*(?:#.*)?$", re.MULTILINE)


def sniff_language(path: Path) -> str | None:
    """The ``language:`` of a project file, read without loading it (it may be broken)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(1_000_000)
    except (OSError, ValueError):
        return None
    found = _LANGUAGE_LINE.search(head)
    return found.group(1).decode() if found else None


@cache
def command_name() -> str:
    """How the user started mentor, so that every command we print works when typed.

    ``mentor`` when that is what the PATH finds; otherwise the path that was typed, such as
    ``.venv/bin/mentor`` or ``.venv\\Scripts\\mentor``. Runs inside another program (tests) say
    ``mentor``.
    """
    import shutil

    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if started is None or started.stem.lower() != "mentor":
        return "mentor"
    found = shutil.which("mentor")
    try:
        if found and os.path.samefile(found, started):
            return "mentor"
    except OSError:
        pass
    shown = sys.argv[0]
    if started.is_absolute():
        try:
            shown = str(started.relative_to(Path.cwd()))
        except ValueError:
            shown = str(started)
    if not started.is_absolute() and os.sep not in shown and "/" not in shown:
        shown = os.path.join(".", shown)  # a command in the current folder needs its ./ to run
    return f'"{shown}"' if " " in shown else shown


_COMMAND = re.compile(r"\bmentor(?= (?:init|step|continue|status|check|export|match|participants|forget|log|schema)\b)")


def with_command(text: str) -> str:
    """``text`` with each ``mentor <command>`` written the way the user started mentor."""
    name = command_name()
    return text if name == "mentor" else _COMMAND.sub(lambda _: name.replace("\\", "\\\\"), text)


_PYDANTIC = {
    "missing": "value_missing",
    "extra_forbidden": "value_not_a_field",
    "int_parsing": "value_not_whole_number",
    "int_type": "value_not_whole_number",
    "int_from_float": "value_not_whole_number",
    "float_parsing": "value_not_number",
    "float_type": "value_not_number",
    "bool_parsing": "value_not_yes_no",
    "bool_type": "value_not_yes_no",
    "string_type": "value_not_text",
    "list_type": "value_not_list",
    "dict_type": "value_not_mapping",
    "model_type": "value_not_mapping",
    "model_attributes_type": "value_not_mapping",
}


def pydantic_reason(err: Mapping[str, Any], lang: str | None = None) -> str:
    """One of pydantic's validation errors, said in our own words and language."""
    lang = lang or language()
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    if kind in _PYDANTIC:
        return msg(_PYDANTIC[kind], lang)
    if kind.startswith(("date", "datetime", "time")):
        return msg("value_not_date", lang)
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return msg("value_choice", lang, choices=", ".join(choices))
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return msg(f"value_{kind}", lang, limit=next(iter(ctx.values()), "?"))
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])  # our own validators raise messages in the run's language
    return msg("value_invalid", lang)


# -- dates and numbers as the reader's locale writes them (Babel, imported only when used) ---------
# British English for English (6 September 2027, programme); Belgian Dutch for Dutch (6 september 2027)
_LOCALES = {"en": "en_GB", "nl": "nl_BE"}


def date_text(day: Any, lang: str, form: str = "long") -> str:
    """A date in words: '6 September 2027', '6 september 2027'."""
    from babel.dates import format_date

    return str(format_date(day, form, locale=_LOCALES.get(lang, lang)))


def number_text(value: float, lang: str, decimals: int = 1) -> str:
    """A figure with at most ``decimals`` decimals and the locale's separators: '1,234.5', '1.234,5'."""
    from babel.numbers import format_decimal

    number = float(value)
    if not abs(number) < 1e15:  # a hand-edited figure far beyond any programme: no grouping to read
        return f"{number:.3g}"
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return str(format_decimal(round(number, decimals), format=pattern, locale=_LOCALES.get(lang, lang)))


def percent_text(fraction: float, lang: str) -> str:
    """A share as a percentage: '85%'."""
    from babel.numbers import format_percent

    return str(format_percent(fraction, locale=_LOCALES.get(lang, lang)))

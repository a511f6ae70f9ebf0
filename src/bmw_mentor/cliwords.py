"""The command line in the user's language: ``--help`` and Typer's own usage errors, from ``messages.yaml``.

The language is the project's (read from its file without loading it), else the one asked
for with ``--lang``, else the system's. Kept light: nothing here imports pydantic, jinja2 or
questionary, so ``mentor --help`` stays fast.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from bmw_mentor.messages import guess_language, has_message, msg, sniff_language

DEFAULT_PROJECT = "mentor-project.yaml"


def language_for(argv: list[str]) -> str:
    """The language of this run, decided before the command line is parsed."""
    project: str | None = None
    lang: str | None = None
    for i, arg in enumerate(argv):
        following = argv[i + 1] if i + 1 < len(argv) else None
        if arg in ("--project", "-p"):
            project = following
        elif arg.startswith("--project="):
            project = arg.partition("=")[2]
        elif arg == "--lang" and following in ("en", "nl"):
            lang = following
        elif arg in ("--lang=en", "--lang=nl"):
            lang = arg[-2:]
    if lang:
        return lang
    path = Path(project or os.environ.get("MENTOR_PROJECT") or DEFAULT_PROJECT)
    return sniff_language(path) or guess_language()


def prepare(command: Any, args: list[str]) -> str:
    """Choose the run's language (the project's, else --lang, else the system's) and translate the help."""
    from bmw_mentor.messages import set_language

    lang = language_for(args)
    set_language(lang)
    translate_help(command, lang)
    if lang != "en" or not args or any(a in ("--help", "-h") for a in args):
        translate_panels(lang)
    return lang


def translate_help(command: Any, lang: str, path: tuple[str, ...] = ()) -> None:
    """Put the help texts of ``command`` and its subcommands in ``lang`` (``help.*`` in messages.yaml)."""
    where = ".".join(path) or "mentor"
    text = _help(lang, f"help.{where}")
    if text is not None:
        command.help = text
        command.short_help = None
    if getattr(command, "options_metavar", None) == "[OPTIONS]":
        command.options_metavar = msg("help_options_metavar", lang)
    if getattr(command, "subcommand_metavar", None):
        command.subcommand_metavar = msg("help_subcommand_metavar", lang)
    for param in command.params:
        opt = next((o for o in param.opts if o.startswith("--")), param.name)
        text = _help(lang, f"help.{where}.{opt}") or _help(lang, f"help.{opt}")
        if text is not None:
            param.help = text
        if param.param_type_name == "argument":
            metavar = _help(lang, f"metavar.{param.name}")
        else:  # an option's own placeholder, such as --logo FILE
            metavar = _help(lang, f"metavar.{str(param.metavar).lower()}") if param.metavar else None
        if metavar is not None:
            param.metavar = metavar
    _usage_in(command, lang)
    _help_option_in(command, lang)
    for name, sub in getattr(command, "commands", {}).items():
        translate_help(sub, lang, (*path, name))


def help_keys(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every key a help text is looked up under, with its fallback: for the test that all exist."""
    where = ".".join(path) or "mentor"
    keys: list[tuple[str, ...]] = [(f"help.{where}",)]
    for param in command.params:
        opt = next((o for o in param.opts if o.startswith("--")), param.name)
        keys.append((f"help.{where}.{opt}", f"help.{opt}"))
    for name, sub in getattr(command, "commands", {}).items():
        keys += help_keys(sub, (*path, name))
    return keys


def _help(lang: str, key: str) -> str | None:
    return msg(key, lang) if has_message(key) else None


def _usage_in(command: Any, lang: str) -> None:
    original = command.get_usage

    def get_usage(ctx: Any) -> str:
        text = original(ctx)
        return text.replace("Usage: ", msg("help_usage", lang) + " ", 1)

    command.get_usage = get_usage


def _help_option_in(command: Any, lang: str) -> None:
    original = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = original(ctx)
        if option is not None:
            option.help = msg("help.--help", lang)
        return option

    command.get_help_option = get_help_option


def translate_panels(lang: str) -> None:
    """The titles and fixed words of Typer's help screen."""
    from typer import rich_utils

    rich_utils.ARGUMENTS_PANEL_TITLE = msg("help_panel_arguments", lang)
    rich_utils.OPTIONS_PANEL_TITLE = msg("help_panel_options", lang)
    rich_utils.COMMANDS_PANEL_TITLE = msg("help_panel_commands", lang)
    rich_utils.DEFAULT_STRING = msg("help_default", lang)
    rich_utils.ENVVAR_STRING = msg("help_envvar", lang)
    rich_utils.REQUIRED_LONG_STRING = msg("help_required", lang)


def usage_error(exc: Any, lang: str) -> str:
    """Typer's usage error as one line in ``lang``, with a pointer to the command's help."""
    from typer._click import exceptions as click_errors

    name = type(exc).__name__
    text = str(getattr(exc, "message", "") or "")
    param = getattr(exc, "param", None)
    shown = _param_name(param)
    if isinstance(exc, click_errors.NoSuchOption):
        line = msg("usage_no_such_option", lang, option=exc.option_name)
        if exc.possibilities:
            line += msg("usage_did_you_mean", lang, names=", ".join(sorted(exc.possibilities)))
    elif isinstance(exc, click_errors.MissingParameter):
        line = msg("usage_missing", lang, name=shown)
    elif isinstance(exc, click_errors.BadOptionUsage):
        line = msg("usage_option_needs_value", lang, option=exc.option_name)
    elif isinstance(exc, click_errors.BadParameter):
        line = _bad_value(exc, shown, lang)
    elif name == "UsageError" and text.startswith("No such command"):
        quoted = re.findall(r"'([^']*)'", text)
        line = msg("usage_no_such_command", lang, name=quoted[0] if quoted else "?")
        if len(quoted) > 1:  # Typer's suggestions of commands with a similar name
            line += msg("usage_did_you_mean", lang, names=", ".join(quoted[1:]))
    elif name == "UsageError" and text.startswith("Got unexpected extra argument"):
        found = re.search(r"\(([^()]*)\)\s*$", text)
        line = msg("usage_extra_arguments", lang, values=found.group(1) if found else "?")
    else:
        line = msg("usage_other", lang)
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        line += msg("usage_see_help", lang, command=ctx.command_path)
    return line


def _param_name(param: Any) -> str:
    if param is None:
        return "?"
    long = [o for o in param.opts if o.startswith("--")]
    if long:
        return long[0]
    from bmw_mentor.messages import language

    return _help(language(), f"metavar.{param.name}") or str(param.metavar or param.name).upper()


def _bad_value(exc: Any, shown: str, lang: str) -> str:
    cause = exc.__cause__
    errors = cause.errors() if hasattr(cause, "errors") else []
    first = errors[0] if errors else {}
    kind = first.get("type", "")
    value = first.get("input", "")
    limits = first.get("ctx") or {}
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        low, high = getattr(exc.param, "min", None), getattr(exc.param, "max", None)
        if low is not None and high is not None:
            return msg("usage_between", lang, name=shown, value=value, low=low, high=high)
        limit = next(iter(limits.values()), "?")
        return msg(f"usage_{kind}", lang, name=shown, value=value, limit=limit)
    if kind in ("int_parsing", "int_from_float"):
        return msg("usage_not_whole_number", lang, name=shown, value=value)
    if kind in ("float_parsing",):
        return msg("usage_not_number", lang, name=shown, value=value)
    if kind == "value_error" and " is not one of " in str(limits.get("error", "")):
        choices = re.findall(r"'([^']*)'", str(limits["error"]).partition(" is not one of ")[2])
        return msg("usage_choice", lang, name=shown, value=value, choices=", ".join(choices))
    return msg("usage_bad_value", lang, name=shown, value=value)

"""One question on screen: questionary prompts with keys for going back and for help.

Every prompt understands the same keys, shown with it: Esc goes back to the
previous question, F1 (or ``?`` in lists, or ``?`` as the whole answer) shows
help and examples, Ctrl-C stops (everything answered so far is already saved).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

import questionary
from prompt_toolkit import print_formatted_text
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.keys import Keys
from questionary import Choice as QChoice
from questionary import Style

from bmw_mentor.framework.answers import AnswerError, normalise
from bmw_mentor.framework.schema import AnswerValue, Language, Question
from bmw_mentor.framework.text import Filler
from bmw_mentor.messages import msg


class _Signal:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


BACK = _Signal("BACK")


class HelpRequest:
    """The user asked for help; ``pending`` is what they had typed or ticked so far, to be kept."""

    def __init__(self, pending: Any = None) -> None:
        self.pending = pending

    def __repr__(self) -> str:
        return f"HelpRequest({self.pending!r})"


PromptKind = Literal["text", "select", "checkbox", "confirm"]


def _in_progress(app: Any, kind: PromptKind) -> Any:
    """What the prompt holds right now: typed text, the highlighted choice, or the ticked boxes."""
    if kind == "text":
        return app.current_buffer.text
    from questionary.prompts.common import InquirerControl

    control = next(c for c in app.layout.find_all_controls() if isinstance(c, InquirerControl))
    if kind == "checkbox":
        return [v for v in control.selected_options if v != _OTHER]
    pointed = control.get_pointed_at().value
    return None if pointed == _OTHER else pointed


_OTHER = "\x00other"  # value of the "Other…" entry; cannot collide with a choice id

STYLE = Style(
    [
        ("qmark", "fg:#0a7d6e bold"),
        ("question", "bold"),
        ("answer", "fg:#0a7d6e bold"),
        ("pointer", "fg:#0a7d6e bold"),
        ("highlighted", "fg:#0a7d6e bold"),
        ("selected", "fg:#0a7d6e"),
        ("instruction", "fg:#6c6c6c italic"),
    ]
)

Outcome = Any  # an answer value, BACK or a HelpRequest


def _with_keys(question: questionary.Question, kind: PromptKind) -> questionary.Question:
    """Add Esc (back), F1 (help) and, in lists, ``?`` (help) to a questionary prompt.

    The wizard's own yes/no questions (``confirm``) have no help to show.
    """
    extra = KeyBindings()

    @extra.add(Keys.Escape, eager=True)
    def _back(event: Any) -> None:
        event.app.exit(result=BACK)

    def _help(event: Any) -> None:
        event.app.exit(result=HelpRequest(_in_progress(event.app, kind)))

    if kind != "confirm":
        extra.add(Keys.F1, eager=True)(_help)
    if kind in ("select", "checkbox"):
        # in lists "?" cannot be typed text, so it can mean help as well
        extra.add("?", eager=True)(_help)

    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), extra])
    return question


def _text_validator(q: Question, lang: Language) -> Callable[[str], bool | str]:
    def check(text: str) -> bool | str:
        if text.strip() == "?":
            return True
        try:
            normalise(q, text, lang)
        except AnswerError as exc:
            return str(exc)
        return True

    return check


def _show_date(value: AnswerValue) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else ""


def _show_number(value: AnswerValue) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return ""
    return str(value)


def ask(q: Question, *, lang: Language, fill: Filler, default: AnswerValue) -> Outcome:
    """Ask ``q`` once and return the stored form of the answer, ``BACK`` or a :class:`HelpRequest`.

    Raises KeyboardInterrupt on Ctrl-C, like questionary's ``unsafe_ask``.
    """
    message = fill(q.prompt)
    if q.type in ("text", "long_text", "number", "date"):
        if q.type == "date":
            shown = _show_date(default) or (default if isinstance(default, str) else "")
        elif q.type == "number":
            shown = default if isinstance(default, str) else _show_number(default)
        else:
            shown = default if isinstance(default, str) else ""
        prompt = questionary.text(
            message,
            default=shown,
            validate=_text_validator(q, lang),
            style=STYLE,
            qmark="›",
        )
        result = _with_keys(prompt, "text").unsafe_ask()
        if result is BACK or isinstance(result, HelpRequest):
            return result
        if isinstance(result, str) and result.strip() == "?":
            return HelpRequest(None)
        return normalise(q, result, lang)

    if q.type == "yes_no":
        choices = [QChoice(msg("word_yes", lang), value=True), QChoice(msg("word_no", lang), value=False)]
        start = next((c for c in choices if c.value == default), None) if isinstance(default, bool) else None
        prompt = questionary.select(
            message, choices=choices, default=start, instruction=msg("hint_select", lang), style=STYLE, qmark="›"
        )
        return _with_keys(prompt, "select").unsafe_ask()

    if q.type == "single":
        choices = [QChoice(fill(c.label), value=c.id) for c in q.choices]
        other_text = ""
        if q.other:
            choices.append(QChoice(msg("other_choice", lang), value=_OTHER))
            if isinstance(default, str) and default and q.choice(default) is None:
                other_text = default
                default = _OTHER
        start = next((c for c in choices if c.value == default), None)
        prompt = questionary.select(
            message, choices=choices, default=start, instruction=msg("hint_select", lang), style=STYLE, qmark="›"
        )
        result = _with_keys(prompt, "select").unsafe_ask()
        if result is _OTHER:
            return _ask_other(q, lang, other_text, single=True)
        return result

    if q.type == "multi":
        saved = default if isinstance(default, list) else []
        known = {c.id for c in q.choices}
        others = [v for v in saved if v not in known]
        choices = [QChoice(fill(c.label), value=c.id, checked=c.id in saved) for c in q.choices]
        if q.other:
            choices.append(QChoice(msg("other_choice", lang), value=_OTHER, checked=bool(others)))
        prompt = questionary.checkbox(
            message,
            choices=choices,
            instruction=msg("hint_checkbox", lang),
            style=STYLE,
            qmark="›",
            validate=lambda picked: _multi_check(q, lang, picked),
        )
        # questionary ends a checkbox with an English "done (n selections)"; show our own line instead
        prompt.application.erase_when_done = True
        result = _with_keys(prompt, "checkbox").unsafe_ask()
        if result is BACK or isinstance(result, HelpRequest):
            return result
        labels = [fill(c.label) for c in q.choices if c.id in result]
        if _OTHER in result:
            labels.append(msg("other_choice", lang))
        _echo(message, _summary(labels, lang))
        picked = [v for v in result if v != _OTHER]
        if _OTHER in result:
            extra = _ask_other(q, lang, "; ".join(others), single=False)
            if extra is BACK:
                return BACK
            picked += extra
        return normalise(q, picked, lang)

    raise AssertionError(q.type)  # pragma: no cover


def _summary(labels: list[str], lang: Language) -> str:
    if not labels:
        return msg("none_ticked", lang)
    joined = "; ".join(labels)
    if len(joined) <= 70:
        return joined
    return msg("n_ticked", lang, n=len(labels), first=labels[0])


def _echo(message: str, answer: str) -> None:
    """Print a finished question the way questionary prints its own answered prompts."""
    print_formatted_text(
        FormattedText([("class:qmark", "›"), ("class:question", f" {message} "), ("class:answer", answer)]),
        style=STYLE,
    )


def _multi_check(q: Question, lang: Language, picked: list[str]) -> bool | str:
    if _OTHER in picked:
        return True  # the free text is checked when it is typed
    try:
        normalise(q, picked, lang)
    except AnswerError as exc:
        return str(exc)
    return True


def _ask_other(q: Question, lang: Language, current: str, *, single: bool) -> Outcome:
    """The follow-up prompt for the "Other…" entry."""

    def check(text: str) -> bool | str:
        return True if text.strip() else msg("answer_required", lang)

    prompt = questionary.text(
        msg("other_single" if single else "other_multi", lang),
        default=current,
        validate=check,
        style=STYLE,
        qmark="  ›",
    )
    result = _with_keys(prompt, "text").unsafe_ask()
    if result is BACK or isinstance(result, HelpRequest):
        return BACK
    if single:
        return result.strip()
    return [part.strip() for part in result.split(";") if part.strip()]


def confirm(message: str, lang: Language, default: bool = True) -> Outcome:
    """A yes/no question of the wizard itself (not of a checklist)."""
    choices = [QChoice(msg("word_yes", lang), value=True), QChoice(msg("word_no", lang), value=False)]
    prompt = questionary.select(
        message,
        choices=choices,
        default=choices[0] if default else choices[1],
        instruction=msg("hint_confirm", lang),
        style=STYLE,
        qmark="›",
    )
    return _with_keys(prompt, "confirm").unsafe_ask()


def choose_language(default: Language) -> Language:
    """The very first question of ``mentor init``, asked in both languages at once."""
    choices = [QChoice("English", value="en"), QChoice("Nederlands", value="nl")]
    prompt = questionary.select(
        "Language / Taal",
        choices=choices,
        default=choices[0] if default == "en" else choices[1],
        style=STYLE,
        qmark="›",
        instruction=" ",
    )
    result = prompt.unsafe_ask()
    return "nl" if result == "nl" else "en"

"""One question on screen: questionary prompts with keys for going back and for help.

Every prompt understands the same keys, shown under it: Esc goes back to the
previous question, F1 (or ``?`` in lists, or ``?`` as the whole answer) shows
help and examples, Ctrl-C stops (everything answered so far is already saved).
A prompt left with Esc or F1 is erased, so that it never looks answered. The
layout (hint and error lines, wrapping) is in :mod:`bmw_mentor.wizard.screen`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

import questionary
from prompt_toolkit import print_formatted_text
from prompt_toolkit.application import get_app_session
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import FormattedText, to_plain_text
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.keys import Keys
from questionary import Choice as QChoice
from questionary import Separator
from questionary import Style

from bmw_mentor.framework.answers import AnswerError, normalise
from bmw_mentor.framework.schema import AnswerValue, Language, Question
from bmw_mentor.framework.text import Filler
from bmw_mentor.messages import msg
from bmw_mentor.wizard import screen


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


PromptKind = Literal["text", "select", "checkbox", "confirm", "language"]


def _list_control(app: Any) -> Any:
    """questionary's list (the choices, the pointer, the ticks) inside a select or checkbox prompt."""
    from questionary.prompts.common import InquirerControl

    return next(c for c in app.layout.find_all_controls() if isinstance(c, InquirerControl))


def _in_progress(app: Any, kind: PromptKind) -> Any:
    """What the prompt holds right now: typed text, the highlighted choice, or the ticked boxes."""
    if kind == "text":
        return app.current_buffer.text
    control = _list_control(app)
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
        ("hint", "fg:#6c6c6c"),
        ("error", "fg:#c00000 bold"),
    ]
)

Outcome = Any  # an answer value, BACK or a HelpRequest


def _hint(kind: PromptKind, lang: Language, q: Question | None = None) -> list[str]:
    """Every key that works in this prompt, then what F1 will show."""
    if kind == "language":
        return screen.split_items(msg("hint_language", lang))
    if kind == "text":
        key = f"hint_{q.type}" if q is not None else "hint_text"
    else:
        key = {"select": "hint_select", "checkbox": "hint_checkbox", "confirm": "hint_confirm"}[kind]
    items = screen.split_items(msg(key, lang)) + screen.split_items(msg("keys_line", lang))
    if q is not None:
        if q.examples:
            items.append(msg("has_examples", lang, n=len(q.examples)))
        if q.background:
            items.append(msg("has_background", lang))
    return items


def _message(text: str) -> str:
    """The question, wrapped at word boundaries for the terminal's width (prompt_toolkit would cut words)."""
    return screen.message_lines(text, get_app_session().output.get_size().columns)


def _with_keys(
    question: questionary.Question, kind: PromptKind, hint: list[str] | None = None
) -> questionary.Question:
    """Add Esc (back), F1 (help) and, in lists, ``?`` (help) to a questionary prompt, and lay it out.

    The wizard's own yes/no questions (``confirm``) have no help to show; the
    language screen, the very first, has nothing to go back to either. Without
    a ``hint`` the prompt keeps questionary's own instruction line instead.
    """
    extra = KeyBindings()
    app = question.application

    def leave(event: Any, result: Any) -> None:
        event.app.erase_when_done = True  # an abandoned prompt must not stay on screen looking answered
        event.app.exit(result=result)

    def _back(event: Any) -> None:
        leave(event, BACK)

    def _help(event: Any) -> None:
        leave(event, HelpRequest(_in_progress(event.app, kind)))

    if kind != "language":
        extra.add(Keys.Escape, eager=True)(_back)
    if kind not in ("confirm", "language"):
        extra.add(Keys.F1, eager=True)(_help)
    if kind in ("select", "checkbox"):
        # in lists "?" cannot be typed text, so it can mean help as well
        extra.add("?", eager=True)(_help)
    if kind == "text":
        # "?" as the whole answer asks for help too
        asks_help = Condition(lambda: app.current_buffer.text.strip() == "?")
        extra.add(Keys.Enter, filter=asks_help, eager=True)(lambda event: leave(event, HelpRequest(None)))
    if kind == "checkbox":
        _tick_keys(extra)

    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), extra])
    screen.frame(app, kind="text" if kind == "text" else "list", hint=hint or [], error=_error_of(app, kind))
    return question


def _tick_keys(bindings: KeyBindings) -> None:
    """Key "a" ticks every choice, or none when all are ticked; "i" (questionary's "invert") does nothing.

    questionary's own "a" would tick "Other…" as well, which then asks for text nobody meant to give.
    """

    @bindings.add("a", eager=True)
    def _all(event: Any) -> None:
        control = _list_control(event.app)
        real = [c.value for c in control.choices if c.value != _OTHER and not c.disabled]
        if all(v in control.selected_options for v in real):
            control.selected_options = []
        else:
            control.selected_options = [*real, *(v for v in control.selected_options if v == _OTHER)]

    @bindings.add("i", eager=True)
    def _nothing(event: Any) -> None:
        """Not a key of ours: inverting a list of needs is never what a person means."""


def _error_of(app: Any, kind: PromptKind) -> Callable[[], str | None]:
    """Where the prompt keeps the message of an answer that was refused."""
    if kind == "text":

        def text_error() -> str | None:
            error = app.current_buffer.validation_error
            return error.message if error is not None else None

        return text_error
    control = _list_control(app)

    def list_error() -> str | None:
        return to_plain_text(control.error_message) if control.error_message else None

    return list_error


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
    message = _message(fill(q.prompt))
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
        result = _with_keys(prompt, "text", _hint("text", lang, q)).unsafe_ask()
        if result is BACK or isinstance(result, HelpRequest):
            return result
        return normalise(q, result, lang)

    if q.type == "yes_no":
        choices = [QChoice(msg("word_yes", lang), value=True), QChoice(msg("word_no", lang), value=False)]
        start = next((c for c in choices if c.value == default), None) if isinstance(default, bool) else None
        prompt = _select(message, choices, start)
        return _with_keys(prompt, "select", _hint("select", lang, q)).unsafe_ask()

    if q.type == "single":
        choices = [QChoice(fill(c.label), value=c.id) for c in q.choices]
        other_text = ""
        if q.other:
            choices.append(QChoice(msg("other_choice", lang), value=_OTHER))
            if isinstance(default, str) and default and q.choice(default) is None:
                other_text = default
                default = _OTHER
        start = next((c for c in choices if c.value == default), None)
        prompt = _select(message, choices, start)
        result = _with_keys(prompt, "select", _hint("select", lang, q)).unsafe_ask()
        if result is _OTHER:
            return _ask_other(q, lang, other_text, single=True)
        return result

    if q.type == "multi":
        saved = default if isinstance(default, list) else []
        known = {c.id for c in q.choices}
        others = [v for v in saved if v not in known]
        choices: list[Any] = []
        for c in q.choices:
            if c.heading is not None:  # a long list in parts (questions asked together)
                choices.append(Separator(f"── {fill(c.heading)}"))
            choices.append(QChoice(fill(c.label), value=c.id, checked=c.id in saved))
        if q.other:
            choices.append(QChoice(msg("other_choice", lang), value=_OTHER, checked=bool(others)))
        prompt = questionary.checkbox(
            message,
            choices=choices,
            instruction=" ",  # the keys are in the hint under the list
            style=STYLE,
            qmark="›",
            validate=lambda picked: _multi_check(q, lang, picked),
            use_jk_keys=False,
        )
        # questionary ends a checkbox with an English "done (n selections)"; show our own line instead
        prompt.application.erase_when_done = True
        result = _with_keys(prompt, "checkbox", _hint("checkbox", lang, q)).unsafe_ask()
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


def _select(message: str, choices: list[QChoice], start: QChoice | None) -> questionary.Question:
    """A list to choose one from; its keys are in the hint under it, so it has no instruction of its own."""
    # j and k would move the pointer too: keys nobody is told about, and "j" reads as "ja"
    return questionary.select(
        message, choices=choices, default=start, instruction=" ", style=STYLE, qmark="›", use_jk_keys=False
    )


def _summary(labels: list[str], lang: Language) -> str:
    if not labels:
        return msg("none_ticked", lang)
    joined = "; ".join(labels)
    if len(joined) <= 70:
        return joined
    return msg("n_ticked", lang, n=len(labels), first=labels[0])


def _echo(message: str, answer: str) -> None:
    """Print a finished question the way questionary prints its own answered prompts, wrapped at words.

    ``message`` is already wrapped by :func:`_message`; the answer goes after its
    last line, or onto lines of its own when it does not fit there.
    """
    width = get_app_session().output.get_size().columns - 1
    last = message.split("\n")[-1]
    room = width - len(screen.INDENT) - len(last) - 2
    if len(answer) <= room:
        shown = answer
    else:
        shown = "\n" + "\n".join(screen.INDENT + line for line in screen.wrap(answer, width - len(screen.INDENT)))
    print_formatted_text(
        FormattedText([("class:qmark", "›"), ("class:question", f" {message} "), ("class:answer", shown)]),
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
        _message(msg("other_single" if single else "other_multi", lang)),
        default=current,
        validate=check,
        style=STYLE,
        qmark="  ›",
    )
    result = _with_keys(prompt, "text", _hint("text", lang)).unsafe_ask()
    if result is BACK or isinstance(result, HelpRequest):
        return BACK
    if single:
        return result.strip()
    return [part.strip() for part in result.split(";") if part.strip()]


def confirm(message: str, lang: Language, default: bool = True) -> Outcome:
    """A yes/no question of the wizard itself (not of a checklist)."""
    choices = [QChoice(msg("word_yes", lang), value=True), QChoice(msg("word_no", lang), value=False)]
    prompt = _select(_message(message), choices, choices[0] if default else choices[1])
    return _with_keys(prompt, "confirm", _hint("confirm", lang)).unsafe_ask()


def choose(message: str, options: list[tuple[str, Any]], lang: Language) -> Outcome:
    """A choice of the wizard itself (quick or full, the review of a step): Esc goes back."""
    choices = [QChoice(label, value=value) for label, value in options]
    prompt = _select(_message(message), choices, choices[0])
    return _with_keys(prompt, "confirm", _hint("confirm", lang)).unsafe_ask()


def choose_language(default: Language) -> Language:
    """The very first question of ``mentor init``, asked in both languages at once."""
    choices = [QChoice("English", value="en"), QChoice("Nederlands", value="nl")]
    prompt = _select("Language / Taal", choices, choices[0] if default == "en" else choices[1])
    result = _with_keys(prompt, "language", _hint("language", default)).unsafe_ask()
    return "nl" if result == "nl" else "en"

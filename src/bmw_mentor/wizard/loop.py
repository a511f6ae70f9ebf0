"""The interactive wizard: asks the steps' questions and saves after every answer.

Stage two of ``checklists → wizard → project file → renderer → documents``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel

from bmw_mentor.errors import Interrupted, StorageError
from bmw_mentor.files.textsafe import clean
from bmw_mentor.framework.schema import AnswerValue, Checklists, Question, Step
from bmw_mentor.framework.text import Filler
from bmw_mentor.messages import msg
from bmw_mentor.projectfile import progress
from bmw_mentor.projectfile import project as project_file
from bmw_mentor.projectfile.project import Project
from bmw_mentor.wizard import prompts

Asker = Callable[..., Any]


class Wizard:
    """Walks through one or more steps; Esc goes back, Ctrl-C stops with everything saved."""

    def __init__(
        self,
        project: Project,
        path: Path,
        checklists: Checklists,
        console: Console | None = None,
        asker: Asker = prompts.ask,
        confirmer: Callable[..., Any] = prompts.confirm,
    ) -> None:
        self.project = project
        self.path = path
        self.checklists = checklists
        self.console = console or Console(highlight=False)
        self.asker = asker
        self.confirmer = confirmer
        self.lang = project.language
        self._last_section: tuple[int, str] | None = None

    # -- helpers ---------------------------------------------------------
    def _fill(self) -> Filler:
        return Filler(self.checklists, self.project.lookup(), self.lang, for_terminal=True)

    def _say(self, key: str, **params: Any) -> None:
        self.console.print(msg(key, self.lang, **params))

    def _save(self, question: Question | None = None, value: AnswerValue = None) -> None:
        try:
            project_file.save(self.project, self.path)
        except StorageError as exc:
            if question is not None:
                # The answer could not be written: show it so that it is not lost.
                shown = clean(str(value))
                self.console.print(msg("unsaved_answer", self.lang, question=question.id, value=shown))
            raise exc

    def _header(self, step: Step, index: int, total: int, q: Question) -> None:
        fill = self._fill()
        title = escape(clean(fill(step.title)))
        if step.number == 0:
            where = msg("where_setup", self.lang, title=title)
        else:
            where = msg("where_step", self.lang, k=step.number, n=max(self.checklists.numbers), title=title)
        position = msg("where_question", self.lang, i=index + 1, n=total)
        self.console.print()
        self.console.print(f"[bold cyan]{where}[/]  [dim]·[/]  {position}")
        section = step.section_of(q.id)
        if section is not None and self._last_section != (step.number, section.en):
            self.console.print(f"[bold]{escape(clean(fill(section)))}[/]")
            self._last_section = (step.number, section.en)
        if q.help is not None:
            self.console.print(Padding(f"[dim]{escape(clean(fill(q.help)))}[/]", (0, 0, 0, 2)))
        extras = []
        if q.examples:
            extras.append(msg("has_examples", self.lang, n=len(q.examples)))
        if q.background:
            extras.append(msg("has_background", self.lang))
        keys = msg("keys_line", self.lang)
        if q.type in ("text", "long_text", "number", "date"):
            keys = f"{msg(f'hint_{q.type}', self.lang)} · {keys}"
        self.console.print(Padding(f"[dim]{keys}{' · ' + ' · '.join(extras) if extras else ''}[/]", (0, 0, 0, 2)))

    def show_help(self, q: Question) -> None:
        """Everything the checklist knows about ``q``: help, examples and background pages."""
        fill = self._fill()
        parts: list[str] = []
        if q.help is not None:
            parts.append(escape(clean(fill(q.help))))
        if q.type in ("single", "multi"):
            notes = [f"• [bold]{escape(clean(fill(c.label)))}[/]: {escape(clean(fill(c.help)))}" for c in q.choices if c.help]
            if notes:
                parts.append("\n".join(notes))
        if q.examples:
            lines = [f"[bold]{msg('examples_title', self.lang)}[/]"]
            for ex in q.examples:
                lines.append(f"• {escape(clean(fill(ex.text)))} [dim]({escape(clean(fill(ex.source)))})[/]")
            parts.append("\n".join(lines))
        for topic_id in q.background:
            topic = self.checklists.topics[topic_id]
            parts.append(f"[bold]{escape(clean(fill(topic.title)))}[/]\n{escape(clean(fill(topic.body))).rstrip()}")
        if not parts:
            parts.append(msg("no_help", self.lang))
        self.console.print(Panel("\n\n".join(parts), title=msg("help_title", self.lang), border_style="cyan"))

    # -- the loop --------------------------------------------------------
    def run(self, first: int, *, chain: bool = True, from_start: bool = False) -> None:
        """Ask step ``first`` (resuming where it was left), then offer the following steps.

        Raises :class:`Interrupted` on Ctrl-C, after everything answered has been saved.
        """
        visited: list[int] = []
        pending: tuple[str, Any] | None = None
        number = first
        step = self.checklists.step(number)
        index = 0 if from_start else (progress.first_open(self.project, step) or 0)
        self._intro(step, resumed=index > 0)
        visited.append(number)
        try:
            while True:
                step = self.checklists.step(number)
                questions = progress.applicable(step, self.project.lookup())
                if index >= len(questions):
                    self.project.mark_completed(number)
                    self._save()
                    later = [n for n in self.checklists.numbers if n > number]
                    self.console.print()
                    self._say("step_done", title=escape(clean(self._fill()(step.title))))
                    if not later:
                        self._say("all_done", path=escape(str(self.path)))
                        return
                    if not chain:
                        self._say("next_hint", k=later[0])
                        return
                    answer = self.confirmer(msg("go_on", self.lang, k=later[0]), self.lang)
                    if answer is prompts.BACK:
                        index = max(len(questions) - 1, 0)
                        continue
                    if not answer:
                        self._say("next_hint", k=later[0])
                        return
                    number = later[0]
                    step = self.checklists.step(number)
                    index = progress.first_open(self.project, step) or 0
                    self._intro(step, resumed=False)
                    visited.append(number)
                    continue

                q = questions[index]
                problem = progress.saved_problem(q, self.project)
                default = self._default(q, problem is None)
                if pending is not None and pending[0] == q.id:
                    default = pending[1]  # what was typed or ticked before asking for help
                pending = None
                self._header(step, index, len(questions), q)
                if problem is not None:
                    self._say("saved_no_longer_fits", reason=escape(problem))
                outcome = self.asker(q, lang=self.lang, fill=self._fill(), default=default)
                if isinstance(outcome, prompts.HelpRequest):
                    self.show_help(q)
                    if outcome.pending is not None:
                        pending = (q.id, outcome.pending)
                    continue
                if outcome is prompts.BACK:
                    if index > 0:
                        index -= 1
                    elif visited.index(number) > 0:
                        number = visited[visited.index(number) - 1]
                        previous = self.checklists.step(number)
                        index = max(len(progress.applicable(previous, self.project.lookup())) - 1, 0)
                    else:
                        self._say("at_first_question")
                    continue
                self.project.set_answer(self.checklists, q.id, outcome)
                self._save(q, outcome)
                self._smart_hints(q, outcome)
                index += 1
        except (KeyboardInterrupt, EOFError):
            raise Interrupted(msg("interrupted", self.lang, path=str(self.path), k=number)) from None

    def _smart_hints(self, q: Question, answer: AnswerValue) -> None:
        """After a goal is typed, say what keeps it from being SMART (advice only; Esc goes back)."""
        from bmw_mentor.health import smart

        if not isinstance(answer, str) or not smart.wants_hints(q.id):
            return
        hints = smart.hints_for(q.id, answer, self.lang, smart.owner_names(self.project.lookup()))
        if hints:
            body = "\n".join(f"• {escape(clean(self._fill()(h)))}" for h in hints)
            self.console.print(Panel(body, title=msg("smart_title", self.lang), border_style="yellow", title_align="left"))

    def _intro(self, step: Step, *, resumed: bool) -> None:
        fill = self._fill()
        title = escape(clean(fill(step.title)))
        if step.number == 0:
            heading = msg("where_setup", self.lang, title=title)
        else:
            heading = msg("where_step", self.lang, k=step.number, n=max(self.checklists.numbers), title=title)
        body = escape(clean(fill(step.intro)))
        if resumed:
            body += "\n\n" + msg("resuming", self.lang)
        self.console.print()
        self.console.print(Panel(body, title=f"[bold]{heading}[/]", border_style="cyan", title_align="left"))

    def _default(self, q: Question, saved_fits: bool) -> AnswerValue:
        if saved_fits:
            for step_answers in self.project.answers.values():
                if q.id in step_answers and step_answers[q.id] not in (None, []):
                    return step_answers[q.id]
        default = q.default_for(self.lang)
        if isinstance(default, str) and q.type in ("text", "long_text"):
            return Filler(self.checklists, self.project.lookup(), self.lang)(default)
        return default

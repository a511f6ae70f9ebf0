"""The interactive wizard: asks the steps' questions and saves after every answer.

Stage two of ``checklists → wizard → project file → renderer → documents``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console, RenderableType
from rich.control import Control
from rich.segment import ControlType
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel

from bmw_mentor.errors import Interrupted, ProjectInvalidError, StorageError
from bmw_mentor.files import locking
from bmw_mentor.files.textsafe import clean
from bmw_mentor.framework.schema import AnswerValue, Checklists, Question, Step
from bmw_mentor.framework.text import Filler
from bmw_mentor.messages import msg
from bmw_mentor.projectfile import progress
from bmw_mentor.projectfile import project as project_file
from bmw_mentor.projectfile.project import Project
from bmw_mentor.wizard import prompts

Asker = Callable[..., Any]
_ROOM_FOR_PROMPT = 8  # lines kept free under a help panel for the header and a short prompt


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
        self._header_lines = 0  # lines of the current question's header, erased again after Esc or F1
        self._header_section = False  # whether that header shows the section heading

    # -- helpers ---------------------------------------------------------
    def _fill(self) -> Filler:
        return Filler(self.checklists, self.project.lookup(), self.lang, for_terminal=True)

    def _say(self, key: str, **params: Any) -> None:
        self.console.print(msg(key, self.lang, **params))

    def _save(self, question: Question | None = None, value: AnswerValue = None, completed: int | None = None) -> None:
        """Write this one change (an answer, or a finished step) into the file as it is on disk now.

        Another ``mentor`` may have changed the file since it was read (``match --save`` in
        another terminal, ``step N --answers``): the file is read again under the folder's
        lock, only this change is applied to it, and the wizard goes on from the result.
        """
        try:
            with locking.locked(self.path, self.lang):
                fresh = self._reread()
                if question is not None:
                    fresh.set_answer(self.checklists, question.id, value)
                if completed is not None:
                    fresh.mark_completed(completed)
                project_file.save(fresh, self.path)
                if fresh is not self.project:
                    for name in type(fresh).model_fields:
                        setattr(self.project, name, getattr(fresh, name))
        except (StorageError, ProjectInvalidError) as exc:
            if question is not None:
                # The answer could not be written: show it so that it is not lost.
                shown = clean(str(value))
                self.console.print(msg("unsaved_answer", self.lang, question=question.id, value=shown))
            raise exc

    def _reread(self) -> Project:
        """The project as it is on disk now; this wizard's own copy if the file is gone."""
        if not self.path.exists():
            return self.project
        return project_file.load(self.path)

    def _header(self, step: Step, index: int, total: int, q: Question, problem: str | None = None) -> None:
        """Where we are, the section, the question's short help; the keys are shown under the prompt."""
        fill = self._fill()
        title = escape(clean(fill(step.title)))
        if step.number == 0:
            where = msg("where_setup", self.lang, title=title)
        else:
            where = msg("where_step", self.lang, k=step.number, n=max(self.checklists.numbers), title=title)
        position = msg("where_question", self.lang, i=index + 1, n=total)
        self._header_lines = 0
        self._header_section = False
        self._show("")
        self._show(f"[bold cyan]{where}[/]  [dim]·[/]  {position}")
        section = step.section_of(q.id)
        if section is not None and self._last_section != (step.number, section.en):
            self._show(f"[bold]{escape(clean(fill(section)))}[/]")
            self._last_section = (step.number, section.en)
            self._header_section = True
        if q.help is not None:
            self._show(Padding(f"[dim]{escape(clean(fill(q.help)))}[/]", (0, 0, 0, 2)))
        if problem is not None:
            self._show(msg("saved_no_longer_fits", self.lang, reason=escape(problem)))

    def _show(self, renderable: RenderableType) -> None:
        """Print part of a question's header, counting its lines, so that Esc can take it away again."""
        self.console.print(renderable)
        if isinstance(renderable, str):
            renderable = self.console.render_str(renderable)
        self._header_lines += max(len(self.console.render_lines(renderable, self.console.options, pad=False)), 1)

    def _forget_header(self) -> None:
        """Erase the header of a question that was left with Esc or F1 (the prompt has erased itself)."""
        if not self.console.is_terminal or not self._header_lines:
            return
        codes = [Control.move_to_column(0)]
        for _ in range(self._header_lines):
            codes += [Control((ControlType.CURSOR_UP, 1)), Control((ControlType.ERASE_IN_LINE, 2))]
        self.console.control(*codes)
        self._header_lines = 0
        if self._header_section:
            self._last_section = None  # the section heading went with it: show it again with the next question

    def show_help(self, q: Question) -> None:
        """What the checklist adds to ``q``: choice notes, examples and background (its short help is on screen).

        Help taller than the screen opens in a pager, so that nothing scrolls away unread.
        """
        fill = self._fill()
        parts: list[str] = []
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
            # F1 on a question with nothing more to say: say so, rather than repeat the text above the prompt
            self.console.print(Padding(f"[dim]{msg('no_help', self.lang)}[/]", (1, 0, 0, 2)))
            return
        panel = Panel("\n\n".join(parts), title=msg("help_title", self.lang), border_style="cyan")
        tall = len(self.console.render_lines(panel, self.console.options, pad=False))
        if self.console.is_terminal and tall > self.console.height - _ROOM_FOR_PROMPT:
            from bmw_mentor.wizard.pager import page

            page(self.console, msg("help_title", self.lang), "\n\n".join(parts), msg("pager_keys", self.lang))
            return
        self.console.print(panel)

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
                    self._save(completed=number)
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
                self._header(step, index, len(questions), q, problem)
                outcome = self.asker(q, lang=self.lang, fill=self._fill(), default=default)
                if outcome is prompts.BACK or isinstance(outcome, prompts.HelpRequest):
                    self._forget_header()
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

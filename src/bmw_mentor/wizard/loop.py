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
        chooser: Callable[..., Any] = prompts.choose,
        *,
        quick: bool = False,
    ) -> None:
        self.project = project
        self.path = path
        self.checklists = checklists
        self.console = console or Console(highlight=False)
        self.asker = asker
        self.confirmer = confirmer
        self.chooser = chooser
        self.quick = quick  # the quick start: only the questions marked quick, the rest recommended
        self.lang = project.language
        self._last_section: tuple[int, str] | None = None
        self._header_lines = 0  # lines of the current question's header, erased again after Esc or F1
        self._header_section = False  # whether that header shows the section heading

    # -- helpers ---------------------------------------------------------
    def _fill(self) -> Filler:
        return Filler(self.checklists, self.project.lookup(), self.lang, for_terminal=True)

    def _say(self, key: str, **params: Any) -> None:
        self.console.print(msg(key, self.lang, **params))

    def _save(
        self,
        question: Question | None = None,
        value: AnswerValue = None,
        completed: int | None = None,
        answers: dict[str, AnswerValue] | None = None,
        defaults: bool = False,
    ) -> None:
        """Write this one change (an answer, or a finished step) into the file as it is on disk now.

        Another ``mentor`` may have changed the file since it was read (``match --save`` in
        another terminal, ``step N --answers``): the file is read again under the folder's
        lock, only this change is applied to it, and the wizard goes on from the result.
        ``answers`` are several answers given at once (a group of questions, or the recommended
        defaults of a step, marked as such with ``defaults``).
        """
        try:
            with locking.locked(self.path, self.lang):
                fresh = self._reread()
                if question is not None:
                    fresh.set_answer(self.checklists, question.id, value)
                for qid, given in (answers or {}).items():
                    fresh.set_answer(self.checklists, qid, given, default=defaults)
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

    def _header(
        self, step: Step, index: int, total: int, q: Question, problem: str | None = None, section_of: str | None = None
    ) -> None:
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
        section = step.section_of(section_of or q.id)
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
    def run(self, first: int, *, chain: bool = True, from_start: bool = False, check_order: bool = False) -> None:
        """Ask step ``first`` (resuming where it was left), then offer the following steps.

        Each step ends with a review of its answers. With ``check_order``, an earlier step
        that is not done is offered first. Raises :class:`Interrupted` on Ctrl-C, after
        everything answered has been saved.
        """
        number = first
        try:
            if check_order:
                number = self._in_order(first)
            visited: list[int] = []
            start_at = 0 if from_start else self._first_open(number)
            while True:
                if number not in visited:
                    visited.append(number)
                result = self._step(number, start_at)
                later = [n for n in self.checklists.numbers if n > number]
                if result == "back":
                    position = visited.index(number)
                    if position == 0:
                        self._say("at_first_question")
                        start_at = 0
                        continue
                    number = visited[position - 1]
                    start_at = -1  # straight to that step's review
                    continue
                if not later:
                    self._say("all_done", path=escape(str(self.path)))
                    return
                if result == "stop" or not chain:
                    self._say("next_hint", k=progress.step_arg(later[0]))
                    return
                number = later[0]
                start_at = self._first_open(number)
        except (KeyboardInterrupt, EOFError):
            raise Interrupted(msg("interrupted", self.lang, path=str(self.path), k=progress.step_arg(number))) from None

    def _first_open(self, number: int) -> int:
        return progress.first_open(self.project, self.checklists.step(number), quick=self.quick) or 0

    def _questions(self, step: Step) -> list[Question]:
        return progress.applicable(step, self.project.lookup(), quick=self.quick)

    def _in_order(self, wanted: int) -> int:
        """Offer to start with an earlier step that is not done yet; returns the step to run."""
        rows = progress.step_progress(self.project, self.checklists)
        earlier = [r.number for r in rows if r.number < wanted and r.state != "done"]
        if not earlier:
            return wanted
        title = self._step_name(earlier[0])
        self._say("out_of_order", title=title)
        answer = self.confirmer(msg("out_of_order_start", self.lang, title=title), self.lang)
        return earlier[0] if answer is True else wanted

    def _step_name(self, number: int) -> str:
        if number == 0:
            return escape(clean(self._fill()(self.checklists.step(0).title)))
        return msg("step_name", self.lang, k=number)

    def _step(self, number: int, index: int) -> str:
        """Ask one step's questions from ``index`` (-1: go straight to the review).

        Returns "next", "stop" or "back" (Esc on the first question).
        """
        step = self.checklists.step(number)
        total = progress.step_total(self.project, self.checklists, step, quick=self.quick)
        if index >= 0:
            self._intro(step, resumed=index > 0, total=total)
        else:
            index = len(progress.units(self._questions(step)))
        while True:
            questions = progress.units(self._questions(step))  # a group of questions is one prompt
            if index < len(questions):
                unit = questions[index]
                at = max(total, len(questions))
                outcome = self._ask(step, unit[0], index, at) if len(unit) == 1 else self._ask_group(step, unit, index, at)
                if outcome is prompts.BACK:
                    if index == 0:
                        return "back"
                    index -= 1
                else:
                    index += 1
                continue
            filled = progress.fill_recommended(self.project, self.checklists, step, quick=self.quick)
            self.project.mark_completed(number)
            self._save(completed=number, answers=filled, defaults=True)
            self.console.print()
            self._say("step_done", title=escape(clean(self._fill()(step.title))))
            if filled:
                self._say("quick_filled", n=len(filled), k=progress.step_arg(number))
            verdict = self._review(step)
            if verdict is prompts.BACK:
                if not questions:
                    return "back"
                index = len(questions) - 1
                continue
            if verdict == "change":
                self._change(step)
                index = len(progress.units(self._questions(step)))
                continue
            return str(verdict)

    def _ask(self, step: Step, q: Question, index: int, total: int) -> Any:
        """Ask ``q`` until it is answered or the user goes back; the answer is saved. Returns it or BACK."""
        pending: Any = None
        while True:
            problem = progress.saved_problem(q, self.project)
            default = self._default(q, problem is None) if pending is None else pending
            self._header(step, index, total, q, problem)
            outcome = self.asker(q, lang=self.lang, fill=self._fill(), default=default)
            if outcome is prompts.BACK or isinstance(outcome, prompts.HelpRequest):
                self._forget_header()
            if isinstance(outcome, prompts.HelpRequest):
                self.show_help(q)
                pending = outcome.pending  # what was typed or ticked before asking for help
                continue
            if outcome is prompts.BACK:
                return outcome
            self.project.set_answer(self.checklists, q.id, outcome)
            self._save(q, outcome)
            self._smart_hints(q, outcome)
            self._warnings(q)
            return outcome

    def _ask_group(self, step: Step, members: list[Question], index: int, total: int) -> Any:
        """Ask several questions as one list to tick; each answer is saved. Returns BACK or the ticks."""
        from bmw_mentor.wizard import groups

        one = groups.as_one(step, members)
        current = {q.id: self._default(q, progress.saved_problem(q, self.project) is None) for q in members}
        pending: Any = None
        while True:
            self._header(step, index, total, one, section_of=members[0].id)
            outcome = self.asker(one, lang=self.lang, fill=self._fill(), default=groups.joined(members, current) if pending is None else pending)
            if outcome is prompts.BACK or isinstance(outcome, prompts.HelpRequest):
                self._forget_header()
            if isinstance(outcome, prompts.HelpRequest):
                self.show_help(one)
                pending = outcome.pending
                continue
            if outcome is prompts.BACK:
                return outcome
            answers = groups.split(members, outcome, current)
            for qid, value in answers.items():
                self.project.set_answer(self.checklists, qid, value)
            self._save(answers=answers)
            return outcome

    def _review(self, step: Step) -> Any:
        """Show the step's answers; returns "next", "change", "stop" or BACK."""
        from bmw_mentor.wizard import review

        questions = progress.reviewable(step, self.project.lookup())
        answers = {q.id: v for q in questions for a in self.project.answers.values() if q.id in a for v in [a[q.id]]}
        self.console.print(review.table(questions, answers, self.project.defaults, self._fill(), self.lang))
        later = [n for n in self.checklists.numbers if n > step.number]
        if later:
            options = [
                (msg("review_go_on", self.lang, k=later[0]), "next"),
                (msg("review_change", self.lang), "change"),
                (msg("review_stop", self.lang, k=progress.step_arg(later[0])), "stop"),
            ]
        else:
            options = [(msg("review_finish", self.lang), "next"), (msg("review_change", self.lang), "change")]
        return self.chooser(msg("review_question", self.lang), options, self.lang)

    def _change(self, step: Step) -> None:
        """Pick one of the step's questions, ask it again, then any question its new answer opens."""
        from bmw_mentor.wizard import review

        questions = progress.reviewable(step, self.project.lookup())
        fill = self._fill()
        options = [(review.short(fill(q.prompt), 90), q.id) for q in questions]
        picked = self.chooser(msg("review_which", self.lang), options, self.lang)
        if picked is prompts.BACK or picked is None:
            return
        q = self.checklists.questions[picked]
        if self._ask(step, q, questions.index(q), len(questions)) is prompts.BACK:
            return
        while True:  # follow-up questions the changed answer opens (e.g. a task someone else takes)
            current = progress.reviewable(step, self.project.lookup())
            new = next((c for c in current if not progress.is_answered(c, self.project)), None)
            if new is None or self._ask(step, new, current.index(new), len(current)) is prompts.BACK:
                return

    def _warnings(self, q: Question) -> None:
        from bmw_mentor.wizard import warnings

        mentors = escape(clean(self._fill()("{mentors}")))
        for line in warnings.after_answer(q.id, self.project.lookup(), self.lang, mentors):
            self.console.print(line)

    def _smart_hints(self, q: Question, answer: AnswerValue) -> None:
        """After a goal is typed, say what keeps it from being SMART (advice only; Esc goes back)."""
        from bmw_mentor.health import smart

        if not isinstance(answer, str) or not smart.wants_hints(q.id):
            return
        hints = smart.hints_for(q.id, answer, self.lang, smart.owner_names(self.project.lookup()))
        if hints:
            body = "\n".join(f"• {escape(clean(self._fill()(h)))}" for h in hints)
            self.console.print(Panel(body, title=msg("smart_title", self.lang), border_style="yellow", title_align="left"))

    def _intro(self, step: Step, *, resumed: bool, total: int) -> None:
        fill = self._fill()
        title = escape(clean(fill(step.title)))
        if step.number == 0:
            heading = msg("where_setup", self.lang, title=title)
        else:
            heading = msg("where_step", self.lang, k=step.number, n=max(self.checklists.numbers), title=title)
        body = escape(clean(fill(step.intro)))
        if total:
            body += "\n\n" + msg("step_size", self.lang, n=total, m=progress.minutes(self._questions(step)))
        if resumed:
            body += "\n\n" + msg("resuming", self.lang)
        self.console.print()
        self.console.print(Panel(body, title=f"[bold]{heading}[/]", border_style="cyan", title_align="left"))

    def _default(self, q: Question, saved_fits: bool) -> AnswerValue:
        """The saved answer, else what an earlier answer or the framework suggests (pre-filled, pre-ticked)."""
        if saved_fits:
            for step_answers in self.project.answers.values():
                if q.id in step_answers and step_answers[q.id] not in (None, []):
                    return step_answers[q.id]
                if q.id in step_answers and step_answers[q.id] == [] and q.type == "multi":
                    return []  # ticked nothing on purpose: keep it that way
        return progress.suggested(q, self.project.lookup(), self.checklists, self.lang)

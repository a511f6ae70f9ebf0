"""The wizard's screen as a person sees it: the installed `mentor` in a pseudo-terminal, read by a VT100 model.

pyte keeps the screen the way a terminal would (wrapping, cursor moves,
erasing); it answers prompt_toolkit's cursor-position questions, so that the
prompts lay themselves out as in a real terminal, and it keeps an alternate
screen for the pager, as xterm and Windows Terminal do.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pexpect
import pyte
import pytest
from driver import CLEAR, ENTER, ESC, F1, plan

from bmw_mentor.framework.schema import Checklists, Question
from bmw_mentor.framework.text import Filler
from bmw_mentor.messages import msg
from bmw_mentor.projectfile import progress
from bmw_mentor.projectfile.project import Project

pytestmark = pytest.mark.e2e

SIZES = [(80, 24), (120, 40)]


def mentor_command() -> str:
    found = shutil.which("mentor", path=os.path.dirname(sys.executable)) or shutil.which("mentor")
    if found is None:
        pytest.fail("the `mentor` console script is not installed next to this Python")
    return found
ALT_SCREEN = 1049


class Terminal(pyte.Screen):
    """A VT100 screen that answers the program's questions (cursor position) and has an alternate screen."""

    def __init__(self, columns: int, lines: int, child: pexpect.spawn) -> None:
        super().__init__(columns, lines)
        self.child = child
        self._main: tuple[Any, Any] | None = None

    def write_process_input(self, data: str) -> None:
        self.child.send(data)

    def set_mode(self, *modes: int, **kwargs: Any) -> None:
        if kwargs.get("private") and ALT_SCREEN in modes:
            self._main = (copy.deepcopy(self.buffer), copy.copy(self.cursor))
            self.erase_in_display(2)
        super().set_mode(*modes, **kwargs)

    def reset_mode(self, *modes: int, **kwargs: Any) -> None:
        if kwargs.get("private") and ALT_SCREEN in modes and self._main is not None:
            self.buffer, self.cursor = self._main
            self._main = None
            self.dirty.update(range(self.lines))
        super().reset_mode(*modes, **kwargs)

    @property
    def rows(self) -> list[str]:
        return [line.rstrip() for line in self.display]

    def text(self) -> str:
        return "\n".join(self.rows)


class Session:
    """One run of `mentor` at a given size: keys in, screen out."""

    def __init__(self, args: list[str], cwd: Path, size: tuple[int, int]) -> None:
        columns, lines = size
        env = {k: v for k, v in os.environ.items() if not k.startswith("MENTOR_")}
        env.update({"TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "NO_COLOR": "1"})
        for var in ("COLUMNS", "LINES", "PROMPT_TOOLKIT_NO_CPR", "PAGER", "LESS"):
            env.pop(var, None)  # the size comes from the pseudo-terminal, as in a real one
        self.child = pexpect.spawn(mentor_command(), args, cwd=str(cwd), env=env, encoding="utf-8",
                                   timeout=30, dimensions=(lines, columns))  # fmt: skip
        self.screen = Terminal(columns, lines, self.child)
        self.stream = pyte.Stream(self.screen)

    def pump(self, quiet: float = 0.25) -> None:
        """Feed the screen until the program has been quiet for ``quiet`` seconds."""
        last = time.monotonic()
        while time.monotonic() - last < quiet:
            try:
                data = self.child.read_nonblocking(65536, timeout=0.05)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                return
            self.stream.feed(data)
            last = time.monotonic()

    def wait(self, condition: Callable[[str], bool], what: str, timeout: float = 30) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.pump(0.1)
            if condition(self.screen.text()):
                self.pump()  # let the rest of the frame arrive
                return self.screen.text()
        pytest.fail(f"waited for {what}; the screen shows:\n{self.screen.text()}")

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def close(self) -> None:
        self.child.terminate(force=True)


@contextmanager
def session(args: list[str], cwd: Path, size: tuple[int, int]) -> Iterator[Session]:
    s = Session(args, cwd, size)
    try:
        yield s
    finally:
        s.close()


def hint_tokens(lang: str) -> set[str]:
    """Every word a hint may show: the key messages, and what help offers."""
    keys = ["hint_text", "hint_long_text", "hint_number", "hint_date", "hint_select", "hint_confirm",
            "hint_checkbox", "hint_language", "keys_line", "has_background"]  # fmt: skip
    # help's examples: every plural form ("een voorbeeld", "2 voorbeelden")
    words = " ".join(msg(k, lang) for k in keys) + " " + " ".join(msg("has_examples", lang, n=n) for n in (1, 2))
    return set(words.split()) | {str(n) for n in range(100)} | {"·"}


def hint_block(rows: list[str], first_item: str) -> tuple[int, list[str]]:
    """The hint under the current prompt: the last row that starts with its first item, and the rows after it."""
    starts = [i for i, row in enumerate(rows) if row.startswith(f"  {first_item}")]
    assert starts, f"no hint starting with {first_item!r} on screen:\n" + "\n".join(rows)
    start = starts[-1]
    end = start
    while end + 1 < len(rows) and rows[end + 1].startswith("  ") and rows[end + 1].strip():
        end += 1
    return start, rows[start : end + 1]


def first_hint_item(q: Question | None, kind: str, lang: str) -> str:
    key = {"select": "hint_select", "checkbox": "hint_checkbox", "confirm": "hint_confirm"}.get(kind)
    if key is None:
        key = f"hint_{q.type}" if q is not None else "hint_text"
    return msg(key, lang).split(" · ")[0]


def kind_of(q: Question) -> str:
    return {"single": "select", "yes_no": "select", "multi": "checkbox"}.get(q.type, "text")


def assert_hint_whole_words(lines: list[str], columns: int, lang: str) -> None:
    allowed = hint_tokens(lang)
    for line in lines:
        assert len(line) <= columns
        broken = [word for word in line.split() if word not in allowed]
        assert not broken, f"hint line broken inside a word: {line!r} ({broken})"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_kind_of_question_has_its_whole_hint_right_under_it(
    size: tuple[int, int], tmp_path: Path, checklists: Checklists
) -> None:
    """The set-up in Dutch (the longer words) asks text, list, checkbox, yes/no, number and date questions."""
    columns, _ = size
    planned = Project(language="nl")
    seen: set[str] = set()
    with session(["init", "--lang", "nl", "--full"], tmp_path, size) as s:
        step = checklists.step(0)
        index = 0
        while index < len(progress.applicable(step, planned.lookup())):
            q = progress.applicable(step, planned.lookup())[index]
            prompt = Filler(checklists, planned.lookup(), "nl")(q.prompt)
            assert prompt.split(), q.id
            first = first_hint_item(q, kind_of(q), "nl")
            text = s.wait(lambda t, first=first, n=index + 1: f"vraag {n} van" in t and f"  {first}" in t, q.id)
            rows = text.split("\n")
            start, lines = hint_block(rows, first)
            assert_hint_whole_words(lines, columns, "nl")
            # the keys line names Ctrl-C, and lists name F1 as well as "?"
            joined = " ".join(lines)
            assert "Ctrl-C" in joined and "Esc" in joined
            if q.type in ("single", "multi", "yes_no", "text", "number", "date", "long_text"):
                assert "F1" in joined
            if q.type == "multi":
                assert "a: alles of niets aanvinken" in joined
            # same place for every kind: right under the prompt, or under the last choice of a list
            above = rows[start - 1]
            if q.type in ("single", "multi"):
                last = msg("other_choice", "nl") if q.other else Filler(checklists, planned.lookup(), "nl")(q.choices[-1].label)
                assert above.strip().endswith(last[-20:]), (q.id, above)
            elif q.type == "yes_no":
                assert above.strip().endswith(msg("word_no", "nl")), (q.id, above)
            else:
                # the prompt, maybe on two lines, and the input after it (which may wrap), with no gap
                asked = max(i for i, row in enumerate(rows[:start]) if row.startswith("›"))
                assert prompt.split()[0] in rows[asked], text
                assert all(row.strip() for row in rows[asked:start]) and start - asked <= 3, text
            assert all(not row.strip() for row in rows[start + len(lines) :]), "something under the hint"
            seen.add(q.type)
            keys, value = plan(q)
            s.send(keys)
            planned.set_answer(checklists, q.id, value)
            index += 1
    assert {"text", "long_text", "single", "multi", "yes_no", "number", "date"} <= seen


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_validation_message_sits_directly_under_the_prompt(size: tuple[int, int], tmp_path: Path) -> None:
    with session(["init", "--lang", "nl", "--full"], tmp_path, size) as s:
        s.wait(lambda t: "› Hoe heet uw organisatie?" in t, "the first question")
        s.send(CLEAR + ENTER)  # the name is required
        required = msg("answer_required", "nl")
        text = s.wait(lambda t: required in t, "the message")
        rows = text.split("\n")
        at = next(i for i, row in enumerate(rows) if row.startswith("› Hoe heet uw organisatie?"))
        assert rows[at + 1].strip() == f"✗ {required}"
        assert rows[at + 2].startswith(f"  {first_hint_item(None, 'text', 'nl')}")
        # the message goes once the answer is good
        s.send("Transport Peeters" + ENTER)
        text = s.wait(lambda t: "vraag 2 van" in t, "the second question")
        assert required not in text


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_esc_leaves_no_stale_prompt(size: tuple[int, int], tmp_path: Path, checklists: Checklists) -> None:
    with session(["init", "--lang", "en", "--full"], tmp_path, size) as s:
        s.wait(lambda t: "question 1 of" in t and "Enter: confirm" in t, "question 1")
        s.send(CLEAR + "Transport Peeters" + ENTER)
        s.wait(lambda t: "question 2 of" in t and "Enter: confirm" in t, "question 2")
        s.send(CLEAR + "Haulage" + ENTER)
        size_q = checklists.questions["org_size"]
        s.wait(lambda t: "question 3 of" in t and "↑/↓: move" in t, "question 3")
        s.send(ESC)
        text = s.wait(lambda t: "question 3 of" not in t and t.count("question 2 of") == 2, "question 2 again")
        prompt = Filler(checklists, {}, "en")(size_q.prompt)
        assert prompt not in text
        for choice in size_q.choices:
            assert Filler(checklists, {}, "en")(choice.label) not in text
        # the question asked again shows its saved answer, with its hint under it
        rows = text.split("\n")
        asked = [i for i, row in enumerate(rows) if row.startswith("› In which sector")]
        assert len(asked) == 2 and rows[asked[-1]].endswith("Haulage")
        assert rows[asked[-1] + 1].startswith("  Enter: confirm")
        # a checkbox left with Esc goes as well, with its header
        s.send(ENTER)
        s.wait(lambda t: "question 3 of" in t and "↑/↓: move" in t, "question 3")
        s.send("\x1b[B" + ENTER)  # Small
        keys = {"org_country": "Ireland", "coordinator_name": "Mary", "coordinator_role": "HR"}
        for n, (qid, answer) in enumerate(keys.items(), start=4):
            s.wait(lambda t, n=n: f"question {n} of" in t and "Enter: confirm" in t, qid)
            s.send(CLEAR + answer + ENTER)
        s.wait(lambda t: "question 7 of" in t, "question 7")
        s.send(ESC)
        text = s.wait(lambda t: "question 7 of" not in t and t.count("question 6 of") == 2, "question 6 again")
        assert Filler(checklists, {}, "en")(checklists.questions["team_management"].prompt) not in text


def test_help_taller_than_the_screen_opens_in_a_pager(tmp_path: Path, checklists: Checklists) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("language: en\norg_name: Acme\n", encoding="utf-8")
    with session(["init", "--answers", str(answers)], tmp_path, (80, 24)) as s:
        s.child.expect(pexpect.EOF)
    q = checklists.step(1).questions[0]
    assert len(q.examples) > 3  # its help is longer than 24 lines
    with session(["step", "1"], tmp_path, (80, 24)) as s:
        s.wait(lambda t: "Start with Project set-up first?" in t, "the offer to finish the set-up first")
        s.send("\x1b[B" + ENTER)  # no: step 1 as asked
        s.wait(lambda t: "question 1 of" in t and "Write freely" in t, "step 1")
        s.send(F1)
        pager_keys = msg("pager_keys", "en")
        text = s.wait(lambda t: pager_keys in t, "the pager")
        assert "›" not in text  # the pager has the screen to itself
        assert msg("examples_title", "en") in text
        s.send("q")
        text = s.wait(lambda t: "question 1 of" in t and "Write freely" in t, "the question again")
        assert pager_keys not in text
        assert text.count("question 1 of") == 1  # the header before F1 was taken away, not repeated


def test_f1_without_extra_help_says_so(tmp_path: Path, checklists: Checklists) -> None:
    q = checklists.questions["org_name"]
    assert not (q.examples or q.background)
    with session(["init", "--lang", "en", "--full"], tmp_path, (80, 24)) as s:
        s.wait(lambda t: "question 1 of" in t and "Enter: confirm" in t, "question 1")
        s.send(F1)
        text = s.wait(lambda t: msg("no_help", "en") in t and "Enter: confirm" in t, "the answer to F1")
        assert text.count(q.help.en[:40]) == 1  # type: ignore[union-attr] - said once, not repeated as "help"
        assert text.count("question 1 of") == 1


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_language_screen_shows_its_keys(size: tuple[int, int], tmp_path: Path) -> None:
    with session(["init"], tmp_path, size) as s:
        text = s.wait(lambda t: "Language / Taal" in t and "Enter" in t, "the language screen")
        rows = text.split("\n")
        at = next(i for i, row in enumerate(rows) if "Nederlands" in row)
        assert re.match(r"^  ↑/↓: move / kiezen · Enter: choose / bevestigen", rows[at + 1]), rows[at + 1]

"""The ``mentor`` command line: parses options and hands over to the stage packages.

Kept light: ``mentor --help`` must not import questionary, jinja2 or pydantic, so every
engine import happens inside a command. (No ``from __future__ import annotations``: Typer
would have to evaluate every annotation as a string on each run.)
"""

import os
import sys
import types
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional


def _defer_rich_markdown() -> None:
    """Let Typer's help import ``rich.markdown`` without paying for it.

    Typer's help renderer imports rich.markdown (and with it markdown-it) when
    it loads, but only uses it in "markdown" markup mode, which mentor does not
    use. Loading it costs about a fifth of ``mentor --help``. A stand-in module
    answers the import and hands over to the real module on first real use.
    """
    name = "rich.markdown"
    if name in sys.modules:
        return

    def real() -> types.ModuleType:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
        import importlib

        return importlib.import_module(name)

    class Markdown:
        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            return real().Markdown(*args, **kwargs)

    def attribute(attr: str) -> Any:
        if attr.startswith("__"):
            # the import system probes dunders such as __path__; they must not trigger the load
            raise AttributeError(attr)
        return getattr(real(), attr)

    stand_in = types.ModuleType(name)
    stand_in.Markdown = Markdown  # type: ignore[attr-defined]
    stand_in.__getattr__ = attribute  # type: ignore[method-assign]
    sys.modules[name] = stand_in


_defer_rich_markdown()

import typer  # noqa: E402 - after the stand-in above

from bmw_mentor import __version__
from bmw_mentor.errors import ExitCode, MentorError

app = typer.Typer(
    name="mentor",
    help=(
        "Set up a mentoring programme in your organisation, step by step, following the "
        "'Be a Mentor in the Workplace' framework. Start with: mentor init"
    ),
    no_args_is_help=True,
    # --install-completion / --show-completion: bash, zsh, fish and PowerShell, through Typer's own scripts
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

ProjectOption = Annotated[
    Optional[Path],
    typer.Option(
        "--project",
        "-p",
        envvar="MENTOR_PROJECT",
        help="The project file. [default: ./mentor-project.yaml]",
        show_default=False,
        dir_okay=False,
    ),
]
AnswersOption = Annotated[
    Optional[Path],
    typer.Option(
        "--answers",
        help="Take the answers from this YAML file instead of asking (no terminal needed).",
        dir_okay=False,
    ),
]


class Lang(str, Enum):
    en = "en"
    nl = "nl"


def _project(path: Optional[Path]) -> Path:
    from bmw_mentor.projectfile.project import resolve_path

    return resolve_path(path)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mentor (bmw-mentor) {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Set up a mentoring programme in your organisation, step by step."""


@app.command()
def init(
    project: ProjectOption = None,
    lang: Annotated[Optional[Lang], typer.Option("--lang", help="Language of the wizard and the plans.")] = None,
    answers: AnswersOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Start over; the old project file is kept as a dated .bak copy (the last 5 are kept).")
    ] = False,
    quick: Annotated[Optional[bool], typer.Option("--quick/--full", help="Quick start or full framework.", show_default=False)] = None,
) -> None:
    """Start a new project and walk through the set-up and steps 1-4."""
    from bmw_mentor.wizard import commands

    commands.init(_project(project), lang=lang.value if lang else None, answers=answers, force=force, quick=quick)


@app.command()
def step(
    number: Annotated[str, typer.Argument(help="The step: setup (or 0) for the project set-up, or 1-4.", show_default=False)],
    project: ProjectOption = None,
    answers: AnswersOption = None,
    from_start: Annotated[
        bool, typer.Option("--from-start", help="Begin at the first question even if the step is unfinished.")
    ] = False,
) -> None:
    """Resume or revisit a step; saved answers are offered as defaults."""
    from bmw_mentor.wizard import commands

    commands.step(_project(project), number, answers=answers, from_start=from_start)


@app.command(name="continue")
def continue_(project: ProjectOption = None) -> None:
    """Continue with the first unfinished step."""
    from bmw_mentor.wizard import commands

    commands.resume(_project(project))


_LOG_NAMES = "The saved pair: MENTOR MENTEE (one name is enough if it is in one pair only)."
_LOG_FROM = "Add every meeting in a spreadsheet (.csv, .xlsx, .ods)."
_EVALUATE_FILES = "The response sheets (.xlsx, .ods or .csv); or the word 'template' for the blank questionnaires."
_EVALUATE_OUT = "The report: FILE.html, .md, .docx or .pdf (repeatable); with 'template': FILE.xlsx."


@app.command()
def status(
    project: ProjectOption = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Judge the pairs as on this day. [default: today]")] = None,
) -> None:
    """Show what is answered in each step, what to do next, and which pairs are overdue."""
    from bmw_mentor.running import commands

    commands.status(_project(project), as_of)


@app.command()
def log(
    names: Annotated[Optional[list[str]], typer.Argument(help=_LOG_NAMES, show_default=False)] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="When they met, e.g. 2027-09-13. [default: today]")] = None,
    minutes: Annotated[Optional[int], typer.Option("--minutes", help="How long the meeting took.", min=1)] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="One line to remember (optional).")] = None,
    review: Annotated[bool, typer.Option("--review", help="This meeting was a planned review.")] = False,
    from_file: Annotated[Optional[Path], typer.Option("--from", help=_LOG_FROM, dir_okay=False)] = None,
    project: ProjectOption = None,
) -> None:
    """Note that a saved pair met: date, minutes and an optional one-line note."""
    from bmw_mentor.running import commands

    commands.log(_project(project), names or [], date, minutes, note, review, from_file)


class CheckFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def check(
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit with code 1 while high-severity problems remain (open or undecided).")
    ] = False,
    format_: Annotated[
        CheckFormat, typer.Option("--format", help="text: a report to read; json: for scripts.")
    ] = CheckFormat.text,
    project: ProjectOption = None,
) -> None:
    """Check the programme's health against the framework's pitfalls and two international standards."""
    from bmw_mentor.health import report

    report.run(_project(project), strict=strict, fmt=format_.value)


class ExportDoc(str, Enum):
    all = "all"
    programme = "programme"
    communication = "communication"
    training = "training"
    forms = "forms"


class ExportFormat(str, Enum):
    html = "html"
    md = "md"
    docx = "docx"
    pdf = "pdf"
    ics = "ics"


@app.command()
def export(
    target: Annotated[
        str,
        typer.Argument(
            help="The file to write: plan.html, plan.md, plan.docx (Word), plan.pdf or plan.ics "
            "(the extension picks the format). "
            "A folder (ending in /) gets one file per document.",
            show_default=False,
            metavar="FILE",
        ),
    ],
    doc: Annotated[
        ExportDoc, typer.Option("--doc", help="Which document; 'all' is one document with a table of contents.")
    ] = ExportDoc.all,
    format_: Annotated[
        Optional[ExportFormat], typer.Option("--format", help="The format when FILE is a folder. [default: html]")
    ] = None,
    logo: Annotated[
        Optional[Path],
        typer.Option("--logo", help="The organisation's logo for the cover (PNG, JPEG or SVG; .html, .docx, .pdf).",
                     show_default=False, metavar="FILE"),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace a file even though mentor did not write it.")
    ] = False,
    project: ProjectOption = None,
) -> None:
    """Write the plans: programme, communication and training plan, and the forms."""
    from bmw_mentor.documents import export as exporter

    exporter.command(_project(project), target, doc.value, format_.value if format_ else None, logo, force=force)


SheetOption = Annotated[
    Optional[str],
    typer.Option("--sheet", help="The sheet of an .xlsx or .ods file to read. [default: the first]", show_default=False),
]
ColumnOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "--column",
        help="Read a column as a field: 'Column name=field', e.g. 'Max. aantal nieuwkomers=capacity' "
        "('Column name=' leaves it out). Kept in the project file (repeatable).",
    ),
]

participants_app = typer.Typer(
    help="Keep the list of people to match: a CSV file next to the project, readable by you only.",
    no_args_is_help=True,
)
app.add_typer(participants_app, name="participants")


@participants_app.command("add")
def participants_add(
    name: Annotated[Optional[str], typer.Argument(help="The person's name.", show_default=False)] = None,
    role: Annotated[Optional[str], typer.Option("--role", help="mentor, mentee or both (beide).")] = None,
    department: Annotated[Optional[str], typer.Option("--department", help="Department or team.")] = None,
    years: Annotated[Optional[str], typer.Option("--years", help="Years of experience.")] = None,
    manager: Annotated[Optional[str], typer.Option("--manager", help="Name of the line manager.")] = None,
    learn: Annotated[
        Optional[str], typer.Option("--learn", help="What they want to learn, e.g. 'sales, Excel'.")
    ] = None,
    offer: Annotated[
        Optional[str], typer.Option("--offer", help="What they can offer, e.g. 'planning, safety'.")
    ] = None,
    languages: Annotated[Optional[str], typer.Option("--languages", help="Languages, e.g. 'nl, fr'.")] = None,
    capacity: Annotated[Optional[str], typer.Option("--capacity", help="How many mentees a mentor can take.")] = None,
    availability: Annotated[
        Optional[str], typer.Option("--availability", help="When they are available, e.g. 'mon, thu'.")
    ] = None,
    from_file: Annotated[
        Optional[Path],
        typer.Option("--from", help="Add everyone from a spreadsheet: .xlsx, .ods or CSV.", dir_okay=False),
    ] = None,
    sheet: SheetOption = None,
    column: ColumnOption = None,
    project: ProjectOption = None,
) -> None:
    """Add a person (or everyone in a spreadsheet); a name already on the list is updated."""
    from bmw_mentor.matching import commands as matchcommands

    values = {
        "role": role,
        "department": department,
        "years": years,
        "line_manager": manager,
        "wants": learn,
        "offers": offer,
        "languages": languages,
        "capacity": capacity,
        "availability": availability,
    }
    matchcommands.participants_add(
        _project(project), name, values, from_file, columns=column or [], sheet_name=sheet
    )


class RoleFilter(str, Enum):
    mentor = "mentor"
    mentee = "mentee"


@participants_app.command("list")
def participants_list(
    role: Annotated[Optional[RoleFilter], typer.Option("--role", help="Show only mentors or only mentees.")] = None,
    project: ProjectOption = None,
) -> None:
    """Show everyone on the participants list."""
    from bmw_mentor.matching import commands as matchcommands

    matchcommands.participants_list(_project(project), role.value if role else None)


@participants_app.command("remove")
def participants_remove(
    name: Annotated[str, typer.Argument(help="The person's name.", show_default=False)],
    project: ProjectOption = None,
) -> None:
    """Take a person off the participants list (to erase them everywhere, use: mentor forget)."""
    from bmw_mentor.matching import commands as matchcommands

    matchcommands.participants_remove(_project(project), name)


class Focus(str, Enum):
    induction = "induction"
    growth = "growth"
    both = "both"


@app.command()
def match(
    file: Annotated[
        Optional[Path],
        typer.Argument(
            help="The participants: an .xlsx, .ods or CSV file; without it, the participants list is used.",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    out: Annotated[
        Optional[list[Path]],
        typer.Option(
            "--out", "-o", help="Write the matching sheet: FILE.md, FILE.html or FILE.csv (repeatable).", dir_okay=False
        ),
    ] = None,
    save: Annotated[bool, typer.Option("--save", help="Store the pairs in the project file.")] = False,
    pin: Annotated[
        Optional[list[str]], typer.Option("--pin", help="Keep this pair: 'Mentor=Mentee' (repeatable).")
    ] = None,
    forbid: Annotated[
        Optional[list[str]], typer.Option("--forbid", help="Never this pair: 'Mentor=Mentee' (repeatable).")
    ] = None,
    keep_saved: Annotated[
        bool, typer.Option("--keep-saved", help="Keep the pairs already stored in the project file.")
    ] = False,
    focus: Annotated[
        Optional[Focus], typer.Option("--focus", help="Use the rule defaults of this focus instead of the project's.")
    ] = None,
    gap: Annotated[
        Optional[str], typer.Option("--gap", help="The right gap in years of experience, e.g. 2-10.")
    ] = None,
    off: Annotated[
        Optional[list[str]],
        typer.Option(
            "--off",
            help=(
                "Switch a rule off (repeatable): experience_gap, reporting_line, department, learning, "
                "language, availability, load_spreading."
            ),
        ),
    ] = None,
    set_: Annotated[
        Optional[list[str]],
        typer.Option("--set", help="Change a setting: rule.setting=value, e.g. language.hard=true (repeatable)."),
    ] = None,
    config: Annotated[
        Optional[Path], typer.Option("--config", help="Rule settings from a YAML file.", dir_okay=False)
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first bad row instead of skipping it.")] = False,
    why: Annotated[bool, typer.Option("--why", help="Show the reasons for each pair on screen too.")] = False,
    sheet: SheetOption = None,
    column: ColumnOption = None,
    lang: Annotated[Optional[Lang], typer.Option("--lang", help="Language of the output.")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an --out file even though mentor did not write it.")
    ] = False,
    project: ProjectOption = None,
) -> None:
    """Suggest mentor-mentee pairs for the whole group, following the framework's matching rules."""
    from bmw_mentor.matching import commands as matchcommands

    matchcommands.match(
        _project(project),
        file,
        outs=out or [],
        save=save,
        pins=pin or [],
        forbids=forbid or [],
        config=config,
        sets=set_ or [],
        gap=gap,
        off=off or [],
        focus=focus.value if focus else None,
        keep_saved=keep_saved,
        strict=strict,
        lang=lang.value if lang else None,
        force=force,
        columns=column or [],
        sheet_name=sheet,
        why=why,
    )


@app.command()
def schema(
    folder: Annotated[
        Optional[Path],
        typer.Argument(
            help="Where to write them. [default: the project file's folder]",
            show_default=False,
            file_okay=False,
            metavar="DIR",
        ),
    ] = None,
    project: ProjectOption = None,
) -> None:
    """Write JSON Schemas of the project file and of answers files, so that an editor completes and checks them."""
    from bmw_mentor.projectfile import schemas

    schemas.command(folder, _project(project))


@app.command()
def evaluate(
    files: Annotated[list[str], typer.Argument(help=_EVALUATE_FILES, show_default=False, metavar="FILE... | template")],
    out: Annotated[Optional[list[Path]], typer.Option("--out", "-o", help=_EVALUATE_OUT, dir_okay=False)] = None,
    project: ProjectOption = None,
) -> None:
    """Write the evaluation questionnaires, or turn the answers into a report against the programme's targets."""
    from bmw_mentor.running import evaluate as evaluating

    evaluating.run(_project(project), files, out or [])


@app.command()
def forget(
    name: Annotated[str, typer.Argument(help="The person's name.", show_default=False)],
    project: ProjectOption = None,
) -> None:
    """Remove a person from every file mentor wrote: participants, pairs, sheets, plans, check-ins, evaluation answers."""
    from bmw_mentor.privacy import forget as forgetting

    forgetting.run(_project(project), name)


def _fail(message: str, code: int) -> int:
    from bmw_mentor.files.textsafe import clean

    for line in message.split("\n") or [""]:
        sys.stderr.write(f"mentor: {clean(line)}\n")
    return code


def _plain_flags(command: Any) -> None:
    """Show on/off options without a type: "--force", not "--force <bool>".

    Typer's help prints a type for every option; for a flag it says "<bool>",
    which reads as if a value had to follow. An empty metavar leaves the column blank.
    """
    help_names = command.context_settings.get("help_option_names", ["-h", "--help"])
    pending = [command]
    while pending:
        cmd = pending.pop()
        help_option = cmd.get_help_option(typer.Context(cmd, help_option_names=help_names))
        for param in [*cmd.params, help_option]:
            if getattr(param, "is_flag", False) and param.metavar is None:
                param.metavar = ""
        pending.extend(getattr(cmd, "commands", {}).values())
# 128 + SIGPIPE, what a shell reports for a program whose reader went away (`mentor check | head -1`)
PIPE_CLOSED = 141


def _stdout_id() -> Optional[tuple[int, int]]:
    try:
        st = os.fstat(1)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _output_failed(exc: OSError) -> str:
    from bmw_mentor.messages import say

    return say("output_failed", reason=exc.strerror or exc)


def _pipe_closed() -> int:
    """Quiet from here on: later writes to the closed pipe go nowhere instead of failing again at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return PIPE_CLOSED


def run(argv: Optional[list[str]] = None) -> int:
    """Run the CLI and return the exit code; every failure becomes one line on stderr."""
    from bmw_mentor import cliwords, messages

    args = list(sys.argv[1:] if argv is None else argv)
    command = typer.main.get_command(app)
    _plain_flags(command)
    lang = cliwords.prepare(command, args)  # one language for the run, --help included
    before = _stdout_id()
    try:
        result = command.main(args=args, prog_name="mentor", standalone_mode=False)
    except SystemExit as exc:
        # Rich ends the program with exit code 1 when the reader of its output goes away, after
        # pointing stdout at /dev/null; 1 is `check --strict`'s code, so report the closed pipe instead
        try:
            null = os.stat(os.devnull)
        except OSError:
            null = None
        now = _stdout_id()
        if exc.code == 1 and null is not None and now == (null.st_dev, null.st_ino) and now != before:
            return PIPE_CLOSED
        # Typer's completion options end with sys.exit() once the script is shown or installed
        return exc.code if isinstance(exc.code, int) else int(bool(exc.code))
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        return _fail(messages.msg("stopped", lang), int(ExitCode.INTERRUPTED))
    except typer.TyperException as exc:
        # Typer's usage errors (unknown option, bad value, missing argument), in the user's language
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            # Typer's rich help is printed while the error is made; plain help comes as its message
            if exc.format_message().strip():
                typer.echo(exc.format_message())
            return int(ExitCode.OK)
        return _fail(cliwords.usage_error(exc, lang), int(ExitCode.USAGE))
    except MentorError as exc:
        return _fail(str(exc), int(exc.exit_code))
    except KeyboardInterrupt:
        return _fail(messages.msg("stopped", lang), int(ExitCode.INTERRUPTED))
    except BrokenPipeError:
        return _pipe_closed()
    except OSError as exc:
        # a write that failed outside our own files: standard output on a full disk, for one
        return _fail(_output_failed(exc), int(ExitCode.IO_ERROR))
    except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("MENTOR_DEBUG"):
            raise
        return _fail(messages.msg("internal_error", lang, error=f"{type(exc).__name__}: {exc}"), 70)
    return int(result or 0)


def main() -> None:
    """Console-script entry point."""
    code = run()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = _pipe_closed()
    except OSError as exc:
        # what was printed last never arrived: the same failure as any other write
        _pipe_closed()
        code = _fail(_output_failed(exc), int(ExitCode.IO_ERROR))
    sys.exit(code)

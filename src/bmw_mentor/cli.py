"""The ``mentor`` command line: parses options and hands over to :mod:`bmw_mentor.commands`.

Kept deliberately light: ``mentor --help`` must not import questionary, jinja2
or pydantic, so every engine import happens inside a command.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from bmw_mentor import __version__
from bmw_mentor.errors import ExitCode, MentorError

app = typer.Typer(
    name="mentor",
    help=(
        "Set up a mentoring programme in your organisation, step by step, following the "
        "'Be a Mentor in the Workplace' framework. Start with: mentor init"
    ),
    no_args_is_help=True,
    add_completion=False,
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
    from bmw_mentor.project import resolve_path

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
        bool, typer.Option("--force", help="Start over; the old project file is kept as .bak.")
    ] = False,
) -> None:
    """Start a new project and walk through the set-up and steps 1-4."""
    from bmw_mentor import commands

    commands.init(_project(project), lang=lang.value if lang else None, answers=answers, force=force)


@app.command()
def step(
    number: Annotated[int, typer.Argument(help="The step: 1-4, or 0 for the project set-up.", min=0, max=4)],
    project: ProjectOption = None,
    answers: AnswersOption = None,
    from_start: Annotated[
        bool, typer.Option("--from-start", help="Begin at the first question even if the step is unfinished.")
    ] = False,
) -> None:
    """Resume or revisit a step; saved answers are offered as defaults."""
    from bmw_mentor import commands

    commands.step(_project(project), number, answers=answers, from_start=from_start)


@app.command(name="continue")
def continue_(project: ProjectOption = None) -> None:
    """Continue with the first unfinished step."""
    from bmw_mentor import commands

    commands.resume(_project(project))


@app.command()
def status(project: ProjectOption = None) -> None:
    """Show what is answered in each step and what to do next."""
    from bmw_mentor import commands

    commands.status(_project(project))


def _fail(message: str, code: int) -> int:
    for line in message.splitlines() or [""]:
        sys.stderr.write(f"mentor: {line}\n")
    return code


def run(argv: Optional[list[str]] = None) -> int:
    """Run the CLI and return the exit code; every failure becomes one line on stderr."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="mentor", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        return _fail("stopped", int(ExitCode.INTERRUPTED))
    except typer.TyperException as exc:
        # Typer's usage errors (unknown option, bad value, missing argument)
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            typer.echo(ctx.get_help())
            return int(ExitCode.OK)
        hint = f" (see: {ctx.command_path} --help)" if ctx is not None else ""
        return _fail(f"{exc.format_message()}{hint}", int(ExitCode.USAGE))
    except MentorError as exc:
        return _fail(str(exc), int(exc.exit_code))
    except KeyboardInterrupt:
        return _fail("stopped", int(ExitCode.INTERRUPTED))
    except BrokenPipeError:
        return int(ExitCode.OK)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("MENTOR_DEBUG"):
            raise
        return _fail(
            f"internal error: {type(exc).__name__}: {exc} (run again with MENTOR_DEBUG=1 for details, "
            "and please report it)",
            70,
        )
    return int(result or 0)


def main() -> None:
    """Console-script entry point."""
    code = run()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    sys.exit(code)

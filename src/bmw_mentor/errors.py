"""Exit codes and the error classes that map onto them.

Every failure a user can cause ends in one of these errors; the CLI turns it
into a single line on stderr and the error's exit code. Nothing else is allowed
to escape as a traceback.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, documented in the README."""

    OK = 0
    CHECK_FAILED = 1
    USAGE = 2
    PROJECT_INVALID = 3
    CHECKLIST_INVALID = 4
    NO_PROJECT = 5
    NO_TERMINAL = 6
    ANSWERS_INVALID = 7
    IO_ERROR = 8
    PROJECT_EXISTS = 9
    PARTICIPANTS_INVALID = 10
    RECORDS_INVALID = 12
    INTERRUPTED = 130


class MentorError(Exception):
    """Base class: a problem the user can fix, reported in one line."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(MentorError):
    exit_code = ExitCode.USAGE


class ProjectInvalidError(MentorError):
    exit_code = ExitCode.PROJECT_INVALID


class ChecklistInvalidError(MentorError):
    exit_code = ExitCode.CHECKLIST_INVALID


class ProjectMissingError(MentorError):
    exit_code = ExitCode.NO_PROJECT


class NoTerminalError(MentorError):
    exit_code = ExitCode.NO_TERMINAL


class AnswersInvalidError(MentorError):
    exit_code = ExitCode.ANSWERS_INVALID


class StorageError(MentorError):
    exit_code = ExitCode.IO_ERROR


class ProjectExistsError(MentorError):
    exit_code = ExitCode.PROJECT_EXISTS


class ParticipantsInvalidError(MentorError):
    exit_code = ExitCode.PARTICIPANTS_INVALID


class RecordsInvalidError(MentorError):
    """A meetings log, a meetings sheet or a sheet of evaluation responses cannot be used."""

    exit_code = ExitCode.RECORDS_INVALID


class CheckFailedError(MentorError):
    exit_code = ExitCode.CHECK_FAILED


class Interrupted(MentorError):
    """The user pressed Ctrl-C; everything answered so far is saved."""

    exit_code = ExitCode.INTERRUPTED

"""One lock per project folder, so that two ``mentor`` commands never lose each other's writes.

The project file, the participants file and the ledger of written files live
side by side, and several commands change more than one of them; one lock for
the folder keeps that simple. The lock is re-entrant within a process (``forget``
saves the project, the participants file and the ledger under one lock), and it
is only held while a command reads, changes and writes; the wizard takes it
for each answer, never while it waits for the user.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bmw_mentor.errors import StorageError
from bmw_mentor.messages import language, msg, say

LOCK_FILE = ".mentor.lock"
TIMEOUT_VAR = "MENTOR_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 15.0

_held: dict[str, tuple[object, int]] = {}
_guard = threading.RLock()


def lock_path(folder: Path) -> Path:
    return folder / LOCK_FILE


def _timeout() -> float:
    try:
        return max(0.0, float(os.environ.get(TIMEOUT_VAR, DEFAULT_TIMEOUT)))
    except ValueError:
        return DEFAULT_TIMEOUT


@contextmanager
def locked(target: Path, lang: str | None = None) -> Iterator[None]:
    """Hold the lock of the folder that holds ``target`` (a project, participants or ledger file)."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        # checked here: the lock must not create the folder that the write would then find
        raise StorageError(say("save_no_folder", path=target, folder=folder))
    key = os.path.realpath(folder)
    with _guard:
        held = _held.get(key)
        if held is not None:
            _held[key] = (held[0], held[1] + 1)
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            _release(key)
        return
    from filelock import FileLock, Timeout

    words = lang or language()
    path = lock_path(Path(key))
    lock = FileLock(str(path), timeout=_timeout(), mode=0o600, thread_local=False)
    try:
        lock.acquire()
    except Timeout:
        raise StorageError(msg("locked_by_other", words, path=path)) from None
    except OSError as exc:
        raise StorageError(msg("lock_failed", words, path=path, reason=exc.strerror or exc)) from None
    with _guard:
        _held[key] = (lock, 1)
    try:
        yield
    finally:
        _release(key)


def _release(key: str) -> None:
    with _guard:
        lock, count = _held[key]
        if count > 1:
            _held[key] = (lock, count - 1)
            return
        del _held[key]
    lock.release()  # type: ignore[attr-defined]

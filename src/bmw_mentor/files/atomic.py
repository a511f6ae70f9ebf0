"""Writing a file in one step: a temporary file beside it, fsync, then rename."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from bmw_mentor.errors import StorageError
from bmw_mentor.messages import say


def write_atomic(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data`` in one step, or raise :class:`StorageError`.

    A symbolic link is written through: its target gets the new content and the link
    stays. A file its owner made read-only is not replaced.
    """
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    with contextlib.suppress(OSError):
        if stat.S_ISREG(path.stat().st_mode) and not path.stat().st_mode & stat.S_IWUSR:
            raise StorageError(say("file_read_only", path=path))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise StorageError(say("save_no_folder", path=path, folder=folder))
    fd = -1
    tmp_name = ""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        if hasattr(os, "fchmod"):  # not on Windows before Python 3.13; there the folder's rights apply
            os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
        os.close(fd)
        fd = -1
        _replace(tmp_name, path)
        tmp_name = ""
        _remove_orphans(folder, path.name)
        with contextlib.suppress(OSError):
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    except OSError as exc:
        raise StorageError(_storage_message(path, exc)) from None
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


# Windows refuses to replace a file that another program holds open: "access denied" (5) or
# "sharing violation" (32). A virus scanner or a search indexer lets go within moments.
_WINDOWS_IN_USE = (5, 32, 33)


def _replace(source: str, target: Path, tries: int = 10) -> None:
    """``os.replace``, tried again for about a second while Windows reports the target in use."""
    import time

    for attempt in range(tries):
        try:
            os.replace(source, target)
            return
        except PermissionError as exc:
            if getattr(exc, "winerror", None) not in _WINDOWS_IN_USE or attempt == tries - 1:
                raise
            time.sleep(0.1)


def _remove_orphans(folder: Path, name: str) -> None:
    """Delete temporary files left by a save that was killed; they may hold personal data."""
    import glob
    import time

    cutoff = time.time() - 60  # younger ones may belong to a save that is still running
    for orphan in folder.glob(f".{glob.escape(name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if orphan.stat().st_mtime < cutoff:
                orphan.unlink()


def _storage_message(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        reason = say("save_disk_full")
    elif getattr(exc, "winerror", None) in _WINDOWS_IN_USE:
        reason = say("save_file_in_use")
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = say("save_no_permission")
    else:
        reason = exc.strerror or str(exc)
    return say("save_failed", path=path, reason=reason)


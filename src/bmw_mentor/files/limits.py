"""Bounded reading: no input file, device or pipe is read beyond a documented size.

A project, answers or ledger file is at most ``TEXT_LIMIT`` bytes and a
spreadsheet at most ``SHEET_LIMIT``; ``MENTOR_MAX_INPUT`` (bytes) changes both,
for a site that really has larger files. ``/dev/zero`` or an endless pipe
stops at the limit instead of filling the memory.
"""

from __future__ import annotations

import os
from pathlib import Path

TEXT_LIMIT = 8 * 1024 * 1024
SHEET_LIMIT = 32 * 1024 * 1024
LIMIT_VAR = "MENTOR_MAX_INPUT"


class TooLarge(ValueError):
    """The input is larger than the limit; the message names the file and the limit."""


def limit_for(default: int) -> int:
    try:
        return max(1, int(os.environ.get(LIMIT_VAR, default)))
    except ValueError:
        return default


def read_limited(path: Path, limit: int = TEXT_LIMIT) -> bytes:
    """The bytes of ``path``, read in chunks and never more than ``limit`` (raises :class:`TooLarge`)."""
    limit = limit_for(limit)
    chunks: list[bytes] = []
    size = 0
    with open(path, "rb") as fh:
        while size <= limit:
            chunk = fh.read(min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    if size > limit:
        from bmw_mentor.messages import say

        raise TooLarge(say("input_too_large", path=path, size=_size(limit)))
    return b"".join(chunks)


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n} bytes"

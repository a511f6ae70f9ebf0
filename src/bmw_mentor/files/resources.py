"""Where the shipped data lives: inside the wheel, or at the top of a checkout."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # the bmw_mentor package


@cache
def data_dir(name: str) -> Path:
    """Return the ``checklists`` or ``templates`` folder.

    A wheel carries them inside the package; a source checkout keeps them at
    the repository root. ``MENTOR_DATA_DIR`` overrides both, which tests use to
    point at a deliberately broken copy.
    """
    override = os.environ.get("MENTOR_DATA_DIR")
    if override:
        return Path(override) / name
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent.parent / name


def private_cache(*parts: str) -> Path | None:
    """The user's cache folder for bmw-mentor (``$XDG_CACHE_HOME/bmw-mentor/...``), or None.

    The cache holds pickled data and compiled templates, which are code: it is used only
    when the folder belongs to this user and nobody else can write in it. Otherwise
    mentor works without it, a little slower.
    """
    if os.environ.get("MENTOR_NO_CACHE"):
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base.joinpath("bmw-mentor", *parts)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    for step in [folder, *folder.parents][: len(parts) + 1]:
        if not is_private(step):
            return None
    return folder


def is_private(path: Path) -> bool:
    """Owned by this user, not a link, and writable by nobody else."""
    import stat

    try:
        st = path.lstat()
    except OSError:
        return False
    if stat.S_ISLNK(st.st_mode):
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & 0o022

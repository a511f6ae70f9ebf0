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

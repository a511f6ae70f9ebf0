"""Reading the YAML data files: one-line errors that name file, field and line, and a per-user cache.

Every data file (checklists, plans, rules, matching settings) goes through
here, so that a broken file always reads the same way to the user.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bmw_mentor.errors import ChecklistInvalidError
from bmw_mentor.files import yamlio

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

# pydantic names union members and validators in error locations; they are not fields of the file
_NOT_FIELDS = ("function-", "list[", "Text", "bool", "int", "float", "str", "date", "none")


def describe(exc: ValidationError, path: Path, text: str | None = None) -> str:
    """One line for the first validation error: file, field path, line and message."""
    err = exc.errors()[0]
    loc = tuple(p for p in err["loc"] if isinstance(p, int) or not str(p).startswith(_NOT_FIELDS))
    field = ""
    for part in loc:
        field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
    line = yamlio.line_of(text, loc) if text is not None else None
    where = f" (line {line})" if line else ""
    more = len(exc.errors()) - 1
    extra = f"; and {more} more problem{'s' if more > 1 else ''}" if more else ""
    return f"{path}: {field or 'top level'}{where}: {err['msg']}{extra}"


def read(path: Path) -> tuple[Any, str]:
    """Parse a data file; returns the data and its text (for line numbers)."""
    from bmw_mentor.files.limits import TooLarge, read_limited

    try:
        text = yamlio.decode_utf8(read_limited(path), path)
    except FileNotFoundError:
        raise ChecklistInvalidError(f"{path}: not found") from None
    except (TooLarge, yamlio.YamlSyntaxError) as exc:
        raise ChecklistInvalidError(str(exc)) from None
    except OSError as exc:
        raise ChecklistInvalidError(f"{path}: cannot be read ({exc})") from None
    try:
        return yamlio.loads(text, str(path)), text
    except yamlio.YamlSyntaxError as exc:
        raise ChecklistInvalidError(str(exc)) from None


def load_model(path: Path, model: type[M]) -> M:
    """Read ``path`` and validate it as ``model``, or raise a one-line :class:`ChecklistInvalidError`."""
    data, text = read(path)
    return validate(model, data, path, text)


def validate(model: type[M], data: Any, path: Path, text: str | None = None) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ChecklistInvalidError(describe(exc, path, text)) from None


def fingerprint(folder: Path, *modules: str) -> str:
    """Changes whenever a data file in ``folder`` or one of the given source files changes."""
    from bmw_mentor import __version__

    digest = hashlib.sha256(__version__.encode())
    for source in (__file__, *modules):
        digest.update(f"|{source}:{Path(source).stat().st_mtime_ns}".encode())
    for path in sorted(folder.glob("*.yaml")):
        st = path.stat()
        digest.update(f"|{path.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return digest.hexdigest()[:24]


def cached(kind: str, folder: Path, modules: tuple[str, ...], expect: type[T], build: Callable[[], T]) -> T:
    """``build()``, kept pickled in the user's cache folder until a data or source file changes.

    Validating the large bilingual files costs more than everything else before
    the first question; the cache makes that cost a one-off. ``MENTOR_NO_CACHE``
    turns it off.
    """
    from bmw_mentor.files.resources import is_private, private_cache

    cache_file: Path | None = None
    cache_dir = private_cache() if folder.is_dir() else None
    if cache_dir is not None:
        cache_file = cache_dir / f"{kind}-{fingerprint(folder, *modules)}.pickle"
        try:
            # unpickling runs code: only a file of this user's that nobody else could have written
            if is_private(cache_file):
                with cache_file.open("rb") as fh:
                    found = pickle.load(fh)  # noqa: S301 - our own file in the user's own private folder
                if isinstance(found, expect):
                    return found
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            pass
    result = build()
    if cache_file is not None:
        # a cache that cannot be written only makes the next start slower
        with contextlib.suppress(Exception):
            from bmw_mentor.files.atomic import write_atomic

            write_atomic(cache_file, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return result

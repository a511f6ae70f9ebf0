"""YAML reading and writing, with libyaml when it is there and line numbers for errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

try:  # the C loader is several times faster on the large bilingual checklists
    from yaml import CSafeDumper as SafeDumper
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper, SafeLoader  # type: ignore[assignment]


class YamlSyntaxError(ValueError):
    """Raised with a one-line description that names the line."""


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    # Long answers stay readable as block scalars instead of one long quoted line.
    if "\n" in data and all(ch == "\n" or ch == "\t" or ch >= " " for ch in data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


class _Dumper(SafeDumper):  # type: ignore[misc,valid-type]
    pass


_Dumper.add_representer(str, _str_representer)


def loads(text: str, source: str) -> Any:
    """Parse YAML text; syntax errors become one line naming ``source`` and the line."""
    try:
        return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}" if mark is not None else "unknown line"
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        ctx = exc.context_mark
        if exc.context and ctx is not None and mark is not None and ctx.line != mark.line:
            problem += f", {exc.context.strip()} on line {ctx.line + 1}"
        raise YamlSyntaxError(f"{source}: {where}: not valid YAML ({_one_line(problem)})") from None
    except yaml.reader.ReaderError as exc:
        raise YamlSyntaxError(
            f"{source}: not valid YAML (character #x{exc.character:04x} at position {exc.position}: {exc.reason})"
            if isinstance(exc.character, int)
            else f"{source}: not valid YAML ({exc.reason} at position {exc.position})"
        ) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"{source}: not valid YAML ({_one_line(str(exc))})") from None
    except RecursionError:
        raise YamlSyntaxError(f"{source}: not valid YAML (nested too deeply)") from None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def load_file(path: Path) -> Any:
    """Read and parse a YAML file (UTF-8)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise YamlSyntaxError(f"{path}: not a text file (it is not valid UTF-8)") from None
    return loads(text, str(path))


def dumps(data: Any) -> str:
    """Serialise to block-style, human-readable YAML with unicode kept as is."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=88,
    )


def line_of(text: str, loc: tuple[int | str, ...]) -> int | None:
    """Return the 1-based line of the node at ``loc`` (a pydantic error location)."""
    try:
        node = yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError:
        return None
    best: int | None = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == str(key):
                    node = v
                    best = k.start_mark.line + 1
                    break
            else:
                return best
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if key >= len(node.value):
                return best
            node = node.value[key]
            best = node.start_mark.line + 1
        else:
            return best
    return best

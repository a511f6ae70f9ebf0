"""YAML reading and writing, with libyaml when it is there and line numbers for errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bmw_mentor.messages import say

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
    def ignore_aliases(self, data: Any) -> bool:
        # what mentor writes is read by people: every value written out, never "&id001"/"*id001"
        return True


_Dumper.add_representer(str, _str_representer)


# aliases may add this many nodes to a document in all; beyond it, a file is an "alias bomb"
ALIAS_NODES = 100_000


def loads(text: str, source: str) -> Any:
    """Parse YAML text; syntax errors become one line naming ``source`` and the line."""
    try:
        if "&" in text and "*" in text:
            _check_aliases(text, source)
        return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = say("at_line", line=mark.line + 1) if mark is not None else ""
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        ctx = exc.context_mark
        if exc.context and ctx is not None and mark is not None and ctx.line != mark.line:
            problem += f", {exc.context.strip()} on line {ctx.line + 1}"
        # PyYAML's own words are English; the Dutch message says what to look at instead
        raise YamlSyntaxError(say("yaml_invalid", path=source, where=where, problem=_one_line(problem))) from None
    except yaml.reader.ReaderError as exc:
        problem = (
            f"character #x{exc.character:04x} at position {exc.position}: {exc.reason}"
            if isinstance(exc.character, int)
            else f"{exc.reason} at position {exc.position}"
        )
        raise YamlSyntaxError(say("yaml_invalid", path=source, where="", problem=problem)) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(say("yaml_invalid", path=source, where="", problem=_one_line(str(exc)))) from None
    except RecursionError:
        raise YamlSyntaxError(say("yaml_too_deep", path=source)) from None


def _check_aliases(text: str, source: str) -> None:
    """Refuse a document whose aliases would expand it by more than :data:`ALIAS_NODES` nodes.

    A few lines of anchors and aliases can stand for millions of values; they cost
    nothing to parse but everything to check, copy or write back.
    """
    root = yaml.compose(text, Loader=SafeLoader)
    if root is None:
        return
    sizes: dict[int, int] = {}
    unique = 0
    # iterative post-order walk: deep nesting must not hit the recursion limit
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        if done:
            sizes[id(node)] = 1 + sum(sizes.get(id(c), 1) for c in children)
            unique += 1
            if sizes[id(node)] > unique + ALIAS_NODES:
                raise YamlSyntaxError(say("yaml_aliases", path=source))
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def load_file(path: Path) -> Any:
    """Read and parse a YAML file (UTF-8, at most :data:`limits.TEXT_LIMIT` bytes)."""
    from bmw_mentor.files.limits import TooLarge, read_limited

    try:
        text = decode_utf8(read_limited(path), path)
    except TooLarge as exc:
        raise YamlSyntaxError(str(exc)) from None
    return loads(text, str(path))


def decode_utf8(raw: bytes, path: Path | str) -> str:
    """UTF-8 text, or a :class:`YamlSyntaxError` that names the line with the first bad byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise YamlSyntaxError(say("not_utf8_line", path=path, line=line, byte=f"{raw[exc.start]:02x}")) from None


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

"""Validation problems that name the file and line, and YAML with line numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError

LineMap = dict[tuple[int | str, ...], int]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one evidence file."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


MAX_DEPTH = 32
"""Deepest nesting of lists and mappings an evidence file may have (real ones use 3 or 4)."""


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so pydantic validates them with a line number.

    Aliases are refused: a few hundred bytes of nested aliases expand to gigabytes (a
    "billion laughs"), and nothing in an evidence file needs them. Nesting is bounded so that
    a hostile file is one problem, never a RecursionError.
    """

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in evidence files", mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", mark
                )
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        finally:
            self._depth -= 1


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlSyntaxError(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _walk(node: yaml.Node, path: tuple[int | str, ...], lines: LineMap, offset: int) -> None:
    lines[path] = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, str(key.value))
            _walk(value, child, lines, offset)
            lines[child] = key.start_mark.line + 1 + offset
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines, offset)


def load_yaml(text: str, offset: int = 0) -> tuple[Any, LineMap]:
    """Parses YAML safely and records the line of every key and list item.

    `offset` is added to every line (front matter starts below its `---`).
    """
    loader: _Loader | None = None
    try:
        loader = _Loader(text)  # its reader refuses unprintable characters right here
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + offset if mark is not None else None
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise YamlSyntaxError(line, f"not valid YAML ({problem})") from None
    finally:
        if loader is not None:
            loader.dispose()
    lines: LineMap = {}
    if node is not None:
        _walk(node, (), lines, offset)
    return data, lines


def line_of(lines: LineMap, loc: Sequence[int | str]) -> int | None:
    """The line of the longest prefix of `loc` that the map knows."""
    path = tuple(loc)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())


def _field(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def from_validation(
    exc: ValidationError,
    file: str,
    line: int | None = None,
    lines: LineMap | None = None,
    prefix: Sequence[int | str] = (),
) -> list[Problem]:
    """One problem per pydantic error, at the line of the offending key when known."""
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        where = line_of(lines, (*prefix, *loc)) if lines is not None else line
        name = _field((*prefix, *loc)) if (prefix or loc) else ""
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown field (check the spelling; see docs/evidence.md)"
        elif err["type"] == "missing":
            msg = "required field is missing"
        problems.append(Problem(file, where, f"{name}: {msg}" if name else msg))
    return problems

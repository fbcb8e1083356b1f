"""CloudWatch Logs JSON filter patterns: parse one and test it against a sample event.

Used to decide whether a metric filter really catches, say, root activity: the filter must
match every sample event of that kind and must not match an unrelated event. Only the JSON
form (``{ $.field = value && ... }``) is understood; anything else does not parse.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping
from typing import Any

Predicate = Callable[[Mapping[str, Any]], bool]

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<punct>\{|\}|\(|\)|&&|\|\|)
    | (?P<op>!=|<=|>=|=|<|>)
    | (?P<selector>\$(?:\.[A-Za-z0-9_@:\-]+|\[\d+\])*)
    | (?P<string>"(?:[^"\\]|\\.)*")
    | (?P<regex>%[^%]*%)
    | (?P<word>[^\s(){}&|=!<>"]+)
    )""",
    re.VERBOSE,
)
_MISSING = object()


class PatternError(ValueError):
    """The pattern is not a JSON filter pattern this parser understands."""


def _tokens(pattern: str) -> list[tuple[str, str]]:
    tokens, pos, text = [], 0, pattern.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise PatternError(f"unexpected text at {pos}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


def _lookup(event: Mapping[str, Any], selector: str) -> Any:
    value: Any = event
    for part in re.findall(r"\.([^.\[]+)|\[(\d+)\]", selector):
        key, index = part
        if key and isinstance(value, Mapping) and key in value:
            value = value[key]
        elif index and isinstance(value, list) and int(index) < len(value):
            value = value[int(index)]
        else:
            return _MISSING
    return value


def _equals(actual: Any, kind: str, expected: str) -> bool:
    if kind == "regex":
        return isinstance(actual, str) and re.search(expected[1:-1], actual) is not None
    if kind == "string":
        expected = expected[1:-1].replace('\\"', '"')
    if isinstance(actual, bool) or actual is None:
        return False
    if isinstance(actual, int | float):
        try:
            return float(expected) == float(actual)
        except ValueError:
            return False
    if not isinstance(actual, str):
        return False
    # `*` is the only wildcard CloudWatch Logs knows; escape what fnmatch would also read.
    escaped = re.sub(r"([?\[\]])", r"[\1]", expected)
    return fnmatch.fnmatchcase(actual, escaped)


def _number_compare(op: str, actual: Any, expected: str) -> bool:
    if isinstance(actual, bool) or not isinstance(actual, int | float):
        return False
    try:
        limit = float(expected)
    except ValueError:
        return False
    return {
        "<": actual < limit,
        ">": actual > limit,
        "<=": actual <= limit,
        ">=": actual >= limit,
    }[op]


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1].upper() != value):
            raise PatternError(f"expected {value or 'more'}")
        self.pos += 1
        return token

    def pattern(self) -> Predicate:
        self.take("{")
        predicate = self.disjunction()
        self.take("}")
        if self.peek() is not None:
            raise PatternError("text after the closing brace")
        return predicate

    def disjunction(self) -> Predicate:
        parts = [self.conjunction()]
        while self.peek() == ("punct", "||"):
            self.take()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else (lambda e: any(p(e) for p in parts))

    def conjunction(self) -> Predicate:
        parts = [self.term()]
        while self.peek() == ("punct", "&&"):
            self.take()
            parts.append(self.term())
        return parts[0] if len(parts) == 1 else (lambda e: all(p(e) for p in parts))

    def term(self) -> Predicate:
        if self.peek() == ("punct", "("):
            self.take()
            inner = self.disjunction()
            self.take(")")
            return inner
        kind, selector = self.take()
        if kind != "selector":
            raise PatternError(f"expected a $.selector, got {selector!r}")
        return self.comparison(selector)

    def comparison(self, selector: str) -> Predicate:
        kind, word = self.take()
        if kind == "word" and word.upper() == "IS":
            what = self.take()[1].upper()
            expected: Any = {"NULL": None, "TRUE": True, "FALSE": False}.get(what, _MISSING)
            if expected is _MISSING:
                raise PatternError(f"IS {what}")
            return lambda e: _lookup(e, selector) is expected
        if kind == "word" and word.upper() == "NOT":
            self.take("EXISTS")
            return lambda e: _lookup(e, selector) is _MISSING
        if kind == "word" and word.upper() == "EXISTS":
            return lambda e: _lookup(e, selector) is not _MISSING
        if kind != "op":
            raise PatternError(f"expected an operator after {selector}")
        value_kind, value = self.take()
        if value_kind not in {"string", "regex", "word"}:
            raise PatternError(f"expected a value after {word}")
        if word == "=":
            return lambda e: _equals(_lookup(e, selector), value_kind, value)
        if word == "!=":
            # A property the event lacks matches no comparison, not even !=.
            return lambda e: (
                (actual := _lookup(e, selector)) is not _MISSING
                and not _equals(actual, value_kind, value)
            )
        return lambda e: _number_compare(word, _lookup(e, selector), value)


def parse(pattern: str) -> Predicate:
    """A predicate over a decoded JSON event; raises PatternError when not understood."""
    return _Parser(_tokens(pattern)).pattern()


def catches(
    pattern: str, must_match: tuple[Mapping[str, Any], ...], must_not: tuple[Mapping[str, Any], ...]
) -> bool:
    try:
        predicate = parse(pattern)
    except PatternError:
        return False
    return all(predicate(e) for e in must_match) and not any(predicate(e) for e in must_not)

"""JSON from requests, read within bounds: nesting no deeper than real data needs, and no text
that the database or a page cannot hold. Every JSON body the app reads goes through here, so
each face gets the same clear 400 instead of a recursion error or a 500 later on."""
from __future__ import annotations

import json
from typing import Any

from flask import Request

from planner.foods.text import has_control_characters
from planner.refused import Invalid

MAX_DEPTH = 32  # a profile or a label nests a few levels; nothing real comes near this


def depth_of(text: str) -> int:
    """The deepest nesting of arrays and objects, counted on the raw text (strings skipped),
    so a hostile document is refused before the parser recurses into it."""
    deepest = level = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            level += 1
            deepest = max(deepest, level)
        elif ch in "]}":
            level -= 1
    return deepest


def _texts(value: Any) -> list[str]:
    """Every string in a parsed document, keys included, without recursion."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            found.extend(k for k in item if isinstance(k, str))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def read_json(text: str | bytes) -> Any:
    """Parse a JSON document, or Invalid: too deeply nested, or holding a NUL or half a character."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if depth_of(text) > MAX_DEPTH:
        raise Invalid(f"The JSON nests deeper than {MAX_DEPTH} levels.")
    value = json.loads(text)
    if any(has_control_characters(t) for t in _texts(value)):
        raise Invalid("The JSON holds a control character or half of a character (a lone \\u surrogate escape).")
    return value


class _BoundedJson:
    """What a request parses its JSON body with (`Request.json_module`)."""

    @staticmethod
    def loads(s: str | bytes, **kwargs: Any) -> Any:
        return read_json(s)

    @staticmethod
    def dumps(obj: Any, **kwargs: Any) -> str:
        return json.dumps(obj, **kwargs)


class BoundedRequest(Request):
    """Flask's request, reading JSON bodies through `read_json` (the app's own cookies and
    responses keep Flask's JSON)."""

    @property  # Flask's Request has a plain attribute here
    def json_module(self) -> Any:
        return _BoundedJson

    @json_module.setter
    def json_module(self, value: Any) -> None:
        """Flask hands every request the app's JSON here; a body is still read within bounds."""

"""JSON from requests, read within bounds: nesting no deeper than real data needs, and no text
that the database or a page cannot hold. Every JSON body the app reads goes through here, so
each face gets the same clear 400 instead of a recursion error or a 500 later on."""
from __future__ import annotations

import json
import re
from typing import Any

from flask import Request

from planner.foods.text import has_control_characters
from planner.refused import Invalid, TooLarge

MAX_DEPTH = 32  # a profile or a label nests a few levels; nothing real comes near this
MAX_BODY = 512 * 1024  # a request's JSON: a profile or a 20,000-character label is far smaller


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def too_deep(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether arrays and objects nest deeper than `limit` (or their brackets do not pair up),
    judged on the raw text, strings left out, before any parser recurses into it. Each pass drops
    the innermost pairs, all in C, so even 2 MB of brackets takes a few milliseconds."""
    if text.count("[") + text.count("{") <= limit:
        return False
    shape = _NOT_BRACKET.sub("", _STRING.sub("", text))
    for _ in range(limit):
        inner = shape.replace("[]", "").replace("{}", "")
        if inner == shape:
            break
        shape = inner
    return bool(shape)


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
    if too_deep(text):
        raise Invalid(f"The JSON nests deeper than {MAX_DEPTH} levels, or its brackets do not pair up.")
    value = json.loads(text)
    if any(has_control_characters(t) for t in _texts(value)):
        raise Invalid("The JSON holds a control character or half of a character (a lone \\u surrogate escape).")
    return value


class _BoundedJson:
    """What a request parses its JSON body with (`Request.json_module`)."""

    @staticmethod
    def loads(s: str | bytes, **kwargs: Any) -> Any:
        if len(s) > MAX_BODY:
            raise TooLarge(f"A JSON request may be up to {MAX_BODY // 1024} KB.")
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

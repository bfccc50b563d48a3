"""What the app refuses to do, by meaning. Every domain error is one of these kinds; the web
pages, the JSON API and the command line each turn a kind into their own answer in one place
(planner.errors for HTTP statuses, planner.commands for exit codes)."""
from __future__ import annotations

from collections.abc import Mapping


class Refused(Exception):
    """A request the app will not carry out, with a message for the person and, where the
    input had fields, a message per field (dotted path -> message)."""

    def __init__(self, message: str, fields: Mapping[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields: dict[str, str] = dict(fields or {})

    def __str__(self) -> str:
        return self.message


class Invalid(Refused):
    """The input cannot be read or breaks a rule of its own (a date that is no date)."""


class NotFound(Refused):
    """What the request names does not exist, or is not the asker's to see."""


class Conflict(Refused):
    """The request clashes with what is stored now (a saved plan whose recipes changed)."""


class Impossible(Refused):
    """The input is well formed but no answer keeps every rule (no breakfast fits the diet)."""


class TooLarge(Refused):
    """The input is larger than the app takes."""


class Throttled(Refused):
    """Too many attempts in a short time; try again later."""

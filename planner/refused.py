"""What the app refuses to do, by meaning. Every domain error is one of these kinds; the web
pages, the JSON API and the command line each turn a kind into their own answer in one place
(planner.errors for HTTP statuses, planner.commands for exit codes)."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol


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


class Unavailable(Refused):
    """Something the answer needs from elsewhere cannot be reached now (no network); try later."""


class Throttled(Refused):
    """Too many attempts in a short time; try again later (after `retry_after` seconds, when known)."""

    def __init__(self, message: str, fields: Mapping[str, str] | None = None, retry_after: int | None = None):
        super().__init__(message, fields)
        self.retry_after = retry_after


def by_kind(refused: Refused, numbers: Mapping[type[Refused], int], default: int) -> int:
    """A face's number (an HTTP status, an exit code) for the nearest kind the refusal is."""
    return next((numbers[kind] for kind in type(refused).__mro__ if kind in numbers), default)


class RowProblem(Protocol):
    """One problem in a batch: which row, which field, what is wrong."""

    @property
    def row(self) -> str: ...

    @property
    def field(self) -> str: ...

    @property
    def message(self) -> str: ...


def row_fields(errors: Iterable[RowProblem], name: Callable[[str], str] = str) -> dict[str, str]:
    """Problems by "row: field" (the field as `name` says it); two on one field share a line."""
    found: dict[str, str] = {}
    for error in errors:
        key = f"{error.row}: {name(error.field)}"
        found[key] = f"{found[key]}; {error.message}" if key in found else error.message
    return found


class RowsRejected(Invalid):
    """A batch of rows refused whole. A subclass keeps its problems in `errors` (set after this
    __init__ runs), so `fields` is read from them when asked: "row: field" -> message."""

    errors: Sequence[RowProblem] = ()

    @property
    def fields(self) -> dict[str, str]:
        return {**self._given_fields, **row_fields(self.errors)}

    @fields.setter
    def fields(self, given: Mapping[str, str]) -> None:
        self._given_fields = dict(given)

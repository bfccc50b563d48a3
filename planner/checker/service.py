"""One entry point for the faces: decide name or label, run the check, keep errors plain."""
from __future__ import annotations

from typing import Any

from planner.checker.check import QueryError, check_food, check_label
from planner.checker.label import LabelTooLong
from planner.checker.restrictions import Restrictions
from planner.foods.search import SearchIndex

MODES = ("auto", "name", "label")


class CheckRefused(ValueError):
    """Input the checker cannot take, with a message for the person (and an HTTP status)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def looks_like_label(text: str) -> bool:
    """A list (commas, semicolons, several lines) or a long text is a label; a few words a name."""
    stripped = text.strip()
    return any(mark in stripped for mark in ",;\n") or len(stripped) > 60


def run_check(text: str, index: SearchIndex, profile: Restrictions | None = None, mode: str = "auto") -> dict[str, Any]:
    as_label = mode == "label" or (mode == "auto" and looks_like_label(text))
    try:
        return check_label(text, index, profile) if as_label else check_food(text, index, profile)
    except LabelTooLong as exc:
        raise CheckRefused(str(exc), 413) from None
    except QueryError as exc:
        raise CheckRefused(str(exc)) from None

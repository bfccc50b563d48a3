"""What the checker needs to know about a person: allergens and foods or tags they avoid."""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.data import vocabulary
from planner.refused import Invalid


class RestrictionsError(Invalid):
    """A profile that cannot be used, with a message for the person."""


@dataclass(frozen=True)
class Restrictions:
    allergens: frozenset[str] = field(default_factory=frozenset)
    excluded_foods: frozenset[str] = field(default_factory=frozenset)
    excluded_tags: frozenset[str] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        return not (self.allergens or self.excluded_foods or self.excluded_tags)


def _words(data: Mapping[str, Any], name: str) -> frozenset[str]:
    value = data.get(name) or []
    if isinstance(value, str):
        value = [part for part in value.replace(";", ",").split(",")]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RestrictionsError(f"'{name}' must be a list of names.")
    return frozenset(item.strip().lower() for item in value if item.strip())


def restrictions_from_dict(data: Any) -> Restrictions:
    """Read {allergens, excluded_foods, excluded_tags}; unknown allergens and tags are errors."""
    if not isinstance(data, Mapping):
        raise RestrictionsError("A profile must be a JSON object.")
    vocab = vocabulary()
    allergens = _words(data, "allergens")
    unknown = sorted(allergens - set(vocab.allergens))
    if unknown:
        raise RestrictionsError(f"Unknown allergen(s): {', '.join(unknown)}. "
                                f"Use the EU 14: {', '.join(vocab.allergens)}.")
    tags = _words(data, "excluded_tags")
    unknown = sorted(tags - set(vocab.tags))
    if unknown:
        raise RestrictionsError(f"Unknown tag(s): {', '.join(unknown)}.")
    return Restrictions(allergens, _words(data, "excluded_foods"), tags)


def restrictions_from_json(text: str) -> Restrictions:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RestrictionsError(f"The profile is not valid JSON: {exc.msg} (line {exc.lineno}).") from None
    return restrictions_from_dict(data)

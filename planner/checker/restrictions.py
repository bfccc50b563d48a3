"""What the checker needs to know about a person: allergens and foods or tags they avoid,
whether they are pregnant, and whether a child eats with them."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.data import vocabulary
from planner.i18n import N_
from planner.json_input import read_json
from planner.refused import Invalid


# A member younger than this is a child: no tea, coffee, kombucha or water kefir is offered as a
# swap (caffeine and trace alcohol; the UK keeps energy drinks from under-16s).
CHILD_UNDER_YEARS = 16
PREGNANT = "pregnant"  # the member stage (planner.plans.profile.STAGES) that makes a profile pregnant
_YES = frozenset({"1", "true", "yes", "on"})
_NO = frozenset({"", "0", "false", "no", "off"})


class RestrictionsError(Invalid):
    """A profile that cannot be used, with a message for the person."""


@dataclass(frozen=True)
class Restrictions:
    allergens: frozenset[str] = field(default_factory=frozenset)
    excluded_foods: frozenset[str] = field(default_factory=frozenset)
    excluded_tags: frozenset[str] = field(default_factory=frozenset)
    pregnant: bool = False  # the NHS and FDA pregnancy lists apply (planner/data/pregnancy.yaml)
    children: bool = False  # a child eats with them: swaps leave out tea, coffee and kombucha

    @property
    def empty(self) -> bool:
        return not (self.allergens or self.excluded_foods or self.excluded_tags or self.pregnant or self.children)


def combined(many: Iterable[Restrictions]) -> Restrictions:
    """What a household as a whole must avoid: everything any of its profiles avoids."""
    found = list(many)
    return Restrictions(frozenset().union(*(r.allergens for r in found)),
                        frozenset().union(*(r.excluded_foods for r in found)),
                        frozenset().union(*(r.excluded_tags for r in found)),
                        pregnant=any(r.pregnant for r in found), children=any(r.children for r in found))


def _words(data: Mapping[str, Any], name: str) -> frozenset[str]:
    value = data.get(name) or []
    if isinstance(value, str):
        value = [part for part in value.replace(";", ",").split(",")]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RestrictionsError(f"'{name}' must be a list of names.")
    return frozenset(item.strip().lower() for item in value if item.strip())


def _flag(data: Mapping[str, Any], name: str) -> bool:
    value = data.get(name)
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _YES | _NO:
        return value.strip().lower() in _YES
    raise RestrictionsError(f"'{name}' must be true or false.")


def _members(data: Mapping[str, Any]) -> tuple[bool, bool]:
    """(pregnant, children) from a profile's members, as the planner's profile writes them."""
    members = data.get("members")
    if members is None:
        return False, False
    if not isinstance(members, list) or not all(isinstance(m, Mapping) for m in members):
        raise RestrictionsError(N_("'members' must be a list of {name, age, stage}."))
    ages = [m.get("age") for m in members]
    return (any(m.get("stage") == PREGNANT for m in members),
            any(isinstance(a, (int, float)) and not isinstance(a, bool) and a < CHILD_UNDER_YEARS for a in ages))


def restrictions_from_dict(data: Any) -> Restrictions:
    """Read {allergens, excluded_foods, excluded_tags, pregnant, children} or a whole profile
    (its members' stages and ages); unknown allergens and tags are errors."""
    if not isinstance(data, Mapping):
        raise RestrictionsError(N_("A profile must be a JSON object."))
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
    pregnant, children = _members(data)
    return Restrictions(allergens, _words(data, "excluded_foods"), tags,
                        pregnant=pregnant or _flag(data, "pregnant"), children=children or _flag(data, "children"))


def restrictions_from_json(text: str) -> Restrictions:
    try:
        data = read_json(text)
    except json.JSONDecodeError as exc:
        raise RestrictionsError(f"The profile is not valid JSON: {exc.msg} (line {exc.lineno}).") from None
    except Invalid as exc:
        raise RestrictionsError(exc.message) from None
    return restrictions_from_dict(data)

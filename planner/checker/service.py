"""One entry point for the faces: decide name or label and run the check (its refusals are
QueryError, an Invalid, and LabelTooLong, a TooLarge)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from planner.checker.check import check_food, check_label
from planner.checker.guidance import Assessment
from planner.checker.panel import Panel, counted, rate
from planner.checker.products import look_up
from planner.refused import Invalid
from planner.checker.restrictions import CHILD_UNDER_YEARS, PREGNANT, Restrictions, combined
from planner.foods.search import SearchIndex
from planner.plans.store import list_profiles, profile_of

MODES = ("auto", "name", "label")


def looks_like_label(text: str) -> bool:
    """A list (commas, semicolons, several lines) or a long text is a label; a few words a name."""
    stripped = text.strip()
    return any(mark in stripped for mark in ",;\n") or len(stripped) > 60


def run_check(text: str, index: SearchIndex, profile: Restrictions | None = None, mode: str = "auto",
              panel: Panel | None = None) -> dict[str, Any]:
    """The check of a name or a label; with a nutrition panel, its front-of-pack colours count too."""
    as_label = mode == "label" or (mode == "auto" and looks_like_label(text))
    result = check_label(text, index, profile) if as_label else check_food(text, index, profile)
    if panel is None or panel.empty:
        return result
    before = Assessment(result["verdict"], result["reasons"], 0, result["personal"], result["in_pregnancy"])
    after = counted(before, panel)
    return {**result, "verdict": after.verdict, "reasons": after.reasons,
            "nutrition": [rating.as_dict() for rating in rate(panel)]}


def check_barcode(session: Session, barcode: str, index: SearchIndex, profile: Restrictions | None,
                  base_url: str, keep: timedelta) -> dict[str, Any]:
    """A product by its barcode, checked as its pack reads: ingredients, allergen statements, panel."""
    product = look_up(session, barcode, base_url, keep)
    label = product.label()
    if not label:
        raise Invalid(f"Open Food Facts has no ingredient list for {product.name or product.barcode}: paste it from "
                      "the pack instead.")
    result = run_check(label, index, profile, "label", product.panel)
    return {**result, "product": {"barcode": product.barcode, "name": product.name, "brand": product.brand,
                                  "source": "Open Food Facts (openfoodfacts.org), ODbL", "stale": product.stale}}


@dataclass(frozen=True)
class Eater:
    """Whom a check is for: the whole household, or one member of one of its profiles."""

    key: str  # "household", or "<profile id>-<member number>"
    label: str  # "Kim (3), Kim's family"
    restrictions: Restrictions

    @property
    def summary(self) -> str:
        """What they avoid, in a few words: "peanuts, milk; pregnancy"."""
        r = self.restrictions
        words = sorted(r.allergens) + sorted(r.excluded_foods) + [f"foods tagged {t}" for t in sorted(r.excluded_tags)]
        stages = (["pregnancy"] if r.pregnant else []) + (["a child"] if r.children else [])
        return "; ".join(part for part in (", ".join(words), ", ".join(stages)) if part) or "nothing in particular"


HOUSEHOLD = "household"


def eaters(session: Session, household_id: int | None) -> list[Eater]:
    """The household as a whole first, then each member of each profile; none for a visitor."""
    if household_id is None:
        return []
    rows = list_profiles(session, household_id)
    profiles = [(row.id, profile_of(row)) for row in rows]
    found = [Eater(HOUSEHOLD, "Everyone in the household", combined(p.restrictions for _, p in profiles))]
    for number, profile in profiles:
        for n, member in enumerate(profile.members, start=1):
            age = f"{round(member.age * 12)} months" if member.age < 2 else f"{member.age:g}"
            found.append(Eater(f"{number}-{n}", f"{member.name} ({age}), {profile.name}", Restrictions(
                profile.allergens, profile.excluded_foods, profile.excluded_tags,
                pregnant=member.stage == PREGNANT, children=member.age < CHILD_UNDER_YEARS)))
    return found


def eater_of(options: list[Eater], key: str | None) -> Eater | None:
    """The one the check is for: the member `key` names, else the whole household (None for a visitor)."""
    return next((e for e in options if e.key == key), options[0] if options else None)


def household_restrictions(session: Session, household_id: int | None) -> Restrictions:
    """What a household avoids, all its profiles together (allergies, exclusions, pregnancy, a young
    child): a signed-in person's checks honour it unless they say otherwise. Nothing for a visitor."""
    eater = eater_of(eaters(session, household_id), HOUSEHOLD)
    return eater.restrictions if eater else Restrictions()

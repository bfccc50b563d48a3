"""Is this recipe OK for us? Every ingredient checked as the checker checks a food, for whom it is
for (the household's allergies and exclusions, pregnancy, a young child), with the ingredients
behind each reason; then the recipe's own rules (diets, portions, salt and sugar) for each profile."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planner.checker.check import DISCLAIMER, _food_verdict
from planner.checker.guidance import AGAINST, Guidance
from planner.checker.restrictions import Restrictions
from planner.foods.records import Record
from planner.plans.eligibility import why_not
from planner.plans.profile import Profile
from planner.recipes.facts import Dish

# How bad an ingredient's verdict is for the whole dish: one ingredient to avoid makes the dish
# one to avoid; a caution on one ingredient is a note, since a dish holds little of most things.
AVOID = "avoid"


@dataclass(frozen=True)
class Concern:
    text: str
    why: str
    source: str
    foods: tuple[str, ...]  # the ingredients behind it, by name
    avoid: bool  # it makes the dish one to avoid


@dataclass(frozen=True)
class RecipeCheck:
    verdict: str  # avoid | fine
    concerns: tuple[Concern, ...]
    profiles: tuple[str, ...]  # "Not for Kim's family: ..." for each profile a rule of the dish does not fit
    disclaimer: str = DISCLAIMER

    def as_dict(self) -> dict[str, object]:
        return {"verdict": self.verdict, "profiles": list(self.profiles), "disclaimer": self.disclaimer,
                "concerns": [{"text": c.text, "why": c.why, "source": c.source, "ingredients": list(c.foods),
                              "avoid": c.avoid} for c in self.concerns]}


def unsuitable(dish: Dish, profiles: Sequence[Profile]) -> list[str]:
    """Why the dish does not suit each profile it breaks a rule of: "Not for Kim's family: contains peanuts"."""
    return [f"Not for {profile.name}: {reason}" for profile in profiles
            if (reason := why_not(dish.recipe, dish.facts, profile))]


def check_recipe(dish: Dish, foods: Mapping[str, Record], restrictions: Restrictions, rules: Guidance,
                 profiles: Sequence[Profile] = ()) -> RecipeCheck:
    grouped: dict[str, tuple[dict[str, str], list[str], bool]] = {}
    for row in dish.recipe["ingredients"]:
        record = foods.get(row["food"])
        if record is None:
            continue
        assessment = _food_verdict(record, restrictions, rules)
        for reason in assessment.reasons:
            if reason.get("counts") != AGAINST:
                continue
            found = grouped.setdefault(reason["text"], (reason, [], False))
            avoid = found[2] or assessment.verdict == AVOID
            grouped[reason["text"]] = (reason, [*found[1], record["name"]], avoid)
    concerns = tuple(sorted((Concern(text, reason.get("why", ""), reason.get("source", ""), tuple(names), avoid)
                             for text, (reason, names, avoid) in grouped.items()), key=lambda c: (not c.avoid, c.text)))
    broken = tuple(unsuitable(dish, profiles))
    verdict = AVOID if any(c.avoid for c in concerns) or broken else "fine"
    return RecipeCheck(verdict, concerns, broken)

"""The hard rules: may this profile eat this recipe at this meal? One function decides."""
from __future__ import annotations

from planner.foods.records import Record
from planner.plans.profile import Profile
from planner.recipes.facts import RecipeFacts
from planner.recipes.rules import child_rules


def why_not(recipe: Record, facts: RecipeFacts, profile: Profile, *, weekend: bool | None = None) -> str | None:
    """The first hard rule the recipe breaks for this profile, in plain words; None if it fits.

    `weekend` None skips the time limit (used when listing recipes, not filling a day).
    """
    allergens = profile.allergens & set(facts.allergens)
    if allergens:
        return f"contains {', '.join(sorted(allergens))}"
    excluded = profile.excluded_foods & set(facts.foods)
    if excluded:
        return f"has {', '.join(sorted(excluded))}, which you exclude"
    tags = profile.excluded_tags & set(facts.ingredient_tags)
    if tags:
        return f"has a food tagged {', '.join(sorted(tags))}, which you exclude"
    missing = [d for d in profile.diets if d not in facts.diets]
    if missing:
        return f"not {', '.join(missing)}"
    if facts.min_age_years > profile.youngest:
        rules = [r.text for r in child_rules() if r.foods & set(facts.foods) and r.min_age_years > profile.youngest]
        return f"not safe for your youngest: {' '.join(rules)}"
    if weekend is not None:
        limit = profile.max_prep_weekend if weekend else profile.max_prep_weekday
        if recipe["prep_minutes"] > limit:
            return (f"{recipe['prep_minutes']} min hands-on, "
                    f"over your {limit} min {'weekend' if weekend else 'weekday'} limit")
    return None

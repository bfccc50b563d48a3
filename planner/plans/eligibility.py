"""The hard rules: may this profile eat this recipe at this meal? One function decides."""
from __future__ import annotations

from planner.foods.records import Record
from planner.plans.needs import meal_shares, planned_share, profile_needs
from planner.plans.profile import Profile
from planner.plans.shares import over_meal_budget, portion_of
from planner.recipes.facts import RecipeFacts


def why_not(recipe: Record, facts: RecipeFacts, profile: Profile, *, weekend: bool | None = None,
            meal: str | None = None) -> str | None:
    """The first hard rule the recipe breaks for this profile, in plain words; None if it fits.

    `weekend` None skips the time limit and `meal` None the one meal's salt and sugar budget
    (used when listing recipes, not filling a day).
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
    for needs in profile_needs(profile):
        if not needs.eats:
            continue
        portion = portion_of(needs, facts)
        if portion.refused:
            return portion.refused
        if meal and (too_much := over_meal_budget(needs, portion, meal_shares()[meal] / planned_share(profile))):
            return too_much
    if weekend is not None:
        limit = profile.max_prep_weekend if weekend else profile.max_prep_weekday
        if recipe["prep_minutes"] > limit:
            return (f"{recipe['prep_minutes']} min hands-on, "
                    f"over your {limit} min {'weekend' if weekend else 'weekday'} limit")
    return None

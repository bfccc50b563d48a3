"""The hard rules: may these members eat this recipe at this meal? One function decides."""
from __future__ import annotations

from collections.abc import Sequence

from planner.foods.records import Record
from planner.plans.needs import meal_shares, planned_share, profile_needs
from planner.data import life_stages
from planner.plans.profile import CHILD_MEAL_YEARS, Member, Profile
from planner.plans.shares import over_meal_budget, portion_of
from planner.recipes.facts import RecipeFacts


def why_not(recipe: Record, facts: RecipeFacts, profile: Profile, *, meal: str | None = None,
            members: Sequence[Member] | None = None) -> str | None:
    """The first hard rule the recipe breaks for the members at the meal (every member when
    `members` is None), in plain words; None if it fits. `meal` None skips the one meal's salt
    and sugar budget (used when listing recipes, and for side dishes)."""
    at_meal = profile.members if members is None else members
    allergens = (profile.allergens.union(*(m.allergens for m in at_meal))) & set(facts.allergens)
    if allergens:
        return f"contains {', '.join(sorted(allergens))}"
    excluded = profile.excluded_foods & set(facts.foods)
    if excluded:
        return f"has {', '.join(sorted(excluded))}, which you exclude"
    for member in at_meal:
        if disliked := member.disliked_foods & set(facts.foods):
            return f"has {', '.join(sorted(disliked))}, which {member.name} does not eat"
    tags = profile.excluded_tags & set(facts.ingredient_tags)
    if tags:
        return f"has a food tagged {', '.join(sorted(tags))}, which you exclude"
    missing = [d for d in profile.diets if d not in facts.diets]
    if missing:
        return f"not {', '.join(missing)}"
    for needs in profile_needs(profile):
        if not needs.eats or needs.member not in at_meal:
            continue
        portion = portion_of(needs, facts)
        if portion.refused:
            return portion.refused
        if meal and (too_much := over_meal_budget(needs, portion, meal_shares()[meal] / planned_share(profile))):
            return too_much
    children = any(CHILD_MEAL_YEARS > m.age >= life_stages()["solids_from_years"] for m in at_meal)
    if profile.kid_friendly_only and children and not recipe.get("kid_friendly"):
        return "not marked kid-friendly, and you asked for kid-friendly dishes only"
    return None

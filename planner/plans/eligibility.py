"""The hard rules: may these members eat this recipe at this meal? One function decides."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from planner.foods.records import Record
from planner.plans.needs import Needs, meal_shares, planned_share, profile_needs
from planner.data import life_stages
from planner.plans.profile import CHILD_MEAL_YEARS, Member, Profile
from planner.plans.shares import Portion, over_meal_budget, portion_of
from planner.recipes.facts import RecipeFacts

Portions = Callable[[Needs, RecipeFacts], Portion]


def why_not(recipe: Record, facts: RecipeFacts, profile: Profile, *, meal: str | None = None,
            members: Sequence[Member] | None = None, portions: Portions | None = None,
            needs: Sequence[Needs] | None = None) -> str | None:
    """The first hard rule the recipe breaks for the members at the meal (every member when
    `members` is None), in plain words; None if it fits. `meal` None skips the one meal's salt
    and sugar budget (used when listing recipes, and for side dishes). `portions` works out each
    member's portion and `needs` are every member's needs (the planner passes both, worked out once)."""
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
        if out := member.left_out & set(facts.foods):
            return f"has {', '.join(sorted(out))}, which {member.name} leaves out for a food test"
        for food, grams in member.limits:
            if sum(part.grams for part in facts.parts if part.food == food) > grams:
                return f"has more {food} in a serving than the {grams:g} g {member.name} keeps to"
    tags = profile.excluded_tags & set(facts.ingredient_tags)
    if tags:
        return f"has a food tagged {', '.join(sorted(tags))}, which you exclude"
    missing = [d for d in profile.diets if d not in facts.diets]
    if missing:
        return f"not {', '.join(missing)}"
    for one in profile_needs(profile) if needs is None else needs:
        if not one.eats or one.member not in at_meal:
            continue
        portion = (portions or portion_of)(one, facts)
        if portion.refused:
            return portion.refused
        if meal and (too_much := over_meal_budget(one, portion, meal_shares()[meal] / planned_share(profile))):
            return too_much
    children = any(CHILD_MEAL_YEARS > m.age >= life_stages()["solids_from_years"] for m in at_meal)
    if profile.kid_friendly_only and children and not recipe.get("kid_friendly"):
        return "not marked kid-friendly, and you asked for kid-friendly dishes only"
    return None

"""What a recipe is, derived from its ingredients: nutrients per serving, tags, allergens,
plants, diets, child safety and its guidance score."""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from planner.checker.guidance import Guidance, guidance
from planner.data import life_stages
from planner.foods.nutrition import NUTRIENTS, FoodFacts, fibre_tag
from planner.foods.records import Record
from planner.recipes.rules import caffeine_mg, child_rules, diets, free_sugars_g

# An ingredient lends the recipe its tags only in a real amount: a quarter of its usual portion.
MEANINGFUL_PORTION_SHARE = 0.25
# A prebiotic food counts for the day from a clove of garlic up.
PREBIOTIC_MIN_G = 3.0
# Bone broth counts as a serving of broth from a small cup.
BONE_BROTH_MIN_G = 100.0
# A plant counts whole toward the week's 30 when it is a real amount; a pinch of a herb or spice,
# or a sprinkle of anything, counts a quarter.
PINCH_PLANT_WEIGHT = 0.25


# Salt is sodium x 2.5 (NHS, FSA labelling).
SALT_PER_SODIUM = 2.5


@dataclass(frozen=True)
class Part:
    """One ingredient of a serving: how it goes in, and what it brings."""

    food: str
    grams: float
    added: str  # cooked | raw | end
    category: str
    tags: frozenset[str]
    amounts: Mapping[str, float]  # in these grams: every nutrient, salt_g, free_sugars_g and caffeine_mg


def part_of(food: Record, grams: float, added: str) -> Part:
    amounts = {name: food["nutrients"].get(name, 0.0) * grams / 100 for name in food["nutrients"]}
    amounts["salt_g"] = amounts.get("sodium_mg", 0.0) * SALT_PER_SODIUM / 1000
    amounts["free_sugars_g"] = free_sugars_g(food) * grams / 100
    amounts["caffeine_mg"] = caffeine_mg(food["slug"]) * grams / 100
    return Part(food["slug"], grams, added, food["category"], frozenset(food["tags"]), amounts)


@dataclass(frozen=True)
class RecipeFacts:
    slug: str
    nutrients: dict[str, float]  # per serving
    tags: tuple[str, ...]  # from ingredients in a real amount, plus the serving's fibre tag
    ingredient_tags: tuple[str, ...]  # every ingredient's tags, whatever the amount
    allergens: tuple[str, ...]
    plants: tuple[str, ...]  # plant keys
    prebiotic_foods: tuple[str, ...]  # food slugs in a counted amount
    fermented_servings: float  # portions of live-culture foods in one serving
    bone_broth: bool
    diets: tuple[str, ...]
    min_age_years: float  # youngest member it is safe for
    foods: tuple[str, ...]
    score: float  # guidance score per serving
    parts: tuple[Part, ...] = ()
    plant_weights: tuple[tuple[str, float], ...] = ()  # (plant key, 1 or a quarter for a pinch)
    five_a_day: float = 0.0  # portions of fruit and vegetables in a serving (NHS 5 A Day)

    @cached_property
    def part_sums(self) -> dict[str, float]:
        """Each amount summed over the serving's parts, in their order (worked out once a dish: the
        planner asks for every member's portion)."""
        sums: dict[str, float] = {}
        for part in self.parts:
            for name, amount in part.amounts.items():
                sums[name] = sums.get(name, 0.0) + amount
        return sums

    @cached_property
    def memo(self) -> dict[Hashable, object]:
        """What is worked out from this dish alone and asked for often, kept with it (each kind of
        member's portion: a dish's facts never change in place, and a library's are shared by
        every plan made from it)."""
        return {}


def portions(grams: float, food: Record) -> float:
    return grams / food["portion"]["grams"]


def food_weight(food: Record, rules: Guidance) -> int:
    """The sum of the guidance weights a food meets (favour positive, limit negative)."""
    return sum(rule.weight for rule in rules.food_rules if rule.matches(food["tags"], food["slug"]))


def recipe_facts(recipe: Record, foods: Mapping[str, Record], rules: Guidance | None = None) -> RecipeFacts:
    rules = rules or guidance()
    rows = [(foods[row["food"]], row["grams"]) for row in recipe["ingredients"]]
    nutrients = {
        name: round(sum(food["nutrients"].get(name, 0.0) * grams / 100 for food, grams in rows), 2)
        for name in NUTRIENTS
    }
    meaningful = [food for food, grams in rows if portions(grams, food) >= MEANINGFUL_PORTION_SHARE]
    serving_g = sum(grams for _, grams in rows)
    fibre = fibre_tag(FoodFacts("recipe", 1, serving_g, {"fibre_g": nutrients["fibre_g"] * 100 / serving_g})) \
        if serving_g else None
    tags = {tag for food in meaningful for tag in food["tags"] if tag != "live-cultures"}
    tags |= {fibre} if fibre else set()
    # Heat kills live cultures: tempeh fried in a dish, or miso boiled in a soup, is fermented but
    # no longer live; only what goes in raw or at the end (off the heat) counts.
    live = [(foods[row["food"]], row["grams"]) for row in recipe["ingredients"]
            if "live-cultures" in foods[row["food"]]["tags"] and row.get("added", "cooked") != "cooked"]
    if any(portions(grams, food) >= MEANINGFUL_PORTION_SHARE for food, grams in live):
        tags.add("live-cultures")
    return RecipeFacts(
        slug=recipe["slug"],
        nutrients=nutrients,
        tags=tuple(sorted(tags)),
        ingredient_tags=tuple(sorted({tag for food, _ in rows for tag in food["tags"]})),
        allergens=tuple(sorted({a for food, _ in rows for a in food["allergens"]})),
        plants=tuple(sorted({food["plant_key"] for food, _ in rows if food.get("plant_key")})),
        prebiotic_foods=tuple(food["slug"] for food, grams in rows
                              if "prebiotic" in food["tags"] and grams >= PREBIOTIC_MIN_G),
        fermented_servings=round(sum(portions(grams, food) for food, grams in live), 2),
        bone_broth=any("bone-broth" in food["tags"] and grams >= BONE_BROTH_MIN_G for food, grams in rows),
        diets=tuple(slug for slug, diet in diets().items() if all(diet.allows(food) for food, _ in rows)),
        min_age_years=max([r.min_age_years for r in child_rules()
                           if any(r.matches(f["slug"], f["tags"]) for f, _ in rows)], default=0.0),
        foods=tuple(food["slug"] for food, _ in rows),
        score=round(sum(food_weight(food, rules) * min(portions(grams, food), 1.0) for food, grams in rows), 2),
        parts=tuple(part_of(foods[row["food"]], row["grams"], row.get("added", "cooked"))
                    for row in recipe["ingredients"]),
        plant_weights=_plant_weights(rows),
        five_a_day=five_a_day(rows),
    )


def five_a_day(rows: list[tuple[Record, float]]) -> float:
    """Portions of fruit and vegetables (NHS 5 A Day): 80 g a portion, 30 g of dried fruit; beans
    and pulses count one portion at most; potatoes and other starchy staples do not count."""
    rule = life_stages()["five_a_day"]
    portions = pulses = 0.0
    for food, grams in rows:
        if food.get("plant_key") in rule["not_counted"]:
            continue
        if food["category"] == "fruit":
            portions += grams / (rule["dried_fruit_portion_g"] if food.get("form") == "dried" else rule["portion_g"])
        elif food["category"] == "vegetables":
            portions += grams / rule["portion_g"]
        elif food["category"] == "legumes":
            pulses += grams / rule["portion_g"]
    return round(portions + min(pulses, rule["pulses_most_portions"]), 2)


def _plant_weights(rows: list[tuple[Record, float]]) -> tuple[tuple[str, float], ...]:
    weights: dict[str, float] = {}
    for food, grams in rows:
        if food.get("plant_key"):
            real = food["category"] != "herbs-spices" and portions(grams, food) >= MEANINGFUL_PORTION_SHARE
            weight = 1.0 if real else PINCH_PLANT_WEIGHT
            weights[food["plant_key"]] = max(weights.get(food["plant_key"], 0.0), weight)
    return tuple(sorted(weights.items()))


@dataclass(frozen=True)
class Dish:
    """A recipe with what it works out to."""

    recipe: Record
    facts: RecipeFacts

    @property
    def slug(self) -> str:
        return self.recipe["slug"]


def dishes_from(recipes: Iterable[Record], foods: Mapping[str, Record], rules: Guidance | None = None) -> list[Dish]:
    return [Dish(recipe, recipe_facts(recipe, foods, rules)) for recipe in recipes]

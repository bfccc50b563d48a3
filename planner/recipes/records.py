"""A recipe record and the rules every curated recipe must pass.

A recipe names its ingredients by food slug with grams per serving; everything else
(nutrients, tags, allergens, plants) is derived from those foods, so it is never typed here.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from planner.data import SourcedRecord
from planner.foods.records import SLUG, Checked, Record
from planner.i18n import N_
from planner.recipes.facts import recipe_facts
from planner.recipes.safety import ADDED, safety_problems

MEALS: dict[str, str] = {"breakfast": N_("Breakfast"), "lunch": N_("Lunch"), "dinner": N_("Dinner"),
                         "snack": N_("Snack")}
# A main fills a meal; a side is a small add-on served beside a meal's main (a glass of kefir, a
# piece of fruit, a spoon of sauerkraut): its `meals` say which meals it may go with.
COURSES = ("main", "side")
FIELDS = (
    "slug", "title", "description", "course", "meals", "servings", "prep_minutes", "cook_minutes",
    "kid_friendly", "keeps", "keeps_days", "ingredients", "steps",
)
INGREDIENT_FIELDS = ("food", "grams", "note", "added")
# Days a dish keeps in the fridge once made (0: eat it the day it is made). `keeps` is derived:
# keeps_days > 0; a file may still give it, and then it must agree.
MAX_KEEPS_DAYS = 5
MAX_TITLE = 90
MAX_STEP = 320

# What one serving may plausibly hold. Per food: at most three of its typical portions
# (a spice's portion is a pinch, a vegetable's a handful) and never more than 400 g.
MAX_PORTIONS_PER_SERVING = 3.0
MAX_INGREDIENT_G = 400.0
MIN_INGREDIENT_G = 0.2
SERVING_ENERGY_KCAL: dict[str, tuple[float, float]] = {
    "breakfast": (200, 750), "lunch": (280, 900), "dinner": (330, 1000), "snack": (60, 400),
}
SIDE_ENERGY_KCAL = (2.0, 350.0)  # from a spoon of sauerkraut to a glass of milk
MAX_SERVING_SODIUM_MG = 1500.0
MAX_SERVING_G = 900.0


def _whole(checked: Checked, raw: Mapping[str, Any], name: str, low: int, high: int) -> int | None:
    value = raw.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        checked.add(name, f"Must be a whole number from {low} to {high}.")
        return None
    return value


def _title(checked: Checked, raw: Mapping[str, Any]) -> str | None:
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE:
        checked.add("title", f"Give a title of up to {MAX_TITLE} characters.")
        return None
    return " ".join(title.split())


def _meals(checked: Checked, raw: Mapping[str, Any]) -> list[str]:
    meals = raw.get("meals")
    if not isinstance(meals, list) or not meals or any(m not in MEALS for m in meals):
        checked.add("meals", f"List one or more of: {', '.join(MEALS)}.")
        return []
    return [m for m in MEALS if m in meals]


def _steps(checked: Checked, raw: Mapping[str, Any]) -> list[str]:
    steps = raw.get("steps")
    if not isinstance(steps, list) or not 1 <= len(steps) <= 12:
        checked.add("steps", "Give 1 to 12 short steps.")
        return []
    clean = []
    for number, step in enumerate(steps, start=1):
        if not isinstance(step, str) or not step.strip() or len(step) > MAX_STEP:
            checked.add(f"steps.{number}", f"A step is text of up to {MAX_STEP} characters.")
        else:
            clean.append(" ".join(step.split()))
    return clean


def _ingredient(checked: Checked, raw: Any, path: str, foods: Mapping[str, Record]) -> dict[str, Any] | None:
    if not isinstance(raw, Mapping) or set(raw) - set(INGREDIENT_FIELDS):
        checked.add(path, "An ingredient is {food, grams, note, added}; unknown fields: "
                          f"{sorted(set(raw) - set(INGREDIENT_FIELDS)) if isinstance(raw, Mapping) else raw!r}.")
        return None
    slug = raw.get("food")
    food = foods.get(slug) if isinstance(slug, str) else None
    if food is None:
        checked.add(f"{path}.food", f"Unknown food '{slug}': use the slug of a food in the database.")
    grams = raw.get("grams")
    if (isinstance(grams, bool) or not isinstance(grams, (int, float))
            or not MIN_INGREDIENT_G <= grams <= MAX_INGREDIENT_G):
        checked.add(f"{path}.grams", f"Grams per serving must be from {MIN_INGREDIENT_G} to {MAX_INGREDIENT_G:g}.")
        grams = None
    elif food is not None and grams > MAX_PORTIONS_PER_SERVING * food["portion"]["grams"]:
        checked.add(f"{path}.grams", f"{grams:g} g of {food['name']} is more than {MAX_PORTIONS_PER_SERVING:g} "
                                    f"typical portions ({food['portion']['grams']:g} g each) in one serving.")
    note = raw.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > 60):
        checked.add(f"{path}.note", "A note is short text such as 'finely chopped'.")
    added = raw.get("added", "cooked")
    if added not in ADDED:
        checked.add(f"{path}.added", "How it goes in: cooked (with the dish, the default), raw (eaten raw) or "
                                     "end (off the heat or at the table).")
        return None
    if food is None or grams is None:
        return None
    return {"food": slug, "grams": float(grams), **({"note": note.strip()} if note else {}), "added": added}


def _ingredients(checked: Checked, raw: Mapping[str, Any], foods: Mapping[str, Record]) -> list[dict[str, Any]]:
    rows = raw.get("ingredients")
    if not isinstance(rows, list) or not 1 <= len(rows) <= 20:
        checked.add("ingredients", "Give 1 to 20 ingredients.")
        return []
    clean = [_ingredient(checked, row, f"ingredients.{n}", foods) for n, row in enumerate(rows, start=1)]
    seen: set[str] = set()
    for row in clean:
        if row and row["food"] in seen:
            checked.add("ingredients", f"'{row['food']}' is listed twice: add the grams together.")
        if row:
            seen.add(row["food"])
    return [row for row in clean if row]


def _keeps_days(checked: Checked, raw: Mapping[str, Any]) -> int:
    keeps, days = raw.get("keeps"), raw.get("keeps_days")
    if keeps is not None and not isinstance(keeps, bool):
        checked.add("keeps", "Must be true or false.")
        keeps = None
    if days is None:
        if keeps:
            checked.add("keeps_days", f"keeps is true: give keeps_days, the days it keeps in the fridge "
                                      f"(1 to {MAX_KEEPS_DAYS}).")
        return 0
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_KEEPS_DAYS:
        checked.add("keeps_days", f"Days it keeps in the fridge: a whole number from 0 (eat it the day it is made) "
                                  f"to {MAX_KEEPS_DAYS}.")
        return 0
    if keeps is not None and keeps != (days > 0):
        checked.add("keeps_days", f"keeps is {str(keeps).lower()} but keeps_days is {days}: keeps means keeps_days "
                                  f"is 1 or more (or leave keeps out).")
    return days


def validate_recipe(raw: Any, foods: Mapping[str, Record]) -> Checked:
    """Check the shape of one recipe; `foods` maps slug to food record (derived tags included)."""
    checked = Checked()
    if not checked.fields_of(raw, FIELDS, "recipe", "recipe"):
        return checked
    slug = raw.get("slug")
    if not isinstance(slug, str) or not SLUG.match(slug):
        checked.add("slug", "Use lower-case letters, digits and single hyphens.")
    description = raw.get("description") or ""
    if not isinstance(description, str) or len(description) > 240:
        checked.add("description", "One or two sentences, up to 240 characters.")
    if not isinstance(raw.get("kid_friendly", False), bool):
        checked.add("kid_friendly", "Must be true or false.")
    course = raw.get("course", "main")
    if course not in COURSES:
        checked.add("course", "main (fills a meal) or side (served beside a meal's main).")
    keeps_days = _keeps_days(checked, raw)
    checked.record = {
        "slug": slug, "title": _title(checked, raw), "description": " ".join(str(description).split()),
        "course": course if course in COURSES else "main", "meals": _meals(checked, raw),
        "servings": _whole(checked, raw, "servings", 1, 12),
        "prep_minutes": _whole(checked, raw, "prep_minutes", 0, 240),
        "cook_minutes": _whole(checked, raw, "cook_minutes", 0, 480),
        "kid_friendly": bool(raw.get("kid_friendly", False)), "keeps": keeps_days > 0, "keeps_days": keeps_days,
        "ingredients": _ingredients(checked, raw, foods), "steps": _steps(checked, raw),
    }
    return checked


def plausibility_problems(recipe: Record, nutrients: Mapping[str, float], foods: Mapping[str, Record]) -> list[str]:
    """Whole-recipe checks on a valid recipe: a serving's size, energy and salt, and whole foods only."""
    found = []
    serving_g = sum(row["grams"] for row in recipe["ingredients"])
    if serving_g > MAX_SERVING_G:
        found.append(f"A serving weighs {serving_g:g} g; over {MAX_SERVING_G:g} g is not one person's meal.")
    energy = nutrients["energy_kcal"]
    ranges = ({"a side": SIDE_ENERGY_KCAL} if recipe.get("course") == "side"
              else {f"a {meal}": SERVING_ENERGY_KCAL[meal] for meal in recipe["meals"]})
    for meal, (low, high) in ranges.items():
        if not low <= energy <= high:
            found.append(f"{energy:.0f} kcal a serving is outside {low:.0f}-{high:.0f} kcal for {meal}.")
    if nutrients["sodium_mg"] > MAX_SERVING_SODIUM_MG:
        found.append(f"{nutrients['sodium_mg']:.0f} mg sodium a serving is over {MAX_SERVING_SODIUM_MG:g} mg.")
    for row in recipe["ingredients"]:
        food = foods[row["food"]]
        if food["nova_group"] == 4 or {"alcohol", "refined-sugar"} & set(food["tags"]):
            found.append(f"{food['name']} is ultra-processed, alcohol or refined sugar: not a whole-food ingredient.")
    return found


Problem = tuple[str, str, str]  # where (file and row), field, message


def check_recipes(rows: Sequence[SourcedRecord], foods: Mapping[str, Record]) -> tuple[list[Problem], list[Record]]:
    """Every problem in a batch of recipes (shape, plausibility, food safety, repeated slugs or titles) and the
    clean ones. A recipe with a food-safety problem is refused like any other."""
    problems: list[Problem] = []
    clean: list[Record] = []
    seen: set[str] = set()
    for row in rows:
        checked = validate_recipe(row.record, foods)
        problems.extend((row.origin, path, m) for path, ms in checked.errors.items() for m in ms)
        if not checked.ok:
            continue
        recipe = checked.record
        problems.extend((row.origin, "recipe", m)
                        for m in plausibility_problems(recipe, recipe_facts(recipe, foods).nutrients, foods))
        problems.extend((row.origin, "safety", m) for m in safety_problems(recipe, foods))
        for name in ("slug", "title"):
            if f"{name}:{recipe[name].lower()}" in seen:
                problems.append((row.origin, name, f"'{recipe[name]}' is used twice."))
            seen.add(f"{name}:{recipe[name].lower()}")
        clean.append(recipe)
    return problems, clean

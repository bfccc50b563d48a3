"""Validate the curated data: `python -m planner.data.check` prints every problem, food-safety
ones included (planner/data/food_safety.yaml: a recipe that breaks a rule is refused).

`python -m planner.data.check --recipes [FILE.yaml]` also prints what each recipe works out
to (energy, fibre, fermented servings, plants, diets), to help when writing recipes.
"""
from __future__ import annotations

import sys
from collections import Counter

from planner.data import DATA_DIR, SourcedRecord, curated_food_records, curated_recipe_records, read_yaml, vocabulary
from planner.foods.records import Record, find_clashes, validate_record, with_derived_tags
from planner.recipes.facts import recipe_facts
from planner.recipes.records import MEALS, check_recipes
from planner.recipes.rules import child_rules
from planner.recipes.safety import rules_problems, safety_rules

# The smallest library the planner is built for: enough variety for a week of every meal.
MIN_RECIPES = {"breakfast": 35, "lunch": 40, "dinner": 45, "snack": 30}


def food_problems(rows: list[SourcedRecord]) -> tuple[list[str], list[Record]]:
    vocab = vocabulary()
    lines: list[str] = []
    clean = []
    for row in rows:
        checked = validate_record(row.record, vocab)
        for path, messages in checked.errors.items():
            lines.extend(f"{row.origin} ({row.record.get('name')}): {path}: {m}" for m in messages)
        if checked.ok:
            typed_derived = set(row.record.get("tags") or []) & set(vocab.derived_tags)
            if typed_derived:
                lines.append(f"{row.origin} ({row.record.get('name')}): tags: "
                             f"computed tags must not be typed: {sorted(typed_derived)}")
        clean.append(checked.record)
    for index, errors in find_clashes(clean).items():
        for path, messages in errors.items():
            lines.extend(f"{rows[index].origin}: {path}: {m}" for m in messages)
    return lines, clean


def recipe_problems(rows: list[SourcedRecord], foods: dict[str, Record]) -> tuple[list[str], list[Record]]:
    problems, clean = check_recipes(rows, foods)
    return [f"{where}: {path}: {message}" for where, path, message in problems], clean


def coverage_problems(recipes: list[Record]) -> list[str]:
    counts = Counter(meal for recipe in recipes if recipe.get("course", "main") == "main" for meal in recipe["meals"])
    return [f"Only {counts[meal]} {meal} main dishes; the planner needs at least {least}."
            for meal, least in MIN_RECIPES.items() if counts[meal] < least]


def pantry_problems(foods: dict[str, Record]) -> list[str]:
    rule = read_yaml(DATA_DIR / "pantry.yaml")
    aisles = set(vocabulary().aisles)
    return ([f"pantry.yaml: unknown aisle '{a}'" for a in rule["aisles"] if a not in aisles]
            + [f"pantry.yaml: unknown food '{s}'" for s in rule["foods"] if s not in foods])


def problems() -> list[str]:
    food_lines, foods = food_problems(curated_food_records())
    by_slug = {food["slug"]: with_derived_tags(food) for food in foods if food.get("slug")}
    missing = sorted({slug for rule in child_rules() for slug in rule.foods} - set(by_slug))
    lines = food_lines + [f"child_safety.yaml: unknown food '{slug}'" for slug in missing]
    lines += pantry_problems(by_slug)
    lines += rules_problems(safety_rules(), vocabulary(), by_slug)
    recipe_lines, recipes = recipe_problems(curated_recipe_records(), by_slug)
    return lines + recipe_lines + coverage_problems(recipes)


def summary(file_name: str | None) -> list[str]:
    _, foods = food_problems(curated_food_records())
    by_slug = {food["slug"]: with_derived_tags(food) for food in foods}
    rows = [r for r in curated_recipe_records() if file_name is None or r.origin.startswith(file_name)]
    _, recipes = recipe_problems(rows, by_slug)
    lines = []
    for recipe in recipes:
        f = recipe_facts(recipe, by_slug)
        n = f.nutrients
        lines.append(
            f"{recipe['slug']:<42} {'/'.join(m[0].upper() for m in recipe['meals']):<7} {n['energy_kcal']:>5.0f} kcal "
            f"fibre {n['fibre_g']:>4.1f} g  protein {n['protein_g']:>4.1f} g  sodium {n['sodium_mg']:>4.0f} mg  "
            f"ferm {f.fermented_servings:.1f}  prebiotic {len(f.prebiotic_foods)}  "
            f"broth {'Y' if f.bone_broth else '-'}  keeps {recipe['keeps_days']}d  "
            f"plants {len(f.plants):>2}  score {f.score:>5.1f}  diets {','.join(f.diets) or '-'}"
        )
    counts = Counter(meal for recipe in recipes for meal in recipe["meals"])
    lines.append(f"{len(recipes)} valid recipes: " + ", ".join(f"{counts[m]} {m}" for m in MEALS))
    return lines


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--recipes":
        print("\n".join(summary(argv[1] if len(argv) > 1 else None)))
    found = problems()
    print("\n".join(found) if found else
          f"{len(curated_food_records())} foods and {len(curated_recipe_records())} recipes, no problems.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

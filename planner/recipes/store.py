"""Reading and writing recipes in the database, in the one recipe record shape."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.data import SourcedRecord
from planner.foods.records import Record
from planner.foods.store import RecordsRejected, RowError, UpsertReport, digest, food_record, table_version
from planner.models import Food, Recipe, RecipeIngredient
from planner.recipes.facts import Dish, dishes_from
from planner.recipes.records import check_recipes
from planner.transaction import committed


def recipe_record(recipe: Recipe) -> Record:
    return {
        "slug": recipe.slug, "title": recipe.title, "description": recipe.description, "meals": list(recipe.meals),
        "servings": recipe.servings, "prep_minutes": recipe.prep_minutes, "cook_minutes": recipe.cook_minutes,
        "kid_friendly": recipe.kid_friendly, "keeps": recipe.keeps,
        "ingredients": [
            {"food": row.food.slug, "grams": float(row.grams), **({"note": row.note} if row.note else {})}
            for row in recipe.ingredients
        ],
        "steps": list(recipe.steps),
    }


# Per database: food records by slug, and dishes (recipes with their derived facts), each
# rebuilt only when the tables they read change.
_FOODS: dict[str, tuple[tuple, dict[str, Record]]] = {}
_DISHES: dict[str, tuple[tuple, list[Dish]]] = {}


def food_map(session: Session) -> dict[str, Record]:
    """Every food's public record by slug (derived tags included)."""
    url = str(session.get_bind().url)
    version = table_version(session)
    cached = _FOODS.get(url)
    if cached and cached[0] == version:
        return cached[1]
    found = {food.slug: food_record(food) for food in session.scalars(select(Food).options(selectinload(Food.tags)))}
    _FOODS[url] = (version, found)
    return found


def validate_recipes(rows: Sequence[SourcedRecord], foods: dict[str, Record]) -> list[Record]:
    problems, clean = check_recipes(rows, foods)
    if problems:
        raise RecordsRejected([RowError(*problem) for problem in problems])
    return clean


def seed_recipes(session: Session, rows: Sequence[SourcedRecord]) -> UpsertReport:
    """Create or update the curated recipes by slug in one transaction."""
    with committed(session):
        foods = food_map(session)
        clean = validate_recipes(rows, foods)
        food_ids = {slug: id_ for slug, id_ in session.execute(select(Food.slug, Food.id))}
        existing = {r.slug: r for r in session.scalars(select(Recipe).options(selectinload(Recipe.ingredients)))}
        report = UpsertReport()
        for record in clean:
            recipe = existing.get(record["slug"])
            if recipe is not None and recipe.seed_digest == digest(record):
                report.unchanged.append(record["slug"])
                continue
            (report.updated if recipe else report.created).append(record["slug"])
            recipe = recipe or Recipe(origin="curated")
            for name in ("slug", "title", "description", "meals", "servings", "prep_minutes", "cook_minutes",
                         "kid_friendly", "keeps", "steps"):
                setattr(recipe, name, record[name])
            recipe.ingredients = [
                RecipeIngredient(food_id=food_ids[row["food"]], position=n, grams=row["grams"], note=row.get("note"))
                for n, row in enumerate(record["ingredients"])
            ]
            recipe.seed_digest = digest(record)
            session.add(recipe)
            session.flush()  # replace ingredient rows before the next recipe
    return report


def get_recipe(session: Session, slug: str) -> Recipe | None:
    return session.scalar(select(Recipe).where(Recipe.slug == slug))


def dishes(session: Session) -> list[Dish]:
    """Every recipe with its nutrients, tags and plants worked out, in slug order."""
    url = str(session.get_bind().url)
    version = (table_version(session, Recipe), table_version(session))
    cached = _DISHES.get(url)
    if cached and cached[0] == version:
        return cached[1]
    foods = food_map(session)
    recipes = session.scalars(
        select(Recipe).options(selectinload(Recipe.ingredients).selectinload(RecipeIngredient.food)).order_by(Recipe.slug)
    )
    found = dishes_from([recipe_record(r) for r in recipes], foods)
    _DISHES[url] = (version, found)
    return found


def dish_map(session: Session) -> dict[str, Dish]:
    return {d.slug: d for d in dishes(session)}

"""Reading and writing recipes in the database, in the one recipe record shape."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.data import SourcedRecord
from planner.foods.records import Record
from planner.foods.store import RecordsRejected, RowError, UpsertReport, all_records, digest
from planner.models import Food, Recipe, RecipeIngredient
from planner.recipes.records import check_recipes
from planner.transaction import committed


def recipe_record(recipe: Recipe) -> Record:
    return {
        "slug": recipe.slug, "title": recipe.title, "description": recipe.description,
        "course": recipe.course, "meals": list(recipe.meals),
        "servings": recipe.servings, "prep_minutes": recipe.prep_minutes, "cook_minutes": recipe.cook_minutes,
        "kid_friendly": recipe.kid_friendly, "keeps": recipe.keeps_days > 0, "keeps_days": recipe.keeps_days,
        "ingredients": [
            {"food": row.food.slug, "grams": float(row.grams), **({"note": row.note} if row.note else {}),
             "added": row.added}
            for row in recipe.ingredients
        ],
        "steps": list(recipe.steps),
        **({"origin": "household", "notes": recipe.notes, "lines": list(recipe.lines or []),
            "source_url": recipe.source_url} if recipe.household_id is not None else {}),
    }


def validate_recipes(rows: Sequence[SourcedRecord], foods: dict[str, Record]) -> list[Record]:
    problems, clean = check_recipes(rows, foods)
    if problems:
        raise RecordsRejected([RowError(*problem) for problem in problems])
    return clean


def seed_recipes(session: Session, rows: Sequence[SourcedRecord]) -> UpsertReport:
    """Create or update the curated recipes by slug in one transaction."""
    with committed(session):
        clean = validate_recipes(rows, {record["slug"]: record for record in all_records(session)})
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
            for name in ("slug", "title", "description", "course", "meals", "servings", "prep_minutes", "cook_minutes",
                         "kid_friendly", "keeps", "keeps_days", "steps"):
                setattr(recipe, name, record[name])
            recipe.ingredients = [
                RecipeIngredient(food_id=food_ids[row["food"]], position=n, grams=row["grams"], note=row.get("note"),
                                 added=row["added"])
                for n, row in enumerate(record["ingredients"])
            ]
            recipe.seed_digest = digest(record)
            session.add(recipe)
            session.flush()  # replace ingredient rows before the next recipe
    return report


def get_recipe(session: Session, slug: str) -> Recipe | None:
    return session.scalar(select(Recipe).where(Recipe.slug == slug))

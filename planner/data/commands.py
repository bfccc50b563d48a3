"""`planner seed`: load the curated foods, tags and recipes shipped with the app."""
from __future__ import annotations

import click

from planner.data import curated_food_records, curated_recipe_records, vocabulary
from planner.extensions import db
from planner.foods import store
from planner.recipes import store as recipe_store
from planner.refused import Invalid


@click.command("seed")
def seed_command() -> None:
    """Load the curated foods and tags (safe to run again: unchanged rows stay as they are)."""
    try:
        report = store.upsert_records(db.session, curated_food_records(), vocabulary(), origin="curated")
    except store.RecordsRejected as rejected:
        raise Invalid(f"curated data has {len(rejected.errors)} problem(s); nothing was seeded",
                      rejected.fields) from None
    try:
        recipes = recipe_store.seed_recipes(db.session, curated_recipe_records())
    except store.RecordsRejected as rejected:
        raise Invalid(f"curated recipes have {len(rejected.errors)} problem(s); no recipe was seeded",
                      rejected.fields) from None
    click.echo(f"Seeded foods: {report}.")
    click.echo(f"Seeded recipes: {recipes}.")

"""Recipes and their ingredients (a food and grams per serving)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (JSON, CheckConstraint, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.clock import utc_now
from planner.models.food import Food


class Recipe(Model):
    __table_args__ = (
        CheckConstraint("servings >= 1", name="servings_positive"),
        CheckConstraint("prep_minutes >= 0 AND cook_minutes >= 0", name="minutes_positive"),
        UniqueConstraint("household_id", "title", name="one_title_per_household"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(90))
    description: Mapped[str] = mapped_column(String(240), default="")
    course: Mapped[str] = mapped_column(String(10), default="main", server_default="main")  # main | side
    meals: Mapped[list[str]] = mapped_column(JSON)
    servings: Mapped[int] = mapped_column(Integer)
    prep_minutes: Mapped[int] = mapped_column(Integer)
    cook_minutes: Mapped[int] = mapped_column(Integer)
    kid_friendly: Mapped[bool] = mapped_column(default=False)
    keeps: Mapped[bool] = mapped_column(default=False)
    # Days it keeps in the fridge once cooked (0: eat it the day it is made); never more than
    # the safe time for what it holds.
    keeps_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    steps: Mapped[list[str]] = mapped_column(JSON)
    origin: Mapped[str] = mapped_column(String(10), default="curated")  # curated | household
    # An own recipe belongs to one household and is seen by it alone; a curated one has none.
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    # An own recipe's ingredient lines as written and as read (planner.recipes.own.IngredientLine);
    # its ingredient rows are derived from them.
    lines: Mapped[list[dict[str, object]] | None] = mapped_column(JSON)
    source_url: Mapped[str | None] = mapped_column(String(500))
    seed_digest: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, onupdate=utc_now)

    ingredients: Mapped[list[RecipeIngredient]] = relationship(
        back_populates="recipe", cascade="all, delete-orphan", order_by="RecipeIngredient.position"
    )

    image: Mapped[RecipeImage | None] = relationship(
        back_populates="recipe", cascade="all, delete-orphan", uselist=False, lazy="select")

    def __repr__(self) -> str:
        return f"<Recipe {self.slug}>"


class RecipeIngredient(Model):
    __table_args__ = (
        UniqueConstraint("recipe_id", "food_id", name="one_row_per_food"),
        CheckConstraint("grams > 0", name="grams_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipe_id: Mapped[int] = mapped_column(ForeignKey("recipe.id", ondelete="CASCADE"), index=True)
    food_id: Mapped[int] = mapped_column(ForeignKey("food.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    grams: Mapped[float] = mapped_column(Float)  # per serving
    note: Mapped[str | None] = mapped_column(String(60))
    # cooked: goes in and cooks with the dish; raw: eaten raw; end: stirred in off the heat or
    # at the table, so one person's portion can be taken out before it goes in.
    added: Mapped[str] = mapped_column(String(10), default="cooked", server_default="cooked")

    recipe: Mapped[Recipe] = relationship(back_populates="ingredients")
    food: Mapped[Food] = relationship()


class RecipeImage(Model):
    """A recipe's photo, re-encoded and resized when stored."""

    __tablename__ = "recipe_image"

    recipe_id: Mapped[int] = mapped_column(ForeignKey("recipe.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    content_type: Mapped[str] = mapped_column(String(30))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))  # of the stored bytes: the page's cache validator
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, onupdate=utc_now)

    recipe: Mapped[Recipe] = relationship(back_populates="image")

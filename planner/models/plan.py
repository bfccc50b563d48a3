"""Eating profiles (who eats, what they avoid, what to aim for) and saved weekly plans."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.clock import utc_now
from planner.models.recipe import Recipe


class Profile(Model):
    __tablename__ = "profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # the profile's JSON shape
    shopping: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # units, aisle order, pantry; None = defaults
    # Counts saves of name and data, so a form opened before another save is refused, not
    # saved over it. Shopping settings are left out: the profile form does not show them.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, onupdate=utc_now)


class Plan(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("profile.id", ondelete="SET NULL"), index=True)
    week_start: Mapped[date] = mapped_column(Date)
    profile_data: Mapped[dict[str, Any]] = mapped_column(JSON)  # the profile as it was when the plan was made
    # The planned recipes and the foods in them as they were when the plan was made or last changed
    # ({"recipes": {slug: record}, "foods": {slug: record}}): a saved week shows what was planned.
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    solver_status: Mapped[str] = mapped_column(String(20))
    solver_seconds: Mapped[float] = mapped_column(Float)
    solver_gap: Mapped[float | None] = mapped_column(Float)
    objective: Mapped[float] = mapped_column(Float)
    # Set when the week is deleted: it is hidden at once and can be brought back for a while.
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The meals as they were before the last change of many at once (redo the week), to undo it.
    undo: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # What the household's food tests changed in the week (planner.diary.food_tests): the test
    # serves by day ({member, day, level, food, grams, test}) and the notes the week shows.
    food_tests: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, onupdate=utc_now)

    profile: Mapped[Profile | None] = relationship()
    slots: Mapped[list[PlanSlot]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="(PlanSlot.day, PlanSlot.position)"
    )


class PlanSlot(Model):
    __table_args__ = (UniqueConstraint("plan_id", "day", "meal", name="one_dish_per_slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    day: Mapped[int] = mapped_column(Integer)  # 0 = week_start
    meal: Mapped[str] = mapped_column(String(12))
    position: Mapped[int] = mapped_column(Integer)  # the meal's order in the day
    recipe_id: Mapped[int] = mapped_column(ForeignKey("recipe.id", ondelete="RESTRICT"), index=True)
    servings: Mapped[float] = mapped_column(Float)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    sides: Mapped[list[str] | None] = mapped_column(JSON)  # side dishes by recipe slug
    # Leftovers: the day and meal the dish was cooked at; None when it is cooked for this meal.
    cooked_day: Mapped[int | None] = mapped_column(Integer)
    cooked_meal: Mapped[str | None] = mapped_column(String(12))

    plan: Mapped[Plan] = relationship(back_populates="slots")
    recipe: Mapped[Recipe] = relationship()


class Rating(Model):
    """How one member of a household likes a dish: love, fine or never (never planned for them)."""

    __table_args__ = (UniqueConstraint("household_id", "member", "recipe", name="one_rating_per_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    member: Mapped[str] = mapped_column(String(40))  # the member's name in the household's profiles
    recipe: Mapped[str] = mapped_column(String(80))  # the recipe's slug
    rating: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, onupdate=utc_now)

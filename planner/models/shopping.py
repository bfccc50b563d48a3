"""What a person changes on a shopping list; the list itself is derived from the plan."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.clock import utc_now
from planner.models.food import Food


class ShoppingMark(Model):
    """A food on a plan's list that was ticked off or removed."""
    __tablename__ = "shopping_mark"
    __table_args__ = (UniqueConstraint("plan_id", "food_id", name="one_mark_per_food"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    food_id: Mapped[int] = mapped_column(ForeignKey("food.id", ondelete="CASCADE"), index=True)
    checked: Mapped[bool] = mapped_column(Boolean, default=False)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)

    food: Mapped[Food] = relationship()


class ShoppingExtra(Model):
    """Something added to a plan's list by hand; the same words twice are one extra."""
    __tablename__ = "shopping_extra"
    __table_args__ = (UniqueConstraint("plan_id", "text", name="one_extra_per_text"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(120))
    food_id: Mapped[int | None] = mapped_column(ForeignKey("food.id", ondelete="SET NULL"), index=True)
    grams: Mapped[float | None] = mapped_column(Float)
    checked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    food: Mapped[Food | None] = relationship()

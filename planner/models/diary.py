"""A member's food and symptom diary: one row an entry (health data: its household's alone)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, DateTime, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from planner.clock import utc_now
from planner.extensions import Model


class DiaryEntry(Model):
    __tablename__ = "diary_entry"
    __table_args__ = (
        CheckConstraint("kind IN ('food', 'meal', 'symptom', 'stool', 'sleep', 'stress', 'movement', 'medicine')",
                        name="known_kind"),
        Index("ix_diary_entry_member_time", "household_id", "member", "time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    member: Mapped[str] = mapped_column(String(40))  # the member's name, as in the household's profiles
    time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(12))
    item: Mapped[str] = mapped_column(String(120))  # a food or recipe slug, a symptom key, a medicine ...
    amount: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20), default="", server_default="")
    note: Mapped[str] = mapped_column(String(300), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class FoodTest(Model):
    """A member's guided food test: the suspect left out, then served back at three sizes
    (planner.diary.food_tests). Health data, like the diary."""
    __tablename__ = "food_test"
    __table_args__ = (
        CheckConstraint("kind IN ('food', 'tag')", name="known_kind"),
        CheckConstraint("result IN ('', 'tolerated', 'low', 'moderate', 'high')", name="known_result"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    member: Mapped[str] = mapped_column(String(40))
    item: Mapped[str] = mapped_column(String(120))  # a food slug or a tag
    kind: Mapped[str] = mapped_column(String(8))
    start: Mapped[date] = mapped_column(Date)
    elimination_weeks: Mapped[int] = mapped_column(Integer)
    washout_days: Mapped[int] = mapped_column(Integer)
    left_out: Mapped[list[str]] = mapped_column(JSON)  # food slugs
    serves: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{level, day, food, grams}]
    provider_agrees: Mapped[bool] = mapped_column(Boolean, default=False)
    paused: Mapped[str] = mapped_column(String(300), default="", server_default="")
    resumed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    stopped: Mapped[bool] = mapped_column(Boolean, default=False)
    result: Mapped[str] = mapped_column(String(12), default="", server_default="")
    result_day: Mapped[date | None] = mapped_column(Date)
    # Counts changes, so a page opened before another change is refused, not saved over it.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

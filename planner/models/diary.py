"""A member's food and symptom diary: one row an entry (health data: its household's alone)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, Index, String
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

"""Fair-use counts and the leases of heavy jobs running (planner.fair_use)."""
from __future__ import annotations

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import Model


class UsageCount(Model):
    """How many requests of a kind one account or address made in one time window."""

    __tablename__ = "usage_count"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # kind:account:7, kind:address:10.0.0.2
    window: Mapped[int] = mapped_column(Integer, primary_key=True)  # seconds since 1970 // the rate's seconds
    count: Mapped[int] = mapped_column(Integer, default=0)


class Lease(Model):
    """A heavy job running now (one row per job; deleted when it ends)."""

    __tablename__ = "lease"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    owner: Mapped[str] = mapped_column(String(200), index=True)
    started: Mapped[float] = mapped_column(Float)  # seconds since 1970

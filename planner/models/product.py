"""Products looked up by barcode on Open Food Facts, kept for a while (planner.checker.products)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import Model


class ProductCache(Model):
    """Open Food Facts' answer for one barcode (or that it has no such product), until `expires_at`."""

    __tablename__ = "product_cache"
    barcode: Mapped[str] = mapped_column(String(14), primary_key=True)
    found: Mapped[bool] = mapped_column(default=False)
    product: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the fields the checker reads
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

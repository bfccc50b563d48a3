"""Foods and the tags (benefits, cautions, allergens, processing) they carry."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column, DateTime, Float, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.clock import utc_now
from planner.extensions import Model, db



food_tag = Table(
    "food_tag",
    db.metadata,
    Column("food_id", ForeignKey("food.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)


class Tag(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(400))
    derived: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<Tag {self.slug}>"


class Food(Model):
    __table_args__ = (
        CheckConstraint("nova_group BETWEEN 1 AND 4", name="nova_group_range"),
        CheckConstraint("portion_g > 0", name="portion_positive"),
        CheckConstraint("purchase_grams > 0", name="purchase_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    # Unique among the foods one household sees (checked on save), not across the table:
    # two households may each keep a private food of the same name.
    name: Mapped[str] = mapped_column(String(80), index=True)
    synonyms: Mapped[list[str]] = mapped_column(JSON, default=list)
    category: Mapped[str] = mapped_column(String(40), index=True)
    form: Mapped[str] = mapped_column(String(20))
    nova_group: Mapped[int] = mapped_column(Integer)

    # Nutrients per 100 g, as in USDA FoodData Central.
    energy_kcal: Mapped[float] = mapped_column(Float)
    protein_g: Mapped[float] = mapped_column(Float)
    fat_g: Mapped[float] = mapped_column(Float)
    saturated_fat_g: Mapped[float] = mapped_column(Float)
    carbohydrate_g: Mapped[float] = mapped_column(Float)
    fibre_g: Mapped[float] = mapped_column(Float)
    sugars_g: Mapped[float] = mapped_column(Float)
    sodium_mg: Mapped[float] = mapped_column(Float)
    alcohol_g: Mapped[float] = mapped_column(Float, default=0.0)
    calcium_mg: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    iron_mg: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    vitamin_b12_ug: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    vitamin_d_ug: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")

    portion_g: Mapped[float] = mapped_column(Float)
    portion_measure: Mapped[str] = mapped_column(String(60))
    aisle: Mapped[str] = mapped_column(String(40))
    purchase_unit: Mapped[str] = mapped_column(String(60))
    purchase_grams: Mapped[float] = mapped_column(Float)
    plant_key: Mapped[str | None] = mapped_column(String(80))

    source_name: Mapped[str] = mapped_column(String(40))
    source_id: Mapped[str | None] = mapped_column(String(40))
    source_note: Mapped[str | None] = mapped_column(String(200))
    # "curated" rows come from planner/data and are refreshed by `planner seed`.
    origin: Mapped[str] = mapped_column(String(20), default="user")
    # None: shared with everyone (curated, or added by an admin); else the household it is private to.
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    # Digest of the data-file record last seeded: seeding skips rows whose file entry has
    # not changed, so edits made in the app survive until the file itself changes.
    seed_digest: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, onupdate=utc_now)

    tags: Mapped[list[Tag]] = relationship(secondary=food_tag, lazy="selectin", order_by=Tag.slug)

    def __repr__(self) -> str:
        return f"<Food {self.slug}>"

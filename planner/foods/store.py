"""Reading and writing foods in the database, in the one record shape.

Functions take a SQLAlchemy session; the caller owns the transaction boundary only where
noted (`upsert_records` commits or rolls back the whole batch).
"""
from __future__ import annotations

import hashlib
import secrets
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from planner.data import SourcedRecord, Vocabulary
from planner.foods.nutrition import NUTRIENTS
from planner.foods.records import SLUG, Record, find_clashes, validate_record, with_derived_tags
from planner.foods.text import key
from planner.models import Food, Tag
from planner.refused import RowsRejected, TooLarge
from planner.transaction import committed


def visible(statement: Select, viewer: int | None) -> Select:
    """Limit a query on foods to those a household sees: the shared ones and its own private ones.
    `viewer` None (a visitor, or the command line) sees the shared foods only."""
    if viewer is None:
        return statement.where(Food.household_id.is_(None))
    return statement.where(or_(Food.household_id.is_(None), Food.household_id == viewer))


def stored_record(food: Food) -> Record:
    """The record a food row holds (typed tags only)."""
    return {
        "slug": food.slug,
        "name": food.name,
        "synonyms": list(food.synonyms or []),
        "category": food.category,
        "form": food.form,
        "nova_group": food.nova_group,
        "nutrients": {name: float(getattr(food, name) or 0.0) for name in NUTRIENTS},
        "portion": {"grams": float(food.portion_g), "measure": food.portion_measure},
        "aisle": food.aisle,
        "purchase_unit": {"grams": float(food.purchase_grams), "unit": food.purchase_unit},
        "plant_key": food.plant_key,
        "allergens": sorted(t.slug for t in food.tags if t.kind == "allergen"),
        "tags": sorted(t.slug for t in food.tags if t.kind != "allergen"),
        "source": {"name": food.source_name, "id": food.source_id, "note": food.source_note},
    }


def food_record(food: Food) -> Record:
    """The public JSON of a food: the same in the API, the CLI and the export."""
    return with_derived_tags(stored_record(food))


def apply_record(food: Food, record: Record, tags: dict[str, Tag]) -> None:
    food.slug = record["slug"]
    food.name = record["name"]
    food.synonyms = list(record["synonyms"])
    food.category = record["category"]
    food.form = record["form"]
    food.nova_group = record["nova_group"]
    for name in NUTRIENTS:
        setattr(food, name, record["nutrients"][name])
    food.portion_g = record["portion"]["grams"]
    food.portion_measure = record["portion"]["measure"]
    food.aisle = record["aisle"]
    food.purchase_unit = record["purchase_unit"]["unit"]
    food.purchase_grams = record["purchase_unit"]["grams"]
    food.plant_key = record["plant_key"]
    food.source_name = record["source"]["name"]
    food.source_id = record["source"]["id"]
    food.source_note = record["source"]["note"]
    food.tags = [tags[slug] for slug in [*record["allergens"], *record["tags"]]]


def sync_tags(session: Session, vocab: Vocabulary) -> dict[str, Tag]:
    """Make the tag table match tags.yaml; return tags by slug."""
    existing = {tag.slug: tag for tag in session.scalars(select(Tag))}
    for definition in vocab.tags.values():
        tag = existing.get(definition.slug) or Tag(slug=definition.slug)
        tag.kind, tag.label = definition.kind, definition.label
        tag.description, tag.derived = definition.description, definition.derived
        if tag.id is None:
            session.add(tag)
        existing[definition.slug] = tag
    return existing


@dataclass(frozen=True)
class RowError:
    row: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.row}: {self.field}: {self.message}"


class RecordsRejected(RowsRejected):
    """A batch with any bad record is refused whole."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problem(s); nothing was saved")
        self.errors = errors


@dataclass
class UpsertReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged"


def validate_batch(session: Session, rows: Sequence[SourcedRecord], vocab: Vocabulary,
                   household_id: int | None = None) -> list[Record]:
    """Validate every row and every name clash with the foods the owner sees; raise with all
    errors or return clean records."""
    errors: list[RowError] = []
    clean: list[Record] = []
    for row in rows:
        checked = validate_record(row.record, vocab)
        errors.extend(RowError(row.origin, path, m) for path, ms in checked.errors.items() for m in ms)
        clean.append(checked.record)
    batch_slugs = {record["slug"] for record in clean}
    taken: dict[str, str] = {}
    for slug, name, synonyms in session.execute(visible(select(Food.slug, Food.name, Food.synonyms), household_id)):
        if slug not in batch_slugs:
            for text in [name, *(synonyms or [])]:
                taken[key(text)] = slug
    for index, clash in find_clashes(clean, taken).items():
        errors.extend(RowError(rows[index].origin, path, m) for path, ms in clash.items() for m in ms)
    if errors:
        raise RecordsRejected(errors)
    return clean


def digest(record: Record) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


def _unchanged(food: Food, record: Record, curated: bool) -> bool:
    """Curated rows compare against the file entry last seeded; others against the row."""
    return food.seed_digest == digest(record) if curated else stored_record(food) == record


def upsert_records(session: Session, rows: Sequence[SourcedRecord], vocab: Vocabulary,
                   origin: str = "user", household_id: int | None = None) -> UpsertReport:
    """Create or update foods by slug in one transaction: all rows land or none do.
    Foods are shared when `household_id` is None, else private to that household."""
    with committed(session):
        return write_records(session, rows, vocab, origin, household_id)


MAX_PRIVATE_FOODS = 2000  # a household's own foods: far more than a family keeps, small enough to search fast


def write_records(session: Session, rows: Sequence[SourcedRecord], vocab: Vocabulary,
                  origin: str = "user", household_id: int | None = None) -> UpsertReport:
    """upsert_records inside the caller's transaction (a backup restores foods with the rest)."""
    curated = origin == "curated"
    clean = validate_batch(session, rows, vocab, household_id)
    tags = sync_tags(session, vocab)
    by_slug = {f.slug: f for f in session.scalars(select(Food).where(Food.slug.in_([r["slug"] for r in clean])))}
    foreign = {slug for slug, food in by_slug.items() if food.household_id != household_id}
    if foreign:
        raise RecordsRejected([RowError(row.origin, "slug", f"The slug '{row.record['slug']}' is taken.")
                               for row in rows if row.record.get("slug") in foreign])
    new = sum(1 for record in clean if record["slug"] not in by_slug)
    if household_id is not None and new:
        kept = session.scalar(select(func.count(Food.id)).where(Food.household_id == household_id)) or 0
        if kept + new > MAX_PRIVATE_FOODS:
            raise TooLarge(f"A household keeps at most {MAX_PRIVATE_FOODS} foods of its own; this would make "
                           f"{kept + new}. Delete some first.")
    report = UpsertReport()
    for record in clean:
        food = by_slug.get(record["slug"])
        if food is None:
            report.created.append(record["slug"])
        elif _unchanged(food, record, curated):
            report.unchanged.append(record["slug"])
            continue
        else:
            report.updated.append(record["slug"])
        food = food or Food(origin=origin, household_id=household_id)
        apply_record(food, record, tags)
        if curated:
            food.seed_digest = digest(record)
        session.add(food)
    return report


def promote_food(session: Session, slug: str) -> Food | None:
    """Make a food from the wider USDA table, which a recipe brought in, part of the curated list."""
    with committed(session):
        food = session.scalar(select(Food).where(Food.slug == slug, Food.household_id.is_(None)))
        if food is None or food.origin != "usda":
            return None
        food.origin = "curated"
        food.source_note = ((food.source_note or "") + " Reviewed and made curated.").strip()[:200]
    return food


def delete_food(session: Session, slug: str, viewer: int | None = None) -> bool:
    food = get_food(session, slug, viewer)
    if food is None:
        return False
    session.delete(food)
    session.commit()
    return True


def get_food(session: Session, slug: str, viewer: int | None = None) -> Food | None:
    """The food with this slug if the viewer may see it. Text no record could have as its slug
    (a NUL byte, which PostgreSQL refuses even in a query) names no food and is not looked up."""
    if not SLUG.fullmatch(slug):
        return None
    return session.scalar(visible(select(Food).where(Food.slug == slug), viewer))


def free_slug(session: Session, slug: str, column: InstrumentedAttribute[str] = Food.slug) -> str:
    """The slug, or the first "-2", "-3" ... variant no row uses in `column` (a food's slug unless
    told). Text that is no slug at all is returned as it is, for validation to refuse."""
    if not SLUG.fullmatch(slug):
        return slug
    taken = set(session.scalars(select(column).where(column.startswith(slug, autoescape=True))))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug[:75]}-{number}"
    return candidate


def private_slug(session: Session, slug: str) -> str:
    """A new private food's slug: the name's slug and a random ending, whatever other households
    keep, so the slug a person gets never tells them what another household has."""
    if not SLUG.fullmatch(slug):
        return slug
    while True:
        candidate = f"{slug[:72]}-{secrets.token_hex(3)}"
        if session.scalar(select(Food.id).where(Food.slug == candidate)) is None:
            return candidate


def all_records(session: Session, viewer: int | None = None) -> list[Record]:
    return [food_record(food) for food in session.scalars(visible(select(Food), viewer).order_by(Food.name))]


def records_of(rows: Iterable[Record], origin: str) -> list[SourcedRecord]:
    return [SourcedRecord(f"{origin} row {n}", row) for n, row in enumerate(rows, start=1)]

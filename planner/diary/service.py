"""One function per decision about a household's diary, for the pages, the API and the CLI."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from planner import catalog
from planner.diary.entries import Entry
from planner.diary.exchange import Row, read_rows, read_time
from planner.diary.patterns import Patterns, find_patterns
from planner.diary.store import add_rows, members_of, rows_of
from planner.refused import Invalid


def import_text(session: Session, household_id: int, text: str, json_body: bool) -> int:
    """Add every row of a CSV or JSON diary file, or none."""
    members = members_of(session, household_id)
    if not members:
        raise Invalid("Add your household's members in a profile first: each diary entry names one of them.")
    return add_rows(session, household_id, read_rows(text, members, json_body))


def checked_member(session: Session, household_id: int, member: str | None) -> str | None:
    """The member's name as the profiles spell it; Invalid for a name no profile has."""
    if not member:
        return None
    known = {m.lower(): m for m in members_of(session, household_id)}
    found = known.get(member.strip().lower())
    if found is None:
        raise Invalid(f"No member of your household is called {member[:40]!r}.", {"member": "Not a member."})
    return found


def entries_for_patterns(session: Session, household_id: int, rows: Sequence[Row]) -> list[Entry]:
    """The rows with what the catalog knows: a food's tags, a meal's foods and tags."""
    library = catalog.load(session, household_id)
    found = []
    for row in rows:
        tags: tuple[str, ...] = ()
        foods: tuple[str, ...] = ()
        item = row.item
        if row.kind == "food":
            slug = item if item in library.foods else library.names.get(item.lower())
            if slug is not None:
                item, tags = slug, tuple(library.foods[slug].get("tags", ()))
        elif row.kind == "meal" and item in library.dish_map:
            facts = library.dish_map[item].facts
            foods, tags = tuple(facts.foods), tuple(sorted(set(facts.tags) | set(facts.ingredient_tags)))
        found.append(Entry(time=row.time, kind=row.kind, item=item, amount=row.amount, unit=row.unit,
                           note=row.note, tags=tags, foods=foods))
    return found


def patterns_of(session: Session, household_id: int, member: str) -> Patterns:
    rows = rows_of(session, household_id, member)
    return find_patterns(entries_for_patterns(session, household_id, rows))


def period(start: str | None, end: str | None) -> tuple[datetime | None, datetime | None]:
    """?start= and ?end= as times (a date is its midnight, UTC); Invalid for what is neither."""
    found = []
    for name, raw in (("start", start), ("end", end)):
        try:
            found.append(read_time(raw) if raw else None)
        except ValueError as error:
            raise Invalid(f"{name}: {error}", {name: str(error)}) from None
    return found[0], found[1]

"""How each member likes a dish: love (it comes back more often), fine, or never again (it is
never planned for a meal that member eats). Ratings belong to the household, by member name."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from planner.clock import utc_now
from planner.i18n import N_
from planner.models import Rating
from planner.refused import Invalid
from planner.shopping.store import upsert
from planner.transaction import committed

RATINGS = {"love": N_("Love it"), "fine": N_("Fine"), "never": N_("Never again")}
MAX_MEMBER = 40


@dataclass(frozen=True)
class Ratings:
    """Every rating a household has given: by member name, then recipe slug."""

    by_member: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def of(self, member: str, slug: str) -> str | None:
        return self.by_member.get(member, {}).get(slug)

    def with_rating(self, member: str, rating: str) -> frozenset[str]:
        return frozenset(slug for slug, given in self.by_member.get(member, {}).items() if given == rating)


class BadRating(Invalid):
    """A rating that is not love, fine or never, or no member named."""


def checked_rating(member: object, rating: object) -> tuple[str, str]:
    """The member's name and rating, or BadRating saying what to give."""
    fields = {}
    if not isinstance(member, str) or not member.strip() or len(member) > MAX_MEMBER:
        fields["member"] = "Name the member (as in your household), up to 40 characters."
    if rating not in RATINGS and rating not in ("", None):
        fields["rating"] = f"One of: {', '.join(RATINGS)} (or empty to clear it)."
    if fields:
        raise BadRating(N_("That rating cannot be saved."), fields)
    return str(member).strip(), str(rating or "")


def rate(session: Session, household_id: int, member: object, slug: str, rating: object) -> tuple[str, str]:
    """Set one member's rating of a dish (an empty rating clears it). Two people rating at once
    both land: each is an upsert of its own row. Returns the member and rating as saved."""
    name, given = checked_rating(member, rating)
    with committed(session):
        if not given:
            session.execute(delete(Rating).where(Rating.household_id == household_id, Rating.member == name,
                                                 Rating.recipe == slug))
            return name, given
        insert = upsert(session, Rating)
        session.execute(insert.values(household_id=household_id, member=name, recipe=slug, rating=given,
                                      updated_at=utc_now()).on_conflict_do_update(
            index_elements=["household_id", "member", "recipe"],
            set_={"rating": insert.excluded.rating, "updated_at": insert.excluded.updated_at}))
    return name, given


def ratings_of(session: Session, household_id: int | None) -> Ratings:
    if household_id is None:
        return Ratings()
    found: dict[str, dict[str, str]] = {}
    for member, slug, rating in session.execute(
            select(Rating.member, Rating.recipe, Rating.rating).where(Rating.household_id == household_id)):
        found.setdefault(member, {})[slug] = rating
    return Ratings(found)

"""Getting started: the three steps a new household takes towards its first week, and which of
them are done.

Done is read from what is stored, never kept as a flag of its own, so every member sees the same
progress on every device and a step undone (the last week deleted) shows as to do again:

1. members: the household has a profile, which always names who eats;
2. restrictions: a profile says what someone must avoid or will not eat (an allergy, a diet, a
   food or tag left out, a member's dislike), or was saved again after it was made: the second
   step opens the profile's form at those questions, and saving it as it is answers "none";
3. week: the household has a week that is not deleted.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.models import Plan as PlanRow, Profile as ProfileRow
from planner.plans import store
from planner.plans.profile import Profile

MEMBERS, RESTRICTIONS, WEEK = "members", "restrictions", "week"
ORDER = (MEMBERS, RESTRICTIONS, WEEK)


@dataclass(frozen=True)
class Step:
    key: str  # one of ORDER
    number: int  # 1 to 3
    done: bool
    ready: bool  # can be taken now: the later steps need a profile first


@dataclass(frozen=True)
class Progress:
    steps: tuple[Step, ...]
    # The profile the steps open: the first one whose restrictions are not answered yet, else the
    # first one; None before there is any.
    profile_id: int | None

    @property
    def next_step(self) -> Step | None:
        return next((step for step in self.steps if not step.done), None)

    @property
    def finished(self) -> bool:
        return self.next_step is None

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)


def restricts(profile: Profile) -> bool:
    """Whether the profile says anything someone must avoid or will not eat."""
    return bool(profile.all_allergens or profile.diets or profile.excluded_foods or profile.excluded_words
                or profile.excluded_tags or any(member.dislikes for member in profile.members))


def answered(row: ProfileRow) -> bool:
    return row.version > 1 or restricts(store.profile_of(row))


def progress(session: Session, household_id: int) -> Progress:
    profiles = store.list_profiles(session, household_id)
    open_ones = [row for row in profiles if not answered(row)]
    week = session.scalar(store.owned(select(PlanRow.id).where(PlanRow.deleted_at.is_(None)), PlanRow,
                                      household_id).limit(1))
    done = {MEMBERS: bool(profiles), RESTRICTIONS: len(open_ones) < len(profiles), WEEK: week is not None}
    chosen = (open_ones or profiles)[:1]
    return Progress(tuple(Step(key, number, done[key], key == MEMBERS or done[MEMBERS])
                          for number, key in enumerate(ORDER, start=1)), chosen[0].id if chosen else None)

"""The planning problem: the week's slots, the dishes each slot may take, and the goals."""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, timedelta

from planner.plans.eligibility import why_not
from planner.plans.profile import Profile
from planner.plans.needs import DayGoals, Needs, day_goals, gentlest_share, profile_needs
from planner.data import life_stages
from planner.plans.shares import Portion, portion_of
from planner.recipes.facts import Dish
from planner.refused import Impossible

DAYS = 7


@dataclass(frozen=True, order=True)
class Slot:
    day: int  # 0 = the week's first day
    meal: str

    @property
    def key(self) -> str:
        return f"{self.day}-{self.meal}"


class PlanImpossible(Impossible):
    """No plan can keep the hard rules (e.g. no breakfast fits the profile's diet)."""


@dataclass
class Problem:
    profile: Profile
    week_start: date
    slots: list[Slot]
    dishes: dict[str, Dish]
    candidates: dict[Slot, list[str]]
    goals: DayGoals
    max_repeats: int
    fixed: dict[Slot, str] = field(default_factory=dict)
    retired: frozenset[str] = frozenset()  # dishes kept where the week has them, never offered
    _portions: dict[tuple[int, str], Portion] = field(default_factory=dict, repr=False)

    @cached_property
    def needs(self) -> tuple[Needs, ...]:
        """Every member's needs this week (the fibre ramp counts weeks)."""
        return tuple(profile_needs(self.profile, self.week_start))

    @cached_property
    def eaters(self) -> tuple[Needs, ...]:
        """The members who eat the planned meals (not a baby on milk only)."""
        return tuple(needs for needs in self.needs if needs.eats)

    @property
    def fibre_goal(self) -> float:
        return self.goals.fibre

    @property
    def energy_range(self) -> tuple[float, float]:
        return self.goals.energy_range

    def portion(self, eater: int, slug: str) -> Portion:
        """What eater number `eater` eats of one serving of the dish."""
        key = (eater, slug)
        if key not in self._portions:
            self._portions[key] = portion_of(self.eaters[eater], self.dishes[slug].facts)
        return self._portions[key]

    def offered(self) -> list[Dish]:
        """The dishes a slot may still be given: every one but the retired."""
        return [d for d in self.dishes.values() if d.slug not in self.retired]

    def retired_dishes(self) -> list[Dish]:
        return [self.dishes[slug] for slug in sorted(self.retired)]

    def date_of(self, slot: Slot) -> date:
        return self.week_start + timedelta(days=slot.day)

    def slots_of_day(self, day: int) -> list[Slot]:
        return [s for s in self.slots if s.day == day]


def _repeat_limit(profile: Profile, candidates: Mapping[Slot, list[str]], slots: Sequence[Slot]) -> int:
    """The profile's repeat limit, raised only when too few dishes fit to fill a meal otherwise."""
    limit = profile.targets.max_repeats
    for meal in profile.meals:
        meal_slots = [s for s in slots if s.meal == meal]
        distinct = len({slug for s in meal_slots for slug in candidates[s]})
        if distinct and distinct * limit < len(meal_slots):
            limit = -(-len(meal_slots) // distinct)
    return limit


def _gentlest(slugs: list[str], dishes: Mapping[str, Dish], share: float) -> list[str]:
    """The share of these dishes lowest in fibre a serving (a week on the fibre ramp)."""
    keep = max(math.ceil(len(slugs) * share), life_stages()["fibre_ramp"]["min_choices"])
    return sorted(sorted(slugs, key=lambda s: (dishes[s].facts.nutrients["fibre_g"], s))[:keep])


def build_problem(profile: Profile, week_start: date, dishes: Sequence[Dish],
                  fixed: Mapping[Slot, str] | None = None,
                  forbidden: Mapping[Slot, set[str]] | None = None,
                  retired: Sequence[Dish] = ()) -> Problem:
    """Slots for the profile's meals over seven days, each with the dishes the hard rules allow.

    `fixed` slots keep their dish (locked, or the rest of the week while one slot is redone);
    `forbidden` dishes are left out of a slot (the dish being replaced); `retired` dishes are
    no longer among the recipes but may stay where a saved week has them fixed.
    """
    fixed = dict(fixed or {})
    forbidden = forbidden or {}
    slots = [Slot(day, meal) for day in range(DAYS) for meal in profile.meals]
    by_slug = {d.slug: d for d in sorted(dishes, key=lambda d: d.slug)}
    fitting: dict[tuple[str, bool], list[str]] = {}
    for meal in profile.meals:
        for weekend in (False, True):
            fitting[meal, weekend] = [
                d.slug for d in by_slug.values()
                if meal in d.recipe["meals"] and why_not(d.recipe, d.facts, profile, weekend=weekend, meal=meal) is None
            ]
    share = gentlest_share(profile, week_start)
    if share < 1:
        fitting = {key: _gentlest(slugs, by_slug, share) for key, slugs in fitting.items()}
    by_slug.update((d.slug, d) for d in retired if d.slug not in by_slug)
    candidates: dict[Slot, list[str]] = {}
    for slot in slots:
        if slot in fixed:
            if fixed[slot] not in by_slug:
                raise PlanImpossible(f"The dish kept for day {slot.day + 1} {slot.meal} is no longer in the library.")
            candidates[slot] = [fixed[slot]]
            continue
        weekend = (week_start + timedelta(days=slot.day)).weekday() >= 5
        candidates[slot] = [s for s in fitting[slot.meal, weekend] if s not in forbidden.get(slot, set())]
        if not candidates[slot]:
            raise PlanImpossible(
                f"No {slot.meal} recipe fits your profile's rules"
                f"{' on weekdays' if not weekend else ''}: loosen the diet, exclusions or time limit, "
                f"or leave {slot.meal} out."
            )
    return Problem(
        profile=profile, week_start=week_start, slots=slots, dishes=by_slug, candidates=candidates,
        goals=day_goals(profile, week_start), max_repeats=_repeat_limit(profile, candidates, slots), fixed=fixed,
        retired=frozenset(d.slug for d in retired) - {d.slug for d in dishes},
    )

"""What each member needs in a day, and what that asks of one recipe serving.

A recipe serving is sized for a reference adult (2000 kcal a day). A member eats
`portion` servings of every meal: their energy need over the reference. Because every
member eats the same dishes, a member's fibre goal becomes a goal for the fibre in one
day's servings: goal / portion. The profile's daily goal is the largest of these.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.data import life_stages
from planner.plans.profile import Profile, Member

PORTION_STEP = 0.05  # portions are shown and bought to the nearest 5 % of a serving


def meal_shares() -> dict[str, float]:
    return dict(life_stages()["meal_shares"])


def reference_kcal() -> float:
    return float(life_stages()["reference_kcal"])


def _band(rows: list[dict[str, Any]], age: float) -> dict[str, Any]:
    return next(row for row in rows if row["from"] <= age < row["to"])


def source(key: str) -> str:
    """The full name of a source the life-stage table cites by key."""
    return str(life_stages()["sources"][key])


@dataclass(frozen=True)
class Advice:
    text: str
    source: str


def fluids() -> Advice:
    """What to drink as fibre goes up, with its source."""
    row = life_stages()["fluids"]
    return Advice(str(row["text"]), source(row["source"]))


@dataclass(frozen=True)
class Needs:
    """What one member needs and may have in a day; every limit is data with its source."""

    member: Member
    energy_kcal: float
    fibre_g: float
    portion: float  # servings of each meal; 0 for a baby on milk only
    salt_max_g: float | None = None  # None while a baby has milk only
    free_sugars_max_g: float = 0.0
    fibre_upper_g: float | None = None  # None where no fibre goal is set (babies)
    intakes: Mapping[str, float] = field(default_factory=dict)  # reference intakes a day
    fibre_goal_g: float = 0.0  # the full goal; `fibre_g` is this week's, lower while fibre ramps up

    @property
    def ramping(self) -> bool:
        return self.fibre_g < self.fibre_goal_g

    @property
    def eats(self) -> bool:
        """Whether the member eats the planned meals (a baby under 6 months has milk only)."""
        return self.portion > 0

    @property
    def label(self) -> str:
        age = f"{round(self.member.age * 12)} months" if self.member.age < 2 else f"{self.member.age:g}"
        return f"{self.member.name} ({age})"


def _intakes(member: Member) -> dict[str, float]:
    found = {}
    for name, row in life_stages()["reference_intakes"].items():
        band = _band(row["bands"], member.age)
        value = float(band.get(member.sex or "any", band["any"]))
        if member.stage == "breastfeeding":
            value += float(row.get("breastfeeding_extra", 0))
        found[name] = value
    return found


def _energy(member: Member) -> float:
    table = life_stages()
    energy = float(_band(table["stages"], member.age)["energy_kcal"][member.sex or "any"])
    if member.age >= table["activity"]["from_years"]:
        energy *= float(table["activity"]["factor"][member.activity or "moderate"])
    if member.stage == "pregnant":
        energy += float(table["pregnant"]["extra_kcal_by_trimester"][member.trimester or 2])
    elif member.stage == "breastfeeding":
        energy += float(_band(table["breastfeeding"]["extra_kcal_by_baby_months"], member.baby_months or 0)["kcal"])
    return round(energy)


def _fibre_week(goal: float, fibre_now: str, week: int) -> tuple[float, float]:
    """This week's fibre goal and comfortable upper band, `week` weeks into the ramp."""
    ramp = life_stages()["fibre_ramp"]
    upper = goal * life_stages()["fibre_upper_factor"]
    step = ramp["step_g"] * goal / ramp["step_goal_g"]
    this_week = min(goal, goal * ramp["start_share"][fibre_now] + step * week)
    if this_week < goal:
        upper = min(upper, this_week + step)
    return round(this_week, 1), round(upper, 1)


def needs_of(member: Member, fibre_now: str = "plenty", week: int = 0) -> Needs:
    """One member's needs and limits a day, `week` weeks into a fibre ramp from `fibre_now`."""
    table = life_stages()
    fibre = float(_band(table["stages"], member.age)["fibre_g"][member.sex or "any"])
    if member.stage:
        fibre = float(table[member.stage]["fibre_g"])
    if member.age < table["solids_from_years"]:
        return Needs(member, 0.0, 0.0, 0.0, intakes=_intakes(member))
    energy = _energy(member)
    if member.age < 2:  # what solids give; milk gives the rest (WHO/PAHO)
        energy = float(_band(table["solids_kcal"], member.age)["kcal"])
    portion = round(max(round(energy / reference_kcal() / PORTION_STEP), 1) * PORTION_STEP, 2)
    sugars = table["free_sugars"]
    free_sugars = (0.0 if member.age < sugars["none_before_years"]
                   else energy * sugars["energy_share"] / sugars["kcal_per_g"])
    this_week, upper = _fibre_week(fibre, fibre_now, week) if fibre else (0.0, 0.0)
    return Needs(member, energy, this_week, portion, float(_band(table["salt_max_g"], member.age)["g"]),
                 round(free_sugars, 1), upper if fibre else None, _intakes(member), fibre)


def fermented_goal(profile: Profile, week_start: date | None) -> tuple[float, float | None]:
    """Fermented servings a day this week, and the most a day while they ramp up from one small
    serving (None once they have)."""
    ramp = life_stages()["fibre_ramp"]
    target = profile.targets.fermented_per_day
    start = ramp["fermented_start"].get(profile.fibre_now)
    if start is None:
        return target, None
    week = profile.ramp_week(week_start) if week_start else 0
    this_week = min(target, start + ramp["fermented_step"] * week)
    return this_week, (this_week + ramp["fermented_step"] if this_week < target else None)


def ramp_progress(profile: Profile, week_start: date | None) -> float | None:
    """How far along the fibre ramp the week is, from 0 (its first week) to 1 (the full goals);
    None when the household already eats plenty. Every member's step is the same share of their
    goal, so one number holds for all."""
    ramp = life_stages()["fibre_ramp"]
    start = ramp["start_share"][profile.fibre_now]
    if start >= 1:
        return None
    week = profile.ramp_week(week_start) if week_start else 0
    return min(ramp["step_g"] / ramp["step_goal_g"] * week / (1 - start), 1.0)


def gentlest_share(profile: Profile, week_start: date | None) -> float:
    """The share of each meal's recipes, lowest in fibre first, a week on the fibre ramp offers."""
    progress = ramp_progress(profile, week_start)
    first = life_stages()["fibre_ramp"]["gentlest_first"]
    return 1.0 if progress is None else first + (1 - first) * progress


def profile_needs(profile: Profile, week_start: date | None = None) -> list[Needs]:
    """Each member's needs; in the week from `week_start` when fibre ramps up (else its first week)."""
    week = profile.ramp_week(week_start) if week_start else 0
    return [needs_of(m, profile.fibre_now, week) for m in profile.members]


def profile_servings(profile: Profile) -> float:
    """Servings of each meal the whole profile eats."""
    return round(sum(n.portion for n in profile_needs(profile)), 2)


def meal_grams(grams_per_serving: float, servings: float) -> float:
    """An ingredient's grams for the whole profile at one meal, to 0.1 g: the plan shows
    these and the shopping list adds them up."""
    return round(grams_per_serving * servings, 1)


def planned_share(profile: Profile) -> float:
    """The share of a day's food the planned meals carry (1.0 with all four)."""
    shares = meal_shares()
    return sum(shares[m] for m in profile.meals)


@dataclass(frozen=True)
class DayGoals:
    """What one day's servings (one per meal) aim for, so that every member meets their own."""

    fibre: float
    fermented: float
    fermented_most: float | None  # while fermented foods ramp up
    energy_range: tuple[float, float]


def day_goals(profile: Profile, week_start: date | None = None) -> DayGoals:
    share = planned_share(profile)
    eaters = [n for n in profile_needs(profile, week_start) if n.fibre_g and n.eats]
    fibre = round(max((n.fibre_g / n.portion for n in eaters), default=0.0) * share, 1)
    return DayGoals(fibre, *fermented_goal(profile, week_start), energy_range_per_serving_day(profile))


def energy_range_per_serving_day(profile: Profile) -> tuple[float, float]:
    middle = reference_kcal() * planned_share(profile)
    tolerance = profile.targets.energy_tolerance_pct / 100
    return round(middle * (1 - tolerance)), round(middle * (1 + tolerance))

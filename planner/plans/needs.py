"""What each member needs in a day, and what that asks of one recipe serving.

A recipe serving is sized for a reference adult (2000 kcal a day). A member eats
`portion` servings of every meal: their energy need over the reference. Because every
member eats the same dishes, a member's fibre goal becomes a goal for the fibre in one
day's servings: goal / portion. The profile's daily goal is the largest of these.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
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


def needs_of(member: Member) -> Needs:
    table = life_stages()
    stage = _band(table["stages"], member.age)
    sex = member.sex or "any"
    energy = float(stage["energy_kcal"][sex])
    fibre = float(stage["fibre_g"][sex])
    if member.stage:
        energy += table[member.stage]["extra_kcal"]
        fibre = float(table[member.stage]["fibre_g"])
    if member.age < table["solids_from_years"]:
        return Needs(member, 0.0, 0.0, 0.0, intakes=_intakes(member))
    if member.age < 2:  # what solids give; milk gives the rest (WHO/PAHO)
        energy = float(_band(table["solids_kcal"], member.age)["kcal"])
    portion = round(max(round(energy / reference_kcal() / PORTION_STEP), 1) * PORTION_STEP, 2)
    sugars = table["free_sugars"]
    free_sugars = (0.0 if member.age < sugars["none_before_years"]
                   else energy * sugars["energy_share"] / sugars["kcal_per_g"])
    return Needs(member, energy, fibre, portion, float(_band(table["salt_max_g"], member.age)["g"]),
                 round(free_sugars, 1), round(fibre * table["fibre_upper_factor"], 1) if fibre else None,
                 _intakes(member))


def profile_needs(profile: Profile) -> list[Needs]:
    return [needs_of(m) for m in profile.members]


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


def fibre_goal_per_serving_day(profile: Profile) -> float:
    """Fibre one day's servings must hold so every member meets their own intake."""
    densest = max((n.fibre_g / n.portion for n in profile_needs(profile) if n.fibre_g and n.eats), default=0.0)
    return round(densest * planned_share(profile), 1)


def energy_range_per_serving_day(profile: Profile) -> tuple[float, float]:
    middle = reference_kcal() * planned_share(profile)
    tolerance = profile.targets.energy_tolerance_pct / 100
    return round(middle * (1 - tolerance)), round(middle * (1 + tolerance))

"""What each member needs in a day, and what that asks of one recipe serving.

A recipe serving is sized for a reference adult (2000 kcal a day). A member eats
`portion` servings of every meal: their energy need over the reference. Because every
member eats the same dishes, a member's fibre goal becomes a goal for the fibre in one
day's servings: goal / portion. The profile's daily goal is the largest of these.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from planner.data import DATA_DIR, read_yaml
from planner.plans.profile import Profile, Member

PORTION_STEP = 0.05  # portions are shown and bought to the nearest 5 % of a serving


@cache
def _table() -> dict[str, Any]:
    return read_yaml(DATA_DIR / "life_stages.yaml")


def meal_shares() -> dict[str, float]:
    return dict(_table()["meal_shares"])


def reference_kcal() -> float:
    return float(_table()["reference_kcal"])


@dataclass(frozen=True)
class Needs:
    member: Member
    energy_kcal: float
    fibre_g: float
    portion: float  # servings of each meal

    @property
    def label(self) -> str:
        age = f"{round(self.member.age * 12)} months" if self.member.age < 2 else f"{self.member.age:g}"
        return f"{self.member.name} ({age})"


def needs_of(member: Member) -> Needs:
    table = _table()
    stage = next(s for s in table["stages"] if s["from"] <= member.age < s["to"])
    sex = member.sex or "any"
    energy = float(stage["energy_kcal"][sex])
    fibre = float(stage["fibre_g"][sex])
    if member.stage:
        energy += table[member.stage]["extra_kcal"]
        fibre = float(table[member.stage]["fibre_g"])
    portion = round(round(energy / reference_kcal() / PORTION_STEP) * PORTION_STEP, 2)
    return Needs(member, energy, fibre, portion)


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
    densest = max((n.fibre_g / n.portion for n in profile_needs(profile) if n.fibre_g), default=0.0)
    return round(densest * planned_share(profile), 1)


def energy_range_per_serving_day(profile: Profile) -> tuple[float, float]:
    middle = reference_kcal() * planned_share(profile)
    tolerance = profile.targets.energy_tolerance_pct / 100
    return round(middle * (1 - tolerance)), round(middle * (1 + tolerance))

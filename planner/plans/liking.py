"""What the family likes: its ratings and the weeks it has had. A loved dish comes back, a dish
from the last two weeks waits its turn, children get dishes children eat, and the household's
familiar-or-adventurous setting weighs dishes it has never had."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from planner.plans.profile import CHILD_MEAL_YEARS, Member, Profile
from planner.plans.ratings import Ratings
from planner.recipes.facts import Dish

# In the week's value, where a meal's guidance earns about 5 and a missed target thousands.
LOVED = 10.0  # per member at the meal who loves the dish
RECENT = 5.0  # per time the dish was planned in the two weeks before (loved dishes: half)
NOT_FOR_CHILDREN = 12.0  # a dish not marked kid-friendly at a meal a child eats
NEW_DISH = {"familiar": -4.0, "balanced": 0.0, "adventurous": 3.0}  # a dish the household has never had
OURS = 40.0  # a dish of the household's own when the week is to be mostly theirs: more than any liking but no target


@dataclass(frozen=True)
class Family:
    """What a household has said and done that the planner weighs."""

    ratings: Ratings = field(default_factory=Ratings)
    recent: Mapping[str, int] = field(default_factory=dict)  # times planned in the two weeks before
    known: frozenset[str] = frozenset()  # every dish it has had planned before

    def never(self, slug: str, members: Sequence[Member]) -> str | None:
        """The member at the meal who said never again to the dish, if any."""
        return next((m.name for m in members if self.ratings.of(m.name, slug) == "never"), None)


def liking(dish: Dish, members: Sequence[Member], family: Family, profile: Profile) -> float:
    """How much the family would like the dish at a meal these members eat."""
    lovers = sum(1 for m in members if family.ratings.of(m.name, dish.slug) == "love")
    value = LOVED * lovers - RECENT * family.recent.get(dish.slug, 0) * (0.5 if lovers else 1.0)
    if any(m.age < CHILD_MEAL_YEARS for m in members) and not dish.recipe.get("kid_friendly"):
        value -= NOT_FOR_CHILDREN
    if family.known and dish.slug not in family.known:
        value += NEW_DISH[profile.adventure]
    if profile.recipes == "mostly-ours" and dish.recipe.get("origin") == "household":
        value += OURS
    return value

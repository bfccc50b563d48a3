"""What a family would count in a planned week: things to buy and how much of them is left over,
dishes cooked and eaten up as leftovers, kid-friendly meals, plants, fermented servings and
hands-on minutes. The bench prints them and the tests hold the planner to them."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from planner.foods.records import Record
from planner.plans.generate import Plan
from planner.plans.present import plan_json
from planner.plans.profile import CHILD_MEAL_YEARS
from planner.shopping.build import MealUse, Settings, State, build_list
from planner.shopping.settings import default_pantry


@dataclass(frozen=True)
class WeekFigures:
    items: int  # lines to buy (pantry apart)
    leftover_share: float  # of the bought weight, what the meals do not use
    kid_friendly_share: float | None  # of the meals a child eats; None without children
    plants: float  # a pinch of a herb or spice counts a quarter
    fermented: tuple[float, float]  # servings a day per adult portion, lowest and highest
    hands_on_weekday: int  # the most hands-on minutes of a weekday
    cooked: int  # meals cooked (the rest are leftovers)
    meals: int
    targets_met: bool  # every target some week within the rules could meet


def week_figures(plan: Plan, foods: Mapping[str, Record]) -> WeekFigures:
    data = plan_json(plan, dict(foods))
    uses = [MealUse(date.fromisoformat(day["date"]), meal["slot"], meal["recipe"]["title"],
                    tuple((i["food"], i["grams"])
                          for i in meal["ingredients"] + [i for side in meal["sides"] for i in side["ingredients"]]))
            for day in data["days"] for meal in day["meals"]]
    listed = build_list(uses, foods, Settings(pantry=default_pantry(foods.values())), State(), {}, "week")
    bought = [item for item in listed.items() if not item.pantry]
    need = sum(item.need_grams for item in bought)
    got = sum(item.bought_grams for item in bought)
    problem = plan.problem
    child_meals = [s for s in problem.slots
                   if any(problem.eaters[n].member.age < CHILD_MEAL_YEARS for n in problem.present[s])]
    kid = [s for s in child_meals if problem.dishes[plan.assignment[s]].recipe.get("kid_friendly")]
    fermented = [day["per_adult_portion"]["fermented_servings"] for day in data["days"]]
    weekdays = [day["hands_on_minutes"] for day in data["days"] if date.fromisoformat(day["date"]).weekday() < 5]
    return WeekFigures(
        items=len(bought), leftover_share=(got - need) / got if got else 0.0,
        kid_friendly_share=len(kid) / len(child_meals) if child_meals else None,
        plants=plan.evaluation.weighted_plants, fermented=(min(fermented), max(fermented)),
        hands_on_weekday=max(weekdays, default=0), cooked=plan.evaluation.cooks, meals=len(plan.assignment),
        targets_met=all(row["met"] for row in data["week"]["targets"] if row["reachable"]))

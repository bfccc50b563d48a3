"""A plan as JSON (API, CLI, the page and the shopping list read this one shape)."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from planner.checker.check import DISCLAIMER
from planner.checker.guidance import guidance
from planner.foods.records import Record
from planner.plans.generate import Plan
from planner.plans.needs import fluids, meal_grams, profile_servings, source
from planner.plans.shares import INTAKE, caps_of, weekly_caps, weekly_caps_of
from planner.plans.problem import DAYS, Slot
from planner.plans.report import scorecard
from planner.recipes.present import cook_amount

TOTALS = ("energy_kcal", "fibre_g", "fermented_servings", "prebiotic_foods")


NUTRIENTS = ("energy_kcal", "protein_g", "fat_g", "carbohydrate_g", "fibre_g", "sugars_g", "sodium_mg")


def _ingredients(recipe: Record, servings: float, foods: dict[str, Record],
                 nutrients: dict[str, float]) -> list[dict[str, Any]]:
    """A dish's ingredients in the grams the members at the meal eat, each also as a cook measures
    it ("amount": "3 eggs", "2 tbsp olive oil"), adding up their nutrients."""
    found = []
    for row in recipe["ingredients"]:
        food = foods[row["food"]]
        grams = meal_grams(row["grams"], servings)
        found.append({"food": food["slug"], "name": food["name"], "grams": grams, "amount": cook_amount(grams, food),
                      "added": row.get("added", "cooked")})
        for name in nutrients:
            nutrients[name] += food["nutrients"][name] * grams / 100
    return found


def meal_json(plan: Plan, slot: Slot, foods: dict[str, Record]) -> dict[str, Any]:
    """One meal with the grams the members at it eat; its nutrients are the sum over those grams,
    its main's and its sides'. A meal of leftovers says which meal cooked them."""
    problem = plan.problem
    servings = problem.servings(slot)
    dish = problem.dishes[plan.assignment[slot]]
    nutrients = dict.fromkeys(NUTRIENTS, 0.0)
    ingredients = _ingredients(dish.recipe, servings, foods, nutrients)
    sides = []
    for slug in plan.sides.get(slot, ()):
        side = problem.dishes[slug]
        sides.append({"slug": slug, "title": side.recipe["title"],
                      "kid_friendly": bool(side.recipe.get("kid_friendly")),
                      "ingredients": _ingredients(side.recipe, servings, foods, nutrients),
                      "fermented_servings": round(side.facts.fermented_servings * servings, 2)})
    fermented = sum(problem.dishes[s].facts.fermented_servings for s in (dish.slug, *plan.sides.get(slot, ())))
    shares = [{"member": problem.eaters[eater].member.name,
               "share": round(problem.eaters[eater].portion / servings, 4) if servings else 0.0,
               "leave_out": [food for one in (dish.slug, *plan.sides.get(slot, ()))
                             for food in problem.portion(eater, one).leave_out]}
              for eater in problem.present[slot]]
    cooked = plan.cooked.get(slot, slot)
    prep, total = problem.minutes(dish.slug)
    return {
        "slot": slot.meal, "recipe": {"slug": dish.slug, "title": dish.recipe["title"]}, "servings": servings,
        "locked": slot in plan.locked, "ingredients": ingredients, "shares": shares, "sides": sides,
        "cooked": cooked == slot,
        "leftovers_of": None if cooked == slot else {
            "day": cooked.day, "meal": cooked.meal, "weekday": problem.date_of(cooked).strftime("%A")},
        "kid_friendly": bool(dish.recipe.get("kid_friendly")), "keeps_days": dish.recipe.get("keeps_days", 0),
        "hands_on_minutes": prep if cooked == slot else 0, "total_minutes": total if cooked == slot else 0,
        "recipe_minutes": {"hands_on": prep, "total": total},
        "nutrients": {k: round(v, 1) for k, v in nutrients.items()},
        "fermented_servings": round(fermented * servings, 2),  # live only where added raw or at the end
        "prebiotic_foods": sorted({f for s in (dish.slug, *plan.sides.get(slot, ()))
                                   for f in problem.dishes[s].facts.prebiotic_foods}),
        "plants": sorted({p for s in (dish.slug, *plan.sides.get(slot, ())) for p in problem.dishes[s].facts.plants}),
    }


def day_json(plan: Plan, day: int, foods: dict[str, Record]) -> dict[str, Any]:
    slots = plan.problem.slots_of_day(day)
    meals = [meal_json(plan, slot, foods) for slot in slots]
    totals = {
        "energy_kcal": round(sum(m["nutrients"]["energy_kcal"] for m in meals), 1),
        "fibre_g": round(sum(m["nutrients"]["fibre_g"] for m in meals), 1),
        "fermented_servings": round(sum(m["fermented_servings"] for m in meals), 2),
        "prebiotic_foods": len({f for m in meals for f in m["prebiotic_foods"]}),
    }
    # One serving of every meal of the day (an adult portion), whoever is at each meal.
    serving = plan.evaluation.days[day]
    per_portion = {"energy_kcal": round(serving.energy_kcal, 1), "fibre_g": round(serving.fibre_g, 1),
                   "fermented_servings": round(serving.fermented_servings, 1)}
    day_date = plan.problem.week_start + timedelta(days=day)
    members = []
    for eater, needs in enumerate(plan.problem.eaters):
        intake = plan.evaluation.members[eater][day]
        caps = caps_of(needs)
        members.append({"member": needs.member.name, **{name: round(intake[name], 2) for name in INTAKE},
                        "limits": caps, "within_limits": all(intake[n] <= cap + 0.005 for n, cap in caps.items())})
    hands_on = (sum(m["hands_on_minutes"] for m in meals)
                + sum(plan.problem.minutes(side["slug"])[0] for m in meals for side in m["sides"]))
    return {"date": day_date.isoformat(), "weekday": day_date.strftime("%A"), "meals": meals,
            "totals": totals, "per_adult_portion": per_portion, "members": members, "hands_on_minutes": hands_on,
            "hands_on_limit": plan.problem.hands_on_limit(day)}


def members_json(plan: Plan) -> list[dict[str, Any]]:
    """Who eats, with each member's limits, goals and reference intakes (and their sources), and
    their week's daily average of what the reference intakes cover."""
    eaters = {needs.member: eater for eater, needs in enumerate(plan.problem.eaters)}
    found = []
    for needs in plan.problem.needs:
        eater = eaters.get(needs.member)
        week = plan.evaluation.members[eater] if eater is not None else []
        average = {name: round(sum(day[name] for day in week) / DAYS, 2) for name in needs.intakes} if week else {}
        found.append({
            "member": needs.member.name, "age": needs.member.age, "stage": needs.member.stage, "eats": needs.eats,
            "note": "" if needs.eats else "Milk only before about 6 months: no meals are planned for this baby.",
            "portion": needs.portion, "energy_kcal": needs.energy_kcal, "fibre_goal_g": needs.fibre_g,
            "fibre_full_goal_g": needs.fibre_goal_g, "fibre_upper_g": needs.fibre_upper_g, "limits": caps_of(needs),
            "reference_intakes": dict(needs.intakes), "daily_average": average,
            "weekly_limits": weekly_caps_of(needs),
            "week_total": {name: round(sum(day[name] for day in week), 1) for name in weekly_caps_of(needs)},
            "sources": {"salt_g": source("sacn-salt"), "free_sugars_g": source("who-sugars"),
                        "free_sugars_under_2": source("sacn-sugars"), "fibre": source("iom-fibre"),
                        "solids": source("who-solids"), "reference_intakes": source("dh-rni"),
                        "vitamin_d_ug": source("sacn-vitd"), "energy": source("iom-energy"),
                        "activity": source("dga-energy"), "fibre_ramp": source("bda-fibre"),
                        **{cap.name: cap.source for cap in weekly_caps()}},
        })
    return found


def fibre_ramp_json(plan: Plan) -> dict[str, Any]:
    """Where the week stands on the way to the fibre goals, with the advice on fluids."""
    problem = plan.problem
    profile = problem.profile
    ramping = any(n.ramping for n in problem.eaters)
    return {"fibre_now": profile.fibre_now, "week": profile.ramp_week(problem.week_start) + 1 if ramping else None,
            "ramping": ramping, "fermented_per_day": problem.goals.fermented, "fluids": fluids().text,
            "sources": [source("bda-fibre"), fluids().source]}


def plan_json(plan: Plan, foods: dict[str, Record], plan_id: int | None = None) -> dict[str, Any]:
    profile = plan.problem.profile
    servings = profile_servings(profile)
    evaluation = plan.evaluation
    solver = plan.solver
    return {
        "id": plan_id,
        "week_start": plan.problem.week_start.isoformat(),
        "profile": profile.to_dict(),
        "portions": [{"member": n.member.name, "age": n.member.age, "portion": n.portion,
                      "fibre_goal_g": n.fibre_g, "energy_kcal": n.energy_kcal} for n in plan.problem.needs],
        "fibre_ramp": fibre_ramp_json(plan),
        "servings_per_meal": servings,
        "members": members_json(plan),
        "days": [day_json(plan, day, foods) for day in range(DAYS)],
        "week": {
            "distinct_plants": len(evaluation.plants),
            "plants": sorted(evaluation.plants),
            "targets": [row.as_dict() for row in scorecard(plan)],
            "guidance_score": round(evaluation.guidance, 1),
            "fibre_goal_per_adult_portion": plan.problem.fibre_goal,
            "energy_range_per_adult_portion": list(plan.problem.energy_range),
        },
        "habits": [{"id": r.id, "text": r.text, "why": r.why, "source": "; ".join(r.sources)}
                   for r in guidance().habits],
        "solver": {"status": solver.status, "seconds": round(solver.seconds, 3),
                   "gap": None if solver.gap != solver.gap else round(solver.gap, 4),
                   "objective": round(solver.objective, 2)},
        "disclaimer": DISCLAIMER,
    }

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

TOTALS = ("energy_kcal", "fibre_g", "fermented_servings", "prebiotic_foods")


def meal_json(plan: Plan, slot: Slot, servings: float, foods: dict[str, Record]) -> dict[str, Any]:
    """One meal with the profile's grams; its nutrients are the sum over those grams."""
    dish = plan.problem.dishes[plan.assignment[slot]]
    ingredients = []
    nutrients = {"energy_kcal": 0.0, "protein_g": 0.0, "fat_g": 0.0, "carbohydrate_g": 0.0, "fibre_g": 0.0,
                 "sugars_g": 0.0, "sodium_mg": 0.0}
    for row in dish.recipe["ingredients"]:
        food = foods[row["food"]]
        grams = meal_grams(row["grams"], servings)
        ingredients.append({"food": food["slug"], "name": food["name"], "grams": grams,
                            "added": row.get("added", "cooked")})
        for name in nutrients:
            nutrients[name] += food["nutrients"][name] * grams / 100
    fermented = dish.facts.fermented_servings * servings  # live only where added raw or at the end
    shares = [{"member": needs.member.name, "share": round(needs.portion / servings, 4),
               "leave_out": list(plan.problem.portion(eater, dish.slug).leave_out)}
              for eater, needs in enumerate(plan.problem.eaters)]
    return {
        "slot": slot.meal, "recipe": {"slug": dish.slug, "title": dish.recipe["title"]}, "servings": servings,
        "locked": slot in plan.locked, "ingredients": ingredients, "shares": shares,
        "nutrients": {k: round(v, 1) for k, v in nutrients.items()}, "fermented_servings": round(fermented, 2),
        "prebiotic_foods": list(dish.facts.prebiotic_foods), "plants": list(dish.facts.plants),
    }


def day_json(plan: Plan, day: int, servings: float, foods: dict[str, Record]) -> dict[str, Any]:
    slots = plan.problem.slots_of_day(day)
    meals = [meal_json(plan, slot, servings, foods) for slot in slots]
    totals = {
        "energy_kcal": round(sum(m["nutrients"]["energy_kcal"] for m in meals), 1),
        "fibre_g": round(sum(m["nutrients"]["fibre_g"] for m in meals), 1),
        "fermented_servings": round(sum(m["fermented_servings"] for m in meals), 2),
        "prebiotic_foods": len({f for m in meals for f in m["prebiotic_foods"]}),
    }
    per_portion = {k: round(totals[k] / servings, 1) for k in ("energy_kcal", "fibre_g", "fermented_servings")}
    day_date = plan.problem.week_start + timedelta(days=day)
    members = []
    for eater, needs in enumerate(plan.problem.eaters):
        intake = plan.evaluation.members[eater][day]
        caps = caps_of(needs)
        members.append({"member": needs.member.name, **{name: round(intake[name], 2) for name in INTAKE},
                        "limits": caps, "within_limits": all(intake[n] <= cap + 0.005 for n, cap in caps.items())})
    return {"date": day_date.isoformat(), "weekday": day_date.strftime("%A"), "meals": meals,
            "totals": totals, "per_adult_portion": per_portion, "members": members}


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
        "days": [day_json(plan, day, servings, foods) for day in range(DAYS)],
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

"""Each member's share of a meal: whether they may eat the dish at all, what is left out of
their portion (a baby's portion taken out before the miso goes in), and what they take in.

One function decides it, `portion_of`; eligibility, the solver's limits, the scorecard and the
plan's JSON all read it.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from planner.checker.pregnancy import pregnancy_matches, pregnancy_rules
from planner.checker.restrictions import PREGNANT
from planner.data import life_stages
from planner.foods.nutrition import unit_of
from planner.plans.needs import Needs, source
from planner.recipes.facts import RecipeFacts
from planner.recipes.rules import child_rules

# What a member's day is counted in.
INTAKE = ("energy_kcal", "fibre_g", "salt_g", "free_sugars_g", "calcium_mg", "iron_mg", "vitamin_b12_ug",
          "vitamin_d_ug", "caffeine_mg")


@dataclass(frozen=True)
class WeeklyCap:
    """The most grams a week of the foods a pregnancy rule names (oily fish, tuna), at some stages."""

    rule: str
    grams: float
    stages: frozenset[str]
    words: str
    source: str

    @property
    def name(self) -> str:
        return f"{self.rule.replace('-', '_')}_g"


@cache
def weekly_caps() -> tuple[WeeklyCap, ...]:
    return tuple(WeeklyCap(row["rule"], float(row["g"]), frozenset(row["stages"]), row["words"], source(row["source"]))
                 for row in life_stages()["pregnancy"]["weekly_max"])


def tracked() -> tuple[str, ...]:
    """Every amount counted per member and day: the intake, and what weekly caps limit."""
    return INTAKE + tuple(cap.name for cap in weekly_caps())


def weekly_caps_of(needs: Needs) -> dict[str, float]:
    return {cap.name: cap.grams for cap in weekly_caps() if needs.member.stage in cap.stages}


@dataclass(frozen=True)
class Portion:
    """What one member eats of one serving of a dish."""

    leave_out: tuple[str, ...] = ()  # foods kept out of their portion
    amounts: Mapping[str, float] = field(default_factory=dict)  # per serving, of what they eat
    refused: str | None = None  # why they may not eat the dish at all


def portion_of(needs: Needs, facts: RecipeFacts) -> Portion:
    """This member's portion of the dish, or the rule that keeps the dish from them."""
    young = tuple(rule.id for rule in child_rules() if needs.member.age < rule.min_age_years)
    pregnant = needs.member.stage == PREGNANT
    key = ("portion", pregnant, young)
    found = facts.memo.get(key)
    if not isinstance(found, _Kind):  # worked out once for each kind of member the dish meets
        found = facts.memo[key] = _portion_of_kind(facts, pregnant, young)
    if found.child_rule is not None:
        return Portion(refused=f"not for {needs.label}: {found.child_rule}")
    return found.portion


@dataclass(frozen=True)
class _Kind:
    """The portion of a dish for every member of one kind (pregnant or not, young for these child
    rules): the rule text that keeps the dish from them, else their portion."""

    portion: Portion
    child_rule: str | None = None


def _portion_of_kind(facts: RecipeFacts, pregnant: bool, young: tuple[str, ...]) -> _Kind:
    if pregnant and (refused := _refused_in_pregnancy(facts)):
        return _Kind(Portion(refused=refused))
    leave_out: list[str] = []
    for rule in child_rules():
        if rule.id not in young:
            continue
        for part in facts.parts:
            if not rule.matches(part.food, part.tags) or (rule.raw_only and part.added != "raw"):
                continue
            if rule.adapt and part.added == "end":
                leave_out.append(part.food)
            else:
                return _Kind(Portion(), child_rule=rule.text)
    amounts = dict.fromkeys(tracked(), 0.0)
    eaten = [part for part in facts.parts if part.food not in leave_out]
    if leave_out:
        for part in eaten:
            for name in INTAKE:
                amounts[name] += part.amounts.get(name, 0.0)
    else:
        amounts.update((name, facts.part_sums.get(name, 0.0)) for name in INTAKE)
    for part in eaten:
        for name in _capped(part.food, part.category, part.tags):
            amounts[name] += part.grams
    return _Kind(Portion(tuple(dict.fromkeys(leave_out)), {name: round(amount, 4) for name, amount in amounts.items()}))


@cache
def _capped(food: str, category: str, tags: frozenset[str]) -> tuple[str, ...]:
    """The weekly caps a food counts towards (worked out once a food: the planner asks often)."""
    rules = {rule.id: rule for rule in pregnancy_rules()}
    record = {"slug": food, "category": category, "tags": tags}
    return tuple(cap.name for cap in weekly_caps() if rules[cap.rule].matches(record))


# One meal may hold up to this multiple of its share of a member's daily maximum: room for a
# saltier dinner after a plain breakfast, while the day's own limit is kept by the planner.
MEAL_BUDGET_FACTOR = 1.5
LIMIT_WORDS = {"salt_g": "salt", "free_sugars_g": "free sugars", "caffeine_mg": "caffeine"}


def _refused_in_pregnancy(facts: RecipeFacts) -> str | None:
    """The NHS and FDA rule a dish breaks for a pregnant member, if any."""
    cooking = life_stages()["pregnancy"]
    for part in facts.parts:
        if part.added == "raw" and part.category in cooking["never_raw"]:
            return f"not in pregnancy: it serves {part.food.replace('-', ' ')} raw"
        for rule in pregnancy_matches({"slug": part.food, "category": part.category, "tags": part.tags}):
            if rule.effect == "avoid" and not (part.added == "cooked" and rule.id in cooking["safe_when_cooked"]):
                return f"not in pregnancy: {rule.text}"
    return None


def over_meal_budget(needs: Needs, portion: Portion, meal_share: float) -> str | None:
    """Why one meal of this dish holds too much salt or free sugar for the member, if it does.
    `meal_share` is the meal's share of the planned day."""
    for name, cap in caps_of(needs).items():
        amount = portion.amounts.get(name, 0.0) * needs.portion
        if amount > cap * meal_share * MEAL_BUDGET_FACTOR + 1e-9:
            unit = unit_of(name)
            return (f"too much {LIMIT_WORDS[name]} for {needs.label} at one meal "
                    f"({amount:.1f} {unit} of at most {cap:g} {unit} a day)")
    return None


def caps_of(needs: Needs) -> dict[str, float]:
    """The member's daily maxima of salt and free sugars (and caffeine in pregnancy)."""
    caffeine = life_stages()["pregnancy"]["caffeine"]
    caps = {"salt_g": needs.salt_max_g, "free_sugars_g": needs.free_sugars_max_g,
            "caffeine_mg": float(caffeine["max_mg"]) if needs.member.stage in caffeine["stages"] else None}
    return {name: cap for name, cap in caps.items() if cap is not None}

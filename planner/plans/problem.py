"""The planning problem: the week's meals, who eats each, the dishes and sides each may take,
where a dish may be cooked and where its leftovers may be eaten, and the goals."""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, timedelta

from planner.plans.costs import ShopCosts
from planner.plans.eligibility import why_not
from planner.plans.liking import NOT_FOR_CHILDREN, Family, liking
from planner.plans.profile import CHILD_MEAL_YEARS, Member, Profile
from planner.plans.needs import DayGoals, Needs, day_goals, gentlest_share, meal_shares, profile_needs
from planner.data import life_stages
from planner.plans.shares import Portion, portion_of
from planner.recipes.facts import Dish, RecipeFacts
from planner.refused import Impossible

DAYS = 7
# Cook once, eat twice: a dinner cooked in a double batch is the next day's lunch, when the
# dish keeps in the fridge for a day or more.
LEFTOVER_MEALS_PER_BATCH = 1
LEFTOVERS_FOR: dict[str, tuple[str, ...]] = {"dinner": ("lunch",)}
LEFTOVER_DAYS = 1  # planned leftovers are eaten the next day (a dish may keep longer)
SIDES_PER_MEAL = 1
# The solver weighs at most this many mains and sides a meal: the best few for each target, then
# the rest by what each brings on its own. Enough for variety and every target; few enough to
# prove the best week fast whatever the size of the library.
SHORTLIST_MAINS = 30
SHORTLIST_SIDES = 10
SHORTLIST_EACH = 3
COOK = 3.0  # per dish cooked, in the week's value (a meal's guidance earns about 5)
GUIDANCE_WEIGHT = 0.3  # per point of a dish's guidance score
# A week has variety in what its lunches and dinners are built on: dishes whose heaviest protein
# food is the same (two red lentil dals, say) come at most this often between them, leftovers
# included, whenever the rules leave enough other dishes: two batches and their leftovers. (An
# odd number would let the solver's relaxation plan half a batch, and proving the week would
# take twice as long.)
KIND_MEALS = 4
KIND_CATEGORIES = ("legumes", "meat-poultry", "fish-seafood", "eggs")
KIND_MEALS_OF = ("lunch", "dinner")
HANDS_ON = 0.15  # per hands-on minute


@dataclass(frozen=True, order=True)
class Slot:
    day: int  # 0 = the week's first day
    meal: str

    @property
    def key(self) -> str:
        return f"{self.day}-{self.meal}"


@dataclass(frozen=True)
class FibreBand:
    """One day's fibre, in a serving of each meal these members eat at home, between the most
    any of them needs and the least any of them is comfortable with."""

    day: int
    slots: tuple[Slot, ...]
    low: float
    high: float | None


class PlanImpossible(Impossible):
    """No plan can keep the hard rules (e.g. no breakfast fits the profile's diet)."""


@dataclass
class Problem:
    profile: Profile
    week_start: date
    slots: list[Slot]
    dishes: dict[str, Dish]  # mains and sides by slug
    candidates: dict[Slot, list[str]]  # the mains each meal may take
    goals: DayGoals
    max_repeats: int
    fixed: dict[Slot, str] = field(default_factory=dict)
    retired: frozenset[str] = frozenset()  # dishes kept where the week has them, never offered
    sides: dict[Slot, list[str]] = field(default_factory=dict)  # the sides each meal may take
    cookable: dict[Slot, frozenset[str]] = field(default_factory=dict)  # mains that may be cooked there
    family: Family = field(default_factory=Family)
    shop: ShopCosts = field(default_factory=ShopCosts)
    fixed_sides: dict[Slot, tuple[str, ...]] = field(default_factory=dict)  # kept as they are
    _portions: dict[tuple[Member, str], Portion] = field(default_factory=dict, repr=False)
    _liking: dict[tuple[Slot, str], float] = field(default_factory=dict, repr=False)
    # Worked out once a problem: the solver and the quick plan ask these thousands of times.
    _costs: dict[str, float] = field(default_factory=dict, repr=False)
    _kinds: dict[str, str | None] = field(default_factory=dict, repr=False)
    _sources: dict[tuple[Slot, str], tuple[Slot, ...]] = field(default_factory=dict, repr=False)

    @cached_property
    def needs(self) -> tuple[Needs, ...]:
        """Every member's needs this week (the fibre ramp counts weeks)."""
        return tuple(profile_needs(self.profile, self.week_start))

    @cached_property
    def eaters(self) -> tuple[Needs, ...]:
        """The members who eat the planned meals (not a baby on milk only)."""
        return tuple(needs for needs in self.needs if needs.eats)

    @cached_property
    def present(self) -> dict[Slot, tuple[int, ...]]:
        """The eaters (by number) at each meal: everyone not away for it."""
        return {slot: tuple(n for n, needs in enumerate(self.eaters)
                            if needs.member.eats_at(self.date_of(slot).weekday(), slot.meal))
                for slot in self.slots}

    @cached_property
    def fibre_bands(self) -> tuple[FibreBand, ...]:
        """Each member's fibre goal and upper band for the meals they eat each day, as bands on a
        serving of each of those meals; members at the same meals share one band."""
        groups: dict[tuple[int, tuple[Slot, ...]], list[tuple[float, float | None]]] = {}
        for eater, needs in enumerate(self.eaters):
            if not needs.fibre_g:
                continue
            for day in range(DAYS):
                slots = tuple(s for s in self.slots_of_day(day) if eater in self.present[s])
                if not slots:
                    continue
                share = meal_share(self, eater, day)
                high = None if needs.fibre_upper_g is None else needs.fibre_upper_g * share / needs.portion
                groups.setdefault((day, slots), []).append((needs.fibre_g * share / needs.portion, high))
        return tuple(FibreBand(day, slots, round(max(low for low, _ in found), 2),
                               min((high for _, high in found if high is not None), default=None))
                     for (day, slots), found in sorted(groups.items()))

    @cached_property
    def best_broth(self) -> int:
        """The most meals with bone broth the rules allow this week (0 for a vegetarian home)."""
        slots = [s for s in self.slots
                 if any(self.dishes[c].facts.bone_broth for c in (*self.candidates[s], *self.meal_sides(s)))]
        dishes = {c for s in slots for c in (*self.candidates[s], *self.meal_sides(s))
                  if self.dishes[c].facts.bone_broth}
        return min(len(slots), len(dishes) * self.max_repeats)

    @cached_property
    def broth_goal(self) -> int:
        """The week's bone broth target as far as the rules allow: a goal no week can reach would
        weigh every week the same, so it is not weighed."""
        return min(self.profile.targets.bone_broth_per_week, self.best_broth)

    def servings(self, slot: Slot) -> float:
        """Servings of the meal's dish the members at it eat."""
        return round(sum(self.eaters[n].portion for n in self.present[slot]), 2)

    @property
    def fibre_goal(self) -> float:
        return self.goals.fibre

    @property
    def energy_range(self) -> tuple[float, float]:
        return self.goals.energy_range

    def portion(self, eater: int, slug: str) -> Portion:
        """What eater number `eater` eats of one serving of the dish."""
        key = (self.eaters[eater].member, slug)
        if key not in self._portions:
            self._portions[key] = portion_of(self.eaters[eater], self.dishes[slug].facts)
        return self._portions[key]

    def liking(self, slot: Slot, slug: str) -> float:
        key = (slot, slug)
        if key not in self._liking:
            members = [self.eaters[n].member for n in self.present.get(slot, ())]
            self._liking[key] = liking(self.dishes[slug], members, self.family, self.profile)
        return self._liking[key]

    def kind(self, slug: str) -> str | None:
        """What a dish is built on: its heaviest legume, meat, fish or egg (None for none)."""
        if slug not in self._kinds:
            parts = [(part.grams, part.food) for part in self.dishes[slug].facts.parts
                     if part.category in KIND_CATEGORIES]
            self._kinds[slug] = max(parts)[1] if parts else None
        return self._kinds[slug]

    def meal_sides(self, slot: Slot) -> list[str]:
        """The sides the meal may take: its kept ones where it keeps them."""
        if slot in self.fixed_sides:
            return [side for side in self.fixed_sides[slot] if side in self.dishes]
        return self.sides.get(slot, [])

    def offered(self) -> list[Dish]:
        """The dishes a slot may still be given: every one but the retired."""
        return [d for d in self.dishes.values() if d.slug not in self.retired]

    def retired_dishes(self) -> list[Dish]:
        return [self.dishes[slug] for slug in sorted(self.retired)]

    def date_of(self, slot: Slot) -> date:
        return self.week_start + timedelta(days=slot.day)

    def slots_of_day(self, day: int) -> list[Slot]:
        return [s for s in self.slots if s.day == day]

    def minutes(self, slug: str) -> tuple[int, int]:
        """Hands-on minutes and minutes to the table of cooking the dish once."""
        recipe = self.dishes[slug].recipe
        return recipe["prep_minutes"], recipe["prep_minutes"] + recipe["cook_minutes"]

    @cached_property
    def _shop_shares(self) -> dict[str, float]:
        """Each shop line's price shared among the dishes this week may take."""
        pool = {slug for found in (*self.candidates.values(), *self.sides.values()) for slug in found}
        return self.shop.shares(self.dishes[slug].facts.foods for slug in sorted(pool))

    def cooking_cost(self, slug: str) -> float:
        """What cooking the dish once costs the family: a session in the kitchen, its hands-on
        minutes, and its share of the price of its shop lines."""
        if slug not in self._costs:
            shopping = sum(self._shop_shares.get(line, 0.0) for line in self.shop.lines(self.dishes[slug].facts.foods))
            course = self.dishes[slug].recipe.get("course", "main")
            self._costs[slug] = (COOK if course == "main" else 0.0) + HANDS_ON * self.minutes(slug)[0] + shopping
        return self._costs[slug]

    def hands_on_limit(self, day: int) -> int:
        weekend = (self.week_start + timedelta(days=day)).weekday() >= 5
        return self.profile.max_prep_weekend if weekend else self.profile.max_prep_weekday

    def sources(self, slot: Slot, slug: str) -> tuple[Slot, ...]:
        """The earlier meals whose batch of the dish may feed this one, within its keeping time."""
        if (slot, slug) not in self._sources:
            keeps = min(self.dishes[slug].recipe.get("keeps_days", 0), LEFTOVER_DAYS)
            self._sources[slot, slug] = tuple(
                s for s in self.slots if 0 < slot.day - s.day <= keeps and slot.meal in LEFTOVERS_FOR.get(s.meal, ())
                and slug in self.cookable.get(s, ()))
        return self._sources[slot, slug]


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


def _shortlist(slugs: list[str], dishes: Mapping[str, Dish], keep: int, children: bool, shop: ShopCosts) -> list[str]:
    """The dishes most worth weighing for a meal (see SHORTLIST_MAINS)."""
    if len(slugs) <= keep:
        return slugs
    shares = shop.shares(dishes[slug].facts.foods for slug in slugs)
    facts = {s: dishes[s].facts for s in slugs}
    recipes = {s: dishes[s].recipe for s in slugs}
    ways: tuple[Callable[[str], float], ...] = (
        lambda s: facts[s].nutrients["fibre_g"], lambda s: facts[s].fermented_servings,
        lambda s: len(facts[s].prebiotic_foods), lambda s: float(facts[s].bone_broth), lambda s: facts[s].five_a_day,
        lambda s: -recipes[s]["prep_minutes"], lambda s: -facts[s].nutrients["energy_kcal"],
        lambda s: facts[s].nutrients["energy_kcal"], lambda s: float(recipes[s].get("keeps_days", 0) > 0))
    chosen: dict[str, None] = {}
    for way in ways:
        chosen.update(dict.fromkeys(sorted(slugs, key=lambda s: (-way(s), s))[:SHORTLIST_EACH]))

    def worth(slug: str) -> float:
        kid = 0.0 if not children or recipes[slug].get("kid_friendly") else -NOT_FOR_CHILDREN
        shopping = sum(shares[line] for line in shop.lines(facts[slug].foods))
        return (GUIDANCE_WEIGHT * facts[slug].score + 0.3 * facts[slug].nutrients["fibre_g"]
                + 5 * facts[slug].fermented_servings + 2 * facts[slug].five_a_day + kid
                - HANDS_ON * recipes[slug]["prep_minutes"] - shopping)
    for slug in sorted(slugs, key=lambda s: (-worth(s), s)):
        if len(chosen) >= keep:
            break
        chosen.setdefault(slug)
    return sorted(chosen)


def _cookable(profile: Profile, slot: Slot, weekend: bool, dish: Dish) -> bool:
    """Whether the dish may be cooked for this meal: its hands-on time fits the day, a weekday
    dinner reaches the table in time, and a packed weekday lunch is made ahead (it needs no
    cooking, or keeps a day); a leftovers lunch is only ever the dinner before."""
    recipe = dish.recipe
    if recipe["prep_minutes"] > (profile.max_prep_weekend if weekend else profile.max_prep_weekday):
        return False
    if slot.meal == "dinner" and not weekend and \
            recipe["prep_minutes"] + recipe["cook_minutes"] > profile.max_total_weekday_dinner:
        return False
    if slot.meal == "lunch" and not weekend and profile.lunch != "cooked":
        return profile.lunch == "packed" and (recipe["cook_minutes"] == 0 or recipe.get("keeps_days", 0) >= 1)
    return True


def build_problem(profile: Profile, week_start: date, dishes: Sequence[Dish],
                  fixed: Mapping[Slot, str] | None = None,
                  forbidden: Mapping[Slot, set[str]] | None = None,
                  retired: Sequence[Dish] = (), family: Family | None = None,
                  shop: ShopCosts | None = None) -> Problem:
    """Slots for the profile's meals over seven days, each with the dishes the hard rules allow
    for the members at it.

    `fixed` slots keep their dish (locked, or the rest of the week while one slot is redone);
    `forbidden` dishes are left out of a slot (the dish being replaced); `retired` dishes are
    no longer among the recipes but may stay where a saved week has them fixed.
    """
    fixed = dict(fixed or {})
    forbidden = forbidden or {}
    family = family or Family()
    shop = shop or ShopCosts()
    slots = [Slot(day, meal) for day in range(DAYS) for meal in profile.meals]
    by_slug = {d.slug: d for d in sorted(dishes, key=lambda d: d.slug)}
    mains = [d for d in by_slug.values() if d.recipe.get("course", "main") == "main"]
    side_dishes = [d for d in by_slug.values() if d.recipe.get("course") == "side"]
    share = gentlest_share(profile, week_start)
    all_needs = profile_needs(profile, week_start)
    needs = [n for n in all_needs if n.eats]
    fitting: dict[tuple[str, tuple[Member, ...]], list[str]] = {}
    fitting_sides: dict[tuple[str, tuple[Member, ...]], list[str]] = {}

    def at(slot: Slot) -> tuple[Member, ...]:
        weekday = (week_start + timedelta(days=slot.day)).weekday()
        return tuple(n.member for n in needs if n.member.eats_at(weekday, slot.meal))

    known: dict[tuple[Member, str], Portion] = {}

    def portion(needs: Needs, facts: RecipeFacts) -> Portion:
        key = (needs.member, facts.slug)
        if key not in known:
            known[key] = portion_of(needs, facts)
        return known[key]

    def allowed(dish: Dish, meal: str, members: tuple[Member, ...], budget: bool) -> bool:
        return (why_not(dish.recipe, dish.facts, profile, meal=meal if budget else None, members=members,
                        portions=portion, needs=all_needs) is None
                and family.never(dish.slug, members) is None)

    problem_sides: dict[Slot, list[str]] = {}
    candidates: dict[Slot, list[str]] = {}
    cookable: dict[Slot, frozenset[str]] = {}
    by_slug.update((d.slug, d) for d in retired if d.slug not in by_slug)
    for slot in slots:
        members = at(slot)
        key = (slot.meal, members)
        if key not in fitting:
            found = [d.slug for d in mains if slot.meal in d.recipe["meals"] and allowed(d, slot.meal, members, True)]
            # A dinner's leftovers make a lunch: dinner dishes that keep may be eaten at lunch.
            if slot.meal == "lunch" and "dinner" in profile.meals:
                found += [d.slug for d in mains if "lunch" not in d.recipe["meals"] and "dinner" in d.recipe["meals"]
                          and d.recipe.get("keeps_days", 0) > 0 and allowed(d, "lunch", members, True)]
            found = _gentlest(sorted(found), by_slug, share) if share < 1 and found else sorted(found)
            children = any(m.age < CHILD_MEAL_YEARS for m in members)
            # Loved dishes are always weighed, so they come back; so are the household's own when
            # the week is to be mostly theirs.
            loved = [slug for slug in found if any(family.ratings.of(m.name, slug) == "love" for m in members)
                     or (profile.recipes == "mostly-ours" and by_slug[slug].recipe.get("origin") == "household")]
            fitting[key] = sorted({*_shortlist(found, by_slug, SHORTLIST_MAINS, children, shop), *loved})
            fitting_sides[key] = _shortlist([d.slug for d in side_dishes if slot.meal in d.recipe["meals"]
                                             and allowed(d, slot.meal, members, False)], by_slug, SHORTLIST_SIDES,
                                            children, shop)
        problem_sides[slot] = fitting_sides[key] if members else []
        weekend = (week_start + timedelta(days=slot.day)).weekday() >= 5
        if slot in fixed:
            if fixed[slot] not in by_slug:
                raise PlanImpossible(f"The dish kept for day {slot.day + 1} {slot.meal} is no longer in the library.")
            candidates[slot] = [fixed[slot]]
            dish = by_slug[fixed[slot]]
            # A kept dinner dish at lunch stays leftovers of the dinner before when it can.
            as_leftovers = slot.meal not in dish.recipe["meals"] and slot.day > 0 and \
                fixed.get(Slot(slot.day - 1, "dinner"), dish.slug) == dish.slug
            cookable[slot] = frozenset() if as_leftovers else frozenset(candidates[slot])
            continue
        candidates[slot] = [s for s in fitting[key] if s not in forbidden.get(slot, set())]
        cookable[slot] = frozenset(s for s in candidates[slot] if _cookable(profile, slot, weekend, by_slug[s])
                                   and slot.meal in by_slug[s].recipe["meals"])
    problem = Problem(
        profile=profile, week_start=week_start, slots=slots, dishes=by_slug, candidates=candidates,
        goals=day_goals(profile, week_start), max_repeats=1, fixed=fixed,
        retired=frozenset(d.slug for d in retired) - {d.slug for d in dishes}, sides=problem_sides,
        cookable=cookable, family=family, shop=shop, _portions=known,
    )
    # A meal takes a dish cooked for it, or leftovers of one cooked earlier: drop the rest.
    for slot in slots:
        if slot in fixed:
            continue
        candidates[slot] = [s for s in candidates[slot] if s in cookable[slot] or problem.sources(slot, s)]
        if not candidates[slot]:
            weekday = " on weekdays" if (week_start + timedelta(days=slot.day)).weekday() < 5 else ""
            raise PlanImpossible(
                f"No {slot.meal} recipe fits your profile's rules{weekday}: loosen the diet, exclusions or time "
                f"limits, or leave {slot.meal} out.")
    problem.max_repeats = _repeat_limit(profile, candidates, slots)
    return problem


def meal_share(problem: Problem, eater: int, day: int) -> float:
    """The share of the eater's day that the meals they eat at home on this day carry."""
    shares = meal_shares()
    return sum(shares[s.meal] for s in problem.slots_of_day(day) if eater in problem.present[s])

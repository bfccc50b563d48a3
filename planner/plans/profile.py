"""A profile: who eats, what they must avoid, how long they can cook, what to aim for.

One JSON shape, used by the form, the API, the CLI's --profile file and the plan snapshot.
Parsing reports every problem by field so a person can fix them all at once.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from planner.i18n import N_
from planner.checker.restrictions import CHILD_UNDER_YEARS, PREGNANT, Restrictions
from planner.data import life_stages, vocabulary
from planner.foods.text import has_control_characters
from planner.json_input import read_json
from planner.recipes.records import MEALS
from planner.recipes.rules import diets
from planner.refused import Invalid

CHILD_MEAL_YEARS = 12  # the planner favours kid-friendly dishes when someone younger eats

SEXES = ("female", "male")
STAGES = ("pregnant", "breastfeeding")
ACTIVITIES = ("sedentary", "moderate", "active")
FIBRE_LEVELS = ("low", "some", "plenty")
LUNCHES = ("cooked", "packed", "leftovers")  # packed: no cooking on the day; leftovers: from a dinner
ADVENTURE = ("familiar", "balanced", "adventurous")
# Whose recipes the week is built from: any, or mostly the household's own (where they fit).
RECIPE_SOURCES = ("any", "mostly-ours")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Words for many days at once in a member's `away` list.
DAY_GROUPS = {"weekdays": WEEKDAYS[:5], "weekend": WEEKDAYS[5:], "every-day": WEEKDAYS}
MAX_MEMBERS = 12
MAX_EXCLUDED = 200

# Words people type for foods ("mushrooms", "fish", "spicy") and what they cover: each word's foods,
# or None with suggestions when it means nothing known.
Understand = Callable[[str], tuple[frozenset[str] | None, tuple[str, ...]]]


class ProfileError(Invalid):
    """A profile that cannot be used, with a message per field (`errors`, the same as `fields`)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(N_("The profile has problems."), errors)
        self.errors = errors


@dataclass(frozen=True)
class Member:
    name: str
    age: float  # years; 0.5 is six months
    sex: str | None = None
    stage: str | None = None  # pregnant | breastfeeding
    activity: str | None = None  # sedentary | moderate | active; None is moderate
    trimester: int | None = None  # 1-3, while pregnant; None is the second
    baby_months: int | None = None  # the breastfed baby's age in months; None is under 6
    away: frozenset[str] = frozenset()  # meals eaten elsewhere, as "mon:lunch"
    allergens: frozenset[str] = frozenset()  # this member's own: binds the meals they eat
    dislikes: tuple[str, ...] = ()  # words as typed ("mushrooms")
    disliked_foods: frozenset[str] = frozenset()  # the foods those words cover
    # Set for a week by a food test (planner.diary.food_tests), never typed: foods kept out of
    # the meals this member eats, and the most grams of a food one serving may hold for them.
    left_out: frozenset[str] = frozenset()
    limits: tuple[tuple[str, float], ...] = ()

    def eats_at(self, weekday: int, meal: str) -> bool:
        """Whether the member eats this meal at home on this weekday (0 is Monday)."""
        return f"{WEEKDAYS[weekday]}:{meal}" not in self.away

    def as_dict(self) -> dict[str, Any]:
        found = {k: v for k, v in asdict(self).items() if v is not None and v != () and v != frozenset()}
        return {k: sorted(v) if isinstance(v, (set, frozenset)) else (list(v) if isinstance(v, tuple) else v)
                for k, v in found.items()}


@dataclass(frozen=True)
class Targets:
    fermented_per_day: float = 1.0
    bone_broth_per_week: int = 2
    plants_per_week: int = 30
    max_repeats: int = 2
    prebiotic_per_day: int = 1
    energy_tolerance_pct: int = 20
    five_a_day: int = 5  # portions of fruit and vegetables a day (NHS)


@dataclass(frozen=True)
class Profile:
    name: str = "Our family"
    members: tuple[Member, ...] = (Member("Adult", 35.0),)
    allergens: frozenset[str] = frozenset()
    excluded_foods: frozenset[str] = frozenset()
    excluded_tags: frozenset[str] = frozenset()
    diets: tuple[str, ...] = ()
    max_prep_weekday: int = 30
    max_prep_weekend: int = 60
    meals: tuple[str, ...] = tuple(MEALS)
    targets: Targets = field(default_factory=Targets)
    excluded_words: tuple[str, ...] = ()  # what was typed for excluded_foods ("mushrooms")
    max_total_weekday_dinner: int = 60  # minutes from starting to cook to the table, Monday to Friday
    lunch: str = "cooked"  # cooked | packed | leftovers
    kid_friendly_only: bool = False
    adventure: str = "balanced"  # familiar | balanced | adventurous
    recipes: str = "any"  # any | mostly-ours (RECIPE_SOURCES)
    fibre_now: str = "plenty"  # how much fibre the household eats now: low | some | plenty
    fibre_since: date | None = None  # when it said so: the fibre ramp counts weeks from here

    def ramp_week(self, week_start: date) -> int:
        """Weeks into the fibre ramp by `week_start` (0 for the first week planned)."""
        return max((week_start - self.fibre_since).days // 7, 0) if self.fibre_since else 0

    @property
    def youngest(self) -> float:
        return min(m.age for m in self.members)

    @property
    def all_allergens(self) -> frozenset[str]:
        """Everyone's allergens: the household's and each member's own."""
        return self.allergens.union(*(m.allergens for m in self.members))

    @property
    def children(self) -> bool:
        """Whether a child (under 12) eats the meals."""
        return any(m.age < CHILD_MEAL_YEARS for m in self.members if m.age >= life_stages()["solids_from_years"])

    @property
    def restrictions(self) -> Restrictions:
        """The checker's view: what this profile must not eat."""
        return Restrictions(self.all_allergens, self.excluded_foods, self.excluded_tags,
                            pregnant=any(m.stage == PREGNANT for m in self.members),
                            children=self.youngest < CHILD_UNDER_YEARS)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "members": [m.as_dict() for m in self.members],
            "allergens": sorted(self.allergens), "excluded_foods": sorted(self.excluded_foods),
            **({"excluded_words": list(self.excluded_words)} if self.excluded_words else {}),
            "excluded_tags": sorted(self.excluded_tags), "diets": list(self.diets),
            "max_prep_minutes": {"weekday": self.max_prep_weekday, "weekend": self.max_prep_weekend},
            "meals": list(self.meals), "targets": asdict(self.targets), "fibre_now": self.fibre_now,
            "max_total_minutes": {"weekday_dinner": self.max_total_weekday_dinner}, "lunch": self.lunch,
            "kid_friendly_only": self.kid_friendly_only, "adventure": self.adventure,
            "recipes": self.recipes,
            **({"fibre_since": self.fibre_since.isoformat()} if self.fibre_since else {}),
        }


TARGET_LIMITS: dict[str, tuple[float, float]] = {
    "fermented_per_day": (0, 6), "bone_broth_per_week": (0, 14), "plants_per_week": (0, 80),
    "max_repeats": (1, 7), "prebiotic_per_day": (0, 4), "energy_tolerance_pct": (5, 50), "five_a_day": (0, 10),
}


def _number(value: Any, low: float, high: float, whole: bool) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    if not math.isfinite(number) or not low <= number <= high or (whole and number != int(number)):
        return None
    return int(number) if whole else number


def _words(data: Mapping[str, Any], name: str, allowed: Any, errors: dict[str, str],
           path: str | None = None) -> tuple[str, ...]:
    path = path or name
    raw = data.get(name, [])
    if isinstance(raw, str):
        raw = [w for w in raw.split(",")]
    if not isinstance(raw, list) or len(raw) > MAX_EXCLUDED or not all(isinstance(w, str) for w in raw):
        errors[path] = N_("Give a list of words.")
        return ()
    words = tuple(dict.fromkeys(w.strip().lower() for w in raw if w.strip()))
    unknown = [w for w in words if allowed is not None and w not in allowed]
    if unknown:
        listed = (f" Choose from: {', '.join(allowed)}." if 0 < len(allowed) <= 40
                  else " Use the name of a food in the database.")
        errors[path] = f"Unknown: {', '.join(unknown)}.{listed}"
    return words


def _member(raw: Any, path: str, errors: dict[str, str], understand: Understand | None) -> Member | None:
    if not isinstance(raw, Mapping):
        errors[path] = N_("A member is {name, age, sex}.")
        return None
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 40:
        errors[f"{path}.name"] = N_("Give a name of up to 40 characters.")
    elif has_control_characters(name):
        errors[f"{path}.name"] = N_("A name cannot contain control characters.")
    age = _number(raw.get("age"), 0, 120, whole=False)
    if age is None:
        errors[f"{path}.age"] = N_("Age in years from 0 to 120 (0.5 for six months).")
    sex = raw.get("sex") or None
    if sex is not None and sex not in SEXES:
        errors[f"{path}.sex"] = N_("Leave empty, or female or male.")
    stage = raw.get("stage") or None
    if stage is not None and (stage not in STAGES or sex == "male" or (age is not None and not 12 <= age <= 60)):
        errors[f"{path}.stage"] = N_("Pregnant or breastfeeding applies to women aged 12 to 60.")
    activity = raw.get("activity") or None
    if activity is not None and activity not in ACTIVITIES:
        errors[f"{path}.activity"] = f"Leave empty, or one of: {', '.join(ACTIVITIES)}."
    trimester = _number(raw.get("trimester") or 2, 1, 3, whole=True)
    if trimester is None or (raw.get("trimester") and stage != "pregnant"):
        errors[f"{path}.trimester"] = N_("A trimester (1, 2 or 3) is given only for a pregnant member.")
    baby_months = _number(raw.get("baby_months") or 0, 0, 48, whole=True)
    if baby_months is None or (raw.get("baby_months") and stage != "breastfeeding"):
        errors[f"{path}.baby_months"] = N_("The baby's age in whole months (0 to 48), only while breastfeeding.")
    away = _away(raw.get("away"), f"{path}.away", errors)
    allergens = _words(raw, "allergens", vocabulary().allergens, errors, f"{path}.allergens")
    dislikes, disliked = _foods_meant(raw, "dislikes", understand, errors, f"{path}.dislikes", "disliked_foods")
    left_out, limits = _test_changes(raw, path, errors)
    if any(key.startswith(f"{path}.") or key == path for key in errors) or not isinstance(name, str) or age is None:
        return None
    return Member(name.strip(), age, sex, stage, activity,
                  int(raw["trimester"]) if raw.get("trimester") else None,
                  int(raw["baby_months"]) if raw.get("baby_months") else None,
                  away, frozenset(allergens), dislikes, disliked, left_out, limits)


def _test_changes(raw: Mapping[str, Any], path: str,
                  errors: dict[str, str]) -> tuple[frozenset[str], tuple[tuple[str, float], ...]]:
    """A saved week's left-out foods and limits for the member (as Member.as_dict wrote them)."""
    left_out, limits = raw.get("left_out") or [], raw.get("limits") or []
    if not isinstance(left_out, list) or not all(isinstance(f, str) for f in left_out):
        errors[f"{path}.left_out"] = N_("A list of food slugs.")
        left_out = []
    pairs = []
    for pair in limits if isinstance(limits, list) else [None]:
        grams = None
        if isinstance(pair, list | tuple) and len(pair) == 2 and isinstance(pair[0], str):
            grams = _number(pair[1], 0, 10_000, whole=False)
        if pair is None or grams is None:
            errors[f"{path}.limits"] = N_("A list of [food slug, grams].")
            break
        pairs.append((str(pair[0]), grams))
    return frozenset(left_out), tuple(sorted(pairs))


def _away(raw: Any, path: str, errors: dict[str, str]) -> frozenset[str]:
    """Meals a member eats elsewhere: "tue:dinner", or "weekdays:lunch" for five at once."""
    if raw in (None, "", []):
        return frozenset()
    if isinstance(raw, str):
        raw = raw.split(",")
    if not isinstance(raw, list) or len(raw) > len(WEEKDAYS) * len(MEALS) or not all(isinstance(w, str) for w in raw):
        errors[path] = N_("Give a list such as weekdays:lunch, tue:dinner.")
        return frozenset()
    found: set[str] = set()
    for word in (w.strip().lower() for w in raw if w.strip()):
        when, _, meal = word.partition(":")
        days = DAY_GROUPS.get(when) or ((when,) if when in WEEKDAYS else ())
        if not days or meal not in MEALS:
            errors[path] = (f"'{word}' is not a day and meal: use mon to sun, weekdays, weekend or every-day, then "
                            f"one of {', '.join(MEALS)}, e.g. weekdays:lunch.")
            return frozenset()
        found.update(f"{day}:{meal}" for day in days)
    return frozenset(found)


def _foods_meant(data: Mapping[str, Any], name: str, understand: Understand | None, errors: dict[str, str],
                 path: str, saved: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """Words for foods and the foods they cover. With `understand`, each word is looked up
    (unknown ones get suggestions); without it (a profile read back as saved), the foods saved
    beside the words under `saved` are kept."""
    words = _words(data, name, None, errors, path)
    if understand is None:
        kept = data.get(saved, [])
        return words, frozenset(f for f in kept if isinstance(f, str)) if isinstance(kept, list) else frozenset()
    foods: set[str] = set()
    unknown = []
    for word in words:
        covered, suggestions = understand(word)
        if covered is None:
            unknown.append(f"{word}" + (f" (did you mean {' or '.join(suggestions)}?)" if suggestions else ""))
        else:
            foods |= covered
    if unknown:
        errors[path] = f"Unknown: {'; '.join(unknown)}. Use a food, a kind of food (fish, nuts) or a tag."
    return words, frozenset(foods)


def _members(data: Mapping[str, Any], errors: dict[str, str], understand: Understand | None) -> tuple[Member, ...]:
    raw = data.get("members", [{"name": "Adult", "age": 35}])
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_MEMBERS:
        errors["members"] = f"List 1 to {MAX_MEMBERS} members."
        return ()
    parsed = (_member(row, f"members.{n}", errors, understand) for n, row in enumerate(raw, start=1))
    members = tuple(m for m in parsed if m)
    if members and len(members) == len(raw) and all(m.age < life_stages()["solids_from_years"] for m in members):
        errors["members"] = ("A baby under 6 months has milk only, so there is nothing to plan: "
                             "add the people who eat the meals.")
    return members


def _targets(data: Mapping[str, Any], errors: dict[str, str]) -> Targets:
    raw = data.get("targets") or {}
    if not isinstance(raw, Mapping):
        errors["targets"] = N_("Give targets as an object.")
        return Targets()
    values: dict[str, Any] = {}
    defaults = Targets()
    for name, (low, high) in TARGET_LIMITS.items():
        if name not in raw or raw[name] in (None, ""):
            continue
        whole = isinstance(getattr(defaults, name), int)
        number = _number(raw[name], low, high, whole)
        if number is None:
            errors[f"targets.{name}"] = f"A {'whole ' if whole else ''}number from {low:g} to {high:g}."
        else:
            values[name] = number
    for name in raw:
        if name not in TARGET_LIMITS:
            errors[f"targets.{name}"] = N_("Unknown target.")
    return Targets(**values)


def _prep(data: Mapping[str, Any], errors: dict[str, str]) -> tuple[int, int]:
    raw = data.get("max_prep_minutes") or {}
    if not isinstance(raw, Mapping):
        errors["max_prep_minutes"] = N_("Give {weekday, weekend} minutes.")
        return 30, 60
    found = []
    for name, default in (("weekday", 30), ("weekend", 60)):
        value = _number(raw.get(name, default), 5, 240, whole=True)
        if value is None:
            errors[f"max_prep_minutes.{name}"] = N_("Whole minutes from 5 to 240.")
        found.append(int(value or default))
    return found[0], found[1]


KNOWN_FIELDS = frozenset({"name", "members", "allergens", "excluded_foods", "excluded_words", "excluded_tags", "diets",
                          "max_prep_minutes", "max_total_minutes", "meals", "targets", "fibre_now", "fibre_since",
                          "lunch", "kid_friendly_only", "adventure", "recipes"})


def _choice(data: Mapping[str, Any], name: str, allowed: tuple[str, ...], errors: dict[str, str],
            default: str) -> str:
    value = data.get(name) or default
    if value not in allowed:
        errors[name] = f"One of: {', '.join(allowed)}."
        return allowed[0]
    return str(value)


def _total_minutes(data: Mapping[str, Any], errors: dict[str, str]) -> int:
    raw = data.get("max_total_minutes") or {}
    value = _number(raw.get("weekday_dinner", 60), 10, 480, whole=True) if isinstance(raw, Mapping) else None
    if value is None:
        errors["max_total_minutes.weekday_dinner"] = N_("Whole minutes from 10 to 480, from starting to cook to "
                                                        "the table.")
        return 60
    return int(value)


def _fibre(data: Mapping[str, Any], errors: dict[str, str]) -> tuple[str, date | None]:
    level = data.get("fibre_now") or "plenty"
    if level not in FIBRE_LEVELS:
        errors["fibre_now"] = f"One of: {', '.join(FIBRE_LEVELS)}."
    since = data.get("fibre_since") or None
    if since is None:
        return str(level), None
    try:
        started = date.fromisoformat(since) if isinstance(since, str) else None
    except ValueError:
        started = None
    if started is None or not 2000 <= started.year <= 2200:
        errors["fibre_since"] = N_("A date as YYYY-MM-DD.")
    return str(level), started


def fibre_ramp_kept(new: Profile, old: Profile | None, today: date) -> Profile:
    """The new profile with its ramp's start: kept while the fibre level stays the same,
    today when it is first given or changes."""
    if new.fibre_since is not None:
        return new
    if old is not None and old.fibre_now == new.fibre_now and old.fibre_since is not None:
        return replace(new, fibre_since=old.fibre_since)
    return replace(new, fibre_since=today)


def profile_from_dict(data: Any, understand: Understand | None = None) -> Profile:
    """Parse a profile. `understand` looks up words for foods (excluded foods, dislikes); without
    it, as when a saved profile is read back, the foods saved beside the words are kept."""
    if not isinstance(data, Mapping):
        raise ProfileError({"profile": N_("A profile is a JSON object.")})
    errors: dict[str, str] = {}
    for name in data:
        if name not in KNOWN_FIELDS:
            errors[str(name)] = f"Unknown field. Fields: {', '.join(sorted(KNOWN_FIELDS))}."
    vocab = vocabulary()
    name = data.get("name", "Our family")
    if not isinstance(name, str) or not name.strip() or len(name) > 60:
        errors["name"] = N_("Give a name of up to 60 characters.")
    elif has_control_characters(name):
        errors["name"] = N_("A name cannot contain control characters.")
    members = _members(data, errors, understand)
    allergens = _words(data, "allergens", vocab.allergens, errors)
    excluded_tags = _words(data, "excluded_tags", list(vocab.tags), errors)
    if understand is None:
        excluded_words = _words(data, "excluded_words", None, errors)
        excluded_foods = frozenset(_words(data, "excluded_foods", None, errors))
    else:  # what people typed: the words are kept, and the foods they cover planned around
        excluded_words, excluded_foods = _foods_meant(data, "excluded_foods", understand, errors,
                                                      "excluded_foods", "")
    chosen_diets = _words(data, "diets", list(diets()), errors)
    meals = _words(data, "meals", list(MEALS), errors)
    if not meals and "meals" not in errors and "meals" in data:
        errors["meals"] = N_("Choose at least one meal.")
    weekday, weekend = _prep(data, errors)
    targets = _targets(data, errors)
    fibre_now, fibre_since = _fibre(data, errors)
    lunch = _choice(data, "lunch", LUNCHES, errors, "cooked")
    adventure = _choice(data, "adventure", ADVENTURE, errors, "balanced")
    recipes = _choice(data, "recipes", RECIPE_SOURCES, errors, "any")
    kid_only = data.get("kid_friendly_only", False)
    if not isinstance(kid_only, bool):
        errors["kid_friendly_only"] = N_("true or false.")
    total = _total_minutes(data, errors)
    if errors:
        raise ProfileError(errors)
    return Profile(
        name=name.strip(), members=members, allergens=frozenset(allergens),
        excluded_foods=excluded_foods, excluded_words=excluded_words, excluded_tags=frozenset(excluded_tags),
        diets=tuple(d for d in diets() if d in chosen_diets),
        max_prep_weekday=weekday, max_prep_weekend=weekend,
        meals=tuple(m for m in MEALS if m in meals) if meals else tuple(MEALS), targets=targets,
        fibre_now=fibre_now, fibre_since=fibre_since, max_total_weekday_dinner=total, lunch=lunch,
        kid_friendly_only=bool(kid_only), adventure=adventure, recipes=recipes,
    )


def profile_from_json(text: str, understand: Understand | None = None) -> Profile:
    try:
        data = read_json(text)
    except json.JSONDecodeError as exc:
        raise ProfileError({"profile": f"Not valid JSON: {exc}"}) from None
    except Invalid as exc:
        raise ProfileError({"profile": exc.message}) from None
    return profile_from_dict(data, understand)

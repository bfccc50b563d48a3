"""The checker: one function checks a food by name, one checks an ingredient label.
Both answer in the same JSON shape. A medicine the articles name gets "ask", never "avoid";
for a pregnant person the NHS and FDA pregnancy lists apply too."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from planner.checker.guidance import Assessment, Guidance, Rule, assess, guidance, main_reason
from planner.checker.label import Reading, read_label
from planner.checker.pregnancy import (
    PregnancyRule,
    merge,
    pregnancy_for_medicines,
    pregnancy_matches,
    pregnancy_named,
)
from planner.checker.groups import FoodGroup, group_of, names_it
from planner.checker.restrictions import Restrictions
from planner.checker.terms import LabelTerms, label_terms
from planner.data import DATA_DIR, read_yaml
from planner.foods.nutrition import FIBRE_DAILY_VALUE_G, NOVA_TAGS, per_portion
from planner.foods.search import SearchIndex
from planner.foods.text import key, tokens
from planner.i18n import N_
from planner.refused import Invalid

DISCLAIMER = ("General guidance from two articles on gut health, not medical advice. Every gut is different: "
              "work with your healthcare provider, especially before changing any medicine.")
MEDICINE_NOTE = ("This app never advises stopping or changing a medicine. Talk to the doctor or pharmacist "
                 "who prescribed or recommended it.")
MAX_QUERY = 200
MAX_SWAPS = 5
SUGGESTIONS = 5
# Typed gut tags a label inherits from its first ingredient (e.g. chickpeas -> prebiotic).
FIRST_INGREDIENT_TAGS = frozenset({"prebiotic", "bone-broth", "soothing-herb"})

Record = dict[str, Any]


class QueryError(Invalid):
    """A query that cannot be checked (empty or too long)."""


@dataclass(frozen=True)
class SwapTable:
    by_food: dict[str, list[str]]
    by_category: dict[str, list[str]]
    only_listed: frozenset[str] = frozenset()  # foods whose category is not searched for more swaps
    not_for_children: frozenset[str] = frozenset()
    not_in_pregnancy: frozenset[str] = frozenset()

    def offered_to(self, slug: str, profile: Restrictions | None) -> bool:
        """Whether a swap may be offered to this person at all (before its verdict)."""
        if profile is None:
            return True
        return not ((profile.children and slug in self.not_for_children)
                    or (profile.pregnant and slug in self.not_in_pregnancy))


@cache
def swap_table() -> SwapTable:
    data = read_yaml(DATA_DIR / "swaps.yaml")
    not_offered = data.get("not_offered", {})
    return SwapTable(data.get("by_food", {}), data.get("by_category", {}), frozenset(data.get("only_listed", [])),
                     frozenset(not_offered.get("children", [])), frozenset(not_offered.get("pregnant", [])))


def _brief(record: Record) -> dict[str, str]:
    return {"slug": record["slug"], "name": record["name"]}


def _result(query: str, kind: str, assessment: Assessment, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "query": query, "kind": kind, "verdict": assessment.verdict, "personal": assessment.personal,
        "in_pregnancy": assessment.pregnancy,
        "food": None, "nova_group": None, "tags": [], "allergens": [], "traces": [], "added_sugars": [],
        "markers": [], "reasons": assessment.reasons, "swaps": [], "suggestions": [], "serving_note": None,
        "disclaimer": DISCLAIMER,
    }
    base.update(fields)
    return base


def _food_verdict(record: Record, profile: Restrictions | None, rules: Guidance,
                  named: Sequence[PregnancyRule] = ()) -> Assessment:
    """The verdict for a curated food; `named`: pregnancy rules the person's own words brought in
    ("raw egg" for the egg)."""
    pregnancy = merge(pregnancy_matches(record), named) if profile and profile.pregnant else []
    return assess(record["tags"], record["allergens"], slug=record["slug"], profile=profile, rules=rules,
                  pregnancy=pregnancy)


def swaps_for(record: Record | None, category: str | None, index: SearchIndex, profile: Restrictions | None,
              rules: Guidance) -> list[dict[str, str]]:
    """Better foods that do the same job: listed swaps first, then the best of the same category."""
    table = swap_table()
    by_slug = index.by_slug
    wanted = list(table.by_food.get(record["slug"], [])) if record else []
    if record and record["slug"] in table.only_listed:
        category = None
    wanted += table.by_category.get(category or "", [])
    if category:
        same = [r for r in index.records() if r["category"] == category]
        same.sort(key=lambda r: -_food_verdict(r, profile, rules).score)
        wanted += [r["slug"] for r in same]
    chosen: list[dict[str, str]] = []
    for slug in dict.fromkeys(wanted):
        candidate = by_slug.get(slug)
        if candidate is None or (record and slug == record["slug"]) or not table.offered_to(slug, profile):
            continue
        if _food_verdict(candidate, profile, rules).verdict in ("recommended", "good"):
            chosen.append(_brief(candidate))
        if len(chosen) == MAX_SWAPS:
            break
    return chosen


def serving_note(record: Record) -> str:
    grams = record["portion"]["grams"]
    fibre = per_portion(record["nutrients"]["fibre_g"], grams)
    sugars = per_portion(record["nutrients"]["sugars_g"], grams)
    return (f"A typical portion ({record['portion']['measure']}, {grams:g} g) gives {fibre:.1f} g fibre "
            f"({fibre / FIBRE_DAILY_VALUE_G * 100:.0f} % of the {FIBRE_DAILY_VALUE_G:g} g daily value) "
            f"and {sugars:.1f} g sugars.")


# Words after a medicine's name that do not change which medicine it is ("ibuprofen 200 mg tablets").
_DOSE_WORDS = frozenset({"tablet", "caplet", "capsule", "pill", "gel", "cream", "syrup", "liquid", "suspension",
                         "soluble", "dose", "mg", "g", "ml", "mcg", "microgram", "milligram", "a", "day", "daily"})
_DOSE = re.compile(r"^\d+(?:\.\d+)?(?:mg|g|ml|mcg)?$")


def _medicine_key(query: str) -> str:
    words = tokens(query)
    while words and (words[-1] in _DOSE_WORDS or _DOSE.match(words[-1])):
        words.pop()
    return " ".join(words)


def _trigger(query: str, rules: Guidance) -> Rule | None:
    """A named non-food trigger: a medicine the articles name (also with a dose or form after
    its name) or alcohol as such."""
    wanted = key(query)
    medicine = _medicine_key(query)
    for rule in rules.triggers:
        names = {key(name) for name in rule.names}
        if wanted in names or (rule.medicine and medicine in names):
            return rule
    return None


def _trigger_result(query: str, rule: Rule, profile: Restrictions | None) -> dict[str, Any]:
    pregnant = bool(profile and profile.pregnant)
    if rule.medicine:  # never "avoid": ask the healthcare provider
        reasons = [rule.reason()] + ([r.reason() for r in pregnancy_for_medicines()] if pregnant else [])
        return _result(query, "medicine", Assessment("ask", reasons), medicine_note=MEDICINE_NOTE)
    named = pregnancy_named(query) if pregnant else []
    in_pregnancy = any(r.effect == "avoid" for r in named)
    reasons = [r.reason() for r in named if r.effect in ("avoid", "limit")] + [rule.reason()]
    return _result(query, "trigger", Assessment("avoid", reasons, pregnancy=in_pregnancy))


def _clean(query: str) -> str:
    query = " ".join((query or "").split())
    if not query:
        raise QueryError(N_("Type a food to check."))
    if len(query) > MAX_QUERY:
        raise QueryError(f"A food name may be up to {MAX_QUERY} characters; paste a longer text as a label.")
    return query


def check_food(query: str, index: SearchIndex, profile: Restrictions | None = None,
               rules: Guidance | None = None) -> dict[str, Any]:
    """Verdict for a food or drink by name, or for a named non-food trigger."""
    rules = rules or guidance()
    query = _clean(query)
    record = index.exact(query)
    group = group_of(query) if record is None else None
    trigger = _trigger(query, rules)
    # A medicine is never a food; alcohol as such ("booze") is answered as the trigger, while a
    # drink the database holds ("prosecco") or a group of them gets its own answer.
    if trigger is not None and (trigger.medicine or (record is None and group is None)):
        return _trigger_result(query, trigger, profile)
    named = pregnancy_named(query) if profile and profile.pregnant else []
    if named and record is None:
        # Not a curated food but on the pregnancy lists ("pâté", "swordfish").
        return _result(query, "pregnancy", assess([], profile=profile, rules=rules, pregnancy=named))
    if group is not None:
        return _group_result(query, group, index, profile, rules, named)
    found = index.search(query)
    if record is None and found.records and not found.approximate and names_it(query, found.records[0]):
        record = found.records[0]  # the food's own name, give or take a typo
    if record is None:
        if ingredient_named(query):
            return {**check_label(query, index, profile, rules), "kind": "ingredient"}
        # A weak match is a question, never a verdict: "sweets" is not sweet potato.
        suggestions = [_brief(r) for r in found.records[:SUGGESTIONS]]
        return _result(query, "food", Assessment("unknown"), suggestions=suggestions)
    assessment = _food_verdict(record, profile, rules, named)
    swaps = (swaps_for(record, record["category"], index, profile, rules)
             if assessment.verdict in ("limit", "avoid") else [])
    return _result(
        query, "food", assessment, food=_brief(record), nova_group=record["nova_group"], tags=record["tags"],
        allergens=record["allergens"], swaps=swaps, serving_note=serving_note(record),
        suggestions=[_brief(r) for r in found.records if r["slug"] != record["slug"]][:SUGGESTIONS],
    )


@dataclass(frozen=True)
class Variant:
    """One kind of a food group with its own verdict."""

    food: dict[str, str]
    verdict: str
    score: int
    personal: bool
    in_pregnancy: bool
    why: str

    def as_dict(self) -> dict[str, Any]:
        return {"food": self.food, "verdict": self.verdict, "personal": self.personal,
                "in_pregnancy": self.in_pregnancy, "why": self.why}


def _group_result(query: str, group: FoodGroup, index: SearchIndex, profile: Restrictions | None, rules: Guidance,
                  named: Sequence[PregnancyRule]) -> dict[str, Any]:
    """A family word: each common kind with its own verdict, best first; "depends" unless all agree."""
    variants = []
    for slug in group.kinds:
        record = index.by_slug.get(slug)
        if record is not None:
            found = _food_verdict(record, profile, rules, named)
            variants.append(Variant(_brief(record), found.verdict, found.score, found.personal, found.pregnancy,
                                    main_reason(found)))
    variants.sort(key=lambda v: (-v.score, v.food["name"]))
    verdicts = {v.verdict for v in variants}
    verdict = verdicts.pop() if len(verdicts) == 1 else "depends"
    first = index.by_slug.get(group.kinds[0]) if group.kinds else None
    swaps = (swaps_for(first, first["category"], index, profile, rules)
             if first is not None and verdict in ("limit", "avoid") else [])
    return _result(query, "group", Assessment(verdict, []), group={"key": group.key, "label": group.label},
                   variants=[v.as_dict() for v in variants], suggestions=[v.food for v in variants], swaps=swaps)


def ingredient_named(text: str) -> bool:
    """Whether a short text is an ingredient the label reader knows (an additive, a sugar, a marker)."""
    reading = read_label(text)
    return bool(reading.markers or reading.added_sugars or reading.sweeteners or reading.allergens)


def recognise(name: str, index: SearchIndex, terms: LabelTerms) -> Record | None:
    """The food an ingredient names: exactly, once words like 'organic' are set aside, or by
    its last words ('red split lentils' -> lentils), unless the whole is a different thing
    ('cocoa butter' is not butter)."""
    words = tokens(name)
    if " ".join(words) in terms.neutral_keys:
        return None
    plain = [w for w in words if w not in terms.descriptors]
    candidates = [words, plain] + [plain[i:] for i in range(1, len(plain))]
    for candidate in candidates:
        record = index.exact(" ".join(candidate)) if candidate else None
        if record:
            return record
    return None


def label_tags(reading: Reading, first_food: Record | None) -> list[str]:
    tags = {NOVA_TAGS[reading.nova_group]}
    flags = {
        "added-sugar": bool(reading.added_sugars), "refined-sugar": reading.first_is_sugar,
        "sweetener": bool(reading.sweeteners), "alcohol": reading.alcohol, "fermented": reading.fermented,
        "live-cultures": reading.live_cultures, "whole-grain": bool(reading.whole_grains),
        "refined-grain": bool(reading.refined_grains),
    }
    tags |= {tag for tag, on in flags.items() if on}
    if first_food:
        tags |= FIRST_INGREDIENT_TAGS & set(first_food["tags"])
    return sorted(tags)


def check_label(text: str, index: SearchIndex, profile: Restrictions | None = None,
                rules: Guidance | None = None) -> dict[str, Any]:
    """Verdict for a pasted ingredient list (raises LabelTooLong or QueryError)."""
    rules = rules or guidance()
    if not (text or "").strip():
        raise QueryError(N_("Paste an ingredient list to check."))
    reading = read_label(text)
    if not (reading.ingredients or reading.allergens or reading.traces):
        raise QueryError(N_("No ingredients were found in that text."))
    terms = label_terms()
    foods = [recognise(item.name, index, terms) for item in reading.ingredients]
    recognised = [_brief(f) for f in dict((f["slug"], f) for f in foods if f).values()]
    # An allergen statement on its own ("Contains soy, milk. May contain celery.") says nothing of
    # processing: no NOVA group or tags, and no verdict beyond the person's own allergens.
    tags = label_tags(reading, foods[0]) if foods else []
    pregnancy = (merge(pregnancy_matches({"tags": tags}), *(pregnancy_matches(f) for f in foods if f))
                 if profile and profile.pregnant else [])
    assessment = assess(tags, reading.allergens, traces=reading.traces, profile=profile, rules=rules,
                        pregnancy=pregnancy)
    if not foods and assessment.verdict != "avoid":
        assessment = Assessment("unknown", assessment.reasons, personal=assessment.personal)
    category = foods[0]["category"] if foods and foods[0] else None
    swaps = (swaps_for(None, category, index, profile, rules)
             if assessment.verdict in ("limit", "avoid") and category else [])
    return _result(
        " ".join(text.split())[:MAX_QUERY], "label", assessment, nova_group=reading.nova_group if foods else None,
        tags=tags, allergens=reading.allergens, traces=reading.traces, added_sugars=reading.added_sugars,
        markers=reading.markers, swaps=swaps, sweeteners=reading.sweeteners, alcohol=reading.alcohol,
        abv=reading.abv, fermented=reading.fermented, live_cultures=reading.live_cultures,
        whole_grains=reading.whole_grains, refined_grains=reading.refined_grains, recognised_foods=recognised,
        additives=[a.as_dict() for a in reading.additives],
        ingredients=[item.name for item in reading.ingredients],
    )

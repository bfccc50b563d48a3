"""Food-safety checks on one recipe record, by the rules in planner/data/food_safety.yaml.

Pure Python (no Flask, no database): `safety_problems(recipe, foods)` returns, as sentences,
what a recipe gets wrong: a dried pulse without the soak and hard boil it needs, a dish kept
longer than what it holds allows, a step promising longer keeping than `keeps_days`, or a food
eaten raw that must be cooked first. `planner.recipes.records.check_recipes` reports them, so
`planner seed` and `python -m planner.data.check` refuse such a recipe.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from planner.data import DATA_DIR, Vocabulary, read_yaml

Record = dict[str, Any]
ADDED = ("cooked", "raw", "end")
SAFETY_FILE = DATA_DIR / "food_safety.yaml"


@dataclass(frozen=True)
class Source:
    id: str
    short: str  # "NHS", "FSA": how a message cites it
    title: str
    url: str
    says: str


@dataclass(frozen=True)
class Match:
    """Which foods a rule is about (see the head of food_safety.yaml)."""

    categories: frozenset[str] = frozenset()
    forms: frozenset[str] = frozenset()
    added: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    slug_words: frozenset[str] = frozenset()
    foods: frozenset[str] = frozenset()

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> Match:
        return cls(**{name: frozenset(raw.get(name) or ()) for name in cls.__dataclass_fields__})

    def __call__(self, food: Record, added: str = "cooked") -> bool:
        if (self.categories and food["category"] not in self.categories) or (
                self.forms and food["form"] not in self.forms) or (self.added and added not in self.added):
            return False
        if not (self.tags or self.slug_words or self.foods):
            return True
        return bool(self.tags & set(food.get("tags") or ()) or self.slug_words & set(food["slug"].split("-"))
                    or food["slug"] in self.foods)


@dataclass(frozen=True)
class PulseGroup:
    id: str
    label: str
    slug_words: frozenset[str]
    names: tuple[str, ...]
    soak_hours: float | None  # None: no soak needed
    boil_phrases: tuple[str, ...]
    boil_says: str
    boil_minutes: float  # in the clause that boils them
    total_minutes: float  # from that clause to the end of its sentence
    why: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Limit:
    id: str
    label: str
    days: int
    match: Match
    why: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class CookFirst:
    id: str
    label: str
    match: Match
    why: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class SafetyRules:
    sources: dict[str, Source]
    pulse_match: Match
    not_pulses: frozenset[str]
    dried_words: tuple[str, ...]
    soak_words: tuple[str, ...]
    overnight_words: tuple[str, ...]
    fresh_water_words: tuple[str, ...]
    pulse_groups: tuple[PulseGroup, ...]
    default_days: int
    default_label: str
    default_sources: tuple[str, ...]
    limits: tuple[Limit, ...]
    ready_words: tuple[str, ...]
    cook_first: tuple[CookFirst, ...]

    def cite(self, ids: Iterable[str]) -> str:
        """Short names of the sources: 'NHS, FSA'."""
        return ", ".join(dict.fromkeys(self.sources[i].short if i in self.sources else i for i in ids))

    def pulse_group(self, food: Record) -> PulseGroup | None:
        """The group of a dried pulse, or None for any other food."""
        words = set(food["slug"].split("-"))
        if not self.pulse_match(food) or words & self.not_pulses:
            return None
        return next(g for g in self.pulse_groups if not g.slug_words or g.slug_words & words)

    def food_limit(self, food: Record, added: str) -> tuple[int, str, tuple[str, ...]]:
        """The days an ingredient lets a dish keep, what it counts as and the sources that say so."""
        found = [limit for limit in self.limits if limit.match(food, added)]
        if not found:
            return self.default_days, self.default_label, self.default_sources
        tightest = min(found, key=lambda limit: limit.days)
        return tightest.days, tightest.label, tightest.sources


def _strings(raw: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in raw or ())


def rules_from(data: Mapping[str, Any]) -> SafetyRules:
    """Rules from the parsed food_safety.yaml (a KeyError or TypeError means a malformed file)."""
    pulses, keeping, cook = data["dried_pulses"], data["keeping"], data["cook_first"]
    groups = []
    for row in pulses["groups"]:
        soak, boil = row.get("soak"), row["boil"]
        groups.append(PulseGroup(
            id=row["id"], label=row["label"], slug_words=frozenset(_strings(row.get("slug_words"))),
            names=_strings(row["names"]), soak_hours=float(soak["min_hours"]) if soak else None,
            boil_phrases=_strings(boil["phrases"]), boil_says=boil["says"],
            boil_minutes=float(boil["min_minutes"]), total_minutes=float(boil["min_total_minutes"]),
            why=row["why"], sources=_strings(row["sources"]),
        ))
    return SafetyRules(
        sources={sid: Source(sid, row["short"], row["title"], row.get("url", ""), row["says"])
                 for sid, row in data["sources"].items()},
        pulse_match=Match.of(pulses["match"]), not_pulses=frozenset(_strings(pulses.get("not_pulses"))),
        dried_words=_strings(pulses["dried_words"]), soak_words=_strings(pulses["soak_words"]),
        overnight_words=_strings(pulses["overnight_words"]),
        fresh_water_words=_strings(pulses["fresh_water_words"]), pulse_groups=tuple(groups),
        default_days=int(keeping["default_days"]), default_label=keeping["default_label"],
        default_sources=_strings(keeping["default_sources"]),
        limits=tuple(Limit(row["id"], row["label"], int(row["days"]), Match.of(row["match"]), row["why"],
                           _strings(row["sources"])) for row in keeping["limits"]),
        ready_words=_strings(cook["ready_words"]),
        cook_first=tuple(CookFirst(row["id"], row["label"], Match.of(row["match"]), row["why"],
                                   _strings(row["sources"])) for row in cook["rules"]),
    )


@cache
def safety_rules() -> SafetyRules:
    return rules_from(read_yaml(SAFETY_FILE))


def rules_problems(rules: SafetyRules, vocab: Vocabulary, food_slugs: Iterable[str]) -> list[str]:
    """What in food_safety.yaml names an unknown category, form, tag, food or source."""
    slugs = set(food_slugs)
    found = []
    matches = [("dried_pulses", rules.pulse_match)] + [(f"keeping {limit.id}", limit.match) for limit in rules.limits]
    matches += [(f"cook_first {rule.id}", rule.match) for rule in rules.cook_first]
    for where, match in matches:
        found += [f"{where}: unknown category '{c}'" for c in sorted(match.categories - set(vocab.categories))]
        found += [f"{where}: unknown form '{f}'" for f in sorted(match.forms - set(vocab.forms))]
        found += [f"{where}: unknown tag '{t}'" for t in sorted(match.tags - set(vocab.tags))]
        found += [f"{where}: unknown food '{s}'" for s in sorted(match.foods - slugs)]
        found += [f"{where}: added must be one of {', '.join(ADDED)}, not '{a}'"
                  for a in sorted(match.added - set(ADDED))]
    cited = [(g.id, g.sources) for g in rules.pulse_groups] + [(limit.id, limit.sources) for limit in rules.limits]
    cited += [(rule.id, rule.sources) for rule in rules.cook_first] + [("keeping default", rules.default_sources)]
    for where, ids in cited:
        if not ids:
            found.append(f"{where}: name at least one source")
        found += [f"{where}: unknown source '{sid}'" for sid in ids if sid not in rules.sources]
    return [f"food_safety.yaml: {line}" for line in found]


# --- Reading steps --------------------------------------------------------------------------

_WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "half an": 0.5, "half a": 0.5,
}
_NUMBER = r"(\d+(?:\.\d+)?|" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) + ")"
_UNIT_MINUTES = {"min": 1.0, "minute": 1.0, "hr": 60.0, "hour": 60.0, "day": 1440.0, "week": 10080.0,
                 "fortnight": 20160.0, "month": 43200.0}
_DURATION = re.compile(
    rf"\b{_NUMBER}(?:\s*(?:-|–|to|or)\s*{_NUMBER})?\s*(min|minute|hr|hour|day|week|fortnight|month)s?\b",
    re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+")
_THEN = re.compile(r",?\s*\b(?:and\s+)?then\b", re.IGNORECASE)
_KEEPS = re.compile(r"\b(?:keeps?|kept|stores?|stored|lasts?|eat (?:it |them |leftovers )?within)\b", re.IGNORECASE)
_FROZEN = re.compile(r"\b(?:freez\w*|frozen)\b", re.IGNORECASE)


def _number(text: str) -> float:
    text = text.lower()
    return _WORD_NUMBERS[text] if text in _WORD_NUMBERS else float(text)


def durations(text: str) -> list[tuple[float, float]]:
    """Every time in the text as (shortest, longest) minutes: '20-25 minutes' is (20, 25)."""
    found = []
    for match in _DURATION.finditer(text):
        low = _number(match.group(1))
        high = _number(match.group(2)) if match.group(2) else low
        unit = _UNIT_MINUTES[match.group(3).lower()]
        found.append((low * unit, max(low, high) * unit))
    return found


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s.strip()]


def _has_word(text: str, words: Iterable[str]) -> bool:
    return any(re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE) for word in words)


def _phrase(phrase: str) -> re.Pattern[str]:
    """'boil hard' finds 'boil them hard' and 'boiling hard': its words in order, at most two between."""
    words = [re.escape(word) for word in phrase.split()]
    return re.compile(r"\b" + r"\w*(?:\s+\w+){0,2}?\s+".join(words) + r"\w*\b", re.IGNORECASE)


# --- The rules ------------------------------------------------------------------------------


def _named_dried(rules: SafetyRules, group: PulseGroup, steps: Sequence[str]) -> bool:
    """Whether a step names this group's pulse as dried ('dried red kidney beans')."""
    dried = "|".join(re.escape(w) for w in rules.dried_words)
    names = "|".join(re.escape(w) for w in group.names)
    pattern = re.compile(rf"\b(?:{dried})\s+((?:\w+\s+){{0,2}}?)(?:{names})\b", re.IGNORECASE)
    for step in steps:
        for match in pattern.finditer(step):
            between = set(match.group(1).lower().split())
            # The phrase belongs to this group when it carries a slug word of the group (or to the
            # catch-all group when it carries none of another group's).
            if group.slug_words & between or (not group.slug_words and not any(
                    g.slug_words & between for g in rules.pulse_groups)):
                return True
    return False


def _soaks(rules: SafetyRules, group: PulseGroup, steps: Sequence[str]) -> bool:
    soaked = drained = False
    for step in steps:
        if not _has_word(step, group.names):
            continue
        for sentence in sentences(step):
            if _has_word(sentence, rules.soak_words) and (
                    _has_word(sentence, rules.overnight_words)
                    or any(high >= (group.soak_hours or 0) * 60 for _, high in durations(sentence))):
                soaked = True
        drained = drained or _has_word(step, rules.fresh_water_words)
    return soaked and drained


def _boil_minutes(group: PulseGroup, steps: Sequence[str]) -> float | None:
    """The longest boil the steps give the pulse: from a clause that boils it (with the group's
    phrase and at least its minutes) to the end of that sentence, each later clause counted by
    its longest time. None when no step boils it so."""
    phrases = [_phrase(p) for p in group.boil_phrases]
    best = None
    for step in steps:
        if not _has_word(step, group.names):
            continue
        for sentence in sentences(step):
            clauses = _THEN.split(sentence)
            for index, clause in enumerate(clauses):
                times = durations(clause)
                if not times or not any(p.search(clause) for p in phrases):
                    continue
                if max(low for low, _ in times) < group.boil_minutes:
                    continue
                total = sum(max((low for low, _ in durations(c)), default=0.0) for c in clauses[index:])
                best = total if best is None else max(best, total)
    return best


def pulse_problems(recipe: Record, foods: Mapping[str, Record], rules: SafetyRules) -> list[str]:
    steps = recipe["steps"]
    used: dict[str, list[str]] = {}
    for row in recipe["ingredients"]:
        group = rules.pulse_group(foods[row["food"]])
        if group is not None:
            used.setdefault(group.id, []).append(foods[row["food"]]["name"])
    found = []
    for group in rules.pulse_groups:
        if group.id not in used and not _named_dried(rules, group, steps):
            continue
        what = f"{group.label} ({', '.join(used[group.id])})" if group.id in used else group.label
        cite = rules.cite(group.sources)
        if group.soak_hours is not None and not _soaks(rules, group, steps):
            found.append(f"Uses {what} but no step soaks them overnight (or {group.soak_hours:g} hours) and drains "
                         f"them to cook in fresh water; {cite}.")
        minutes = _boil_minutes(group, steps)
        if minutes is None:
            in_all = f", {group.total_minutes:g} in all" if group.total_minutes > group.boil_minutes else ""
            found.append(f"Uses {what} but no step {group.boil_says} for at least {group.boil_minutes:g} minutes"
                         f"{in_all} ({cite}). {group.why}")
        elif minutes < group.total_minutes:
            found.append(f"Uses {what} but the steps cook them for {minutes:g} minutes; they need at least "
                         f"{group.total_minutes:g} ({cite}).")
        elif recipe["cook_minutes"] < minutes:
            found.append(f"cook_minutes is {recipe['cook_minutes']}, but the steps boil the {group.label} for "
                         f"{minutes:g} minutes: count that time in cook_minutes.")
    return found


def keeping_limit(recipe: Record, foods: Mapping[str, Record], rules: SafetyRules) -> tuple[int, str]:
    """The most days the recipe may keep, and why: what in it sets that limit."""
    days, why = None, ""
    for row in recipe["ingredients"]:
        added = row.get("added", "cooked")
        if added == "end":  # goes on at the table: not in what is kept
            continue
        food = foods[row["food"]]
        limit_days, label, sources = rules.food_limit(food, added)
        if days is None or limit_days < days:
            days, why = limit_days, f"{label} ({food['name']}; {rules.cite(sources)})"
    if days is None:
        return rules.default_days, f"{rules.default_label} ({rules.cite(rules.default_sources)})"
    return days, why


def promised_days(step: str) -> float | None:
    """The longest keeping a step promises, in days (None if it promises none): each time of a day
    or more whose nearest keeping or freezing word before it in the sentence is a keeping one
    ("keeps 3 days or freezes for a month" promises 3 days)."""
    longest = None
    for sentence in sentences(step):
        words = sorted([(m.start(), True) for m in _KEEPS.finditer(sentence)]
                       + [(m.start(), False) for m in _FROZEN.finditer(sentence)])
        for match in _DURATION.finditer(sentence):
            before = [keeps for at, keeps in words if at < match.start()]
            if not before or not before[-1]:
                continue
            _, high = durations(match.group(0))[0]
            if high >= 1440:  # a day or more: minutes and hours are cooking and chilling times
                longest = max(longest or 0.0, high / 1440)
    return longest


def keeping_problems(recipe: Record, foods: Mapping[str, Record], rules: SafetyRules) -> list[str]:
    keeps_days = recipe.get("keeps_days", 0)
    found = []
    limit, why = keeping_limit(recipe, foods, rules)
    if keeps_days > limit:
        found.append(f"keeps_days is {keeps_days}, but it holds {why}, which keeps at most {limit} "
                     f"day{'' if limit == 1 else 's'} in the fridge.")
    for number, step in enumerate(recipe["steps"], start=1):
        promised = promised_days(step)
        if promised is not None and promised > keeps_days:
            found.append(f"Step {number} says it keeps {promised:g} day{'' if promised == 1 else 's'}, longer than "
                         f"keeps_days ({keeps_days}).")
    return found


def cook_first_problems(recipe: Record, foods: Mapping[str, Record], rules: SafetyRules) -> list[str]:
    """Foods that must be cooked, put in uncooked (raw, or added at the end off the heat)."""
    found = []
    for row in recipe["ingredients"]:
        added = row.get("added", "cooked")
        if added == "cooked" or _has_word(row.get("note", ""), rules.ready_words):
            continue
        food = foods[row["food"]]
        for rule in rules.cook_first:
            if rule.match(food, added):
                found.append(f"{food['name']} goes in uncooked ({added}), but {rule.label} must be cooked first "
                             f"unless the pack says ready to eat (then say so in its note). {rule.why} "
                             f"({rules.cite(rule.sources)})")
    return found


def safety_problems(recipe: Record, foods: Mapping[str, Record], rules: SafetyRules | None = None) -> list[str]:
    """Every food-safety problem of one valid recipe record (`foods` maps slug to food record)."""
    rules = rules or safety_rules()
    return (pulse_problems(recipe, foods, rules) + keeping_problems(recipe, foods, rules)
            + cook_first_problems(recipe, foods, rules))


"""The guidance rules (planner/data/guidance.yaml) and the one function that turns what is
known about a food into a verdict with reasons."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from planner.checker.pregnancy import PregnancyRule
from planner.checker.restrictions import Restrictions
from planner.data import DATA_DIR, read_yaml

# A food is recommended when the favoured rules it meets outweigh its cautions by this much
# and at least one of them is a specific gut-health rule (not just "a whole food").
RECOMMENDED_SCORE = 2
SPECIFIC_WEIGHT = 2
EFFECTS = ("favour", "limit", "avoid", "ask")
# How bad a verdict is, to combine the general guidance with a pregnancy rule.
SEVERITY = {"recommended": 0, "good": 0, "limit": 1, "avoid": 2}


@dataclass(frozen=True)
class Rule:
    id: str
    effect: str  # favour | limit | avoid | ask (a medicine: ask your healthcare provider)
    text: str
    why: str
    sources: tuple[str, ...]
    tags: frozenset[str] = frozenset()
    foods: frozenset[str] = frozenset()  # curated food slugs it matches besides its tags
    weight: int = 0
    personal: bool = False
    trigger: bool = False
    habit: bool = False  # a daily habit, not a property of a food
    claim: bool = False  # an article's claim with the accurate fact beside it: never scored, always shown
    unless: frozenset[str] = frozenset()  # ids of rules that cancel this one when they match too
    names: tuple[str, ...] = ()

    def matches(self, tags: Iterable[str], slug: str | None = None) -> bool:
        """Whether a food with these tags (and this slug) meets the rule."""
        return bool(self.tags & set(tags)) or (slug is not None and slug in self.foods)

    @property
    def medicine(self) -> bool:
        return self.effect == "ask"

    def reason(self, text: str | None = None) -> dict[str, str]:
        return {"rule": self.id, "text": text or self.text, "why": self.why, "source": "; ".join(self.sources)}


@dataclass(frozen=True)
class Guidance:
    rules: tuple[Rule, ...]

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)

    @property
    def triggers(self) -> list[Rule]:
        return [r for r in self.rules if r.trigger]

    @property
    def food_rules(self) -> list[Rule]:
        return [r for r in self.rules if not (r.trigger or r.personal or r.habit)]

    @property
    def medicines(self) -> list[Rule]:
        """The medicines the articles name: the checker says "ask", never "avoid"."""
        return [r for r in self.rules if r.trigger and r.medicine]

    @property
    def habits(self) -> list[Rule]:
        return [r for r in self.rules if r.habit]


def _rule(row: dict[str, Any], sources: dict[str, str]) -> Rule:
    if row["effect"] not in EFFECTS:
        raise ValueError(f"guidance.yaml: rule {row['id']}: unknown effect {row['effect']!r}")
    return Rule(
        id=row["id"], effect=row["effect"], text=row["text"], why=" ".join(row["why"].split()),
        sources=tuple(sources[key] for key in row["source"]), tags=frozenset(row.get("tags", [])),
        foods=frozenset(row.get("foods", [])),
        weight=int(row.get("weight", 0)), personal=bool(row.get("personal")), trigger=bool(row.get("trigger")),
        habit=bool(row.get("habit")), claim=bool(row.get("claim")), unless=frozenset(row.get("unless", [])),
        names=tuple(row.get("names", [])),
    )


@cache
def guidance() -> Guidance:
    data = read_yaml(DATA_DIR / "guidance.yaml")
    return Guidance(tuple(_rule(row, data["sources"]) for row in data["rules"]))


FOR, AGAINST = "for", "against"


def counts(reason: dict[str, str], side: str) -> dict[str, str]:
    """A reason marked as counting for the food or against it, so the two read as two lists."""
    return {**reason, "counts": side}


def main_reason(assessment: Assessment) -> str:
    """The reason that carries the verdict: the first against it for limit or avoid, else the first for."""
    side = AGAINST if assessment.verdict in ("limit", "avoid") else FOR
    found = [r for r in assessment.reasons if r.get("counts") == side] or assessment.reasons
    return found[0]["text"] if found else ""


@dataclass
class Assessment:
    verdict: str
    reasons: list[dict[str, str]] = field(default_factory=list)
    score: int = 0
    personal: bool = False
    pregnancy: bool = False  # a pregnancy rule decides the verdict ("avoid in pregnancy")


def personal_conflicts(profile: Restrictions, slug: str | None, tags: Iterable[str], allergens: Iterable[str],
                       traces: Iterable[str] = ()) -> list[str]:
    """What in this food the person must avoid, in plain words."""
    found = []
    tags, allergens, traces = set(tags), set(allergens), set(traces)
    for allergen in sorted(profile.allergens & allergens):
        found.append(f"contains {allergen.replace('-', ' ')}, one of your allergens")
    for allergen in sorted((profile.allergens & traces) - allergens):
        found.append(f"may contain traces of {allergen.replace('-', ' ')}, one of your allergens")
    if slug and slug in profile.excluded_foods:
        found.append("a food you have chosen to avoid")
    for tag in sorted(profile.excluded_tags & tags):
        found.append(f"tagged '{tag}', which you have chosen to avoid")
    return found


def assess(tags: Iterable[str], allergens: Iterable[str] = (), *, slug: str | None = None,
           traces: Iterable[str] = (), profile: Restrictions | None = None,
           rules: Guidance | None = None, pregnancy: Sequence[PregnancyRule] = ()) -> Assessment:
    """The verdict for a food described by its tags and allergens (and its slug, for rules that
    name foods).

    avoid: a personal conflict or any avoid rule; limit: cautions outweigh benefits;
    recommended: favoured by specific gut-health rules; good: a whole food with nothing against it.
    `pregnancy`: the pregnancy rules that apply to this food for a pregnant person; the worse of
    their effect and the guidance's verdict wins.
    """
    rules = rules or guidance()
    tags = set(tags)
    reasons: list[dict[str, str]] = []
    conflicts = personal_conflicts(profile, slug, tags, allergens, traces) if profile else []
    if conflicts:
        personal = rules.rule("your-allergens")
        reasons.extend(counts(personal.reason(f"Not for you: {c}."), AGAINST) for c in conflicts)
    pregnancy = sorted((r for r in pregnancy if r.effect in ("avoid", "limit")),
                       key=lambda r: -SEVERITY[r.effect])
    reasons.extend(counts(r.reason(), AGAINST) for r in pregnancy)
    matched = [rule for rule in rules.food_rules if rule.matches(tags, slug)]
    ids = {r.id for r in matched}
    matched = [r for r in matched if not r.unless & ids]
    avoid = [r for r in matched if r.effect == "avoid"]
    limits = [r for r in matched if r.effect == "limit"]
    favours = sorted((r for r in matched if r.effect == "favour"), key=lambda r: -r.weight)
    score = sum(r.weight for r in limits + favours)
    if conflicts or avoid:
        verdict = "avoid"
    elif score < 0:
        verdict = "limit"
    elif score >= RECOMMENDED_SCORE and any(r.weight >= SPECIFIC_WEIGHT for r in favours):
        verdict = "recommended"
    else:
        verdict = "good"
    in_pregnancy = False
    if pregnancy and SEVERITY[pregnancy[0].effect] >= SEVERITY[verdict]:
        verdict, in_pregnancy = pregnancy[0].effect, True
    if avoid or limits or in_pregnancy:  # "fine in cooking amounts" says nothing useful beside a caution
        favours = [r for r in favours if r.weight > 0 or r.claim]
    # Cautions first: they are what the person most needs to read.
    reasons.extend(counts(r.reason(), AGAINST) for r in avoid + sorted(limits, key=lambda r: r.weight))
    reasons.extend(counts(r.reason(), FOR) for r in favours)
    return Assessment(verdict, reasons, score, personal=bool(conflicts), pregnancy=in_pregnancy)

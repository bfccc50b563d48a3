"""Foods to avoid or limit in pregnancy (planner/data/pregnancy.yaml): a typed, cached read and
the rules that apply to one food record or to what a person typed. Pure Python, no Flask."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from planner.data import DATA_DIR, read_yaml
from planner.foods.text import key

EFFECTS = ("avoid", "limit", "ask")


@dataclass(frozen=True)
class PregnancyRule:
    id: str
    effect: str  # avoid | limit | ask (medicines)
    text: str
    why: str
    sources: tuple[str, ...]
    foods: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()  # folded keys of words people type
    medicines: bool = False

    def matches(self, record: Mapping[str, Any]) -> bool:
        """Whether the rule applies to a food record (slug, category, tags); a label passes
        only its tags, and rules that need a category never match it."""
        if record.get("slug") in self.foods:
            return True
        if not (self.categories or self.tags):
            return False
        in_category = not self.categories or record.get("category") in self.categories
        tagged = not self.tags or bool(self.tags & set(record.get("tags") or ()))
        return in_category and tagged

    def named(self, text: str) -> bool:
        return key(text) in self.names

    def reason(self) -> dict[str, str]:
        return {"rule": f"pregnancy-{self.id}", "text": self.text, "why": self.why,
                "source": "; ".join(self.sources)}


def _rule(row: dict[str, Any], sources: dict[str, str]) -> PregnancyRule:
    where = f"pregnancy.yaml: rule {row.get('id')!r}"
    if row.get("effect") not in EFFECTS:
        raise ValueError(f"{where}: effect must be one of {', '.join(EFFECTS)}")
    rule = PregnancyRule(
        id=row["id"], effect=row["effect"], text=" ".join(row["text"].split()), why=" ".join(row["why"].split()),
        sources=tuple(sources[name] for name in row["source"]),
        foods=frozenset(row.get("foods", [])), categories=frozenset(row.get("categories", [])),
        tags=frozenset(row.get("tags", [])), names=frozenset(key(n) for n in row.get("names", [])),
        medicines=bool(row.get("medicines")),
    )
    if not (rule.foods or rule.categories or rule.tags or rule.names or rule.medicines):
        raise ValueError(f"{where}: matches nothing")
    return rule


@cache
def pregnancy_rules() -> tuple[PregnancyRule, ...]:
    data = read_yaml(DATA_DIR / "pregnancy.yaml")
    return tuple(_rule(row, data["sources"]) for row in data["rules"])


def pregnancy_matches(food_record: Mapping[str, Any]) -> list[PregnancyRule]:
    """The pregnancy rules that apply to a food record (or a label's {"tags": [...]})."""
    return [rule for rule in pregnancy_rules() if rule.matches(food_record)]


def pregnancy_named(text: str) -> list[PregnancyRule]:
    """The pregnancy rules whose names include what the person typed."""
    return [rule for rule in pregnancy_rules() if rule.named(text)]


def pregnancy_for_medicines() -> list[PregnancyRule]:
    return [rule for rule in pregnancy_rules() if rule.medicines]


def merge(*groups: Iterable[PregnancyRule]) -> list[PregnancyRule]:
    """Rules from several matches, each once, in file order."""
    wanted = {rule.id for group in groups for rule in group}
    return [rule for rule in pregnancy_rules() if rule.id in wanted]

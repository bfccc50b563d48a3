"""Diary entries and the symptom list (planner/data/symptoms.yaml). Pure Python, no Flask."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from planner.data import DATA_DIR, read_yaml

KINDS = ("food", "meal", "symptom", "stool", "sleep", "stress", "movement", "medicine")


@dataclass(frozen=True)
class Entry:
    """One line of a family member's diary."""

    time: datetime  # timezone-aware
    kind: str  # one of KINDS
    item: str  # food slug or name, meal recipe slug, symptom key, medicine name ...
    # grams eaten; severity 0-10 for a symptom; Bristol type 1-7 for stool; hours for sleep;
    # 0-10 stress; minutes movement
    amount: float | None = None
    unit: str = ""
    note: str = ""
    tags: tuple[str, ...] = ()  # a food's or meal's tags (lactose, fructans, fermented ...), filled by the caller
    foods: tuple[str, ...] = ()  # for a meal: the food slugs it held

    def __post_init__(self) -> None:
        # naive times would shift by the UTC offset when compared with aware ones
        if self.time.tzinfo is None or self.time.utcoffset() is None:
            raise ValueError("an entry's time must be timezone-aware")
        if self.kind not in KINDS:
            raise ValueError(f"unknown entry kind {self.kind!r}; expected one of {', '.join(KINDS)}")


@dataclass(frozen=True)
class Symptom:
    key: str
    label: str
    description: str
    scale: str  # "severity" (0-10) or "bristol" (stool type 1-7)


@dataclass(frozen=True)
class BristolType:
    type: int
    description: str
    counts: str = ""  # "hard" or "loose" when the type counts as a symptom, else ""


@dataclass(frozen=True)
class SymptomList:
    symptoms: tuple[Symptom, ...]
    severity_counts_from: float  # a severity at or above this means the symptom was there
    bristol: tuple[BristolType, ...]
    bristol_source: str

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.symptoms)

    def stool_counts(self, bristol_type: float) -> bool:
        """True when a Bristol type is hard (1-2) or loose (6-7), i.e. counts as a symptom."""
        return any(t.counts and t.type == round(bristol_type) for t in self.bristol)

    def occurs(self, entry: Entry) -> bool:
        """Whether a symptom or stool entry records the symptom as present."""
        if entry.kind == "stool" or (entry.kind == "symptom" and entry.item == "stool"):
            return entry.amount is not None and self.stool_counts(entry.amount)
        if entry.kind != "symptom":
            return False
        # a symptom logged without a severity was still logged as felt: count it
        return entry.amount is None or entry.amount >= self.severity_counts_from


@cache
def symptoms() -> SymptomList:
    """The symptom list and Bristol types, read once (the red flags are the checker's:
    planner/data/red_flags.yaml)."""
    data = read_yaml(DATA_DIR / "symptoms.yaml")
    listed = tuple(Symptom(row["key"], row["label"], row["description"], row["scale"]) for row in data["symptoms"])
    bristol = tuple(BristolType(int(row["type"]), row["description"], row.get("counts", ""))
                    for row in data["bristol"]["types"])
    return SymptomList(listed, float(data["severity_counts_from"]), bristol, data["bristol"]["source"])


# The week plan's daily habit checklist (the first article's habits, planner/data/guidance.yaml)
# saved as diary entries: a tick records the habit's usual amount. Stress is a 0-10 level, which a
# tick for a calming practice does not give, so that habit is rated in the diary itself.
HABIT_ENTRIES = {"sleep-well": ("sleep", 8.0, "hours"), "move-daily": ("movement", 30.0, "minutes")}
TICKED_NOTE = "ticked on the week's plan"

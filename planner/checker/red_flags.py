"""Red flags (planner/data/red_flags.yaml): symptoms that need a doctor, not a change of diet.
A typed, cached read for templates/_red_flags.html. Pure Python, no Flask."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from planner.data import DATA_DIR, read_yaml


@dataclass(frozen=True)
class RedFlag:
    id: str
    text: str
    sources: tuple[str, ...]
    urgent: bool = False  # get help the same day


@dataclass(frozen=True)
class RedFlags:
    heading: str
    intro: str
    urgent_note: str
    flags: tuple[RedFlag, ...]

    @property
    def sources(self) -> list[str]:
        """Every source the flags cite, once, in order."""
        return list(dict.fromkeys(source for flag in self.flags for source in flag.sources))


@cache
def red_flags() -> RedFlags:
    data = read_yaml(DATA_DIR / "red_flags.yaml")
    sources = data["sources"]
    flags = tuple(
        RedFlag(row["id"], " ".join(row["text"].split()), tuple(sources[name] for name in row["source"]),
                bool(row.get("urgent")))
        for row in data["flags"]
    )
    return RedFlags(data["heading"], " ".join(data["intro"].split()), data["urgent_note"], flags)

"""A nutrition panel, typed in or pasted from the pack: read per 100 g (or 100 ml for a drink),
rated with the UK front-of-pack colours (planner/data/front_of_pack.yaml), and counted in the
verdict: a red for sugars, salt, saturates or fat counts against, high fibre counts for."""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from planner.checker.guidance import AGAINST, FOR, SEVERITY, Assessment
from planner.data import DATA_DIR, read_yaml
from planner.i18n import N_
from planner.refused import Invalid

SALT_PER_SODIUM_MG = 2.5 / 1000  # salt (g) = sodium (mg) x 2.5 / 1000 (FSA)
FIELDS = ("fat_g", "saturated_fat_g", "sugars_g", "salt_g", "fibre_g")


@cache
def _table() -> dict[str, Any]:
    return read_yaml(DATA_DIR / "front_of_pack.yaml")


@dataclass(frozen=True)
class Panel:
    """Grams per 100 g (or 100 ml); None where the pack did not say."""

    fat_g: float | None = None
    saturated_fat_g: float | None = None
    sugars_g: float | None = None
    salt_g: float | None = None
    fibre_g: float | None = None
    drink: bool = False

    @property
    def empty(self) -> bool:
        return all(getattr(self, name) is None for name in FIELDS)


@dataclass(frozen=True)
class Rating:
    nutrient: str
    label: str
    grams: float
    level: str  # low | medium | high

    def as_dict(self) -> dict[str, Any]:
        return {"nutrient": self.nutrient, "label": self.label, "grams": self.grams, "level": self.level}


LABELS = {"fat_g": "Fat", "saturated_fat_g": "Saturates", "sugars_g": "Sugars", "salt_g": "Salt", "fibre_g": "Fibre"}


def _amount(value: Any, name: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(str(value).replace(",", ".").strip().removesuffix("g").strip())
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or not 0 <= number <= 100:
        raise Invalid(f"{LABELS[name]}: give grams per 100 g, a number from 0 to 100.", {name: "From 0 to 100 g."})
    return number


def panel_from_fields(values: Mapping[str, Any], drink: bool = False) -> Panel:
    """A panel from fields (form or JSON): fat_g, saturated_fat_g, sugars_g, salt_g, fibre_g."""
    return Panel(**{name: _amount(values.get(name), name) for name in FIELDS}, drink=drink)


_NUMBER = re.compile(r"(<\s*)?(\d+(?:[.,]\d+)?)\s*(mg|g)?\b", re.IGNORECASE)


def read_panel(text: str, drink: bool = False) -> Panel:
    """A panel pasted from a pack, one nutrient a line ("of which sugars 22.5g"); the first number
    on a line is taken as per 100 g, as UK and EU panels put that column first."""
    words = _table()["words"]
    found: dict[str, float] = {}
    for line in text.lower().splitlines():
        for name, names in words.items():
            hit = next((w for w in names if re.search(rf"\b{re.escape(w)}\b", line)), None)
            if hit is None or name in found:
                continue
            number = _NUMBER.search(line[line.index(hit) + len(hit):])
            if number:
                value = float(number.group(2).replace(",", "."))
                found[name] = value / 1000 if (number.group(3) or "").lower() == "mg" and name != "sodium_mg" else value
            break
    if "salt_g" not in found and "sodium_mg" in found:
        found["salt_g"] = round(found["sodium_mg"] * SALT_PER_SODIUM_MG, 2)
    panel = Panel(**{name: found.get(name) for name in FIELDS}, drink=drink)
    if panel.empty:
        raise Invalid(N_("No nutrients were found in that panel: paste lines such as 'Sugars 22.5 g'."))
    return panel


def rate(panel: Panel) -> list[Rating]:
    table = _table()
    ratings = []
    for name, row in table["nutrients"].items():
        grams = getattr(panel, name)
        if grams is None:
            continue
        bands = row["drink" if panel.drink else "food"]
        level = "low" if grams <= bands["low"] else "high" if grams > bands["high"] else "medium"
        ratings.append(Rating(name, row["label"], grams, level))
    return ratings


def counted(assessment: Assessment, panel: Panel) -> Assessment:
    """The verdict with the panel counted: any red makes it at least 'limit', high fibre counts for."""
    table = _table()
    reds = [r for r in rate(panel) if r.level == "high"]
    reasons = [{"rule": f"front-of-pack-{r.nutrient}", "counts": AGAINST,
                "text": f"High in {r.label.lower()}: {r.grams:g} g per 100 {'ml' if panel.drink else 'g'}.",
                "why": "A red on the front-of-pack label; keep such foods for now and then.",
                "source": table["source"]} for r in reds]
    if panel.fibre_g is not None and panel.fibre_g >= table["high_fibre_g"]:
        reasons.append({"rule": "front-of-pack-fibre", "counts": FOR,
                        "text": f"High in fibre: {panel.fibre_g:g} g per 100 g.",
                        "why": "Fibre feeds gut bacteria.", "source": table["fibre_source"]})
    verdict = assessment.verdict
    if reds and verdict != "ask" and SEVERITY.get(verdict, -1) < SEVERITY["limit"]:
        verdict = "limit"  # also for a food not recognised, or a group: the pack itself says so
    return Assessment(verdict, [*reasons, *assessment.reasons], assessment.score, assessment.personal,
                      assessment.pregnancy)

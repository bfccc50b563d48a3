"""A profile's shopping settings: units, the order of aisles in its shop, and its pantry."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import cache
from typing import Any

from planner.data import DATA_DIR, read_yaml
from planner.i18n import N_
from planner.refused import Invalid
from planner.shopping.build import Settings
from planner.shopping.units import SYSTEMS


class SettingsError(Invalid):
    """A change to the settings that cannot be made; the message says why."""


@cache
def _pantry_rule() -> dict[str, Any]:
    return read_yaml(DATA_DIR / "pantry.yaml")


def default_pantry(foods: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    rule = _pantry_rule()
    aisles, named = set(rule["aisles"]), set(rule["foods"])
    return frozenset(f["slug"] for f in foods if f["aisle"] in aisles or f["slug"] in named)


def settings_from_dict(data: Mapping[str, Any] | None, foods: Mapping[str, Mapping[str, Any]],
                       aisles: Mapping[str, str]) -> Settings:
    """Stored settings; anything missing takes its default and anything no longer known is dropped."""
    data = data or {}
    units = data["units"] if data.get("units") in SYSTEMS else "metric"
    order = tuple(a for a in data.get("aisle_order") or () if a in aisles)
    pantry = data.get("pantry")
    kept = frozenset(s for s in pantry if s in foods) if isinstance(pantry, list) else default_pantry(foods.values())
    return Settings(units, order, kept)


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    return {"units": settings.units, "aisle_order": list(settings.aisle_order), "pantry": sorted(settings.pantry)}


def with_units(settings: Settings, units: str) -> Settings:
    if units not in SYSTEMS:
        raise SettingsError(f"Choose {' or '.join(SYSTEMS)} units.")
    return replace(settings, units=units)


def with_order(settings: Settings, order: Sequence[str], aisles: Mapping[str, str]) -> Settings:
    """A new store order: every name must be a known aisle, each at most once."""
    unknown = [a for a in order if a not in aisles]
    if unknown:
        raise SettingsError(f"Unknown aisle: {', '.join(unknown[:3])}.")
    if len(set(order)) != len(order):
        raise SettingsError(N_("Name each aisle once."))
    return replace(settings, aisle_order=tuple(order))


def moved(order: Sequence[str], aisle: str, step: int) -> list[str]:
    """The order with one aisle moved `step` places (negative is earlier), kept within the ends."""
    current = list(order)
    at = current.index(aisle)
    current.insert(max(0, min(len(current) - 1, at + step)), current.pop(at))
    return current


def with_default_pantry(settings: Settings, foods: Iterable[Mapping[str, Any]]) -> Settings:
    return replace(settings, pantry=default_pantry(foods))


def with_pantry(settings: Settings, slug: str, keep: bool) -> Settings:
    pantry = settings.pantry | {slug} if keep else settings.pantry - {slug}
    return replace(settings, pantry=frozenset(pantry))

"""How a list reads: quantities in the profile's units, which meals need each item, and JSON."""
from __future__ import annotations

import re
from typing import Any

from planner.shopping.build import Extra, Item, Need, ShoppingList
from planner.shopping.units import Amount, label_in

SECTION_BUY, SECTION_PANTRY, SECTION_EXTRA = "buy", "pantry", "extra"
PANTRY_TITLE = "Check you have"
_HAS_AMOUNT = re.compile(r"\d")


def quantity(item: Item, units: str) -> tuple[float, str]:
    """What to buy as a number and a unit: (3, 'each'), (2, 'can 400 g'), (0.7, 'kg') for loose."""
    if item.purchase.count is None:
        return round(item.bought.value, 2), item.bought.unit
    return item.purchase.count, label_in(item.purchase.unit, units)


def buy_text(item: Item, units: str) -> str:
    """'3 (≈ 450 g)', '2 × can 400 g', '1 bunch (≈ 150 g)', '700 g loose'."""
    count, unit = quantity(item, units)
    if item.purchase.count is None:
        return f"{item.bought} loose"
    text = f"{count}" if item.purchase.counted else f"{count} × {unit}"
    if item.purchase.counted or not _HAS_AMOUNT.search(unit):
        text += f" (≈ {item.bought})"
    return text


def need_text(item: Item) -> str:
    return f"need {item.need}"


def meal_label(need: Need, multi_week: bool) -> str:
    return f"{need.day:%a %-d %b} {need.meal}" if multi_week else f"{need.day:%a} {need.meal}"


def meals_text(item: Item, multi_week: bool) -> str:
    """'Lentil soup (Mon dinner, Wed lunch); Porridge (Tue breakfast)'."""
    by_recipe: dict[str, list[str]] = {}
    for need in sorted(item.needs, key=lambda n: n.day):
        by_recipe.setdefault(need.recipe, []).append(meal_label(need, multi_week))
    return "; ".join(f"{recipe} ({', '.join(labels)})" for recipe, labels in by_recipe.items())


def extra_text(extra: Extra) -> str:
    if extra.food_name and extra.food_name.casefold() not in extra.text.casefold():
        return f"{extra.text} ({extra.food_name})"
    return extra.text


def _amount(value: Amount) -> dict[str, Any]:
    return {"value": round(value.value, 2), "unit": value.unit, "text": str(value)}


def item_json(item: Item, units: str, multi_week: bool) -> dict[str, Any]:
    count, unit = quantity(item, units)
    return {
        "food": item.food, "name": item.name, "aisle": item.aisle, "grams": item.grams,
        "need": _amount(item.need),
        "buy": {"quantity": count, "unit": unit, "grams": item.purchase.grams, "text": buy_text(item, units),
                "holds": _amount(item.bought)},
        "checked": item.checked, "pantry": item.pantry,
        "meals": [{"date": n.day.isoformat(), "meal": n.meal, "recipe": n.recipe, "grams": n.grams}
                  for n in item.needs],
        "meals_text": meals_text(item, multi_week),
    }


def extra_json(extra: Extra) -> dict[str, Any]:
    return {"id": extra.id, "text": extra.text, "food": extra.food, "name": extra.food_name,
            "grams": extra.grams, "checked": extra.checked}


def list_json(shopping: ShoppingList) -> dict[str, Any]:
    units, multi = shopping.units, shopping.multi_week
    return {
        "title": shopping.title,
        "start": shopping.start.isoformat() if shopping.start else None,
        "end": shopping.end.isoformat() if shopping.end else None,
        "units": units,
        "aisles": [{"aisle": a.slug, "label": a.label, "items": [item_json(i, units, multi) for i in a.items],
                    "extras": [extra_json(e) for e in a.extras]} for a in shopping.aisles],
        "pantry": [item_json(i, units, multi) for i in shopping.pantry],
        "removed": [item_json(i, units, multi) for i in shopping.removed],
        "counts": shopping.counts(),
    }

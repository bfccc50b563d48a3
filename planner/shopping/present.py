"""How a list reads: quantities in the profile's units, which meals need each item, and JSON."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from planner.i18n import N_
from planner.shopping.build import Extra, Item, Need, ShoppingList
from planner.shopping.units import Amount, label_in

SECTION_BUY, SECTION_PANTRY, SECTION_EXTRA, SECTION_MAKE = "buy", "pantry", "extra", "make"
PANTRY_TITLE = N_("Check you have")
MAKE_TITLE = N_("Make at home")
MADE_AT_HOME = N_("make at home")
LOOSE = N_("%(amount)s loose")
NEED = N_("need %(amount)s")
NO_ADDED_SALT = N_("choose one with no added salt")
_HAS_AMOUNT = re.compile(r"\d")

Say = Callable[[str], str]  # how a marked message is written: as it is (exports, JSON) or translated (pages)


def as_written(message: str) -> str:
    return message


def quantity(item: Item, units: str) -> tuple[float, str]:
    """What to buy as a number and a unit: (3, 'each'), (2, 'can 400 g'), (6, 'eggs'), (0.7, 'kg') for
    loose; for a food made at home, how much to make (0.48, 'l')."""
    if item.make:
        return round(item.need.value, 2), item.need.unit
    if item.purchase.count is None:
        return round(item.bought.value, 2), item.bought.unit
    if item.piece and item.purchase.pieces:
        return item.purchase.pieces, item.piece.many
    return item.purchase.count, label_in(item.purchase.unit, units)


def buy_text(item: Item, units: str, say: Say = as_written) -> str:
    """'3 (≈ 450 g)', '2 × can 400 g (about 240 g drained)', '1 bunch (≈ 150 g)', '700 g loose',
    '6 eggs (box of 6)', 'make at home'."""
    if item.make:
        return say(MADE_AT_HOME)
    count, unit = quantity(item, units)
    if item.purchase.count is None:
        return say(LOOSE) % {"amount": item.bought}
    pack = label_in(item.purchase.unit, units)
    if item.piece and item.purchase.pieces:
        packs = pack if item.purchase.count == 1 else f"{item.purchase.count} × {pack}"
        return f"{item.piece.text(item.purchase.pieces * item.piece.grams)} ({packs})"
    if item.purchase.counted:  # '2 (≈ 240 g edible)' for 'each (edible)'
        return f"{count} (≈ {' '.join(filter(None, (str(item.bought), item.purchase.count_note)))})"
    text = f"{count} × {unit}"
    if not _HAS_AMOUNT.search(unit):
        text += f" (≈ {item.bought})"
    return text


def _need(item: Item, grams: float, shown: Amount) -> str:
    return item.piece.text(grams) if item.piece else str(shown)


def need_text(item: Item, say: Say = as_written) -> str:
    """'need 330 g', 'need 5 eggs', 'need 230 g (Brown rice, cooked: 440 g ≈ 150 g)', and where a
    food the meals use has less salt than the line's, '; choose one with no added salt'."""
    text = say(NEED) % {"amount": _need(item, item.grams, item.need)}
    if item.parts:
        text += f" ({'; '.join(f'{p.name}: {p.used} ≈ {_need(item, p.grams, p.bought)}' for p in item.parts)})"
    if item.no_added_salt:
        text += f"; {say(NO_ADDED_SALT)}"
    return text


def meal_label(need: Need, multi_week: bool) -> str:
    return f"{need.day:%a %-d %b} {need.meal}" if multi_week else f"{need.day:%a} {need.meal}"


def meals_text(item: Item, multi_week: bool) -> str:
    """'Lentil soup (Mon dinner, Wed lunch); Porridge (Tue breakfast)'."""
    by_recipe: dict[str, dict[str, None]] = {}  # a meal named once, though it uses two foods the line buys
    for need in sorted(item.needs, key=lambda n: n.day):
        by_recipe.setdefault(need.recipe, {})[meal_label(need, multi_week)] = None
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
        "buys": item.bought_food, "make": item.make,
        "need": _amount(item.need), "need_text": need_text(item),
        "buy": {"quantity": count, "unit": unit, "grams": item.purchase.grams, "text": buy_text(item, units),
                "holds": _amount(item.bought)},
        "need_grams": item.need_grams, "bought_grams": round(item.bought_grams, 1),
        "leftover_share": round(item.leftover_share, 3),
        "parts": [{"food": p.food, "name": p.name, "used": _amount(p.used), "grams": p.grams,
                   "bought": _amount(p.bought)} for p in item.parts],
        "checked": item.checked, "pantry": item.pantry, "no_added_salt": item.no_added_salt,
        "meals": [{"date": n.day.isoformat(), "meal": n.meal, "recipe": n.recipe, "grams": n.grams,
                   "food": n.food or item.bought_food, "used_grams": n.grams if n.used is None else n.used}
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
        "make": [item_json(i, units, multi) for i in shopping.make],
        "pantry": [item_json(i, units, multi) for i in shopping.pantry],
        "removed": [item_json(i, units, multi) for i in shopping.removed],
        "counts": shopping.counts(),
    }

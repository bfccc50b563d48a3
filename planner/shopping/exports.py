"""A list as CSV, a Markdown checklist, plain text and JSON (the PDF is in pdf.py)."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from planner.foods.exchange import formula_safe
from planner.shopping.build import Item, ShoppingList
from planner.shopping.present import (
    MAKE_TITLE, PANTRY_TITLE, SECTION_BUY, SECTION_EXTRA, SECTION_MAKE, SECTION_PANTRY, buy_text, extra_text,
    list_json, meals_text, need_text, quantity,
)

FORMATS = {"csv": "text/csv", "md": "text/markdown", "txt": "text/plain", "json": "application/json",
           "pdf": "application/pdf"}
# Characters Markdown may read as formatting, a link, HTML or an entity where the exports put
# text (never at the start of a line, so list and heading marks need no escape).
MARKDOWN_SPECIAL = frozenset("\\`*_[]<>#|~&")
CSV_COLUMNS = ("aisle", "item", "quantity", "unit", "grams", "checked", "meals", "section", "need", "bought_grams")


@dataclass(frozen=True)
class Line:
    """One row of any export: an item to buy, a pantry check or an extra."""
    section: str
    aisle: str
    item: str
    quantity: float | str
    unit: str
    grams: float | None  # what the meals need
    checked: bool
    meals: str
    buy: str  # quantity as read: "2 × can 400 g"
    need: str  # as read, without the word "need": "330 g", "5 eggs"
    bought_grams: float | None = None  # the usable grams bought (made, for a food made at home)


def lines(shopping: ShoppingList) -> Iterator[Line]:
    """Aisles in store order (items, then extras), then what to make at home, then the pantry checks."""
    for aisle in shopping.aisles:
        for item in aisle.items:
            yield _item_line(SECTION_BUY, aisle.label, item, shopping)
        for extra in aisle.extras:
            yield Line(SECTION_EXTRA, aisle.label, extra_text(extra), "", "", extra.grams, extra.checked,
                       "added by hand", "", "")
    for item in shopping.make:
        yield _item_line(SECTION_MAKE, MAKE_TITLE, item, shopping)
    for item in shopping.pantry:
        yield _item_line(SECTION_PANTRY, PANTRY_TITLE, item, shopping)


def _item_line(section: str, heading: str, item: Item, shopping: ShoppingList) -> Line:
    count, unit = quantity(item, shopping.units)
    return Line(section, heading, item.name, count, unit, item.grams, item.checked,
                meals_text(item, shopping.multi_week), buy_text(item, shopping.units),
                need_text(item).removeprefix("need "), round(item.bought_grams, 1))


def to_csv(shopping: ShoppingList) -> str:
    """UTF-8 with a byte-order mark, so spreadsheets read accents right; one item a row."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for line in lines(shopping):
        writer.writerow([formula_safe(line.aisle), formula_safe(line.item), line.quantity, formula_safe(line.unit),
                         "" if line.grams is None else line.grams, "yes" if line.checked else "no",
                         formula_safe(line.meals), line.section, formula_safe(line.need),
                         "" if line.bought_grams is None else line.bought_grams])
    return out.getvalue()


def headed(shopping: ShoppingList) -> Iterator[tuple[str | None, Line]]:
    """Lines with the heading to print before each new aisle (None when it has not changed)."""
    current = None
    for line in lines(shopping):
        yield (line.aisle if line.aisle != current else None), line
        current = line.aisle


def detail(line: Line) -> str:
    parts = [p for p in (line.buy, f"need {line.need}" if line.need else "") if p]
    return f" — {', '.join(parts)}" if parts else ""


def to_markdown(shopping: ShoppingList) -> str:
    out = [f"# Shopping list: {_escape(shopping.title)}", ""]
    for heading, line in headed(shopping):
        if heading:
            out += ["", f"## {_escape(heading)}", ""] if len(out) > 2 else [f"## {_escape(heading)}", ""]
        box = "x" if line.checked else " "
        out.append(f"- [{box}] **{_escape(line.item)}**{_escape(detail(line))}")
        if line.meals:
            out.append(f"  *{_escape(line.meals)}*")
    return "\n".join(out) + "\n"


def _escape(text: str) -> str:
    """Keep Markdown from reading a title or a name as formatting, a link or HTML: each
    character it gives a meaning is backslash-escaped, and a line break becomes a space."""
    return "".join("\\" + c if c in MARKDOWN_SPECIAL else c for c in _one_line(text))


def to_text(shopping: ShoppingList) -> str:
    out = [f"Shopping list: {_one_line(shopping.title)}"]
    for heading, line in headed(shopping):
        if heading:
            out += ["", _one_line(heading).upper()]
        out.append(f"[{'x' if line.checked else ' '}] {_one_line(line.item + detail(line))}")
        if line.meals:
            out.append(f"      {_one_line(line.meals)}")
    return "\n".join(out) + "\n"


def _one_line(text: str) -> str:
    """Text on one line, so nothing embedded can start a line (an item or heading) of its own."""
    return "".join(" " if c in "\r\n" else c for c in text)


def to_json(shopping: ShoppingList) -> str:
    return json.dumps(list_json(shopping), ensure_ascii=False, indent=2) + "\n"

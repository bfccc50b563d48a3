"""Reading a food list request (web page or API) into a search and a page."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from planner.data import Vocabulary
from planner.foods.search import Filters

MAX_PER_PAGE = 100
MAX_QUERY = 200


@dataclass
class FoodQuery:
    text: str = ""
    filters: Filters = field(default_factory=Filters)
    page: int = 1
    per_page: int = 24
    errors: dict[str, str] = field(default_factory=dict)


def whole_number(value: str, name: str, low: int, high: int, errors: dict[str, str]) -> int | None:
    try:
        number = int(value)
    except ValueError:
        errors[name] = f"'{value}' is not a whole number."
        return None
    if not low <= number <= high:
        errors[name] = f"Must be between {low} and {high}."
        return None
    return number


def choice(args: Mapping[str, str], name: str, allowed: Mapping[str, object] | list[str],
            errors: dict[str, str]) -> str | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    if value not in allowed:
        errors[name] = f"Unknown {name} '{value}'."
        return None
    return value


def search_text(args: Mapping[str, str], errors: dict[str, str]) -> str:
    """The ?q= words, or nothing (with an error) when they are too long."""
    text = (args.get("q") or "").strip()
    if len(text) > MAX_QUERY:
        errors["q"] = f"Search text must be at most {MAX_QUERY} characters."
        return ""
    return text


def parse_food_query(args: Mapping[str, str], vocab: Vocabulary, per_page: int = 24) -> FoodQuery:
    """Validate q, tag, category, nova, aisle, page and per_page; collect every error."""
    errors: dict[str, str] = {}
    text = search_text(args, errors)
    nova_text = (args.get("nova") or "").strip()
    nova = whole_number(nova_text, "nova", 1, 4, errors) if nova_text else None
    page_text = (args.get("page") or "").strip()
    page = whole_number(page_text, "page", 1, 1_000_000, errors) if page_text else 1
    size_text = (args.get("per_page") or "").strip()
    size = whole_number(size_text, "per_page", 1, MAX_PER_PAGE, errors) if size_text else per_page
    filters = Filters(
        tag=choice(args, "tag", vocab.tags, errors),
        category=choice(args, "category", vocab.categories, errors),
        nova_group=nova,
        aisle=choice(args, "aisle", vocab.aisles, errors),
    )
    return FoodQuery(text, filters, page or 1, size or per_page, errors)

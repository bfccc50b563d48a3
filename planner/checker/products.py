"""A product by its barcode: fetched from Open Food Facts (API v2), kept in the database for a
while, and checked like a pack in the hand: its ingredient list, its allergen and "may contain"
statements and its nutrition panel go through the label reader and the front-of-pack colours."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from planner.clock import as_utc, utc_now
from planner.checker.panel import Panel
from planner.i18n import N_
from planner.models import ProductCache
from planner.refused import Invalid, NotFound, TooLarge, Unavailable
from planner.transaction import committed

MAX_BYTES = 2 * 1024 * 1024  # a product answer is a few kilobytes
FIELDS = ",".join(["product_name", "brands", "ingredients_text_en", "ingredients_text", "allergens_tags", "traces_tags",
                   "nutriments", "categories_tags"])
# Open Food Facts' allergen taxonomy -> the EU-14 words of this app.
ALLERGENS = {"en:gluten": "gluten", "en:crustaceans": "crustaceans", "en:eggs": "eggs", "en:fish": "fish",
             "en:peanuts": "peanuts", "en:soybeans": "soybeans", "en:milk": "milk", "en:nuts": "tree nuts",
             "en:celery": "celery", "en:mustard": "mustard", "en:sesame-seeds": "sesame",
             "en:sulphur-dioxide-and-sulphites": "sulphites", "en:lupin": "lupin", "en:molluscs": "molluscs"}


@dataclass(frozen=True)
class Product:
    barcode: str
    name: str
    brand: str
    ingredients: str
    allergens: tuple[str, ...]  # words the label reader knows ("milk", "tree nuts")
    traces: tuple[str, ...]
    panel: Panel
    stale: bool = False  # from the cache after its time, as Open Food Facts could not be reached

    def label(self) -> str:
        """The pack as text: its ingredients, then its allergen statements."""
        parts = [self.ingredients.strip().rstrip(".")] if self.ingredients.strip() else []
        if self.allergens:
            parts.append("Contains: " + ", ".join(self.allergens))
        if self.traces:
            parts.append("May contain: " + ", ".join(self.traces))
        return ". ".join(parts) + "." if parts else ""


def clean_barcode(text: str) -> str:
    """A GTIN (EAN-8, UPC-A, EAN-13, GTIN-14) with a right check digit, or Invalid."""
    digits = "".join(ch for ch in text if not ch.isspace())
    if not digits.isdigit() or len(digits) not in (8, 12, 13, 14):
        raise Invalid(N_("A barcode is the 8, 12 or 13 digits under the bars."), {"barcode": N_("8, 12 or 13 digits.")})
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    if (10 - total % 10) % 10 != check:
        raise Invalid(N_("That barcode's last digit does not match the others: check the number."),
                      {"barcode": "Check the digits."})
    return digits


def _number(nutriments: dict[str, Any], key: str) -> float | None:
    value = nutriments.get(key)
    return float(value) if isinstance(value, (int, float)) and 0 <= value <= 100 else None


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    """What the checker needs from Open Food Facts' product, checked for type."""
    product: dict[str, Any] = data["product"] if isinstance(data.get("product"), dict) else {}
    nutriments: dict[str, Any] = product["nutriments"] if isinstance(product.get("nutriments"), dict) else {}

    def text(key: str, limit: int) -> str:
        value = product.get(key)
        return value[:limit] if isinstance(value, str) else ""

    def tags(key: str) -> list[str]:
        value = product.get(key)
        return [t for t in value if isinstance(t, str)][:40] if isinstance(value, list) else []

    categories = tags("categories_tags")
    return {
        "name": text("product_name", 200), "brand": text("brands", 200),
        "ingredients": text("ingredients_text_en", 20_000) or text("ingredients_text", 20_000),
        "allergens": tags("allergens_tags"), "traces": tags("traces_tags"),
        "drink": any(c in ("en:beverages", "en:drinks") for c in categories),
        "nutrition": {name: _number(nutriments, key) for name, key in (
            ("fat_g", "fat_100g"), ("saturated_fat_g", "saturated-fat_100g"), ("sugars_g", "sugars_100g"),
            ("salt_g", "salt_100g"), ("fibre_g", "fiber_100g"))},
    }


def fetch(base_url: str, barcode: str, timeout: float = 5.0) -> dict[str, Any] | None:
    """Open Food Facts' fields for the barcode; None when it has no such product."""
    url = f"{base_url.rstrip('/')}/api/v2/product/{barcode}.json?fields={FIELDS}"
    request = urllib.request.Request(url, headers={"User-Agent": "GutPlanner/0.1 (family meal planner)",
                                                   "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (an https/http URL from config)
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise Unavailable(f"Open Food Facts answered {exc.code}. Paste the ingredient list from the pack instead.") \
            from None
    except (urllib.error.URLError, TimeoutError, OSError):
        raise Unavailable(N_("Open Food Facts cannot be reached (no network?). Paste the ingredient list from the pack "
                          "instead.")) from None
    if len(body) > MAX_BYTES:
        raise TooLarge(N_("Open Food Facts sent more than a product holds."))
    try:
        data = json.loads(body)
    except ValueError:
        raise Unavailable(N_("Open Food Facts sent something that is not a product. Paste the ingredient list "
                          "instead.")) from None
    if not isinstance(data, dict) or data.get("status") in (0, "failure") or not isinstance(data.get("product"), dict):
        return None
    return _fields(data)


def _product(barcode: str, fields: dict[str, Any], stale: bool = False) -> Product:
    return Product(barcode, fields["name"], fields["brand"], fields["ingredients"],
                   tuple(ALLERGENS[t] for t in fields["allergens"] if t in ALLERGENS),
                   tuple(ALLERGENS[t] for t in fields["traces"] if t in ALLERGENS),
                   Panel(**fields["nutrition"], drink=fields["drink"]), stale)




def look_up(session: Session, text: str, base_url: str, keep: timedelta) -> Product:
    """The product for a barcode: from the cache while fresh, else from Open Food Facts (kept for
    `keep`); the cache after its time when Open Food Facts cannot be reached."""
    barcode = clean_barcode(text)
    cached = session.get(ProductCache, barcode)
    if cached is not None and as_utc(cached.expires_at) > utc_now():
        fields: dict[str, Any] | None = cached.product if cached.found else None
    else:
        try:
            fields = fetch(base_url, barcode)
        except Unavailable:
            if cached is None or not cached.found:
                raise
            return _product(barcode, cached.product, stale=True)
        _keep(session, barcode, fields, keep)
    if fields is None:
        raise NotFound(f"Open Food Facts has no product {barcode}. Paste the ingredient list from the pack instead.")
    return _product(barcode, fields)


def _keep(session: Session, barcode: str, fields: dict[str, Any] | None, keep: timedelta) -> None:
    table: Table = ProductCache.__table__  # type: ignore[assignment]  # a declarative class maps a Table
    values = {"barcode": barcode, "found": fields is not None, "product": fields or {}, "fetched_at": utc_now(),
              "expires_at": utc_now() + keep}
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    with committed(session):
        session.execute(insert(table).values(**values).on_conflict_do_update(
            index_elements=[table.c.barcode], set_={k: v for k, v in values.items() if k != "barcode"}))
    session.expire_all()


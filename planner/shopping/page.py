"""The list page as it is walked in the shop: what is still to get, section by section, and what is
already in the basket. A ticked line leaves its section for the basket, and goes back to its place
when it is unticked."""
from __future__ import annotations

from dataclasses import dataclass

from planner.shopping.build import Extra, Item, ShoppingList
from planner.shopping.present import MAKE_TITLE, PANTRY_TITLE, SECTION_BUY, SECTION_EXTRA, SECTION_MAKE, SECTION_PANTRY


@dataclass(frozen=True)
class Entry:
    """One line: an item (to buy, to make or to check at home) or an extra added by hand."""
    section: str  # the section it belongs to
    position: int  # its place in that section
    kind: str  # SECTION_BUY, SECTION_EXTRA, SECTION_MAKE or SECTION_PANTRY
    item: Item | None = None
    extra: Extra | None = None

    @property
    def key(self) -> str:
        return self.item.key if self.item else self.extra.key if self.extra else ""

    @property
    def checked(self) -> bool:
        return bool(self.item.checked if self.item else self.extra and self.extra.checked)

    @property
    def to_buy(self) -> bool:
        """Counted among what there is to buy (as ShoppingList.counts counts)."""
        return self.kind in (SECTION_BUY, SECTION_EXTRA)


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    kind: str  # SECTION_BUY for an aisle, SECTION_MAKE or SECTION_PANTRY
    entries: tuple[Entry, ...]  # the lines not ticked yet


@dataclass(frozen=True)
class ShopPage:
    sections: tuple[Section, ...]  # every section, even one whose lines are all ticked
    basket: tuple[Entry, ...]  # the ticked lines, in the order of the walk


def _aisle_entries(slug: str, items: list[Item], extras: list[Extra]) -> list[Entry]:
    entries = [Entry(slug, n, SECTION_BUY, item=item) for n, item in enumerate(items)]
    return entries + [Entry(slug, len(items) + n, SECTION_EXTRA, extra=extra) for n, extra in enumerate(extras)]


def shop_page(shopping: ShoppingList) -> ShopPage:
    walk = [(aisle.slug, aisle.label, SECTION_BUY, _aisle_entries(aisle.slug, aisle.items, aisle.extras))
            for aisle in shopping.aisles]
    for slug, title, items in ((SECTION_MAKE, MAKE_TITLE, shopping.make), (SECTION_PANTRY, PANTRY_TITLE,
                                                                             shopping.pantry)):
        if items:
            walk.append((slug, title, slug, [Entry(slug, n, slug, item=item) for n, item in enumerate(items)]))
    sections = tuple(Section(slug, title, kind, tuple(e for e in entries if not e.checked))
                     for slug, title, kind, entries in walk)
    basket = tuple(e for _, _, _, entries in walk for e in entries if e.checked)
    return ShopPage(sections, basket)

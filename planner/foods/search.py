"""Food search that forgives case, accents, plurals, British/American spelling and typos.

An in-memory index over food records: an inverted index from folded words to foods, a
sorted vocabulary for prefixes (search as you type), and a deletion index for typos
(the symmetric-delete method: two words within edit distance d share a deletion of at
most d characters). Exact name and synonym matches rank first.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from planner.foods.text import key, tokens

EXACT, PREFIX, TYPO_1, TYPO_2 = 1.0, 0.75, 0.6, 0.4
SYNONYM_FACTOR = 0.9


def max_typos(word: str) -> int:
    """Short words must match exactly; longer ones may carry one or two typos."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def deletions(word: str, depth: int) -> set[str]:
    found = {word}
    for n in range(1, min(depth, len(word) - 1) + 1):
        for positions in combinations(range(len(word)), n):
            found.add("".join(ch for i, ch in enumerate(word) if i not in positions))
    return found


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (transpositions count as one), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


@dataclass
class Entry:
    record: dict[str, Any]
    name_key: str
    synonym_keys: frozenset[str]
    name_words: frozenset[str]
    synonym_words: frozenset[str]
    tags: frozenset[str]


@dataclass(frozen=True)
class Filters:
    tag: str | None = None
    category: str | None = None
    nova_group: int | None = None
    aisle: str | None = None

    def accept(self, entry: Entry) -> bool:
        r = entry.record
        return (
            (self.tag is None or self.tag in entry.tags or self.tag in r["allergens"])
            and (self.category is None or r["category"] == self.category)
            and (self.nova_group is None or r["nova_group"] == self.nova_group)
            and (self.aisle is None or r["aisle"] == self.aisle)
        )


@dataclass
class SearchResult:
    records: list[dict[str, Any]]
    approximate: bool = False  # no food matched every word; these match some
    total: int = field(init=False)

    def __post_init__(self) -> None:
        self.total = len(self.records)


class SearchIndex:
    def __init__(self, records: Iterable[dict[str, Any]]):
        self.entries: list[Entry] = []
        self.postings: dict[str, set[int]] = {}
        for position, record in enumerate(records):
            name_words = frozenset(tokens(record["name"]))
            synonym_words = frozenset(w for s in record["synonyms"] for w in tokens(s))
            self.entries.append(Entry(
                record=record,
                name_key=key(record["name"]),
                synonym_keys=frozenset(key(s) for s in record["synonyms"]),
                name_words=name_words,
                synonym_words=synonym_words,
                tags=frozenset(record["tags"]),
            ))
            for word in name_words | synonym_words:
                self.postings.setdefault(word, set()).add(position)
        self.by_slug = {entry.record["slug"]: entry.record for entry in self.entries}
        self.by_key: dict[str, dict[str, Any]] = {}
        for entry in self.entries:  # names win over synonyms
            for text_key in entry.synonym_keys:
                self.by_key.setdefault(text_key, entry.record)
        for entry in self.entries:
            self.by_key[entry.name_key] = entry.record
        self.by_name = sorted(range(len(self.entries)), key=lambda p: self.entries[p].record["name"].casefold())
        self.vocabulary = sorted(self.postings)
        self.typo_index: dict[str, set[str]] = {}
        for word in self.vocabulary:
            for variant in deletions(word, max_typos(word)):
                self.typo_index.setdefault(variant, set()).add(word)

    def __len__(self) -> int:
        return len(self.entries)

    def records(self) -> list[dict[str, Any]]:
        return [entry.record for entry in self.entries]

    def exact(self, text: str) -> dict[str, Any] | None:
        """The food whose name or synonym is this text (after folding), if any."""
        return self.by_key.get(key(text))

    # -- words -------------------------------------------------------------------------
    def _prefixed(self, stem: str) -> list[str]:
        start = bisect_left(self.vocabulary, stem)
        found: list[str] = []
        for word in self.vocabulary[start:]:
            if not word.startswith(stem):
                break
            found.append(word)
        return found

    def word_matches(self, word: str) -> dict[str, float]:
        """Index words a query word may stand for, with how well each matches."""
        matches: dict[str, float] = {}
        if len(word) >= 2:
            for candidate in self._prefixed(word):
                matches[candidate] = PREFIX
        limit = max_typos(word)
        if limit:
            candidates: set[str] = set()
            for variant in deletions(word, limit):
                candidates |= self.typo_index.get(variant, set())
            for candidate in candidates:
                distance = edit_distance(word, candidate, limit)
                if distance <= limit:
                    weight = TYPO_1 if distance == 1 else TYPO_2
                    matches[candidate] = max(matches.get(candidate, 0.0), weight)
        if word in self.postings:
            matches[word] = EXACT
        return matches

    # -- foods -------------------------------------------------------------------------
    def _word_scores(self, matches: dict[str, float]) -> dict[int, float]:
        """Best score each food gets for one query word."""
        scores: dict[int, float] = {}
        for word, weight in matches.items():
            for position in self.postings[word]:
                entry = self.entries[position]
                score = weight if word in entry.name_words else weight * SYNONYM_FACTOR
                if score > scores.get(position, 0.0):
                    scores[position] = score
        return scores

    def _bonus(self, entry: Entry, query_key: str) -> float:
        if entry.name_key == query_key:
            return 10.0
        if query_key in entry.synonym_keys:
            return 8.0
        if entry.name_key.startswith(query_key):
            return 3.0
        if any(s.startswith(query_key) for s in entry.synonym_keys):
            return 2.0
        return 0.0

    def search(self, query: str, filters: Filters = Filters()) -> SearchResult:
        words = list(dict.fromkeys(tokens(query)))
        if not words:
            return SearchResult([self.entries[p].record for p in self.by_name if filters.accept(self.entries[p])])
        per_word = [self._word_scores(self.word_matches(word)) for word in words]
        totals: dict[int, float] = {}
        hits: dict[int, int] = {}
        for scores in per_word:
            for position, score in scores.items():
                totals[position] = totals.get(position, 0.0) + score
                hits[position] = hits.get(position, 0) + 1
        complete = [p for p, n in hits.items() if n == len(words)]
        approximate = not complete
        if approximate:
            needed = max(1, (len(words) + 1) // 2)
            complete = [p for p, n in hits.items() if n >= needed]
        query_key = " ".join(words)
        ranked: list[tuple[float, int, str, int]] = []
        for position in complete:
            entry = self.entries[position]
            if not filters.accept(entry):
                continue
            score = totals[position] + self._bonus(entry, query_key)
            extra_words = len(entry.name_words) - len(words)
            ranked.append((-score, max(extra_words, 0), entry.record["name"].casefold(), position))
        ranked.sort()
        return SearchResult([self.entries[p].record for *_, p in ranked], approximate)

    def suggestions(self, query: str, limit: int = 5) -> list[dict[str, Any]]:
        """Close foods for a query that found nothing exact: for 'did you mean'."""
        return self.search(query).records[:limit]


def paginate(items: Sequence[Any], page: int, per_page: int) -> tuple[list[Any], int, int]:
    """The items of one page, the page actually shown (clamped) and the number of pages."""
    pages = max(1, -(-len(items) // per_page))
    page = min(max(1, page), pages)
    start = (page - 1) * per_page
    return list(items[start:start + per_page]), page, pages

"""Reading a recipe from elsewhere: a web page (fetched here, or saved), pasted text, or an export
file from another recipe app (Mealie, Tandoor, schema.org JSON). Each entry gives a RecipeDraft:
the recipe as written there, not yet matched to foods, for a person to check before it is saved.

Everything a person can hand in is bounded, and every refusal is an ImportRefused with a short
`reason` code and a message for people:

- a draft keeps at most MAX_LINES ingredient lines and MAX_STEPS steps (the rest is cut off, not
  refused: a long recipe is still worth reading), a title of at most MAX_TITLE characters (cut at
  a word and ended with "…"), lines and steps of at most MAX_LINE_CHARS / MAX_STEP_CHARS;
- a page must be HTML, at most FetchRules.max_bytes, read within FetchRules.timeout_s (the whole
  fetch, redirects included), from a public address unless the rules say otherwise;
- a file is at most MAX_FILE_BYTES; a zip at most MAX_ZIP_ENTRIES entries and MAX_ZIP_TOTAL bytes
  unpacked (nested zips count toward the same budget), with no ".." or absolute paths.

Pages are read by recipe-scrapers first, then by this module's own reader of JSON-LD (forgiving
of the broken JSON real sites publish) and microdata, which fills whatever recipe-scrapers missed.
"""
from __future__ import annotations

import codecs
import html as html_lib
import http.client
import io
import ipaddress
import json
import logging
import re
import socket
import ssl
import threading
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from planner.i18n import N_
from planner.refused import Invalid, Refused, TooLarge, Unavailable

log = logging.getLogger(__name__)

MAX_LINES = 100
MAX_STEPS = 60
MAX_TITLE = 200
MAX_LINE_CHARS = 300
MAX_STEP_CHARS = 2000
MAX_DESCRIPTION = 2000
MAX_KEYWORDS = 30
MAX_HTML_CHARS = 10_000_000
MAX_TEXT_CHARS = 200_000
MAX_FILE_BYTES = 20_000_000
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_TOTAL = 100_000_000
MAX_JSON_BYTES = 10_000_000
MAX_URL_CHARS = 2048
MAX_SERVINGS = 1000
MAX_MINUTES = 7 * 24 * 60


# --------------------------------------------------------------------------------------------
# What this module hands back
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RecipeDraft:
    """A recipe as another place wrote it, plain text throughout (no HTML, no entities)."""

    title: str
    lines: tuple[str, ...]  # ingredient lines as written; section headers end with ":"
    steps: tuple[str, ...]  # method steps (section titles of the method are left out)
    servings: int | None  # the first number of the yield: "Serves 4-6" -> 4
    yield_text: str  # the yield as written
    prep_minutes: int | None
    cook_minutes: int | None
    total_minutes: int | None  # given, or prep + cook when only those are given
    description: str
    image_url: str | None
    source_url: str | None
    source_name: str  # the site's name, or the app an export came from ("Mealie", "Tandoor")
    keywords: tuple[str, ...]  # categories, cuisines and keywords, each once


class ImportRefused(Refused):
    """A recipe that cannot be read, and why. `reason` is a short code: "no-recipe", "too-large",
    "timeout", "not-allowed", "bad-address", "http-error", "bad-file" or "not-html".

    The instance is of a subclass that is also the matching planner.refused kind, so the web and
    command-line faces answer it as they answer the rest: "too-large" is a TooLarge (413),
    "timeout" and "http-error" are Unavailable (503), the others are Invalid (400)."""

    reason: str

    def __new__(cls, reason: str, message: str) -> ImportRefused:
        if cls is ImportRefused:
            cls = _KIND_OF_REASON.get(reason, _ImportInvalid)
        return super().__new__(cls, message)

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason

    def __reduce__(self) -> tuple[Any, ...]:
        return (ImportRefused, (self.reason, self.message))

    def __repr__(self) -> str:
        return f"ImportRefused({self.reason!r}, {self.message!r})"


class _ImportInvalid(ImportRefused, Invalid):
    pass


class _ImportTooLarge(ImportRefused, TooLarge):
    pass


class _ImportUnavailable(ImportRefused, Unavailable):
    pass


_KIND_OF_REASON: dict[str, type[ImportRefused]] = {
    "too-large": _ImportTooLarge, "timeout": _ImportUnavailable, "http-error": _ImportUnavailable,
}


@dataclass(frozen=True)
class FetchRules:
    """How a page is fetched. `allow_addresses` names networks ("127.0.0.1/32") allowed even when
    private addresses are not, for a known internal mirror (and for tests)."""

    allow_private: bool = False  # allow loopback/private/link-local addresses (tests set True)
    max_bytes: int = 3_000_000
    timeout_s: float = 10.0
    max_redirects: int = 5
    user_agent: str = "GutPlanner/0.1 (+recipe import)"
    allow_addresses: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------
# Plain text out of anything
# --------------------------------------------------------------------------------------------

_TAG = re.compile(r"</?[A-Za-z!][^<>]*>")
_BREAK_TAG = re.compile(r"<\s*(?:br|/p|/li|/div|/h[1-6]|/tr|li|p|h[1-6])\b[^<>]*>", re.I)
_SCRIPTISH = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2028\u2029\ufeff\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _text(value: Any, keep_lines: bool = False) -> str:
    """Plain text: tags stripped, entities unescaped (twice, for doubly escaped sites), control
    characters and runs of spaces gone. With keep_lines, line breaks (and <br>, </p>, <li>) stay."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        number = float(value)
        return str(int(number)) if number.is_integer() and abs(number) < 1e15 else str(value)
    if isinstance(value, dict):
        for key in ("text", "name", "@value", "value", "url"):
            if isinstance(value.get(key), str):
                return _text(value[key], keep_lines)
        return ""
    if isinstance(value, list):
        return " ".join(t for t in (_text(v, keep_lines) for v in value[:50]) if t)
    text = str(value)
    for _ in range(2):
        if "<" in text:
            text = _SCRIPTISH.sub(" ", text)
            if keep_lines:
                text = _BREAK_TAG.sub("\n", text)
            text = _TAG.sub("", text)
        if "&" in text:
            text = html_lib.unescape(text)
    text = _SURROGATE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if keep_lines:
        text = _CONTROL.sub(" ", text.replace("\t", " "))
        lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
        return "\n".join(line for line in lines if line)
    text = _CONTROL.sub(" ", text.replace("\n", " ").replace("\t", " "))
    return _SPACES.sub(" ", text).strip()


def _cut(text: str, limit: int) -> str:
    """`text` of at most `limit` characters, cut at a word and ended with "…" when too long."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:-") + "…"


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, tuple):
        return list(value)
    return [value]


def _types(item: Any) -> set[str]:
    """The schema.org types of a JSON-LD node, bare ("Recipe"), whatever the prefix."""
    if not isinstance(item, dict):
        return set()
    found = set()
    for kind in _as_list(item.get("@type") or item.get("type")):
        if isinstance(kind, str):
            found.add(kind.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].rsplit("#", 1)[-1])
    return found


# --------------------------------------------------------------------------------------------
# Durations, yields, keywords
# --------------------------------------------------------------------------------------------

_ISO_DURATION = re.compile(
    r"^-?P(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?"
    r"(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$", re.I)
_FRACTION_CHARS = {"½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅛": 0.125}
_NUMBER = r"(\d+(?:[.,]\d+)?(?:\s*[½⅓⅔¼¾⅛])?|[½⅓⅔¼¾⅛]|an?|one|two|three|four|five|six|half an?)"
_UNIT_MINUTES = {"w": 7 * 1440, "d": 1440, "h": 60, "m": 1, "s": 1 / 60}
_TIME_PART = re.compile(
    _NUMBER + r"(?:\s*(?:-|–|to)\s*" + _NUMBER + r")?\s*"
    r"(weeks?|wks?|days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b\.?", re.I)
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")
_H_THEN_M = re.compile(r"^(\d+)\s*h\s*(\d+)$", re.I)
_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
                 "a dozen": 12, "dozen": 12}


def _number(text: str) -> float | None:
    text = text.strip().lower()
    if text.startswith("half"):
        return 0.5
    if text in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[text])
    total = 0.0
    for char, value in _FRACTION_CHARS.items():
        if char in text:
            total += value
            text = text.replace(char, "")
    text = text.strip().replace(",", ".")
    if text:
        try:
            total += float(text)
        except ValueError:
            return None
    return total


def parse_minutes(value: Any) -> int | None:
    """Minutes from an ISO 8601 duration ("PT1H30M", "P0DT0H45M"), a text ("1 hour 20 mins",
    "1 hr 5 min", "20-25 minutes" -> 25, "1:30", "1h30"), a bare number (minutes) or a
    QuantitativeValue ({"maxValue": "PT1H"}). None when there is none, it is 0, or over a week."""
    if isinstance(value, dict):
        value = value.get("maxValue") or value.get("value") or value.get("@value") or value.get("minValue")
    if isinstance(value, list):
        for item in value[:5]:
            found = parse_minutes(item)
            if found is not None:
                return found
        return None
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        minutes = float(value)
    else:
        text = _text(value).strip()[:200]
        if not text:
            return None
        minutes_or_none = _minutes_of_text(text)
        if minutes_or_none is None:
            return None
        minutes = minutes_or_none
    if minutes != minutes or minutes <= 0 or minutes > MAX_MINUTES:  # NaN, nothing, or absurd
        return None
    return max(1, round(minutes))


def _minutes_of_text(text: str) -> float | None:
    iso = _ISO_DURATION.match(text.replace(" ", ""))
    if iso and any(iso.groups()):
        weeks, days, hours, minutes, seconds = (float(g.replace(",", ".")) if g else 0.0 for g in iso.groups())
        return weeks * 7 * 1440 + days * 1440 + hours * 60 + minutes + seconds / 60
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        return float(text.replace(",", "."))
    clock = _CLOCK.match(text)
    if clock:
        return int(clock.group(1)) * 60 + int(clock.group(2))
    h_then_m = _H_THEN_M.match(text)
    if h_then_m:
        return int(h_then_m.group(1)) * 60 + int(h_then_m.group(2))
    total = 0.0
    found = False
    for match in _TIME_PART.finditer(text):
        low, high, unit = match.group(1), match.group(2), match.group(3).lower()
        amount = _number(high or low)
        if amount is None:
            continue
        total += amount * _UNIT_MINUTES[unit[0]]
        found = True
    return total if found else None


_SERVINGS_NUMBER = re.compile(r"\d+(?:[.,]\d+)?|\b(?:a dozen|dozen|one|two|three|four|five|six|seven|eight|nine|"
                              r"ten|eleven|twelve)\b", re.I)


def parse_servings(text: str) -> int | None:
    """The first number of a yield: "4" -> 4, "Serves 4-6" -> 4, "Makes 12 muffins" -> 12."""
    match = _SERVINGS_NUMBER.search(text)
    if not match:
        return None
    word = match.group(0).lower()
    number = _WORD_NUMBERS.get(word) or _number(word)
    if number is None or number < 1 or number > MAX_SERVINGS:
        return None
    return int(number)


def _yield_text(value: Any) -> str:
    """The yield as written: for a list (["4", "4 servings"]) the first item with words in it."""
    items = [_text(v) for v in _as_list(value)[:10]]
    items = [item for item in items if item]
    if not items:
        return ""
    worded = [item for item in items if re.search(r"[^\W\d_]", item)]
    return _cut((worded or items)[0], 100)


def _keyword_list(*values: Any) -> list[str]:
    found: list[str] = []
    for value in values:
        for item in _as_list(value)[:100]:
            text = _text(item)
            found.extend(part.strip() for part in re.split(r"[,;\n]", text))
    return found


def _unique(items: Iterable[str], limit: int, chars: int) -> tuple[str, ...]:
    seen: set[str] = set()
    kept: list[str] = []
    for item in items:
        item = _cut(item.strip(), chars)
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            kept.append(item)
        if len(kept) >= limit:
            break
    return tuple(kept)


# --------------------------------------------------------------------------------------------
# Ingredient lines and steps
# --------------------------------------------------------------------------------------------

_STEP_PREFIX = re.compile(
    r"^(?:step\s*\d{1,3}\s*[:.)\-–]?\s*|\d{1,2}\s*[.)]\s+|\(\d{1,2}\)\s*|[-*•·▪◦●○✓✔☐➤►]\s*)", re.I)
_INLINE_NUMBERING = re.compile(r"(?:^|(?<=[.!?)\s]))\s*(?:step\s*)?(\d{1,2})[.)]\s+(?=[^\W\d_])", re.I)
_BULLET = re.compile(r"^(?:[-*•·▪◦●○✓✔☐➤►–—]+\s*|\(\d{1,2}\)\s*|\d{1,2}[.)]\s+(?=\D))")


def _section_title(line: str) -> bool:
    return line.endswith(":") and len(line) <= 60 and "." not in line[:-1]


def _ingredient_lines(value: Any) -> list[str]:
    """Ingredient lines from recipeIngredient: strings, one string of lines, or objects."""
    lines: list[str] = []
    for item in _as_list(value)[: MAX_LINES * 3]:
        if isinstance(item, dict):
            text = _text(item.get("text") or item.get("name") or item.get("value") or "", keep_lines=True)
        else:
            text = _text(item, keep_lines=True)
        for line in text.split("\n"):
            line = _BULLET.sub("", line).strip()
            if line:
                lines.append(line)
    return lines


def _split_step_text(value: str) -> list[str]:
    """Steps from a text: one a line, numbering and "Step 1" taken off; a single paragraph
    numbered inline ("1. Do this. 2. Do that.") split at its numbers; section titles dropped."""
    text = _text(value, keep_lines=True)
    steps: list[str] = []
    for line in text.split("\n"):
        numbers = list(_INLINE_NUMBERING.finditer(line))
        counted = [int(m.group(1)) for m in numbers]
        if len(numbers) >= 2 and counted == list(range(counted[0], counted[0] + len(counted))):
            cuts = [m.start() for m in numbers] + [len(line)]
            if line[: cuts[0]].strip():
                steps.append(line[: cuts[0]].strip())
            steps.extend(line[a:b].strip() for a, b in zip(cuts, cuts[1:], strict=False))
        else:
            steps.append(line)
    cleaned = []
    for step in steps:
        step = _STEP_PREFIX.sub("", step).strip()
        if step and not _section_title(step) and not re.fullmatch(r"step\s*\d*\W*", step, re.I):
            cleaned.append(step)
    return cleaned


def _steps(value: Any, depth: int = 0) -> list[str]:
    """Steps from recipeInstructions: a text, a list of texts, HowToStep objects, HowToSection
    objects with itemListElement (the section's own name is left out), or an ItemList."""
    if depth > 8 or value is None:
        return []
    if isinstance(value, str):
        return _split_step_text(value)
    if isinstance(value, list):
        steps: list[str] = []
        for item in value[: MAX_STEPS * 3]:
            if isinstance(item, list):
                steps.extend(_steps(item, depth + 1))
            elif isinstance(item, str):
                steps.extend(_split_step_text(item))
            else:
                steps.extend(_steps(item, depth + 1))
        return steps
    if isinstance(value, dict):
        kinds = _types(value)
        elements = value.get("itemListElement")
        if elements is not None and ("HowToSection" in kinds or "ItemList" in kinds or not value.get("text")):
            return _steps(elements, depth + 1)
        text = value.get("text") or value.get("description") or value.get("name")
        if isinstance(text, str | list):
            step = _text(text)
            step = _STEP_PREFIX.sub("", step).strip()
            return [step] if step and not _section_title(step) else []
        if isinstance(text, dict):
            return _steps(text, depth + 1)
    return []


# --------------------------------------------------------------------------------------------
# One draft from found fields, with the limits applied
# --------------------------------------------------------------------------------------------

@dataclass
class _Found:
    title: str = ""
    lines: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    yield_text: str = ""
    servings: int | None = None
    prep: int | None = None
    cook: int | None = None
    total: int | None = None
    description: str = ""
    image: str | None = None
    url: str | None = None
    site: str = ""
    keywords: list[str] = field(default_factory=list)

    def has_recipe(self) -> bool:
        return bool(self.lines or self.steps)


def _http_url(value: Any, base: str | None) -> str | None:
    text = _text(value)
    if not text or len(text) > MAX_URL_CHARS:
        return None
    try:
        text = urljoin(base, text) if base else text
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return text


def _finish(found: _Found, default_title: str = "Untitled recipe") -> RecipeDraft:
    title = _cut(_text(found.title), MAX_TITLE) or default_title
    lines = [_cut(_text(line), MAX_LINE_CHARS) for line in found.lines]
    lines = [line for line in lines if line and line != ":"]
    while lines and _section_title(lines[-1]):  # a header with nothing under it
        lines.pop()
    steps = [_cut(_text(step), MAX_STEP_CHARS) for step in found.steps]
    steps = [step for step in steps if step]
    if not lines and not steps:
        raise ImportRefused("no-recipe", N_("No recipe found: there are no ingredients and no method to read."))
    yield_text = _cut(_text(found.yield_text), 100)
    servings = found.servings if found.servings and 0 < found.servings <= MAX_SERVINGS else None
    if servings is None and yield_text:
        servings = parse_servings(yield_text)
    prep, cook, total = found.prep, found.cook, found.total
    if total is None and (prep or cook):
        total = (prep or 0) + (cook or 0)
    return RecipeDraft(
        title=title,
        lines=tuple(lines[:MAX_LINES]),
        steps=tuple(steps[:MAX_STEPS]),
        servings=servings,
        yield_text=yield_text,
        prep_minutes=prep,
        cook_minutes=cook,
        total_minutes=total,
        description=_cut(_text(found.description), MAX_DESCRIPTION),
        image_url=_http_url(found.image, None) if found.image else None,
        source_url=_http_url(found.url, None) if found.url else None,
        source_name=_cut(_text(found.site), 100),
        keywords=_unique(found.keywords, MAX_KEYWORDS, 60),
    )


# --------------------------------------------------------------------------------------------
# JSON-LD, forgiving
# --------------------------------------------------------------------------------------------

_LD_SCRIPT = re.compile(
    r"<script\b[^>]*\btype\s*=\s*[\"']?\s*application/ld\+json\b[^>]*>(.*?)</script\s*>", re.I | re.S)
_COMMENT_EDGES = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?://\s*\]\]>|\]\]>|-->)\s*$")


def _json_values(text: str) -> list[Any]:
    """The JSON values in a JSON-LD block as sites write them: comments, CDATA, trailing commas,
    raw newlines and control characters in strings, HTML entities for quotes, and several objects
    one after another ("{...}{...}" or "{...},{...}") all read."""
    text = _COMMENT_EDGES.sub("", text.strip()).strip()
    if not text:
        return []
    try:
        return [json.loads(text, strict=False)]
    except (ValueError, RecursionError):
        pass
    if "&quot;" in text or "&#34;" in text or "&#x22;" in text:
        text = html_lib.unescape(text)
    repaired = _repair_json(text)
    values: list[Any] = []
    decoder = json.JSONDecoder(strict=False)
    position = 0
    while position < len(repaired) and len(values) < 50:
        while position < len(repaired) and repaired[position] in " \t\r\n,;":
            position += 1
        if position >= len(repaired):
            break
        try:
            value, position = decoder.raw_decode(repaired, position)
        except (ValueError, RecursionError):
            next_start = _next_value_start(repaired, position + 1)
            if next_start is None:
                break
            position = next_start
            continue
        values.append(value)
    return values


def _next_value_start(text: str, start: int) -> int | None:
    found = [i for i in (text.find("{", start), text.find("[", start)) if i >= 0]
    return min(found) if found else None


def _repair_json(text: str) -> str:
    """Outside strings: drop // and /* */ comments and commas before ] or }; inside strings:
    escape raw control characters. A single pass that knows where strings are."""
    out: list[str] = []
    i, n = 0, len(text)
    in_string = False
    while i < n:
        char = text[i]
        if in_string:
            if char == "\\" and i + 1 < n:
                out.append(text[i:i + 2])
                i += 2
                continue
            if char == '"':
                in_string = False
            elif char < " ":
                out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, " "))
                i += 1
                continue
            out.append(char)
            i += 1
            continue
        if char == '"':
            in_string = True
        elif char == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif char == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        elif char == ",":
            j = i + 1
            while j < n and text[j] in " \t\r\n":
                j += 1
            if j < n and text[j] in "]}":
                i += 1
                continue
        out.append(char)
        i += 1
    return "".join(out)


def _walk(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every object in a JSON-LD value, parents before children (@graph, mainEntity, lists...)."""
    if depth > 12:
        return
    if isinstance(value, dict):
        yield value
        for child in value.values():
            if isinstance(child, dict | list):
                yield from _walk(child, depth + 1)
    elif isinstance(value, list):
        for child in value[:500]:
            yield from _walk(child, depth + 1)


def _recipes_in(values: list[Any]) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], str]:
    """The Recipe objects in JSON-LD values, the objects by @id (to follow references), and the
    site's name (a WebSite's or publishing Organization's)."""
    recipes: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    site = organization = ""
    count = 0
    for value in values:
        for item in _walk(value):
            count += 1
            if count > 20_000:
                break
            kinds = _types(item)
            node_id = item.get("@id")
            if isinstance(node_id, str) and len(item) > 1:
                by_id.setdefault(node_id, item)
            if "Recipe" in kinds:
                if not any(item is r for r in recipes):
                    recipes.append(item)
            elif "WebSite" in kinds and not site:
                site = _text(item.get("name"))
            elif "Organization" in kinds and not organization:
                organization = _text(item.get("name"))
    if not site:
        for recipe in recipes:
            publisher = _resolve(recipe.get("publisher"), by_id)
            if isinstance(publisher, dict):
                site = _text(publisher.get("name"))
                if site:
                    break
    return recipes, by_id, site or organization


def _resolve(value: Any, by_id: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and isinstance(value.get("@id"), str):
        return by_id.get(value["@id"], value)
    if isinstance(value, list):
        return [_resolve(v, by_id) for v in value[:1000]]
    return value


def _image(value: Any, by_id: dict[str, dict[str, Any]], base: str | None) -> str | None:
    """The first image URL of a string, a list, or an ImageObject (url or contentUrl)."""
    for item in _as_list(_resolve(value, by_id))[:20]:
        item = _resolve(item, by_id)
        if isinstance(item, dict):
            item = item.get("url") or item.get("contentUrl") or item.get("@id")
            if isinstance(item, list):
                item = item[0] if item else None
        if isinstance(item, str):
            url = _http_url(item, base)
            if url:
                return url
    return None


def _found_from_schema(recipe: dict[str, Any], by_id: dict[str, dict[str, Any]], base: str | None,
                       site: str = "") -> _Found:
    def get(*names: str) -> Any:
        for name in names:
            if recipe.get(name) not in (None, "", []):
                return _resolve(recipe[name], by_id)
        return None

    yield_value = get("recipeYield", "yield", "recipeServings")
    prep, cook, total = parse_minutes(get("prepTime")), parse_minutes(get("cookTime", "performTime")), \
        parse_minutes(get("totalTime"))
    return _Found(
        title=_text(get("name", "headline", "alternateName")),
        lines=_ingredient_lines(get("recipeIngredient", "ingredients", "ingredient")),
        steps=_steps(get("recipeInstructions", "instructions", "step")),
        yield_text=_yield_text(yield_value),
        servings=parse_servings(" ".join(_text(v) for v in _as_list(yield_value)[:1])) if yield_value else None,
        prep=prep, cook=cook, total=total,
        description=_text(get("description")),
        image=_image(get("image", "thumbnailUrl"), by_id, base),
        url=_http_url(get("url", "mainEntityOfPage"), base) if isinstance(get("url", "mainEntityOfPage"), str)
        else None,
        site=site,
        keywords=_keyword_list(get("recipeCategory"), get("recipeCuisine"), get("keywords")),
    )


def _best_recipe(recipes: list[dict[str, Any]]) -> dict[str, Any] | None:
    for recipe in recipes:
        if recipe.get("recipeIngredient") or recipe.get("ingredients") or recipe.get("recipeInstructions"):
            return recipe
    return recipes[0] if recipes else None


def _from_json_ld(html: str, base: str | None) -> _Found | None:
    values: list[Any] = []
    for block in _LD_SCRIPT.findall(html)[:50]:
        values.extend(_json_values(block))
    if not values:
        return None
    recipes, by_id, site = _recipes_in(values)
    recipe = _best_recipe(recipes)
    return _found_from_schema(recipe, by_id, base, site) if recipe is not None else None


# --------------------------------------------------------------------------------------------
# Microdata, and what any page says of itself
# --------------------------------------------------------------------------------------------

def _from_microdata(html: str, base: str | None) -> _Found | None:
    if "itemtype" not in html.lower():
        return None
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(html, "html.parser")
    scope = soup.find(lambda tag: tag.has_attr("itemtype") and re.search(
        r"schema\.org/Recipe\b", " ".join(_as_list(tag.get("itemtype"))), re.I) is not None)
    if not isinstance(scope, Tag):
        return None

    props: dict[str, list[Tag]] = {}
    for tag in scope.find_all(True, attrs={"itemprop": True}):
        owner = tag.find_parent(attrs={"itemscope": True})
        if owner is not scope:
            continue
        for name in str(tag.get("itemprop") or "").split():
            props.setdefault(name, []).append(tag)

    def value(tag: Tag) -> str:
        for attribute in ("content", "datetime", "value"):
            if tag.has_attr(attribute):
                return str(tag.get(attribute))
        if tag.name in ("img", "source", "audio", "video"):
            return str(tag.get("src") or "")
        if tag.name in ("a", "link", "area"):
            return str(tag.get("href") or "")
        return tag.get_text(" ", strip=True)

    def first(*names: str) -> str:
        for name in names:
            for tag in props.get(name, []):
                text = value(tag)
                if text.strip():
                    return text
        return ""

    def block_lines(tag: Tag) -> list[str]:
        if tag.has_attr("itemscope"):
            inner = tag.find(True, attrs={"itemprop": "text"})
            return [_text(value(inner) if isinstance(inner, Tag) else tag.get_text(" ", strip=True))]
        items = tag.find_all("li") if tag.name in ("ol", "ul", "div", "section") else []
        if items:
            return [t for t in (_text(li.get_text(" ", strip=True)) for li in items) if t]
        paragraphs = tag.find_all("p")
        if paragraphs:
            return [t for t in (_text(p.get_text(" ", strip=True)) for p in paragraphs) if t]
        return _split_step_text(tag.decode_contents())

    lines: list[str] = []
    for name in ("recipeIngredient", "ingredients"):
        for tag in props.get(name, []):
            lines.extend(block_lines(tag) if tag.name in ("ul", "ol") else _ingredient_lines(value(tag)))
        if lines:
            break
    steps: list[str] = []
    for tag in props.get("recipeInstructions", []) + props.get("instructions", []):
        steps.extend(s for s in (_STEP_PREFIX.sub("", step).strip() for step in block_lines(tag))
                     if s and not _section_title(s))
    image = None
    for tag in props.get("image", []):
        image = _http_url(value(tag), base)
        if image:
            break
    return _Found(
        title=_text(first("name")),
        lines=lines,
        steps=steps,
        yield_text=_yield_text(first("recipeYield", "yield")),
        prep=parse_minutes(first("prepTime")),
        cook=parse_minutes(first("cookTime")),
        total=parse_minutes(first("totalTime")),
        description=_text(first("description")),
        image=image,
        keywords=_keyword_list(*(value(t) for n in ("recipeCategory", "recipeCuisine", "keywords")
                                 for t in props.get(n, []))),
    )


_META = re.compile(r"<meta\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_TITLE_TAG = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)


def _page_meta(html: str) -> dict[str, str]:
    """og:title, og:site_name, og:image, og:url and the like from <meta> tags, and the <title>."""
    found: dict[str, str] = {}
    for tag in _META.findall(html[:500_000])[:400]:
        attributes = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
                      for m in _ATTRIBUTE.finditer(tag)}
        key = (attributes.get("property") or attributes.get("name") or "").lower()
        if key and "content" in attributes:
            found.setdefault(key, attributes["content"])
    title = _TITLE_TAG.search(html[:500_000])
    if title:
        found.setdefault("<title>", title.group(1))
    return found


# --------------------------------------------------------------------------------------------
# recipe-scrapers
# --------------------------------------------------------------------------------------------

def _from_scraper(html: str, url: str | None) -> _Found | None:
    """What recipe-scrapers reads, each field on its own (any of them may raise)."""
    try:
        from recipe_scrapers import scrape_html

        scraper = scrape_html(html, org_url=url or "http://localhost/", supported_only=False)
    except Exception:  # a page it cannot read is for the fallback reader
        return None

    def get(name: str) -> Any:
        try:
            return getattr(scraper, name)()
        except Exception:  # every accessor may raise on a page it does not know
            return None

    lines: list[str] = []
    groups = get("ingredient_groups")
    if isinstance(groups, list) and any(getattr(g, "purpose", None) for g in groups):
        for group in groups:
            purpose = _text(getattr(group, "purpose", None))
            if purpose:
                lines.append(purpose if purpose.endswith(":") else purpose + ":")
            lines.extend(_ingredient_lines(getattr(group, "ingredients", None)))
    else:
        lines = _ingredient_lines(get("ingredients"))
    instructions = get("instructions_list")
    steps = [s for s in (_STEP_PREFIX.sub("", _text(step)).strip() for step in _as_list(instructions)) if s]
    yields = get("yields")
    minutes = {name: get(name) for name in ("prep_time", "cook_time", "total_time")}
    return _Found(
        title=_text(get("title")),
        lines=lines,
        steps=[s for s in steps if not _section_title(s)],
        yield_text=_yield_text(yields),
        prep=parse_minutes(minutes["prep_time"]),
        cook=parse_minutes(minutes["cook_time"]),
        total=parse_minutes(minutes["total_time"]),
        description=_text(get("description")),
        image=_http_url(get("image"), url),
        site=_text(get("site_name")),
        keywords=_keyword_list(get("category"), get("cuisine"), get("keywords")),
    )


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------

def draft_from_html(html: str, url: str | None = None) -> RecipeDraft:
    """The recipe on a page. recipe-scrapers reads it first; this module's own reader of JSON-LD
    and microdata fills every field it left empty, reads the whole recipe when recipe-scrapers
    cannot (broken JSON-LD), and gives the steps (recipe-scrapers mixes HowToSection and HowToStep
    names into them), the yield as written and the image (it follows "@id" references to an
    ImageObject). No recipe: ImportRefused("no-recipe")."""
    if not isinstance(html, str):
        raise ImportRefused("not-html", N_("That is not a web page."))
    if len(html) > MAX_HTML_CHARS:
        raise ImportRefused("too-large", f"That page is larger than {MAX_HTML_CHARS // 1_000_000} million "
                                         "characters, more than a recipe page needs.")
    html = _SURROGATE.sub("\ufffd", html)  # lone surrogates (from a bad decode) break every parser
    base = url if url and _http_url(url, None) else None
    ours = _from_json_ld(html, base)
    if ours is None or not ours.has_recipe():
        ours = _from_microdata(html, base) or ours
    theirs = _from_scraper(html, base)
    if theirs is not None and theirs.has_recipe():
        found = theirs
        if ours is not None and ours.has_recipe():
            if ours.steps:
                found.steps = ours.steps
            for name in ("title", "yield_text", "description", "image", "site", "url"):
                if getattr(ours, name) and (name in ("yield_text", "image") or not getattr(found, name)):
                    setattr(found, name, getattr(ours, name))
            for name in ("prep", "cook", "total", "servings"):
                if getattr(found, name) is None:
                    setattr(found, name, getattr(ours, name))
            if not found.lines:
                found.lines = ours.lines
            if not found.keywords:
                found.keywords = ours.keywords
    elif ours is not None and ours.has_recipe():
        found = ours
    else:
        raise ImportRefused("no-recipe", N_("No recipe found on that page: it has no recipe markup (schema.org "
                                            "Recipe) to read. Try pasting the recipe's text instead."))
    meta = _page_meta(html) if not (found.title and found.site and found.image) else {}
    if not found.title:
        found.title = _text(meta.get("og:title") or meta.get("twitter:title") or meta.get("<title>"))
    if not found.site:
        found.site = _text(meta.get("og:site_name") or meta.get("application-name"))
    if not found.image:
        found.image = _http_url(meta.get("og:image"), base)
    found.url = base or found.url
    try:
        return _finish(found)
    except ImportRefused:
        raise ImportRefused("no-recipe", N_("No recipe found on that page: its recipe markup has no ingredients "
                                            "and no method.")) from None


def draft_from_url(url: str, rules: FetchRules) -> RecipeDraft:
    """The recipe on the page at `url`, fetched by fetch_page under `rules`."""
    final_url, html = fetch_page(url, rules)
    return draft_from_html(html, final_url)


# --------------------------------------------------------------------------------------------
# Fetching, safely
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str  # ASCII (IDNA), no brackets
    port: int
    path: str


_HOST_CHARS = re.compile(r"^[A-Za-z0-9.\-_]+$")


def _target(url: Any) -> _Target:
    bad = ImportRefused("bad-address", N_("That is not a web address we can read: it should start with "
                                          "http:// or https:// and name a site."))
    if not isinstance(url, str):
        raise bad
    url = url.strip()
    if not url or len(url) > MAX_URL_CHARS or re.search(r"[\x00-\x20\x7f]", url):
        raise bad
    try:
        parts = urlsplit(url)
        port = parts.port
        hostname = parts.hostname
    except ValueError:
        raise bad from None
    if parts.scheme.lower() not in ("http", "https") or not hostname:
        raise bad
    if parts.username is not None or parts.password is not None:
        raise ImportRefused("bad-address", N_("Web addresses with a user name or password in them are not read."))
    host = hostname if _is_ip(hostname) else _idna(hostname)
    if host is None:
        raise bad
    scheme = parts.scheme.lower()
    path = quote(parts.path or "/", safe="/%;:@&=+$,!~*'()-._")
    if parts.query:
        path += "?" + quote(parts.query, safe="/%;:@&=+$,!~*'()-._?")
    return _Target(url=url, scheme=scheme, host=host, port=port or (443 if scheme == "https" else 80), path=path)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def _idna(hostname: str) -> str | None:
    """A host name in ASCII, or None when it is no host name."""
    try:
        host = hostname.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return host if host and _HOST_CHARS.match(host) and len(host) <= 253 else None


def _connect(address: str, port: int, timeout: float | None) -> socket.socket:
    """A TCP connection to `address` (an IP address, never looked up again)."""
    if "%" in address:  # a scoped IPv6 address (allowed only with allow_private): let the system read the scope
        return socket.create_connection((address, port), timeout)
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect((address, port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except BaseException:
        sock.close()
        raise
    return sock


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return _public(address.ipv4_mapped)
        if address.sixtofour is not None:
            return _public(address.sixtofour)
        if address in _NAT64:
            return _public(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return address.is_global and not (
        address.is_private or address.is_loopback or address.is_link_local or address.is_multicast
        or address.is_reserved or address.is_unspecified)


def _allowed(address: str, rules: FetchRules) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if rules.allow_private or _public(ip):
        return True
    for network in rules.allow_addresses:
        try:
            if ip in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            continue
    return False


def _resolve_host(host: str, port: int, deadline: float) -> list[str]:
    """The addresses of `host`, looked up once (within the deadline: a lookup may hang)."""
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
        return [host]
    except ValueError:
        pass
    answer: list[Any] = []

    def look_up() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP))
        except (OSError, UnicodeError) as exc:
            answer.append(exc)

    worker = threading.Thread(target=look_up, name="recipe-import-dns", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    if not answer:
        raise ImportRefused("timeout", f"Looking up the site {host} took too long.")
    if isinstance(answer[0], BaseException):
        raise ImportRefused("bad-address", f"We could not find the site {host}. Check the address.")
    addresses: list[str] = []
    for _family, _kind, _proto, _name, sockaddr in answer[0]:
        if sockaddr and isinstance(sockaddr[0], str) and sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    if not addresses:
        raise ImportRefused("bad-address", f"We could not find the site {host}. Check the address.")
    return addresses


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to an address already checked; the Host header still names the site."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address
        self.raw: socket.socket | None = None

    def connect(self) -> None:
        self.raw = _connect(self.address, self.port, self.timeout)
        self.sock = self.raw


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to an address already checked, the certificate checked against the site's name (SNI)."""

    def __init__(self, host: str, port: int, address: str, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self.address = address
        self.tls = context
        self.raw: socket.socket | None = None

    def connect(self) -> None:
        plain = _connect(self.address, self.port, self.timeout)
        try:
            self.raw = self.tls.wrap_socket(plain, server_hostname=self.host)
        except BaseException:
            plain.close()
            raise
        self.sock = self.raw


_REDIRECTS = {301, 302, 303, 307, 308}
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_CHUNK = 64 * 1024


def _remaining(deadline: float, url: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise ImportRefused("timeout", f"The page at {url} took too long to answer.")
    return left


def fetch_page(url: str, rules: FetchRules) -> tuple[str, str]:
    """(final URL, HTML) of the page at `url`. Only http and https; every address, the first and
    each redirect's, is resolved once, checked (no loopback, private, link-local, multicast,
    reserved or unspecified address unless the rules allow it) and connected to as checked. The
    body is read in chunks and refused past max_bytes; the whole fetch has timeout_s."""
    deadline = time.monotonic() + rules.timeout_s
    current = url
    for _hop in range(rules.max_redirects + 1):
        target = _target(current)
        status, reason, headers, body = _get(target, rules, deadline)
        if status in _REDIRECTS:
            location = headers.get("Location")
            if not location:
                raise ImportRefused("http-error", f"The page answered {status} ({reason}) without saying where to.")
            current = urljoin(target.url, location.strip())
            continue
        return target.url, body
    raise ImportRefused("http-error", f"The page sent us on more than {rules.max_redirects} redirects; "
                                      "try the address the browser ends up at.")


def _get(target: _Target, rules: FetchRules, deadline: float) -> tuple[int, str, http.client.HTTPMessage, str]:
    addresses = _resolve_host(target.host, target.port, deadline)
    refused = [a for a in addresses if not _allowed(a, rules)]
    if refused:
        raise ImportRefused("not-allowed", f"The address {target.host} is on a private or local network; "
                                           "only public web pages can be read.")
    last_error: Exception | None = None
    for address in addresses:
        timeout = _remaining(deadline, target.url)
        connection: _PinnedHTTP | _PinnedHTTPS
        if target.scheme == "https":
            connection = _PinnedHTTPS(target.host, target.port, address, timeout, ssl.create_default_context())
        else:
            connection = _PinnedHTTP(target.host, target.port, address, timeout)
        try:
            connection.connect()
        except TimeoutError:
            connection.close()
            raise ImportRefused("timeout", f"The site {target.host} took too long to answer.") from None
        except OSError as exc:
            connection.close()
            last_error = exc
            continue
        try:
            return _exchange(connection, target, rules, deadline)
        finally:
            connection.close()
    if isinstance(last_error, ssl.SSLError):
        raise ImportRefused("http-error", f"The site {target.host} has no valid secure connection.")
    raise ImportRefused("http-error", f"Could not connect to {target.host}.")


def _exchange(connection: _PinnedHTTP | _PinnedHTTPS, target: _Target, rules: FetchRules,
              deadline: float) -> tuple[int, str, http.client.HTTPMessage, str]:
    raw = connection.raw
    try:
        connection.request("GET", target.path, headers={
            "User-Agent": rules.user_agent,
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
            "Accept-Encoding": "gzip",
            "Accept-Language": "en;q=0.9,*;q=0.5",
            "Connection": "close",
        })
        response = connection.getresponse()
        status, reason, headers = response.status, response.reason, response.headers
        if status in _REDIRECTS:
            return status, reason, headers, ""
        if not 200 <= status < 300:
            raise ImportRefused("http-error", f"The page answered {status} ({reason or 'error'}) instead of a "
                                              "recipe. Check the address.")
        declared_type = headers.get("Content-Type")
        content_type = headers.get_content_type() if declared_type else "text/html"
        if content_type not in _HTML_TYPES:
            raise ImportRefused("not-html", f"That address gives {content_type}, not a web page.")
        length = headers.get("Content-Length")
        if length and length.strip().isdigit() and int(length) > rules.max_bytes:
            raise _too_large(rules)
        encoding = (headers.get("Content-Encoding") or "").strip().lower()
        if encoding not in ("", "identity", "gzip", "x-gzip"):
            raise ImportRefused("http-error", f"The page came compressed as {encoding[:20]}, which we cannot read.")
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding in ("gzip", "x-gzip") else None
        body = bytearray()
        while True:
            left = _remaining(deadline, target.url)
            if raw is not None:
                raw.settimeout(left)
            chunk = response.read1(_CHUNK)  # what has come, not a blocking wait for a full chunk
            if not chunk:
                break
            if inflate is not None:
                chunk = inflate.decompress(chunk, rules.max_bytes + 1 - len(body))
            body += chunk
            if len(body) > rules.max_bytes:
                raise _too_large(rules)
        return status, reason, headers, _decode(bytes(body), headers.get_content_charset())
    except ImportRefused:
        raise
    except TimeoutError:
        raise ImportRefused("timeout", f"The page at {target.url} took too long to answer.") from None
    except zlib.error:
        raise ImportRefused("http-error", N_("The page's compressed answer could not be read.")) from None
    except (http.client.HTTPException, OSError) as exc:
        log.info("recipe import: fetching %s failed: %r", target.url, exc)
        raise ImportRefused("http-error", f"The page at {target.host} could not be read: the connection "
                                          "failed.") from None


def _too_large(rules: FetchRules) -> ImportRefused:
    return ImportRefused("too-large", f"That page is larger than {rules.max_bytes:,} bytes, more than a "
                                      "recipe page needs.")


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# What browsers decode these as (the WHATWG Encoding Standard): the Windows superset.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
                    "us-ascii": "cp1252", "ascii": "cp1252", "iso-8859-9": "cp1254", "x-user-defined": "cp1252"}


def _decode(body: bytes, header_charset: str | None) -> str:
    """HTML text: the byte-order mark, else the header's charset, else a <meta> charset, else UTF-8;
    bytes that do not decode are replaced."""
    for bom, bom_codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                           (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(bom_codec, errors="replace")
    candidates = [header_charset]
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "ignore"))
    for charset in candidates:
        if not charset:
            continue
        name = _CHARSET_ALIASES.get(charset.strip().lower(), charset.strip().lower())
        try:
            codec = codecs.lookup(name)
        except LookupError:
            continue
        if codec.name.startswith("utf-16") or codec.name.startswith("utf-32"):
            continue  # a page that says so without a BOM is lying: it was ASCII-compatible to be read at all
        return body.decode(codec.name, errors="replace")
    return body.decode("utf-8", errors="replace")


def decode_page(body: bytes, content_type: str | None = None) -> str:
    """A saved page's bytes as text, decoded as fetch_page decodes (for pages uploaded as files)."""
    charset = None
    if content_type:
        match = re.search(r"charset\s*=\s*\"?([\w.:-]+)", content_type, re.I)
        charset = match.group(1) if match else None
    return _decode(body, charset)


# --------------------------------------------------------------------------------------------
# Pasted text
# --------------------------------------------------------------------------------------------

_HEADINGS = (
    ("ingredients", re.compile(
        r"^(?:ingredients?\b[^.:]{0,30}|ingredient list|shopping list|(?:what )?you(?:'|’)?ll need|"
        r"(?:what )?you will need|what you need|you need)$")),
    ("method", re.compile(
        r"^(?:method|instructions?|directions?|steps?|preparation|prep|how to make(?: it| them)?|"
        r"cooking instructions|cooking method|procedure|the method|to make)$")),
    ("notes", re.compile(
        r"^(?:notes?|tips?|cook(?:'|’)?s notes?|recipe notes?|chef(?:'|’)?s notes?|"
        r"nutrition(?: information| facts| per serving)?|storage|to store|variations?|equipment)$")),
)
_LABELLED = re.compile(r"^(?P<label>[^:]{2,40}):\s*(?P<rest>.*)$")
_YIELD_LABEL = re.compile(
    r"^(?:serves|servings?|serving size|yields?|makes|portions?|feeds|quantity)\b\s*[:\-–]?\s*(?P<v>.+)$", re.I)
_TIME_LABEL = re.compile(r"^(?P<k>prep(?:aration)?|active|hands[- ]on|cook(?:ing)?|bake|baking|total|ready in|"
                         r"time)\b(?:\s*time)?\s*[:\-–]?\s*(?P<v>.+)$", re.I)
_DURATION_ONLY = re.compile(r"^(?:about|approx\.?|around|roughly|~)?\s*(?:[\d\s.,½¼¾⅓⅔/\-–]|to\b|and\b|an?\b|half\b|"
                            r"hours?\b|hrs?\b|h\b|minutes?\b|mins?\b|m\b|seconds?\b|secs?\b|days?\b|pt\w*)+$", re.I)
_AMOUNT_START = re.compile(
    r"^(?:\d|[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]|(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|half|"
    r"a few|few|several|some|pinch|handful|dash|splash|drizzle|knob|sprig|sprigs|bunch|clove|cloves|"
    r"large|small|medium|juice|zest|salt|pepper|sea salt|black pepper|freshly|olive oil|oil|butter|"
    r"fresh|chopped|grated|optional)\b)", re.I)
_VERB_START = re.compile(
    r"^(?:heat|preheat|add|stir|mix|bake|cook|put|place|fry|boil|simmer|serve|season|whisk|pour|tip|chop|"
    r"slice|combine|bring|remove|transfer|leave|cover|roast|grill|melt|beat|fold|spoon|scatter|sprinkle|"
    r"drain|rinse|soak|blend|toss|cut|peel|warm|line|grease|sift|knead|roll|spread|top|divide|return|"
    r"reduce|turn|lower|set|let|allow|meanwhile|once|when|while|finally|then|next|to serve|taste|check|"
    r"squeeze|crack|break|make|prepare|wash|dry|pat|brush|shape|form|arrange|layer|assemble|garnish|enjoy|"
    r"fill|cool|chill|refrigerate|freeze|store|steam|saute|sauté|brown|sear|deglaze|scrape|flip|in a)\b", re.I)


def _heading_of(line: str) -> str | None:
    plain = line.strip().strip("#*=_~").strip()
    plain = re.sub(r"\s*[:：]\s*$", "", plain)
    plain = re.sub(r"\s*\([^)]*\)\s*$", "", plain).strip().lower()
    if not plain or len(plain) > 40:
        return None
    for kind, pattern in _HEADINGS:
        if pattern.match(plain):
            return kind
    return None


def _meta_line(line: str, found: _Found) -> bool:
    """Take "Serves 4", "Prep time: 15 mins", "Serves 4 | Cook 40 mins" into `found`; False if
    the line is anything else."""
    if len(line) > 120:
        return False
    pieces = [p.strip() for p in re.split(r"\s+[|•·/]\s+|\s{3,}|;\s*", line) if p.strip()]
    readings: list[tuple[str, Any]] = []
    for piece in pieces:
        piece = re.sub(r"[*_]{2,}|^[*_]|[*_]$", "", piece).strip()
        yielded = _YIELD_LABEL.match(piece)
        if yielded and parse_servings(yielded.group("v")) is not None:
            readings.append(("yield", piece))
            continue
        timed = _TIME_LABEL.match(piece)
        if timed and _DURATION_ONLY.match(timed.group("v").strip()):
            minutes = parse_minutes(timed.group("v"))
            if minutes is not None:
                readings.append((timed.group("k").lower(), minutes))
                continue
        return False
    if not readings:
        return False
    for kind, reading in readings:
        if kind == "yield":
            found.yield_text = found.yield_text or str(reading)
        elif kind.startswith(("prep", "active", "hands")):
            found.prep = found.prep or reading
        elif kind.startswith(("cook", "bak")):
            found.cook = found.cook or reading
        else:
            found.total = found.total or reading
    return True


def _looks_like_step(line: str) -> bool:
    if re.match(r"^(?:step\s*\d+|\d{1,2}\s*[.)]\s+[^\W\d_])", line, re.I):
        return True
    words = len(line.split())
    if _VERB_START.match(line) and not _AMOUNT_START.match(line):
        return True
    return words >= 10 or (line.endswith((".", "!")) and words >= 5)


def _looks_like_ingredient(line: str) -> bool:
    return (bool(_AMOUNT_START.match(line)) and len(line) <= 120) or (len(line.split()) <= 6 and not line.endswith("."))


def draft_from_text(text: str) -> RecipeDraft:
    """A recipe pasted as text: a title line, then an "Ingredients" block and a "Method" (or
    Instructions, Directions, Steps...) block, with "Serves 4" and "Prep time: 10 mins" lines
    anywhere. Bullets, numbering and "Step 1" are taken off. Without headings, lines that start
    with an amount (or are short, before the first step) are ingredients and the rest are steps.
    Lines after a Notes heading go into the description."""
    if not isinstance(text, str):
        raise ImportRefused("no-recipe", N_("Paste the recipe's text."))
    if len(text) > MAX_TEXT_CHARS:
        raise ImportRefused("too-large", f"That text is longer than {MAX_TEXT_CHARS:,} characters, more than a "
                                         "recipe needs.")
    lines = [line for line in _text(text, keep_lines=True).split("\n") if line.strip()]
    if not lines:
        raise ImportRefused("no-recipe", N_("There is no text to read: paste the recipe's title, ingredients "
                                            "and method."))
    found = _Found()
    has_headings = any(_heading_of(line) for line in lines)
    section = "top"
    description: list[str] = []
    notes: list[str] = []
    numbered_method = False
    for raw in lines:
        heading = _heading_of(raw)
        if heading:
            section = heading
            continue
        line = raw.strip()
        if section != "method" and _meta_line(_BULLET.sub("", line), found):
            continue
        if section == "top" and not found.title:
            found.title = _BULLET.sub("", line).strip("#*_ ").strip()
            continue
        if section == "notes":
            notes.append(line)
            continue
        if section == "ingredients":
            item = _BULLET.sub("", line).strip()
            if item.lower().startswith("for the ") and len(item) <= 60 and not item.endswith(":"):
                item += ":"
            found.lines.append(item)
            continue
        if section == "method":
            numbered = bool(re.match(r"^(?:step\s*\d+|\d{1,2}\s*[.)])", line, re.I))
            numbered_method = numbered_method or numbered
            if numbered_method and not numbered and found.steps and not _BULLET.match(line) \
                    and not _section_title(line) and line[:1].islower():
                found.steps[-1] += " " + line  # a step wrapped over two lines
            else:
                found.steps.extend(_split_step_text(line))
            continue
        # "top" after the title, with or without headings: guess from the line's shape
        item = _BULLET.sub("", line).strip()
        if not found.steps and not _looks_like_step(line) and _looks_like_ingredient(item):
            if has_headings and not _AMOUNT_START.match(item) and not found.lines:
                description.append(line)  # a sentence under the title, before the ingredients heading
            else:
                found.lines.append(item)
        elif not found.lines and not found.steps and has_headings:
            description.append(line)
        elif not found.lines and not found.steps and not _looks_like_step(line):
            description.append(line)
        else:
            found.steps.extend(_split_step_text(line))
    found.description = " ".join(description + notes)
    if not found.lines and not found.steps:
        raise ImportRefused("no-recipe", N_("No recipe found in that text: it needs ingredient lines or method "
                                            "steps (headings like \"Ingredients\" and \"Method\" help)."))
    return _finish(found)


# --------------------------------------------------------------------------------------------
# Export files
# --------------------------------------------------------------------------------------------

_BAD_FILE = "That file could not be read as a recipe export (schema.org JSON, Mealie or Tandoor)."


@dataclass
class _Budget:
    """What is left to unpack, over a zip and the zips inside it."""

    entries: int = MAX_ZIP_ENTRIES
    bytes: int = MAX_ZIP_TOTAL


def _open_zip(data: bytes, budget: _Budget) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, NotImplementedError):
        raise ImportRefused("bad-file", N_("That zip file is damaged and cannot be opened.")) from None
    budget.entries -= len(entries)
    if budget.entries < 0:
        raise ImportRefused("too-large", f"That zip file holds more than {MAX_ZIP_ENTRIES:,} files, more than "
                                         "a recipe export needs.")
    total = sum(max(0, entry.file_size) for entry in entries)
    budget.bytes -= total
    if budget.bytes < 0:
        raise ImportRefused("too-large", f"That zip file unpacks to more than {MAX_ZIP_TOTAL // 1_000_000} MB, "
                                         "more than a recipe export needs.")
    for entry in entries:
        name = entry.filename.replace("\\", "/")
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in name.split("/") or "\x00" in name:
            raise ImportRefused("bad-file", f"That zip file has a file outside its own folders ({entry.filename!r}); "
                                            "it is not read.")
    return archive


def _read_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limit: int) -> bytes:
    if entry.flag_bits & 0x1:
        raise ImportRefused("bad-file", N_("That zip file is encrypted."))
    if entry.file_size > limit:
        raise ImportRefused("too-large", f"{entry.filename} is larger than a recipe needs.")
    try:
        with archive.open(entry) as stream:
            data = stream.read(limit + 1)
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError, RuntimeError, zlib.error):
        raise ImportRefused("bad-file", f"{entry.filename} in that zip file is damaged.") from None
    if len(data) > limit:
        raise ImportRefused("too-large", f"{entry.filename} is larger than a recipe needs.")
    return data


def _load_json(data: bytes) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    try:
        return json.loads(text, strict=False)
    except (ValueError, RecursionError):
        values = _json_values(text)
        if not values:
            raise ImportRefused("bad-file", _BAD_FILE) from None
        return values if len(values) > 1 else values[0]


def drafts_from_file(name: str, data: bytes) -> list[RecipeDraft]:
    """The recipes in an uploaded file: schema.org Recipe JSON (an object, a list, or @graph),
    a Mealie export (a zip of recipes/<slug>/<slug>.json, or one Mealie recipe's JSON), a Tandoor
    export (a zip of zips each holding recipe.json, or one of those zips), a saved web page, or a
    text file. A recipe in an export that cannot be read is skipped; none at all is refused."""
    if not isinstance(data, bytes | bytearray):
        raise ImportRefused("bad-file", _BAD_FILE)
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused("too-large", f"That file is larger than {MAX_FILE_BYTES // 1_000_000} MB, more "
                                         "than a recipe export needs.")
    data = bytes(data)
    lowered = (name or "").lower()
    budget = _Budget()
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        drafts = _drafts_from_zip(data, budget, depth=0)
    elif lowered.endswith((".html", ".htm", ".xhtml")) or data.lstrip()[:1] == b"<":
        drafts = [draft_from_html(decode_page(data))]
    elif lowered.endswith((".txt", ".text", ".md")):
        drafts = [draft_from_text(decode_page(data))]
    else:
        drafts = _drafts_from_json(_load_json(data))
    if not drafts:
        raise ImportRefused("no-recipe", N_("No recipes found in that file. It should be a schema.org recipe "
                                            "(JSON), or an export from Mealie or Tandoor."))
    return drafts


def _drafts_from_zip(data: bytes, budget: _Budget, depth: int) -> list[RecipeDraft]:
    if depth > 1:
        raise ImportRefused("bad-file", N_("That zip file nests zips too deeply to be a recipe export."))
    archive = _open_zip(data, budget)
    drafts: list[RecipeDraft] = []
    errors: list[ImportRefused] = []

    def attempt(read: Callable[[], list[RecipeDraft]]) -> None:
        try:
            drafts.extend(read())
        except ImportRefused as exc:
            if exc.reason == "too-large" or (exc.reason == "bad-file" and "outside its own" in exc.message):
                raise
            errors.append(exc)

    with archive:
        entries = [e for e in archive.infolist() if not e.is_dir()]
        names = {e.filename.replace("\\", "/"): e for e in entries}
        mealie = sorted((e for n, e in names.items() if _is_mealie_entry(n)), key=lambda e: e.filename)
        for entry in mealie:
            attempt(partial(_mealie_entry, archive, entry))
        if not mealie:
            recipe_json = names.get("recipe.json")
            if recipe_json is not None:  # one Tandoor recipe
                attempt(partial(_tandoor_entry, archive, recipe_json))
            for name, entry in sorted(names.items()):
                lowered = name.lower()
                if name.startswith("__MACOSX/"):
                    continue
                if lowered.endswith(".zip"):
                    attempt(partial(_drafts_from_zip, _read_entry(archive, entry, MAX_FILE_BYTES), budget, depth + 1))
                elif lowered.endswith(".json") and name != "recipe.json":
                    attempt(partial(_json_entry, archive, entry))
                elif lowered.endswith((".html", ".htm")):
                    attempt(partial(_html_entry, archive, entry))
    if not drafts and errors:
        raise errors[0]
    return drafts


def _mealie_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> list[RecipeDraft]:
    return [_draft_from_mealie(_load_json(_read_entry(archive, entry, MAX_JSON_BYTES)))]


def _tandoor_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> list[RecipeDraft]:
    return [_draft_from_tandoor(_load_json(_read_entry(archive, entry, MAX_JSON_BYTES)))]


def _json_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> list[RecipeDraft]:
    return _drafts_from_json(_load_json(_read_entry(archive, entry, MAX_JSON_BYTES)))


def _html_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> list[RecipeDraft]:
    return [draft_from_html(decode_page(_read_entry(archive, entry, MAX_JSON_BYTES)))]


def _is_mealie_entry(name: str) -> bool:
    parts = name.split("/")
    return (len(parts) >= 3 and parts[-3] == "recipes" and parts[-1].endswith(".json")
            and parts[-1][:-5] == parts[-2])


def _drafts_from_json(value: Any) -> list[RecipeDraft]:
    """Recipes in parsed JSON: schema.org, a Mealie recipe, a Tandoor recipe, or a list of them."""
    items = value if isinstance(value, list) else [value]
    drafts: list[RecipeDraft] = []
    errors: list[ImportRefused] = []
    schema_values: list[Any] = []
    for item in items[:MAX_ZIP_ENTRIES]:
        if not isinstance(item, dict):
            continue
        try:
            if _is_tandoor(item):
                drafts.append(_draft_from_tandoor(item))
            elif _is_mealie(item):
                drafts.append(_draft_from_mealie(item))
            else:
                schema_values.append(item)
        except ImportRefused as exc:
            errors.append(exc)
    if schema_values:
        recipes, by_id, site = _recipes_in(schema_values)
        for recipe in recipes:
            try:
                drafts.append(_finish(_found_from_schema(recipe, by_id, None, site)))
            except ImportRefused as exc:
                errors.append(exc)
    if not drafts and errors:
        raise errors[0]
    return drafts


def _is_tandoor(item: dict[str, Any]) -> bool:
    steps = item.get("steps")
    return isinstance(steps, list) and "@type" not in item and (
        "working_time" in item or "waiting_time" in item or "servings_text" in item
        or any(isinstance(s, dict) and "instruction" in s for s in steps[:5]))


def _is_mealie(item: dict[str, Any]) -> bool:
    if "@type" in item or "@context" in item or "@graph" in item:
        return False
    return any(key in item for key in ("recipeIngredient", "recipe_ingredient", "recipeInstructions",
                                       "recipe_instructions")) and ("name" in item or "slug" in item)


def _amount(value: Any) -> str:
    """"200.000" -> "200", 0.5 -> "0.5", 0 or nothing -> ""."""
    if value is None or isinstance(value, bool):
        return ""
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        return _text(value)
    if number != number or number <= 0:
        return ""
    return str(int(number)) if number.is_integer() else f"{number:.3f}".rstrip("0").rstrip(".")


def _named(value: Any) -> str:
    return _text(value.get("name")) if isinstance(value, dict) else _text(value)


def _draft_from_mealie(recipe: Any) -> RecipeDraft:
    """One Mealie recipe (v1+ camelCase, or the older snake_case): recipeIngredient items are
    {title, note, display, originalText, quantity, unit, food}; a title starts a section."""
    if not isinstance(recipe, dict):
        raise ImportRefused("bad-file", _BAD_FILE)

    def get(*names: str) -> Any:
        for name in names:
            if recipe.get(name) not in (None, "", []):
                return recipe[name]
        return None

    lines: list[str] = []
    for item in _as_list(get("recipeIngredient", "recipe_ingredient"))[: MAX_LINES * 2]:
        if isinstance(item, dict):
            title = _text(item.get("title"))
            if title:
                lines.append(title if title.endswith(":") else title + ":")
            unit = item.get("unit")
            unit_name = (_text(unit.get("abbreviation")) or _named(unit)) if isinstance(unit, dict) else _text(unit)
            composed = " ".join(p for p in (_amount(item.get("quantity")), unit_name, _named(item.get("food"))) if p)
            note = _text(item.get("note"))
            if composed and item.get("food"):
                composed = f"{composed}, {note}" if note else composed
            else:
                composed = ""
            line = (_text(item.get("display")) or _text(item.get("originalText") or item.get("original_text"))
                    or composed or note)
            if line:
                lines.append(line)
        else:
            lines.extend(_ingredient_lines(item))
    steps: list[str] = []
    for item in _as_list(get("recipeInstructions", "recipe_instructions"))[: MAX_STEPS * 2]:
        if isinstance(item, dict):
            steps.extend(_split_step_text(_text(item.get("text"), keep_lines=True)) if item.get("text") else [])
        else:
            steps.extend(_split_step_text(_text(item, keep_lines=True)))
    yield_text = _yield_text(get("recipeYield", "recipe_yield"))
    servings = get("recipeServings", "recipe_servings")
    image = get("image")
    return _finish(_Found(
        title=_text(get("name")) or _text(get("slug")),
        lines=lines,
        steps=steps,
        yield_text=yield_text,
        servings=int(servings) if isinstance(servings, int | float) and 0 < servings <= MAX_SERVINGS else None,
        prep=parse_minutes(get("prepTime", "prep_time")),
        cook=parse_minutes(get("performTime", "perform_time", "cookTime", "cook_time")),
        total=parse_minutes(get("totalTime", "total_time")),
        description=_text(get("description")),
        image=image if isinstance(image, str) and image.startswith(("http://", "https://")) else None,
        url=_http_url(get("orgURL", "org_url", "orgUrl"), None),
        site="Mealie",
        keywords=[_named(k) for k in _as_list(get("recipeCategory", "recipe_category"))]
        + [_named(k) for k in _as_list(get("tags"))],
    ))


def _order(item: dict[str, Any]) -> int:
    order = item.get("order")
    return order if isinstance(order, int) else 0


def _draft_from_tandoor(recipe: Any) -> RecipeDraft:
    """One Tandoor recipe.json: steps [{name, instruction, ingredients [{amount, unit {name},
    food {name}, note, is_header, no_amount, original_text}]}], servings, working_time and
    waiting_time in minutes. A named step's ingredients get its name as a section header when
    more than one step has ingredients."""
    if not isinstance(recipe, dict):
        raise ImportRefused("bad-file", _BAD_FILE)
    steps_data = [s for s in _as_list(recipe.get("steps"))[: MAX_STEPS * 2] if isinstance(s, dict)]
    steps_data.sort(key=_order)
    with_ingredients = sum(1 for s in steps_data if _as_list(s.get("ingredients")))
    lines: list[str] = []
    steps: list[str] = []
    for step in steps_data:
        ingredients = [i for i in _as_list(step.get("ingredients")) if isinstance(i, dict)]
        ingredients.sort(key=_order)
        name = _text(step.get("name"))
        if name and ingredients and with_ingredients > 1:
            lines.append(name if name.endswith(":") else name + ":")
        for item in ingredients[: MAX_LINES * 2]:
            note = _text(item.get("note"))
            if item.get("is_header"):
                header = note or _named(item.get("food"))
                if header:
                    lines.append(header if header.endswith(":") else header + ":")
                continue
            original = _text(item.get("original_text"))
            amount = "" if item.get("no_amount") else _amount(item.get("amount"))
            composed = " ".join(p for p in (amount, _named(item.get("unit")), _named(item.get("food"))) if p)
            if composed and note:
                composed = f"{composed}, {note}"
            line = original or composed or note
            if line:
                lines.append(line)
        instruction = _text(step.get("instruction"), keep_lines=True)
        numbered = len(re.findall(r"(?m)^\s*(?:\d{1,2}[.)]|[-*])\s+", instruction)) >= 2
        steps.extend(_split_step_text(instruction) if numbered else [_text(instruction)] if instruction else [])
    servings = recipe.get("servings")
    working, waiting = parse_minutes(recipe.get("working_time")), parse_minutes(recipe.get("waiting_time"))
    servings_text = _text(recipe.get("servings_text"))
    count = int(servings) if isinstance(servings, int | float) and 0 < servings <= MAX_SERVINGS else None
    return _finish(_Found(
        title=_text(recipe.get("name")),
        lines=lines,
        steps=steps,
        yield_text=f"{count} {servings_text}".strip() if count and servings_text and not
        re.search(r"\d", servings_text) else (servings_text or (str(count) if count else "")),
        servings=count,
        prep=working,
        cook=waiting,
        description=_text(recipe.get("description")),
        url=_http_url(recipe.get("source_url"), None),
        site="Tandoor",
        keywords=[_named(k) for k in _as_list(recipe.get("keywords"))],
    ))


__all__ = ["FetchRules", "ImportRefused", "RecipeDraft", "decode_page", "draft_from_html", "draft_from_text",
           "draft_from_url", "drafts_from_file", "fetch_page", "parse_minutes", "parse_servings"]

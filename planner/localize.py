"""The web's locale: which one a request gets, and dates and numbers written for it.

Only English ships so far; LANGUAGES lists the locales with a catalogue. English keeps the
house style the pages have always used ("5 January 2026", "Mon 5 Jan", "1250"); another
locale gets its own order and words from Babel's data for the same fields."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from babel import Locale
from babel.dates import match_skeleton, parse_pattern
from flask import Flask, current_app, request
from flask_babel import format_decimal, get_locale, gettext  # type: ignore[import-untyped]
from flask_babel.speaklater import LazyString  # type: ignore[import-untyped]
from markupsafe import Markup, escape

from planner.extensions import babel
from planner.foods.present import number as plain_number

TRANSLATIONS_DIR = "translations"  # inside the package, so a wheel carries the catalogues


class DayStyle:
    """One way of writing a date or time: the English pattern, and the fields (a CLDR
    skeleton for the date part and one for the time part) another locale writes its own way."""

    def __init__(self, english: str, date_fields: str = "", time_fields: str = "") -> None:
        self.english, self.date_fields, self.time_fields = english, date_fields, time_fields

    def pattern(self, locale: Locale) -> str:
        if locale.language == "en":
            return self.english
        parts = [_skeleton_pattern(fields, locale) for fields in (self.date_fields, self.time_fields) if fields]
        if len(parts) == 2:
            return str(locale.datetime_formats["medium"]).format(parts[1], parts[0])
        return parts[0]


def _skeleton_pattern(fields: str, locale: Locale) -> str:
    found = match_skeleton(fields, locale.datetime_skeletons)
    return locale.datetime_skeletons[found].pattern if found else fields


DAY_STYLES = {
    "long": DayStyle("d MMMM y", "yMMMMd"),              # 5 January 2026
    "medium": DayStyle("d MMM y", "yMMMd"),              # 5 Jan 2026
    "weekday": DayStyle("EEEE d MMMM", "MMMMEEEEd"),     # Monday 5 January
    "short-weekday": DayStyle("EEE d MMM", "MMMEd"),     # Mon 5 Jan
    "day-month": DayStyle("d MMMM", "MMMMd"),            # 5 January
    "stamp": DayStyle("d MMM y HH:mm", "yMMMd", "Hm"),   # 5 Jan 2026 15:30
    "short-stamp": DayStyle("d MMM HH:mm", "MMMd", "Hm"),  # 5 Jan 15:30
    "time": DayStyle("HH:mm", "", "Hm"),                 # 15:30
}


def init(app: Flask) -> None:
    app.config.setdefault("LANGUAGES", ["en"])
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", TRANSLATIONS_DIR)
    babel.init_app(app, locale_selector=select_locale)
    app.add_template_filter(number)
    app.add_template_filter(day)
    app.add_template_global(translate)
    app.add_template_global(language_tag)


def select_locale() -> str:
    """The best of the supported locales the browser asks for, else the default."""
    supported = current_app.config["LANGUAGES"]
    return request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _locale() -> Locale:
    return get_locale() or Locale.parse("en")


def language_tag() -> str:
    """The request's locale as HTML's lang attribute writes it: "en", "pt-BR"."""
    return str(_locale()).replace("_", "-")


def number(value: float) -> str:
    """A quantity without trailing zeros, as planner.foods.present.number rounds it, written
    with the locale's decimal sign and no grouping: 515.0 -> '515', 12.25 -> '12.2', 1250 -> '1250'."""
    return format_decimal(Decimal(plain_number(value)), format="0.#")


def day(value: date | datetime | time, style: str = "long") -> str:
    """A date, date and time, or time of day in one of DAY_STYLES, as stored (no time zone
    shift), e.g. {{ entry.day|day('short-weekday') }}."""
    locale = _locale()
    return str(parse_pattern(DAY_STYLES[style].pattern(locale)).apply(value, locale))


class LazyText(LazyString):
    """Text translated when shown, in the locale of the request showing it (form labels and
    messages are made once, at import). In HTML it is escaped like any other text, so
    "I'm pregnant" reads as before; Flask-Babel's own lazy string is not escaped."""

    def __html__(self) -> Markup:
        return escape(str(self))


def lazy_gettext(message: str, **values: object) -> LazyText:
    """`message` (with %(name)s values filled in), translated each time it is shown."""
    return LazyText(gettext, message, **values)


_l = lazy_gettext


def lazy_translate(message: str) -> LazyText:
    """A message marked with planner.i18n.N_ (not a literal here), translated each time it is shown."""
    return LazyText(translate, message)


def translate(message: str) -> str:
    """A message marked with planner.i18n.N_ in code that runs without Flask, in the request's locale
    ("" stays "": gettext would give the catalogue's header)."""
    return gettext(message) if message else message

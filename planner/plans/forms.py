"""The profile form and the new-plan form.

Like the food form, fields carry only HTML hints: the form's data becomes the profile JSON
and passes profile_from_dict, the same checks as the API and the CLI, and each message
is placed beside its field. The words are a family's ("How many different plants a week
would you like?"), not the planner's settings.
"""
from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext  # type: ignore[import-untyped]
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, FieldList, Form, FormField, HiddenField, SelectField,
                     SelectMultipleField, StringField)
from wtforms.validators import ValidationError
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in its stubs yet

from planner.data import Vocabulary, life_stages, vocabulary
from planner.foods.forms import CheckboxesField
from planner.localize import LazyText, _l, translate
from planner.plans.profile import MAX_MEMBERS, Profile
from planner.plans.service import out_of_range
from planner.recipes.records import MEALS
from planner.recipes.rules import diets

EMPTY_MEMBER_ROWS = 2  # blank rows offered for new members (no script needed; with one, "Add a member")
MAX_MEMBER_ROWS = MAX_MEMBERS
TEMPLATE_INDEX = "__index__"  # the blank row the "Add a member" script copies is numbered with this

# Away from home: "weekdays:lunch" (school or work) has a box of its own; other meals are typed.
WEEKDAY_LUNCH = "weekdays:lunch"
DAYS = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday",
        "sat": "Saturday", "sun": "Sunday"}
DAY_WORDS = {**{key: key for key in DAYS}, **{name.lower(): key for key, name in DAYS.items()},
             "tues": "tue", "weds": "wed", "thur": "thu", "thurs": "thu"}
# The profile's words for many days at once (planner.plans.profile.DAY_GROUPS).
GROUP_WORDS = {"weekdays": "weekdays", "weekday": "weekdays", "weekends": "weekend", "weekend": "weekend",
               "everyday": "every-day", "daily": "every-day", "every": "every-day"}
GROUP_NAMES = {"weekdays": "weekday", "weekend": "weekend", "every-day": "every day"}
WEEK = tuple(DAYS)
GROUP_DAYS = {"every-day": WEEK, "weekdays": WEEK[:5], "weekend": WEEK[5:]}
MEAL_WORDS = {**{meal: meal for meal in MEALS}, "supper": "dinner", "tea": "dinner", "snacks": "snack",
              "lunches": "lunch", "dinners": "dinner", "breakfasts": "breakfast"}

LUNCHES = {"cooked": _l("A cooked lunch at home"), "packed": _l("Packed lunches"),
           "leftovers": _l("Last night's leftovers")}
RECIPE_SOURCES = {"any": _l("Any recipes that suit us"), "mostly-ours": _l("Mostly our own recipes")}
ADVENTURE = {"familiar": _l("Mostly dishes we know"), "balanced": _l("Some familiar, some new"),
             "adventurous": _l("Plenty of new dishes")}


def _number(label: LazyText, step: str = "1", description: LazyText | str = "", **render: Any) -> StringField:
    return StringField(label, description=description,
                       render_kw={"type": "number", "step": step, "inputmode": "decimal", **render})


def fibre_levels() -> dict[str, str]:
    return dict(life_stages()["fibre_ramp"]["levels"])


def allergen_choices() -> list[SelectChoice]:
    vocab = vocabulary()
    return [SelectChoice(slug, vocab.tags[slug].label) for slug in vocab.allergens]


def _commas(text: str | None) -> list[str]:
    return [word.strip() for word in (text or "").split(",") if word.strip()]


def away_keys(text: str | None) -> tuple[list[str], list[str]]:
    """The meals typed as away ("Tuesday dinner, sat:lunch, weekend breakfasts") as the profile's
    keys ("tue:dinner", "sat:lunch", "weekends:breakfast"), and what could not be read."""
    keys: list[str] = []
    unread: list[str] = []
    for part in _commas(text):
        words = re.findall(r"[a-z]+", part.lower())
        day = next((DAY_WORDS.get(w) or GROUP_WORDS.get(w) for w in words if w in DAY_WORDS or w in GROUP_WORDS), None)
        meal = next((MEAL_WORDS[w] for w in words if w in MEAL_WORDS), None)
        if day and meal:
            keys.append(f"{day}:{meal}")
        else:
            unread.append(part)
    return list(dict.fromkeys(keys)), unread


def grouped(keys: list[str]) -> list[str]:
    """The profile's away keys, one a day ("mon:lunch" ... "fri:lunch"), with whole groups of days
    said at once again ("weekdays:lunch"), in the week's order."""
    left = list(dict.fromkeys(keys))
    found = []
    for meal in [*MEALS, *sorted({k.partition(":")[2] for k in left} - set(MEALS))]:
        for group, days in GROUP_DAYS.items():
            wanted = [f"{day}:{meal}" for day in days]
            if all(key in left for key in wanted):
                found.append(f"{group}:{meal}")
                left = [key for key in left if key not in wanted]
    order = {day: n for n, day in enumerate(WEEK)}
    return found + sorted(left, key=lambda k: (order.get(k.partition(":")[0], 9), k))


def away_words(keys: list[str]) -> str:
    """The profile's away keys (other than weekday lunches) as the words the form shows."""
    said = []
    for key in keys:
        day, _, meal = key.partition(":")
        if day in DAYS:
            said.append(f"{DAYS[day]} {meal}")
        elif day in GROUP_NAMES:
            said.append(f"{GROUP_NAMES[day]} {meal}")
        else:
            said.append(key)
    return ", ".join(said)


class MemberForm(Form):
    name = StringField(_l("Name"), render_kw={"maxlength": 40, "autocomplete": "off"})
    age = _number(_l("Age in years"), step="any", min=0, max=120, description=_l("0.5 for six months"))
    sex = SelectField(_l("Sex"), validate_choice=False, choices=[
        SelectChoice("", _l("Not given")), SelectChoice("female", _l("Female")), SelectChoice("male", _l("Male"))])
    stage = SelectField(_l("Pregnant or breastfeeding"), validate_choice=False, choices=[
        SelectChoice("", _l("No")), SelectChoice("pregnant", _l("Pregnant")),
        SelectChoice("breastfeeding", _l("Breastfeeding"))])
    activity = SelectField(_l("How active"), validate_choice=False, choices=[
        SelectChoice("", _l("Moderately (a walk most days)")),
        SelectChoice("sedentary", _l("Not very (mostly sitting)")),
        SelectChoice("active", _l("Very (sport or physical work most days)"))])
    trimester = SelectField(_l("Trimester, if pregnant"), validate_choice=False, choices=[
        SelectChoice("", "–"), SelectChoice("1", _l("First")), SelectChoice("2", _l("Second")),
        SelectChoice("3", _l("Third"))])
    baby_months = _number(_l("Baby's age in months, if breastfeeding"), min=0, max=48)
    away_weekday_lunch = BooleanField(_l("Weekday lunches away (school or work)"))
    away_other = StringField(_l("Other meals away from home"), render_kw={"maxlength": 200, "autocomplete": "off"},
                             description=_l("Day and meal, separated by commas, e.g. Tuesday dinner, Saturday lunch"))
    allergens = SelectMultipleField(_l("Allergies (this person)"), choices=allergen_choices,
                                    description=_l("Never planned for the meals they eat. Hold Ctrl (⌘ on a Mac) "
                                                   "to choose more than one."))
    dislikes = StringField(_l("Won't eat"), render_kw={"maxlength": 300, "autocomplete": "off"},
                           description=_l("Words separated by commas, e.g. mushrooms, spicy"))

    def validate_away_other(self, field: StringField) -> None:
        _, unread = away_keys(field.data)
        if unread:
            raise ValidationError(gettext("Say a day and a meal for: %(meals)s (e.g. Tuesday dinner).",
                                          meals=", ".join(unread)))


def is_blank(entry: Any) -> bool:
    """A member row with neither a name nor an age: skipped."""
    data = entry.data
    return not (str(data.get("name") or "").strip() or str(data.get("age") or "").strip())


def member_data(data: dict[str, Any]) -> dict[str, Any]:
    """One member's row as the profile JSON's member."""
    member = {name: data[name] for name in ("name", "age", "sex", "stage", "activity", "trimester", "baby_months")
              if data.get(name) not in ("", None)}
    away = ([WEEKDAY_LUNCH] if data.get("away_weekday_lunch") else []) + away_keys(data.get("away_other"))[0]
    if away:
        member["away"] = list(dict.fromkeys(away))
    if data.get("allergens"):
        member["allergens"] = list(data["allergens"])
    if _commas(data.get("dislikes")):
        member["dislikes"] = _commas(data.get("dislikes"))
    return member


def member_row(member: dict[str, Any]) -> dict[str, Any]:
    """A profile JSON member as the form's row."""
    away = grouped([str(key) for key in member.get("away") or []])
    age = member.get("age")
    return {"name": member.get("name", ""), "age": f"{age:g}" if isinstance(age, (int, float)) else str(age or ""),
            "sex": member.get("sex") or "", "stage": member.get("stage") or "",
            "activity": member.get("activity") or "", "trimester": str(member.get("trimester") or ""),
            "baby_months": str(member.get("baby_months") or ""), "away_weekday_lunch": WEEKDAY_LUNCH in away,
            "away_other": away_words([key for key in away if key != WEEKDAY_LUNCH]),
            "allergens": list(member.get("allergens") or []), "dislikes": ", ".join(member.get("dislikes") or [])}


TARGET_LABELS = {
    "plants_per_week": _l("How many different plants a week would you like?"),
    "fermented_per_day": _l("How many servings of a fermented food a day?"),
    "prebiotic_per_day": _l("How many meals a day with a food that feeds good gut bacteria?"),
    "bone_broth_per_week": _l("How many meals with bone broth a week?"),
    "max_repeats": _l("How many times at most may the same dish come up in a week?"),
    "energy_tolerance_pct": _l("How closely should a day's food match what everyone needs? (± per cent)"),
}
TARGET_HELP = {
    "plants_per_week": _l("Fruit, vegetables, grains, beans, nuts and seeds each count; herbs and spices a "
                          "quarter. 30 a week is a good aim."),
    "fermented_per_day": _l("Yoghurt, kefir, sauerkraut, kimchi, miso … Start small if you are not used to them."),
    "prebiotic_per_day": _l("Garlic, onion, leek, oats, barley, beans and lentils, a green banana …"),
    "bone_broth_per_week": _l("About twice a week; 0 to leave it out."),
    "max_repeats": _l("2 lets a favourite come back once; 1 means something different every time."),
    "energy_tolerance_pct": _l("20 suits most families: portions are set so nobody goes hungry or eats far "
                               "too much."),
}


class ProfileForm(FlaskForm):
    name = StringField(_l("Profile name"), render_kw={"maxlength": 60, "required": True})
    members = FieldList(FormField(MemberForm), min_entries=1, max_entries=MAX_MEMBER_ROWS)
    diets = CheckboxesField(_l("Diet"))
    allergens = CheckboxesField(_l("Allergies (never planned)"))
    excluded_tags = CheckboxesField(_l("Leave out foods tagged"))
    excluded_foods = StringField(_l("Foods to leave out"),
                                 description=_l("Names separated by commas, e.g. kimchi, mushrooms"))
    meals = CheckboxesField(_l("Meals to plan"))
    lunch = SelectField(_l("What is lunch on most days?"), validate_choice=False,
                        choices=[SelectChoice(k, v) for k, v in LUNCHES.items()])
    kid_friendly_only = BooleanField(_l("Only dishes children usually like"))
    adventure = SelectField(_l("How adventurous is the family with food?"), validate_choice=False,
                            choices=[SelectChoice(k, v) for k, v in ADVENTURE.items()])
    recipes = SelectField(_l("Whose recipes?"), validate_choice=False,
                          choices=[SelectChoice(k, v) for k, v in RECIPE_SOURCES.items()])
    fibre_now = SelectField(_l("How much fibre do you eat now?"), validate_choice=False, description=_l(
        "Little: white bread, few vegetables or pulses. Some: a few portions of fruit, vegetables or wholegrains "
        "a day. Plenty: wholegrains, pulses and vegetables every day. With little or some, plans start gently and "
        "build fibre up by about 5 g a day each week."))
    weekday_minutes = _number(_l("Hands-on cooking minutes a day on weekdays, at most"), min=5, max=240,
                              description=_l("Chopping, stirring and serving; not the time something simmers."))
    weekend_minutes = _number(_l("Hands-on cooking minutes a day at weekends, at most"), min=5, max=240)
    weekday_dinner_minutes = _number(_l("On weekdays, minutes from starting dinner to the table, at most"),
                                     min=10, max=480,
                                     description=_l("Simmering and baking included. Left empty, an hour."))
    plants_per_week = _number(TARGET_LABELS["plants_per_week"], min=0, max=80,
                              description=TARGET_HELP["plants_per_week"])
    fermented_per_day = _number(TARGET_LABELS["fermented_per_day"], step="0.5", min=0, max=6,
                                description=TARGET_HELP["fermented_per_day"])
    prebiotic_per_day = _number(TARGET_LABELS["prebiotic_per_day"], min=0, max=4,
                                description=TARGET_HELP["prebiotic_per_day"])
    bone_broth_per_week = _number(TARGET_LABELS["bone_broth_per_week"], min=0, max=14,
                                  description=TARGET_HELP["bone_broth_per_week"])
    max_repeats = _number(TARGET_LABELS["max_repeats"], min=1, max=7, description=TARGET_HELP["max_repeats"])
    energy_tolerance_pct = _number(TARGET_LABELS["energy_tolerance_pct"], min=5, max=50,
                                   description=TARGET_HELP["energy_tolerance_pct"])
    # The saved profile's version the form was filled from: a save from an older one is refused.
    version = HiddenField()

    def fill_choices(self, vocab: Vocabulary) -> None:
        self.diets.choices = [SelectChoice(slug, d.label) for slug, d in diets().items()]
        self.allergens.choices = [SelectChoice(slug, vocab.tags[slug].label) for slug in vocab.allergens]
        self.excluded_tags.choices = [SelectChoice(t.slug, t.label) for t in vocab.tags.values()
                                      if t.kind != "allergen"]
        self.meals.choices = [SelectChoice(slug, translate(label)) for slug, label in MEALS.items()]
        self.fibre_now.choices = [SelectChoice(level, words) for level, words in fibre_levels().items()]

    def load(self, profile: Profile) -> None:
        """Fill an unsubmitted form from a profile, with blank rows for new members. Read from the
        profile's JSON shape, so fields the profile does not carry yet keep their defaults."""
        data = profile.to_dict()
        self.name.data = profile.name
        while len(self.members.entries):
            self.members.pop_entry()
        for member in data.get("members") or []:
            self.members.append_entry(member_row(member))
        self.diets.data = list(profile.diets)
        self.allergens.data = sorted(profile.allergens)
        self.excluded_tags.data = sorted(profile.excluded_tags)
        self.excluded_foods.data = ", ".join(sorted(profile.excluded_foods))
        self.meals.data = list(profile.meals)
        self.fibre_now.data = profile.fibre_now
        self.lunch.data = data.get("lunch") or "cooked"
        self.kid_friendly_only.data = bool(data.get("kid_friendly_only"))
        self.adventure.data = data.get("adventure") or "balanced"
        self.recipes.data = data.get("recipes") or "any"
        self.weekday_minutes.data = str(profile.max_prep_weekday)
        self.weekend_minutes.data = str(profile.max_prep_weekend)
        total = (data.get("max_total_minutes") or {}).get("weekday_dinner")
        self.weekday_dinner_minutes.data = "" if total in (None, "") else f"{total:g}" if isinstance(
            total, (int, float)) else str(total)
        for name in TARGET_LABELS:
            getattr(self, name).data = f"{getattr(profile.targets, name):g}"
        self.add_blank_members()

    def read_version(self) -> int | None:
        """The version the form was opened at (None when missing or not a number)."""
        text = (self.version.data or "").strip()
        return int(text) if text.isdigit() and len(text) < 10 else None

    def add_blank_members(self) -> None:
        limit = self.members.max_entries  # None would mean no limit
        for _ in range(EMPTY_MEMBER_ROWS):
            if limit is None or len(self.members.entries) < limit:
                self.members.append_entry()

    def member_template(self) -> MemberForm:
        """A blank member row numbered TEMPLATE_INDEX, for the "Add a member" script to copy."""
        return MemberForm(prefix=f"{self.members.name}-{TEMPLATE_INDEX}-")

    def profile_data(self) -> dict[str, Any]:
        """The profile JSON this form describes (blank member rows are skipped)."""
        data: dict[str, Any] = {
            "name": self.name.data or "",
            "members": [member_data(entry.data) for entry in self.members.entries if not is_blank(entry)],
            "diets": self.diets.data or [],
            "allergens": self.allergens.data or [], "excluded_tags": self.excluded_tags.data or [],
            "excluded_foods": _commas(self.excluded_foods.data),
            "meals": self.meals.data or [], "fibre_now": self.fibre_now.data or "",
            "lunch": self.lunch.data or "cooked", "kid_friendly_only": bool(self.kid_friendly_only.data),
            "adventure": self.adventure.data or "balanced", "recipes": self.recipes.data or "any",
            "max_prep_minutes": {"weekday": self.weekday_minutes.data or "",
                                 "weekend": self.weekend_minutes.data or ""},
            "targets": {name: getattr(self, name).data for name in TARGET_LABELS
                        if (getattr(self, name).data or "") != ""},
        }
        total = (self.weekday_dinner_minutes.data or "").strip()
        if total:  # left empty, the profile's default
            data["max_total_minutes"] = {"weekday_dinner": total}
        return data

    def place_errors(self, errors: dict[str, str]) -> None:
        """Put each profile error beside the field it belongs to."""
        fields = {"max_prep_minutes.weekday": self.weekday_minutes, "max_prep_minutes.weekend": self.weekend_minutes,
                  "max_prep_minutes": self.weekday_minutes, "max_total_minutes": self.weekday_dinner_minutes,
                  "max_total_minutes.weekday_dinner": self.weekday_dinner_minutes,
                  **{f"targets.{name}": getattr(self, name) for name in TARGET_LABELS}}
        member_fields = {"away": "away_other"}
        member_rows = [e for e in self.members.entries if not is_blank(e)]
        for path, message in errors.items():
            head, _, rest = path.partition(".")
            if head == "members" and rest:
                number, _, sub = rest.partition(".")
                if number.isdigit() and 1 <= int(number) <= len(member_rows):
                    entry = member_rows[int(number) - 1].form
                    sub = sub.partition(".")[0]
                    field = getattr(entry, member_fields.get(sub, sub), None)
                    field = entry.name if field is None else field
                else:
                    field = self.name
            else:
                field = fields.get(path) or getattr(self, head, None)
                field = self.name if field is None else field
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]


def within_years(form: Form, field: DateField) -> None:
    """A day plans and lists can cover (planner.plans.service.out_of_range), said beside the field."""
    problem = out_of_range(field.data) if field.data is not None else None
    if problem:
        raise ValidationError(translate(problem))


class NewPlanForm(FlaskForm):
    profile = SelectField(_l("Profile"), coerce=int)
    week_start = DateField(_l("First day of the week"), validators=[within_years])
    # The week this one is to take the place of, when the household already has a plan for it.
    replace = HiddenField()

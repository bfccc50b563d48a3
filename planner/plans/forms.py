"""The profile form and the new-plan form.

Like the food form, fields carry only HTML hints: the form's data becomes the profile JSON
and passes profile_from_dict, the same checks as the API and the CLI, and each message
is placed beside its field.
"""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, FieldList, Form, FormField, HiddenField, SelectField, StringField
from wtforms.validators import ValidationError
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in its stubs yet

from planner.data import Vocabulary, life_stages
from planner.foods.forms import CheckboxesField
from planner.plans.profile import Profile
from planner.plans.service import out_of_range
from planner.recipes.records import MEALS
from planner.recipes.rules import diets

EMPTY_MEMBER_ROWS = 2  # blank rows offered for new members (no script needed)


def _number(label: str, step: str = "1", description: str = "", **render: Any) -> StringField:
    return StringField(label, description=description,
                       render_kw={"type": "number", "step": step, "inputmode": "decimal", **render})


def fibre_levels() -> dict[str, str]:
    return dict(life_stages()["fibre_ramp"]["levels"])


class MemberForm(Form):
    name = StringField("Name", render_kw={"maxlength": 40, "autocomplete": "off"})
    age = _number("Age in years", step="any", min=0, max=120, description="0.5 for six months")
    sex = SelectField("Sex", validate_choice=False, choices=[
        SelectChoice("", "Not given"), SelectChoice("female", "Female"), SelectChoice("male", "Male")])
    stage = SelectField("Pregnant or breastfeeding", validate_choice=False, choices=[
        SelectChoice("", "No"), SelectChoice("pregnant", "Pregnant"), SelectChoice("breastfeeding", "Breastfeeding")])
    activity = SelectField("How active", validate_choice=False, choices=[
        SelectChoice("", "Moderately (a walk most days)"), SelectChoice("sedentary", "Not very (mostly sitting)"),
        SelectChoice("active", "Very (sport or physical work most days)")])
    trimester = SelectField("Trimester, if pregnant", validate_choice=False, choices=[
        SelectChoice("", "–"), SelectChoice("1", "First"), SelectChoice("2", "Second"), SelectChoice("3", "Third")])
    baby_months = _number("Baby's age in months, if breastfeeding", min=0, max=48)


TARGET_LABELS = {
    "fermented_per_day": "Fermented servings a day",
    "prebiotic_per_day": "Meals with a prebiotic food a day",
    "bone_broth_per_week": "Bone broth meals a week",
    "plants_per_week": "Different plants a week",
    "max_repeats": "Most times a recipe repeats in a week",
    "energy_tolerance_pct": "Energy range, ± % of needs",
}


class ProfileForm(FlaskForm):
    name = StringField("Profile name", render_kw={"maxlength": 60, "required": True})
    members = FieldList(FormField(MemberForm), min_entries=1, max_entries=12)
    diets = CheckboxesField("Diet")
    allergens = CheckboxesField("Allergies (never planned)")
    excluded_tags = CheckboxesField("Leave out foods tagged")
    excluded_foods = StringField("Foods to leave out", description="Names separated by commas, e.g. kimchi, mushrooms")
    meals = CheckboxesField("Meals to plan")
    fibre_now = SelectField("How much fibre do you eat now?", validate_choice=False, description=(
        "Little: white bread, few vegetables or pulses. Some: a few portions of fruit, vegetables or wholegrains "
        "a day. Plenty: wholegrains, pulses and vegetables every day. With little or some, plans start gently and "
        "build fibre up by about 5 g a day each week."))
    weekday_minutes = _number("Most hands-on minutes on weekdays", min=5, max=240)
    weekend_minutes = _number("Most hands-on minutes at weekends", min=5, max=240)
    fermented_per_day = _number(TARGET_LABELS["fermented_per_day"], step="0.5", min=0, max=6)
    prebiotic_per_day = _number(TARGET_LABELS["prebiotic_per_day"], min=0, max=4)
    bone_broth_per_week = _number(TARGET_LABELS["bone_broth_per_week"], min=0, max=14)
    plants_per_week = _number(TARGET_LABELS["plants_per_week"], min=0, max=80)
    max_repeats = _number(TARGET_LABELS["max_repeats"], min=1, max=7)
    energy_tolerance_pct = _number(TARGET_LABELS["energy_tolerance_pct"], min=5, max=50)
    # The saved profile's version the form was filled from: a save from an older one is refused.
    version = HiddenField()

    def fill_choices(self, vocab: Vocabulary) -> None:
        self.diets.choices = [SelectChoice(slug, d.label) for slug, d in diets().items()]
        self.allergens.choices = [SelectChoice(slug, vocab.tags[slug].label) for slug in vocab.allergens]
        self.excluded_tags.choices = [SelectChoice(t.slug, t.label) for t in vocab.tags.values()
                                      if t.kind != "allergen"]
        self.meals.choices = [SelectChoice(slug, label) for slug, label in MEALS.items()]
        self.fibre_now.choices = [SelectChoice(level, words) for level, words in fibre_levels().items()]

    def load(self, profile: Profile) -> None:
        """Fill an unsubmitted form from a profile, with blank rows for new members."""
        self.name.data = profile.name
        while len(self.members.entries):
            self.members.pop_entry()
        for member in profile.members:
            self.members.append_entry({"name": member.name, "age": f"{member.age:g}", "sex": member.sex or "",
                                       "stage": member.stage or "", "activity": member.activity or "",
                                       "trimester": str(member.trimester or ""),
                                       "baby_months": str(member.baby_months or "")})
        self.diets.data = list(profile.diets)
        self.allergens.data = sorted(profile.allergens)
        self.excluded_tags.data = sorted(profile.excluded_tags)
        self.excluded_foods.data = ", ".join(sorted(profile.excluded_foods))
        self.meals.data = list(profile.meals)
        self.fibre_now.data = profile.fibre_now
        self.weekday_minutes.data = str(profile.max_prep_weekday)
        self.weekend_minutes.data = str(profile.max_prep_weekend)
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

    def profile_data(self) -> dict[str, Any]:
        """The profile JSON this form describes (blank member rows are skipped)."""
        members = [
            {k: v for k, v in entry.data.items() if v not in ("", None)}
            for entry in self.members.entries
            if (entry.data.get("name") or "").strip() or (entry.data.get("age") or "").strip()
        ]
        return {
            "name": self.name.data or "", "members": members, "diets": self.diets.data or [],
            "allergens": self.allergens.data or [], "excluded_tags": self.excluded_tags.data or [],
            "excluded_foods": [f.strip() for f in (self.excluded_foods.data or "").split(",") if f.strip()],
            "meals": self.meals.data or [], "fibre_now": self.fibre_now.data or "",
            "max_prep_minutes": {"weekday": self.weekday_minutes.data or "",
                                 "weekend": self.weekend_minutes.data or ""},
            "targets": {name: getattr(self, name).data for name in TARGET_LABELS
                        if (getattr(self, name).data or "") != ""},
        }

    def place_errors(self, errors: dict[str, str]) -> None:
        """Put each profile error beside the field it belongs to."""
        fields = {"max_prep_minutes.weekday": self.weekday_minutes, "max_prep_minutes.weekend": self.weekend_minutes,
                  **{f"targets.{name}": getattr(self, name) for name in TARGET_LABELS}}
        member_rows = [e for e in self.members.entries
                       if (e.data.get("name") or "").strip() or (e.data.get("age") or "").strip()]
        for path, message in errors.items():
            head, _, rest = path.partition(".")
            if head == "members" and rest:
                number, _, sub = rest.partition(".")
                entry = member_rows[int(number) - 1].form
                field = getattr(entry, sub, entry.name)
            else:
                field = fields.get(path) or getattr(self, head, self.name)
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]


def within_years(form: Form, field: DateField) -> None:
    """A day plans and lists can cover (planner.plans.service.out_of_range), said beside the field."""
    problem = out_of_range(field.data) if field.data is not None else None
    if problem:
        raise ValidationError(problem)


class NewPlanForm(FlaskForm):
    profile = SelectField("Profile", coerce=int)
    week_start = DateField("First day of the week", validators=[within_years])

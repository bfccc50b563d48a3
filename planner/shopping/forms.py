"""Forms on the shopping pages. The words themselves are read by planner.shopping.extras."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in its stubs yet
from wtforms.validators import DataRequired, Length

from planner.localize import _l
from planner.plans.forms import within_years
from planner.shopping.extras import MAX_LENGTH
from planner.shopping.units import SYSTEMS


class ExtraForm(FlaskForm):
    text = StringField(_l("Add something to the list"),
                       validators=[DataRequired(_l("Write what to add.")), Length(max=MAX_LENGTH)],
                       description=_l("For example: 2 lemons, 500 g mince, 1 can chickpeas, kitchen roll"),
                       render_kw={"maxlength": MAX_LENGTH, "autocomplete": "off"})


class PantryForm(FlaskForm):
    food = StringField(_l("Add a food you keep on hand"),
                       validators=[DataRequired(_l("Name a food.")), Length(max=80)],
                       render_kw={"maxlength": 80, "autocomplete": "off"})


class UnitsForm(FlaskForm):
    units = RadioField(_l("Units"), choices=[SelectChoice(k, v) for k, v in SYSTEMS.items()],
                       validators=[DataRequired(_l("Choose the units."))])


class RangeForm(FlaskForm):
    """A list over several weeks of a profile's plans (read from the query string)."""
    class Meta:
        csrf = False

    profile = SelectField(_l("Profile"), coerce=int, validate_choice=True)
    start = DateField(_l("First day"), validators=[DataRequired(_l("Give the first day.")), within_years])
    end = DateField(_l("Last day"), validators=[DataRequired(_l("Give the last day.")), within_years])

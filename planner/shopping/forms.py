"""Forms on the shopping pages. The words themselves are read by planner.shopping.extras."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in its stubs yet
from wtforms.validators import DataRequired, Length

from planner.plans.forms import within_years
from planner.shopping.extras import MAX_LENGTH
from planner.shopping.units import SYSTEMS


class ExtraForm(FlaskForm):
    text = StringField("Add something to the list", validators=[DataRequired("Write what to add."),
                                                                Length(max=MAX_LENGTH)],
                       description="For example: 2 lemons, 500 g mince, 1 can chickpeas, kitchen roll",
                       render_kw={"maxlength": MAX_LENGTH, "autocomplete": "off"})


class PantryForm(FlaskForm):
    food = StringField("Add a food you keep on hand", validators=[DataRequired("Name a food."), Length(max=80)],
                       render_kw={"maxlength": 80, "autocomplete": "off"})


class UnitsForm(FlaskForm):
    units = RadioField("Units", choices=[SelectChoice(k, v) for k, v in SYSTEMS.items()],
                       validators=[DataRequired("Choose the units.")])


class RangeForm(FlaskForm):
    """A list over several weeks of a profile's plans (read from the query string)."""
    class Meta:
        csrf = False

    profile = SelectField("Profile", coerce=int, validate_choice=True)
    start = DateField("First day", validators=[DataRequired("Give the first day."), within_years])
    end = DateField("Last day", validators=[DataRequired("Give the last day."), within_years])

"""The checker form: one box for a food name or a whole ingredient list."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in its stubs yet
from wtforms.validators import InputRequired, Length

from planner.checker.label import MAX_LABEL_CHARS
from planner.checker.panel import FIELDS, Panel, panel_from_fields, read_panel
from planner.data import Vocabulary
from planner.foods.forms import CheckboxesField
from planner.localize import _l


class CheckForm(FlaskForm):
    text = TextAreaField(
        _l("Food or ingredient list"),
        validators=[InputRequired(message=_l("Type a food or paste an ingredient list.")),
                    Length(max=MAX_LABEL_CHARS,
                           message=_l("Paste up to %(count)s characters: just the ingredients.",
                                      count=format(MAX_LABEL_CHARS, ",")))],
        description=_l("A food such as 'kefir' or 'white bread', or the ingredients from a pack."),
        render_kw={"rows": 4, "required": True},
    )
    mode = RadioField(_l("Check as"), default="auto", choices=[
        SelectChoice("auto", _l("Work it out")), SelectChoice("name", _l("A food name")),
        SelectChoice("label", _l("An ingredient list")),
    ])
    for_whom = SelectField(_l("Checking for"), validate_choice=False, default="household")
    allergens = CheckboxesField(_l("My allergens"))
    pregnant = BooleanField(_l("I'm pregnant"),
                            description=_l("Adds the NHS and FDA advice on foods to avoid or limit."))
    panel = TextAreaField(_l("Paste the nutrition panel"), validators=[Length(max=2000)],
                          description=_l("Lines such as 'of which sugars 22.5 g' and 'Salt 1.2 g'; "
                                         "per 100 g comes first."),
                          render_kw={"rows": 3})
    sugars_g = StringField(_l("Sugars, g per 100 g"), render_kw={"inputmode": "decimal"})
    salt_g = StringField(_l("Salt, g per 100 g"), render_kw={"inputmode": "decimal"})
    saturated_fat_g = StringField(_l("Saturates, g per 100 g"), render_kw={"inputmode": "decimal"})
    fat_g = StringField(_l("Fat, g per 100 g"), render_kw={"inputmode": "decimal"})
    fibre_g = StringField(_l("Fibre, g per 100 g"), render_kw={"inputmode": "decimal"})
    drink = BooleanField(_l("It is a drink (the panel is per 100 ml)"))
    submit = SubmitField(_l("Check"))

    def nutrition(self) -> Panel | None:
        """The panel given, pasted or in fields; None when neither was."""
        if (self.panel.data or "").strip():
            return read_panel(self.panel.data or "", bool(self.drink.data))
        fields = {name: getattr(self, name).data for name in FIELDS}
        panel = panel_from_fields(fields, bool(self.drink.data))
        return None if panel.empty else panel

    def fill_choices(self, vocab: Vocabulary) -> None:
        self.allergens.choices = [SelectChoice(slug, vocab.tags[slug].label) for slug in vocab.allergens]

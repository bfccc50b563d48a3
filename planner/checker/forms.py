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


class CheckForm(FlaskForm):
    text = TextAreaField(
        "Food or ingredient list",
        validators=[InputRequired(message="Type a food or paste an ingredient list."),
                    Length(max=MAX_LABEL_CHARS,
                           message=f"Paste up to {MAX_LABEL_CHARS:,} characters: just the ingredients.")],
        description="A food such as 'kefir' or 'white bread', or the ingredients from a pack.",
        render_kw={"rows": 4, "required": True},
    )
    mode = RadioField("Check as", default="auto", choices=[
        SelectChoice("auto", "Work it out"), SelectChoice("name", "A food name"),
        SelectChoice("label", "An ingredient list"),
    ])
    for_whom = SelectField("Checking for", validate_choice=False, default="household")
    allergens = CheckboxesField("My allergens")
    pregnant = BooleanField("I'm pregnant", description="Adds the NHS and FDA advice on foods to avoid or limit.")
    panel = TextAreaField("Paste the nutrition panel", validators=[Length(max=2000)],
                          description="Lines such as 'of which sugars 22.5 g' and 'Salt 1.2 g'; per 100 g comes first.",
                          render_kw={"rows": 3})
    sugars_g = StringField("Sugars, g per 100 g", render_kw={"inputmode": "decimal"})
    salt_g = StringField("Salt, g per 100 g", render_kw={"inputmode": "decimal"})
    saturated_fat_g = StringField("Saturates, g per 100 g", render_kw={"inputmode": "decimal"})
    fat_g = StringField("Fat, g per 100 g", render_kw={"inputmode": "decimal"})
    fibre_g = StringField("Fibre, g per 100 g", render_kw={"inputmode": "decimal"})
    drink = BooleanField("It is a drink (the panel is per 100 ml)")
    submit = SubmitField("Check")

    def nutrition(self) -> Panel | None:
        """The panel given, pasted or in fields; None when neither was."""
        if (self.panel.data or "").strip():
            return read_panel(self.panel.data or "", bool(self.drink.data))
        fields = {name: getattr(self, name).data for name in FIELDS}
        panel = panel_from_fields(fields, bool(self.drink.data))
        return None if panel.empty else panel

    def fill_choices(self, vocab: Vocabulary) -> None:
        self.allergens.choices = [SelectChoice(slug, vocab.tags[slug].label) for slug in vocab.allergens]

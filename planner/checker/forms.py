"""The checker form: one box for a food name or a whole ingredient list."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in its stubs yet
from wtforms.validators import InputRequired, Length

from planner.checker.label import MAX_LABEL_CHARS
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
    allergens = CheckboxesField("My allergens")
    pregnant = BooleanField("I'm pregnant", description="Adds the NHS and FDA advice on foods to avoid or limit.")
    submit = SubmitField("Check")

    def fill_choices(self, vocab: Vocabulary) -> None:
        self.allergens.choices = [SelectChoice(slug, vocab.tags[slug].label) for slug in vocab.allergens]

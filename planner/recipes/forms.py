"""The own-recipe form and the import form. Fields carry only HTML hints: the form's data
becomes a RecipeInput and passes the same checks as the API (planner.recipes.own.check_input),
and each message is placed beside its field."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext  # type: ignore[import-untyped]
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in its stubs yet

from planner.foods.forms import CheckboxesField
from planner.localize import LazyText, _l, lazy_translate
from planner.recipes.own import MAX_LINES, MAX_STEPS, RecipeInput
from planner.recipes.records import MAX_KEEPS_DAYS, MEALS


def _whole(label: LazyText, low: int, high: int, description: LazyText | str = "") -> StringField:
    return StringField(label, description=description,
                       render_kw={"type": "number", "min": low, "max": high, "step": 1, "inputmode": "numeric",
                                  "required": True})


class RecipeForm(FlaskForm):
    title = StringField(_l("Title"), render_kw={"required": True, "maxlength": 90, "autocomplete": "off"})
    description = StringField(_l("In a sentence (optional)"), render_kw={"maxlength": 240})
    meals = CheckboxesField(_l("For which meals?"),
                            choices=[SelectChoice(k, lazy_translate(v)) for k, v in MEALS.items()])
    servings = _whole(_l("Servings it makes"), 1, 50)
    prep_minutes = _whole(_l("Hands-on minutes"), 0, 2880, _l("Chopping, stirring, watching the pan."))
    total_minutes = _whole(_l("Minutes to the table"), 0, 2880, _l("From starting to eating, oven time included."))
    lines = TextAreaField(
        _l("Ingredients, one a line"), description=_l(
            "As you would write them: \u201c2 tbsp olive oil\u201d, \u201c1 x 400 g can chickpeas, drained\u201d, "
            "\u201csalt to taste\u201d. Up to %(count)s lines.", count=MAX_LINES),
        render_kw={"rows": 10, "required": True, "spellcheck": "false"})
    steps = TextAreaField(_l("Method, one step a line"), description=_l("Up to %(count)s steps.", count=MAX_STEPS),
                          render_kw={"rows": 8})
    kid_friendly = BooleanField(_l("Children usually like it"))
    keeps_days = _whole(_l("Days it keeps in the fridge"), 0, MAX_KEEPS_DAYS,
                        _l("0 if it is eaten the day it is made. Never more than is safe for what it holds."))
    notes = TextAreaField(_l("Notes (optional)"), render_kw={"rows": 3, "maxlength": 4000})
    source_url = StringField(_l("Where it comes from (optional)"), render_kw={"maxlength": 500, "type": "url"})

    def fill(self, data: RecipeInput) -> None:
        """Show a recipe's input in the form (to edit, copy or review an import)."""
        self.title.data, self.description.data = data.title, data.description
        self.meals.data = list(data.meals)
        self.servings.data, self.keeps_days.data = str(data.servings), str(data.keeps_days)
        self.prep_minutes.data, self.total_minutes.data = str(data.prep_minutes), str(data.total_minutes)
        self.lines.data, self.steps.data = "\n".join(data.lines), "\n".join(data.steps)
        self.kid_friendly.data, self.notes.data = data.kid_friendly, data.notes
        self.source_url.data = data.source_url or ""

    def read(self, choices: Mapping[str, Any]) -> tuple[RecipeInput, dict[str, str]]:
        """The cook's input, with a message per field that is not even a number; `choices` are the
        form's "food-<line number>" answers for lines the cook chose a food for."""
        errors: dict[str, str] = {}

        def whole(field: StringField) -> int:
            try:
                return int(str(field.data or "").strip())
            except ValueError:
                errors[field.name] = gettext("Give a whole number.")
                return 0

        chosen = {}
        for name, value in choices.items():
            number = name.removeprefix("food-")
            if name.startswith("food-") and number.isdigit() and isinstance(value, str) and value:
                chosen[int(number)] = value
        data = RecipeInput(
            title=str(self.title.data or ""), meals=tuple(self.meals.data or ()), servings=whole(self.servings),
            prep_minutes=whole(self.prep_minutes), total_minutes=whole(self.total_minutes),
            lines=tuple(line for line in str(self.lines.data or "").splitlines() if line.strip()),
            steps=tuple(step for step in str(self.steps.data or "").splitlines() if step.strip()),
            kid_friendly=bool(self.kid_friendly.data), keeps_days=whole(self.keeps_days),
            description=str(self.description.data or ""), notes=str(self.notes.data or ""),
            source_url=str(self.source_url.data or "").strip() or None, chosen=chosen)
        return data, errors

    def show_errors(self, errors: Mapping[str, str]) -> None:
        for name, message in errors.items():
            field = getattr(self, name, None)
            if field is not None:
                field.errors = [message]


class ImportForm(FlaskForm):
    url = StringField(_l("A recipe's web address"), render_kw={"type": "url", "maxlength": 2000,
                                                               "placeholder": "https://"})
    text = TextAreaField(_l("Or paste the recipe"), description=_l("A title, the ingredients and the method."),
                         render_kw={"rows": 10})
    file = FileField(_l("Or a file"),
                     description=_l("A Mealie or Tandoor export (.zip) or a schema.org recipe (.json)."))

"""The add / edit food form. Field names are the CSV export's columns, so the form's data
becomes a record through the same reader as an import file and passes the same checks."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in its stubs yet

from planner.data import Vocabulary
from planner.foods.exchange import COLUMN_OF_PATH, COLUMNS, LIST_COLUMNS, cell_text, row_record
from planner.foods.nutrition import MICRONUTRIENTS, NUTRIENTS, OPTIONAL_NUTRIENTS
from planner.foods.present import NOVA_LABELS
from planner.foods.records import NUTRIENT_MAX, Record
from planner.localize import LazyText, _l, lazy_translate


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


# Fields carry no WTForms validators: the record checks (the same as for imports and the
# API) validate everything and place each message next to its field. render_kw only adds
# HTML hints.
def _number(label: LazyText, required: bool = True, description: LazyText | str = "", **hints: Any) -> StringField:
    return StringField(label, description=description,
                       render_kw={"type": "number", "min": 0, "step": "any", "inputmode": "decimal",
                                  "required": required, **hints})


def _text(label: LazyText, required: bool = False, **kwargs: Any) -> StringField:
    return StringField(label, render_kw={"required": required, **kwargs.pop("render_kw", {})}, **kwargs)


class FoodForm(FlaskForm):
    name = _text(_l("Name"), required=True, render_kw={"maxlength": 80})
    slug = _text(_l("Short name in links (slug)"),
                 description=_l("Lower-case words joined by hyphens. Left empty, it is made from the name."))
    synonyms = TextAreaField(_l("Other names"),
                             description=_l("One per line: British and American names, common alternatives."))
    category = SelectField(_l("Category"))
    form = SelectField(_l("Form"))
    nova_group = SelectField(_l("NOVA group"), choices=[
        SelectChoice(str(n), _l("%(number)s: %(label)s", number=n, label=lazy_translate(label)))
        for n, label in NOVA_LABELS.items()])
    portion_g = _number(_l("Typical portion (g)"))
    portion_measure = _text(_l("Portion as a household measure"), required=True,
                            description=_l("For example: 1 medium apple, 2 tbsp, 1 cup cooked."))
    aisle = SelectField(_l("Aisle"))
    purchase_unit = _text(_l("Sold as"), required=True,
                          description=_l("For example: each, bunch, can 400 g, bag 1 kg."))
    purchase_grams = _number(_l("Grams in one purchase unit"))
    plant_key = _text(_l("Plant"),
                      description=_l("The plant it counts as toward 30 a week (red onion and onion are both "
                                     "'onion'). Empty for animal and ultra-processed foods."))
    allergens = CheckboxesField(_l("Allergens (EU 14)"))
    tags = CheckboxesField(_l("Gut-health tags"))
    source_name = SelectField(_l("Nutrient source"))
    source_id = _text(_l("Source id"),
                      description=_l("The FoodData Central entry number for USDA sources."))
    source_note = _text(_l("Source note"))
    submit = SubmitField(_l("Save food"))

    def fill_choices(self, vocab: Vocabulary) -> None:
        def options(pairs: Any) -> list[SelectChoice]:
            return [SelectChoice(value, label) for value, label in pairs]

        self.category.choices = options(vocab.categories.items())
        self.form.choices = options(vocab.forms.items())
        self.aisle.choices = options(vocab.aisles.items())
        self.source_name.choices = options((name, name) for name in vocab.sources)
        self.allergens.choices = options((slug, vocab.tags[slug].label) for slug in vocab.allergens)
        self.tags.choices = options((slug, vocab.tags[slug].label) for slug in vocab.typed_tags)

    def nutrient_fields(self) -> list[Any]:
        """Energy and the macronutrients (required but alcohol)."""
        return [self[name] for name in NUTRIENTS if name not in MICRONUTRIENTS]

    def micronutrient_fields(self) -> list[Any]:
        """Calcium, iron, vitamin B12 and vitamin D: optional, empty counts as none."""
        return [self[name] for name in MICRONUTRIENTS]

    def as_record(self) -> Record:
        row: dict[str, str] = {}
        for column in COLUMN_OF_PATH.values():
            value = self[column].data
            if column in LIST_COLUMNS:
                items = value.splitlines() if isinstance(value, str) else (value or [])
                row[column] = ";".join(item.strip() for item in items if item.strip())
            else:
                row[column] = "" if value is None else str(value)
        return row_record(row)

    def load(self, record: Record) -> None:
        """Fill the fields from a stored record (for editing)."""
        for column, path in COLUMNS.items():
            value: Any = record
            for part in path:
                value = value.get(part) if isinstance(value, dict) else None
            if column == "synonyms":
                value = "\n".join(value or [])
            elif column not in LIST_COLUMNS:
                value = cell_text(value)
            self[column].data = value

    def attach_errors(self, errors: dict[str, list[str]]) -> None:
        """Put each record error next to its field; unplaced ones go to the form."""
        self.form_errors = []
        for path, messages in errors.items():
            column = COLUMN_OF_PATH.get(path)
            if column is None and path.startswith("nutrients"):
                column = "energy_kcal"
            if column in self:
                known = list(self[column].errors)
                self[column].errors = known + [m for m in messages if m not in known]
            else:
                self.form_errors.extend(messages)


def _add_nutrient_fields() -> None:
    for name, label in NUTRIENTS.items():
        if name in MICRONUTRIENTS:
            field = _number(_l("%(nutrient)s per 100 g", nutrient=lazy_translate(label)), required=False,
                            max=NUTRIENT_MAX[name], description=_l("Optional: empty counts as 0."))
        else:
            field = _number(_l("%(nutrient)s per 100 g", nutrient=lazy_translate(label)),
                            required=name not in OPTIONAL_NUTRIENTS)
        setattr(FoodForm, name, field)


_add_nutrient_fields()

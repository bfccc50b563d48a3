"""GET /api/v1/words?q=mushrooms,fish,spicy: what each word of an exclusion or dislike means,
for the profile form's live preview (planner.plans.words), among the foods the asker can see."""
from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from planner import catalog
from planner.accounts.web import viewer
from planner.api import bp
from planner.extensions import db
from planner.foods.text import has_control_characters
from planner.plans.words import meanings
from planner.refused import Invalid

MAX_WORDS = 50
MAX_WORD_LENGTH = 60


def typed_words(text: str) -> list[str]:
    """The comma-separated words of `q`, each trimmed; refused when there are too many, one is too
    long, or the text holds control characters."""
    if has_control_characters(text):
        raise Invalid("The words cannot contain control characters.", {"q": "Type words only."})
    words = [word.strip() for word in text.split(",") if word.strip()]
    if len(words) > MAX_WORDS:
        raise Invalid(f"Give at most {MAX_WORDS} words at once.",
                      {"q": f"{len(words)} words: split them into lists of up to {MAX_WORDS}."})
    too_long = [word for word in words if len(word) > MAX_WORD_LENGTH]
    if too_long:
        raise Invalid(f"A word can be at most {MAX_WORD_LENGTH} characters.",
                      {"q": f"Too long: “{too_long[0][:MAX_WORD_LENGTH]}…”. Separate words with commas."})
    return words


@bp.get("/words")
def words() -> ResponseReturnValue:
    """?q=a comma list of words people type in exclusions; each word's meaning, in the order typed
    (blank words and repeats left out): {"meanings": [{word, kind, label, foods: [{slug, name}],
    suggestions}]}."""
    typed = typed_words(request.args.get("q", ""))
    library = catalog.load(db.session, viewer())
    answer: list[dict[str, Any]] = []
    for found in meanings(typed, library.foods, library.names):
        named = sorted(((str(library.foods.get(slug, {}).get("name", slug)), slug) for slug in found.foods),
                       key=lambda pair: (pair[0].casefold(), pair[1]))
        answer.append({"word": found.word, "kind": found.kind, "label": found.label,
                       "foods": [{"slug": slug, "name": name} for name, slug in named],
                       "suggestions": list(found.suggestions)})
    return jsonify({"meanings": answer})

"""Random input to the food pages, form and API never causes a server error."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.foods.exchange import COLUMNS

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
PARAMS = st.dictionaries(st.sampled_from(["q", "tag", "category", "nova", "aisle", "page", "per_page"]), TEXT)
FORM = st.dictionaries(st.sampled_from([*COLUMNS, "allergens", "tags"]), TEXT)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(params=PARAMS)
def test_list_and_api_answer_any_query(client, params):
    for path in ("/foods/", "/api/v1/foods"):
        response = client.get(path, query_string=params)
        assert response.status_code in (200, 400), (path, params)


@FUZZ
@given(data=FORM)
def test_add_form_answers_any_post(client, data):
    response = client.post("/foods/new", data=data)
    assert response.status_code in (302, 400), data


@FUZZ
@given(slug=TEXT)
def test_food_pages_answer_any_slug(client, slug):
    for path in (f"/foods/{slug}", f"/api/v1/foods/{slug}"):
        assert client.get(path).status_code in (200, 308, 404), path


@FUZZ
@given(text=TEXT, mode=st.sampled_from(["auto", "name", "label", "bogus"]))
def test_checker_page_and_api_answer_any_text(client, text, mode):
    assert client.post("/check/", data={"text": text, "mode": mode}).status_code in (200, 400)
    assert client.get("/api/v1/check", query_string={"q": text}).status_code in (200, 400)
    assert client.post("/api/v1/check/label", json={"ingredients": text}).status_code in (200, 400)


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("abc ,;()[]{}%.:-0123456789E\n")), max_size=300))
def test_label_reader_never_fails_on_odd_structure(text):
    from planner.checker.label import read_label

    reading = read_label(text)
    assert 1 <= reading.nova_group <= 4


RECIPE_PARAMS = st.dictionaries(st.sampled_from(["q", "meal", "diet", "tag", "kid_friendly", "max_minutes", "page"]), TEXT)
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers(-10, 500) | st.floats(allow_nan=True) | TEXT,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                           max_leaves=8)
PROFILE_KEYS = ["name", "members", "allergens", "excluded_foods", "excluded_tags", "diets", "max_prep_minutes",
                "meals", "targets", "week_start"]
HOUSEHOLD_FORM = st.dictionaries(st.sampled_from(["name", "members-0-name", "members-0-age", "members-0-sex",
                                                  "members-0-stage", "members-1-age", "diets", "allergens", "meals",
                                                  "excluded_foods", "weekday_minutes", "plants_per_week", "max_repeats"]), TEXT)


@FUZZ
@given(params=RECIPE_PARAMS, servings=TEXT)
def test_recipe_pages_answer_any_query(client, params, servings):
    assert client.get("/recipes/", query_string=params).status_code in (200, 400)
    assert client.get("/recipes/kefir-berry-smoothie-bowl", query_string={"servings": servings}).status_code in (200, 400)


@FUZZ
@given(body=st.dictionaries(st.sampled_from(PROFILE_KEYS), JSON_VALUES, max_size=4))
def test_plans_api_answers_any_profile(client, body):
    response = client.post("/api/v1/plans", json={"profile": body, "week_start": body.pop("week_start", None)})
    assert response.status_code in (201, 400, 422), body


@FUZZ
@given(data=HOUSEHOLD_FORM)
def test_profile_form_answers_any_post(client, data):
    assert client.post("/plans/profiles/new", data=data).status_code in (302, 400), data

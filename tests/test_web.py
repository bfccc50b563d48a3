"""Pages: home, food list with search and filters, food page, add and edit."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from conftest import MEMBER, logged_in, make_app, user
from factories import BASE
from planner.extensions import db
from planner.foods import store
from planner.models import Food


def form_data(**changes: str) -> dict[str, object]:
    n = BASE["nutrients"]
    data: dict[str, object] = {
        "name": "Test lentil", "slug": "", "synonyms": "trial pulse\nlab lentil", "category": "legumes",
        "form": "cooked", "nova_group": "1", **{k: str(v) for k, v in n.items()}, "alcohol_g": "",
        "portion_g": "100", "portion_measure": "1/2 cup cooked", "aisle": "dry-goods",
        "purchase_unit": "bag 500 g", "purchase_grams": "500", "plant_key": "lentil",
        "allergens": [], "tags": ["legume", "prebiotic"], "source_name": "USDA SR Legacy",
        "source_id": "16070", "source_note": "",
    }
    data.update(changes)
    return data


def test_home_explains_and_links(client):
    page = client.get("/").get_data(as_text=True)
    assert "Gut Planner" in page and 'href="/foods/"' in page
    assert "coming soon" not in page and 'href="/shopping/"' in page and 'href="/plans/"' in page
    assert "Leaky Gut" in page  # the sources are named


def test_food_list_paginates(client):
    total = db.session.scalar(select(func.count(Food.id)))
    page = client.get("/foods/").get_data(as_text=True)
    assert f"{total} foods." in page and 'rel="next"' in page
    last = -(-total // 24)
    last_page = client.get(f"/foods/?page={last}").get_data(as_text=True)
    assert 'rel="next"' not in last_page and f"Page {last} of {last}" in last_page


def test_food_list_search_and_filters(client):
    page = client.get("/foods/?q=chikpeas").get_data(as_text=True)
    assert "Chickpea" in page
    page = client.get("/foods/?tag=live-cultures").get_data(as_text=True)
    assert "Kefir" in page and "Cola" not in page
    page = client.get("/foods/?nova=4&category=drinks").get_data(as_text=True)
    assert "Cola" in page and "Kefir" not in page


@pytest.mark.parametrize("query", ["nova=9", "page=abc", "tag=magic", "aisle=moon", "per_page=0"])
def test_bad_list_parameters_are_400_with_message(client, query):
    response = client.get(f"/foods/?{query}")
    assert response.status_code == 400
    assert "not understood" in response.get_data(as_text=True)


def test_food_page_shows_everything(client):
    food = store.get_food(db.session, "test-lentil") or db.session.scalar(select(Food).where(Food.fibre_g > 5))
    page = client.get(f"/foods/{food.slug}").get_data(as_text=True)
    for text in ["Per 100 g", "Per portion", "NOVA", "Nutrient source", "Allergens", "Counts as plant",
                 food.portion_measure]:
        assert text in page, text


def test_unknown_food_is_404_page(client):
    response = client.get("/foods/no-such-food")
    assert response.status_code == 404 and "Not found" in response.get_data(as_text=True)


def _private(name: str) -> Food:
    """The member's household's own food of this name."""
    return db.session.scalar(select(Food).where(Food.name == name, Food.household_id == user(MEMBER).household_id))


def test_add_food_form_saves_and_redirects(client):
    assert client.get("/foods/new").status_code == 200
    response = client.post("/foods/new", data=form_data())
    # A private food's slug has a random ending: it never tells what other households keep.
    assert response.status_code == 302 and re.search(r"/foods/test-lentil-[0-9a-f]{6}$", response.headers["Location"])
    saved = store.food_record(_private("Test lentil"))
    assert saved["synonyms"] == ["trial pulse", "lab lentil"]
    assert "high-fibre" in saved["tags"] and saved["nutrients"]["alcohol_g"] == 0


def test_food_form_has_the_micronutrients_as_optional_fields(client):
    page = client.get("/foods/new").get_data(as_text=True)
    assert "Minerals and vitamins per 100 g (optional)" in page
    for name, label in [("calcium_mg", "Calcium (mg) per 100 g"), ("iron_mg", "Iron (mg) per 100 g"),
                        ("vitamin_b12_ug", "Vitamin B12 (µg) per 100 g"), ("vitamin_d_ug", "Vitamin D (µg) per 100 g")]:
        assert f'<label for="{name}">{label}</label>' in page, name
        tag = re.search(rf'<input[^>]*\bid="{name}"[^>]*>', page)
        assert tag and "required" not in tag.group(0), name


def test_add_food_without_micronutrients_saves_zero_and_with_them_keeps_them(client):
    empty = {"calcium_mg": "", "iron_mg": "", "vitamin_b12_ug": "", "vitamin_d_ug": ""}
    assert client.post("/foods/new", data=form_data(**empty)).status_code == 302
    saved = store.food_record(_private("Test lentil"))
    assert [saved["nutrients"][k] for k in empty] == [0, 0, 0, 0]
    assert client.post("/foods/new", data=form_data(name="Fortified lentil", synonyms="", calcium_mg="120",
                                                    vitamin_b12_ug="0.38")).status_code == 302
    saved = store.food_record(_private("Fortified lentil"))
    assert saved["nutrients"]["calcium_mg"] == 120 and saved["nutrients"]["vitamin_b12_ug"] == 0.38
    assert saved["nutrients"]["iron_mg"] == 3.33


def test_bad_micronutrient_shows_next_to_its_field(client):
    response = client.post("/foods/new", data=form_data(vitamin_d_ug="400", iron_mg="lots"))
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert re.search(r'id="vitamin_d_ug-error">Must be between 0 and 250 µg per 100 g.', page)
    assert re.search(r'id="iron_mg-error">Must be a number.', page)


def test_add_food_errors_show_next_to_fields(client):
    before = db.session.scalar(select(func.count(Food.id)))
    response = client.post("/foods/new", data=form_data(name="", fibre_g="-3", energy_kcal="500", purchase_grams="x"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'id="name-error">This field is required', page)
    assert 'id="fibre_g-error"' in page and 'id="purchase_grams-error"' in page
    assert 'aria-invalid="true"' in page
    assert db.session.scalar(select(func.count(Food.id))) == before


def test_add_food_with_taken_slug_or_name_is_refused(client):
    existing = db.session.scalar(select(Food).order_by(Food.slug))
    page = client.post("/foods/new", data=form_data(slug=existing.slug)).get_data(as_text=True)
    assert "exists already" in page
    page = client.post("/foods/new", data=form_data(name=existing.name.upper() + "S")).get_data(as_text=True)
    assert f"already a name of '{existing.slug}'" in html.unescape(page)


def test_edit_food_keeps_slug_and_saves(admin_client):
    client = admin_client
    food = db.session.scalar(select(Food).order_by(Food.slug))
    page = client.get(f"/foods/{food.slug}/edit").get_data(as_text=True)
    assert food.name in page
    record = store.stored_record(food)
    data = form_data(name=record["name"], category=record["category"], form=record["form"],
                     nova_group=str(record["nova_group"]), synonyms="\n".join(record["synonyms"]),
                     **{k: str(v) for k, v in record["nutrients"].items()},
                     portion_g=str(record["portion"]["grams"]), portion_measure="one big spoon",
                     aisle=record["aisle"], purchase_unit=record["purchase_unit"]["unit"],
                     purchase_grams=str(record["purchase_unit"]["grams"]), plant_key=record["plant_key"] or "",
                     allergens=record["allergens"], tags=record["tags"], source_name=record["source"]["name"],
                     source_id=record["source"]["id"] or "", source_note=record["source"]["note"] or "")
    response = client.post(f"/foods/{food.slug}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert store.get_food(db.session, food.slug).portion_measure == "one big spoon"


def test_edit_unknown_food_is_404(client):
    assert client.get("/foods/nope/edit").status_code == 404


def test_csrf_is_enforced_when_enabled(database):
    app = make_app(database, WTF_CSRF_ENABLED=True)
    with app.app_context():
        response = logged_in(app, MEMBER).post("/foods/new", data=form_data())
        assert response.status_code == 400
        assert "reload the page" in response.get_data(as_text=True)
        page = logged_in(app, MEMBER).get("/foods/new").get_data(as_text=True)
        assert 'name="csrf_token"' in page
        db.engine.dispose()


def test_every_form_field_has_a_label(client):
    page = client.get("/foods/new").get_data(as_text=True)
    ids = set(re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', page)) - {"csrf_token", "submit"}
    labelled = set(re.findall(r'<label for="([^"]+)"', page))
    assert ids and ids <= labelled, ids - labelled

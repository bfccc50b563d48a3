"""Safety in the checker: medicines get "ask your healthcare provider" and never "avoid";
pregnancy (NHS and FDA lists) for a pregnant person only; red flags on the page; swaps that
are safe for the person (milk for fortified plant drinks or water, no tea or kombucha for
children); fruit juice as free sugar."""
from __future__ import annotations

import html
import json
import re

import pytest

from planner.checker.check import check_food, check_label, swap_table
from planner.checker.guidance import guidance
from planner.checker.pregnancy import pregnancy_matches, pregnancy_named, pregnancy_rules
from planner.checker.red_flags import red_flags
from planner.checker.restrictions import Restrictions, RestrictionsError, restrictions_from_dict
from planner.data import vocabulary
from test_data import INDEX

PREGNANT = Restrictions(pregnant=True)
CHILD = Restrictions(children=True)
MILK = Restrictions(allergens=frozenset({"milk"}))
# Words that would tell someone to stop or avoid a medicine.
TELLS_TO_STOP = re.compile(r"\b(avoid|stop taking|stop using|don't take|do not take|cut out|give up|quit)\b", re.I)


def _texts(result: dict) -> list[str]:
    return [t for r in result["reasons"] for t in (r["text"], r["why"])] + [result.get("medicine_note") or ""]


# -- medicines: ask, never avoid ---------------------------------------------------------------

MEDICINES = ["ibuprofen", "Nurofen", "naproxen", "diclofenac", "aspirin", "low-dose aspirin", "celecoxib",
             "NSAIDs", "ibuprofen 200 mg tablets", "aspirin 75mg", "amoxicillin", "antibiotics", "penicillin",
             "co-amoxiclav", "doxycycline", "chemotherapy", "chemo"]


@pytest.mark.parametrize("query", MEDICINES)
@pytest.mark.parametrize("profile", [None, PREGNANT, MILK], ids=["anyone", "pregnant", "milk-allergy"])
def test_a_medicine_is_ask_never_avoid_and_never_told_to_stop(query, profile):
    result = check_food(query, INDEX, profile)
    assert result["verdict"] == "ask" and result["kind"] == "medicine" and result["food"] is None
    assert result["swaps"] == [] and not result["personal"] and not result["in_pregnancy"]
    assert result["reasons"][0]["rule"] in {"nsaids", "antibiotics", "chemotherapy"}
    assert result["reasons"][0]["source"], "the article that names it"
    for text in _texts(result):
        assert not TELLS_TO_STOP.search(text), text
    assert "never advises stopping or changing" in result["medicine_note"]
    assert "prescribed" in result["medicine_note"]


def test_the_aspirin_reason_speaks_of_the_heart_and_the_prescriber():
    why = check_food("aspirin", INDEX)["reasons"][0]["why"]
    assert "low-dose aspirin" in why and "heart" in why and "doctor or pharmacist" in why


def test_pregnancy_adds_ask_before_any_medicine():
    rules = [r["rule"] for r in check_food("ibuprofen", INDEX, PREGNANT)["reasons"]]
    assert rules == ["nsaids", "pregnancy-medicines"]


def test_words_that_only_contain_a_medicine_name_are_not_medicines():
    assert check_food("antibiotic free chicken", INDEX)["verdict"] != "ask"


def test_medicines_on_the_page_api_and_command_line(client, runner):
    page = html.unescape(client.get("/check/?q=ibuprofen").get_data(as_text=True))
    assert "Ask your healthcare provider" in page and "is a medicine, not a food" in page
    assert "never advises stopping or changing a medicine" in page
    assert not re.search(r'<h2 class="verdict">.*Avoid', page, re.S)
    body = client.get("/api/v1/check?q=aspirin").get_json()
    assert body["verdict"] == "ask" and body["kind"] == "medicine"
    result = runner.invoke(args=["check", "amoxicillin"])
    assert result.exit_code == 0 and result.output.startswith("ASK YOUR HEALTHCARE PROVIDER: amoxicillin")
    assert "AVOID" not in result.output


# -- pregnancy ---------------------------------------------------------------------------------

AVOID_IN_PREGNANCY = [("beef liver", "beef-liver-raw"), ("chicken liver", "chicken-livers-raw"),
                      ("smoked salmon", "smoked-salmon"), ("pâté", None), ("liver pâté", None), ("brie", "brie"),
                      ("alfalfa sprouts", "alfalfa-sprouts"), ("bean sprouts", "bean-sprouts"),
                      ("red wine", "red-wine"), ("lager", "lager"), ("alcohol", None), ("swordfish", None),
                      ("camembert", None), ("raw egg", "egg-whole-raw"), ("salami", "salami"),
                      ("slippery elm", "slippery-elm-powder"), ("cod liver oil", None), ("raw milk", None)]


@pytest.mark.parametrize("query, slug", AVOID_IN_PREGNANCY, ids=[q for q, _ in AVOID_IN_PREGNANCY])
def test_avoid_in_pregnancy_with_reason_and_source(query, slug):
    result = check_food(query, INDEX, PREGNANT)
    assert result["verdict"] == "avoid" and result["in_pregnancy"], result["reasons"]
    assert (result["food"] or {}).get("slug") == slug
    first = result["reasons"][0]
    assert first["rule"].startswith("pregnancy-") and first["text"].startswith("In pregnancy")
    assert re.search(r"\bNHS\b|\bFDA\b", first["source"])


@pytest.mark.parametrize("query, slug", [("coffee", "coffee-brewed"), ("black tea", "black-tea"), ("green tea", "green-tea"),
                                         ("tuna", "tuna-canned-in-water"), ("salmon", "salmon-fillet-raw"),
                                         ("peppermint tea", "peppermint-tea")])
def test_limit_in_pregnancy(query, slug):
    result = check_food(query, INDEX, PREGNANT)
    assert (result["verdict"], result["food"]["slug"], result["in_pregnancy"]) == ("limit", slug, True)
    assert result["reasons"][0]["rule"].startswith("pregnancy-")
    if query == "coffee":
        assert "200 mg" in result["reasons"][0]["text"]


@pytest.mark.parametrize("query", [q for q, _ in AVOID_IN_PREGNANCY] + ["coffee", "tuna", "salmon"])
def test_the_same_foods_are_unchanged_without_pregnancy(query):
    plain = check_food(query, INDEX)
    assert check_food(query, INDEX, Restrictions()) == plain
    assert check_food(query, INDEX, Restrictions(pregnant=False, children=False)) == plain
    assert not plain["in_pregnancy"] and not any(r["rule"].startswith("pregnancy-") for r in plain["reasons"])


def test_unchanged_verdicts_without_pregnancy():
    verdicts = {q: check_food(q, INDEX)["verdict"] for q in ("beef liver", "smoked salmon", "coffee", "tuna")}
    assert verdicts == {"beef liver": "good", "smoked salmon": "good", "coffee": "good", "tuna": "good"}


def test_cooked_eggs_and_fish_stay_fine_in_pregnancy():
    assert check_food("boiled egg", INDEX, PREGNANT)["verdict"] in ("good", "recommended")
    assert check_food("eggs", INDEX, PREGNANT)["verdict"] in ("good", "recommended")
    assert check_food("cod", INDEX, PREGNANT)["verdict"] in ("good", "recommended")
    assert check_food("cheddar", INDEX, PREGNANT)["in_pregnancy"] is False


def test_pregnancy_swaps_are_safe_in_pregnancy():
    for query in ("smoked salmon", "cola", "lager", "brie"):
        for swap in check_food(query, INDEX, PREGNANT)["swaps"]:
            assert check_food(swap["name"], INDEX, PREGNANT)["verdict"] in ("recommended", "good"), (query, swap)
            assert swap["slug"] not in swap_table().not_in_pregnancy


def test_a_label_with_liver_or_alcohol_is_avoid_in_pregnancy():
    pate = "Pork Liver (35%), Pork Fat, Water, Onion, Salt, Spices, Preservative: Sodium Nitrite."
    result = check_label(pate, INDEX, PREGNANT)
    assert result["verdict"] == "avoid" and result["in_pregnancy"]
    assert result["reasons"][0]["rule"] == "pregnancy-liver"
    assert not check_label(pate, INDEX)["in_pregnancy"]
    wine = check_label("Grapes, preservative (sulphites). Alc. 12.5% vol", INDEX, PREGNANT)
    assert wine["in_pregnancy"] and wine["reasons"][0]["rule"] == "pregnancy-alcohol"


def test_pregnant_comes_from_the_flag_or_a_member_stage():
    assert restrictions_from_dict({"pregnant": True}).pregnant
    assert restrictions_from_dict({"pregnant": "1"}).pregnant and not restrictions_from_dict({"pregnant": "0"}).pregnant
    member = {"name": "Ana", "age": 31, "sex": "female", "stage": "pregnant"}
    profile = restrictions_from_dict({"members": [member, {"name": "Leo", "age": 4}], "allergens": ["milk"]})
    assert profile.pregnant and profile.children and profile.allergens == {"milk"}
    assert not restrictions_from_dict({"members": [{"name": "Al", "age": 40}]}).pregnant
    assert restrictions_from_dict({"allergens": "milk"}) == Restrictions(allergens=frozenset({"milk"}))
    with pytest.raises(RestrictionsError, match="true or false"):
        restrictions_from_dict({"pregnant": "maybe"})
    with pytest.raises(RestrictionsError, match="members"):
        restrictions_from_dict({"members": "Ana"})


def test_pregnancy_data_is_well_formed():
    vocab = vocabulary()
    slugs = set(INDEX.by_slug)
    rules = pregnancy_rules()
    assert len({r.id for r in rules}) == len(rules)
    for rule in rules:
        assert rule.effect in ("avoid", "limit", "ask") and rule.text.startswith("In pregnancy") and rule.why
        assert rule.sources and all(re.search(r"\bNHS\b|\bFDA\b", s) for s in rule.sources)
        assert rule.foods <= slugs and rule.categories <= set(vocab.categories) and rule.tags <= set(vocab.tags)
    ids = {r.id for r in rules}
    assert {"liver", "pate", "raw-meat", "raw-fish", "raw-eggs", "smoked-fish", "raw-shellfish", "high-mercury-fish",
            "unpasteurised-dairy", "soft-mould-ripened-cheese", "raw-sprouts", "herbal-remedies", "herbal-tea",
            "alcohol", "caffeine", "tuna", "oily-fish", "vitamin-a"} <= ids
    assert [r.id for r in pregnancy_matches(INDEX.by_slug["walnuts"])] == []  # omega-3 but not a fish
    assert {r.id for r in pregnancy_matches(INDEX.by_slug["mackerel-raw"])} == {"oily-fish"}
    assert [r.id for r in pregnancy_named("Pâtés")] == ["pate"]


def test_pregnant_on_the_api(client):
    body = client.get("/api/v1/check?q=smoked%20salmon&pregnant=1").get_json()
    assert body["verdict"] == "avoid" and body["in_pregnancy"] and body["reasons"][0]["rule"] == "pregnancy-smoked-fish"
    assert "NHS" in body["reasons"][0]["source"]
    body = client.get("/api/v1/check?q=smoked%20salmon").get_json()
    assert body["verdict"] == "good" and not body["in_pregnancy"]
    body = client.get("/api/v1/check?q=coffee&pregnant=true").get_json()
    assert body["verdict"] == "limit" and body["in_pregnancy"]
    response = client.get("/api/v1/check?q=coffee&pregnant=perhaps")
    assert response.status_code == 400 and "true or false" in response.get_json()["error"]
    label = client.post("/api/v1/check/label", json={"ingredients": "Red wine (sulphites)", "profile": {"pregnant": True}})
    assert label.get_json()["in_pregnancy"]


def test_pregnant_checkbox_starts_from_the_household_and_is_never_kept_in_a_cookie(client):
    page = client.get("/check/").get_data(as_text=True)
    assert 'name="pregnant"' in page and "I&#39;m pregnant" in page
    page = client.post("/check/", data={"text": "beef liver", "mode": "name", "pregnant": "y"}).get_data(as_text=True)
    assert "Avoid" in page and "in pregnancy" in page and "vitamin A" in page
    page = client.get("/check/?q=smoked%20salmon").get_data(as_text=True)
    assert not re.search(r'name="pregnant"[^>]*checked|checked[^>]*name="pregnant"', page)
    from conftest import MEMBER, user
    from planner.extensions import db
    from planner.plans import service as plans, store as plan_store
    expecting = plans.parse_profile(db.session, {"name": "Us", "members": [
        {"name": "Sara", "age": 31, "sex": "female", "stage": "pregnant"}]})
    plan_store.save_profile(db.session, expecting, None, user(MEMBER).household_id)
    page = client.get("/check/?q=smoked%20salmon").get_data(as_text=True)
    assert "in pregnancy" in page and re.search(r'name="pregnant"[^>]*checked|checked[^>]*name="pregnant"', page)
    page = client.post("/check/", data={"text": "beef liver", "mode": "name"}).get_data(as_text=True)
    verdict = re.search(r'<h2 class="verdict">(.*?)</h2>', page, re.S).group(1)
    assert "Good" in verdict and "in pregnancy" not in verdict
    assert "Avoid in pregnancy</span>" in page  # the earlier check, in the recent list


def test_pregnant_on_the_command_line(runner, tmp_path):
    result = runner.invoke(args=["check", "smoked salmon", "--pregnant"])
    assert result.exit_code == 0 and result.output.startswith("AVOID in pregnancy: Smoked salmon")
    profile = tmp_path / "family.json"
    profile.write_text(json.dumps({"members": [{"name": "Ana", "age": 30, "sex": "female", "stage": "pregnant"}]}))
    result = runner.invoke(args=["check", "brie", "--profile", str(profile)])
    assert result.output.startswith("AVOID in pregnancy: Brie")
    assert runner.invoke(args=["check", "brie"]).output.startswith("LIMIT: Brie")


# -- red flags ---------------------------------------------------------------------------------

def test_red_flags_are_data_with_sources():
    flags = red_flags()
    assert flags.heading == "When to see a doctor" and len(flags.flags) >= 9
    assert all(flag.sources for flag in flags.flags)
    words = " ".join(flag.text.lower() for flag in flags.flags)
    for needed in ("blood", "black", "weight", "sick", "night", "swallowing", "child", "pain", "3 weeks", "baby"):
        assert needed in words, needed


def test_red_flags_are_shown_on_the_checker_page(client):
    page = html.unescape(client.get("/check/").get_data(as_text=True))
    assert '<aside class="red-flags"' in page and "When to see a doctor" in page
    for flag in red_flags().flags:
        assert flag.text in page
    assert "NICE" in page and "NHS" in page


# -- swaps -------------------------------------------------------------------------------------

FORTIFIED = guidance().rule("fortified-alternative").foods
WATER = {"water", "sparkling-mineral-water"}
NOT_FOR_CHILDREN = {"kombucha", "water-kefir", "green-tea", "black-tea", "coffee-brewed", "peppermint-tea"}


@pytest.mark.parametrize("query", ["milk", "semi skimmed milk", "skimmed milk", "goat milk", "chocolate milk"])
@pytest.mark.parametrize("profile", [MILK, Restrictions(allergens=frozenset({"milk"}), children=True)],
                         ids=["milk-allergy", "milk-allergy-child"])
def test_milk_drink_swaps_are_a_fortified_plant_drink_or_water(query, profile):
    result = check_food(query, INDEX, profile)
    assert result["verdict"] == "avoid"
    swaps = {s["slug"] for s in result["swaps"]}
    assert swaps and swaps <= FORTIFIED | WATER, swaps


def test_excluded_milk_swaps_are_never_tea_or_kombucha():
    result = check_food("semi skimmed milk", INDEX, Restrictions(excluded_foods=frozenset({"semi-skimmed-milk"})))
    assert result["swaps"] and not {s["slug"] for s in result["swaps"]} & NOT_FOR_CHILDREN


def test_fortified_plant_drinks_and_yoghurt_are_not_avoid_for_someone_avoiding_dairy():
    for query in ("soya milk", "almond milk", "oat milk", "soy yoghurt"):
        result = check_food(query, INDEX, MILK)
        assert result["verdict"] in ("good", "recommended"), (query, result["reasons"])
        assert "fortified-alternative" in {r["rule"] for r in result["reasons"]}


@pytest.mark.parametrize("query", ["cola", "diet coke", "energy drink", "orange juice", "apple juice", "lager",
                                   "fruit squash"])
def test_no_tea_coffee_or_kombucha_swaps_for_a_child_or_in_pregnancy(query):
    for profile, banned in ((CHILD, NOT_FOR_CHILDREN), (PREGNANT, NOT_FOR_CHILDREN - {"peppermint-tea"})):
        swaps = {s["slug"] for s in check_food(query, INDEX, profile)["swaps"]}
        assert not swaps & banned, (query, swaps)


def test_a_child_in_the_profile_members_keeps_kombucha_out_of_swaps():
    profile = restrictions_from_dict({"members": [{"name": "Mum", "age": 35}, {"name": "Kit", "age": 7}]})
    assert profile.children
    assert not {s["slug"] for s in check_food("cola", INDEX, profile)["swaps"]} & NOT_FOR_CHILDREN


def test_every_swap_is_a_curated_food():
    table = swap_table()
    named = {slug for slugs in (*table.by_food.values(), *table.by_category.values()) for slug in slugs}
    named |= set(table.by_food) | table.only_listed | table.not_for_children | table.not_in_pregnancy
    pending = {"water"}  # plain drinking water: skipped until the curated foods have it
    assert named - pending <= set(INDEX.by_slug), named - set(INDEX.by_slug)


# -- fruit juice -------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["orange juice", "apple juice"])
def test_fruit_juice_counts_as_free_sugar(query):
    result = check_food(query, INDEX)
    assert result["verdict"] == "limit"
    reason = next(r for r in result["reasons"] if r["rule"] == "fruit-juice")
    assert "free sugar" in reason["text"] and "WHO" in reason["source"]
    assert {s["slug"] for s in result["swaps"]} & {"orange", "apple", "water", "sparkling-mineral-water"}

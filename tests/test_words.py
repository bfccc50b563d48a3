"""Words in exclusions and dislikes mean what a family means (planner.plans.words): "mushrooms" is
every mushroom, "fish" every fish, "spicy" anything with chilli; an exact food name is just that
food; an unknown word gets close words that would work. And the API's live preview of them."""
from __future__ import annotations

from functools import cache
from urllib.parse import quote

import pytest

from planner.checker.groups import food_groups
from planner.data import curated_food_records, exclusion_words, vocabulary
from planner.foods.text import key
from planner.plans.words import Meaning, broad_words, foods_meant, meaning, meanings


@cache
def curated() -> tuple[dict, dict]:
    """The curated foods by slug and what people may write for each (as Catalog.names)."""
    foods = {}
    for sourced in curated_food_records():
        record = {"synonyms": [], "tags": [], "allergens": [], "plant_key": None, **sourced.record}
        foods[record["slug"]] = record
    names: dict[str, str] = {}
    for record in foods.values():
        for text in (record["slug"], record["name"], *record["synonyms"]):
            names.setdefault(text.lower(), record["slug"])
    return foods, names


def read(word: str) -> Meaning:
    return meaning(word, *curated())


@pytest.mark.parametrize("word, covers, leaves_out", [
    ("mushrooms", {"button-mushrooms", "shiitake-mushrooms", "oyster-mushrooms", "portobello-mushrooms"},
     {"onion"}),
    ("cheese", {"cheddar-cheese", "feta-cheese", "goat-cheese", "ricotta", "swiss-cheese", "mozzarella"},
     {"whole-milk", "plain-yoghurt-whole-milk"}),
    ("fish", {"salmon-fillet-raw", "cod-fillet-raw", "haddock-fillet-raw", "white-fish-fillets-frozen",
              "mackerel-raw", "tuna-canned-in-water", "fish-fingers", "fish-sauce"}, {"prawns-raw", "mussels-cooked"}),
    ("seafood", {"salmon-fillet-raw", "prawns-raw", "mussels-cooked", "squid-raw"}, {"chicken-breast-raw"}),
    ("shellfish", {"prawns-raw", "crab-meat-cooked", "mussels-cooked", "scallops-raw"}, {"cod-fillet-raw"}),
    ("nuts", {"peanuts", "walnuts", "almonds", "cashews", "peanut-butter", "mixed-nuts-salted", "pine-nuts"},
     {"pumpkin-seeds", "sunflower-seeds", "chia-seeds", "nutmeg", "coconut", "butternut-squash"}),
    ("eggs", {"egg-whole-raw", "egg-boiled", "duck-egg-raw", "mayonnaise"}, {"chicken-breast-raw"}),
    ("peppers", {"red-pepper", "green-pepper", "red-chilli"}, {"black-pepper", "pepperoni", "peppermint-tea"}),
    ("spicy", {"red-chilli", "chilli-flakes", "kimchi"}, {"red-pepper", "ground-cinnamon"}),
    ("spicy food", {"red-chilli", "chilli-flakes"}, {"green-pepper"}),
    ("hot food", {"red-chilli"}, set()),
    ("chilli", {"red-chilli", "chilli-flakes"}, set()),
    ("dairy", {"whole-milk", "cheddar-cheese", "salted-butter", "kefir"}, {"oat-drink", "coconut-yoghurt"}),
    ("gluten", {"rolled-oats", "white-pasta-dry", "wholemeal-bread", "lager"}, {"white-rice-dry", "quinoa-dry"}),
    ("meat", {"chicken-breast-raw", "sirloin-steak-raw", "bacon", "pork-sausages"}, {"tofu-firm", "salmon-fillet-raw"}),
    ("red meat", {"sirloin-steak-raw", "leg-of-lamb-raw", "pork-loin-raw", "bacon"},
     {"chicken-breast-raw", "turkey-mince", "lard"}),
    ("pork", {"pork-loin-raw", "bacon", "cooked-ham", "pork-sausages", "salami"}, {"sirloin-steak-raw"}),
    ("chicken", {"chicken-breast-raw", "chicken-thigh-raw", "roast-chicken", "chicken-nuggets"},
     {"egg-whole-raw", "chickpeas-canned", "turkey-mince"}),
    ("onions", {"onion", "red-onion", "spring-onion", "shallot"}, {"garlic"}),
    ("garlic", {"garlic"}, {"onion"}),
])
def test_broad_words_cover_every_food_of_their_kind(word, covers, leaves_out):
    found = read(word)
    assert found.kind not in ("food", "unknown"), found
    assert covers <= set(found.foods), covers - set(found.foods)
    assert not leaves_out & set(found.foods), leaves_out & set(found.foods)
    assert list(found.foods) == sorted(found.foods)
    assert f"({len(found.foods)} food" in found.label


def test_labels_say_what_was_understood():
    assert read("mushrooms").label == "All mushrooms (4 foods)"
    assert read("spicy").label.startswith("Anything with chilli")
    assert read("Mushrooms").word == "mushrooms" and read("  spicy   food ").word == "spicy food"


def test_singular_plural_and_case_read_alike():
    assert read("Mushroom").foods == read("mushrooms").foods
    assert read("EGG").foods == read("eggs").foods
    assert read("chillies").foods == read("chilli").foods


@pytest.mark.parametrize("word, slug", [("cheddar", "cheddar-cheese"), ("shiitake", "shiitake-mushrooms"),
                                        ("Button mushrooms", "button-mushrooms"), ("feta", "feta-cheese"),
                                        ("crème fraîche", "creme-fraiche"), ("salmon", "salmon-fillet-raw"),
                                        ("button mushroom", "button-mushrooms")])
def test_an_exact_food_name_is_just_that_food(word, slug):
    found = read(word)
    assert (found.kind, found.foods) == ("food", (slug,))
    assert found.label == curated()[0][slug]["name"]


def test_then_food_groups_categories_and_tags():
    bread = read("bread")
    assert bread.kind == "group" and "wholemeal-bread" in bread.foods
    grains = read("Grains and flours")
    assert grains.kind == "category" and "rolled-oats" in grains.foods and "apple" not in grains.foods
    assert read("soothing-herbs").kind == read("Snacks, sweets and biscuits").kind == "category"
    live = read("live cultures")
    assert live.kind == "tag" and "kefir" in live.foods and "apple" not in live.foods
    lupin = read("lupin")  # the food's name wins over the allergen's
    assert lupin.kind == "food"
    assert read("sulphites").kind == "tag" and "sparkling-wine" in read("sulphites").foods


@pytest.mark.parametrize("typo, suggested", [("mushroms", "mushrooms"), ("chese", "cheese"), ("spicey", "spicy"),
                                             ("brocoli", "broccoli"), ("peanutz", "peanuts")])
def test_unknown_words_get_suggestions_that_resolve(typo, suggested):
    found = read(typo)
    assert found.kind == "unknown" and found.foods == ()
    assert suggested in found.suggestions and len(found.suggestions) <= 3
    assert "did you mean" in found.label
    assert all(read(word).kind != "unknown" for word in found.suggestions)


def test_nonsense_gets_no_suggestions_and_blank_words_are_skipped():
    assert read("xqzzkw") == Meaning("xqzzkw", "unknown", read("xqzzkw").label, (), ())
    assert [m.word for m in meanings(["fish", " ", "", "Fish", "nuts"], *curated())] == ["fish", "nuts"]


def test_foods_meant_is_the_union_of_known_words():
    foods, names = curated()
    found = foods_meant(["mushrooms", "cheddar", "mushroms"], foods, names)
    assert found == frozenset(read("mushrooms").foods) | {"cheddar-cheese"}
    assert foods_meant([], foods, names) == frozenset()


def test_the_family_s_words_now_work():
    """The words the family could not save: each now covers what they meant."""
    foods, names = curated()
    found = {m.word: m for m in meanings(["mushrooms", "cheese", "fish", "nuts", "eggs", "peppers", "spicy food"],
                                         foods, names)}
    assert all(m.kind != "unknown" and m.foods for m in found.values())
    assert "shiitake-mushrooms" in found["mushrooms"].foods and "feta-cheese" in found["cheese"].foods


def test_the_data_file_is_sound():
    """Every broad word is unique; every category, allergen, tag, group and plant key it names exists."""
    vocab = vocabulary()
    groups = {group.key for group in food_groups().values()}
    plant_keys = {r.record.get("plant_key") for r in curated_food_records()}
    entries = exclusion_words()
    for entry in entries:
        assert entry["kind"] in ("group", "category", "plant", "tag") and entry["label"] and entry["words"]
        for rule in (entry, entry.get("except") or {}):
            assert set(rule.get("categories", [])) <= set(vocab.categories), entry["key"]
            assert set(rule.get("allergens", [])) <= set(vocab.allergens), entry["key"]
            assert set(rule.get("tags", [])) <= set(vocab.tags), entry["key"]
            assert set(rule.get("groups", [])) <= groups, entry["key"]
            assert set(rule.get("plant_keys", [])) <= plant_keys, entry["key"]
    owners: dict[str, set[str]] = {}
    for entry in entries:
        for word in entry["words"]:
            owners.setdefault(key(word), set()).add(entry["key"])
    assert all(len(found) == 1 for found in owners.values()), owners
    assert set(broad_words()) == set(owners)


# -- the API's live preview --------------------------------------------------------------------

def test_api_previews_each_word(client):
    response = client.get("/api/v1/words?q=mushrooms,fish,spicy,cheddar,mushroms")
    assert response.status_code == 200
    body = response.get_json()["meanings"]
    assert [m["word"] for m in body] == ["mushrooms", "fish", "spicy", "cheddar", "mushroms"]
    mushrooms = body[0]
    assert mushrooms["kind"] == "plant" and mushrooms["label"].startswith("All mushrooms")
    assert {"slug": "shiitake-mushrooms", "name": "Shiitake mushrooms"} in mushrooms["foods"]
    assert {f["slug"] for f in body[1]["foods"]} >= {"salmon-fillet-raw", "cod-fillet-raw"}
    assert "red-chilli" in {f["slug"] for f in body[2]["foods"]}
    assert body[3]["kind"] == "food" and [f["slug"] for f in body[3]["foods"]] == ["cheddar-cheese"]
    assert body[4]["kind"] == "unknown" and "mushrooms" in body[4]["suggestions"] and body[4]["foods"] == []
    assert set(mushrooms) == {"word", "kind", "label", "foods", "suggestions"}


def test_api_preview_is_open_to_visitors_and_empty_for_no_words(anon, client):
    assert anon.get("/api/v1/words?q=nuts").get_json()["meanings"][0]["kind"] == "category"
    assert client.get("/api/v1/words").get_json() == {"meanings": []}
    assert client.get("/api/v1/words?q=,%20,").get_json() == {"meanings": []}


@pytest.mark.parametrize("query", [",".join(["fish"] * 51), "a" * 61, "fish," + "b" * 61, "fish%00", "fi%01sh"])
def test_api_refuses_bad_input_with_a_clear_message(client, query):
    response = client.get(f"/api/v1/words?q={query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] and "q" in body["fields"]


def test_api_takes_fifty_words_of_sixty_characters(client):
    words = [f"{'x' * 58}{n:02d}" for n in range(50)]
    response = client.get(f"/api/v1/words?q={quote(','.join(words))}")
    assert response.status_code == 200 and len(response.get_json()["meanings"]) == 50

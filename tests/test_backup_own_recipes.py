"""A household's own recipes in its backup: exported with their lines, the foods chosen for them
and their photo; restored into another household as its own, read again against the foods
there, with plans that name them following any slug that had to change."""
from __future__ import annotations

import base64
import copy
import io
import json
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from conftest import MEMBER, OTHER, user
from factories import food
from planner.data import SourcedRecord, vocabulary
from planner.extensions import db
from planner.foods import store as food_store
from planner.models import Food, Plan, Profile, Recipe, RecipeImage

DAL = {
    "title": "Our red lentil dal", "meals": ["dinner"], "servings": 4, "prep_minutes": 15, "total_minutes": 35,
    "lines": ["250 g red lentils", "1 onion, finely chopped", "2 garlic cloves, crushed",
              "1 x 400 g can chopped tomatoes", "2 tbsp olive oil", "1 tsp ground cumin", "salt, to taste"],
    "steps": ["Soften the onion and garlic in the oil.", "Add the lentils, tomatoes, cumin and 800 ml water; "
              "simmer for 20 minutes until the lentils are soft."],
    "kid_friendly": True, "keeps_days": 2, "notes": "Gran's way.\nDouble the cumin for us.",
    "source_url": "https://example.com/dal",
}
STEW = {**DAL, "title": "House bean stew", "lines": ["300 g house beans", "1 onion, finely chopped",
                                                    "1 x 400 g can chopped tomatoes", "2 tbsp olive oil"],
        "notes": "", "source_url": None}


def _create(client, body: dict) -> dict:
    answer = client.post("/api/v1/recipes", json=body)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def _png(width: int = 300, height: int = 200) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def _photograph(client, slug: str) -> None:
    sent = client.post(f"/recipes/{slug}/photo", data={"photo": (io.BytesIO(_png()), "dish.png")},
                       content_type="multipart/form-data")
    assert sent.status_code == 302


def _house_beans(email: str) -> None:
    food_store.upsert_records(db.session, [SourcedRecord("test", food(
        slug="house-beans", name="House beans", synonyms=[], plant_key="house-beans"))], vocabulary(),
        household_id=user(email).household_id)


def _export(runner, tmp_path: Path, member: str = MEMBER) -> dict:
    out = tmp_path / "backup.json"
    result = runner.invoke(args=["export-data", "--member", member, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text())


def _import(runner, tmp_path: Path, document: dict, member: str = OTHER) -> tuple[int, str]:
    path = tmp_path / "restore.json"
    path.write_text(json.dumps(document))
    result = runner.invoke(args=["import-data", str(path), "--member", member])
    return result.exit_code, result.output


def _own(email: str) -> dict[str, Recipe]:
    db.session.expire_all()
    household = user(email).household_id
    return {r.title: r for r in db.session.scalars(select(Recipe).where(Recipe.household_id == household))}


def _counts() -> tuple[int, ...]:
    db.session.expire_all()
    return tuple(db.session.scalar(select(func.count()).select_from(model))  # type: ignore[misc]
                 for model in (Recipe, RecipeImage, Plan, Profile, Food))


def _ingredients(client, slug: str) -> list[tuple[str, float]]:
    recipe = client.get(f"/api/v1/recipes/{slug}").get_json()
    return [(row["food"], row["grams_per_serving"]) for row in recipe["ingredients"]]


def test_the_export_holds_own_recipes_with_their_lines_chosen_foods_and_photo(client, runner, tmp_path):
    dal = _create(client, DAL)
    onion = next(line for line in dal["lines"] if line["line"].startswith("1 onion"))["food"]
    # A line the cook chose a food for by hand keeps that choice in the backup.
    chosen = _create(client, {**DAL, "title": "Leek dal", "lines": [*DAL["lines"], "1 big bunch of alliums"],
                              "chosen": {"7": onion}})
    _photograph(client, dal["slug"])
    document = _export(runner, tmp_path)
    recipes = {r["slug"]: r for r in document["recipes"]}
    assert set(recipes) == {dal["slug"], chosen["slug"]}  # the curated library is not copied
    mine = recipes[dal["slug"]]
    assert [line["text"] for line in mine["lines"]] == DAL["lines"]
    for name in ("title", "meals", "servings", "prep_minutes", "total_minutes", "steps", "kid_friendly",
                 "keeps_days", "notes", "source_url"):
        assert mine[name] == DAL[name], name
    assert mine["description"] == ""
    assert recipes[chosen["slug"]]["lines"][7] == {"text": "1 big bunch of alliums", "food": onion}
    assert recipes[chosen["slug"]]["photo"] is None
    photo = mine["photo"]
    assert photo["content_type"] == "image/jpeg"
    with Image.open(io.BytesIO(base64.b64decode(photo["data"]))) as image:
        assert image.format == "JPEG" and image.size == (300, 200)


def test_a_restore_recreates_own_recipes_with_the_same_foods_and_grams(client, other_client, runner, tmp_path):
    _house_beans(MEMBER)
    dal, stew = _create(client, DAL), _create(client, STEW)
    assert "house-beans" in [row[0] for row in _ingredients(client, stew["slug"])]
    _photograph(client, dal["slug"])
    document = _export(runner, tmp_path)
    code, output = _import(runner, tmp_path, document)
    assert code == 0, output
    theirs = _own(OTHER)
    assert set(theirs) == {DAL["title"], STEW["title"]}
    # Same server: the slugs are held by the first household, so the copies get free variants.
    assert theirs[DAL["title"]].slug == f"{dal['slug']}-2" and theirs[STEW["title"]].slug == f"{stew['slug']}-2"
    assert _ingredients(other_client, theirs[DAL["title"]].slug) == _ingredients(client, dal["slug"])
    # The private food came along under a slug of its own, and the recipe uses that copy.
    beans = [(f.replace("house-beans-2", "house-beans"), g) for f, g in _ingredients(other_client,
                                                                                     theirs[STEW["title"]].slug)]
    assert beans == _ingredients(client, stew["slug"])
    assert "house-beans-2" in [row[0] for row in _ingredients(other_client, theirs[STEW["title"]].slug)]
    copy_ = other_client.get(f"/api/v1/recipes/{theirs[DAL['title']].slug}").get_json()
    assert copy_["origin"] == "household" and copy_["notes"] == DAL["notes"]
    assert copy_["source_url"] == DAL["source_url"] and copy_["keeps_days"] == DAL["keeps_days"]
    assert [line["line"] for line in copy_["lines"]] == DAL["lines"]
    served = other_client.get(f"/recipes/{theirs[DAL['title']].slug}/photo")
    assert served.status_code == 200 and served.content_type == "image/jpeg"
    assert client.get(f"/api/v1/recipes/{theirs[DAL['title']].slug}").status_code == 404  # theirs alone


def test_a_free_slug_is_kept(client, other_client, runner, tmp_path):
    dal = _create(client, DAL)
    document = _export(runner, tmp_path)
    assert client.delete(f"/api/v1/recipes/{dal['slug']}").status_code in (200, 204)
    assert _import(runner, tmp_path, document)[0] == 0
    assert _own(OTHER)[DAL["title"]].slug == dal["slug"]


def test_plans_naming_own_recipes_survive_the_round_trip(client, runner, tmp_path):
    for n in range(3):
        _create(client, {**DAL, "title": f"Dal number {n + 1}",
                         "lines": [*DAL["lines"], "300 g brown rice", "200 g spinach", "150 g natural yoghurt"]})
    profile = {"name": "Us", "members": [{"name": "Ana", "age": 40, "sex": "female"}], "meals": ["dinner"],
               "recipes": "mostly-ours"}
    assert client.post("/api/v1/plans", json={"profile": profile, "week_start": "2026-12-07"}).status_code == 201
    document = _export(runner, tmp_path)
    planned = [slot["recipe"] for slot in document["plans"][0]["slots"]]
    own = {r["slug"]: r["title"] for r in document["recipes"]}
    assert sum(1 for slug in planned if slug in own) >= 3
    code, output = _import(runner, tmp_path, document)
    assert code == 0, output
    db.session.expire_all()
    plan = db.session.scalar(select(Plan).where(Plan.household_id == user(OTHER).household_id))
    assert plan is not None and len(plan.slots) == len(planned)
    written = sorted(plan.slots, key=lambda s: (s.day, s.meal, s.position))
    exported = [s["recipe"] for s in sorted(document["plans"][0]["slots"],
                                            key=lambda s: (s["day"], s["meal"], s["position"]))]
    for slot, slug in zip(written, exported, strict=True):
        if slug in own:  # now the copy the household owns, under its new slug
            assert slot.recipe.household_id == user(OTHER).household_id and slot.recipe.title == own[slug]
            assert slot.recipe.slug == f"{slug}-2"
        else:
            assert slot.recipe.household_id is None and slot.recipe.slug == slug


def test_a_plan_cannot_name_another_households_recipe(client, runner, tmp_path):
    slug = _create(client, DAL)["slug"]
    plan = {"key": 1, "profile": None, "week_start": "2026-11-23", "profile_snapshot": {"name": "x"},
            "solver": {"status": "optimal", "seconds": 0.1, "objective": 1}, "marks": [], "extras": [],
            "slots": [{"day": 0, "meal": "dinner", "position": 0, "recipe": slug, "servings": 1}]}
    document = {"format": "gut-planner-household", "version": 1, "foods": [], "profiles": [], "plans": [plan]}
    before = _counts()
    code, output = _import(runner, tmp_path, document)
    assert code == 2 and "plans[1].slots[1]: recipe" in output, output
    assert _counts() == before


def _good() -> dict:
    return {"slug": "our-dal", "title": "Our dal", "description": "", "meals": ["dinner"], "servings": 4,
            "prep_minutes": 15, "total_minutes": 35, "lines": [{"text": line, "food": None} for line in DAL["lines"]],
            "steps": DAL["steps"], "kid_friendly": False, "keeps_days": 2, "notes": "", "source_url": None,
            "photo": None}


def _with(**changes) -> dict:
    return {**_good(), **changes}


def _not_a_photo() -> dict:
    return {"content_type": "image/png", "data": base64.b64encode(b"<svg></svg>").decode()}


@pytest.mark.parametrize("recipes, expected", [
    ([_with(servings="lots")], "recipes[1]: servings"),
    ([_with(servings=0)], "recipes[1]: servings"),
    ([_with(meals=["brunch"])], "recipes[1]: meals"),
    ([_with(title="")], "recipes[1]: title"),
    ([_with(slug="Our Dal!")], "recipes[1]: slug"),
    ([_with(lines=[])], "recipes[1]: lines"),
    ([_with(lines=[{"text": 7}])], "recipes[1].lines[1]: text"),
    ([_with(lines=[{"text": "1 onion", "food": ["x"]}])], "recipes[1].lines[1]: food"),
    ([_with(lines=["zzqx blorf", "wibble"])], "recipes[1]: lines"),
    ([_with(total_minutes=5)], "recipes[1]: total_minutes"),
    ([_with(keeps_days=99)], "recipes[1]: keeps_days"),
    ([_with(notes="x" * 5000)], "recipes[1]: notes"),
    ([_with(steps="stir")], "recipes[1]: steps"),
    ([_with(kid_friendly="yes")], "recipes[1]: kid_friendly"),
    ([_with(photo={"content_type": "image/jpeg", "data": "not base64!"})], "recipes[1].photo: data"),
    ([_with(photo=_not_a_photo())], "recipes[1].photo: data"),
    ([_good(), _with(slug="our-dal-again")], "recipes[2]: title"),
    ([_good(), _with(title="Another dal")], "recipes[2]: slug"),
    (["our-dal"], "recipes[1]: -"),
    ({"our-dal": _good()}, "the file: recipes"),
])
def test_a_bad_recipe_entry_is_refused_whole_and_nothing_is_written(runner, tmp_path, recipes, expected):
    profile = {"key": 1, "name": "Ours", "data": {}}
    document = {"format": "gut-planner-household", "version": 1, "foods": [], "profiles": [profile], "plans": [],
                "recipes": recipes}
    before = _counts()
    code, output = _import(runner, tmp_path, document)
    assert code == 2 and expected in output and "Traceback" not in output, output
    assert "Nothing was imported" in output or "nothing was imported" in output
    assert _counts() == before


def test_a_good_entry_written_by_hand_restores_with_its_photo(other_client, runner, tmp_path):
    photo = {"content_type": "image/png", "data": base64.b64encode(_png(2400, 1600)).decode()}
    plan = {"key": 1, "profile": None, "week_start": "2026-11-23", "profile_snapshot": {"name": "x"},
            "solver": {"status": "optimal", "seconds": 0.1, "objective": 1}, "marks": [], "extras": [],
            "slots": [{"day": 0, "meal": "dinner", "position": 0, "recipe": "our-dal", "servings": 1}]}
    document = {"format": "gut-planner-household", "version": 1, "foods": [], "profiles": [], "plans": [plan],
                "recipes": [{**_good(), "lines": DAL["lines"], "photo": photo}]}
    code, output = _import(runner, tmp_path, document)
    assert code == 0, output
    mine = _own(OTHER)["Our dal"]
    assert mine.slug == "our-dal" and mine.image is not None
    assert mine.image.content_type == "image/jpeg" and max(mine.image.width, mine.image.height) == 1200
    slot = db.session.scalar(select(Plan).where(Plan.household_id == user(OTHER).household_id)).slots[0]
    assert slot.recipe_id == mine.id


def test_restoring_twice_writes_recipes_over_and_adds_plans_and_profiles_again(client, runner, tmp_path):
    dal = _create(client, DAL)
    _photograph(client, dal["slug"])
    document = _export(runner, tmp_path)
    document["profiles"] = [{"key": 1, "name": "Ours", "data": {}}]
    # Into another household twice: one copy of each recipe, the profile added each time.
    profiles = db.session.scalar(select(func.count(Profile.id)).where(
        Profile.household_id == user(OTHER).household_id))
    assert _import(runner, tmp_path, document)[0] == 0
    first = {title: (r.id, r.slug) for title, r in _own(OTHER).items()}
    changed = copy.deepcopy(document)
    changed["recipes"][0]["servings"] = 2
    code, output = _import(runner, tmp_path, changed)
    assert code == 0, output
    again = _own(OTHER)
    assert {title: (r.id, r.slug) for title, r in again.items()} == first
    assert again[DAL["title"]].servings == 2 and again[DAL["title"]].image is not None
    assert db.session.scalar(select(func.count(Profile.id)).where(
        Profile.household_id == user(OTHER).household_id)) == profiles + 2
    # Into the household it came from: written over in place, no "-2" copy.
    code, output = _import(runner, tmp_path, document, member=MEMBER)
    assert code == 0, output
    assert {title: r.slug for title, r in _own(MEMBER).items()} == {DAL["title"]: dal["slug"]}


def test_a_backup_from_before_own_recipes_still_restores(runner, tmp_path):
    document = {"format": "gut-planner-household", "version": 1, "foods": [], "plans": [],
                "profiles": [{"key": 1, "name": "Ours", "data": {}}]}
    code, output = _import(runner, tmp_path, document)
    assert code == 0, output

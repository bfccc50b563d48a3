"""JSON API: /api/v1/foods and /api/v1/foods/<slug>."""
from __future__ import annotations

import pytest

from planner.extensions import db
from planner.foods import store


def test_list_is_paginated(client):
    body = client.get("/api/v1/foods?per_page=10&page=2").get_json()
    assert body["page"] == 2 and body["per_page"] == 10 and len(body["items"]) == 10
    assert body["pages"] == -(-body["total"] // 10)


def test_search_and_tag_filter(client):
    body = client.get("/api/v1/foods?q=zucchini").get_json()
    assert body["items"][0]["name"].lower().startswith(("courgette", "zucchini"))
    body = client.get("/api/v1/foods?tag=bone-broth").get_json()
    assert body["total"] >= 1 and all("bone-broth" in item["tags"] for item in body["items"])


def test_detail_is_the_same_record_as_everywhere(client):
    first = client.get("/api/v1/foods?per_page=1").get_json()["items"][0]
    detail = client.get(f"/api/v1/foods/{first['slug']}").get_json()
    assert detail == first == store.food_record(store.get_food(db.session, first["slug"]))
    assert set(detail) == {"slug", "name", "synonyms", "category", "form", "nova_group", "nutrients", "portion",
                           "aisle", "purchase_unit", "plant_key", "allergens", "tags", "source"}


def test_unknown_food_is_json_404(client):
    response = client.get("/api/v1/foods/no-such-food")
    assert response.status_code == 404 and "no-such-food" in response.get_json()["error"]
    assert client.get("/api/v1/foods/kefir%00").status_code == 404  # PostgreSQL refuses NUL even in a query


@pytest.mark.parametrize("query, field", [("page=0", "page"), ("nova=x", "nova"), ("tag=magic", "tag"),
                                          ("per_page=1000", "per_page"), ("q=" + "a" * 300, "q")])
def test_bad_parameters_are_400(client, query, field):
    response = client.get(f"/api/v1/foods?{query}")
    assert response.status_code == 400 and field in response.get_json()["fields"]


def test_unknown_api_route_and_method_are_json(client):
    assert client.get("/api/v1/nothing").get_json()["error"]
    response = client.post("/api/v1/foods")
    assert response.status_code == 405 and response.get_json()["error"]

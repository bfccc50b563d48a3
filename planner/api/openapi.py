"""GET /api/v1/openapi.json: the API described in OpenAPI 3.0, so scripts and tools know every
path, parameter and answer. Kept beside the routes it describes; tests/test_openapi.py runs
schemathesis against it, so a route that drifts from it is caught."""
from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue

from planner.api import bp

ERROR = {"$ref": "#/components/schemas/Error"}


def _errors(*statuses: int) -> dict[str, Any]:
    words = {400: "The request cannot be read; `fields` names each problem.", 401: "Log in or send a token.",
             404: "No such thing, or not yours to see.", 409: "Changed or started meanwhile: read it again.",
             413: "Too large.", 422: "No plan keeps every rule.", 429: "Too many requests: wait `Retry-After` seconds."}
    return {str(s): {"description": words[s], "content": {"application/json": {"schema": ERROR}}} for s in statuses}


def _json(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema or {"type": "object"}}}}


def _id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}


def _query(name: str, description: str, schema: dict[str, Any] | None = None, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema or {"type": "string"}}


RESTRICTIONS = {
    "type": "object", "description": "Who the check is for (all optional).",
    "properties": {"allergens": {"type": "array", "items": {"type": "string"}},
                   "excluded_foods": {"type": "array", "items": {"type": "string"}},
                   "excluded_tags": {"type": "array", "items": {"type": "string"}},
                   "pregnant": {"type": "boolean"}, "children": {"type": "boolean"}},
}
NUTRITION = {
    "type": "object",
    "description": "The pack's nutrition panel, per 100 g (100 ml for a drink): fields or pasted text.",
    "properties": {name: {"type": "number", "minimum": 0, "maximum": 100}
                   for name in ("fat_g", "saturated_fat_g", "sugars_g", "salt_g", "fibre_g")}
    | {"drink": {"type": "boolean"}, "text": {"type": "string"}},
}
MEMBER = {
    "type": "object", "required": ["name", "age"],
    "properties": {"name": {"type": "string", "maxLength": 40}, "age": {"type": "number", "minimum": 0, "maximum": 120},
                   "sex": {"type": "string", "enum": ["female", "male"]},
                   "stage": {"type": "string", "enum": ["pregnant", "breastfeeding"]},
                   "activity": {"type": "string", "enum": ["sedentary", "moderate", "active"]},
                   "trimester": {"type": "integer", "minimum": 1, "maximum": 3},
                   "baby_months": {"type": "integer", "minimum": 0, "maximum": 48}},
}
DIARY_ROW = {
    "type": "object", "required": ["member", "time", "kind", "item"],
    "properties": {"member": {"type": "string", "maxLength": 40}, "time": {"type": "string", "format": "date-time"},
                   "kind": {"type": "string", "enum": ["food", "meal", "symptom", "stool", "sleep", "stress",
                                                      "movement", "medicine"]},
                   "item": {"type": "string", "maxLength": 120}, "amount": {"type": "number", "nullable": True},
                   "unit": {"type": "string", "maxLength": 20}, "note": {"type": "string", "maxLength": 300}},
}
SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 80}}
TEST_ID = {"name": "test_id", "in": "path", "required": True,
           "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}}
OWN_RECIPE = {
    "type": "object", "required": ["title", "lines"],
    "properties": {
        "title": {"type": "string", "maxLength": 90}, "description": {"type": "string", "maxLength": 240},
        "meals": {"type": "array", "items": {"type": "string", "enum": ["breakfast", "lunch", "dinner", "snack"]}},
        "servings": {"type": "integer", "minimum": 1, "maximum": 50},
        "prep_minutes": {"type": "integer", "minimum": 0, "maximum": 2880, "description": "Hands-on minutes"},
        "total_minutes": {"type": "integer", "minimum": 0, "maximum": 2880, "description": "Minutes to the table"},
        "lines": {"type": "array", "items": {"type": "string", "maxLength": 300}, "maxItems": 100,
                  "description": "Ingredient lines as written: \"2 tbsp olive oil\""},
        "steps": {"type": "array", "items": {"type": "string", "maxLength": 1000}, "maxItems": 60},
        "kid_friendly": {"type": "boolean"}, "keeps_days": {"type": "integer", "minimum": 0, "maximum": 5},
        "notes": {"type": "string", "maxLength": 4000}, "source_url": {"type": "string", "maxLength": 500},
        "chosen": {"type": "object", "additionalProperties": {"type": "string"},
                   "description": "Line number -> the food slug chosen for it"},
    },
}
PROFILE = {
    "type": "object", "description": "Who eats and what they avoid; every field is optional.",
    "properties": {
        "name": {"type": "string", "maxLength": 60},
        "members": {"type": "array", "items": MEMBER, "minItems": 1, "maxItems": 12},
        "allergens": {"type": "array", "items": {"type": "string"}},
        "excluded_foods": {"type": "array", "items": {"type": "string"}},
        "excluded_tags": {"type": "array", "items": {"type": "string"}},
        "diets": {"type": "array", "items": {"type": "string"}},
        "meals": {"type": "array", "items": {"type": "string", "enum": ["breakfast", "lunch", "dinner", "snack"]}},
        "max_prep_minutes": {"type": "object", "properties": {"weekday": {"type": "integer"},
                                                              "weekend": {"type": "integer"}}},
        "targets": {"type": "object"},
        "fibre_now": {"type": "string", "enum": ["low", "some", "plenty"]},
    },
}
LIST_FORMAT = _query("format", "json (default), csv, md, txt or pdf",
                     {"type": "string", "enum": ["json", "csv", "md", "txt", "pdf"]})
PAPER = _query("paper", "For PDF: a4 or letter.", {"type": "string", "enum": ["a4", "letter"]})
LIST_ANSWER = {"description": "The shopping list", "content": {
    "application/json": {"schema": {"type": "object"}}, "text/csv": {"schema": {"type": "string"}},
    "text/markdown": {"schema": {"type": "string"}}, "text/plain": {"schema": {"type": "string"}},
    "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}
WORDS = {
    "type": "object", "required": ["meanings"],
    "properties": {"meanings": {"type": "array", "items": {
        "type": "object", "required": ["word", "kind", "label", "foods", "suggestions"],
        "properties": {
            "word": {"type": "string"},
            "kind": {"type": "string", "enum": ["food", "group", "category", "plant", "tag", "unknown"]},
            "label": {"type": "string"},
            "foods": {"type": "array", "items": {"type": "object", "required": ["slug", "name"], "properties": {
                "slug": {"type": "string"}, "name": {"type": "string"}}}},
            "suggestions": {"type": "array", "items": {"type": "string"}, "maxItems": 3}}}}},
}
SIGNED_IN: list[dict[str, list[str]]] = [{"bearer": []}, {"cookie": []}]

DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Gut Planner API", "version": "1",
             "description": "Foods, checks, weekly plans and shopping lists. General guidance, not medical advice. "
                            "Changes made with the login cookie need the page's CSRF token in X-CSRFToken; "
                            "scripts send a personal API token instead."},
    "servers": [{"url": "/api/v1"}],
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"},
                            "cookie": {"type": "apiKey", "in": "cookie", "name": "session"}},
        "schemas": {"Error": {"type": "object", "required": ["error"], "properties": {
            "error": {"type": "string"}, "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}},
    },
    "paths": {
        "/foods": {"get": {
            "summary": "Search the foods you can see", "operationId": "searchFoods",
            "parameters": [_query("q", "Words of a name"), _query("tag", "A tag slug"),
                           _query("category", "A category"),
                           _query("nova", "NOVA group 1-4", {"type": "integer", "minimum": 1, "maximum": 4}),
                           _query("aisle", "An aisle"),
                           _query("page", "Page from 1", {"type": "integer", "minimum": 1}),
                           _query("per_page", "Foods a page", {"type": "integer", "minimum": 1, "maximum": 100})],
            "responses": {"200": _json("A page of foods"), **_errors(400, 429)}}},
        "/foods/{slug}": {"get": {
            "summary": "One food", "operationId": "getFood",
            "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": _json("The food record"), **_errors(404)}}},
        "/check": {"get": {
            "summary": "Is this food OK for us?", "operationId": "checkFood",
            "parameters": [_query("q", "A food's name", required=True),
                           _query("allergens", "Comma list"), _query("excluded_foods", "Comma list"),
                           _query("excluded_tags", "Comma list"), _query("pregnant", "1 when someone is pregnant"),
                           _query("children", "1 when a child eats too")],
            "responses": {"200": _json("A verdict with its reasons and sources"), **_errors(400, 429)}}},
        "/check/label": {"post": {
            "summary": "Check an ingredient list", "operationId": "checkLabel",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["ingredients"],
                "properties": {"ingredients": {"type": "string"}, "profile": RESTRICTIONS,
                               "nutrition": NUTRITION}}}}},
            "responses": {"200": _json("A verdict with its reasons and sources"), **_errors(400, 413, 429)}}},
        "/check/barcode/{code}": {"get": {
            "summary": "Check a product by its barcode (from Open Food Facts)", "operationId": "checkBarcode",
            "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": _json("A verdict, with `product{barcode, name, brand, source, stale}`"),
                          "503": {"description": "Open Food Facts cannot be reached: paste the label instead.",
                                  "content": {"application/json": {"schema": ERROR}}},
                          **_errors(400, 404, 429)}}},
        "/plans": {"post": {
            "summary": "Plan a week for a profile and save it", "operationId": "createPlan", "security": SIGNED_IN,
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "properties": {"profile": PROFILE,
                                                 "week_start": {"type": "string", "format": "date"}}}}}},
            "responses": {"201": _json("The saved week"), **_errors(400, 401, 413, 422, 429)}}},
        "/plans/{plan_id}": {"get": {
            "summary": "A saved week", "operationId": "getPlan", "security": SIGNED_IN,
            "parameters": [_id("plan_id")],
            "responses": {"200": _json("The week"), **_errors(401, 404)}}},
        "/plans/{plan_id}/shopping-list": {"get": {
            "summary": "The shopping list of a week", "operationId": "planShoppingList", "security": SIGNED_IN,
            "parameters": [_id("plan_id"), LIST_FORMAT, PAPER],
            "responses": {"200": LIST_ANSWER, **_errors(400, 401, 404)}}},
        "/profiles/{profile_id}/shopping-list": {"get": {
            "summary": "One list for every week of a profile between two dates", "operationId": "profileShoppingList",
            "security": SIGNED_IN,
            "parameters": [_id("profile_id"), _query("start", "YYYY-MM-DD", {"type": "string", "format": "date"}),
                           _query("end", "YYYY-MM-DD", {"type": "string", "format": "date"}), LIST_FORMAT, PAPER],
            "responses": {"200": LIST_ANSWER, **_errors(400, 401, 404)}}},
        "/recipes": {
            "get": {"summary": "The recipes the asker sees: the curated library and, signed in, their own",
                    "operationId": "listRecipes",
                    "parameters": [_query("own", "1 for the household's own recipes only", {"type": "string",
                                                                                              "enum": ["1", "0"]})],
                    "responses": {"200": _json("Each recipe in brief, by title"), **_errors(400)}},
            "post": {"summary": "Write a recipe of the household's own: ingredient lines are read into foods and grams",
                     "operationId": "createRecipe", "security": SIGNED_IN,
                     "requestBody": {"required": True, "content": {"application/json": {"schema": OWN_RECIPE}}},
                     "responses": {"201": _json("The recipe, each line with its food, grams and match confidence"),
                                   **_errors(400, 401, 413)}}},
        "/recipes/{slug}": {
            "get": {"summary": "One recipe: its fields, lines as read (own recipes) and what it works out to",
                    "operationId": "getRecipe", "parameters": [SLUG],
                    "responses": {"200": _json("The recipe"), **_errors(404)}},
            "put": {"summary": "Change a recipe of the household's own (curated recipes are read-only)",
                    "operationId": "updateRecipe", "security": SIGNED_IN, "parameters": [SLUG],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": OWN_RECIPE}}},
                    "responses": {"200": _json("The recipe as saved"), **_errors(400, 401, 404)}},
            "delete": {"summary": "Delete a recipe of the household's own", "operationId": "deleteRecipe",
                       "security": SIGNED_IN, "parameters": [SLUG],
                       "responses": {"204": {"description": "Deleted"}, **_errors(401, 404)}}},
        "/recipes/import": {"post": {
            "summary": "Import a recipe from a web page (schema.org Recipe) or from text, as the household's own",
            "operationId": "importRecipe", "security": SIGNED_IN,
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "properties": {"url": {"type": "string", "format": "uri", "maxLength": 2000},
                                                 "text": {"type": "string", "maxLength": 200000}}}}}},
            "responses": {"201": _json("The recipe (or {recipes: [...]} for several)"),
                          **_errors(400, 401, 413)}}},
        "/diary/import": {"post": {
            "summary": "Add diary rows: CSV with the header member,time,kind,item,amount,unit,note, or a JSON list",
            "operationId": "importDiary", "security": SIGNED_IN,
            "requestBody": {"required": True, "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "array", "maxItems": 20000, "items": DIARY_ROW}}}},
            "responses": {"201": _json("How many rows were added"), **_errors(400, 401, 413)}}},
        "/diary": {"get": {
            "summary": "A household's diary entries, oldest first", "operationId": "readDiary", "security": SIGNED_IN,
            "parameters": [_query("member", "A member's name"), _query("start", "From this time (ISO 8601)"),
                           _query("end", "Up to this time (ISO 8601)"),
                           _query("format", "json or csv", {"type": "string", "enum": ["json", "csv"]})],
            "responses": {"200": _json("The entries"), **_errors(400, 401)}}},
        "/diary/patterns": {"get": {
            "summary": "Suspects worth testing: foods, tags and habits a symptom follows more often than without",
            "operationId": "diaryPatterns", "security": SIGNED_IN,
            "parameters": [_query("member", "A member's name", required=True)],
            "responses": {"200": _json("{member, days, enough_data, note, suspects[{item, kind, symptom, "
                                       "window, exposures, with_symptom, rate_with, rate_without, ratio, low, "
                                       "high, flagged}]}"),
                          **_errors(400, 401)}}},
        "/diary/tests": {
            "get": {"summary": "The household's guided food tests, newest first", "operationId": "listFoodTests",
                    "security": SIGNED_IN, "parameters": [_query("member", "A member's name")],
                    "responses": {"200": _json("{tests: [...]}"), **_errors(400, 401)}},
            "post": {"summary": "Start a guided food test: the suspect left out, then served at three sizes",
                     "operationId": "startFoodTest", "security": SIGNED_IN,
                     "requestBody": {"required": True, "content": {"application/json": {"schema": {
                         "type": "object", "required": ["member", "item"],
                         "properties": {"member": {"type": "string", "maxLength": 40},
                                        "item": {"type": "string", "maxLength": 120},
                                        "start": {"type": "string", "format": "date"},
                                        "elimination_weeks": {"type": "integer", "minimum": 2, "maximum": 6},
                                        "washout_days": {"type": "integer", "minimum": 2, "maximum": 3},
                                        "provider_agrees": {"type": "boolean"}}}}}},
                     "responses": {"201": _json("The test, with its serves and phase"),
                                   **_errors(400, 401, 409)}}},
        "/diary/tests/{test_id}": {
            "get": {"summary": "One food test: serves, what the diary logged after each, phase, result",
                    "operationId": "getFoodTest", "security": SIGNED_IN, "parameters": [TEST_ID],
                    "responses": {"200": _json("The test"), **_errors(401, 404)}},
            "delete": {"summary": "Stop a food test", "operationId": "stopFoodTest", "security": SIGNED_IN,
                       "parameters": [TEST_ID], "responses": {"200": _json("The test"), **_errors(401, 404, 409)}}},
        "/diary/tests/{test_id}/result": {"post": {
            "summary": "Record what a test found: tolerated, or reacts from the low, moderate or high serve",
            "operationId": "foodTestResult", "security": SIGNED_IN, "parameters": [TEST_ID],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["result"],
                "properties": {"result": {"type": "string", "enum": ["tolerated", "low", "moderate", "high"]},
                               "version": {"type": "integer"}}}}}},
            "responses": {"200": _json("The test"), **_errors(400, 401, 404, 409)}}},
        "/diary/tests/{test_id}/pause": {"post": {
            "summary": "Pause a test for a warning sign: see a doctor before carrying on",
            "operationId": "pauseFoodTest", "security": SIGNED_IN, "parameters": [TEST_ID],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "properties": {"why": {"type": "string", "maxLength": 300},
                                                 "version": {"type": "integer"}}}}}},
            "responses": {"200": _json("The test"), **_errors(400, 401, 404, 409)}}},
        "/diary/tests/{test_id}/resume": {"post": {
            "summary": "Carry on after a pause, once a healthcare provider agrees",
            "operationId": "resumeFoodTest", "security": SIGNED_IN, "parameters": [TEST_ID],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["provider_agrees"],
                "properties": {"provider_agrees": {"type": "boolean"}, "version": {"type": "integer"}}}}}},
            "responses": {"200": _json("The test"), **_errors(400, 401, 404, 409)}}},
        "/recipes/{slug}/rating": {"put": {
            "summary": "One member's rating of a dish: never again keeps it off their meals",
            "operationId": "rateRecipe", "security": SIGNED_IN,
            "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["member", "rating"],
                "properties": {"member": {"type": "string", "maxLength": 40},
                               "rating": {"type": "string", "enum": ["love", "fine", "never", ""]}}}}}},
            "responses": {"200": _json("The rating as saved"), **_errors(400, 401, 404)}}},
        "/words": {"get": {
            "summary": "What the words of an exclusion or dislike mean: the foods each one covers",
            "operationId": "readWords",
            "parameters": [_query("q", "Words as typed, comma-separated: at most 50, each at most 60 characters "
                                       "(mushrooms,fish,spicy)")],
            "responses": {"200": _json("Each word's meaning, in the order typed", WORDS), **_errors(400)}}},
        "/openapi.json": {"get": {"summary": "This document", "operationId": "openapi",
                                  "responses": {"200": _json("OpenAPI 3.0")}}},
    },
}


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(DOCUMENT)

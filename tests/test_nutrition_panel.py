"""A nutrition panel, pasted or typed, rated with the UK front-of-pack colours and counted in the verdict."""
from __future__ import annotations

import pytest

from planner.checker.panel import Panel, rate, read_panel
from planner.refused import Invalid

UK_PANEL = """Typical values      Per 100g   Per 30g serving
Energy              1650kJ / 392kcal
Fat                 8.9g       2.7g
of which saturates  1.6g       0.5g
Carbohydrate        66g
of which sugars     24g        7.2g
Fibre               7.1g       2.1g
Protein             8.4g
Salt                0.48g      0.14g"""


def test_a_pasted_uk_panel_is_read_per_100_g():
    panel = read_panel(UK_PANEL)
    assert (panel.fat_g, panel.saturated_fat_g, panel.sugars_g, panel.fibre_g, panel.salt_g) == (8.9, 1.6, 24, 7.1, 0.48)
    levels = {r.nutrient: r.level for r in rate(panel)}
    assert levels == {"fat_g": "medium", "saturated_fat_g": "medium", "sugars_g": "high", "salt_g": "medium"}


def test_sodium_alone_becomes_salt_and_drinks_have_their_own_bands():
    assert read_panel("Sodium 400mg").salt_g == 1.0
    assert {r.level for r in rate(Panel(sugars_g=10.6, drink=True))} == {"medium"}
    assert {r.level for r in rate(Panel(sugars_g=12, drink=True))} == {"high"}


def test_a_panel_with_no_nutrient_is_refused():
    with pytest.raises(Invalid):
        read_panel("Best before: see lid")


def test_a_red_makes_a_good_label_a_limit_and_high_fibre_counts_for(anon):
    plain = anon.post("/api/v1/check/label", json={"ingredients": "oats, raisins"}).get_json()
    sweet = anon.post("/api/v1/check/label", json={"ingredients": "oats, raisins",
                                                   "nutrition": {"text": UK_PANEL}}).get_json()
    assert plain["verdict"] in ("good", "recommended") and sweet["verdict"] == "limit"
    assert any(r["rule"] == "front-of-pack-sugars_g" and r["counts"] == "against" for r in sweet["reasons"])
    assert any(r["rule"] == "front-of-pack-fibre" and r["counts"] == "for" for r in sweet["reasons"])
    assert {r["nutrient"]: r["level"] for r in sweet["nutrition"]}["sugars_g"] == "high"


@pytest.mark.parametrize("nutrition", [{"sugars_g": "lots"}, {"salt_g": -1}, {"sugars_g": 500}, "sugary"])
def test_bad_panel_figures_are_a_400_with_a_message(anon, nutrition):
    response = anon.post("/api/v1/check/label", json={"ingredients": "oats", "nutrition": nutrition})
    assert response.status_code == 400 and response.get_json()["error"]


def test_the_page_takes_the_panel_as_figures(anon):
    page = anon.post("/check/", data={"text": "oats, raisins", "mode": "label", "sugars_g": "30", "salt_g": "0.1"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "High in sugars: 30 g per 100 g." in text and "high (red)" in text
    bad = anon.post("/check/", data={"text": "oats", "mode": "label", "sugars_g": "x"})
    assert bad.status_code == 400 and "Sugars: give grams per 100 g" in bad.get_data(as_text=True)

"""The guidance rules: complete, well-formed, and the only source of verdicts."""
from __future__ import annotations

from planner.checker.guidance import assess, guidance
from planner.checker.restrictions import Restrictions
from planner.data import DATA_DIR, curated_food_records, read_yaml, vocabulary

ARTICLES = {"The Gut Microbiome: Part 2 – The Leaky Gut", "Leaky gut in children and parents"}
# Rules that rest on other sources: facts the articles get wrong or leave out.
NOT_FROM_THE_ARTICLES = {"fortified-alternative"}


def test_every_rule_is_well_formed():
    tags = set(vocabulary().tags)
    slugs = {record.record["slug"] for record in curated_food_records()}
    declared = set(read_yaml(DATA_DIR / "guidance.yaml")["sources"].values())
    rules = guidance().rules
    ids = {r.id for r in rules}
    assert len(ids) == len(rules)
    for rule in rules:
        assert rule.effect in ("favour", "limit", "avoid", "ask") and rule.text and rule.why
        assert rule.sources and set(rule.sources) <= declared
        assert set(rule.sources) & ARTICLES or rule.id in NOT_FROM_THE_ARTICLES, rule.id
        assert rule.tags <= tags, rule.id
        assert rule.foods <= slugs, rule.id
        assert rule.unless <= ids, rule.id
        scored = rule.effect == "favour" and (rule.tags or rule.foods) and not rule.claim
        assert (rule.weight > 0) if scored and rule.id != "culinary-ingredient" else True
        assert rule.weight == 0 if rule.claim else True
        assert rule.weight < 0 if rule.effect == "limit" else True
        assert bool(rule.tags or rule.foods) != (rule.trigger or rule.personal or rule.habit), rule.id
        assert rule.effect == "ask" if rule.trigger and rule.id != "alcohol-drink" else True, rule.id


def test_the_articles_advice_is_all_there():
    ids = {r.id for r in guidance().rules}
    assert {"fermented-live", "prebiotic", "fibre", "bone-broth", "whole-grain", "glutamine", "butyrate",
            "soothing-herb", "lean-protein", "whole-food", "processed", "added-sugar", "ultra-processed",
            "refined-sugar", "alcohol", "your-allergens", "nsaids", "antibiotics", "chemotherapy",
            "manage-stress", "move-daily", "sleep-well", "fruit-juice", "fortified-alternative"} <= ids
    assert len(guidance().habits) == 3
    assert {r.id for r in guidance().medicines} == {"nsaids", "antibiotics", "chemotherapy"}


def test_soothing_herbs_weigh_as_an_ordinary_favoured_food_and_say_to_keep_apart_from_medicines():
    rules = {r.id: r for r in guidance().rules}
    herb = rules["soothing-herb"]
    assert herb.weight <= max(rules["whole-food"].weight, rules["lean-protein"].weight)
    assert "take them apart from medicines" in (herb.text + " " + herb.why).lower()


def test_a_fortified_plant_drink_is_not_avoided_as_ultra_processed():
    result = assess(["ultra-processed"], ["soybeans"], slug="soy-drink-unsweetened")
    assert result.verdict == "good" and "ultra-processed" not in {r["rule"] for r in result.reasons}
    assert assess(["ultra-processed"], slug="cola").verdict == "avoid"


def test_verdict_order_and_scores():
    assert assess(["ultra-processed", "live-cultures", "prebiotic"]).verdict == "avoid"
    assert assess(["processed", "added-sugar"]).verdict == "limit"
    assert assess(["unprocessed", "prebiotic"]).verdict == "recommended"
    assert assess(["unprocessed"]).verdict == "good"
    assert assess(["unprocessed", "glutamine-source"]).verdict == "good"  # no specific gut rule
    assert assess([]).verdict == "good"


def test_personal_conflicts_come_first_and_traces_count():
    result = assess(["unprocessed", "prebiotic"], ["sesame"], profile=Restrictions(allergens=frozenset({"sesame"})))
    assert result.verdict == "avoid" and result.personal and result.reasons[0]["rule"] == "your-allergens"
    traces = assess(["unprocessed"], [], traces=["peanuts"], profile=Restrictions(allergens=frozenset({"peanuts"})))
    assert traces.verdict == "avoid" and "traces" in traces.reasons[0]["text"]

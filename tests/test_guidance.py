"""The guidance rules: complete, well-formed, and the only source of verdicts."""
from __future__ import annotations

from planner.checker.guidance import assess, guidance
from planner.checker.restrictions import Restrictions
from planner.data import vocabulary

ARTICLES = {"The Gut Microbiome: Part 2 – The Leaky Gut", "Leaky gut in children and parents"}


def test_every_rule_is_well_formed():
    tags = set(vocabulary().tags)
    rules = guidance().rules
    assert len({r.id for r in rules}) == len(rules)
    for rule in rules:
        assert rule.effect in ("favour", "limit", "avoid") and rule.text and rule.why
        assert rule.sources and set(rule.sources) <= ARTICLES
        assert rule.tags <= tags, rule.id
        assert (rule.weight > 0) if rule.effect == "favour" and rule.tags and rule.id != "culinary-ingredient" else True
        assert rule.weight < 0 if rule.effect == "limit" else True
        assert bool(rule.tags) != (rule.trigger or rule.personal or rule.habit), rule.id


def test_the_articles_advice_is_all_there():
    ids = {r.id for r in guidance().rules}
    assert {"fermented-live", "prebiotic", "fibre", "bone-broth", "whole-grain", "glutamine", "butyrate",
            "soothing-herb", "lean-protein", "whole-food", "processed", "added-sugar", "ultra-processed",
            "refined-sugar", "alcohol", "your-allergens", "nsaids", "antibiotics", "chemotherapy",
            "manage-stress", "move-daily", "sleep-well"} <= ids
    assert len(guidance().habits) == 3


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

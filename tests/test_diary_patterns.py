"""Suspects worth testing (planner.diary.patterns) on synthetic diaries.

`diary()` builds a seeded random diary: 2-5 meals a day from a pool of 25 tagged foods (logged
either as a meal or food by food), a 10 % daily background of every symptom, a daily stool
entry, and daily sleep, stress and movement (plus an occasional medicine). Triggers plant a
symptom some hours after an exposure on a share of exposures. bench/patterns_bench.py reuses it.
"""
from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.diary.entries import KINDS, Entry, symptoms
from planner.diary.patterns import (
    WINDOWS,
    Patterns,
    benjamini_hochberg,
    find_patterns,
    fisher_greater,
    rate_ratio,
)

ZONE = ZoneInfo("Europe/London")
START = datetime(2026, 1, 5, tzinfo=ZONE)  # a Monday; the diaries run through the spring clock change
FOODS: dict[str, tuple[str, ...]] = {
    "milk": ("lactose", "dairy"), "yoghurt": ("lactose", "dairy", "fermented"), "ice-cream": ("lactose", "dairy"),
    "cheddar": ("dairy",), "onion": ("fructans",), "garlic": ("fructans",), "wheat-bread": ("fructans", "gluten"),
    "pasta": ("fructans", "gluten"), "apple": ("fructose", "polyols"), "pear": ("fructose", "polyols"),
    "mushroom": ("polyols",), "lentils": ("gos",), "chickpeas": ("gos",), "kimchi": ("fermented",),
    "sauerkraut": ("fermented",), "coffee": ("caffeine",), "rice": (), "potato": (), "chicken": (), "egg": (),
    "salmon": (), "carrot": (), "spinach": (), "banana": (), "oats": (),
}
FOOD_NAMES = tuple(FOODS)
SYMPTOMS = ("bloating", "pain", "wind", "reflux", "nausea", "tiredness", "skin", "mood")
MEAL_HOURS = (8.0, 10.5, 13.0, 16.0, 19.0)  # breakfast, snack, lunch, snack, dinner


@dataclass(frozen=True)
class Trigger:
    """A planted link: `symptom` follows an exposure to `item` on `share` of exposures."""

    kind: str  # food | tag | habit
    item: str
    symptom: str
    after: tuple[float, float] = (6.0, 20.0)  # hours after the exposure
    share: float = 0.7


class _Diary:
    def __init__(self, seed: int, triggers: Sequence[Trigger], background: float, poor_sleep: float) -> None:
        self.rng = random.Random(seed)
        self.triggers = triggers
        self.background = background
        self.poor_sleep = poor_sleep
        self.entries: list[Entry] = []

    def at(self, day: int, hour: float) -> datetime:
        # whole days in local time, hours as elapsed time: a real clock, DST and all
        local = datetime.combine((START + timedelta(days=day)).date(), datetime.min.time(), tzinfo=ZONE)
        return local + timedelta(hours=hour)

    def exposed(self, kind: str, item: str, when: datetime) -> None:
        for t in self.triggers:
            if t.kind == kind and t.item == item and self.rng.random() < t.share:
                later = when + timedelta(hours=self.rng.uniform(*t.after))
                self.entries.append(Entry(later, "symptom", t.symptom, float(self.rng.randint(4, 8))))

    def meals(self, day: int) -> None:
        rng = self.rng
        for hour in sorted(rng.sample(MEAL_HOURS, rng.randint(2, 5))):
            when = self.at(day, hour + rng.uniform(-0.5, 0.5))
            foods = tuple(rng.sample(FOOD_NAMES, rng.randint(1, 3)))
            tags = tuple(sorted({tag for f in foods for tag in FOODS[f]}))
            if rng.random() < 0.5:
                self.entries.append(Entry(when, "meal", f"meal-{'-'.join(foods)}", tags=tags, foods=foods))
            else:
                self.entries += [Entry(when, "food", f, float(rng.randint(30, 200)), "g", tags=FOODS[f]) for f in foods]
            for food in foods:
                self.exposed("food", food, when)
            for tag in tags:
                self.exposed("tag", tag, when)

    def symptoms(self, day: int) -> None:
        rng = self.rng
        for key in SYMPTOMS:
            if rng.random() < self.background:
                self.entries.append(Entry(self.at(day, rng.uniform(7, 23)), "symptom", key, float(rng.randint(3, 8))))
            if rng.random() < 0.1:  # mild, below the threshold: must not count
                self.entries.append(Entry(self.at(day, rng.uniform(7, 23)), "symptom", key, float(rng.randint(0, 2))))
        loose_or_hard = rng.random() < self.background
        bristol = rng.choice((1, 2, 6, 7)) if loose_or_hard else rng.choice((3, 4, 5))
        self.entries.append(Entry(self.at(day, rng.uniform(7, 10)), "stool", "stool", float(bristol)))

    def habits(self, day: int) -> None:
        rng = self.rng
        morning = self.at(day, 7 + rng.uniform(-0.5, 0.5))
        sleep = rng.uniform(4, 5.9) if rng.random() < self.poor_sleep else rng.uniform(6.5, 9)
        self.entries.append(Entry(morning, "sleep", "sleep", round(sleep, 1), "h"))
        if sleep < 6:
            self.exposed("habit", "poor-sleep", morning)
        stress = rng.randint(7, 9) if rng.random() < 0.15 else rng.randint(0, 6)
        self.entries.append(Entry(self.at(day, 21 + rng.uniform(-0.5, 0.5)), "stress", "stress", float(stress)))
        minutes = rng.randint(0, 15) if rng.random() < 0.2 else rng.randint(20, 90)
        self.entries.append(Entry(self.at(day, 18 + rng.uniform(-1, 1)), "movement", "walk", float(minutes), "min"))
        if rng.random() < 0.1:
            self.entries.append(Entry(self.at(day, 9), "medicine", "ibuprofen", 200.0, "mg"))


def diary(seed: int, days: int, triggers: Sequence[Trigger] = (), *, background: float = 0.1,
          poor_sleep: float = 0.2) -> list[Entry]:
    """A synthetic diary of `days` days, in time order."""
    built = _Diary(seed, triggers, background, poor_sleep)
    for day in range(days):
        built.meals(day)
        built.symptoms(day)
        built.habits(day)
    return sorted(built.entries, key=lambda e: e.time)


def flagged(found: Patterns) -> list[tuple[str, str, str, str]]:
    return [(s.item, s.kind, s.symptom, s.window) for s in found.suspects if s.flagged]


ONION = Trigger("food", "onion", "bloating")


# --- the planted links are found --------------------------------------------------------------

@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_planted_food_trigger_is_the_top_suspect_at_eight_weeks(seed: int) -> None:
    found = find_patterns(diary(seed, 56, [ONION]))
    assert found.enough_data and found.days in (56, 57)  # a planted symptom may spill into day 57
    top = found.suspects[0]
    assert (top.item, top.kind, top.symptom, top.window, top.flagged) == ("onion", "food", "bloating", "4-24 h", True)
    assert top.low > 1 and top.q <= 0.1 and top.rate_with > 0.5
    assert "suspect" in found.note and "intoleran" not in found.note


def test_diaries_without_a_link_flag_nothing_in_at_least_95_of_100() -> None:
    falsely = [seed for seed in range(100) if flagged(find_patterns(diary(1000 + seed, 42)))]
    assert len(falsely) <= 5, falsely


def test_poor_sleep_followed_by_next_day_pain_is_a_habit_suspect() -> None:
    # one exposure a poor night (a quarter of nights) rather than several a day: 12 weeks needed
    trigger = Trigger("habit", "poor-sleep", "pain", after=(8.0, 20.0))
    found = find_patterns(diary(7, 84, [trigger], poor_sleep=0.25))
    assert ("poor-sleep", "habit", "pain", "4-24 h") in flagged(found)
    assert found.suspects[0].item == "poor-sleep"


def test_a_tag_trigger_is_found_as_a_tag() -> None:
    found = find_patterns(diary(1, 56, [Trigger("tag", "lactose", "wind")]))
    assert ("lactose", "tag", "wind", "4-24 h") in flagged(found)
    top = found.suspects[0]
    assert (top.item, top.kind) == ("lactose", "tag")  # more exposures than any one lactose food


def test_before_fourteen_days_nothing_is_flagged_and_the_note_says_how_long_to_go() -> None:
    found = find_patterns(diary(5, 10, [ONION]))
    assert not found.enough_data and found.days == 10
    assert not flagged(found)
    assert "4 more days" in found.note


def test_an_empty_diary() -> None:
    found = find_patterns([])
    assert (found.days, found.enough_data, found.suspects) == (0, False, ())
    assert "14 more days" in found.note


def test_the_order_is_flagged_first_then_q_then_ratio() -> None:
    found = find_patterns(diary(3, 56, [ONION, Trigger("tag", "gos", "pain")]))
    keys = [(not s.flagged, s.q, -s.ratio) for s in found.suspects]
    assert keys == sorted(keys) and len(flagged(found)) >= 2
    assert all(s.rate_with > s.rate_without for s in found.suspects)


# --- the counting rules --------------------------------------------------------------------------

def _at(hours: float) -> datetime:
    return START + timedelta(hours=hours)


def test_repeats_within_three_hours_are_one_exposure_and_late_ones_are_left_out() -> None:
    entries = [Entry(_at(2.0), "food", "onion")]  # a second helping
    for i in range(20):
        entries.append(Entry(_at(i * 48), "food", "onion", tags=("t",)))
        entries.append(Entry(_at(i * 48 + 5), "symptom", "pain", 5.0))
        if i < 19:
            entries.append(Entry(_at(i * 48 + 26), "food", "rice"))
    found = find_patterns(entries, min_days=1, min_exposures=1)
    onion = next(s for s in found.suspects if s.item == "onion" and s.window == "4-24 h")
    # 20 exposures; the diary ends at the last pain (917 h), so the one at 912 h has no 24 h to run
    assert onion.exposures == 19 and onion.with_symptom == 19
    assert (onion.controls, onion.controls_with_symptom) == (19, 0)  # the rice times, 26 h after onion
    assert onion.ratio > 10 and onion.flagged


def test_controls_within_the_window_after_an_exposure_are_dropped() -> None:
    entries = []
    for day in range(30):
        if day % 2 == 0:
            entries.append(Entry(_at(day * 24 + 8), "food", "onion"))
            entries.append(Entry(_at(day * 24 + 14), "symptom", "pain", 5.0))
        else:  # 25 h after the onion: a control for 4-24 h, not for 24-72 h
            entries.append(Entry(_at(day * 24 + 9), "food", "rice"))
    found = find_patterns(entries, min_days=1, min_exposures=1)
    onion = [s for s in found.suspects if s.item == "onion"]
    assert [(s.window, s.exposures, s.with_symptom, s.controls, s.controls_with_symptom) for s in onion] == [
        ("4-24 h", 15, 15, 14, 0)]  # no control is left for 24-72 h, so that is not compared


def test_a_symptom_counts_from_severity_three_and_stool_by_its_bristol_type() -> None:
    listed = symptoms()
    t = _at(0)
    assert not listed.occurs(Entry(t, "symptom", "pain", 2.0))
    assert listed.occurs(Entry(t, "symptom", "pain", 3.0))
    assert listed.occurs(Entry(t, "symptom", "pain"))  # logged without a severity: felt
    assert [b for b in range(1, 8) if listed.occurs(Entry(t, "stool", "stool", float(b)))] == [1, 2, 6, 7]
    assert not listed.occurs(Entry(t, "food", "pain", 9.0))


def test_poor_sleep_is_compared_with_other_nights() -> None:
    entries = []
    for day in range(30):
        hours = 5.0 if day % 3 == 0 else 8.0
        entries.append(Entry(_at(day * 24 + 7), "sleep", "sleep", hours, "h"))
        if hours < 6:
            entries.append(Entry(_at(day * 24 + 15), "symptom", "pain", 6.0))
    found = find_patterns(entries, min_days=1, min_exposures=3)
    sleep = next(s for s in found.suspects if s.item == "poor-sleep" and s.window == "4-24 h")
    assert (sleep.kind, sleep.exposures, sleep.with_symptom, sleep.controls_with_symptom) == ("habit", 10, 10, 0)
    assert sleep.controls == 9  # 19 good nights with 24 h to run (days 0-28), minus 10 within 24 h after a poor one
    assert sleep.flagged


# --- the statistics --------------------------------------------------------------------------------

def test_fisher_matches_known_values() -> None:
    # Fisher's tea tasting: 3 of 4 right, one-sided p = 17/70
    assert fisher_greater(3, 4, 1, 4) == pytest.approx(17 / 70)
    assert fisher_greater(4, 4, 0, 4) == pytest.approx(1 / 70)
    assert fisher_greater(0, 4, 4, 4) == 1.0
    # against a direct sum over the hypergeometric distribution
    a, n1, c, n0 = 7, 20, 30, 300
    total, hits = n1 + n0, a + c
    direct = sum(math.comb(hits, x) * math.comb(total - hits, n1 - x) for x in range(a, min(n1, hits) + 1))
    assert fisher_greater(a, n1, c, n0) == pytest.approx(direct / math.comb(total, n1), rel=1e-9)
    below = sum(math.comb(hits, x) * math.comb(total - hits, n1 - x) for x in range(1, n1 + 1))
    assert fisher_greater(1, n1, 36, n0) == pytest.approx(below / math.comb(total, n1), rel=1e-9)


def test_benjamini_hochberg() -> None:
    q = benjamini_hochberg([0.01, 0.04, 0.03, 0.5])
    assert q == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5])
    assert benjamini_hochberg([]) == []


def test_rate_ratio_uses_the_continuity_correction_only_for_an_empty_cell() -> None:
    ratio, low, high = rate_ratio(10, 20, 10, 100)
    assert ratio == pytest.approx(5.0) and low < 5 < high
    se = math.sqrt(1 / 10 - 1 / 20 + 1 / 10 - 1 / 100)
    assert low == pytest.approx(5 * math.exp(-1.959964 * se), rel=1e-5)
    ratio, low, high = rate_ratio(5, 10, 0, 50)
    assert ratio == pytest.approx((5.5 / 11) / (0.5 / 51)) and math.isfinite(high)


# --- entries and the symptom list ------------------------------------------------------------------

def test_entries_need_a_known_kind_and_an_aware_time() -> None:
    with pytest.raises(ValueError):
        Entry(datetime(2026, 1, 5, 8), "food", "onion")
    with pytest.raises(ValueError):
        Entry(_at(0), "snack", "onion")
    assert len(KINDS) == 8


def test_the_symptom_list() -> None:
    listed = symptoms()
    assert listed.keys == ("bloating", "pain", "wind", "reflux", "nausea", "stool", "tiredness", "skin", "mood")
    assert all(s.label and s.description for s in listed.symptoms)
    assert [b.type for b in listed.bristol] == list(range(1, 8)) and all(b.description for b in listed.bristol)
    assert symptoms() is listed


def test_windows() -> None:
    assert [w[0] for w in WINDOWS] == ["0-4 h", "4-24 h", "24-72 h"]

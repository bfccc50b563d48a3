"""Accuracy of the label reader over tests/data/labels.yaml: allergen precision and recall,
additive recall and NOVA agreement (figures printed with -s; bench/label_accuracy.py prints
the same)."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.label_accuracy import load_cases, measure, report  # noqa: E402
from test_data import INDEX  # noqa: E402

ACCURACY = measure(load_cases(), INDEX)


def test_print_accuracy():
    print("\n" + report(ACCURACY))
    assert ACCURACY.labels >= 100


def test_no_label_with_ingredients_or_allergens_is_refused():
    assert ACCURACY.refused == []


def test_allergens_are_neither_missed_nor_invented():
    # A family with an allergic child must be able to trust these: every expected allergen and trace
    # is found, and nothing is reported that the label does not say.
    assert ACCURACY.both.recall == 1.0
    assert ACCURACY.both.precision == 1.0


def test_every_expected_additive_is_reported():
    assert ACCURACY.additives.recall == 1.0


def test_nova_agrees_on_every_label():
    assert ACCURACY.nova_agreement == 1.0

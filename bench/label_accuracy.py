"""How well the label reader agrees with the expected readings in tests/data/labels.yaml.

Prints: labels, allergen precision and recall (declared allergens and traces, counted
separately and together), additive recall (over labels that list expected additives) and
NOVA agreement. Run: .venv/bin/python bench/label_accuracy.py
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search_bench import curated  # noqa: E402
from planner.checker.check import check_label  # noqa: E402
from planner.foods.search import SearchIndex  # noqa: E402
from planner.refused import Invalid  # noqa: E402

LABELS = ROOT / "tests" / "data" / "labels.yaml"
_CODE = re.compile(r"^E\d{3,4}[a-z]?$")


@dataclass
class Tally:
    hits: int = 0
    found: int = 0  # what the reader reported
    expected: int = 0

    def add(self, got: set[str], want: set[str]) -> None:
        self.hits += len(got & want)
        self.found += len(got)
        self.expected += len(want)

    @property
    def precision(self) -> float:
        return self.hits / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.hits / self.expected if self.expected else 1.0


@dataclass
class Accuracy:
    labels: int
    allergens: Tally
    traces: Tally
    both: Tally
    additives: Tally
    nova_agree: int
    refused: list[str]

    @property
    def nova_agreement(self) -> float:
        return self.nova_agree / self.labels if self.labels else 1.0


def additive_codes(result: dict[str, Any]) -> set[str]:
    """The additive codes a result reports (older results only had E-number markers)."""
    if "additives" in result:
        return {a["code"] for a in result["additives"]}
    return {str(m["marker"]) for m in result["markers"] if _CODE.match(str(m["marker"]))}


def measure(cases: list[dict[str, Any]], index: SearchIndex) -> Accuracy:
    acc = Accuracy(len(cases), Tally(), Tally(), Tally(), Tally(), 0, [])
    for case in cases:
        try:
            result = check_label(case["text"], index)
        except Invalid:  # a refused label reads as nothing found
            acc.refused.append(case["name"])
            result = {"allergens": [], "traces": [], "markers": [], "nova_group": "refused"}
        got_a, want_a = set(result["allergens"]), set(case["allergens"])
        got_t, want_t = set(result["traces"]), set(case["traces"])
        acc.allergens.add(got_a, want_a)
        acc.traces.add(got_t, want_t)
        acc.both.add({f"a:{s}" for s in got_a} | {f"t:{s}" for s in got_t},
                     {f"a:{s}" for s in want_a} | {f"t:{s}" for s in want_t})
        if "additives" in case:
            acc.additives.add(additive_codes(result), set(case["additives"]))
        acc.nova_agree += result["nova_group"] == case["nova_group"]
    return acc


def load_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    return cases


def report(acc: Accuracy) -> str:
    def pr(name: str, t: Tally) -> str:
        return (f"{name:<22} precision {t.precision:6.1%}  recall {t.recall:6.1%}  "
                f"({t.hits}/{t.found} found, {t.expected} expected)")
    lines = [f"labels                 {acc.labels}",
             pr("allergens (declared)", acc.allergens), pr("traces", acc.traces), pr("allergens + traces", acc.both),
             f"{'additive recall':<22} {acc.additives.recall:6.1%}  ({acc.additives.hits}/{acc.additives.expected})",
             f"{'NOVA agreement':<22} {acc.nova_agreement:6.1%}  ({acc.nova_agree}/{acc.labels})"]
    if acc.refused:
        lines.append(f"refused                {len(acc.refused)}: {', '.join(acc.refused)}")
    return "\n".join(lines)


def main() -> None:
    print(report(measure(load_cases(), SearchIndex(curated()))))


if __name__ == "__main__":
    main()

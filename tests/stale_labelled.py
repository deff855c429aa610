"""The labelled stale set (tests/data/stale/labelled.toml) and its precision and recall, for the test and the benchmark."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

LABELLED = Path(__file__).resolve().parent / "data" / "stale" / "labelled.toml"


@attrs.frozen
class Score:
    stale: int
    found: int  # stale items flagged for their claim
    false_flags: int  # flags on current or distractor items, or for the wrong claim
    missed: tuple[str, ...]
    wrong: tuple[str, ...]

    @property
    def precision(self) -> float:
        return self.found / (self.found + self.false_flags) if self.found + self.false_flags else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.stale if self.stale else 1.0


def items() -> list[dict[str, Any]]:
    with LABELLED.open("rb") as handle:
        return list(tomllib.load(handle)["item"])


def score(engine: Any, labelled: Sequence[dict[str, Any]] | None = None) -> Score:
    """Run ``engine`` (a StaleEngine) over every labelled sentence and count."""
    labelled = items() if labelled is None else labelled
    judged = engine.sentences([item["text"] for item in labelled])
    found, false_flags, missed, wrong = 0, 0, [], []
    for item, flags in zip(labelled, judged, strict=True):
        claims = {wording.claim.id for wording, _, _ in flags}
        if item["label"] == "stale":
            if item["claim"] in claims:
                found += 1
            else:
                missed.append(item["text"])
            claims.discard(item["claim"])
        claims -= set(item.get("also", ()))
        false_flags += len(claims)
        wrong += [f"{item['text']} -> {c}" for c in sorted(claims)]
    stale = sum(1 for item in labelled if item["label"] == "stale")
    return Score(stale, found, false_flags, tuple(missed), tuple(wrong))

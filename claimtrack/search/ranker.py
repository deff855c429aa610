"""The learned weights that fuse the features: one linear ranker, one "is it stated" classifier.

Both are read from ``ranker.json`` beside this module, written by
``bench/train_search_ranker.py`` from the CheckThat! 2020 training split:

* ``rank``: weights of a linear score trained listwise (a softmax over each
  query's candidates, so the claim the query repeats gets the highest score);
* ``states``: a logistic classifier (and the ``threshold`` on its probability
  chosen on the dev split) over the same features, trained on the
  claim each query repeats against the best candidates of the same query with
  that claim taken out of the library: its probability says whether the best
  claim is stated at all, which is what ``match``, the duplicate warning and
  the stale scan threshold on.

Without the file (a broken install) fixed weights stand in: summed and
normalised BM25 and cosine, the "simple mix".
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

import attrs
import numpy as np

from .features import FEATURES

__all__ = ["Ranker", "load_ranker", "WEIGHTS_FILE"]

WEIGHTS_FILE = "ranker.json"


@attrs.frozen
class Ranker:
    """Feature weights for ranking and for the probability that a claim is stated."""

    rank: tuple[float, ...]
    states: tuple[float, ...]
    states_bias: float
    scale: tuple[float, ...] = ()  # each feature divided by this before weighting (1 when empty)
    center: tuple[float, ...] = ()
    threshold: float = 0.5  # the probability from which a text is taken to state a claim

    def _scaled(self, features: Any) -> Any:
        x = np.asarray(features, dtype=np.float64)
        if self.center:
            x = x - np.asarray(self.center)
        if self.scale:
            x = x / np.asarray(self.scale)
        return x

    def score(self, features: Any) -> Any:
        """The ranking score of each row of ``features``."""
        return self._scaled(features) @ np.asarray(self.rank)

    def probability(self, features: Any) -> Any:
        """The probability, for each row, that the query states that claim."""
        logit = self._scaled(features) @ np.asarray(self.states) + self.states_bias
        return 1.0 / (1.0 + np.exp(-np.clip(logit, -40, 40)))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Ranker:
        names = tuple(data["features"])
        if names != FEATURES:
            raise ValueError("the weights were trained for other features")
        return cls(
            rank=tuple(float(w) for w in data["rank"]),
            states=tuple(float(w) for w in data["states"]),
            states_bias=float(data["states_bias"]),
            scale=tuple(float(w) for w in data.get("scale", ())),
            center=tuple(float(w) for w in data.get("center", ())),
            threshold=float(data.get("threshold", 0.5)),
        )


def _fallback() -> Ranker:
    weights = dict.fromkeys(FEATURES, 0.0) | {"bm25_claim": 1.0, "bm25_context": 0.5, "cosine": 2.0}
    states = dict.fromkeys(FEATURES, 0.0) | {"claim_cover": 6.0, "cosine": 6.0}
    return Ranker(tuple(weights[f] for f in FEATURES), tuple(states[f] for f in FEATURES), -6.0)


@functools.cache
def load_ranker() -> Ranker:
    """The shipped weights (the fallback when they cannot be read)."""
    try:
        text = resources.files(__package__).joinpath(WEIGHTS_FILE).read_text(encoding="utf-8")
        return Ranker.from_json(json.loads(text))
    except (OSError, ValueError, KeyError, TypeError):
        return _fallback()

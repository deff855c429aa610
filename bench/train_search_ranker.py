"""Train the search engine's ranker on the CheckThat! 2020 train split; write claimtrack/search/ranker.json.

Run: python bench/train_search_ranker.py [--check]

Two sets of weights over the features of claimtrack/search/features.py:

* ``rank``: a linear score trained listwise: for each training tweet, a
  softmax over its candidates, maximising the probability of the claim the
  tweet repeats (full-batch gradient descent, L2 penalty);
* ``states``: a logistic classifier whose positives are each tweet with its
  claim, and whose negatives are the two best other candidates of the tweet,
  with its claim in the library and with it taken out (so that "no claim of
  the library is stated" is learnt too), and, as negatives too, the best
  other claim for 800 verified claims' own statements (short clean sentences
  that share names with a claim they do not state). It reads only the
  features that mean the same for a tweet and a sentence, in a small library
  and a large one (STATES_FEATURES).

Features are centred and scaled by their training mean and spread (stored
with the weights). The dev split is only printed, never trained on;
``--check`` prints the dev figures of the shipped weights without writing.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import checkthat  # noqa: E402

from claimtrack.search.engine import SearchEngine  # noqa: E402
from claimtrack.search.features import FEATURES, candidates, feature_matrix  # noqa: E402
from claimtrack.search.ranker import WEIGHTS_FILE, Ranker  # noqa: E402

OUT = ROOT / "claimtrack" / "search" / WEIGHTS_FILE
L2 = 1e-3
BETA = 0.5  # the threshold's F-score weighs precision twice as much as recall
STATES_FEATURES = ("cosine", "claim_cover", "numbers_shared", "numbers_clash", "negation_clash")


def collect(engine: SearchEngine, queries: list[tuple[str, str]]) -> tuple[list[np.ndarray], list[int], list[np.ndarray]]:
    """Per query: candidate features, the gold candidate's position (-1 when not a candidate), and the
    features of the best candidates with the gold claim taken out."""
    lists, golds, without = [], [], []
    vectors = engine.vectors([q for q, _ in queries])
    for (text, gold), vector in zip(queries, vectors, strict=True):
        row = engine.index.row[gold]
        query = engine.query(text, vector)
        rows = candidates(query)
        lists.append(feature_matrix(query, rows))
        golds.append(int(np.flatnonzero(rows == row)[0]) if row in rows else -1)
        query.without([row])
        allowed = np.ones(len(engine.index), dtype=bool)
        allowed[row] = False
        rows = candidates(query, allowed=allowed)
        without.append(feature_matrix(query, rows))
    return lists, golds, without


def claim_negatives(engine: SearchEngine, claims: list, count: int = 800, seed: int = 7) -> list[np.ndarray]:
    """The best candidate for a verified claim's own statement, with that claim (and any copy of it) taken out:
    a short, clean sentence that shares names with a claim it does not state, unlike a tweet."""
    rng = np.random.default_rng(seed)
    plain = {c.id: " ".join(re.findall(r"[a-z0-9]+", c.statement.lower())) for c in claims}
    copies: dict[str, list[str]] = {}
    for claim_id, text in plain.items():
        copies.setdefault(text, []).append(claim_id)
    out = []
    for i in rng.choice(len(claims), size=min(count, len(claims)), replace=False):
        claim = claims[int(i)]
        query = engine.query(claim.statement)
        allowed = np.ones(len(engine.index), dtype=bool)
        for other in copies[plain[claim.id]]:
            row = engine.index.row[other]
            allowed[row] = False
        query.without(np.flatnonzero(~allowed))
        rows = candidates(query, allowed=allowed)
        if len(rows):
            x = feature_matrix(query, rows)
            out.append(x[int(np.argmax(x[:, 0] + x[:, 2]))])
    return out


def train_rank(lists: list[np.ndarray], golds: list[int], steps: int = 3000, rate: float = 0.5) -> np.ndarray:
    w = np.zeros(len(FEATURES))
    pairs = [(x, g) for x, g in zip(lists, golds, strict=True) if g >= 0]
    for _ in range(steps):
        grad = L2 * w
        for x, g in pairs:
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            grad += (p @ x - x[g]) / len(pairs)
        w -= rate * grad
    return w


def train_states(x: np.ndarray, y: np.ndarray, steps: int = 3000, rate: float = 0.5) -> tuple[np.ndarray, float]:
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        w -= rate * (x.T @ (p - y) / len(y) + L2 * w)
        b -= rate * float((p - y).mean())
    return w, b


def choose_threshold(engine: SearchEngine, queries: list[tuple[str, str]]) -> float:
    """The probability above which a text is taken to state a claim: the one that best tells, on ``queries``
    (the dev split), each tweet's own claim from the best claim once its own is taken out: the one with the
    best F-score weighing precision twice as much as recall (a false report costs a reader more than a miss)."""
    positives, negatives = [], []
    vectors = engine.vectors([q for q, _ in queries])
    for (text, gold), vector in zip(queries, vectors, strict=True):
        query = engine.query(text, vector)
        ranked = engine.ranked(query, 1)
        row = engine.index.row[gold]
        if ranked and ranked[0][0] == row:
            positives.append(ranked[0][2])
        query.without([row])
        allowed = np.ones(len(engine.index), dtype=bool)
        allowed[row] = False
        rest = engine.ranked(query, 1, allowed=allowed)
        if rest:
            negatives.append(rest[0][2])
    pos, neg = np.array(positives), np.array(negatives)
    best, chosen = -1.0, 0.5
    for t in np.linspace(0.05, 0.95, 91):
        tp, fp = float((pos >= t).sum()), float((neg >= t).sum())
        precision, recall = tp / max(tp + fp, 1.0), tp / len(queries)
        score = (1 + BETA**2) * precision * recall / max(BETA**2 * precision + recall, 1e-9)
        if score > best:
            best, chosen = score, float(t)
    tp, fp = float((pos >= chosen).sum()), float((neg >= chosen).sum())
    print(
        f"threshold {chosen:.2f} on dev: precision {tp / max(tp + fp, 1):.3f}, recall {tp / len(queries):.3f} "
        f"({len(pos)} own claims ranked first, {len(neg)} best claims without them)"
    )
    return chosen


def measure(engine: SearchEngine, queries: list[tuple[str, str]]) -> dict[str, float]:
    ap, rr, p1 = [], [], []
    vectors = engine.vectors([q for q, _ in queries])
    for (text, gold), vector in zip(queries, vectors, strict=True):
        ranked = [engine.index.ids[row] for row, _, _ in engine.ranked(engine.query(text, vector), 10)]
        rank = ranked.index(gold) + 1 if gold in ranked else 0
        ap.append(1 / rank if 0 < rank <= 5 else 0.0)
        rr.append(1 / rank if rank else 0.0)
        p1.append(float(rank == 1))
    return {"map5": float(np.mean(ap)), "mrr10": float(np.mean(rr)), "p1": float(np.mean(p1))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="print the shipped weights' dev figures only")
    args = parser.parse_args()
    if not checkthat.available():
        print(f"skipped: {checkthat.DATA} is absent")
        return 0
    claims, titles = checkthat.claims()
    engine = SearchEngine.from_claims(claims, title_of=titles)
    train, dev = checkthat.split("train"), checkthat.split("dev")
    if args.check:
        print("dev", measure(engine, dev))
        return 0
    lists, golds, without = collect(engine, train)
    print(f"gold among the candidates: {np.mean([g >= 0 for g in golds]):.3f} of {len(golds)} training tweets")
    stacked = np.vstack(lists)
    center, scale = stacked.mean(axis=0), stacked.std(axis=0)
    scale[scale < 1e-9] = 1.0
    norm = [(x - center) / scale for x in lists]
    rank = train_rank(norm, golds)
    positives, negatives = [], []
    for x, g, out in zip(norm, golds, without, strict=True):
        if g < 0:
            continue
        positives.append(x[g])
        order = np.argsort(-(x @ rank))
        negatives.extend([x[i] for i in order[:3] if i != g][:2])
        if len(out):
            xo = (out - center) / scale
            negatives.extend(xo[np.argsort(-(xo @ rank))[:2]])
    for x in claim_negatives(engine, claims):
        negatives.append((x - center) / scale)
    xs = np.vstack(positives + negatives)
    # The best BM25 of a query grows with the library's size: a probability read from it would not carry over
    # from 10,000 fact-checks to a library of 30 claims, so the classifier does without it.
    # Whether a text states a claim must read the same for a tweet and for a sentence of an article, and for a
    # library of 30 claims or of 100,000: the classifier keeps only what says so in both (the cosine, the share of
    # the claim the text holds, numbers and negation), none of what is relative to the query's other candidates,
    # to its length (a tweet is long and full of words no claim has) or to the library's size.
    for name in FEATURES:
        if name not in STATES_FEATURES:
            xs[:, FEATURES.index(name)] = 0.0
    ys = np.concatenate([np.ones(len(positives)), np.zeros(len(negatives))])
    states, bias = train_states(xs, ys)
    ranker = Ranker(tuple(rank), tuple(states), bias, tuple(scale), tuple(center))
    engine.ranker = ranker
    threshold = choose_threshold(engine, dev)
    figures = {"train": measure(engine, train), "dev": measure(engine, dev)}
    print(json.dumps(figures, indent=1))
    payload = {
        "features": list(FEATURES),
        "rank": [round(float(v), 6) for v in rank],
        "states": [round(float(v), 6) for v in states],
        "states_bias": round(float(bias), 6),
        "threshold": round(threshold, 3),
        "center": [round(float(v), 6) for v in center],
        "scale": [round(float(v), 6) for v in scale],
        "trained_on": "CheckThat! 2020 task 2, train split (800 tweets, 10,375 verified claims)",
        "figures": {split: {k: round(v, 4) for k, v in f.items()} for split, f in figures.items()},
    }
    OUT.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

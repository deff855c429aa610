"""Which superseded wordings a passage still states, and why (the stale engine's public API).

Run from the repository's parent folder or anywhere: python claimtrack/examples/stale_passage.py
"""

from pathlib import Path

import claimtrack
from claimtrack.documents import StaleEngine

lib = claimtrack.open(Path(__file__).resolve().parents[1])
engine = StaleEngine(lib)  # reuse one engine for many passages
passage = """The initial GPT-3 was trained on C4.
Here the amount of code data is large (e.g., PaLM has 8% code training data).
BLOOM的情况则未知。"""
for finding in engine.passage(passage, line=10):
    print(f"line {finding.line}: {finding.claim} ({finding.kind})")
    print(f"  superseded: {finding.superseded}")
    print(f"  current:    {finding.current}")
    print(f"  changes:    {list(finding.changes)}")
    print(f"  score {finding.score:g}: {finding.why}")

"""Verify every seal in the bundled corpus by hand, with the standard library alone (docs/format.md, "Seals").

Run from anywhere (it finds the corpus's claims/ beside this folder), or name another claims folder:

    python examples/verify_seals.py
    python examples/verify_seals.py path/to/library/claims
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
import tomllib
from pathlib import Path

CLAIMS = Path(__file__).resolve().parent.parent / "claims"


def canonical(table: dict) -> str:
    """The revision's table without its seal (digest, after), as compact JSON with sorted keys and ISO dates."""
    data = {key: value for key, value in table.items() if key not in ("digest", "after")}
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=dt.date.isoformat)


def check(path: Path) -> tuple[int, list[str]]:
    revisions = tomllib.loads(path.read_text(encoding="utf-8"))["revisions"]
    sealed, problems, last = 0, [], None
    for index, table in enumerate(revisions):
        digest = table.get("digest")
        if digest is None:
            continue  # unsealed: written by hand, not yet sealed
        # The parents: the digests in 'after', else the last sealed revision above (none for the first).
        parents = sorted(table.get("after") or ([last] if last else []))
        expected = hashlib.sha256(("\n".join(parents) + "\n" + canonical(table)).encode("utf-8")).hexdigest()
        if expected != digest:
            problems.append(f"{path.name}: revision {index} does not verify")
        sealed += 1
        last = digest
    return sealed, problems


def main() -> int:
    total, problems = 0, []
    files = sorted((Path(sys.argv[1]) if len(sys.argv) > 1 else CLAIMS).glob("*.toml"))
    for path in files:
        sealed, found = check(path)
        total += sealed
        problems += found
    for line in problems:
        print(line)
    print(f"{total} seals in {len(files)} claim files checked by hand: {len(problems)} do not verify")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

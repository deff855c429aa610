"""``source export``: the library's sources for reference managers, with what the library knows of each.

Everything, or only the sources that chosen claims cite (their evidence and
the documents they appear in), or that a manuscript cites (directly, or
through the claims it cites). ``with_status`` adds each source's standing:
"supports 3 claims, contradicts 1; retracted 2023-03-14 (Retraction Watch)".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..bibformats import EXPORT_FORMATS, write_entries
from ..bibformats.citekeys import citation_map
from ..errors import SourceError
from ..model import Claim

__all__ = ["export_sources", "standing", "cited_keys", "write_export"]


def _claim_keys(claim: Claim) -> list[str]:
    keys = [e.source for e in claim.evidence if not e.is_claim]
    keys += [a.document for a in claim.appearances]
    return keys


def cited_keys(lib: Any) -> set[str]:
    """Every key a claim cites: its evidence, the documents it appears in, the evidence its revisions name."""
    keys: set[str] = set()
    for claim in lib.claims.values():
        keys.update(_claim_keys(claim))
        for revision in claim.revisions:
            keys.update(k for k in revision.evidence if not k.startswith("claim:"))
    return keys


def _chosen(lib: Any, claims: Sequence[str], documents: Sequence[str | Path]) -> list[str]:
    wanted: list[str] = []
    for claim_id in claims:
        wanted += _claim_keys(lib.claims[claim_id])
    if documents:
        from ..manuscripts.reading import read_manuscript

        for document in documents:
            for group in read_manuscript(document).groups:
                for item in group.items:
                    if item.claim is not None:
                        wanted += _claim_keys(lib.claims[item.claim])
                    else:
                        wanted.append(item.key)
        renamed = citation_map(lib.sources, wanted)  # [@doi:10.1/X] cites the entry with that DOI
        wanted = [renamed.get(key, key) for key in wanted]
    return list(dict.fromkeys(wanted))


def standing(lib: Any, keys: Iterable[str] | None = None) -> dict[str, str]:
    """What the library knows of each source: how many claims it supports, contradicts or mentions, and its notices."""
    from ..notices.records import ORIGINS

    wanted = set(keys) if keys is not None else set(lib.sources)
    stances: dict[str, dict[str, set[str]]] = {}
    for claim in lib.claims.values():
        for evidence in claim.evidence:
            if evidence.source in wanted:
                stances.setdefault(evidence.source, {}).setdefault(evidence.stance.value, set()).add(claim.id)
    notices = lib.notices
    out: dict[str, str] = {}
    for key in wanted:
        parts: list[str] = []
        for stance in ("supports", "contradicts", "mentions"):
            count = len(stances.get(key, {}).get(stance, ()))
            if count:
                parts.append(f"{stance} {count}" + ("" if parts else " claim" if count == 1 else " claims"))
        text = ", ".join(parts) or "cited by no claim"
        latest: dict[Any, Any] = {}
        for notice in notices.about(key):
            latest[notice.kind] = notice
        shown = sorted(latest.values(), key=lambda n: n.date or "", reverse=True)
        if shown:
            text += "; " + "; ".join(f"{n.short()} ({ORIGINS.get(n.origin, n.origin)})" for n in shown)
        out[key] = text
    return out


def export_sources(lib: Any, fmt: str = "bibtex", *, claims: Sequence[str] = (), documents: Sequence[str | Path] = (),
                   with_status: bool = False) -> str:  # fmt: skip
    """The library's sources (all, or those ``claims`` or ``documents`` cite) as ``fmt`` text.

    >>> print(export_sources(lib, "csljson", claims=["gpt3-pretraining-corpus"], with_status=True))  # doctest: +SKIP
    """
    if fmt not in EXPORT_FORMATS:
        raise SourceError(f"{fmt!r} is not an export format", hint="use " + ", ".join(EXPORT_FORMATS))
    sources = lib.sources
    if claims or documents:
        chosen = set(_chosen(lib, claims, documents))
        keys = [key for key in sources if key in chosen]
    else:
        keys = list(sources)
    status = standing(lib, keys) if with_status else None
    return write_entries((sources[key] for key in keys), fmt, status=status)


def write_export(path: Path, text: str) -> None:
    """Write an export atomically (a symbolic link or a folder in its place is refused)."""
    from ..fileio import atomic_write

    atomic_write(Path(path), text)

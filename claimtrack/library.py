"""The Library: a claims folder opened for reading and writing, and its verbs.

>>> lib = claimtrack.open(".")                      # doctest: +SKIP
>>> lib.revise("cdv2-context-window", old="4096", new="8192",
...            reason="a reader pointed out the right figure", by="A. Reader")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import (
    ClaimFileError,
    ClaimNotFoundError,
    ClaimtrackError,
    HistoryError,
    LibraryNotFoundError,
    SourceError,
    SourceNotFoundError,
)
from .folder import BIB_FILE, default_author, find_root, init_library, is_library
from .index import Claims
from .model import (
    CLAIM_PREFIX,
    Appearance,
    Claim,
    Evidence,
    Fact,
    Revision,
    RevisionKind,
    Stance,
    Status,
    to_date,
    validate_id,
)
from .settings import Settings
from .store import Store

if TYPE_CHECKING:
    import pandas as pd

    from .audit import Finding
    from .notices import ImportResult, Notices
    from .sources import Sources

__all__ = ["Library", "Claims", "open_library", "init_library", "default_author", "find_root"]


def open_library(path: str | Path = ".", *, discover: bool = True) -> Library:
    """Open the claims library at ``path`` (or, with ``discover``, the nearest one above it).

    Raises LibraryNotFoundError when there is none (``path`` holds neither claims/ nor
    claimtrack.toml), SettingsError when its claimtrack.toml is not valid: every command
    refuses a setting it does not know, not only the audit.
    """
    path = Path(path)
    if discover:
        lib = Library(find_root(path))
    elif not path.is_dir():
        raise LibraryNotFoundError("is not a folder", file=str(path), hint="pass the folder that holds claims/")
    elif not is_library(path):
        raise LibraryNotFoundError(
            "is not a claims library (it has no claims/ folder and no claimtrack.toml)",
            file=str(path),
            hint=f"make one with `claimtrack init {path}`, or pass --root DIR of a library",
        )
    else:
        lib = Library(path.resolve())
    lib.settings  # noqa: B018 - read now, so that a bad claimtrack.toml stops every command before it acts
    return lib


class Library:
    """A claims library on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.store = Store(root)

    def __repr__(self) -> str:
        return f"<Library {str(self.root)!r}>"

    # -- reading -------------------------------------------------------------

    @functools.cached_property
    def settings(self) -> Settings:
        return Settings.load(self.root)

    @functools.cached_property
    def claims(self) -> Claims:
        """Every readable claim by id: ``claims[id]`` reads that claim alone, the rest loads the library once."""
        from .index import load_claims

        hashes: dict[str, str] = {}
        claims = Claims.lazy(lambda: load_claims(self.store, hashes=hashes), self.store.read)
        claims.hashes = hashes
        return claims

    @functools.cached_property
    def sources(self) -> Sources:
        from .fileio import cache_dir
        from .sources import Sources

        try:
            cache: Path | None = cache_dir(self.root)
        except ClaimtrackError:
            cache = None  # reading never needs the cache; writing reports the unusable folder
        return Sources.load(self.root / BIB_FILE, cache=cache)

    def check_files(self) -> Claims:
        """The claims, read with every file's content hash checked against the load cache (what ``audit`` does).

        A normal load trusts a cached row while the file's size and time stamp are unchanged; this reads
        every file, so a hand edit that kept both is seen too. The result replaces :attr:`claims`.
        """
        from .index import load_claims, unchanged

        loaded = self.__dict__.get("claims")
        if loaded is not None and not loaded.loaded:
            loaded = None  # nothing to compare with yet: the checked load below is the only load
        if loaded is not None and not loaded.content_checked and loaded.hashes is not None:
            # Loaded already: hashing the files is enough, unless one was edited behind the cache's back.
            loaded.content_checked = unchanged(self.store, loaded.hashes)
        if loaded is None or not loaded.content_checked:
            loaded = Claims(*load_claims(self.store, check_content=True))
            loaded.content_checked = True
            self.__dict__["claims"] = loaded
        return loaded

    @functools.cached_property
    def notices(self) -> Notices:
        """Retractions, corrections and expressions of concern of the sources (notices.toml; see claimtrack.notices)."""
        from .notices import NOTICES_FILE, Notices

        if not (self.root / NOTICES_FILE).exists():
            return Notices()  # without reading references.bib, which `show` and the like otherwise need not
        return Notices.load(self.root, self.sources)

    def import_notices(
        self, files: Iterable[str | Path], *, by: str | None = None, date: dt.date | str | None = None
    ) -> ImportResult:
        """Keep the notices about this library's sources from downloaded files (see claimtrack.notices.import_files)."""
        from .notices import import_files

        try:
            return import_files(self, files, by=by, date=date)
        finally:
            self.__dict__.pop("notices", None)  # the next read sees the file as written

    def claim(self, claim_id: str) -> Claim:
        """One claim, read from its file alone (no need to load the library): the same as ``claims[claim_id]``."""
        return self.claims[claim_id]

    def claim_as_of(self, claim_id: str, date: dt.date | str) -> Claim:
        """One claim as it stood at the end of ``date``."""
        claim = self.claim(claim_id)
        then = claim.as_of(_date(date))
        if then is None:
            raise ClaimtrackError(
                f"did not exist yet on {date}", key=claim_id, hint=f"it was created on {claim.created}; pick a later date"
            )
        return then

    def require_readable(self) -> None:
        """Raise the first problem if any claim file cannot be read (for whole-library commands)."""
        problems = self.claims.problems
        if problems:
            first = problems[0]
            if len(problems) > 1:
                raise ClaimFileError(
                    f"{first.message} (and {len(problems) - 1} more unreadable claim files)",
                    file=first.file,
                    line=first.line,
                    key=first.key,
                    hint=first.hint,
                )
            raise first

    def select(self, *, confidence: Iterable[str] = (), tags: Iterable[str] = (), status: Iterable[str] = ()) -> list[Claim]:
        """Claims matching every given filter (any of the values within one filter)."""
        confidence, tags, status = set(confidence), set(tags), set(status)
        out = []
        for claim in self.claims.values():
            if confidence and claim.confidence not in confidence:
                continue
            if status and claim.status.value not in status:
                continue
            if tags and not tags & set(claim.tags):
                continue
            out.append(claim)
        return sorted(out, key=lambda c: c.id)

    def dependents(self, claim_id: str) -> list[str]:
        """Ids of the claims that rest on ``claim_id``."""
        return sorted(c.id for c in self.claims.values() if claim_id in c.depends_on)

    def audit(self, *, base: str | None = None) -> list[Finding]:
        """Every active finding; with ``base`` (a git revision) the past is also checked against it."""
        from .audit import audit

        return audit(self, base=base)

    def frames(self) -> dict[str, pd.DataFrame]:
        from .frames import frames

        return frames(self)

    # -- checks shared by the writing verbs ----------------------------------

    def _check_confidence(self, level: str | None) -> None:
        if level is not None and level not in self.settings.scale:
            raise ClaimtrackError(
                f"{level!r} is not a confidence level",
                key="confidence",
                hint="use one of " + ", ".join(self.settings.scale.names),
            )

    def _check_source(self, key: str) -> None:
        if key.startswith(CLAIM_PREFIX):
            other = key[len(CLAIM_PREFIX) :]
            if not self.store.path_for(other).is_file():
                raise ClaimNotFoundError(f"no claim {other!r} to cite", key=key, hint="add that claim first")
        elif key not in self.sources:
            raise SourceNotFoundError(
                f"no entry {key!r} in {BIB_FILE}",
                key=key,
                hint="add it with `claimtrack source add`, or check the key's spelling",
            )

    def _check_claim_exists(self, claim_id: str) -> None:
        # lexists: a FIFO or a folder in its place is the store's to refuse, with what it is.
        if not os.path.lexists(self.store.path_for(claim_id)):
            raise ClaimNotFoundError(f"no claim {claim_id!r}", key=claim_id, hint="see `claimtrack list` for the ids")

    def _written(self, claim: Claim) -> Claim:
        # A write makes the loaded view stale; drop it so the next read sees the file.
        self.__dict__.pop("claims", None)
        return claim

    # -- writing -------------------------------------------------------------

    def add(
        self,
        claim_id: str,
        statement: str,
        *,
        confidence: str | None = None,
        tags: Iterable[str] = (),
        depends_on: Iterable[str] = (),
        appearances: Iterable[Appearance] = (),
        facts: Iterable[Fact] = (),
        evidence: Iterable[Evidence] = (),
        by: str | None = None,
        date: dt.date | str | None = None,
        note: str | None = None,
    ) -> Claim:
        """Create a claim; its first revision records this whole first state."""
        validate_id(claim_id)
        if not statement or not statement.strip():
            raise ClaimtrackError("a claim needs a statement", key="statement", hint='pass --statement "..."')
        names = self.settings.scale.names
        confidence = confidence or ("hypothesis" if "hypothesis" in names else names[-1])
        self._check_confidence(confidence)
        depends_on, evidence = tuple(depends_on), tuple(evidence)
        for other in depends_on:
            self._check_claim_exists(other)
        for item in evidence:
            self._check_source(item.source)
        revision = Revision(
            date=_date(date),
            kind=RevisionKind.CREATED,
            by=by or default_author(),
            note=note,
            statement=statement,
            confidence=confidence,
            set_tags=tuple(dict.fromkeys(tags)),
            set_depends_on=depends_on,
            set_appearances=tuple(appearances),
            set_facts=tuple(facts),
            set_evidence=evidence,
        )
        from .history import replay

        claim = replay(Claim(id=claim_id, statement=statement, confidence=confidence, revisions=(revision,)))
        return self._written(self.store.create(claim))

    def append(self, claim_id: str, revision: Revision) -> Claim:
        """Append a revision built by the caller (checked, sealed and applied)."""
        self._check_claim_exists(claim_id)
        if revision.kind is RevisionKind.CREATED:
            raise HistoryError("a claim is created only once", key=claim_id, hint="use add() for a new claim")
        if revision.kind.needs_reason and not (revision.reason or "").strip():
            raise HistoryError(f"a {revision.kind.value} needs a reason", key=claim_id, hint="say why with --reason")
        self._check_confidence(revision.confidence)
        if revision.field == "confidence":
            self._check_confidence(revision.new)
        for key in revision.evidence:
            self._check_source(key)
        for item in revision.add_evidence:
            self._check_source(item.source)

        def checked(current: Claim) -> Revision:
            last = current.revisions[-1].date if current.revisions else None
            if last is not None and revision.date < last:
                raise HistoryError(
                    f"a revision dated {revision.date} cannot follow one dated {last}",
                    file=current.path,
                    key=claim_id,
                    hint=f"the history is kept in date order; use --date {last} or later and say the true date in --note",
                )
            return revision

        return self._written(self.store.append(claim_id, checked))

    def cite(
        self,
        claim_id: str,
        source: str,
        *,
        stance: Stance | str = Stance.SUPPORTS,
        locator: str | None = None,
        quote: str | None = None,
        note: str | None = None,
        reason: str | None = None,
        by: str | None = None,
        date: dt.date | str | None = None,
    ) -> Claim:
        """Add evidence to a claim, as a revision of kind ``evidence``."""
        item = Evidence(source=source, stance=Stance(stance), locator=locator, quote=quote, note=note)
        revision = Revision(
            date=_date(date),
            kind=RevisionKind.EVIDENCE,
            by=by or default_author(),
            reason=reason or f"cites {source} ({item.stance.value})",
            add_evidence=(item,),
        )
        return self.append(claim_id, revision)

    def revise(
        self,
        claim_id: str,
        *,
        old: str | None = None,
        new: str | None = None,
        statement: str | None = None,
        confidence: str | None = None,
        reason: str | None = None,
        kind: RevisionKind | str | None = None,
        by: str | None = None,
        credited: str | None = None,
        evidence: Iterable[str] = (),
        date: dt.date | str | None = None,
        note: str | None = None,
    ) -> Claim:
        """Record a change: a span edit (old -> new), a whole new statement, or a new confidence."""
        if (old is None) != (new is None):
            raise HistoryError("a span edit needs both old and new", key=claim_id, hint="pass --old TEXT --new TEXT")
        if old is None and statement is None and confidence is None:
            raise HistoryError("nothing to change", key=claim_id, hint="pass --old/--new, --statement or --confidence")
        if old is not None and statement is not None:
            raise HistoryError(
                "give a span edit or a whole statement, not both", key=claim_id, hint="pass --old/--new or --statement"
            )
        current = self.claim(claim_id)
        if kind is None:
            kind = self._kind_for(current, confidence) if old is None and statement is None else RevisionKind.CORRECTION
        if confidence is not None and confidence == current.confidence and old is None and statement is None:
            raise HistoryError(f"confidence is already {confidence!r}", key=claim_id, hint="nothing to change")
        revision = Revision(
            date=_date(date),
            kind=RevisionKind(kind),
            by=by or default_author(),
            reason=reason,
            credited=credited,
            evidence=tuple(evidence),
            note=note,
            statement=statement,
            # A confidence change alone is recorded old -> new, so it renders as a diff.
            **(
                {"field": "statement", "old": old, "new": new, "confidence": confidence}
                if old is not None
                else {"field": "confidence", "old": current.confidence, "new": confidence}
                if confidence is not None and statement is None
                else {"confidence": confidence}
            ),
        )
        return self.append(claim_id, revision)

    def _kind_for(self, current: Claim, confidence: str | None) -> RevisionKind:
        scale = self.settings.scale
        if confidence is None or confidence not in scale or current.confidence not in scale:
            return RevisionKind.CONFIDENCE
        return RevisionKind.HEDGE if scale.rank(confidence) > scale.rank(current.confidence) else RevisionKind.STRENGTHEN

    def _end(
        self,
        claim_id: str,
        kind: RevisionKind,
        status: Status,
        reason: str,
        by: str | None,
        date: Any,
        successor: str | None = None,
    ) -> Claim:
        current = self.claim(claim_id)
        if current.status is not Status.ACTIVE:
            raise HistoryError(
                f"claim {claim_id!r} is already {current.status.value}",
                key=claim_id,
                hint="its life has ended; nothing to change",
            )
        revision = Revision(
            date=_date(date),
            kind=kind,
            by=by or default_author(),
            reason=reason,
            field="status",
            old=current.status.value,
            new=status.value,
            superseded_by=successor,
        )
        return self.append(claim_id, revision)

    def retract(self, claim_id: str, *, reason: str, by: str | None = None, date: dt.date | str | None = None) -> Claim:
        """Mark a claim retracted; its history stays."""
        return self._end(claim_id, RevisionKind.RETRACTION, Status.RETRACTED, reason, by, date)

    def supersede(
        self, claim_id: str, *, by_claim: str, reason: str, by: str | None = None, date: dt.date | str | None = None
    ) -> Claim:
        """Mark a claim superseded by another one."""
        validate_id(by_claim)
        if by_claim == claim_id:
            raise HistoryError("a claim cannot supersede itself", key=claim_id, hint="name another claim with --by-claim")
        self._check_claim_exists(by_claim)
        return self._end(claim_id, RevisionKind.SUPERSESSION, Status.SUPERSEDED, reason, by, date, successor=by_claim)

    def review(self, claim_id: str, *, reason: str, by: str | None = None, date: dt.date | str | None = None) -> Claim:
        """Record that a person re-checked the claim; nothing else changes."""
        revision = Revision(date=_date(date), kind=RevisionKind.REVIEW, by=by or default_author(), reason=reason)
        return self.append(claim_id, revision)

    def seal(self) -> dict[str, int]:
        """Seal hand-written revisions that have no digest yet; return counts by claim."""
        counts = {}
        for path in self.store.files():
            count = self.store.seal(path.stem)
            if count:
                counts[path.stem] = count
        self.__dict__.pop("claims", None)
        return counts

    def add_sources(self, bibtex: str | bytes, *, origin: str = "the BibTeX to add") -> tuple[str, ...]:
        """Append BibTeX entries to references.bib without touching the others."""
        if isinstance(bibtex, bytes):
            try:
                bibtex = bibtex.decode("utf-8-sig")
            except UnicodeDecodeError as e:
                line = e.object[: e.start].count(b"\n") + 1
                raise SourceError(f"is not UTF-8 (byte {e.start})", file=origin, line=line, hint="save it as UTF-8") from e
        keys = self.sources.add(bibtex, root=self.root)
        self.__dict__.pop("sources", None)
        return keys

    def add_sources_from(self, path: str | Path) -> tuple[str, ...]:
        """:meth:`add_sources` with the BibTeX of a file, which must be a regular file."""
        from .fileio import read_input

        try:
            data = read_input(path, error=SourceError)
        except OSError as e:
            raise SourceError(f"cannot be read: {e.strerror or e}", file=path, hint="check the path and its permissions") from e
        return self.add_sources(data, origin=str(path))


def _date(value: dt.date | str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return to_date(value)
    except ValueError as e:
        raise ClaimtrackError(f"{value!r} is not a date", key="date", hint="write it as YYYY-MM-DD") from e

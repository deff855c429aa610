"""The Library: a claims folder opened for reading and writing, and its verbs.

>>> lib = claimtrack.open(".")                      # doctest: +SKIP
>>> lib.revise("cdv2-context-window", old="4096", new="8192",
...            reason="a reader pointed out the right figure", by="A. Reader")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .edits import FieldEdits
from .errors import (
    ClaimFileError,
    ClaimNotFoundError,
    ClaimtrackError,
    HistoryError,
    LibraryNotFoundError,
    SourceNotFoundError,
    ValueTypeError,
)
from .folder import BIB_FILE, default_author, find_root, init_library, is_library
from .history import apply, replay
from .index import Claims
from .lifecycle import LifeVerbs
from .model import CLAIM_PREFIX, Appearance, Claim, Evidence, Fact, Revision, RevisionKind, validate_id
from .revisionmeta import author, parse_date
from .searching import SearchVerbs
from .settings import Settings
from .sourceverbs import SourceVerbs
from .store import Store
from .suggest import hint_with
from .values import check_date, check_records, check_text, check_texts, is_blank
from .views import plural
from .writes import SealResult, check_revision, check_values, refuse_unreplayable

if TYPE_CHECKING:
    import pandas as pd

    from .audit import Findings
    from .contentcheck import Checking
    from .notices import ImportResult, Notices
    from .sources import Sources

#: File time stamps come from a coarse clock that may lag the fine one by a tick: a file stamped
#: this close before a load may still have been written after it started.
_CLOCK_LAG_NS = 50_000_000

__all__ = ["Library", "SealResult", "Claims", "open_library", "init_library", "default_author", "find_root"]


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


class Library(FieldEdits, LifeVerbs, SearchVerbs, SourceVerbs):
    """A claims library on disk: its claims, its sources, its settings, and the verbs that change them.

    Reads notice writes made elsewhere (another process, an editor): the claims
    are loaded again when a file in ``claims/`` was added, removed or replaced,
    :meth:`claim` reads a file again when it changed after the load, and the
    sources and settings are read again when their file changed.
    :meth:`reload` forgets everything loaded.

    >>> lib = claimtrack.open(".")                   # doctest: +SKIP
    >>> lib
    <Library '/home/me/survey': 42 claims, 17 sources>
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.store = Store(root)
        # What was loaded, with the stamp of the file or folder it came from.
        self._loaded: dict[str, tuple[object, Any]] = {}
        self._claims_loaded_ns = 0

    def __repr__(self) -> str:
        held = []
        if "claims" in self._loaded and self._loaded["claims"][1].loaded:
            held.append(plural(len(self._loaded["claims"][1]), "claim"))
        if "sources" in self._loaded:
            held.append(plural(len(self._loaded["sources"][1]), "source"))
        return f"<Library {str(self.root)!r}" + (": " + ", ".join(held) if held else " (nothing loaded yet)") + ">"

    def _repr_html_(self) -> str:
        """A card for Jupyter: the title and folder, how many claims and sources, and the first claims."""
        from .notebook import library_card

        claims = self.claims
        try:
            sources: int | None = len(self.sources)
        except ClaimtrackError:
            sources = None  # an unreadable references.bib: the claims still show
        return library_card(self.settings.title, str(self.root), len(claims._listed() or claims), sources, claims._repr_html_())

    # -- reading -------------------------------------------------------------

    def reload(self) -> Library:
        """Forget the loaded claims, sources, settings and notices, so the next read sees the files as they are now."""
        self._loaded.clear()
        return self

    def _fresh(self, name: str, path: Path, load: Any) -> Any:
        stamp = _stamp(path)
        known = self._loaded.get(name)
        if known is not None and known[0] == stamp:
            return known[1]
        value = load()
        self._loaded[name] = (stamp, value)
        return value

    @property
    def settings(self) -> Settings:
        """The library's settings (``claimtrack.toml``), read again when the file changed."""
        return self._fresh("settings", self.root / "claimtrack.toml", lambda: Settings.load(self.root))  # type: ignore[no-any-return]

    @property
    def claims(self) -> Claims:
        """Every readable claim by id: ``claims[id]`` reads that claim alone, the rest loads the library once.

        A new mapping is made when a file in ``claims/`` was added, removed or replaced since.
        """

        def load() -> Claims:
            from .index import load_claims

            self._claims_loaded_ns = time.time_ns()
            hashes: dict[str, str] = {}
            ids = lambda: [path.stem for path in self.store.files()]  # noqa: E731
            claims = Claims.lazy(lambda: load_claims(self.store, hashes=hashes), self._read_claim, ids)
            claims.hashes = hashes
            return claims

        return self._fresh("claims", self.store.claims_dir, load)  # type: ignore[no-any-return]

    @property
    def sources(self) -> Sources:
        """The entries of references.bib by key, read again when the file changed."""

        def load() -> Sources:
            from .fileio import cache_dir
            from .sources import Sources

            try:
                cache: Path | None = cache_dir(self.root)
            except ClaimtrackError:
                cache = None  # reading never needs the cache; writing reports the unusable folder
            return Sources.load(self.root / BIB_FILE, cache=cache)

        return self._fresh("sources", self.root / BIB_FILE, load)  # type: ignore[no-any-return]

    def files_checking(self) -> Checking | None:
        """The content check of :meth:`check_files` begun, to run while other work goes on (the audit's rules);
        None when the claims are not loaded yet, or were checked already (then :meth:`check_files` has it all).

        When its :meth:`~claimtrack.contentcheck.Checking.unchanged` is True, the loaded claims count as checked.
        """
        from .contentcheck import begin

        loaded = self.claims if "claims" in self._loaded else None
        if loaded is None or not loaded.loaded or loaded.content_checked or loaded.hashes is None:
            return None
        return begin(self.store, loaded.hashes, then=lambda: setattr(loaded, "content_checked", True))

    def check_files(self) -> Claims:
        """The claims, read with every file's content hash checked against the load cache (what ``audit`` does).

        A normal load trusts a cached row while the file's size and time stamp are unchanged; this reads
        every file, so a hand edit that kept both is seen too. The result replaces :attr:`claims`.
        """
        from .index import load_claims, unchanged

        loaded = self.claims if "claims" in self._loaded else None
        if loaded is not None and not loaded.loaded:
            loaded = None  # nothing to compare with yet: the checked load below is the only load
        if loaded is not None and not loaded.content_checked and loaded.hashes is not None:
            # Loaded already: hashing the files is enough, unless one was edited behind the cache's back.
            loaded.content_checked = unchanged(self.store, loaded.hashes)
        if loaded is None or not loaded.content_checked:
            stamp, self._claims_loaded_ns = _stamp(self.store.claims_dir), time.time_ns()
            loaded = Claims(*load_claims(self.store, check_content=True))
            loaded.content_checked = True
            self._loaded["claims"] = (stamp, loaded)
        return loaded

    @property
    def notices(self) -> Notices:
        """Retractions, corrections and expressions of concern of the sources (notices.toml; see claimtrack.notices)."""
        from .notices import NOTICES_FILE, Notices

        def load() -> Notices:
            if not (self.root / NOTICES_FILE).exists():
                return Notices()  # without reading references.bib, which `show` and the like otherwise need not
            return Notices.load(self.root, self.sources)

        return self._fresh("notices", self.root / NOTICES_FILE, load)  # type: ignore[no-any-return]

    def import_notices(
        self, files: Iterable[str | Path], *, by: str | None = None, date: dt.date | str | None = None
    ) -> ImportResult:
        """Keep the notices about this library's sources from downloaded files (see claimtrack.notices.import_files)."""
        from .notices import import_files

        try:
            return import_files(self, files, by=by, date=date)
        finally:
            self._loaded.pop("notices", None)  # the next read sees the file as written

    def claim(self, claim_id: str) -> Claim:
        """One claim, read from its file alone (no need to load the library): ``claims[claim_id]``.

        A claim whose file changed after the claims were first read (an editor
        saving over it, which leaves the folder as it was) is read again.
        """
        claims = self.claims
        try:
            changed = self.store.path_for(claim_id).stat().st_mtime_ns >= self._claims_loaded_ns - _CLOCK_LAG_NS
        except OSError:
            changed = False  # a missing file: the mapping says so, with its did-you-mean
        if not changed:
            return claims[claim_id]
        now, known = self._read_claim(claim_id), claims.get(claim_id)
        return known if known == now else now  # the same record when the file only seemed to change

    def _read_claim(self, claim_id: str) -> Claim:
        try:
            return self.store.read(claim_id)
        except ClaimNotFoundError as e:
            raise self._not_found(claim_id, e) from None

    def _not_found(self, claim_id: str, error: ClaimNotFoundError | None = None) -> ClaimNotFoundError:
        ids = [p.stem for p in self.store.files()]
        return ClaimNotFoundError(
            f"no claim {claim_id!r}",
            file=error.file if error else None,
            key=None if error else claim_id,
            hint=hint_with(claim_id, ids, "see `claimtrack list` for the ids"),
        )

    def claim_as_of(self, claim_id: str, date: dt.date | str) -> Claim:
        """One claim as it stood at the end of ``date``."""
        claim = self.claim(claim_id)
        then = claim.as_of(check_date(date, future=True))
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
                more = len(problems) - 1
                raise ClaimFileError(
                    f"{first.message} (and {plural(more, 'more unreadable claim file')})",
                    file=first.file,
                    line=first.line,
                    key=first.key,
                    hint=first.hint,
                )
            raise first

    def select(self, *, confidence: Iterable[str] = (), tags: Iterable[str] = (), status: Iterable[str] = ()) -> list[Claim]:
        """Claims matching every given filter (any of the values within one filter), sorted by id."""
        confidence, tags, status = (
            set(check_texts(v, k)) for v, k in ((confidence, "confidence"), (tags, "tags"), (status, "status"))
        )
        if confidence - set(self.settings.scale.names):
            held = {claim.confidence for claim in self.claims.values()}
            for level in confidence - held:  # a level off the scale that claims still hold is a fair filter
                self._check_confidence(level)
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

    def audit(self, *, base: str | None = None) -> Findings:
        """The audit's active findings (a list, a table in Jupyter), sorted by claim and rule; with ``base`` (a git
        revision) the past is also checked against it (see ``claimtrack.audit_all`` for the ignored ones)."""
        from .audit import audit

        return audit(self, base=base)

    def frames(self) -> dict[str, pd.DataFrame]:
        """The library as pandas DataFrames: claims, evidence, revisions, sources, findings (see docs/frames.md)."""
        from .frames import frames

        return frames(self)

    # -- checks shared by the writing verbs ----------------------------------

    def _check_confidence(self, level: str | None) -> None:
        if level is not None and level not in self.settings.scale:
            names = self.settings.scale.names
            raise ClaimtrackError(
                f"{level!r} is not a confidence level",
                key="confidence",
                hint=hint_with(level, names, "use one of " + ", ".join(names)),
            )

    def _check_source(self, key: str) -> None:
        if key.startswith(CLAIM_PREFIX):
            other = key[len(CLAIM_PREFIX) :]
            if not self.store.path_for(other).is_file():
                ids = [CLAIM_PREFIX + p.stem for p in self.store.files()]
                raise ClaimNotFoundError(f"no claim {other!r} to cite", key=key, hint=hint_with(key, ids, "add that claim first"))
        elif key not in self.sources:
            near = self.sources.find(key)
            raise SourceNotFoundError(
                f"no entry {key!r} in {BIB_FILE}",
                key=key,
                hint=f"did you mean {near.key!r}? keys are case-sensitive"
                if near is not None
                else hint_with(key, self.sources, "add it with `claimtrack source add`, or check the key's spelling"),
            )

    def _check_claim_exists(self, claim_id: str) -> None:
        # lexists: a FIFO or a folder in its place is the store's to refuse, with what it is.
        if not os.path.lexists(self.store.path_for(claim_id)):
            raise self._not_found(claim_id)

    def _written(self, claim: Claim) -> Claim:
        # A write makes the loaded view stale; drop it so the next read sees the file
        # (the folder's time stamp may not have ticked since the load).
        self._loaded.pop("claims", None)
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
        allow_duplicate: bool = True,
    ) -> Claim:
        """Create a claim; its first revision records this whole first state.

        With ``allow_duplicate=False`` (what ``claimtrack add`` does) a statement that nearly duplicates a
        claim of the library is refused with :class:`~claimtrack.errors.DuplicateClaimError`, naming it."""
        validate_id(claim_id)
        if statement is None or (isinstance(statement, str) and is_blank(statement)):  # zero-width characters alone too
            raise ClaimtrackError("a claim needs a statement", key="statement", hint='pass --statement "..."')
        check_text(statement, "statement")
        names = self.settings.scale.names
        if confidence is None:
            confidence = "hypothesis" if "hypothesis" in names else names[-1]
        self._check_confidence(check_text(confidence, "confidence"))
        tags, depends_on = check_texts(tags, "tags"), check_texts(depends_on, "depends_on")
        appearances = check_records(appearances, Appearance, "appearances")
        facts, evidence = check_records(facts, Fact, "facts"), check_records(evidence, Evidence, "evidence")
        for other in depends_on:
            self._check_claim_exists(other)
        for item in evidence:
            self._check_source(item.source)
        if not allow_duplicate:
            self._check_not_duplicate(claim_id, statement)
        revision = Revision(
            date=parse_date(date),
            kind=RevisionKind.CREATED,
            by=author(by),
            note=note,
            statement=statement,
            confidence=confidence,
            set_tags=tuple(dict.fromkeys(tags)),
            set_depends_on=depends_on,
            set_appearances=tuple(appearances),
            set_facts=tuple(facts),
            set_evidence=evidence,
        )
        check_values(revision)
        claim = replay(Claim(id=claim_id, statement=statement, confidence=confidence, revisions=(revision,)))
        return self._written(self.store.create(claim))

    def append(self, claim_id: str, revision: Revision) -> Claim:
        """Append a revision built by the caller (checked, sealed and applied).

        Refused, writing nothing, when the claim's file shows an untracked edit
        (its fields differ from what its revisions give), when the revision
        names a change that changes nothing (an old value equal to the new, a
        tag the claim already has), or when it is dated before
        the last one.
        """
        if not isinstance(revision, Revision):
            raise ValueTypeError(
                f"must be a Revision, not {type(revision).__name__}", key="revision", hint="make it with claimtrack.Revision(...)"
            )
        return self._append_all(claim_id, (revision,))

    def _append_all(self, claim_id: str, revisions: tuple[Revision, ...]) -> Claim:
        """Append revisions in order, in one write: each is checked against the claim the ones before it made."""
        self._check_claim_exists(claim_id)
        for revision in revisions:
            check_values(revision)
            if revision.kind is RevisionKind.CREATED:
                raise HistoryError("a claim is created only once", key=claim_id, hint="use add() for a new claim")
            if revision.kind.needs_reason and not (revision.reason or "").strip():
                raise HistoryError(
                    f"a revision of kind {revision.kind.value!r} needs a reason", key=claim_id, hint="say why with --reason"
                )
            self._check_confidence(revision.confidence)
            if revision.field == "confidence":
                self._check_confidence(revision.new)
            for key in revision.evidence:
                self._check_source(key)
            for item in revision.add_evidence:
                self._check_source(item.source)

        def make(current: Claim) -> Revision | tuple[Revision, ...]:
            if len(revisions) == 1:
                return check_revision(current, revisions[0])
            checked = []
            for revision in revisions:
                checked.append(check_revision(current, revision))
                current = apply(current, checked[-1])
            return tuple(checked)

        return self._written(self.store.append(claim_id, make))

    def seal(self) -> SealResult:
        """Seal hand-written revisions that have no digest yet, in every readable claim.

        Returns the count of revisions sealed by claim id (a dict); its
        ``problems`` lists the claim files that could not be read, which are
        left as they are.
        """
        counts: dict[str, int] = {}
        problems: list[ClaimtrackError] = []
        for path in self.store.files():
            try:
                # A seal vouches for a history that applies: one edited by hand so that it no longer replays is refused.
                count = self.store.seal(path.stem, lambda claim: refuse_unreplayable(claim, what="nothing was sealed"))
            except ClaimtrackError as e:
                problems.append(e)
                continue
            if count:
                counts[path.stem] = count
        self._loaded.pop("claims", None)
        return SealResult(counts, problems=tuple(problems))


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What tells a file or folder changed: its modification time, size and inode (None when absent)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)

"""Reports of a claims library: HTML, Markdown, and the frames as CSV or JSON.

    >>> import claimtrack, claimtrack.report                     # doctest: +SKIP
    >>> claimtrack.report.write(claimtrack.open("."), "report/")  # doctest: +SKIP
    [PosixPath('report/index.html'), PosixPath('report/README.md')]

Every file is written beside its place and only then are all put in place, so a failure leaves
the previous report as it was, or no folder at all. A large report's big files (the split page's
data files, the Markdown report) are written piece by piece as they are made, never held whole.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ClaimtrackError
from ..fileio import refuse_linked_folder, write_temp
from ..suggest import hint_with
from ..sweeping import sweep_folder

if TYPE_CHECKING:
    from ..library import Library

__all__ = ["write", "render", "FORMATS", "DEFAULT_FORMATS", "resolve_style", "is_style_path"]

FORMATS = ("html", "md", "csv", "json")
DEFAULT_FORMATS = ("html", "md")
HTML_FILE = "index.html"
MARKDOWN_FILE = "README.md"


def resolve_style(lib: Library, style: str | None) -> str:
    """The citation style to use: ``style``, else settings' ``[report] style``, else the shipped one."""
    from .citations import DEFAULT_STYLE

    chosen = style or lib.settings.report.get("style") or DEFAULT_STYLE
    if not isinstance(chosen, str) or not chosen.strip():
        raise ClaimtrackError(
            "must be a style name", file="claimtrack.toml", key="report.style", hint=f'write style = "{DEFAULT_STYLE}"'
        )
    chosen = chosen.strip()
    if not style and is_style_path(chosen) and not Path(chosen).is_absolute():
        return str(lib.root / chosen)  # a path in claimtrack.toml is the library's, wherever the command runs
    return chosen


def is_style_path(name: str) -> bool:
    """Whether a style is named by a path to a .csl file rather than by a style's name."""
    return "/" in name or os.sep in name or name.lower().endswith(".csl")


def _shown_style(name: str) -> str:
    """A style as the report names it: a file by its name alone, never a path on the machine that made it."""
    return Path(name).name if is_style_path(name) else name


def _formats(formats: Iterable[str]) -> list[str]:
    wanted = [f.strip().lower() for f in formats if f.strip()]
    for fmt in wanted:
        if fmt not in FORMATS:
            raise ClaimtrackError(
                f"{fmt!r} is not a report format",
                key="format",
                hint=hint_with(fmt, FORMATS, "use " + ", ".join(FORMATS) + " (comma-separated)"),
            )
    if not wanted:
        raise ClaimtrackError("no report format given", key="format", hint="use " + ", ".join(FORMATS))
    return list(dict.fromkeys(wanted))


def render(
    lib: Library,
    formats: Iterable[str] = DEFAULT_FORMATS,
    *,
    style: str | None = None,
    progress: Callable[[int], None] | None = None,
    as_of: dt.date | str | None = None,
    since: dt.date | str | None = None,
) -> dict[str, str]:
    """The report's files as ``{file name: text}``, nothing written.

    ``progress`` is called with the number of claims just rendered (e.g. a
    click progress bar's ``update``). ``as_of`` (a day) shows the library as it stood at its end; ``since`` (a day
    or a git ref) marks the claims new since then and the statements changed since then.
    """
    with _files(lib, formats, style, progress, as_of, since) as files:
        return {name: text if isinstance(text, str) else "".join(text) for name, text in files.items()}


@contextlib.contextmanager
def _files(
    lib: Library,
    formats: Iterable[str],
    style: str | None,
    progress: Callable[[int], None] | None,
    as_of: dt.date | str | None = None,
    since: dt.date | str | None = None,
) -> Iterator[dict[str, str | Iterator[str]]]:
    """The report's files as ``{file name: text or its pieces}``: pieces are made only as they are read, in this order.

    The claims' sections wait in a store (see :mod:`.section_list`) until the files that show them are read,
    within this context.
    """
    wanted = _formats(formats)
    held: list[Any] = []
    try:
        if as_of is not None:
            from .asof import PastLibrary

            lib = PastLibrary(lib, as_of)  # type: ignore[assignment]
        yield _made(lib, wanted, style, progress, held, since)
    finally:
        for store in held:
            store.close()


def _made(
    lib: Library,
    wanted: list[str],
    style: str | None,
    progress: Callable[[int], None] | None,
    held: list[Any],
    since: dt.date | str | None = None,
) -> dict[str, str | Iterator[str]]:
    findings = _load_findings(lib)
    out: dict[str, str | Iterator[str]] = {}
    if "html" in wanted or "md" in wanted:
        from .citations import plain_references, start_formatting
        from .context import build
        from .mdtext import md_escape

        style_file = resolve_style(lib, style)
        style_name = _shown_style(style_file)

        cache = _reference_cache(lib)
        sections, salt = _section_cache(lib)

        def references(keys: list[str], pool: Any) -> Callable[[], dict[str, Any]]:
            return start_formatting(lib.sources, keys, style_file, md_escape, cache=cache, pool=pool)

        def plain(sources: Any, keys: list[str]) -> dict[str, Any]:
            return plain_references(sources, keys, md_escape, cache=cache)

        if sections is not None:
            held.append(sections)
        try:
            context = build(
                lib,
                references=references,
                findings=findings,
                progress=progress,
                plain_references=plain,
                cache=sections,
                salt=salt,
            )
        finally:
            if cache is not None:
                cache.close()
        held.append(context["sections"])
        context["as_of"] = getattr(lib, "as_of", None)
        context["since"] = None
        if since is not None:
            from .asof import changes_since

            context["since"] = changes_since(lib, since)
        if "html" in wanted:
            from .paged import pages_from, render_paged

            if len(context["claims"]) >= pages_from(lib.settings.report):
                out.update(render_paged(context, style_name=style_name))
            else:
                from .html import render_html

                out[HTML_FILE] = render_html(context, style_name=style_name)
            from .corrections import corrections_files

            out.update(corrections_files(lib))
        if "md" in wanted:
            from .markdown import markdown_pieces

            out[MARKDOWN_FILE] = markdown_pieces(context, style_name=style_name)
    elif progress is not None:
        progress(len(lib.claims))
    if "csv" in wanted or "json" in wanted:
        from ..frames import frame_text, frames

        tables = frames(lib, findings=findings or [])
        for fmt in ("csv", "json"):
            if fmt in wanted:
                for name, df in tables.items():
                    out[f"{name}.{fmt}"] = frame_text(df, fmt)
    return out


def _load_findings(lib: Library) -> list[Any] | None:
    """The audit's findings, or None when this installation has no audit module.

    As :func:`claimtrack.frames.load_findings`, without importing pandas for a report that needs no frames.
    """
    try:
        from .. import audit as _audit  # noqa: F401
    except ImportError:
        return None
    return list(lib.audit())


def _reference_cache(lib: Library) -> Any:
    """The library's cache of formatted references, or None when ``.claimtrack/`` or the signing key cannot be used."""
    from ..fileio import cache_file, sign, signing_key
    from .reference_cache import CACHE_FILE, ReferenceCache

    secret = signing_key()
    if secret is None:
        return None
    try:
        return ReferenceCache(cache_file(lib.root, CACHE_FILE), sign(secret, CACHE_FILE, str(lib.root.resolve())))
    except (ClaimtrackError, OSError):
        return None


def _section_cache(lib: Library) -> tuple[Any, str | None]:
    """The library's cache of rendered claim sections and its salt, or (None, None) when it cannot be used."""
    from ..fileio import cache_file
    from .cache import SECTIONS_FILE, SectionCache, page_salt

    try:
        salt = page_salt(lib)
        if salt is None:
            return None, None
        return SectionCache(cache_file(lib.root, SECTIONS_FILE)), salt
    except (ClaimtrackError, OSError):
        return None, None


def write(
    lib: Library,
    out_dir: str | Path = "report",
    formats: Iterable[str] = DEFAULT_FORMATS,
    style: str | None = None,
    progress: Callable[[int], None] | None = None,
    *,
    as_of: dt.date | str | None = None,
    since: dt.date | str | None = None,
) -> list[Path]:
    """Render the report and write its files into ``out_dir``; return their paths.

    ``formats``: any of ``html`` (``index.html``), ``md`` (``README.md``),
    ``csv`` and ``json`` (one file per frame: ``claims.csv``, ...).
    Audit findings are shown in the report, never fatal.
    """
    with _files(lib, formats, style, progress, as_of, since) as files:
        return _write_files(files, Path(out_dir))


def _write_files(files: dict[str, str | Iterator[str]], out: Path) -> list[Path]:
    """Write ``files`` into ``out``: all beside their places, then all put in place."""
    made = [folder for folder in (out, *out.parents) if not folder.exists()]  # deepest first
    staged: list[tuple[Path, Path]] = []
    refuse_linked_folder(out)
    try:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ClaimtrackError(
                f"cannot create the output folder: {e.strerror or e}", file=out, hint="choose another --out"
            ) from e
        # Every file is written before any is put in place: a refused report leaves no file, and no folder, behind.
        for name, text in files.items():
            path = out / name
            if path.parent != out and not os.path.lexists(path.parent):
                path.parent.mkdir()
                made.insert(0, path.parent)
            staged.append((write_temp(path, text), path))
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException as e:  # a file's pieces are made while it is written: whatever fails, nothing is left
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        for folder in made:
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(e, OSError):
            raise ClaimtrackError(f"cannot write: {e.strerror or e}", file=out, hint="check the folder's free space") from e
        raise
    _remove_leftovers(out, files)
    from .paged import DATA_DIR

    for folder in dict.fromkeys([out, out / DATA_DIR, *(path.parent for _, path in staged)]):
        sweep_folder(folder)  # what an earlier report, killed while writing, left here
    return [path for _, path in staged]


def _remove_leftovers(out: Path, written: Collection[str]) -> None:
    """Remove the files an earlier report of another shape wrote here (a split page's parts), and only those."""
    from .paged import DATA_DIR

    if "html" not in {name.rpartition(".")[2] for name in written}:
        return
    data = out / DATA_DIR
    leftovers = [out / "bibliography.html"]
    if data.is_dir() and not data.is_symlink():  # a data/ that is a link is not looked into: it is not the report's
        leftovers.append(data / "claims.js")
        leftovers += [p for p in data.glob("details-*.js") if p.stem.partition("-")[2].isdigit()]
    for path in leftovers:
        if path.relative_to(out).as_posix() not in written and path.is_file() and not path.is_symlink():
            path.unlink()
    with contextlib.suppress(OSError):
        data.rmdir()  # only when empty

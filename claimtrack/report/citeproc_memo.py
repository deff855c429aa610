"""citeproc-py's pure lookups on a style, memoised while entries are formatted.

citeproc-py repeats the same XPath queries and option lookups on the style
for every entry it formats; inside :func:`memoised_lookups` their answers are
kept (per thread) for the length of the block.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

__all__ = ["memoised_lookups"]

_memo = threading.local()
_patch_lock = threading.Lock()


def _install_xpath_memo() -> None:
    """Wrap ``CitationStylesElement.xpath_search`` once; it memoises only inside :func:`memoised_lookups`.

    The lookup is pure: every expression citeproc-py passes is relative to the
    element (its children, ancestors, following siblings, or the root's macros
    and locales), and the one change citeproc-py makes to a loaded style is
    inserting a default ``<name>`` child into a ``<names>`` element, which
    changes no such result for an element already looked up. Keys hold the
    element itself, so an id cannot be reused while it is cached.
    """
    from citeproc.model import CitationStylesElement

    with _patch_lock:
        if getattr(CitationStylesElement.xpath_search, "_claimtrack_memo", False):
            return
        original = CitationStylesElement.xpath_search

        def xpath_search(self: Any, expression: str) -> list[Any]:
            table = getattr(_memo, "table", None)
            if table is None:
                return original(self, expression)
            key = (self, expression)
            found = table.get(key)
            if found is None:
                found = table[key] = tuple(original(self, expression))
            return list(found)

        xpath_search._claimtrack_memo = True  # type: ignore[attr-defined]
        xpath_search.__wrapped__ = original  # type: ignore[attr-defined]
        CitationStylesElement.xpath_search = xpath_search
        _install_lookup_memos()


def _install_lookup_memos() -> None:
    """Memoise, like the XPath lookups, three more pure lookups on the style that citeproc-py repeats for every entry
    (about a sixth of its time): an element's root, a locale's style option, and an element's formatting option
    (its own attribute, else the style's). None reads anything a formatted entry changes."""
    from citeproc.model import CitationStylesElement, FormattingInstructions, Locale

    def memoised(cls: Any, name: str) -> None:
        original = getattr(cls, name)

        def lookup(self: Any, *args: Any) -> Any:
            table = getattr(_memo, "table", None)
            if table is None:
                return original(self, *args)
            key = (name, self, *args)
            found = table.get(key)
            if found is None:
                try:
                    found = table[key] = (original(self, *args), None)
                except IndexError as e:  # Locale.get_option: the locale has no style options
                    found = table[key] = (None, e)
            if found[1] is not None:
                raise IndexError from found[1]
            return found[0]

        lookup.__wrapped__ = original  # type: ignore[attr-defined]
        setattr(cls, name, lookup)

    memoised(CitationStylesElement, "get_root")
    memoised(Locale, "get_option")
    memoised(FormattingInstructions, "get_option")


@contextlib.contextmanager
def memoised_lookups() -> Iterator[None]:
    """Memoise citeproc's pure lookups on the style in this thread until the block ends."""
    _install_xpath_memo()
    previous = getattr(_memo, "table", None)
    _memo.table = {} if previous is None else previous
    try:
        yield
    finally:
        _memo.table = previous

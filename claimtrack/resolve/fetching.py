"""HTTP for sources: DOI content negotiation and export URLs, with urllib from the standard library.

Every failure is one :class:`~claimtrack.errors.SourceError` saying what
happened (no answer in time, no such DOI, rate-limited, a web page instead of
a bibliography) and what to do; nothing is written before every answer is in.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import attrs

from ..errors import SourceError
from .identifiers import Identifier

__all__ = ["Answer", "Resolver", "fetch_url", "DEFAULT_RESOLVER", "DEFAULT_TIMEOUT", "ACCEPT"]

DEFAULT_RESOLVER = "https://doi.org"
DEFAULT_TIMEOUT = 20.0
#: CSL-JSON first (its names and dates are structured); BibTeX from resolvers that offer nothing else.
ACCEPT = "application/vnd.citationstyles.csl+json, application/x-bibtex;q=0.5"
_MAX_ANSWER = 16 << 20
_USER_AGENT = "claimtrack (source add)"


@attrs.frozen
class Answer:
    """A resolver's or an export's answer: the media type it named and the text."""

    media: str
    body: str
    url: str = ""


def _get(url: str, accept: str, timeout: float, what: str) -> Answer:
    request = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": _USER_AGENT})
    # A failure is raised after the except block, not chained: the chained traceback would keep the
    # connection's socket alive until some later garbage collection.
    failure: SourceError | None = None
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only, checked by the caller
            data = response.read(_MAX_ANSWER + 1)
            media = response.headers.get_content_type() or ""
            charset = response.headers.get_content_charset() or "utf-8"
    except urllib.error.HTTPError as e:
        e.close()
        failure = _http_error(e.code, what)
    except TimeoutError:
        failure = _timed_out(timeout, what)
    except urllib.error.URLError as e:
        if isinstance(e.reason, TimeoutError):
            failure = _timed_out(timeout, what)
        else:
            failure = SourceError(f"cannot reach {urllib.parse.urlsplit(url).netloc}: {e.reason}", key=what,
                                  hint="check the connection, or use --offline for answers kept earlier")  # fmt: skip
    except (OSError, ValueError) as e:
        failure = SourceError(f"the answer could not be read: {e}", key=what, hint="try again later")
    if failure is not None:
        raise failure
    if len(data) > _MAX_ANSWER:
        raise SourceError(f"the answer is larger than {_MAX_ANSWER >> 20} MB", key=what, hint="export fewer entries at a time")
    try:
        body = data.decode(charset, errors="strict")
    except (UnicodeDecodeError, LookupError) as e:
        raise SourceError("the answer is not text in the encoding it names", key=what, hint="check the address") from e
    return Answer(media, body, url)


def _timed_out(timeout: float, what: str) -> SourceError:
    return SourceError(
        f"no answer within {timeout:g} s", key=what, hint="try again later, or use --offline for answers kept earlier"
    )


def _http_error(code: int, what: str) -> SourceError:
    if code == 404:
        return SourceError("the resolver knows no such identifier (HTTP 404)", key=what, hint="check it for typos")
    if code == 429:
        return SourceError("the resolver is limiting requests (HTTP 429)", key=what,
                           hint="wait a minute and try again, or add fewer at a time")  # fmt: skip
    if code == 406:
        return SourceError("the resolver has no BibTeX or CSL-JSON for it (HTTP 406)", key=what,
                           hint="add its BibTeX by hand")  # fmt: skip
    if code >= 500:
        return SourceError(f"the server failed (HTTP {code})", key=what, hint="try again later")
    return SourceError(f"the server refused the request (HTTP {code})", key=what, hint="check the address")


def _not_html(answer: Answer, what: str) -> Answer:
    if answer.media in ("text/html", "application/xhtml+xml") or answer.body.lstrip()[:1] == "<":
        raise SourceError("the answer is a web page (HTML), not BibTeX or CSL-JSON", key=what,
                          hint="give the address of the export itself, or the DOI")  # fmt: skip
    if not answer.body.strip():
        raise SourceError("the answer is empty", key=what, hint="check the identifier or the address")
    return answer


@attrs.frozen
class Resolver:
    """A DOI resolver at ``base`` (``https://doi.org``, or a local server in tests)."""

    base: str = DEFAULT_RESOLVER
    timeout: float = DEFAULT_TIMEOUT

    def url_for(self, doi: str) -> str:
        return self.base.rstrip("/") + "/" + urllib.parse.quote(doi, safe="/:;()._-<>[]")

    def resolve(self, identifier: Identifier) -> Answer:
        """The resolver's CSL-JSON (or BibTeX) for a DOI or arXiv id."""
        doi = identifier.doi
        if doi is None:
            raise ValueError(f"{identifier} is not a DOI")
        return _not_html(_get(self.url_for(doi), ACCEPT, self.timeout, identifier.standard), identifier.standard)


def fetch_url(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> Answer:
    """The BibTeX or CSL-JSON an export URL answers (Better BibTeX's pull export, or any address)."""
    accept = "application/x-bibtex, application/vnd.citationstyles.csl+json, application/json;q=0.9, text/plain;q=0.5"
    return _not_html(_get(url, accept, timeout, url), url)

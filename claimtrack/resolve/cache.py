"""The resolver's answers, kept in the library (``doi-cache.json``) so an add works again offline and in CI.

Unlike ``.claimtrack/``, this file is meant to be committed: it is small (one
answer a DOI) and it is what makes ``source add doi:...`` repeatable without
the network. It is written only together with references.bib, under the
library lock, when an add succeeds.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..fileio import atomic_write, read_input
from .fetching import Answer

__all__ = ["AnswerCache", "CACHE_FILE"]

CACHE_FILE = "doi-cache.json"
_FORMAT = 1


class AnswerCache:
    """Answers by standard id (``doi:10.1/x``), read from and written to one JSON file."""

    def __init__(self, path: Path, answers: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self.path = Path(path)
        self._answers: dict[str, dict[str, str]] = {k: dict(v) for k, v in (answers or {}).items()}
        self._new: set[str] = set()

    @classmethod
    def load(cls, root: Path) -> AnswerCache:
        path = Path(root) / CACHE_FILE
        try:
            data = read_input(path, shown=CACHE_FILE, error=SourceError)
        except FileNotFoundError:
            return cls(path)
        except OSError as e:
            raise SourceError(f"cannot be read: {e.strerror or e}", file=CACHE_FILE, hint="check its permissions") from e
        try:
            raw: Any = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise SourceError("is not valid JSON", file=CACHE_FILE,
                              hint="delete it; the answers are fetched again online") from e  # fmt: skip
        answers = raw.get("answers") if isinstance(raw, dict) else None
        if not isinstance(answers, dict) or not all(
            isinstance(v, dict) and isinstance(v.get("body"), str) and isinstance(v.get("media"), str) for v in answers.values()
        ):
            raise SourceError("is not a cache of resolver answers", file=CACHE_FILE,
                              hint="delete it; the answers are fetched again online")  # fmt: skip
        return cls(path, answers)

    def get(self, standard: str) -> Answer | None:
        kept = self._answers.get(standard)
        return Answer(kept["media"], kept["body"], kept.get("url", "")) if kept else None

    def put(self, standard: str, answer: Answer, *, today: dt.date | None = None) -> None:
        day = (today or dt.date.today()).isoformat()
        self._answers[standard] = {"media": answer.media, "body": answer.body, "url": answer.url, "fetched": day}
        self._new.add(standard)

    @property
    def changed(self) -> bool:
        return bool(self._new)

    def write(self) -> None:
        """Write the file (under the library lock, with references.bib): entries sorted, for readable diffs."""
        text = json.dumps({"format": _FORMAT, "answers": dict(sorted(self._answers.items()))}, ensure_ascii=False, indent=1)
        atomic_write(self.path, text + "\n")
        self._new.clear()

"""claimtrack.toml: the confidence scale, rule severities and report settings.

A key the file does not know is refused wherever the settings are read
(opening a library reads them), with the closest known key suggested: a typo
must not leave a setting silently at its default.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import tomli

from .errors import SettingsError
from .fileio import read_input
from .model import DEFAULT_SCALE, ConfidenceLevel, ConfidenceScale
from .nesting import load_toml
from .suggest import did_you_mean

__all__ = ["Settings", "SETTINGS_FILE", "SEVERITIES"]

SETTINGS_FILE = "claimtrack.toml"
SEVERITIES = ("error", "warning", "info", "off")
_KEYS = ("title", "confidence", "rules", "report", "sources", "export")
_SOURCES_KEYS = ("resolver", "timeout")
_CONFIDENCE_KEYS = ("levels",)
_LEVEL_KEYS = ("name", "meaning", "min_support")
_REPORT_KEYS = ("style", "pages_from")
_EXPORT_KEYS = ("publisher", "publisher_url", "base_url", "ratings")
_URL = re.compile(r"https?://[^\s/?#]+[^\s]*")


def _refuse_unknown(table: Mapping[str, Any], known: tuple[str, ...], prefix: str = "") -> None:
    """Raise for the first key of ``table`` not in ``known``, suggesting the closest known one."""
    for key in table:
        if key not in known:
            raise SettingsError(
                "is not a known setting",
                file=SETTINGS_FILE,
                key=prefix + str(key),
                hint=did_you_mean(str(key), known) or "known: " + ", ".join(sorted(known)),
            )


@attrs.frozen
class Settings:
    """A library's settings; every field has a default, so the file is optional."""

    title: str = "Claims"
    scale: ConfidenceScale = DEFAULT_SCALE
    rules: Mapping[str, str] = attrs.field(factory=dict)
    report: Mapping[str, Any] = attrs.field(factory=dict)
    sources: Mapping[str, Any] = attrs.field(factory=dict)
    #: ``[export]``: who publishes the library's claims and where (see docs/export.md).
    export: Mapping[str, Any] = attrs.field(factory=dict)

    @classmethod
    def load(cls, root: Path) -> Settings:
        path = root / SETTINGS_FILE
        if not os.path.lexists(path):
            return cls(title=root.resolve().name or "Claims")
        try:
            data = read_input(path, shown=SETTINGS_FILE, error=SettingsError)
        except FileNotFoundError:
            return cls(title=root.resolve().name or "Claims")  # a dangling link: no settings, as before
        except OSError as e:
            raise SettingsError(f"cannot be read: {e.strerror}", file=SETTINGS_FILE, hint="check its permissions") from e
        try:
            text = data.decode("utf-8").removeprefix("\ufeff")  # a byte-order mark some editors add
        except UnicodeDecodeError as e:
            line = data.count(b"\n", 0, e.start) + 1
            raise SettingsError(
                f"is not UTF-8 (byte {e.start})", file=SETTINGS_FILE, line=line, hint="save the file as UTF-8"
            ) from e
        try:
            raw = load_toml(text, file=SETTINGS_FILE, error=SettingsError)
        except tomli.TOMLDecodeError as e:
            match = re.search(r"line (\d+)", str(e))
            message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e))
            raise SettingsError(
                f"not valid TOML: {message}",
                file=SETTINGS_FILE,
                line=int(match.group(1)) if match else None,
                hint="fix the syntax (strings in double quotes)",
            ) from e
        return cls.from_raw(raw, default_title=root.resolve().name or "Claims")

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any], default_title: str = "Claims") -> Settings:
        _refuse_unknown(raw, _KEYS)
        title = raw.get("title", default_title)
        if not isinstance(title, str):
            raise SettingsError("must be a string", file=SETTINGS_FILE, key="title", hint='write title = "My survey"')
        scale = DEFAULT_SCALE
        confidence = raw.get("confidence")
        if confidence is not None:
            if isinstance(confidence, Mapping):
                _refuse_unknown(confidence, _CONFIDENCE_KEYS, "confidence.")
            levels = confidence.get("levels") if isinstance(confidence, Mapping) else None
            if not isinstance(levels, list) or not levels:
                raise SettingsError(
                    "needs a non-empty levels list",
                    file=SETTINGS_FILE,
                    key="confidence.levels",
                    hint='write [[confidence.levels]] with name = "...", min_support = N, strongest first',
                )
            parsed = []
            for i, level in enumerate(levels):
                key = f"confidence.levels[{i}]"
                if not isinstance(level, Mapping) or not isinstance(level.get("name"), str) or not level["name"]:
                    raise SettingsError("needs a name", file=SETTINGS_FILE, key=key, hint='write name = "hypothesis"')
                _refuse_unknown(level, _LEVEL_KEYS, key + ".")
                support = level.get("min_support", 0)
                if not isinstance(support, int) or isinstance(support, bool) or support < 0:
                    raise SettingsError("min_support must be a whole number, 0 or more", file=SETTINGS_FILE, key=key)
                parsed.append(ConfidenceLevel(level["name"], str(level.get("meaning", "")), support))
            if len({lv.name for lv in parsed}) != len(parsed):
                raise SettingsError(
                    "names a level twice", file=SETTINGS_FILE, key="confidence.levels", hint="give each level its own name"
                )
            scale = ConfidenceScale(tuple(parsed))
        rules = raw.get("rules", {})
        if not isinstance(rules, Mapping):
            raise SettingsError(
                "must be a table", file=SETTINGS_FILE, key="rules", hint='write [rules] then rule-name = "warning"'
            )
        for name, severity in rules.items():
            if severity not in SEVERITIES:
                raise SettingsError(
                    f"{severity!r} is not a severity",
                    file=SETTINGS_FILE,
                    key=f"rules.{name}",
                    hint="use error, warning, info or off",
                )
        report = raw.get("report", {})
        if not isinstance(report, Mapping):
            raise SettingsError("must be a table", file=SETTINGS_FILE, key="report", hint='write [report] then style = "apa"')
        _refuse_unknown(report, _REPORT_KEYS, "report.")
        if not isinstance(report.get("style", ""), str):
            raise SettingsError("must be a string", file=SETTINGS_FILE, key="report.style", hint='write style = "apa"')
        return cls(
            title=title,
            scale=scale,
            rules=dict(rules),
            report=dict(report),
            sources=_sources_table(raw.get("sources", {})),
            export=_export(raw.get("export", {}), scale),
        )


def _sources_table(table: Any) -> dict[str, Any]:
    """``[sources]``: the DOI resolver's address (``resolver``) and how long to wait for it (``timeout``, seconds)."""
    if not isinstance(table, Mapping):
        raise SettingsError(
            "must be a table", file=SETTINGS_FILE, key="sources", hint='write [sources] then resolver = "https://doi.org"'
        )
    _refuse_unknown(table, _SOURCES_KEYS, "sources.")
    resolver = table.get("resolver", "https://doi.org")
    if not isinstance(resolver, str) or not re.match(r"https?://[^\s/]+", resolver):
        raise SettingsError(
            "must be an http(s) address", file=SETTINGS_FILE, key="sources.resolver", hint='write resolver = "https://doi.org"'
        )
    timeout = table.get("timeout", 20)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 600:
        raise SettingsError(
            "must be a number of seconds, more than 0 and at most 600",
            file=SETTINGS_FILE,
            key="sources.timeout",
            hint="write timeout = 20",
        )
    return dict(table)


def _export(table: object, scale: ConfidenceScale) -> dict[str, Any]:
    """The ``[export]`` table checked: texts, http(s) URLs, and a rating label for levels of the scale."""
    if not isinstance(table, Mapping):
        raise SettingsError("must be a table", file=SETTINGS_FILE, key="export", hint='write [export] then publisher = "..."')
    _refuse_unknown(table, _EXPORT_KEYS, "export.")
    for key in ("publisher", "publisher_url", "base_url"):
        value = table.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise SettingsError("must be a non-empty string", file=SETTINGS_FILE, key=f"export.{key}")
    for key in ("publisher_url", "base_url"):
        value = table.get(key)
        if value is not None and not _URL.fullmatch(value):
            raise SettingsError(
                f"{value!r} is not an http(s) URL",
                file=SETTINGS_FILE,
                key=f"export.{key}",
                hint='write the full address, e.g. "https://example.org/claims/"',
            )
    ratings = table.get("ratings", {})
    if not isinstance(ratings, Mapping):
        raise SettingsError("must be a table", file=SETTINGS_FILE, key="export.ratings", hint='write conclusion = "Supported"')
    for name, label in ratings.items():
        if name not in scale:
            raise SettingsError(
                "is not a level of the confidence scale",
                file=SETTINGS_FILE,
                key=f"export.ratings.{name}",
                hint=did_you_mean(str(name), scale.names) or "levels: " + ", ".join(scale.names),
            )
        if not isinstance(label, str) or not label.strip():
            raise SettingsError("must be a non-empty string", file=SETTINGS_FILE, key=f"export.ratings.{name}")
    return dict(table)

"""Every command a hint, an error or a document names exists, with the options it is given."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from claimtrack.cli import main

REPO = Path(__file__).resolve().parent.parent
COMMAND = re.compile(r"`(claimtrack(?: [^`]*)?)`")
CONTINUED = re.compile(r"[\"']\s*\n\s*f?[\"']")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _named_commands() -> list[tuple[str, str]]:
    out = []
    files = sorted((REPO / "claimtrack").rglob("*.py")) + [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            # Join string literals continued on the next line: "... `claimtrack fact "\n    f'--value V`'.
            text = CONTINUED.sub(lambda m: "\n" * m.group(0).count("\n"), text)
        for match in COMMAND.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            out.append((f"{path.relative_to(REPO)}:{line}", match.group(1)))
    return out


NAMED = _named_commands()


def _options(command: click.Command) -> set[str]:
    return {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)} | {"--help", "-h"}


def test_the_walk_finds_the_hints() -> None:
    assert len(NAMED) > 40
    assert any("claimtrack annotate" in text for _, text in NAMED)


@pytest.mark.parametrize(("where", "text"), NAMED, ids=[f"{w} {t}" for w, t in NAMED])
def test_every_named_command_exists_with_its_options(where: str, text: str) -> None:
    words = shlex.split(PLACEHOLDER.sub("X", text).replace("...", "X"))
    command: click.Command = main
    ctx = click.Context(main)
    rest = words[1:]
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        found = command.get_command(ctx, rest[0])
        assert found is not None, f"{where}: `{text}` names no command {rest[0]!r}"
        command, rest = found, rest[1:]
    unknown = [w.split("=")[0] for w in rest if w.startswith("--") and w.split("=")[0] not in _options(command)]
    assert unknown == [], f"{where}: `{text}`: {command.name} has no option {unknown}"

"""What every command shares: the group, library discovery, error handling, output formats."""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from ..csvcells import csv_text
from ..errors import ClaimtrackError
from ..terminal import escape_controls, json_controls

__all__ = [
    "Choice",
    "main",
    "pass_library",
    "open_from_context",
    "format_option",
    "by_option",
    "date_option",
    "emit",
    "echo",
    "to_json",
    "handle_errors",
]

F = TypeVar("F", bound=Callable[..., Any])

#: What click 8.2 raises for a group given no command (8.1 prints the help itself).
_NO_ARGS_IS_HELP: type[click.UsageError] = getattr(click.exceptions, "NoArgsIsHelpError", type("_Never", (click.UsageError,), {}))

_ROOT_HELP = "The library folder. Default: found by walking up from the current folder to claims/ or claimtrack.toml."


def _set_root(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        obj = ctx.find_root().obj
        if isinstance(obj, dict):
            obj["root"] = value


#: Commands that use no library, so take no ``--root``.
_NO_LIBRARY = frozenset({"init"})


class _Group(click.Group):
    """The command group: errors in one line, ``--root`` after the command too, did-you-mean for commands."""

    group_class = type  # subgroups (``claimtrack source``) are of this class too

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        # Every command also takes --root, so `claimtrack list --root DIR` works like `claimtrack --root DIR list`;
        # but not `init`, which makes a library in the folder it is given rather than using one.
        if cmd.name not in _NO_LIBRARY and not any(p.name == "root" for p in cmd.params):
            cmd.params.append(
                click.Option(
                    ["--root"],
                    type=click.Path(file_okay=False, path_type=Path),
                    default=None,
                    expose_value=False,
                    is_eager=True,
                    callback=_set_root,
                    help=_ROOT_HELP,
                )
            )
        super().add_command(cmd, name)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            from ..suggest import did_you_mean

            guess = did_you_mean(name, self.list_commands(ctx))
            ctx.fail(f"no command {name!r}" + (f"; {guess}" if guess else ""))
        return super().resolve_command(ctx, args)

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, standalone_mode: bool = True, **extra: Any
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, standalone_mode=False, **extra)
        except _NO_ARGS_IS_HELP as e:  # `claimtrack` or `claimtrack source` alone: the help
            click.echo(e.ctx.get_help() if e.ctx is not None else self.get_help(click.Context(self)))
            sys.exit(0)
        except click.UsageError as e:
            command = e.ctx.command_path if e.ctx is not None else "claimtrack"
            message = " ".join(e.format_message().split()).rstrip(".")
            message = message[:1].lower() + message[1:]
            echo(f"error: {command}: {message}{' Else ' if message.endswith('?') else '; '}see `{command} --help`", err=True)
            sys.exit(2)
        except click.ClickException as e:
            echo(f"error: {' '.join(e.format_message().split())}", err=True)
            sys.exit(e.exit_code)
        except click.Abort:
            click.echo("aborted", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(name="claimtrack", cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=_ROOT_HELP + " Also accepted after the command.",
)
@click.version_option(package_name="claimtrack")
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """Keep claims honest: confidence, sources and a tracked history of corrections.

    \b
    Example:
      claimtrack init notes && cd notes
      claimtrack add gpt3-context --statement "GPT-3 has a 2048-token context window." --confidence hypothesis
      claimtrack list
    """
    from .. import index

    index.main_is_guarded = True  # spawned workers that import the entry point again start nothing
    ctx.obj = {"root": root}


def handle_errors(func: F) -> F:
    """Turn library errors into one line on stderr and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ClaimtrackError as e:
            echo(f"error: {e}", err=True)
            sys.exit(2)
        except BrokenPipeError:
            sys.exit(0)

    return wrapper  # type: ignore[return-value]


def open_from_context(ctx: click.Context) -> Any:
    """The library named by --root, or found by walking up from the current folder."""
    from ..library import open_library

    root = (ctx.find_root().obj or {}).get("root")
    return open_library(root if root is not None else Path.cwd(), discover=root is None)


def pass_library(func: F) -> F:
    """Open the library (from --root or by discovery) and pass it as the first argument."""

    @click.pass_context
    @functools.wraps(func)
    def wrapper(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
        return func(open_from_context(ctx), *args, **kwargs)

    return handle_errors(wrapper)  # type: ignore[return-value]


class Choice(click.Choice):  # type: ignore[type-arg]
    """click's Choice, whose refusal of a value offers the closest choice (``'support'``: did you mean 'supports'?)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            from ..suggest import did_you_mean

            choices = [str(c) for c in self.choices]
            guess = did_you_mean(value.strip().lower(), choices) if isinstance(value, str) else None
            if guess is None and isinstance(value, str) and value.strip().lower() in choices:
                guess = f"did you mean {value.strip().lower()!r}?"
            if guess is None:
                raise
            self.fail(f"{value!r} is not one of {', '.join(map(repr, choices))}; {guess}", param, ctx)


def format_option(*choices: str, default: str = "text") -> Callable[[F], F]:
    return click.option(
        "--format",
        "fmt",
        type=Choice(choices or ("text", "json", "csv")),
        default=default,
        show_default=True,
        help="Output format.",
    )


by_option = click.option(
    "--by", "by", default=None, help="Who makes the change. Default: $CLAIMTRACK_BY, else git's user.name, else the login name."
)
date_option = click.option(
    "--date",
    "date",
    default=None,
    help="When the change was made (YYYY-MM-DD, not after today), which may be long before it is recorded. "
    "Default: $CLAIMTRACK_DATE, else today.",
)


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    return value


def to_json(value: Any) -> str:
    return json_controls(json.dumps(_plain(value), ensure_ascii=False, indent=2))


def echo(message: str = "", *, err: bool = False, nl: bool = True, escape: bool = True) -> None:
    """Print one message, its control characters escaped (see :mod:`claimtrack.terminal`) unless ``escape`` is false.

    Every command prints through this, never ``click.echo`` directly.
    """
    # color=True: click would otherwise drop ANSI sequences from text bound for a file or a pipe, where the exact
    # text is promised; escaped text holds none to drop
    click.echo(escape_controls(message) if escape else message, err=err, nl=nl, color=True)


def _to_terminal() -> bool:
    """Whether standard output is a terminal (CSV is data in a file or a pipe, but not on a screen)."""
    return sys.stdout.isatty()


def emit(rows: Iterable[Mapping[str, Any]], fmt: str, *, columns: list[str], text: Callable[[Mapping[str, Any]], str]) -> None:
    """Print rows as text lines, a JSON list or CSV with the given columns."""
    rows = list(rows)
    if fmt == "json":
        echo(to_json([{c: row.get(c) for c in columns} for row in rows]))
    elif fmt == "csv":
        cells = (
            ["; ".join(map(str, v)) if isinstance(v, (list, tuple)) else ("" if v is None else _plain(v)) for v in values]
            for values in ([row.get(c) for c in columns] for row in rows)
        )
        # CSV keeps the data's exact text in a file or a pipe; on a terminal its control characters are escaped
        echo(csv_text([columns, *cells]), nl=False, escape=_to_terminal())
    else:
        for row in rows:
            echo(text(row))

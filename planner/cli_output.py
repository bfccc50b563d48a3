"""What every `planner` command does with its result: print it, or write it to a file and say so;
and how a failure reads on standard error."""
from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NoReturn

import click


def complain(message: str, fields: Mapping[str, str] | None = None) -> None:
    """Say "error: <message>" on standard error, then each field's problem on a line of its own
    (but not a field's that only repeats the message)."""
    click.echo(f"error: {message}", err=True)
    for field, problem in (fields or {}).items():
        if problem != message:
            click.echo(f"  {field}: {problem}", err=True)


def fail(message: str) -> NoReturn:
    """Stop with exit status 1: the command could not do its work (a file it cannot read or write).
    What the app refuses is raised as a planner.refused kind instead, and exits by its kind."""
    complain(message)
    sys.exit(1)


def emit(content: str | bytes, output: Path | None, written: str) -> None:
    """Standard output without -o; else the file, then `written` (a summary) on standard error."""
    if output is None:
        click.echo(content, nl=False)
        return
    try:
        if isinstance(content, bytes):
            output.write_bytes(content)
        else:
            output.write_text(content, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}")
    click.echo(written, err=True)

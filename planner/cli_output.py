"""What every `planner` command does with its result: print it, or write it to a file and say so."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click


def fail(message: str) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
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

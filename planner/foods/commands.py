"""`planner foods ...`: search, show, import and export foods."""
from __future__ import annotations

import json
from pathlib import Path

import click

from planner import catalog
from planner.cli_output import emit, fail
from planner.data import vocabulary
from planner.extensions import db
from planner.foods import exchange, present, store
from planner.foods.search import Filters
from planner.refused import Invalid, NotFound, row_fields

foods = click.Group("foods", help="Search, show, import and export foods.")


@foods.command("search")
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print JSON records.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
def foods_search(query: str, as_json: bool, limit: int) -> None:
    """Find foods by name, synonym or a close spelling."""
    result = catalog.load(db.session).index.search(query, Filters())
    records = result.records[:limit]
    if as_json:
        click.echo(json.dumps({"query": query, "approximate": result.approximate, "total": result.total,
                               "items": records}, ensure_ascii=False, indent=2))
        return
    if not records:
        raise NotFound(f"no food matches '{query}'")
    if result.approximate:
        click.echo(f"No food matches every word of '{query}'; closest:")
    for record in records:
        click.echo(present.summary_line(record))


@foods.command("show")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON record.")
def foods_show(slug: str, as_json: bool) -> None:
    """Show one food by its slug."""
    food = store.get_food(db.session, slug)
    if food is None:
        hints = catalog.load(db.session).index.suggestions(slug.replace("-", " "), 3)
        hint = f" Did you mean: {', '.join(r['slug'] for r in hints)}?" if hints else ""
        raise NotFound(f"no food with slug '{slug}'.{hint}")
    record = store.food_record(food)
    click.echo(json.dumps(record, ensure_ascii=False, indent=2) if as_json else present.describe(record, vocabulary()))


@foods.command("export")
@click.option("--format", "fmt", type=click.Choice(exchange.FORMATS), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output.")
def foods_export(fmt: str, output: Path | None) -> None:
    """Export every food as JSON or CSV."""
    text = exchange.export(store.all_records(db.session), fmt)
    emit(text, output, f"Wrote {text.count(chr(10)) if fmt == 'csv' else len(json.loads(text))} foods to {output}.")


@foods.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(exchange.FORMATS), help="Default: from the file name.")
def foods_import(file: Path, fmt: str | None) -> None:
    """Create or update foods from a JSON or CSV export. A file with any bad row is refused whole."""
    try:
        fmt = exchange.format_of(file.name, fmt)
        text = file.read_text(encoding="utf-8")
        rows = exchange.parse(text, fmt)
        report = store.upsert_records(db.session, rows, vocabulary())
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror}")
    except UnicodeDecodeError:
        raise Invalid(f"{file} is not UTF-8 text") from None
    except store.RecordsRejected as rejected:
        # A CSV's problems are named by its columns, as the person sees the file.
        def column(path: str) -> str:
            return exchange.COLUMN_OF_PATH.get(path, path) if fmt == "csv" else path
        raise Invalid(f"{len(rejected.errors)} problem(s) in {file}; nothing was imported",
                      row_fields(rejected.errors, column)) from None
    click.echo(f"Imported {file}: {report}.")

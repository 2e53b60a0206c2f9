"""`fitbot`: the operator's and the person's entry point."""

from __future__ import annotations

import logging

import typer

from bot.cli_parse import parse
from bot.settings import Settings
from fitness_core.db import DatabaseUrls, hide_password, resolve_urls

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Primary Assistant: a fitness coaching bot.",
)
db_app = typer.Typer(no_args_is_help=True, help="Database: migrations, status, reference data.")
app.add_typer(db_app, name="db")
app.command("parse")(parse)


def load_settings() -> Settings:
    settings = Settings()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return settings


def database_urls(settings: Settings) -> DatabaseUrls:
    return resolve_urls(settings.database_url, settings.migration_database_url, settings.data_dir)


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Bring the schema to the latest revision (or the one given)."""
    from bot import schema

    urls = database_urls(load_settings())
    schema.upgrade(urls.migrations, revision)
    typer.echo(f"Schema at {schema.status(urls.migrations).current}.")


@db_app.command("status")
def db_status() -> None:
    """Where the database is, its revision, and whether it is behind."""
    from bot import schema

    settings = load_settings()
    urls = database_urls(settings)
    state = schema.status(urls.migrations)
    mode = "DATABASE_URL" if settings.database_url else f"embedded PostgreSQL in {settings.data_dir}"
    typer.echo(f"Database: {hide_password(urls.app)} ({mode})")
    typer.echo(f"Revision: {state.current or '(empty: no migrations applied)'}")
    typer.echo(f"Head:     {state.head}")
    typer.echo("Status:   behind, run `fitbot db upgrade`" if state.behind else "Status:   up to date")


@db_app.command("seed")
def db_seed() -> None:
    """Load the exercise catalogue and its aliases (safe to run again)."""
    from fitness_core import catalog
    from fitness_core.db import sync_engine

    urls = database_urls(load_settings())
    engine = sync_engine(urls.migrations)
    try:
        with engine.begin() as conn:
            loaded = len(conn.execute(catalog.upsert_definitions()).all())
    finally:
        engine.dispose()
    typer.echo(f"Exercise definitions: {loaded} loaded or refreshed. {catalog.ATTRIBUTION}")


def main() -> None:
    app()

"""`fitbot`: the operator's and the person's entry point."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

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


def load_settings(default_level: str | None = None) -> Settings:
    """Settings plus logging; the console chat keeps the terminal for the conversation unless asked."""
    settings = Settings()
    explicit = "FITBOT_LOG_LEVEL" in os.environ or "LOG_LEVEL" in os.environ
    level = settings.log_level if explicit or default_level is None else default_level
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
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


@app.command("run")
def run(
    webhook: bool = typer.Option(False, "--webhook", help="Receive updates on a webhook instead of long polling."),
    listen: str | None = typer.Option(None, help="Webhook listen address [FITBOT_WEBHOOK_LISTEN, 0.0.0.0]."),
    port: int | None = typer.Option(None, help="Webhook port [FITBOT_WEBHOOK_PORT or PORT, 8443]."),
    path: str | None = typer.Option(None, help="Webhook URL path [FITBOT_WEBHOOK_PATH, telegram]."),
    url: str | None = typer.Option(None, help="Public webhook URL Telegram posts to [FITBOT_WEBHOOK_URL]."),
    secret: str | None = typer.Option(None, help="Secret token Telegram must send [FITBOT_WEBHOOK_SECRET]."),
) -> None:
    """Run the bot on Telegram (long polling, or --webhook)."""
    from bot import run as modes

    settings = load_settings()
    with _startup_errors():
        if not webhook:
            modes.run_polling(settings)
            return
        modes.run_webhook(
            settings,
            modes.Webhook(
                listen=listen or settings.webhook_listen,
                port=port or settings.webhook_port,
                path=(path or settings.webhook_path).strip("/"),
                url=url or settings.webhook_url or "",
                secret=secret or settings.webhook_secret or "",
            ),
        )


@app.command("chat")
def chat() -> None:
    """Chat with the bot in this terminal, on the embedded database, with no token."""
    from bot import run as modes

    settings = load_settings(default_level="WARNING")
    with _startup_errors():
        modes.run_chat(settings)


@contextmanager
def _startup_errors() -> Iterator[None]:
    from bot.run import StartupError

    try:
        yield
    except StartupError as error:
        typer.echo(f"fitbot: {error}", err=True)
        raise typer.Exit(2) from None


def main() -> None:
    app()

"""`fitbot`: the operator's and the person's entry point."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from bot.cli_parse import parse
from bot.cli_reminders import reminders_app
from bot.settings import Settings
from fitness_core.db import DatabaseUrls, hide_password, resolve_urls

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Primary Assistant: a fitness coaching bot.",
)
db_app = typer.Typer(no_args_is_help=True, help="Database: migrations, status, reference data.")
user_app = typer.Typer(no_args_is_help=True, help="Accounts: list, create, promote (operators).")
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(reminders_app, name="reminders")
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


def _operator(work):
    """Run an async service call in one system transaction on the application's database."""
    import asyncio

    from bot.runtime import opened_runtime
    from fitness_core.services.accounts import AccountError

    settings = load_settings(default_level="WARNING")
    urls = database_urls(settings)

    async def run():
        async with opened_runtime(urls.app) as runtime, runtime.transaction() as session:
            return await work(session)

    try:
        return asyncio.run(run())
    except AccountError as error:
        typer.echo(f"fitbot: {error}", err=True)
        raise typer.Exit(1) from None


def _role(text: str):
    from fitness_core.models import UserRole

    try:
        return UserRole(text.lower())
    except ValueError:
        typer.echo("fitbot: the role is coach, admin or user.", err=True)
        raise typer.Exit(1) from None


@user_app.command("list")
def user_list() -> None:
    """Every account: id, username, email, role, Telegram link, last login."""
    from fitness_core.models.base import utcnow
    from fitness_core.services import users

    lines = _operator(lambda session: users.list_users(session, utcnow()))
    typer.echo(f"{'id':>5}  {'username':<20} {'email':<30} {'role':<6} {'telegram':<8} last login")
    for line in lines:
        last = f"{line.last_login:%Y-%m-%d %H:%M}" if line.last_login else "never"
        flags = " (locked)" if line.locked else ""
        linked = "linked" if line.telegram_linked else "-"
        typer.echo(f"{line.id:>5}  {line.username:<20} {line.email:<30} {line.role.value:<6} {linked:<8} {last}{flags}")
    typer.echo(f"{len(lines)} users")


@user_app.command("promote")
def user_promote(
    username: str,
    role: str = typer.Argument(..., help="coach, admin, or user (to demote)."),
) -> None:
    """Give an account the coach or admin role (or back to user)."""
    from fitness_core.services import users

    wanted = _role(role)
    user = _operator(lambda session: users.set_role(session, username, wanted))
    typer.echo(f"{user.username} is now {wanted.value}.")


@user_app.command("create")
def user_create(
    username: str,
    email: str,
    role: str = typer.Option("user", help="user, coach or admin."),
    full_name: str | None = typer.Option(None, "--name", help="Full name."),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, envvar="FITBOT_NEW_PASSWORD"
    ),
) -> None:
    """Create an account (the password is prompted for, or read from FITBOT_NEW_PASSWORD)."""
    from fitness_core.models import User
    from fitness_core.services import users

    wanted = _role(role)
    User.bcrypt_rounds = load_settings(default_level="WARNING").bcrypt_rounds
    user = _operator(
        lambda session: users.create_user(
            session, username=username, email=email, password=password, role=wanted, full_name=full_name
        )
    )
    typer.echo(f"Created {user.username} ({wanted.value}), id {user.id}. They link a chat with /login.")


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

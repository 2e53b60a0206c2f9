"""`fitbot reminders due|run-once`: what the scheduler would send at an instant, and one scan by hand.

Both take --at (an ISO time; without an offset it is UTC; default now), so an
operator can ask "what goes out at 20:00 Berlin time?" or replay a missed
minute. `due` only reads; `run-once` claims and sends exactly as the running
bot's scheduler does (through the same claims, so it never sends what the bot
already sent), looking back over the whole grace window.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import typer

reminders_app = typer.Typer(no_args_is_help=True, help="Reminders: what is due, and one scan by hand.")

AT_HELP = "The instant, ISO 8601 (2026-11-25T19:00, 2026-11-25T20:00+01:00); UTC without an offset. Default: now."


def _instant(at: str | None) -> dt.datetime:
    if at is None:
        return dt.datetime.now(dt.UTC)
    try:
        instant = dt.datetime.fromisoformat(at)
    except ValueError:
        typer.echo(f"fitbot: “{at}” is not an ISO time such as 2026-11-25T19:00 or 2026-11-25T20:00+01:00.", err=True)
        raise typer.Exit(1) from None
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)


def _settings():
    from bot.cli import load_settings

    return load_settings(default_level="WARNING")


@reminders_app.command("due")
def due(
    at: str | None = typer.Option(None, "--at", help=AT_HELP),
    limit: int = typer.Option(1000, "--limit", min=1, help="List at most this many."),
) -> None:
    """List what a scan at that instant would send (nothing is claimed or sent)."""
    from bot.cli import database_urls
    from bot.runtime import opened_runtime
    from fitness_core.services import reminders

    now = _instant(at)
    urls = database_urls(_settings())

    async def listing() -> list[reminders.Reminder]:
        async with opened_runtime(urls.app) as runtime, runtime.transaction() as session:
            return await reminders.due(session, now, limit=limit)

    items = asyncio.run(listing())
    typer.echo(f"{'due at (UTC)':<17} {'person':>7}  {'kind':<21} {'subject':>7}  {'for':<10}  attempt")
    for item in items:
        due_at = item.due_at.astimezone(dt.UTC)
        typer.echo(
            f"{due_at:%Y-%m-%d %H:%M} {item.user_id:>7}  {item.kind.value:<21} {item.subject_id:>7}  "
            f"{item.local_date.isoformat():<10}  {item.attempts + 1}"
        )
    typer.echo(f"{len(items)} due at {now.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC")


@reminders_app.command("run-once")
def run_once(at: str | None = typer.Option(None, "--at", help=AT_HELP)) -> None:
    """Do one scan at that instant and send what it claims through the bot (rate-limited)."""
    from telegram.ext import ExtBot

    from bot.cli import database_urls
    from bot.request import AiohttpRequest
    from bot.run import StartupError, check_token
    from bot.runtime import opened_runtime
    from bot.scheduler import CONCURRENT_SENDS, Scheduler, rate_limiter

    now = _instant(at)
    settings = _settings()
    try:
        token = check_token(settings.telegram_bot_token)
    except StartupError as error:
        typer.echo(f"fitbot: {error}", err=True)
        raise typer.Exit(1) from None
    urls = database_urls(settings)

    async def scan_and_send():
        bot = ExtBot(
            token,
            base_url=settings.telegram_api_base_url,
            base_file_url=settings.telegram_api_file_url,
            rate_limiter=rate_limiter(),
            request=AiohttpRequest(CONCURRENT_SENDS),
        )
        async with opened_runtime(urls.app, pool_size=2) as runtime, bot:
            return await Scheduler(runtime, bot).run_once(now)

    report = asyncio.run(scan_and_send())
    typer.echo(f"Reminders at {now.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC: {report}.")

"""`fitbot reminders due|run-once --at`: the operators' view and hand, on a real database and Bot API server.

The commands run their own event loop (asyncio.run), so they are invoked in a
worker thread while the local Bot API server keeps serving on the test's loop.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import typer
from typer.testing import CliRunner

from bot.cli_reminders import reminders_app
from bot.local_api import LocalBotApi

fitbot = typer.Typer()
fitbot.add_typer(reminders_app, name="reminders")  # as bot/cli.py mounts it
TOKEN = "123456:REMINDERS-test-token-0123456789abcdef"


async def invoke(*args: str, env: dict[str, str], code: int = 0) -> str:
    result = await asyncio.to_thread(CliRunner().invoke, fitbot, ["reminders", *args], env=env)
    assert result.exit_code == code, result.output
    return result.output


async def test_due_lists_what_would_go_out_without_claiming_it(world, reminders_database):
    person = world.person("Europe/Berlin", reminder_time=dt.time(20, 0))
    env = {"DATABASE_URL": reminders_database.app}
    out = await invoke("due", "--at", "2026-11-25T20:00+01:00", env=env)
    assert f"2026-11-25 19:00 {person:>7}  checkin" in out
    assert "1 due at 2026-11-25 19:00:00 UTC" in out
    assert "0 due at" in await invoke("due", "--at", "2026-11-25T18:59", env=env)
    assert world.deliveries() == []


async def test_run_once_sends_through_the_bot_api_once(world, reminders_database):
    async with LocalBotApi() as api:
        person = world.person("Asia/Kolkata", reminder_time=dt.time(20, 0))
        api.register_user(world.chat(person))
        env = {
            "DATABASE_URL": reminders_database.app,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "TELEGRAM_API_FILE_URL": api.base_file_url,
        }
        out = await invoke("run-once", "--at", "2026-11-25T14:31", env=env)
        assert "Reminders at 2026-11-25 14:31:00 UTC: 1 sent." in out
        assert "Check-in" in api.bot_messages(world.chat(person))[0].shown_text
        assert "nothing was due" in await invoke("run-once", "--at", "2026-11-25T14:32", env=env)
        assert len(api.bot_messages(world.chat(person))) == 1


async def test_a_time_that_is_not_iso_is_one_line():
    out = await invoke("due", "--at", "tonight", env={}, code=1)
    assert "is not an ISO time" in out

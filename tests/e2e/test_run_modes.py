"""`fitbot run`, `fitbot run --webhook` and `fitbot chat` as processes, talking to a local Bot API server."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from bot.local_api import LocalBotApi

TOKEN = "987654:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fitbot_env(data_dir, api: LocalBotApi | None = None, **extra: str) -> dict[str, str]:
    env = {**os.environ, "FITBOT_DATA_DIR": str(data_dir), "FITBOT_BCRYPT_ROUNDS": "4", **extra}
    if api is not None:
        env |= {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "TELEGRAM_API_FILE_URL": api.base_file_url,
        }
    return env


@asynccontextmanager
async def fitbot(*args: str, env: dict[str, str]) -> AsyncIterator[asyncio.subprocess.Process]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.terminate()
            await asyncio.wait_for(process.wait(), 20)


async def first_reply(api: LocalBotApi, user_id: int, text: str) -> str:
    api.register_user(user_id, first_name="Proc")
    api.user_sends_text(user_id, text)
    message = await api.wait_for_bot_message(user_id, timeout=60)
    return message.shown_text


async def test_polling_process_answers_and_publishes_commands(database, data_dir):
    async with LocalBotApi(token=TOKEN) as api, fitbot("run", env=fitbot_env(data_dir, api)):
        assert "Primary Assistant" in await first_reply(api, 9101, "/start")
        assert any(c["command"] == "help" for c in api.commands())


async def test_webhook_process_answers_and_refuses_a_wrong_secret(database, data_dir):
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    async with LocalBotApi(token=TOKEN) as api:
        env = fitbot_env(data_dir, api)
        async with fitbot(
            "run", "--webhook", "--listen", "127.0.0.1", "--port", str(port), "--url", url, "--secret", "s3cret-Token",
            env=env,
        ):  # fmt: skip
            assert "Primary Assistant" in await first_reply(api, 9102, "/start")
            assert api.webhook_info["url"] == url
            async with httpx.AsyncClient() as client:
                update = {
                    "update_id": 999_001,
                    "message": {"message_id": 1, "date": 0, "chat": {"id": 9103, "type": "private"}, "text": "/start"},
                }
                wrong = await client.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"})
                missing = await client.post(url, json=update)
            assert (wrong.status_code, missing.status_code) == (403, 403)
            await asyncio.sleep(0.3)
            assert api.bot_messages(9103) == []


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "TELEGRAM_BOT_TOKEN is not set"),
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "does not look like a bot token"),
    ],
)
def test_missing_or_malformed_token_is_one_clear_line(data_dir, env, message):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=fitbot_env(data_dir, **env),  # the test conftest removed any TELEGRAM_BOT_TOKEN from the environment
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_console_chat_through_standard_input(database, data_dir):
    script = "/start\n/register console_sam console@example.com long-enough-pw\n/me\n/units metric\n/quit\n"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input=script,
        env=fitbot_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "bot: Hi! I'm Primary Assistant" in out
    assert "(your message was deleted from the chat)" in out  # the password line
    assert "Welcome, console_sam!" in out
    assert "console@example.com" in out and "Units: metric" in out
    assert "Traceback" not in result.stderr

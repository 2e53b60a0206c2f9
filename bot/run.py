"""The three ways to run the bot: long polling, webhook, and the console chat.

Every mode first brings the schema to head (and loads the exercise catalogue
into an empty database), so a fresh machine needs one command. Upgrading on
start is safe to repeat and to race (bot.schema.upgrade holds an advisory lock),
and the Procfile's release line does the same earlier in a deployment.
Reminders are scanned in the Telegram modes; the console chat, a short
conversation with one local person, does not scan.
"""

from __future__ import annotations

import asyncio
import re
import sys
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import func, select
from telegram import Update
from telegram.ext import Application

from bot import scheduler, schema
from bot.app import build_application
from bot.console import run_console
from bot.runtime import make_runtime
from bot.settings import Settings
from fitness_core import catalog
from fitness_core.db import DatabaseUrls, resolve_urls, sync_engine
from fitness_core.models import ExerciseDefinition, User

# "123456789:AA...": the bot id, a colon, and a secret of at least 30 URL-safe characters.
TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")
SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram allows in X-Telegram-Bot-Api-Secret-Token


class StartupError(Exception):
    """A configuration problem, reported as one line without a traceback."""


def check_token(token: str | None) -> str:
    if not token:
        raise StartupError("TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in the environment.")
    if not TOKEN.match(token.strip()):
        raise StartupError(
            "TELEGRAM_BOT_TOKEN does not look like a bot token (expected digits, a colon, then the secret)."
        )
    return token.strip()


def prepare_database(settings: Settings) -> DatabaseUrls:
    urls = resolve_urls(settings.database_url, settings.migration_database_url, settings.data_dir)
    schema.upgrade(urls.migrations)
    engine = sync_engine(urls.migrations)
    try:
        with engine.begin() as conn:
            if not conn.scalar(select(func.count()).select_from(ExerciseDefinition)):
                conn.execute(catalog.upsert_definitions())
    finally:
        engine.dispose()
    User.bcrypt_rounds = settings.bcrypt_rounds
    return urls


def telegram_application(settings: Settings, token: str) -> Application:
    """The Application for Telegram (or any Bot API server at TELEGRAM_API_BASE_URL), reminders included."""
    urls = prepare_database(settings)
    application = build_application(
        make_runtime(urls.app),
        token=token,
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.telegram_api_file_url,
    )
    scheduler.install(application)
    return application


def run_polling(settings: Settings) -> None:
    application = telegram_application(settings, check_token(settings.telegram_bot_token))
    application.run_polling(allowed_updates=Update.ALL_TYPES)


@dataclass(frozen=True)
class Webhook:
    listen: str
    port: int
    path: str
    url: str
    secret: str


def run_webhook(settings: Settings, webhook: Webhook) -> None:
    token = check_token(settings.telegram_bot_token)
    if not webhook.url:
        raise StartupError("Webhook mode needs the public URL: --url or FITBOT_WEBHOOK_URL.")
    if not SECRET.match(webhook.secret or ""):
        raise StartupError(
            "Webhook mode needs a secret token (1-256 of A-Z a-z 0-9 _ -): --secret or FITBOT_WEBHOOK_SECRET."
        )
    application = telegram_application(settings, token)
    application.run_webhook(
        listen=webhook.listen,
        port=webhook.port,
        url_path=webhook.path,
        webhook_url=webhook.url,
        secret_token=webhook.secret,
        allowed_updates=Update.ALL_TYPES,
    )


def run_chat(settings: Settings, input_stream: TextIO | None = None, output_stream: TextIO | None = None) -> None:
    """The console chat: the same Application and handlers, on a local Bot API server in this process."""
    urls = prepare_database(settings)

    async def chat() -> None:
        runtime = make_runtime(urls.app, pool_size=5)

        def factory(base_url: str, base_file_url: str, token: str):
            return build_application(runtime, token=token, base_url=base_url, base_file_url=base_file_url)

        await run_console(factory, input_stream=input_stream or sys.stdin, output_stream=output_stream or sys.stdout)

    asyncio.run(chat())

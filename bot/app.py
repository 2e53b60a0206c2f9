"""The python-telegram-bot Application: one wiring for Telegram, the webhook, the console and the tests."""

from __future__ import annotations

import gc
import logging

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    ContextTypes,
    TypeHandler,
)

from bot import scheduler
from bot.request import AiohttpRequest
from fitness_core.parsing import default_resolver
from handlers import ALL_COMMANDS, ALL_HANDLERS, errors
from handlers.common import RUNTIME_KEY, Runtime

log = logging.getLogger(__name__)

CONCURRENT_UPDATES = 16  # 8-32 is the sweet spot; more only queues on the HTTP connection pool
RECENT_UPDATES = 10_000


async def _prepare(application: Application) -> None:
    """Before the first update: the exercise-name index, and Telegram's command menu.

    The index takes about a second to build: at start, not on someone's first
    message. It and everything else loaded so far live as long as the process,
    so they are moved out of the garbage collector's reach (gc.freeze); full
    collections scanned them again and again, about 3% of logging throughput.
    """
    default_resolver()
    gc.freeze()
    await application.bot.set_my_commands([BotCommand(name, about) for name, about in ALL_COMMANDS])


async def _close_database(application: Application) -> None:
    await application.bot_data[RUNTIME_KEY].close()


def build_application(
    runtime: Runtime,
    *,
    token: str,
    base_url: str,
    base_file_url: str,
    rate_limiter: bool = True,
    concurrent_updates: int = CONCURRENT_UPDATES,
) -> Application:
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_file_url)
        .concurrent_updates(concurrent_updates)
        .request(AiohttpRequest(concurrent_updates + 8))
        .get_updates_request(AiohttpRequest())
        .post_init(_prepare)
        .post_shutdown(_close_database)
    )
    if rate_limiter:
        builder = builder.rate_limiter(scheduler.rate_limiter())
    application = builder.build()
    application.bot_data[RUNTIME_KEY] = runtime
    application.bot_data[_SEEN_KEY] = _RecentIds(RECENT_UPDATES)
    application.add_handler(TypeHandler(Update, _drop_redelivered), group=-1)
    application.add_handlers(ALL_HANDLERS)
    application.add_error_handler(errors.apologise)
    return application


_SEEN_KEY = "recent_update_ids"


class _RecentIds:
    """The last N update ids, to drop an update Telegram delivers twice (webhook retries)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._ids: dict[int, None] = {}

    def add(self, update_id: int) -> bool:
        """True when the id is new."""
        if update_id in self._ids:
            return False
        self._ids[update_id] = None
        if len(self._ids) > self._size:
            del self._ids[next(iter(self._ids))]
        return True


async def _drop_redelivered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not context.application.bot_data[_SEEN_KEY].add(update.update_id):
        log.info("update %s delivered again: ignored", update.update_id)
        raise ApplicationHandlerStop

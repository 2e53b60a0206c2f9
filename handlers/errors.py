"""The last line of defence: log with the update id, apologise briefly, never show a traceback."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from handlers.common import Reply, send

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on my side and nothing from that message was saved. Please try again."


async def apologise(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("error while handling update %s", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        await send(update, Reply(APOLOGY))
    except TelegramError:
        log.exception("could not send the apology for update %s", update_id)

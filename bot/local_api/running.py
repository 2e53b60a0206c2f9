"""Running a PTB Application inside an event loop someone else owns (tests, the console chat).

``Application.run_polling``/``run_webhook`` own the loop, so callers that already run one must
drive the lifecycle by hand; this reproduces run_polling's order, including the post_init /
post_stop / post_shutdown hooks that the manual initialize()/start() path silently skips.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from telegram.ext import Application


@asynccontextmanager
async def application_lifecycle(
    application: Application,
    *,
    webhook: bool,
    updater_options: dict[str, Any],
    receiving: Callable[[], Awaitable[None]],
) -> AsyncIterator[Application]:
    """Run ``application`` for the block; ``receiving`` must return once updates flow."""
    updater = application.updater
    if updater is None:
        raise ValueError("the application was built without an Updater")
    await application.initialize()
    try:
        if application.post_init:
            await application.post_init(application)
        await (updater.start_webhook if webhook else updater.start_polling)(**updater_options)
        await application.start()
        await receiving()
        yield application
    finally:
        if updater.running:
            await updater.stop()
        if application.running:
            await application.stop()
            if application.post_stop:
                await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)

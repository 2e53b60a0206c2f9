"""A migrated, seeded database for end-to-end tests and a running bot per test.

The Application here is the product's own (bot.app.build_application) talking
HTTP to bot.local_api.LocalBotApi; only Telegram's servers are replaced.
Rows are committed by the bot, so each test ends by emptying the tables.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import Engine, text

from bot.app import build_application
from bot.local_api import LocalBotApi
from bot.runtime import make_runtime
from fitness_core.db import DatabaseUrls
from tests.databases import engine_for, migrated
from tests.e2e.harness import FakeClock, Harness

TOKEN = "123456:TEST-token"
USER_DATA = (
    "users",
    "pending_messages",
)  # everything else hangs off users with ON DELETE CASCADE


@pytest.fixture(scope="session")
def e2e_database(data_dir) -> DatabaseUrls:
    return migrated(data_dir, "fitbot_e2e", catalogue=True)


@pytest.fixture(scope="session")
def e2e_admin(e2e_database) -> Iterator[Engine]:
    with engine_for(e2e_database.admin) as engine:
        yield engine


@pytest.fixture
async def bot(e2e_database, e2e_admin) -> AsyncIterator[Harness]:
    clock = FakeClock()
    runtime = make_runtime(e2e_database.app, clock=clock, pool_size=5)
    try:
        async with LocalBotApi(token=TOKEN) as api:
            app = build_application(runtime, token=TOKEN, base_url=api.base_url, base_file_url=api.base_file_url)
            async with api.running(app):  # its shutdown closes the runtime's connections
                yield Harness(api=api, app=app, clock=clock, admin=e2e_admin)
    finally:
        with e2e_admin.begin() as conn:
            conn.execute(text(f"TRUNCATE {', '.join(USER_DATA)} CASCADE"))

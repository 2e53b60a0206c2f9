"""Build the handlers' Runtime from database URLs (the program and the tests share this)."""

from __future__ import annotations

from fitness_core.db import async_engine, async_session_factory
from handlers.common import Clock, Runtime

POOL_SIZE = 20  # enough for the concurrent updates plus the scheduler


def make_runtime(app_url: str, *, clock: Clock | None = None, pool_size: int = POOL_SIZE) -> Runtime:
    engine = async_engine(app_url, pool_size=pool_size, max_overflow=10, pool_pre_ping=True)
    runtime = Runtime(sessions=async_session_factory(engine))
    if clock is not None:
        runtime.clock = clock
    return runtime


async def close_runtime(runtime: Runtime) -> None:
    await runtime.sessions.kw["bind"].dispose()

"""Build the handlers' Runtime from database URLs (the program and the tests share this)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fitness_core.db import async_engine
from handlers.common import Clock, Runtime

POOL_SIZE = 20  # enough for the concurrent updates plus the scheduler


def make_runtime(app_url: str, *, clock: Clock | None = None, pool_size: int = POOL_SIZE) -> Runtime:
    runtime = Runtime(async_engine(app_url, pool_size=pool_size, max_overflow=10))
    if clock is not None:
        runtime.clock = clock
    return runtime


@asynccontextmanager
async def opened_runtime(app_url: str, *, pool_size: int = 1) -> AsyncIterator[Runtime]:
    """A runtime for one piece of work (an operator command), closed afterwards."""
    runtime = make_runtime(app_url, pool_size=pool_size)
    try:
        yield runtime
    finally:
        await runtime.close()

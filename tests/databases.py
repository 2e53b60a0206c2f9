"""Test databases on the session's embedded PostgreSQL: one per area, migrated once per run."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncSession

from bot import schema
from fitness_core import catalog
from fitness_core.db import DatabaseUrls, async_engine, start_embedded, sync_engine


def migrated(data_dir: Path, name: str, *, catalogue: bool = False) -> DatabaseUrls:
    """A database at the latest revision (the migrations are under test here), with the exercise catalogue if asked."""
    urls = start_embedded(data_dir, database=name)
    schema.upgrade(urls.migrations)
    if catalogue:
        with engine_for(urls.migrations) as owner, owner.begin() as conn:
            conn.execute(catalog.upsert_definitions())
    return urls


@contextmanager
def engine_for(url: str) -> Iterator[Engine]:
    engine = sync_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


@asynccontextmanager
async def rolled_back_session(url: str) -> AsyncIterator[AsyncSession]:
    """An async session whose commits are savepoints inside one transaction that is always rolled back."""
    engine = async_engine(url)
    try:
        async with engine.connect() as conn:
            transaction = await conn.begin()
            yield AsyncSession(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
            await transaction.rollback()
    finally:
        await engine.dispose()

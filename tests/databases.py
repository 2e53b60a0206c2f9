"""Test databases on the session's embedded PostgreSQL: one per area, migrated once per run."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine

from bot import schema
from fitness_core import catalog
from fitness_core.db import DatabaseUrls, start_embedded, sync_engine


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

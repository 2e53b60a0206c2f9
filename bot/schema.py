"""Alembic driven from the program: upgrade on start, report the revision."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

import migrations
from fitness_core.db import sync_engine

MIGRATIONS_DIR = Path(migrations.__file__).parent


def alembic_config(url: str) -> Config:
    """The same configuration `alembic` reads from alembic.ini, pointed at an explicit URL."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logger"] = False
    return config


UPGRADE_LOCK = 7408  # pg_advisory_lock key: one upgrade at a time per database


def upgrade(url: str, revision: str = "head") -> None:
    """Upgrade, holding an advisory lock so processes starting together upgrade one after the other."""
    engine = sync_engine(url)
    try:
        with engine.connect() as lock:
            lock.execute(text("SELECT pg_advisory_lock(:k)"), {"k": UPGRADE_LOCK})
            try:
                command.upgrade(alembic_config(url), revision)
            finally:
                lock.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": UPGRADE_LOCK})
    finally:
        engine.dispose()


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


@dataclass(frozen=True)
class SchemaStatus:
    current: str | None
    head: str

    @property
    def behind(self) -> bool:
        return self.current != self.head


def status(url: str) -> SchemaStatus:
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    engine = sync_engine(url)
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
    return SchemaStatus(current=current, head=head)

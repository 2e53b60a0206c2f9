"""Alembic driven from the program: upgrade on start, report the revision."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

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


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


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

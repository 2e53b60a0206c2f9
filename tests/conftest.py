"""Shared fixtures: one embedded PostgreSQL in a temporary folder for the whole run.

Each test gets its own transaction, rolled back at the end, so tests never see
each other's rows. The user's own data folder and any DATABASE_URL in the
environment are never touched.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

for variable in ("DATABASE_URL", "MIGRATION_DATABASE_URL", "TELEGRAM_BOT_TOKEN"):
    os.environ.pop(variable, None)

from fitness_core.db import DatabaseUrls  # noqa: E402  (after the environment is cleaned)
from fitness_core.models import User  # noqa: E402
from tests.databases import engine_for, migrated  # noqa: E402

TEST_DATABASE = "fitbot_test"

# CI runs the property tests on a fixed sequence of examples, so a red build is
# reproducible; locally they explore new random examples on every run.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

# bcrypt at cost 12 takes ~0.25 s per hash; tests that are not about the cost use the minimum.
User.bcrypt_rounds = 4


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("fitbot-data")
    os.environ["FITBOT_DATA_DIR"] = str(path)
    return path


@pytest.fixture(scope="session")
def database(data_dir) -> DatabaseUrls:
    return migrated(data_dir, TEST_DATABASE)


@pytest.fixture(scope="session")
def admin_engine(database: DatabaseUrls) -> Iterator[Engine]:
    with engine_for(database.admin) as engine:
        yield engine


@pytest.fixture
def connection(admin_engine: Engine) -> Iterator[Connection]:
    """A superuser connection inside a transaction that is always rolled back."""
    with admin_engine.connect() as conn:
        transaction = conn.begin()
        yield conn
        transaction.rollback()


@pytest.fixture
def db(connection: Connection) -> Iterator[Session]:
    """An ORM session on the rolled-back connection; its commits become savepoints."""
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    yield session
    session.close()


@pytest.fixture
def make_user(db: Session):
    counter = iter(range(1, 10_000))

    def make(username: str | None = None, **fields) -> User:
        n = next(counter)
        user = User(username=username or f"person{n}", email=f"{username or f'person{n}'}@example.com", **fields)
        user.set_password("correct horse")
        db.add(user)
        db.flush()
        return user

    return make

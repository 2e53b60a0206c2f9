"""The migrations create exactly what the models describe, and can go down and up with data in place."""

import re

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import CheckConstraint, text
from sqlalchemy.engine import make_url

from bot import schema
from fitness_core import ranges
from fitness_core.db import bootstrap, sync_engine
from fitness_core.models import Base


def test_models_and_migrations_match(database):
    command.check(schema.alembic_config(database.migrations))  # raises when autogenerate finds a difference
    engine = sync_engine(database.migrations)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    engine.dispose()


def _database_checks(conn) -> dict[str, str]:
    rows = conn.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace"
        )
    )
    return dict(rows.all())


def test_every_named_check_exists_in_the_migrated_database(connection):
    found = _database_checks(connection)
    declared = [
        constraint.name
        for table in Base.metadata.sorted_tables
        for constraint in table.constraints
        if isinstance(constraint, CheckConstraint)
    ]
    assert declared and len(declared) == len(set(declared))
    missing = [name for name in declared if name not in found]
    assert not missing


@pytest.mark.parametrize("table", sorted(ranges.BY_TABLE))
def test_range_checks_in_the_database_use_the_ranges_module_bounds(connection, table):
    found = _database_checks(connection)
    for column, bounds in ranges.BY_TABLE[table].items():
        definition = found[f"ck_{table}_{column}_range"]
        numbers = [float(n) for n in re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?", definition)]
        assert numbers == [bounds.low, bounds.high], (column, definition)


def test_every_user_table_forces_row_level_security(connection):
    rows = connection.execute(
        text(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
        )
    ).all()
    flags = {name: (enabled, forced) for name, enabled, forced in rows}
    shared = {"exercise_definitions", "alembic_version"}
    for table in set(flags) - shared:
        assert flags[table] == (True, True), table
    for table in shared:
        assert flags[table] == (False, False), table


def _on(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


@pytest.fixture
def scratch_database(database):
    """A separate database that this test may take down to nothing and back."""
    name = "fitbot_migration_test"
    server = sync_engine(_on(database.admin, "postgres"), isolation_level="AUTOCOMMIT")
    drop = text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    with server.connect() as conn:
        conn.execute(drop)
    bootstrap(_on(database.admin, "postgres"), name)
    yield _on(database.migrations, name), _on(database.admin, name)
    with server.connect() as conn:
        conn.execute(drop)
    server.dispose()


def test_downgrade_to_base_and_upgrade_again_with_data(scratch_database):
    owner_url, admin_url = scratch_database
    schema.upgrade(owner_url)
    admin = sync_engine(admin_url)
    with admin.begin() as conn:
        user_id = conn.scalar(
            text(
                "INSERT INTO users (username, email, password_hash) VALUES ('keeper', 'k@example.com', 'x') RETURNING id"
            )
        )
        conn.execute(
            text("INSERT INTO health_metrics (user_id, recorded_date, weight_lbs) VALUES (:u, '2026-11-01', 180)"),
            {"u": user_id},
        )
    schema.downgrade(owner_url, "base")
    with admin.connect() as conn:
        leftovers = (
            conn.execute(
                text(
                    "SELECT typname FROM pg_type WHERE typtype = 'e' AND typnamespace = 'public'::regnamespace "
                    "UNION ALL SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace "
                    "AND relname <> 'alembic_version' "
                    "UNION ALL SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace"
                )
            )
            .scalars()
            .all()
        )
    assert leftovers == []
    schema.upgrade(owner_url)
    assert schema.status(owner_url).behind is False
    admin.dispose()


def test_processes_starting_together_upgrade_one_after_the_other(scratch_database):
    """Two upgrades racing on an empty database both succeed (the second finds nothing to do)."""
    from concurrent.futures import ThreadPoolExecutor

    owner_url, _ = scratch_database
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda _: schema.upgrade(owner_url), range(2)))
    assert schema.status(owner_url).behind is False

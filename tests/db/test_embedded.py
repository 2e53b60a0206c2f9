"""The embedded PostgreSQL: shared between processes, persistent across restarts."""

import subprocess
import sys
import textwrap

from fitness_core.db import hide_password, normalize_url, start_embedded


def run_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def postmaster_pid(data_dir) -> int:
    return int((data_dir / "postgres" / "postmaster.pid").read_text().split()[0])


def test_a_second_process_attaches_to_the_running_server(database, data_dir, admin_engine):
    code = f"""
        from pathlib import Path
        from sqlalchemy import text
        from fitness_core.db import start_embedded, sync_engine
        urls = start_embedded(Path({str(data_dir)!r}), database="fitbot_test")
        with sync_engine(urls.admin).connect() as conn:
            print(conn.scalar(text("SELECT pg_postmaster_start_time()")).isoformat())
    """
    with admin_engine.connect() as conn:
        from sqlalchemy import text

        ours = conn.scalar(text("SELECT pg_postmaster_start_time()")).isoformat()
    assert run_python(code) == ours
    with admin_engine.connect() as conn:  # the other process leaving did not stop our server
        assert conn.scalar(text("SELECT 1")) == 1


def test_data_survive_a_restart(tmp_path):
    write = f"""
        from pathlib import Path
        from sqlalchemy import text
        from fitness_core.db import start_embedded, sync_engine
        urls = start_embedded(Path({str(tmp_path)!r}))
        with sync_engine(urls.migrations).begin() as conn:
            conn.execute(text("CREATE TABLE kept (v text)"))
            conn.execute(text("INSERT INTO kept VALUES ('still here')"))
    """
    read = write.replace(
        """conn.execute(text("CREATE TABLE kept (v text)"))
            conn.execute(text("INSERT INTO kept VALUES ('still here')"))""",
        """print(conn.scalar(text("SELECT v FROM kept")))""",
    )
    run_python(write)
    assert not (tmp_path / "postgres" / "postmaster.pid").exists()  # the server stopped with its last user
    assert run_python(read) == "still here"


def test_roles_are_not_superusers(database, admin_engine):
    from sqlalchemy import text

    with admin_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT rolname, rolsuper, rolbypassrls, rolcanlogin, rolinherit FROM pg_roles "
                "WHERE rolname LIKE 'fitbot%'"
            )
        ).all()
    assert {r.rolname: (r.rolsuper, r.rolbypassrls, r.rolcanlogin, r.rolinherit) for r in rows} == {
        "fitbot_owner": (False, False, True, True),
        "fitbot_app": (False, False, True, False),
        "fitbot_system": (False, True, False, True),
    }


def test_starting_again_is_idempotent(database, data_dir):
    assert start_embedded(data_dir, database="fitbot_test") == database


def test_hosting_platform_urls_are_accepted():
    assert normalize_url("postgres://u:p@db.example.com:5432/app") == "postgresql+psycopg://u:p@db.example.com:5432/app"
    assert normalize_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalize_url("postgresql+psycopg2://u@h/d") == "postgresql+psycopg://u@h/d"
    assert hide_password("postgresql+psycopg://u:secret@h/d") == "postgresql+psycopg://u:***@h/d"

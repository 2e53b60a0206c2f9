"""`fitbot user list|create|promote`: operators work across accounts through the system role."""

from sqlalchemy import text
from typer.testing import CliRunner

from bot.cli import app
from fitness_core.db import sync_engine


def invoke(*args: str, env: dict[str, str] | None = None, code: int = 0) -> str:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == code, result.output
    return result.output


def test_create_promote_list(database):
    invoke("db", "upgrade")
    out = invoke(
        "user",
        "create",
        "coach_kim",
        "kim@example.com",
        "--name",
        "Kim",
        env={"FITBOT_NEW_PASSWORD": "a good password"},
    )
    assert "Created coach_kim (user)" in out
    assert "coach_kim is now coach" in invoke("user", "promote", "coach_kim", "coach")
    listing = invoke("user", "list")
    assert "coach_kim" in listing and "kim@example.com" in listing and " coach " in listing
    engine = sync_engine(database.admin.replace("/fitbot_test?", "/fitbot?"))
    with engine.connect() as conn:
        row = conn.execute(text("SELECT role, password_hash FROM users WHERE username = 'coach_kim'")).one()
        assert row.role == "coach" and row.password_hash.startswith("$2b$")
        assert conn.scalar(text("SELECT count(*) FROM audit_log WHERE action = 'set_role'")) >= 1
    engine.dispose()


def test_operator_errors_are_one_line(database):
    invoke("db", "upgrade")
    assert "No user named" in invoke("user", "promote", "nobody_here", "coach", code=1)
    assert "the role is coach, admin or user" in invoke("user", "promote", "nobody_here", "wizard", code=1)
    out = invoke("user", "create", "x", "bad", env={"FITBOT_NEW_PASSWORD": "a good password"}, code=1)
    assert "Usernames are 3-50" in out

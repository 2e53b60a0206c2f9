"""Row-level security, checked with raw SQL as the application role (never through ORM filters)."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from fitness_core.db import APP_ROLE, SYSTEM_CONTEXT, sync_engine, user_context

USER_TABLES = ("health_metrics", "workout_sessions", "meal_logs", "user_goals", "progress_photos", "exercise_logs")


def run_as(conn, user_id: int | None) -> None:
    """Become the application role for the rest of the transaction, acting for user_id (or nobody)."""
    conn.execute(text("RESET ROLE"))
    conn.execute(text(f"SET LOCAL ROLE {APP_ROLE}"))
    conn.execute(text("SELECT set_config('app.user_id', :v, true)"), {"v": "" if user_id is None else str(user_id)})


def superuser(conn) -> None:
    conn.execute(text("RESET ROLE"))


def seed_telegram(conn, user_id: int, telegram_id: int) -> None:
    conn.execute(
        text("INSERT INTO telegram_links (user_id, telegram_user_id, chat_id) VALUES (:u, :t, :t)"),
        {"u": user_id, "t": telegram_id},
    )
    conn.execute(
        text(
            "INSERT INTO logged_messages (user_id, chat_id, message_id, text, logged_date) VALUES (:u, :t, 1, 'w 1', '2026-11-20')"
        ),
        {"u": user_id, "t": telegram_id},
    )
    conn.execute(
        text("INSERT INTO pending_messages (telegram_user_id, chat_id, message_id, text) VALUES (:t, :t, 2, 'bench')"),
        {"t": telegram_id},
    )


def seed_person(conn, name: str) -> int:
    user_id = conn.scalar(
        text("INSERT INTO users (username, email, password_hash) VALUES (:n, :e, 'x') RETURNING id"),
        {"n": name, "e": f"{name}@example.com"},
    )
    conn.execute(
        text("INSERT INTO health_metrics (user_id, recorded_date, weight_lbs) VALUES (:u, '2026-11-20', 180)"),
        {"u": user_id},
    )
    workout = conn.scalar(
        text(
            "INSERT INTO workout_sessions (user_id, session_date, session_type) VALUES (:u, '2026-11-20', 'strength') RETURNING id"
        ),
        {"u": user_id},
    )
    conn.execute(
        text(
            "INSERT INTO exercise_logs (workout_session_id, exercise_name, sets, reps, order_index) VALUES (:w, 'Squat', 5, 5, 0)"
        ),
        {"w": workout},
    )
    conn.execute(
        text("INSERT INTO meal_logs (user_id, meal_date, meal_type, calories) VALUES (:u, '2026-11-20', 'lunch', 500)"),
        {"u": user_id},
    )
    conn.execute(
        text("INSERT INTO user_goals (user_id, goal_type, title, status) VALUES (:u, 'habit', 'Walk', 'active')"),
        {"u": user_id},
    )
    conn.execute(
        text(
            "INSERT INTO progress_photos (user_id, photo_date, photo_url, photo_type, is_public) VALUES (:u, '2026-11-20', 'f', 'front', true)"
        ),
        {"u": user_id},
    )
    return user_id


def visible(conn, table: str) -> int:
    return conn.scalar(text(f"SELECT count(*) FROM {table}"))


@pytest.fixture
def people(connection):
    ids = {name: seed_person(connection, name) for name in ("alice", "bob", "coachy")}
    return ids


def link(conn, coach: int, client: int, status: str = "active") -> None:
    superuser(conn)
    conn.execute(
        text("INSERT INTO coach_clients (coach_id, client_id, status) VALUES (:c, :k, :s)"),
        {"c": coach, "k": client, "s": status},
    )


@pytest.mark.parametrize("table", USER_TABLES)
def test_a_person_reads_only_their_own_rows(connection, people, table):
    run_as(connection, people["alice"])
    assert visible(connection, table) == 1
    if table != "exercise_logs":
        assert connection.scalar(text(f"SELECT DISTINCT user_id FROM {table}")) == people["alice"]


@pytest.mark.parametrize(
    "table",
    (
        *USER_TABLES,
        "users",
        "coach_clients",
        "coaching_sessions",
        "audit_log",
        "logged_messages",
        "pending_messages",
        "telegram_links",
    ),
)
@pytest.mark.parametrize("setting", [None, "unset"])
def test_no_context_means_no_rows(connection, people, table, setting):
    superuser(connection)
    connection.execute(text(f"SET LOCAL ROLE {APP_ROLE}"))
    if setting is None:
        connection.execute(text("SELECT set_config('app.user_id', '', true)"))  # what a pooled connection carries
    assert visible(connection, table) == 0


def test_a_person_cannot_write_someone_elses_rows(connection, people):
    alice, bob = people["alice"], people["bob"]
    run_as(connection, alice)
    assert (
        connection.execute(text("UPDATE health_metrics SET weight_lbs = 1 WHERE user_id = :b"), {"b": bob}).rowcount
        == 0
    )
    assert connection.execute(text("DELETE FROM meal_logs WHERE user_id = :b"), {"b": bob}).rowcount == 0
    assert connection.execute(text("UPDATE exercise_logs SET reps = 1")).rowcount == 1  # only her own
    with pytest.raises(ProgrammingError, match="row-level security"):
        with connection.begin_nested():
            connection.execute(
                text("INSERT INTO health_metrics (user_id, recorded_date, weight_lbs) VALUES (:b, '2026-11-21', 1)"),
                {"b": bob},
            )
    with pytest.raises(ProgrammingError, match="row-level security"):
        with connection.begin_nested():
            connection.execute(text("UPDATE meal_logs SET user_id = :b"), {"b": bob})  # hand a row to bob
    bobs_workout = _bobs_workout(connection, bob)
    run_as(connection, alice)
    with pytest.raises(ProgrammingError, match="row-level security"):
        with connection.begin_nested():
            connection.execute(
                text("INSERT INTO exercise_logs (workout_session_id, exercise_name, order_index) VALUES (:w, 'X', 1)"),
                {"w": bobs_workout},
            )
    superuser(connection)
    assert connection.scalar(text("SELECT weight_lbs FROM health_metrics WHERE user_id = :b"), {"b": bob}) == 180


def _bobs_workout(conn, bob: int) -> int:
    superuser(conn)
    return conn.scalar(text("SELECT id FROM workout_sessions WHERE user_id = :b"), {"b": bob})


@pytest.mark.parametrize(
    "table", ("health_metrics", "workout_sessions", "meal_logs", "user_goals", "exercise_logs", "progress_photos")
)
def test_a_coach_reads_active_clients_only(connection, people, table):
    coach, alice, bob = people["coachy"], people["alice"], people["bob"]
    link(connection, coach, alice, "active")
    link(connection, coach, bob, "invited")
    run_as(connection, coach)
    assert visible(connection, table) == 2  # their own row and alice's, not bob's
    if table != "exercise_logs":
        owners = set(connection.scalars(text(f"SELECT user_id FROM {table}")))
        assert owners == {coach, alice}


def test_a_coach_cannot_write_a_clients_rows(connection, people):
    coach, alice = people["coachy"], people["alice"]
    link(connection, coach, alice)
    run_as(connection, coach)
    assert (
        connection.execute(text("UPDATE health_metrics SET weight_lbs = 1 WHERE user_id = :a"), {"a": alice}).rowcount
        == 0
    )
    assert connection.execute(text("DELETE FROM user_goals WHERE user_id = :a"), {"a": alice}).rowcount == 0


def test_private_photos_stay_private_from_the_coach(connection, people):
    coach, alice = people["coachy"], people["alice"]
    link(connection, coach, alice)
    connection.execute(text("UPDATE progress_photos SET is_public = false WHERE user_id = :a"), {"a": alice})
    run_as(connection, coach)
    assert connection.scalar(text("SELECT count(*) FROM progress_photos WHERE user_id = :a"), {"a": alice}) == 0


def test_ending_the_link_ends_the_access(connection, people):
    coach, alice = people["coachy"], people["alice"]
    link(connection, coach, alice)
    run_as(connection, coach)
    assert connection.scalar(text("SELECT count(*) FROM health_metrics WHERE user_id = :a"), {"a": alice}) == 1
    run_as(connection, alice)  # the client ends it, under her own policies
    ended = connection.execute(
        text("UPDATE coach_clients SET status = 'ended', ended_at = now() WHERE client_id = :a"), {"a": alice}
    )
    assert ended.rowcount == 1
    run_as(connection, coach)
    for table in ("health_metrics", "meal_logs", "users"):
        assert (
            connection.scalar(
                text(f"SELECT count(*) FROM {table} WHERE {'id' if table == 'users' else 'user_id'} = :a"), {"a": alice}
            )
            == 0
        )


def test_coach_and_client_see_each_others_names_only_while_linked(connection, people):
    coach, alice, bob = people["coachy"], people["alice"], people["bob"]
    link(connection, coach, alice)
    run_as(connection, alice)
    assert set(connection.scalars(text("SELECT username FROM users"))) == {"alice", "coachy"}
    run_as(connection, bob)
    assert set(connection.scalars(text("SELECT username FROM users"))) == {"bob"}


def test_coaching_sessions_visible_to_both_sides_and_written_by_the_coach(connection, people):
    coach, alice, bob = people["coachy"], people["alice"], people["bob"]
    link(connection, coach, alice)
    run_as(connection, coach)
    connection.execute(
        text(
            "INSERT INTO coaching_sessions (user_id, coach_id, session_date, action_items) VALUES (:a, :c, '2026-11-20', '{sleep}')"
        ),
        {"a": alice, "c": coach},
    )
    with pytest.raises(ProgrammingError, match="row-level security"):
        with connection.begin_nested():
            connection.execute(
                text("INSERT INTO coaching_sessions (user_id, coach_id, session_date) VALUES (:b, :c, '2026-11-20')"),
                {"b": bob, "c": coach},
            )
    run_as(connection, alice)
    assert connection.execute(text("UPDATE coaching_sessions SET completed = true, user_rating = 9")).rowcount == 1
    run_as(connection, bob)
    assert visible(connection, "coaching_sessions") == 0


def test_application_role_really_connects_without_privileges_and_system_work_sees_across_users(database):
    """A real login as the application role: not a superuser, no bypass, and SET LOCAL ROLE scoped to one transaction."""
    engine = sync_engine(database.app, pool_size=1, max_overflow=0)
    with engine.connect() as conn:
        role = conn.execute(text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).one()
        assert tuple(role) == (False, False)
        conn.rollback()
        with conn.begin():
            conn.execute(SYSTEM_CONTEXT)
            ids = [
                conn.scalar(
                    text("INSERT INTO users (username, email, password_hash) VALUES (:n, :e, 'x') RETURNING id"),
                    {"n": name, "e": f"{name}@example.org"},
                )
                for name in ("sys_a", "sys_b")
            ]
            for user_id in ids:
                conn.execute(
                    text("INSERT INTO meal_logs (user_id, meal_date, meal_type) VALUES (:u, '2026-11-20', 'snack')"),
                    {"u": user_id},
                )
            assert conn.scalar(text("SELECT count(*) FROM meal_logs WHERE user_id = ANY(:i)"), {"i": ids}) == 2
        try:
            with conn.begin():  # the same pooled connection, next transaction: no role, no person
                assert conn.scalar(text("SELECT current_user")) == APP_ROLE
                assert conn.scalar(text("SELECT count(*) FROM meal_logs")) == 0
                conn.execute(user_context(ids[0]))
                assert conn.scalar(text("SELECT count(*) FROM meal_logs")) == 1
            with conn.begin():
                assert conn.scalar(text("SELECT count(*) FROM meal_logs")) == 0
                with pytest.raises(DBAPIError):
                    conn.execute(text("ALTER TABLE meal_logs NO FORCE ROW LEVEL SECURITY"))
        finally:
            with conn.begin():
                conn.execute(SYSTEM_CONTEXT)
                conn.execute(text("DELETE FROM users WHERE id = ANY(:i)"), {"i": ids})
    engine.dispose()


def act_as_telegram(conn, telegram_id: int) -> None:
    run_as(conn, None)
    conn.execute(text("SELECT set_config('app.telegram_user_id', :t, true)"), {"t": str(telegram_id)})


def test_a_telegram_account_finds_only_its_own_link_and_pending_messages(connection, people):
    alice, bob = people["alice"], people["bob"]
    seed_telegram(connection, alice, 7001)
    seed_telegram(connection, bob, 7002)
    act_as_telegram(connection, 7001)
    assert connection.execute(text("SELECT user_id FROM telegram_links")).scalars().all() == [alice]
    assert connection.execute(text("SELECT chat_id FROM pending_messages")).scalars().all() == [7001]
    assert visible(connection, "users") == 0 and visible(connection, "logged_messages") == 0
    assert connection.execute(text("DELETE FROM pending_messages")).rowcount == 1  # only its own
    with pytest.raises(ProgrammingError, match="row-level security"):
        with connection.begin_nested():
            connection.execute(
                text(
                    "INSERT INTO pending_messages (telegram_user_id, chat_id, message_id, text) VALUES (7002, 7002, 9, 'x')"
                )
            )
    run_as(connection, alice)
    assert connection.execute(text("SELECT user_id FROM logged_messages")).scalars().all() == [alice]


def test_nobody_reads_email_or_password_hash_as_the_application_role(connection, people):
    """Not a linked coach, not even the person: those columns are for the system role only."""
    coach, alice = people["coachy"], people["alice"]
    link(connection, coach, alice)
    for reader, target in ((coach, alice), (alice, alice)):
        run_as(connection, reader)
        assert connection.scalar(text("SELECT username FROM users WHERE id = :t"), {"t": target}) == "alice"
        for column in ("email", "password_hash", "failed_login_attempts", "locked_until"):
            with pytest.raises(ProgrammingError, match="permission denied"):
                with connection.begin_nested():
                    connection.execute(text(f"SELECT {column} FROM users WHERE id = :t"), {"t": target})
    run_as(connection, alice)
    connection.execute(text("SET LOCAL ROLE fitbot_system"))
    assert connection.scalar(text("SELECT email FROM users WHERE id = :t"), {"t": alice}) == "alice@example.com"

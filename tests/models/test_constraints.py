"""Every bounded column refuses values outside fitness_core.ranges, in the database itself."""

import datetime as dt

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError

from fitness_core import ranges
from fitness_core.models import (
    CoachingSession,
    ExerciseLog,
    HealthMetric,
    MealLog,
    ProgressPhoto,
    User,
    UserGoal,
    WorkoutSession,
)

DAY = dt.date(2026, 11, 20)
MODELS = {
    "health_metrics": HealthMetric,
    "workout_sessions": WorkoutSession,
    "exercise_logs": ExerciseLog,
    "meal_logs": MealLog,
    "coaching_sessions": CoachingSession,
    "user_goals": UserGoal,
    "progress_photos": ProgressPhoto,
}
# Columns that only make sense with a partner value: give the partner its most permissive value.
COMPANIONS = {
    "blood_pressure_systolic": {"blood_pressure_diastolic": ranges.HEALTH_METRICS["blood_pressure_diastolic"].low},
    "blood_pressure_diastolic": {"blood_pressure_systolic": ranges.HEALTH_METRICS["blood_pressure_systolic"].high},
}
CASES = [(table, column, bounds) for table, columns in ranges.BY_TABLE.items() for column, bounds in columns.items()]


@pytest.fixture
def minimal_row(db, make_user):
    """The least a row of each table needs, so one column at a time can be pushed out of range."""
    user, coach = make_user(), make_user()
    workout = WorkoutSession(user_id=user.id, session_date=DAY)
    db.add(workout)
    db.flush()
    return {
        "health_metrics": {"user_id": user.id, "recorded_date": DAY},
        "workout_sessions": {"user_id": user.id, "session_date": DAY, "session_type": "strength"},
        "exercise_logs": {"workout_session_id": workout.id, "exercise_name": "Squat", "order_index": 0},
        "meal_logs": {"user_id": user.id, "meal_date": DAY, "meal_type": "lunch"},
        "coaching_sessions": {"user_id": user.id, "coach_id": coach.id, "session_date": DAY},
        "user_goals": {"user_id": user.id, "goal_type": "strength", "title": "Bench 225", "status": "active"},
        "progress_photos": {"user_id": user.id, "photo_date": DAY, "photo_url": "file-id", "photo_type": "front"},
    }


def _insert(db, table, row):
    """Insert and undo at once: only whether the database accepts the row matters."""
    savepoint = db.begin_nested()
    try:
        db.execute(insert(MODELS[table].__table__).values(**row))
    finally:
        savepoint.rollback()


def _just_outside(bounds):
    step = 0.001 if bounds.low < 1 and bounds.low != 0 else 1
    return bounds.low - step, bounds.high + step


@pytest.mark.parametrize(("table", "column", "bounds"), CASES, ids=[f"{t}.{c}" for t, c, _ in CASES])
def test_range_enforced_by_database(db, minimal_row, table, column, bounds):
    row = {**minimal_row[table], **(COMPANIONS.get(column, {}) if table == "health_metrics" else {})}
    for edge in (bounds.low, bounds.high):
        _insert(db, table, {**row, column: edge})
    for outside in _just_outside(bounds):
        with pytest.raises(IntegrityError, match=f"ck_{table}_{column}_range"):
            _insert(db, table, {**row, column: outside})


def test_blood_pressure_must_come_in_order_and_in_pairs(db, minimal_row):
    row = minimal_row["health_metrics"]
    with pytest.raises(IntegrityError, match="ck_health_metrics_blood_pressure_order"):
        _insert(db, "health_metrics", {**row, "blood_pressure_systolic": 80, "blood_pressure_diastolic": 120})
    with pytest.raises(IntegrityError, match="ck_health_metrics_blood_pressure_both_or_neither"):
        _insert(db, "health_metrics", {**row, "blood_pressure_systolic": 120})


def test_user_checks(db):
    base = {"password_hash": "x", "role": "user"}
    with pytest.raises(IntegrityError, match="ck_users_email_format"):
        with db.begin_nested():
            db.execute(insert(User.__table__).values(username="abc", email="no-at-sign", **base))
    with pytest.raises(IntegrityError, match="ck_users_username_length"):
        with db.begin_nested():
            db.execute(insert(User.__table__).values(username="ab", email="ab@example.com", **base))


def test_settings_checks(db, make_user):
    user = make_user()
    with pytest.raises(IntegrityError, match="ck_user_settings_quiet_hours_both_or_neither"):
        with db.begin_nested():
            db.execute(
                text("INSERT INTO user_settings (user_id, quiet_hours_start) VALUES (:u, '22:00')"), {"u": user.id}
            )
    with pytest.raises(IntegrityError, match="ck_user_settings_weekly_summary_day_range"):
        with db.begin_nested():
            db.execute(text("INSERT INTO user_settings (user_id, weekly_summary_day) VALUES (:u, 7)"), {"u": user.id})


def test_coach_cannot_coach_themselves_and_one_live_link_per_pair(db, make_user):
    coach, client = make_user(), make_user()
    statement = text("INSERT INTO coach_clients (coach_id, client_id, status) VALUES (:c, :k, :s)")
    with pytest.raises(IntegrityError, match="ck_coach_clients_not_self"):
        with db.begin_nested():
            db.execute(statement, {"c": coach.id, "k": coach.id, "s": "active"})
    db.execute(statement, {"c": coach.id, "k": client.id, "s": "ended"})
    db.execute(statement, {"c": coach.id, "k": client.id, "s": "active"})
    with pytest.raises(IntegrityError, match="uq_coach_clients_live_pair"):
        with db.begin_nested():
            db.execute(statement, {"c": coach.id, "k": client.id, "s": "invited"})

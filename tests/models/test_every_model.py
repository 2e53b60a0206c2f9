"""Checks that hold for every model: cascade delete and JSON-ready to_dict()."""

import datetime as dt
import json

from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint, delete, func, select

from fitness_core.models import (
    AuditLog,
    Base,
    CoachClient,
    CoachingSession,
    CoachInvite,
    ExerciseDefinition,
    ExerciseLog,
    HealthMetric,
    LinkStatus,
    LoggedMessage,
    MealLog,
    PendingMessage,
    ProgressPhoto,
    ReminderDelivery,
    ReminderKind,
    TelegramLink,
    User,
    UserGoal,
    UserSession,
    UserSettings,
    WorkoutSession,
)

DAY = dt.date(2026, 11, 20)


def populate(db, user: User, partner: User) -> None:
    """One row in every table that belongs to `user` (as person, client and coach)."""
    workout = WorkoutSession(user_id=user.id, session_date=DAY)
    workout.exercises = [ExerciseLog(exercise_name="Squat", sets=5, reps=5, weight_lbs=225, order_index=0)]
    session = UserSession.create_session(user.id, remember_me=True, user_agent="Telegram Bot API")
    db.add_all(
        [
            HealthMetric(user_id=user.id, recorded_date=DAY, weight_lbs=182, body_fat_percentage=18),
            workout,
            MealLog(user_id=user.id, meal_date=DAY, meal_type="lunch", calories=450, protein_g=40),
            UserGoal(user_id=user.id, goal_type="weight_loss", title="175", target_value=175),
            ProgressPhoto(user_id=user.id, photo_date=DAY, photo_url="AgAD", photo_type="front"),
            session,
            UserSettings(user_id=user.id, timezone="Europe/Berlin"),
            AuditLog(user_id=user.id, action="create", table_name="health_metrics", row_id="1", details={"a": 1}),
            CoachClient(coach_id=partner.id, client_id=user.id, status=LinkStatus.ACTIVE),
            CoachClient(coach_id=user.id, client_id=partner.id, status=LinkStatus.ACTIVE),
            CoachingSession(user_id=user.id, coach_id=partner.id, session_date=DAY, action_items=["sleep 8h"]),
            CoachingSession(user_id=partner.id, coach_id=user.id, session_date=DAY, topics=["diet"]),
            CoachInvite(code="ABCDEFGH", coach_id=user.id, expires_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC)),
            CoachInvite(
                code="JKLMNPQR",
                coach_id=partner.id,
                expires_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC),
                used_by=user.id,
                used_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
            ),
        ]
    )
    db.flush()
    db.add(
        ReminderDelivery(
            user_id=user.id,
            kind=ReminderKind.CHECKIN,
            local_date=DAY,
            due_at=dt.datetime(2026, 11, 20, 20, tzinfo=dt.UTC),
            claimed_at=dt.datetime(2026, 11, 20, 20, tzinfo=dt.UTC),
        )
    )
    db.add(LoggedMessage(user_id=user.id, chat_id=user.id, message_id=1, text="weight 182", logged_date=DAY))
    db.add(PendingMessage(telegram_user_id=10**12 + user.id, chat_id=user.id, message_id=2, text="bench 3x5 185"))
    db.add(
        TelegramLink(user_id=user.id, telegram_user_id=10**12 + user.id, chat_id=user.id, session_id=session.session_id)
    )
    db.flush()


USER_COLUMNS = {
    HealthMetric: [HealthMetric.user_id],
    WorkoutSession: [WorkoutSession.user_id],
    MealLog: [MealLog.user_id],
    UserGoal: [UserGoal.user_id],
    ProgressPhoto: [ProgressPhoto.user_id],
    UserSession: [UserSession.user_id],
    UserSettings: [UserSettings.user_id],
    AuditLog: [AuditLog.user_id],
    TelegramLink: [TelegramLink.user_id],
    LoggedMessage: [LoggedMessage.user_id],
    ReminderDelivery: [ReminderDelivery.user_id],
    CoachClient: [CoachClient.coach_id, CoachClient.client_id],
    CoachInvite: [CoachInvite.coach_id, CoachInvite.used_by],
    CoachingSession: [CoachingSession.user_id, CoachingSession.coach_id],
}


def count_for(db, user_id: int) -> dict[str, int]:
    counts = {
        model.__tablename__: sum(db.scalar(select(func.count()).where(column == user_id)) for column in columns)
        for model, columns in USER_COLUMNS.items()
    }
    counts["exercise_logs"] = db.scalar(
        select(func.count()).select_from(ExerciseLog).join(WorkoutSession).where(WorkoutSession.user_id == user_id)
    )
    return counts


def test_deleting_a_user_removes_their_rows_from_every_table(db, make_user):
    user, partner = make_user(), make_user()
    populate(db, user, partner)
    before = count_for(db, user.id)
    assert all(before.values()), before
    workout_ids = db.scalars(select(WorkoutSession.id).where(WorkoutSession.user_id == user.id)).all()

    db.execute(delete(User).where(User.id == user.id))  # the database cascades, not the ORM
    db.expire_all()

    assert not any(count_for(db, user.id).values())
    assert db.scalar(select(func.count()).where(ExerciseLog.workout_session_id.in_(workout_ids))) == 0
    assert db.get(User, partner.id) is not None  # the partner is untouched


def test_every_user_foreign_key_cascades():
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name in ("users", "workout_sessions"):
                assert fk.ondelete == "CASCADE", f"{table.name}.{fk.parent.name}"


def test_every_foreign_key_and_date_column_leads_an_index():
    for table in Base.metadata.sorted_tables:
        leading = {index.columns[0].name for index in table.indexes}
        leading |= {
            c.columns[0].name for c in table.constraints if isinstance(c, PrimaryKeyConstraint | UniqueConstraint)
        }
        for column in table.columns:
            if column.foreign_keys or column.name.endswith("_date"):
                assert column.name in leading, f"{table.name}.{column.name} has no index"


def test_to_dict_on_every_model_is_json_ready(db, make_user):
    user, partner = make_user(), make_user()
    populate(db, user, partner)
    db.add(ExerciseDefinition(name="Test Press", category="compound", muscle_groups=["chest"], aliases=["tp"]))
    db.flush()
    seen = set()
    for mapper in Base.registry.mappers:
        model = mapper.class_
        row = db.scalars(select(model).limit(1)).first()
        assert row is not None, model
        data = row.to_dict()
        json.dumps(data)
        for key in mapper.primary_key:
            assert data[key.key] is not None
        for name in model.__dict_properties__:
            assert name in data
        seen.add(model)
    assert len(seen) == len(Base.registry.mappers) == 18

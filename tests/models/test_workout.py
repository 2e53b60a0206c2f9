import datetime as dt

from fitness_core.models import ExerciseLog, WorkoutSession


def test_session_totals_and_average_rpe(db, make_user):
    user = make_user()
    workout = WorkoutSession(user_id=user.id, session_date=dt.date(2026, 11, 20))
    workout.exercises = [
        ExerciseLog(exercise_name="Bench", sets=3, reps=5, weight_lbs=185, rpe=8, order_index=0),
        ExerciseLog(exercise_name="Pull-up", sets=3, reps=10, rpe=7.5, order_index=1),
        ExerciseLog(exercise_name="Run", duration_seconds=1710, distance_miles=3.1, order_index=2),
    ]
    db.add(workout)
    db.flush()
    db.expire_all()
    assert workout.total_exercises == 3
    assert workout.total_sets == 6
    assert workout.average_rpe == 7.75
    assert workout.to_dict()["total_sets"] == 6


def test_empty_session():
    workout = WorkoutSession(exercises=[])
    assert (workout.total_exercises, workout.total_sets, workout.average_rpe) == (0, 0, None)


def test_volume_and_pace():
    assert ExerciseLog(sets=3, reps=5, weight_lbs=185).total_volume == 2775
    assert ExerciseLog(sets=3, reps=10).total_volume is None  # bodyweight: no load recorded
    run = ExerciseLog(duration_seconds=1710, distance_miles=3.1)
    assert run.pace_per_mile == 9.19
    assert ExerciseLog(duration_seconds=600).pace_per_mile is None
    assert run.to_dict()["pace_per_mile"] == 9.19


def test_exercises_kept_in_order(db, make_user):
    user = make_user()
    workout = WorkoutSession(user_id=user.id, session_date=dt.date(2026, 11, 21))
    db.add(workout)
    db.flush()
    for index, name in reversed(list(enumerate(["A", "B", "C"]))):
        db.add(ExerciseLog(workout_session_id=workout.id, exercise_name=name, order_index=index))
    db.flush()
    db.expire_all()
    assert [e.exercise_name for e in db.get(WorkoutSession, workout.id).exercises] == ["A", "B", "C"]


def test_estimated_one_rep_max_in_python_and_sql(db, make_user):
    from sqlalchemy import select

    assert ExerciseLog(weight_lbs=185, reps=5).estimated_one_rep_max == 215.8
    assert ExerciseLog(weight_lbs=315, reps=1).estimated_one_rep_max == 315
    assert ExerciseLog(reps=10).estimated_one_rep_max is None
    user = make_user()
    workout = WorkoutSession(user_id=user.id, session_date=dt.date(2026, 11, 22))
    workout.exercises = [ExerciseLog(exercise_name="Bench", sets=3, reps=5, weight_lbs=185, order_index=0)]
    db.add(workout)
    db.flush()
    best = db.scalar(select(ExerciseLog.estimated_one_rep_max).where(ExerciseLog.workout_session_id == workout.id))
    assert round(best, 1) == 215.8

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

import datetime as dt

from fitness_core.models import CoachingSession, GoalStatus, GoalType, UserGoal

TODAY = dt.date(2026, 11, 25)


def test_coaching_session_overdue_only_with_open_action_items_after_the_next_date():
    session = CoachingSession(action_items=["walk daily"], next_session_date=dt.date(2026, 11, 24), completed=False)
    assert session.is_overdue_on(TODAY)
    assert not session.is_overdue_on(dt.date(2026, 11, 24))
    session.completed = True
    assert not session.is_overdue_on(TODAY)
    assert not CoachingSession(action_items=[], next_session_date=dt.date(2026, 11, 1)).is_overdue_on(TODAY)
    assert not CoachingSession(action_items=["x"], next_session_date=None).is_overdue_on(TODAY)


def test_days_until_next_session():
    session = CoachingSession(next_session_date=dt.date(2026, 12, 2))
    assert session.days_until_next_session_from(TODAY) == 7
    assert CoachingSession().days_until_next_session_from(TODAY) is None
    assert session.days_until_next_session == (dt.date(2026, 12, 2) - dt.date.today()).days


def goal(**fields):
    defaults = {"goal_type": GoalType.WEIGHT_LOSS, "title": "Cut", "status": GoalStatus.ACTIVE}
    return UserGoal(**{**defaults, **fields})


def test_progress_towards_a_lower_target():
    cut = goal(start_value=200, target_value=180)
    assert cut.calculate_progress(190) == 50
    assert cut.calculate_progress(205) == 0  # moving away never goes negative
    assert cut.calculate_progress(175) == 100  # overshooting caps at 100


def test_progress_towards_a_higher_target_and_from_zero():
    bench = goal(goal_type=GoalType.STRENGTH, start_value=185, target_value=225)
    assert bench.calculate_progress(205) == 50
    habit = goal(goal_type=GoalType.HABIT, target_value=4)
    assert habit.calculate_progress(3) == 75
    assert goal(target_value=None).calculate_progress(10) == 0


def test_update_progress_auto_completes_once():
    cut = goal(start_value=200, target_value=180)
    assert cut.update_progress(185, today=TODAY) is False
    assert (cut.current_value, cut.progress_percentage, cut.status) == (185, 75, GoalStatus.ACTIVE)
    assert cut.update_progress(179.5, today=TODAY) is True
    assert cut.status is GoalStatus.COMPLETED and cut.completed_date == TODAY
    assert cut.update_progress(178, today=TODAY) is False  # already completed


def test_update_progress_without_auto_complete():
    cut = goal(start_value=200, target_value=180)
    assert cut.update_progress(180, auto_complete=False) is False
    assert cut.progress_percentage == 100 and cut.status is GoalStatus.ACTIVE


def test_goal_dates():
    g = goal(start_date=dt.date(2026, 11, 1), target_date=dt.date(2026, 11, 30))
    assert g.days_remaining_from(TODAY) == 5
    assert g.days_active_on(TODAY) == 24
    assert not g.is_overdue_on(TODAY)
    assert g.is_overdue_on(dt.date(2026, 12, 1))
    g.status = GoalStatus.PAUSED
    assert not g.is_overdue_on(dt.date(2026, 12, 1))
    done = goal(start_date=dt.date(2026, 11, 1), completed_date=dt.date(2026, 11, 11), status=GoalStatus.COMPLETED)
    assert done.days_active_on(TODAY) == 10
    assert goal(target_date=None).days_remaining_from(TODAY) is None


def test_goal_defaults_from_the_database(db, make_user):
    user = make_user()
    g = UserGoal(user_id=user.id, goal_type=GoalType.HABIT, title="4 workouts a week", target_value=4)
    db.add(g)
    db.flush()
    db.expire(g)
    assert g.status is GoalStatus.ACTIVE and g.progress_percentage == 0 and g.milestones == []
    assert g.start_date is not None

import datetime as dt

import bcrypt
import pytest
from sqlalchemy import select

from fitness_core.models import PasswordPolicyError, User, UserRole
from fitness_core.models.user import DEFAULT_BCRYPT_ROUNDS, LOCKOUT_MINUTES, MAX_FAILED_LOGINS

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def test_password_round_trip_and_wrong_password(make_user):
    user = make_user()
    assert user.check_password("correct horse")
    assert not user.check_password("correct horse ")
    assert not user.check_password("")
    assert user.password_hash.startswith("$2b$")


def test_default_cost_is_twelve_rounds():
    assert DEFAULT_BCRYPT_ROUNDS == 12
    user = User(username="costly", email="c@example.com")
    User.bcrypt_rounds, saved = DEFAULT_BCRYPT_ROUNDS, User.bcrypt_rounds
    try:
        user.set_password("a long enough secret")
    finally:
        User.bcrypt_rounds = saved
    assert user.password_hash.startswith("$2b$12$")
    assert bcrypt.checkpw(b"a long enough secret", user.password_hash.encode())


@pytest.mark.parametrize("password", ["x" * 73, "é" * 37, "💪" * 19])
def test_password_over_72_bytes_is_a_clear_error_not_a_truncation(password):
    user = User(username="longpass", email="l@example.com")
    with pytest.raises(PasswordPolicyError, match="at most 72 bytes"):
        user.set_password(password)
    assert user.password_hash is None


def test_password_of_exactly_72_bytes_is_accepted_and_a_longer_one_never_matches(make_user):
    user = make_user()
    user.set_password("y" * 72)
    assert user.check_password("y" * 72)
    assert not user.check_password("y" * 72 + "z")  # bcrypt alone would ignore the 73rd byte


def test_short_password_refused():
    with pytest.raises(PasswordPolicyError, match="at least 8"):
        User(username="shorty", email="s@example.com").set_password("1234567")


def test_roles_and_defaults_from_the_database(db, make_user):
    coach = make_user(role=UserRole.COACH)
    plain = make_user()
    db.expire_all()
    assert db.get(User, coach.id).role is UserRole.COACH
    fresh = db.get(User, plain.id)
    assert fresh.role is UserRole.USER and fresh.is_active and fresh.failed_login_attempts == 0
    assert fresh.created_at is not None and fresh.updated_at is not None


def test_lock_and_unlock():
    user = User(username="locky", email="k@example.com", failed_login_attempts=0)
    assert not user.is_locked(NOW)
    user.lock_account(10, now=NOW)
    assert user.is_locked(NOW + dt.timedelta(minutes=9, seconds=59))
    assert not user.is_locked(NOW + dt.timedelta(minutes=10))
    user.unlock_account()
    assert not user.is_locked(NOW) and user.failed_login_attempts == 0


def test_fifth_consecutive_failure_locks_for_fifteen_minutes():
    user = User(username="guesser", email="g@example.com", failed_login_attempts=0)
    for attempt in range(1, MAX_FAILED_LOGINS):
        user.record_failed_login(now=NOW)
        assert not user.is_locked(NOW), attempt
    user.record_failed_login(now=NOW)
    assert user.is_locked(NOW)
    assert user.locked_until == NOW + dt.timedelta(minutes=LOCKOUT_MINUTES)
    assert not user.is_locked(NOW + dt.timedelta(minutes=15))


def test_success_resets_the_failure_count():
    user = User(username="forgetful", email="f@example.com", failed_login_attempts=0)
    for _ in range(MAX_FAILED_LOGINS - 1):
        user.record_failed_login(now=NOW)
    user.record_successful_login(now=NOW)
    assert user.failed_login_attempts == 0 and user.last_login == NOW
    user.record_failed_login(now=NOW)
    assert not user.is_locked(NOW)


def test_to_dict_never_exposes_the_hash(make_user):
    user = make_user(full_name="Sam Lift")
    public = user.to_dict()
    sensitive = user.to_dict(include_sensitive=True)
    for data in (public, sensitive):
        assert "password_hash" not in data
        assert user.password_hash not in map(str, data.values())
    assert "email" not in public and sensitive["email"] == user.email
    assert public["username"] == user.username and public["role"] == "user"
    assert sensitive["is_locked"] is False


@pytest.mark.parametrize(
    ("username", "email", "index"),
    [("twin", "other@example.com", "ix_users_username"), ("other", "twin@example.com", "ix_users_email")],
)
def test_username_and_email_unique(db, make_user, username, email, index):
    from sqlalchemy.exc import IntegrityError

    make_user("twin")
    with pytest.raises(IntegrityError, match=index):
        with db.begin_nested():
            db.add(User(username=username, email=email, password_hash="x"))
            db.flush()
    assert db.scalar(select(User.id).where(User.username == "twin")) is not None

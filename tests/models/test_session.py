import datetime as dt
import uuid

import pytest

from fitness_core.models import UserSession

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def test_plain_session_lasts_24_hours_and_remember_me_30_days():
    plain = UserSession.create_session(1, now=NOW)
    assert plain.expires_at == NOW + dt.timedelta(hours=24)
    assert isinstance(plain.session_id, uuid.UUID)
    remembered = UserSession.create_session(1, remember_me=True, now=NOW)
    assert remembered.expires_at == NOW + dt.timedelta(days=30)


def test_expiry_and_validity():
    session = UserSession.create_session(1, now=NOW)
    assert session.is_valid(NOW) and not session.is_expired(NOW)
    later = NOW + dt.timedelta(hours=24)
    assert session.is_expired(later) and not session.is_valid(later)


def test_revoke():
    session = UserSession.create_session(1, now=NOW)
    session.revoke("logout", now=NOW)
    assert not session.is_valid(NOW)
    assert (session.is_active, session.revoked_at, session.revocation_reason) == (False, NOW, "logout")


def test_extend_and_activity():
    session = UserSession.create_session(1, remember_me=True, now=NOW)
    later = NOW + dt.timedelta(days=29)
    session.extend_session(now=later)
    assert session.expires_at == later + dt.timedelta(days=30)
    session.extend_session(hours=2, now=later)
    assert session.expires_at == later + dt.timedelta(hours=2)
    session.update_activity(now=later)
    assert session.last_activity == later


@pytest.mark.parametrize(
    ("agent", "device", "browser", "os"),
    [
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 "
            "Mobile/15E148 Safari/604.1",
            "mobile",
            "Safari",
            "iOS",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36 Edg/120.0",
            "desktop",
            "Edge",
            "Windows",
        ),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", "desktop", "Firefox", "Linux"),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36",
            "mobile",
            "Chrome",
            "Android",
        ),
        ("Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) Safari/604.1", "tablet", "Safari", "iOS"),
        ("Telegram Bot API chat 123", "bot", "Telegram", None),
        (None, None, None, None),
    ],
)
def test_parse_user_agent(agent, device, browser, os):
    session = UserSession.create_session(1, user_agent=agent, now=NOW)
    assert (session.device_type, session.browser, session.os) == (device, browser, os)


def test_time_properties(db, make_user):
    user = make_user()
    session = UserSession.create_session(user.id)
    db.add(session)
    db.flush()
    assert dt.timedelta(hours=23) < session.time_until_expiration <= dt.timedelta(hours=24)
    assert dt.timedelta(0) <= session.session_age < dt.timedelta(minutes=1)
    assert dt.timedelta(0) <= session.time_since_activity < dt.timedelta(minutes=1)
    expired = UserSession.create_session(user.id, now=NOW - dt.timedelta(days=3))
    assert expired.time_until_expiration == dt.timedelta(0)
    data = session.to_dict()
    assert data["session_id"] == str(session.session_id) and 0 < data["time_until_expiration"] <= 86400

"""Accounts end to end: register, login, lockout, logout, settings, password messages deleted."""

from sqlalchemy import text

from tests.e2e.harness import PASSWORD


async def test_register_links_the_chat_and_deletes_the_password_message(bot):
    sam = bot.person(501)
    await sam.register("sam")
    assert sam.account_id is not None
    sent = [m for m in bot.api.messages(sam.chat_id) if not m.from_bot]
    assert sent[0].text.startswith("/register") and sent[0].deleted
    row = bot.query("SELECT username, email, role FROM users WHERE id = :i", i=sam.account_id)[0]
    assert tuple(row) == ("sam", "sam@example.com", "user")
    assert bot.scalar("SELECT remember_me FROM user_sessions WHERE user_id = :i", i=sam.account_id) is True


async def test_register_step_by_step_and_cancel(bot):
    ana = bot.person(502)
    assert "username" in (await ana.ask("/register")).shown_text
    assert "email" in (await ana.ask("ana_k")).shown_text
    assert "password" in (await ana.ask("ana@example.com")).shown_text
    replies = await ana.say("long enough password")
    assert "Welcome" in replies[0].shown_text
    assert [m.deleted for m in bot.api.messages(ana.chat_id) if m.text == "long enough password"] == [True]
    other = bot.person(503)
    await other.ask("/register")
    assert "Cancelled" in (await other.ask("/cancel")).shown_text
    assert other.account_id is None


async def test_register_refuses_bad_input_and_saves_nothing(bot):
    sam = bot.person(504)
    too_long = "x" * 73
    reply = await sam.ask(f"/register sam2 sam2@example.com {too_long}")
    assert "at most 72 bytes" in reply.shown_text
    reply = await sam.ask(f"/register sam2 not-an-email {PASSWORD}")
    assert "does not look like an email" in reply.shown_text
    assert bot.scalar("SELECT count(*) FROM users") == 0
    await bot.person(505).register("taken")
    reply = await sam.ask(f"/register Taken other@example.com {PASSWORD}")
    assert "already registered" in reply.shown_text


async def test_login_lockout_after_five_failures(bot):
    await bot.person(506).register("lifter")
    await bot.person(506).say("/logout")
    other = bot.person(507)
    for attempt in range(4):
        reply = await other.ask("/login lifter wrong-password")
        assert f"{4 - attempt} attempts left" in reply.shown_text
    assert "locked for 15 minutes" in (await other.ask("/login lifter wrong-password")).shown_text
    assert "locked" in (await other.ask(f"/login lifter {PASSWORD}")).shown_text  # right password, still locked
    assert other.account_id is None
    bot.clock.advance(minutes=15)
    assert "Welcome back" in (await other.say(f"/login lifter {PASSWORD}"))[0].shown_text
    assert other.account_id is not None
    assert all(m.deleted for m in bot.api.messages(other.chat_id) if m.text and m.text.startswith("/login"))


async def test_logout_unlinks_and_revokes(bot):
    sam = bot.person(508)
    await sam.register("leaver")
    user_id = sam.account_id
    assert "Logged out" in (await sam.ask("/logout")).shown_text
    assert sam.account_id is None
    assert bot.scalar("SELECT revocation_reason FROM user_sessions WHERE user_id = :i", i=user_id) == "logout"
    assert "I don't know you yet" in (await sam.ask("/me")).shown_text


async def test_session_expires_after_thirty_idle_days_and_activity_extends_it(bot):
    sam = bot.person(509)
    await sam.register("idler")
    bot.clock.advance(days=20)
    assert "idler" in (await sam.ask("/me")).shown_text  # activity pushes expiry 30 days out
    bot.clock.advance(days=25)
    assert "idler" in (await sam.ask("/me")).shown_text
    bot.clock.advance(days=31)
    assert "I don't know you yet" in (await sam.ask("/me")).shown_text


async def test_settings_commands(bot):
    sam = bot.person(510)
    await sam.register("tuner")
    assert "Units: metric" in (await sam.ask("/units metric")).shown_text
    reply = await sam.ask("/tz europe/berlin")
    assert "Time zone: Europe/Berlin" in reply.shown_text
    reply = await sam.ask("/tz Europe/Berln")
    assert "Did you mean Europe/Berlin" in reply.shown_text
    reply = await sam.ask("/reminders quiet 22:00-07:00")
    assert "Quiet hours: 22:00-07:00" in reply.shown_text
    reply = await sam.ask("/reminders time 7:30pm")
    assert "Daily check-in: 19:30" in reply.shown_text
    assert "checkin off" in (await sam.ask("/reminders checkin off")).shown_text
    assert "is not a time of day" in (await sam.ask("/reminders time 25:00")).shown_text
    row = bot.query(
        "SELECT unit_system, timezone, reminder_time, remind_checkin FROM user_settings WHERE user_id = :i",
        i=sam.account_id,
    )[0]
    assert (row.unit_system, row.timezone, str(row.reminder_time), row.remind_checkin) == (
        "metric",
        "Europe/Berlin",
        "19:30:00",
        False,
    )
    assert bot.scalar("SELECT count(*) FROM audit_log WHERE table_name = 'user_settings'") == 5


async def test_commands_menu_is_published(bot):
    names = [c["command"] for c in bot.api.commands()]
    assert {"register", "login", "logout", "me", "settings", "units", "tz"} <= set(names)


async def test_a_link_changed_elsewhere_is_seen_at_once(bot):
    """Another bot process relinked this Telegram account: the cached link must not be trusted."""
    sam = bot.person(511)
    await sam.register("first_owner")
    assert "first_owner" in (await sam.ask("/me")).shown_text  # the link is now cached in this process
    await bot.person(512).register("second_owner")
    with bot.admin.begin() as conn:
        second = conn.scalar(text("SELECT user_id FROM telegram_links WHERE telegram_user_id = 512"))
        conn.execute(text("DELETE FROM telegram_links WHERE telegram_user_id IN (511, 512)"))
        conn.execute(
            text(
                "INSERT INTO telegram_links (user_id, telegram_user_id, chat_id, session_id) "
                "SELECT :u, 511, 511, session_id FROM user_sessions WHERE user_id = :u"
            ),
            {"u": second},
        )
    assert "second_owner" in (await sam.ask("/me")).shown_text
    with bot.admin.begin() as conn:
        conn.execute(text("DELETE FROM telegram_links WHERE telegram_user_id = 511"))
    assert "I don't know you yet" in (await sam.ask("/me")).shown_text


async def test_an_error_inside_a_handler_is_logged_with_the_update_id_and_answered_with_an_apology(bot, caplog):
    sam = bot.person(513)
    await sam.register("broken_zone")
    with bot.admin.begin() as conn:  # data no handler expects: a time zone that does not exist
        conn.execute(
            text("UPDATE user_settings SET timezone = 'Nowhere/Atlantis' WHERE user_id = :u"), {"u": sam.account_id}
        )
    caplog.set_level("ERROR", logger="handlers.errors")
    update = bot.api.user_sends_text(sam.user_id, "weight 182")
    await bot.settle()
    reply = bot.api.last_bot_message(sam.chat_id)
    assert reply.shown_text.startswith("Sorry, something went wrong on my side")
    assert "Traceback" not in reply.shown_text and "Atlantis" not in reply.shown_text
    assert bot.scalar("SELECT count(*) FROM health_metrics WHERE user_id = :u", u=sam.account_id) == 0
    [record] = [r for r in caplog.records if r.name == "handlers.errors"]
    assert record.getMessage() == f"error while handling update {update['update_id']}"
    assert record.exc_info is not None

"""Claims and delivery: once per reminder through restarts, retries, crashes and two scanners; the real Bot API path."""

from __future__ import annotations

import asyncio
import datetime as dt

from telegram.ext import ApplicationBuilder

from bot.app import build_application
from bot.local_api import LocalBotApi
from bot.runtime import make_runtime
from bot.scheduler import JOB_NAME, Scheduler, install, rate_limiter
from fitness_core.services.reminders import Outcome, Result
from fitness_core.services.reminders.deliveries import LEASE, MAX_ATTEMPTS
from fitness_core.services.reminders.due_set import GRACE
from fitness_core.services.reminders.kinds import SWITCHES
from tests.reminders.conftest import local

TOKEN = "123456:TEST-token"
DAY = dt.date(2026, 11, 25)
EVENING = local("Europe/Berlin", "2026-11-25 20:00")


class Telegram:
    """A LocalBotApi and an Application of the product's own wiring, started for the block."""

    def __init__(self, world, *, rate_limited: bool = False, **server_options) -> None:
        self.world = world
        self.api = LocalBotApi(token=TOKEN, **server_options)
        self.rate_limited = rate_limited

    async def __aenter__(self) -> Telegram:
        await self.api.start()
        if self.rate_limited:  # at the scheduler's rate (the product's app.py may configure its own)
            builder = ApplicationBuilder().token(TOKEN).base_url(self.api.base_url).rate_limiter(rate_limiter())
            self.app = builder.base_file_url(self.api.base_file_url).build()
        else:
            self.app = build_application(
                self.world.runtime,
                token=TOKEN,
                base_url=self.api.base_url,
                base_file_url=self.api.base_file_url,
                rate_limiter=False,
            )
        await self.app.initialize()
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.app.shutdown()
        await self.api.stop()

    def scheduler(self, runtime=None) -> Scheduler:
        return Scheduler(runtime or self.world.runtime, self.app.bot)

    def person(self, zone: str = "Europe/Berlin", **settings) -> int:
        person = self.world.person(zone, **settings)
        self.api.register_user(self.world.chat(person))
        return person

    def texts(self, person: int) -> list[str]:
        return [m.shown_text for m in self.api.bot_messages(self.world.chat(person))]


async def test_a_reminder_reaches_the_person_through_the_bot_api_in_their_units(world):
    async with Telegram(world) as telegram:
        person = telegram.person(unit_system="metric")
        goal = world.goal(person, DAY - dt.timedelta(days=1), title="Squat 100 kg")
        report = await telegram.scheduler().run_once(local("Europe/Berlin", "2026-11-25 08:00"))
        assert report.counts[Result.SENT] == 1, [(r.kind, r.local_date) for r in world.deliveries()]
        [message] = telegram.api.bot_messages(world.chat(person))
        assert "Squat 100 kg" in message.shown_text and "yesterday" in message.shown_text
        assert [b["callback_data"] for b in message.buttons] == [
            f"goal:extend:{goal}",
            f"goal:complete:{goal}",
            f"goal:pause:{goal}",
        ]
        await telegram.scheduler().run_once(EVENING)
        assert "weight 79.8 kg" in telegram.texts(person)[-1]
        [row] = world.deliveries(person)[:1]
        assert row.status == "sent" and row.message_id == message.message_id and row.attempts == 1


async def test_a_restart_does_not_resend_and_the_next_scan_looks_back_over_the_gap(world):
    async with Telegram(world) as telegram:
        early, late = telegram.person(reminder_time=dt.time(20, 0)), telegram.person(reminder_time=dt.time(20, 30))
        first = telegram.scheduler()
        await first.run_once(EVENING)
        # The bot is down from 20:01 to 21:00; a new process (no memory of the last scan) starts.
        restarted = telegram.scheduler()
        report = await restarted.run_once(local("Europe/Berlin", "2026-11-25 21:00"))
        assert report.counts == {Result.SENT: 1}
        assert len(telegram.texts(early)) == 1 and len(telegram.texts(late)) == 1
        await restarted.run_once(local("Europe/Berlin", "2026-11-25 21:01"))
        assert len(telegram.texts(early)) == 1 and len(telegram.texts(late)) == 1


async def test_a_running_scan_looks_only_at_slots_opened_since_the_last_one(world):
    person = world.person("Europe/Berlin")
    minute = dt.timedelta(minutes=1)
    assert (await world.scan(EVENING + 5 * minute, since=EVENING + 4 * minute)).notices == []
    assert (await world.scan(EVENING + minute, since=EVENING)).notices == []  # opened at 20:00, not after
    [notice] = (await world.scan(EVENING, since=EVENING - minute)).notices
    assert notice.user_id == person


async def test_what_fell_due_too_long_ago_is_not_sent(world):
    async with Telegram(world) as telegram:
        person = telegram.person()
        await telegram.scheduler().run_once(EVENING + GRACE)
        assert telegram.texts(person) == []


async def test_two_scanners_on_two_connections_send_each_reminder_once(world, reminders_database):
    async with Telegram(world) as telegram:
        people = [telegram.person(zone) for zone in ("Europe/Berlin", "Europe/Paris", "Europe/Rome") for _ in range(20)]
        for person in people[::3]:
            world.goal(person, DAY + dt.timedelta(days=2))
        other = make_runtime(reminders_database.app, clock=world.clock, pool_size=4)
        try:
            one, two = telegram.scheduler(), telegram.scheduler(other)
            one.batch = two.batch = 7  # many small claims, so the two really interleave
            reports = await asyncio.gather(one.run_once(EVENING), two.run_once(EVENING))
        finally:
            await other.close()
        sent = [m for person in people for m in telegram.api.bot_messages(world.chat(person))]
        assert len(sent) == len(people) == sum(r.counts[Result.SENT] for r in reports)
        assert all(r.counts[Result.SENT] for r in reports)  # both did some of the work
        assert len({(r.user_id, r.kind) for r in world.deliveries()}) == len(world.deliveries()) == len(people)


async def test_a_person_who_blocked_the_bot_has_reminders_switched_off(world):
    async with Telegram(world) as telegram:
        blocked, fine = telegram.person(), telegram.person()
        world.goal(blocked, DAY + dt.timedelta(days=3))
        telegram.api.block_user(world.chat(blocked))
        report = await telegram.scheduler().run_once(local("Europe/Berlin", "2026-11-25 08:00"))
        assert report.counts[Result.BLOCKED] == 1
        settings = world.settings(blocked)
        assert not any(getattr(settings, s) for s in SWITCHES)
        assert all(getattr(world.settings(fine), s) for s in SWITCHES)
        assert [(r.status, r.error) for r in world.deliveries(blocked)] == [
            ("failed", "Forbidden: bot was blocked by the user")
        ]
        assert world.scalar("SELECT count(*) FROM audit_log WHERE user_id = :u", u=blocked) == 1
        await telegram.scheduler().run_once(EVENING)
        assert telegram.texts(blocked) == [] and len(telegram.texts(fine)) == 1
        assert len(world.deliveries(blocked)) == 1


async def test_a_chat_telegram_does_not_know_is_refused_not_retried(world):
    async with Telegram(world) as telegram:
        person = world.person("Europe/Berlin")  # never pressed Start: "chat not found"
        scheduler = telegram.scheduler()
        assert (await scheduler.run_once(EVENING)).counts == {Result.REFUSED: 1}
        assert (await scheduler.run_once(EVENING + dt.timedelta(minutes=5))).total == 0
        assert [r.status for r in world.deliveries(person)] == ["failed"]


async def test_a_transient_failure_is_retried_at_the_next_minute_until_it_goes(world):
    # Without the rate limiter, a server allowing one message a second answers the second with 429.
    async with Telegram(world, rate_limit_per_second=1) as telegram:
        people = [telegram.person(), telegram.person()]
        scheduler = telegram.scheduler()
        assert (await scheduler.run_once(EVENING)).counts == {Result.SENT: 1, Result.RETRY: 1}
        [waiting] = [r for r in world.deliveries() if r.status == "pending"]
        assert "RetryAfter" in waiting.error and waiting.attempts == 1
        await asyncio.sleep(1.05)  # the server's one-second window
        assert (await scheduler.run_once(EVENING + dt.timedelta(seconds=30))).total == 0  # not within a minute
        assert (await scheduler.run_once(EVENING + dt.timedelta(minutes=1))).counts == {Result.SENT: 1}
        assert [len(telegram.texts(p)) for p in people] == [1, 1]
        assert {(r.status, r.attempts) for r in world.deliveries()} == {("sent", 1), ("sent", 2)}


async def test_attempts_are_bounded(world):
    person = world.person("Europe/Berlin")
    now = EVENING
    for _ in range(MAX_ATTEMPTS):
        [notice] = (await world.scan(now)).notices
        await world.record(now, [Outcome(notice.delivery_id, Result.RETRY, error="TimedOut")])
        now += dt.timedelta(minutes=1)
    assert (await world.scan(now)).notices == []
    assert [(r.status, r.attempts) for r in world.deliveries(person)] == [("failed", MAX_ATTEMPTS)]


async def test_a_claim_whose_sender_died_is_taken_again_after_the_lease(world):
    person = world.person("Europe/Berlin")
    assert len((await world.scan(EVENING)).notices) == 1  # claimed, then the process died before sending
    assert (await world.scan(EVENING + LEASE - dt.timedelta(minutes=1))).notices == []
    [again] = (await world.scan(EVENING + LEASE + dt.timedelta(minutes=1))).notices
    assert world.deliveries(person)[0].attempts == 2 and again.kind.value == "checkin"


async def test_an_unsent_claim_expires_after_the_grace_window(world):
    person = world.person("Europe/Berlin")
    [notice] = (await world.scan(EVENING)).notices
    await world.record(EVENING, [Outcome(notice.delivery_id, Result.RETRY, error="NetworkError")])
    await world.scan(EVENING + GRACE)
    assert [r.status for r in world.deliveries(person)] == ["expired"]


async def test_an_overdue_goal_whose_nudge_expired_unsent_comes_again_the_next_morning(world):
    person = world.person("Europe/Berlin")
    goal = world.goal(person, DAY - dt.timedelta(days=1))
    morning = local("Europe/Berlin", "2026-11-25 08:00")
    [notice] = (await world.scan(morning)).notices
    await world.record(morning, [Outcome(notice.delivery_id, Result.RETRY, error="NetworkError")])
    assert (await world.scan(morning + GRACE)).notices == []
    assert [r.status for r in world.deliveries(person)] == ["expired"]
    [again] = await world.send(morning + dt.timedelta(days=1))
    assert again.delivery_id == notice.delivery_id and f"goal:pause:{goal}" in str(again.buttons)
    assert [(r.status, r.attempts, r.due_at) for r in world.deliveries(person)] == [
        ("sent", 1, morning + dt.timedelta(days=1))
    ]


async def test_a_retry_whose_goal_was_deleted_meanwhile_is_dropped_not_sent_stale(world):
    person = world.person("Europe/Berlin")
    goal = world.goal(person, DAY - dt.timedelta(days=1))
    morning = local("Europe/Berlin", "2026-11-25 08:00")
    [notice] = (await world.scan(morning)).notices
    await world.record(morning, [Outcome(notice.delivery_id, Result.RETRY, error="TimedOut")])
    world.execute("DELETE FROM user_goals WHERE id = :g", g=goal)
    assert (await world.scan(morning + dt.timedelta(minutes=1))).notices == []
    assert [(r.status, r.error) for r in world.deliveries(person)] == [("failed", "nothing left to remind about")]


async def test_the_job_queue_runs_the_scan_on_the_bots_clock(world):
    world.clock.now = EVENING
    person = world.person("Europe/Berlin")
    async with LocalBotApi(token=TOKEN) as api:
        api.register_user(world.chat(person))
        app = build_application(world.runtime, token=TOKEN, base_url=api.base_url, base_file_url=api.base_file_url)
        install(app, interval=3600)
        assert [job.name for job in app.job_queue.jobs()] == [JOB_NAME]
        async with api.running(app):
            message = await api.wait_for_bot_message(world.chat(person), after=0, timeout=10)
    assert "Check-in" in message.shown_text


async def test_with_the_rate_limiter_a_burst_stays_under_the_servers_limit(world):
    async with Telegram(world, rate_limited=True, rate_limit_per_second=30) as telegram:
        people = [telegram.person() for _ in range(60)]
        report = await telegram.scheduler().run_once(EVENING)
        assert report.counts == {Result.SENT: 60}
        assert telegram.api.rate_limited_count == 0
        assert all(len(telegram.texts(p)) == 1 for p in people)

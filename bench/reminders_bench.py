"""Reminders at scale: the due set for 100,000 people, and delivery to the local Bot API server.

The script creates a temporary embedded PostgreSQL, migrates it and fills it
with generate_series SQL (seconds, not minutes): people in 24 time zones
(half-hour and 45-minute offsets, both hemispheres' daylight-saving rules),
varied reminder times, quiet hours, switches and caps; a month of logs with
gaps; goals around their target dates; coaches with clients and sessions.

Figures printed:

1. the due set: the scan's SELECT (fitness_core.services.reminders.due) at
   consecutive minutes, each minute's reminders then claimed as a running bot
   would, so each timing is one steady-state minute; median and maximum. Also
   the first scan after a restart, which finds the whole grace window's backlog.
2. delivery throughput: claimed reminders sent through a real PTB Application
   (bot/scheduler.py's sender) to LocalBotApi, with the rate limiter off, then
   with AIORateLimiter(overall_max_rate=25) against a server enforcing 30 per
   second (messages per second, and the 429s the server answered).

    .venv/bin/python bench/reminders_bench.py --people 100000
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402
from telegram.ext import AIORateLimiter, ApplicationBuilder, BaseRateLimiter  # noqa: E402

import fitness_core.models.reminder  # noqa: E402, F401  (maps ReminderDelivery)
from bot import schema  # noqa: E402
from bot.local_api import LocalBotApi  # noqa: E402
from bot.request import AiohttpRequest  # noqa: E402
from bot.runtime import make_runtime  # noqa: E402
from bot.scheduler import CONCURRENT_SENDS, SEND_RATE, Scheduler, rate_limiter  # noqa: E402
from fitness_core.db import start_embedded, sync_engine  # noqa: E402
from fitness_core.services import reminders  # noqa: E402
from fitness_core.services.access import act_as_system  # noqa: E402
from fitness_core.services.reminders import due_set  # noqa: E402
from handlers.common import Runtime  # noqa: E402

TOKEN = "424242:BENCHMARK-token-0123456789abcdefghij"
FIRST_CHAT_ID = 7_000_000_000
START = dt.datetime(2026, 11, 25, 19, 0, tzinfo=dt.UTC)  # a Wednesday: evenings in Europe, mornings in the Americas
ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Moscow",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Adelaide",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/St_Johns",
    "Pacific/Honolulu",
)

# Every statement works on whole sets; `:people` rows, `:today` is START's UTC date.
POPULATE = (
    """INSERT INTO users (id, username, email, password_hash, role, created_at)
       SELECT n, 'bench' || n, 'bench' || n || '@example.com', 'not-a-hash',
              CASE WHEN n % 100 = 0 THEN 'coach'::user_role ELSE 'user'::user_role END,
              CAST(:start AS timestamptz) - (n % 90 + 1) * INTERVAL '1 day'
       FROM generate_series(1, :people) n""",
    "SELECT setval(pg_get_serial_sequence('users', 'id'), :people)",
    """INSERT INTO user_settings (user_id, unit_system, timezone, reminder_time, quiet_hours_start, quiet_hours_end,
                                  remind_checkin, remind_coaching, remind_goals, remind_inactivity, remind_weekly,
                                  weekly_summary_day, weekly_summary_time, max_nudges_per_day)
       SELECT n, CASE WHEN n % 2 = 0 THEN 'metric'::unit_system ELSE 'imperial'::unit_system END,
              (CAST(:zones AS text[]))[n % cardinality(CAST(:zones AS text[])) + 1],
              TIME '06:00' + (n * 7 % 1020) * INTERVAL '1 minute',
              CASE n % 5 WHEN 0 THEN TIME '22:00' WHEN 1 THEN TIME '13:00' END,
              CASE n % 5 WHEN 0 THEN TIME '07:00' WHEN 1 THEN TIME '14:30' END,
              n % 10 <> 1, n % 13 <> 1, n % 11 <> 1, n % 9 <> 1, n % 8 <> 1,
              n % 7, TIME '17:00' + (n % 240) * INTERVAL '1 minute', 1 + n % 5
       FROM generate_series(1, :people) n""",
    """INSERT INTO telegram_links (user_id, telegram_user_id, chat_id)
       SELECT n, :first_chat + n, :first_chat + n FROM generate_series(1, :people) n""",
    # A month of logs; person n logs on a day with a chance that depends on n, so some stop for days.
    """INSERT INTO health_metrics (user_id, recorded_date, weight_lbs)
       SELECT n, CAST(:today AS date) - d, 120 + n % 150 + d * 0.1
       FROM generate_series(1, :people) n, generate_series(0, 29) d
       WHERE (n * 31 + d * 17) % 10 < n % 7""",
    """INSERT INTO workout_sessions (user_id, session_date, session_type)
       SELECT n, CAST(:today AS date) - d, 'strength' FROM generate_series(1, :people) n, generate_series(0, 29) d
       WHERE (n * 13 + d * 7) % 10 < n % 5""",
    """INSERT INTO meal_logs (user_id, meal_date, meal_type, calories, protein_g)
       SELECT n, CAST(:today AS date) - d, 'other', 300 + (n + d) % 700, 20 + (n + d) % 40
       FROM generate_series(1, :people) n, generate_series(0, 29) d, generate_series(1, 2) meal
       WHERE (n * 11 + d * 3 + meal) % 10 < n % 6""",
    """INSERT INTO logged_messages (user_id, chat_id, message_id, text, logged_date, created_at)
       SELECT n, :first_chat + n, d, 'weight 180', CAST(:today AS date) - d,
              CAST(:start AS timestamptz) - d * INTERVAL '1 day' - (n % 600) * INTERVAL '1 minute'
       FROM generate_series(1, :people) n, generate_series(0, 29) d
       WHERE (n * 31 + d * 17) % 10 < n % 7 AND d % 3 = 0""",
    # Goals: 0-2 per person, target dates from 40 days ago to 40 days ahead.
    """INSERT INTO user_goals (user_id, goal_type, title, target_date, progress_percentage, status, start_date)
       SELECT n, 'habit', 'Goal ' || g || ' of ' || n, CAST(:today AS date) + ((n * 7 + g * 13) % 81 - 40),
              (n * 3 + g) % 100, CASE WHEN (n + g) % 6 = 0 THEN 'paused'::goal_status ELSE 'active'::goal_status END,
              CAST(:today AS date) - 90
       FROM generate_series(1, :people) n, generate_series(1, 2) g WHERE (n + g) % 3 <> 0""",
    # Coaches (every 100th person) with the 20 people after them as active clients.
    """INSERT INTO coach_clients (coach_id, client_id, status, started_at)
       SELECT c, c + k, 'active', CAST(:start AS timestamptz) - INTERVAL '60 days'
       FROM generate_series(100, :people - 21, 100) c, generate_series(1, 20) k""",
    # Each client's sessions: two weeks ago and last week; the latest plans the next one within ±5 days.
    """INSERT INTO coaching_sessions (user_id, coach_id, session_date, next_session_date, action_items, completed)
       SELECT cc.client_id, cc.coach_id, CAST(:today AS date) - 7 * w,
              CAST(:today AS date) - 7 * w + 7 + (cc.client_id % 11 - 5),
              ARRAY['Walk 8,000 steps a day', 'Protein at every meal', 'Sleep by 11'],
              (cc.client_id + w) % 3 = 0
       FROM coach_clients cc, generate_series(1, 2) w""",
    "ANALYZE",
)


def populate(admin_url: str, people: int) -> float:
    engine = sync_engine(admin_url)
    started = time.perf_counter()
    values = {
        "people": people,
        "zones": list(ZONES),
        "start": START,
        "today": START.date(),
        "first_chat": FIRST_CHAT_ID,
    }
    with engine.begin() as conn:
        for statement in POPULATE:
            conn.execute(text(statement), values)
    engine.dispose()
    return time.perf_counter() - started


# --------------------------------------------------------------------------- the due set


async def _due_seconds(runtime: Runtime, now: dt.datetime, since: dt.datetime | None) -> tuple[float, int]:
    """Time the due set's SELECT alone (what the scan computes before claiming)."""
    async with runtime.transaction() as session:
        await act_as_system(session)
        started = time.perf_counter()
        rows = (await session.execute(text(due_set.DUE), due_set.parameters(now, 10**9, since))).all()
        return time.perf_counter() - started, len(rows)


async def _claim_seconds(runtime: Runtime, now: dt.datetime, since: dt.datetime | None) -> tuple[float, int]:
    """Time claiming scans (expiry, retries, INSERT ... SELECT, the messages) until nothing is left."""
    started = time.perf_counter()
    claimed = 0
    more = True
    while more:
        async with runtime.transaction() as session:
            batch = await reminders.scan(session, now, since=since, limit=reminders.BATCH)
        claimed += len(batch.notices)
        more, since = batch.more, batch.since
    return time.perf_counter() - started, claimed


async def measure_due_set(runtime: Runtime, minutes: int) -> dict[str, float]:
    """The first scan after a start (the whole grace window), then `minutes` steady minutes."""
    cold, backlog = await _due_seconds(runtime, START, None)
    claim_cold, _ = await _claim_seconds(runtime, START, None)
    steady, claims, counts = [], [], []
    for minute in range(1, minutes + 1):
        now, since = START + dt.timedelta(minutes=minute), START + dt.timedelta(minutes=minute - 1)
        seconds, count = await _due_seconds(runtime, now, since)
        claim, _ = await _claim_seconds(runtime, now, since)
        steady.append(seconds)
        claims.append(claim)
        counts.append(count)
    async with runtime.transaction() as session:  # as if a running bot had sent what was claimed
        await act_as_system(session)
        await session.execute(text("UPDATE reminder_deliveries SET status = 'sent', sent_at = claimed_at"))
    return {
        "restart_seconds": cold,
        "restart_due": backlog,
        "restart_claim_seconds": claim_cold,
        "minute_median": statistics.median(steady),
        "minute_max": max(steady),
        "minute_due_mean": statistics.mean(counts),
        "minute_claim_median": statistics.median(claims),
    }


# --------------------------------------------------------------------------- delivery


class FakeTelegram:
    """LocalBotApi in a child process: Telegram is not in the bot's process, and this way the fake
    server's own work does not eat into the bot's event loop (the machine has two cores)."""

    def __init__(self, people: int, limit: float | None) -> None:
        command = [sys.executable, __file__, "--serve", "--people", str(people)]
        if limit is not None:
            command += ["--server-limit", str(limit)]
        self.child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.base_url = f"http://127.0.0.1:{int(self.child.stdout.readline())}/bot"

    def finish(self) -> dict[str, int]:
        """Stop the server; what it answered."""
        answered, _ = self.child.communicate("done\n", timeout=60)
        return json.loads(answered)


def serve(people: int, limit: float | None) -> None:
    """The child's side: every person may be messaged; print the port, then the counts when told."""

    async def run() -> None:
        async with LocalBotApi(rate_limit_per_second=limit) as api:
            for n in range(1, people + 1):
                api.register_user(FIRST_CHAT_ID + n)
            print(api.port, flush=True)
            await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
            sent = sum(1 for call in api.calls if call.method == "sendMessage" and call.status == 200)
            print(json.dumps({"http_429": api.rate_limited_count, "messages": sent}), flush=True)

    asyncio.run(run())


async def _run_deliveries(
    runtime: Runtime, people: int, limiter: BaseRateLimiter | None, server_limit: float | None, now, since
) -> dict[str, float]:
    """One scheduler run (scan, send, record) to a fresh fake server; rate = messages a second of the whole run."""
    telegram = FakeTelegram(people, server_limit)
    builder = ApplicationBuilder().token(TOKEN).base_url(telegram.base_url).base_file_url(telegram.base_url)
    builder = builder.request(AiohttpRequest(CONCURRENT_SENDS + 8))
    if limiter is not None:
        builder = builder.rate_limiter(limiter)
    application = builder.build()
    async with application:
        scheduler = Scheduler(runtime, application.bot)
        scheduler.since = since
        started = time.perf_counter()
        report = await scheduler.run_once(now)
        seconds = time.perf_counter() - started
    server = telegram.finish()
    sent = report.counts[reminders.Result.SENT]
    assert server["messages"] == sent, (server, report)
    return {
        "sent": sent,
        "other": report.total - sent,
        "seconds": seconds,
        "rate": sent / seconds,
        "http_429": server["http_429"],
    }


async def measure_delivery(runtime: Runtime, people: int, window_minutes: int) -> dict[str, dict[str, float]]:
    """Limiter off: everything of a fresh start's grace window. Limiter on: `window_minutes` of new slots each."""
    day = START + dt.timedelta(days=1)
    window = dt.timedelta(minutes=window_minutes)
    return {
        "off": await _run_deliveries(runtime, people, None, None, day, None),
        "aio_25": await _run_deliveries(
            runtime, people, AIORateLimiter(overall_max_rate=SEND_RATE, max_retries=2), 30, day + window, day
        ),
        "smooth_25": await _run_deliveries(runtime, people, rate_limiter(), 30, day + 2 * window, day + window),
    }


# --------------------------------------------------------------------------- main


async def bench(urls, people: int, minutes: int, window_minutes: int) -> tuple[dict, dict]:
    runtime = make_runtime(urls.app, pool_size=4)
    try:
        due = await measure_due_set(runtime, minutes)
        delivery = await measure_delivery(runtime, people, window_minutes)
    finally:
        await runtime.close()
    return due, delivery


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--minutes", type=int, default=15, help="steady minutes timed for the due set")
    parser.add_argument("--window", type=int, default=10, help="minutes of new slots sent with the rate limiter on")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # the fake server's child process
    parser.add_argument("--server-limit", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.people, args.server_limit)
        return

    with tempfile.TemporaryDirectory(prefix="fitbot-reminders-bench-") as folder:
        urls = start_embedded(Path(folder), database="fitbot_bench")
        schema.upgrade(urls.migrations)
        filled = populate(urls.admin, args.people)
        with sync_engine(urls.admin).connect() as conn:
            rows = {
                table: conn.scalar(text(f"SELECT count(*) FROM {table}"))
                for table in ("health_metrics", "workout_sessions", "meal_logs", "logged_messages", "user_goals")
            }
        due, delivery = asyncio.run(bench(urls, args.people, args.minutes, args.window))

    print(
        f"people: {args.people:,} in {len(ZONES)} time zones; filled in {filled:.1f} s ({', '.join(f'{t} {n:,}' for t, n in rows.items())})"
    )
    print(
        f"due set, one steady minute ({args.minutes} minutes from {START:%Y-%m-%d %H:%M} UTC): "
        f"median {due['minute_median'] * 1000:.0f} ms, max {due['minute_max'] * 1000:.0f} ms, "
        f"{due['minute_due_mean']:.0f} reminders a minute; claiming scan (with messages) median "
        f"{due['minute_claim_median'] * 1000:.0f} ms"
    )
    print(
        f"due set, first scan after a start (whole grace window): {due['restart_seconds'] * 1000:.0f} ms for "
        f"{due['restart_due']:,} reminders; claiming them with their messages {due['restart_claim_seconds']:.2f} s"
    )
    labels = {
        "off": "rate limiter off",
        "aio_25": f"AIORateLimiter(overall_max_rate={SEND_RATE}) vs a server allowing 30/s",
        "smooth_25": f"bot.scheduler.rate_limiter() ({SEND_RATE}/s, no burst) vs a server allowing 30/s",
    }
    for key, label in labels.items():
        run = delivery[key]
        print(
            f"delivery, {label}: {run['sent']:,} sent in {run['seconds']:.1f} s = {run['rate']:,.0f}/s "
            f"(scan, send and record), 429 answers: {run['http_429']}, not sent: {run['other']}"
        )
    print(
        f"command: .venv/bin/python bench/reminders_bench.py --people {args.people} --minutes {args.minutes} --window {args.window}"
    )


if __name__ == "__main__":
    main()

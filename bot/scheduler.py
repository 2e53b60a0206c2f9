"""The reminder sender: a JobQueue job that scans every minute and delivers what it claimed.

The work is fitness_core.services.reminders; this module only moves its
notices through the bot and writes back what happened. One run:

1. scan, in one system transaction committed before anything is sent: due
   reminders are claimed in reminder_deliveries and written out;
2. send each notice through the Application's bot, a few at a time (its
   AIORateLimiter, when it has one, holds them to a rate Telegram accepts and
   waits out a 429's retry_after; see rate_limiter());
3. record, in a second transaction, what happened to each: sent; blocked
   (Forbidden: every reminder switch of that person is turned off, never
   retried); refused (BadRequest: this message can never go); or retry (any
   other error: a later scan tries again, within the grace window, at most
   MAX_ATTEMPTS times).

A full batch means more may be due: the run claims the next batch while it
sends this one, and goes on until a claim comes back short. APScheduler runs at most one instance of the job at a time; a second bot
process runs its own, and the claims keep them from sending anything twice.
The clock is the runtime's, so tests move time with a fake one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import AIORateLimiter, Application, ContextTypes

from fitness_core.services import reminders
from fitness_core.services.reminders import Notice, Outcome, Result
from handlers.common import RUNTIME_KEY, Reply, Runtime

log = logging.getLogger(__name__)

INTERVAL = 60.0  # seconds between scans
# Messages a second across all chats: under Telegram's ~30, so that a burst of reminders never meets a 429.
SEND_RATE = 25
# Sends in flight at once. At 25 a second, 4 cover a 160 ms round trip to Telegram; more only adds
# connection-pool work to an event loop that sending keeps busy (the benchmark is fastest at 2-4).
CONCURRENT_SENDS = 4
JOB_NAME = "reminders"


@dataclass(frozen=True)
class Report:
    """What one run did, for logs and the operators' run-once."""

    counts: Counter[Result]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def __str__(self) -> str:
        if not self.total:
            return "nothing was due"
        return ", ".join(f"{self.counts[result]} {result.value}" for result in Result if self.counts[result])


def rate_limiter() -> AIORateLimiter:
    """The limiter for a bot that sends reminders (the CLI's run-once; the Application may use it too).

    One message per 1/SEND_RATE seconds rather than overall_max_rate=SEND_RATE: the latter is a
    leaky bucket that first lets SEND_RATE through at once and then keeps the rate, so a burst
    puts nearly twice SEND_RATE into its first second, over Telegram's 30, and meets 429s.
    """
    return AIORateLimiter(overall_max_rate=1, overall_time_period=1 / SEND_RATE, max_retries=2)


async def deliver(bot: Bot, notice: Notice) -> Outcome:
    """Send one notice; every Telegram answer becomes an Outcome, nothing is raised."""
    try:
        message = await bot.send_message(
            notice.chat_id,
            notice.text,
            parse_mode=ParseMode.HTML,
            reply_markup=Reply(notice.text, notice.buttons).markup,
        )
    except Forbidden as error:
        return Outcome(notice.delivery_id, Result.BLOCKED, error=error.message)
    except BadRequest as error:
        return Outcome(notice.delivery_id, Result.REFUSED, error=error.message)
    except TelegramError as error:  # network trouble, timeouts, a 429 the limiter gave up on
        return Outcome(notice.delivery_id, Result.RETRY, error=f"{type(error).__name__}: {error.message}")
    return Outcome(notice.delivery_id, Result.SENT, message_id=message.message_id)


class Scheduler:
    """Scans and sends; remembers the last scan's instant so the next one looks at one minute of slots."""

    def __init__(
        self, runtime: Runtime, bot: Bot, *, batch: int = reminders.BATCH, concurrency: int = CONCURRENT_SENDS
    ) -> None:
        self.runtime = runtime
        self.bot = bot
        self.batch = batch
        self._slots = asyncio.Semaphore(concurrency)
        self.since: dt.datetime | None = None  # None after a start: look back the whole grace window

    async def _deliver(self, notice: Notice) -> Outcome:
        async with self._slots:
            return await deliver(self.bot, notice)

    async def _scan(self, now: dt.datetime, since: dt.datetime | None) -> reminders.Batch:
        async with self.runtime.transaction() as session:
            return await reminders.scan(session, now, since=since, limit=self.batch)

    async def _record(self, outcomes: list[Outcome]) -> None:
        async with self.runtime.transaction() as session:
            await reminders.record(session, self.runtime.clock(), outcomes)

    async def run_once(self, now: dt.datetime | None = None) -> Report:
        """One scan at `now` (default: the runtime's clock), sending batch after batch until nothing is left.

        While a batch is being sent the next one is claimed and the one before recorded: PostgreSQL
        does that work in its own process meanwhile, so a backlog goes out as fast as it can be sent.
        """
        now = now or self.runtime.clock()
        counts: Counter[Result] = Counter()
        async with asyncio.TaskGroup() as tasks:
            batch = await self._scan(now, self.since)
            recording: asyncio.Task | None = None
            while True:
                following = tasks.create_task(self._scan(now, batch.since)) if batch.more else None
                outcomes = await asyncio.gather(*(self._deliver(notice) for notice in batch.notices))
                counts.update(outcome.result for outcome in outcomes)
                if recording is not None:
                    await recording  # one record at a time, in order
                recording = tasks.create_task(self._record(outcomes))
                if following is None:
                    break
                batch = await following
        self.since = now
        return Report(counts)

    async def job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            report = await self.run_once()
        except Exception:  # a database hiccup must not stop the next minute's scan
            log.exception("reminder scan failed; the next run looks back over the missed minutes")
            return
        if report.total:
            log.info("reminders: %s", report)


def install(application: Application, *, interval: float = INTERVAL, first: float = 0) -> Scheduler:
    """Scan every `interval` seconds on the Application's JobQueue, the first `first` seconds from now.

    A start time already past when the JobQueue starts (the Application took a while) runs at
    once: APScheduler would otherwise skip it and wait a whole interval.
    """
    if application.job_queue is None:
        raise RuntimeError("the Application has no JobQueue: install python-telegram-bot[job-queue]")
    scheduler = Scheduler(application.bot_data[RUNTIME_KEY], application.bot)
    timing = {
        "next_run_time": dt.datetime.now(dt.UTC) + dt.timedelta(seconds=first),  # APScheduler's own (real) time
        "misfire_grace_time": None,  # a run made late by a busy event loop still runs...
        "coalesce": True,  # ...once
        "max_instances": 1,
    }
    application.job_queue.run_repeating(scheduler.job, interval=interval, name=JOB_NAME, job_kwargs=timing)
    return scheduler

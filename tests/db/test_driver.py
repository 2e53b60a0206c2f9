"""Statements on the session's asyncpg connection: inside the session's transaction, typed values both ways."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, func, literal, select, text

from fitness_core.db import async_engine, async_session_factory
from fitness_core.driver import DriverStatement, NoTransaction
from fitness_core.models import GoalStatus, UserGoal

STATUS = UserGoal.__table__.c.status.type
STATUSES = DriverStatement(
    select(literal(GoalStatus.ACTIVE, STATUS).label("constant"), bindparam("given", type_=STATUS).label("given"))
)
SETTING = DriverStatement(select(func.current_setting("app.check", True).label("value")))


@pytest.fixture
async def sessions(database):
    engine = async_engine(database.admin)
    yield async_session_factory(engine)
    await engine.dispose()


async def test_a_driver_statement_refuses_to_run_before_the_transaction_has_begun(sessions):
    async with sessions() as session, session.begin():
        with pytest.raises(NoTransaction):
            await SETTING.scalar(session)


async def test_it_runs_in_the_sessions_transaction_with_the_column_types_conversions(sessions):
    async with sessions() as session, session.begin():
        await session.execute(text("SELECT set_config('app.check', 'inside', true)"))
        assert await SETTING.scalar(session) == "inside"  # SET LOCAL: only within this transaction
        row = await STATUSES.one_or_none(session, given=GoalStatus.PAUSED)
        assert row == {"constant": GoalStatus.ACTIVE, "given": GoalStatus.PAUSED}
    async with sessions() as session, session.begin():
        await session.execute(text("SELECT 1"))
        assert await SETTING.scalar(session) in ("", None)

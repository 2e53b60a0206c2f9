"""Training: the day's session, the exercises in it, and the shared exercise catalogue."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ColumnElement, Date, ForeignKey, Index, Integer, SmallInteger, String, Text, case, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fitness_core.models.base import Base, CreatedAt, Timestamps, measure, pg_enum, range_checks

if TYPE_CHECKING:
    from fitness_core.models.user import User


class SessionType(enum.StrEnum):
    STRENGTH = "strength"
    CARDIO = "cardio"
    FLEXIBILITY = "flexibility"
    MARTIAL_ARTS = "martial_arts"
    SPORTS = "sports"
    RECOVERY = "recovery"
    MIXED = "mixed"


class ExerciseCategory(enum.StrEnum):
    COMPOUND = "compound"
    ISOLATION = "isolation"
    CARDIO = "cardio"
    FLEXIBILITY = "flexibility"
    CORE = "core"
    PLYOMETRIC = "plyometric"
    MARTIAL_ARTS = "martial_arts"


class DifficultyLevel(enum.StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"
    EXPERT = "expert"


class WorkoutSession(Timestamps, Base):
    __tablename__ = "workout_sessions"
    __dict_properties__ = ("total_exercises", "total_sets", "average_rpe")
    __table_args__ = (
        Index("ix_workout_sessions_user_id_session_date", "user_id", "session_date"),
        *range_checks("workout_sessions"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    session_date: Mapped[dt.date] = mapped_column(Date, index=True)
    session_type: Mapped[SessionType] = mapped_column(
        pg_enum(SessionType, "session_type"), default=SessionType.STRENGTH, index=True
    )
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    program_phase: Mapped[str | None] = mapped_column(String(100))
    week_number: Mapped[int | None] = mapped_column(SmallInteger)
    day_number: Mapped[int | None] = mapped_column(SmallInteger)
    intensity: Mapped[int | None] = mapped_column(SmallInteger)
    fatigue: Mapped[int | None] = mapped_column(SmallInteger)
    soreness: Mapped[int | None] = mapped_column(SmallInteger)
    notes: Mapped[str | None] = mapped_column(Text)
    coach_notes: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(back_populates="workout_sessions")
    exercises: Mapped[list[ExerciseLog]] = relationship(
        back_populates="workout_session",
        order_by="ExerciseLog.order_index",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def total_exercises(self) -> int:
        return len(self.exercises)

    @property
    def total_sets(self) -> int:
        return sum(e.sets or 0 for e in self.exercises)

    @property
    def average_rpe(self) -> float | None:
        rated = [e.rpe for e in self.exercises if e.rpe is not None]
        return round(sum(rated) / len(rated), 2) if rated else None


class ExerciseLog(CreatedAt, Base):
    __tablename__ = "exercise_logs"
    __dict_properties__ = ("total_volume", "pace_per_mile", "estimated_one_rep_max")
    __table_args__ = (
        Index("ix_exercise_logs_workout_session_id_order_index", "workout_session_id", "order_index"),
        *range_checks("exercise_logs"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workout_session_id: Mapped[int] = mapped_column(ForeignKey("workout_sessions.id", ondelete="CASCADE"))
    exercise_definition_id: Mapped[int | None] = mapped_column(
        ForeignKey("exercise_definitions.id", ondelete="SET NULL"), index=True
    )
    exercise_name: Mapped[str] = mapped_column(String(150))
    sets: Mapped[int | None] = mapped_column(SmallInteger)
    reps: Mapped[int | None] = mapped_column(SmallInteger)
    weight_lbs: Mapped[float | None] = mapped_column(measure(6, 1))
    rest_seconds: Mapped[int | None] = mapped_column(Integer)
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    distance_miles: Mapped[float | None] = mapped_column(measure(7, 3))
    form_quality: Mapped[int | None] = mapped_column(SmallInteger)
    rpe: Mapped[float | None] = mapped_column(measure(3, 1))  # half points (RPE 8.5) are common
    order_index: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    notes: Mapped[str | None] = mapped_column(Text)

    workout_session: Mapped[WorkoutSession] = relationship(back_populates="exercises")
    definition: Mapped[ExerciseDefinition | None] = relationship()

    @property
    def total_volume(self) -> float | None:
        if self.sets is None or self.reps is None or self.weight_lbs is None:
            return None
        return round(self.sets * self.reps * self.weight_lbs, 1)

    @hybrid_property
    def estimated_one_rep_max(self) -> float | None:
        """Epley: weight x (1 + reps / 30); a single is the weight itself. Usable in SQL too."""
        if self.weight_lbs is None or not self.reps:
            return None
        return self.weight_lbs if self.reps == 1 else round(self.weight_lbs * (1 + self.reps / 30), 1)

    @estimated_one_rep_max.inplace.expression
    @classmethod
    def _estimated_one_rep_max_sql(cls) -> ColumnElement[float]:
        return case((cls.reps == 1, cls.weight_lbs), else_=cls.weight_lbs * (1 + cls.reps / 30.0))

    @property
    def pace_per_mile(self) -> float | None:
        """Minutes per mile."""
        if not self.duration_seconds or not self.distance_miles:
            return None
        return round(self.duration_seconds / 60 / self.distance_miles, 2)


class ExerciseDefinition(Timestamps, Base):
    __tablename__ = "exercise_definitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(150), unique=True)
    category: Mapped[ExerciseCategory] = mapped_column(pg_enum(ExerciseCategory, "exercise_category"), index=True)
    muscle_groups: Mapped[list[str]] = mapped_column(ARRAY(String(50)), default=list, server_default="{}")
    equipment_needed: Mapped[list[str]] = mapped_column(ARRAY(String(50)), default=list, server_default="{}")
    difficulty_level: Mapped[DifficultyLevel | None] = mapped_column(pg_enum(DifficultyLevel, "difficulty_level"))
    description: Mapped[str | None] = mapped_column(Text)
    instructions: Mapped[str | None] = mapped_column(Text)
    tips: Mapped[str | None] = mapped_column(Text)
    video_url: Mapped[str | None] = mapped_column(String(500))
    image_url: Mapped[str | None] = mapped_column(String(500))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"), index=True)
    # Short names people type ("bench", "ohp", "dl"), read by the chat parser's resolver.
    aliases: Mapped[list[str]] = mapped_column(ARRAY(String(60)), default=list, server_default="{}")

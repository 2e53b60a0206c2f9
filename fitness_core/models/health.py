"""Body measurements, vital signs and wellness: one row per person per day."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, SmallInteger, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fitness_core.models.base import Base, Timestamps, measure, range_checks

if TYPE_CHECKING:
    from fitness_core.models.user import User


class HealthMetric(Timestamps, Base):
    __tablename__ = "health_metrics"
    __dict_properties__ = ("lean_body_mass_lbs", "fat_mass_lbs", "blood_pressure_formatted")
    __table_args__ = (
        UniqueConstraint("user_id", "recorded_date"),
        CheckConstraint(
            "(blood_pressure_systolic IS NULL) = (blood_pressure_diastolic IS NULL)",
            name="blood_pressure_both_or_neither",
        ),
        CheckConstraint("blood_pressure_systolic > blood_pressure_diastolic", name="blood_pressure_order"),
        *range_checks("health_metrics"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    recorded_date: Mapped[dt.date] = mapped_column(Date, index=True)

    weight_lbs: Mapped[float | None] = mapped_column(measure())
    body_fat_percentage: Mapped[float | None] = mapped_column(measure(5, 2))
    muscle_mass_lbs: Mapped[float | None] = mapped_column(measure())
    bmi: Mapped[float | None] = mapped_column(measure(5, 2))

    waist_inches: Mapped[float | None] = mapped_column(measure(5, 2))
    chest_inches: Mapped[float | None] = mapped_column(measure(5, 2))
    hips_inches: Mapped[float | None] = mapped_column(measure(5, 2))
    neck_inches: Mapped[float | None] = mapped_column(measure(5, 2))
    left_arm_inches: Mapped[float | None] = mapped_column(measure(5, 2))
    right_arm_inches: Mapped[float | None] = mapped_column(measure(5, 2))
    left_thigh_inches: Mapped[float | None] = mapped_column(measure(5, 2))
    right_thigh_inches: Mapped[float | None] = mapped_column(measure(5, 2))
    left_calf_inches: Mapped[float | None] = mapped_column(measure(5, 2))
    right_calf_inches: Mapped[float | None] = mapped_column(measure(5, 2))

    resting_heart_rate: Mapped[int | None] = mapped_column(SmallInteger)
    blood_pressure_systolic: Mapped[int | None] = mapped_column(SmallInteger)
    blood_pressure_diastolic: Mapped[int | None] = mapped_column(SmallInteger)

    energy_level: Mapped[int | None] = mapped_column(SmallInteger)
    mood: Mapped[int | None] = mapped_column(SmallInteger)
    sleep_quality: Mapped[int | None] = mapped_column(SmallInteger)
    stress_level: Mapped[int | None] = mapped_column(SmallInteger)

    notes: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(back_populates="health_metrics")

    @property
    def fat_mass_lbs(self) -> float | None:
        if self.weight_lbs is None or self.body_fat_percentage is None:
            return None
        return round(self.weight_lbs * self.body_fat_percentage / 100, 2)

    @property
    def lean_body_mass_lbs(self) -> float | None:
        fat = self.fat_mass_lbs
        return None if fat is None else round(self.weight_lbs - fat, 2)

    @property
    def blood_pressure_formatted(self) -> str | None:
        if self.blood_pressure_systolic is None or self.blood_pressure_diastolic is None:
            return None
        return f"{self.blood_pressure_systolic}/{self.blood_pressure_diastolic}"

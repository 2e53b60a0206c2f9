"""Meals and drinks, one row per thing eaten or drunk."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, SmallInteger, String, Text, Time, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fitness_core.models.base import Base, Timestamps, measure, pg_enum, range_checks

if TYPE_CHECKING:
    from fitness_core.models.user import User

KCAL_PER_G_PROTEIN = 4
KCAL_PER_G_CARBS = 4
KCAL_PER_G_FAT = 9


class MealType(enum.StrEnum):
    BREAKFAST = "breakfast"
    LUNCH = "lunch"
    DINNER = "dinner"
    SNACK = "snack"
    PRE_WORKOUT = "pre_workout"
    POST_WORKOUT = "post_workout"
    OTHER = "other"


class Adherence(enum.StrEnum):
    ON_PLAN = "on_plan"
    MOSTLY_ON_PLAN = "mostly_on_plan"
    OFF_PLAN = "off_plan"


class MealLog(Timestamps, Base):
    __tablename__ = "meal_logs"
    __dict_properties__ = (
        "calories_from_protein",
        "calories_from_carbs",
        "calories_from_fat",
        "calculated_total_calories",
        "protein_percentage",
        "carbs_percentage",
        "fat_percentage",
        "macronutrient_ratio",
    )
    __table_args__ = (
        Index("ix_meal_logs_user_id_meal_date", "user_id", "meal_date"),
        *range_checks("meal_logs"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    meal_date: Mapped[dt.date] = mapped_column(Date, index=True)
    meal_time: Mapped[dt.time | None] = mapped_column(Time)
    meal_type: Mapped[MealType] = mapped_column(pg_enum(MealType, "meal_type"), default=MealType.OTHER, index=True)

    calories: Mapped[int | None] = mapped_column(Integer)
    protein_g: Mapped[float | None] = mapped_column(measure(6, 1))
    carbs_g: Mapped[float | None] = mapped_column(measure(6, 1))
    fat_g: Mapped[float | None] = mapped_column(measure(6, 1))
    fiber_g: Mapped[float | None] = mapped_column(measure(6, 1))
    sugar_g: Mapped[float | None] = mapped_column(measure(6, 1))
    sodium_mg: Mapped[float | None] = mapped_column(measure(8, 1))
    water_oz: Mapped[float | None] = mapped_column(measure(6, 1))

    description: Mapped[str | None] = mapped_column(Text)
    # Itemised foods when known, e.g. [{"name": "egg", "grams": 50, "calories": 72}].
    foods: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
    recipe_name: Mapped[str | None] = mapped_column(String(200))

    adherence_to_plan: Mapped[Adherence | None] = mapped_column(pg_enum(Adherence, "meal_adherence"))
    planned_meal: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    satisfaction: Mapped[int | None] = mapped_column(SmallInteger)
    hunger_before: Mapped[int | None] = mapped_column(SmallInteger)
    hunger_after: Mapped[int | None] = mapped_column(SmallInteger)
    notes: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(back_populates="meal_logs")

    @property
    def calories_from_protein(self) -> float | None:
        return None if self.protein_g is None else round(self.protein_g * KCAL_PER_G_PROTEIN, 1)

    @property
    def calories_from_carbs(self) -> float | None:
        return None if self.carbs_g is None else round(self.carbs_g * KCAL_PER_G_CARBS, 1)

    @property
    def calories_from_fat(self) -> float | None:
        return None if self.fat_g is None else round(self.fat_g * KCAL_PER_G_FAT, 1)

    @property
    def calculated_total_calories(self) -> float | None:
        parts = [self.calories_from_protein, self.calories_from_carbs, self.calories_from_fat]
        known = [p for p in parts if p is not None]
        return round(sum(known), 1) if known else None

    def _share(self, macro_calories: float | None) -> float | None:
        total = self.calculated_total_calories
        if not total or macro_calories is None:
            return None
        return round(macro_calories / total * 100, 1)

    @property
    def protein_percentage(self) -> float | None:
        return self._share(self.calories_from_protein)

    @property
    def carbs_percentage(self) -> float | None:
        return self._share(self.calories_from_carbs)

    @property
    def fat_percentage(self) -> float | None:
        return self._share(self.calories_from_fat)

    @property
    def macronutrient_ratio(self) -> str | None:
        """Protein/carbs/fat shares of the macro calories, e.g. "40/30/30"."""
        shares = (self.protein_percentage, self.carbs_percentage, self.fat_percentage)
        if all(s is None for s in shares):
            return None
        return "/".join(str(round(s or 0)) for s in shares)

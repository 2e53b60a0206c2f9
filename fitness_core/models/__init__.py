"""Every model, imported here so the metadata is complete wherever models are used."""

from fitness_core.models.audit import AuditLog
from fitness_core.models.base import Base
from fitness_core.models.coaching import (
    CoachClient,
    CoachingSession,
    CoachInvite,
    GoalStatus,
    GoalType,
    LinkStatus,
    PhotoType,
    ProgressPhoto,
    UserGoal,
)
from fitness_core.models.health import HealthMetric
from fitness_core.models.journal import LoggedMessage, PendingMessage
from fitness_core.models.nutrition import Adherence, MealLog, MealType
from fitness_core.models.reminder import DeliveryStatus, ReminderDelivery, ReminderKind
from fitness_core.models.session import TelegramLink, UserSession
from fitness_core.models.user import PasswordPolicyError, User, UserRole, UserSettings
from fitness_core.models.workout import (
    DifficultyLevel,
    ExerciseCategory,
    ExerciseDefinition,
    ExerciseLog,
    SessionType,
    WorkoutSession,
)

__all__ = [
    "Adherence",
    "AuditLog",
    "Base",
    "CoachClient",
    "CoachInvite",
    "CoachingSession",
    "DeliveryStatus",
    "DifficultyLevel",
    "ExerciseCategory",
    "ExerciseDefinition",
    "ExerciseLog",
    "GoalStatus",
    "GoalType",
    "HealthMetric",
    "LinkStatus",
    "LoggedMessage",
    "MealLog",
    "MealType",
    "PasswordPolicyError",
    "PendingMessage",
    "PhotoType",
    "ProgressPhoto",
    "ReminderDelivery",
    "ReminderKind",
    "SessionType",
    "TelegramLink",
    "User",
    "UserGoal",
    "UserRole",
    "UserSession",
    "UserSettings",
    "WorkoutSession",
]

"""The audit trail the seed document's security section asks for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from fitness_core.models.base import Base


class AuditLog(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_table_name_row_id", "table_name", "row_id"),
        Index("ix_audit_log_user_id_created_at", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    # Who acted; NULL for system work (scheduled scans, operators).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(50), index=True)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSONB)

    @classmethod
    def entry(cls, user_id: int | None, action: str, table_name: str, row_id: Any, **details: Any) -> AuditLog:
        """One audit row: who did what to which row, and anything worth keeping about it."""
        return cls(user_id=user_id, action=action, table_name=table_name, row_id=str(row_id), details=details or None)

    @classmethod
    def about(cls, user_id: int | None, action: str, row: Any, **details: Any) -> AuditLog:
        """An audit row for a mapped row with an `id`."""
        return cls.entry(user_id, action, row.__tablename__, row.id, **details)

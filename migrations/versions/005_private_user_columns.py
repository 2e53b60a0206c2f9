"""The application role cannot read users' email, password hash or lockout state.

Row-level security lets a linked coach and client read each other's users row
(for names); policies choose rows, not columns, so the sensitive columns are
taken away from the application role altogether. Sign-in, registration, the
operator CLI and a person's own /me read them as the system role.

Revision ID: 005
Revises: 004
Create Date: 2026-11-25 10:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "005"
down_revision: str | None = "004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "fitbot_app"
READABLE = (
    "id, username, role, is_active, full_name, profile_photo_url, bio, "
    "created_at, updated_at, last_login"
)


def _for_app_role(statements: str) -> None:
    """Only where the application role exists (a single-role setup owns the table and keeps everything)."""
    op.execute(
        f"DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN {statements} END IF; END $$"
    )


def upgrade() -> None:
    _for_app_role(f"REVOKE SELECT ON users FROM {APP_ROLE}; GRANT SELECT ({READABLE}) ON users TO {APP_ROLE};")


def downgrade() -> None:
    _for_app_role(f"REVOKE SELECT ({READABLE}) ON users FROM {APP_ROLE}; GRANT SELECT ON users TO {APP_ROLE};")

"""audience: viewing log, consultations, monthly usage, COUNTER API keys

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 11:31:27.093962
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "counter_api_key",
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("institution_id"),
        sa.UniqueConstraint("customer_id"),
    )
    op.create_table(
        "consultation",
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("viewer", sa.String(length=80), nullable=False),
        sa.Column("on_site", sa.Boolean(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_seconds", sa.Float(), nullable=True),
        sa.Column("watched_seconds", sa.Float(), nullable=False),
        sa.Column("last_event_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column("counted_watch_seconds", sa.Float(), nullable=False),
        sa.Column("completion", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["film_id"],
            ["film.id"],
        ),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("session_id"),
    )
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consultation_film_id"), ["film_id"], unique=False)
        batch_op.create_index("ix_consultation_group", ["institution_id", "viewer", "film_id", "day"], unique=False)
        batch_op.create_index("ix_consultation_month", ["month", "institution_id"], unique=False)

    op.create_table(
        "monthly_usage",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("total_item_investigations", sa.Integer(), nullable=False),
        sa.Column("total_item_requests", sa.Integer(), nullable=False),
        sa.Column("unique_item_investigations", sa.Integer(), nullable=False),
        sa.Column("unique_item_requests", sa.Integer(), nullable=False),
        sa.Column("watched_seconds", sa.BigInteger(), nullable=False),
        sa.Column("completion_permille", sa.BigInteger(), nullable=False),
        sa.Column("no_license", sa.Integer(), nullable=False),
        sa.Column("limit_exceeded", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["film_id"],
            ["film.id"],
        ),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("month", "institution_id", "film_id"),
    )
    op.create_table(
        "viewing_event",
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("position_seconds", sa.Float(), nullable=False),
        sa.Column("watched_seconds", sa.Float(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("patron", sa.String(length=64), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["film_id"], ["film.id"]),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("session_id", "seq", "occurred_at"),
        postgresql_partition_by="RANGE (occurred_at)",
    )
    with op.batch_alter_table("viewing_event", schema=None) as batch_op:
        batch_op.create_index("ix_viewing_event_occurred_at", ["occurred_at"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # Monthly partitions are added ahead by `cinedoc audience purge` (audience/partitions.py); until then, and
        # for anything outside them, rows land here.
        op.execute("CREATE TABLE viewing_event_default PARTITION OF viewing_event DEFAULT")


def downgrade() -> None:
    with op.batch_alter_table("viewing_event", schema=None) as batch_op:
        batch_op.drop_index("ix_viewing_event_occurred_at")

    op.drop_table("viewing_event")
    op.drop_table("monthly_usage")
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.drop_index("ix_consultation_month")
        batch_op.drop_index("ix_consultation_group")
        batch_op.drop_index(batch_op.f("ix_consultation_film_id"))

    op.drop_table("consultation")
    op.drop_table("counter_api_key")

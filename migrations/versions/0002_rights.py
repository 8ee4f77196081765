"""rights: budget lines, licences and their grants; film weeding records

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 10:37:20.563324
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "budget_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("collection", sa.String(length=60), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("allocated_cents", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_reason", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "collection"),
    )
    with op.batch_alter_table("budget_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_line_year"), ["year"], unique=False)

    op.create_table(
        "film_weeding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("cause", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("weeding_date", sa.Date(), nullable=False),
        sa.Column("notice_date", sa.Date(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("weeded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_reason", sa.String(length=500), nullable=True),
        sa.Column("reinstated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["staff_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["film_id"],
            ["film.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("film_weeding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_film_weeding_film_id"), ["film_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_film_weeding_notice_date"), ["notice_date"], unique=False)
        batch_op.create_index("ix_film_weeding_status_date", ["status", "weeding_date"], unique=False)

    op.create_table(
        "licence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("licensor", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("price_cents", sa.BigInteger(), nullable=False),
        sa.Column("budget_line_id", sa.Integer(), nullable=True),
        sa.Column("renews_licence_id", sa.Integer(), nullable=True),
        sa.Column("contract_reference", sa.String(length=100), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("committed_by_id", sa.Integer(), nullable=True),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("signed_by_id", sa.Integer(), nullable=True),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("terminated_by_id", sa.Integer(), nullable=True),
        sa.Column("termination_reason", sa.String(length=500), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["budget_line_id"],
            ["budget_line.id"],
        ),
        sa.ForeignKeyConstraint(
            ["committed_by_id"],
            ["staff_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["film_id"],
            ["film.id"],
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["staff_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["renews_licence_id"],
            ["licence.id"],
        ),
        sa.ForeignKeyConstraint(
            ["signed_by_id"],
            ["staff_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["terminated_by_id"],
            ["staff_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("licence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_licence_budget_line_id"), ["budget_line_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_licence_film_id"), ["film_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_licence_renews_licence_id"), ["renews_licence_id"], unique=False)
        batch_op.create_index("ix_licence_status_end_date", ["status", "end_date"], unique=False)
        batch_op.create_index("ix_licence_status_start_date", ["status", "start_date"], unique=False)

    op.create_table(
        "licence_grant",
        sa.Column("licence_id", sa.Integer(), nullable=False),
        sa.Column("use", sa.String(length=20), nullable=False),
        sa.Column("territory", sa.String(length=2), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["film_id"],
            ["film.id"],
        ),
        sa.ForeignKeyConstraint(["licence_id"], ["licence.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("licence_id", "use", "territory"),
    )
    with op.batch_alter_table("licence_grant", schema=None) as batch_op:
        batch_op.create_index("ix_licence_grant_access", ["film_id", "use", "territory", "licence_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("licence_grant", schema=None) as batch_op:
        batch_op.drop_index("ix_licence_grant_access")

    op.drop_table("licence_grant")
    with op.batch_alter_table("licence", schema=None) as batch_op:
        batch_op.drop_index("ix_licence_status_start_date")
        batch_op.drop_index("ix_licence_status_end_date")
        batch_op.drop_index(batch_op.f("ix_licence_renews_licence_id"))
        batch_op.drop_index(batch_op.f("ix_licence_film_id"))
        batch_op.drop_index(batch_op.f("ix_licence_budget_line_id"))

    op.drop_table("licence")
    with op.batch_alter_table("film_weeding", schema=None) as batch_op:
        batch_op.drop_index("ix_film_weeding_status_date")
        batch_op.drop_index(batch_op.f("ix_film_weeding_notice_date"))
        batch_op.drop_index(batch_op.f("ix_film_weeding_film_id"))

    op.drop_table("film_weeding")
    with op.batch_alter_table("budget_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_line_year"))

    op.drop_table("budget_line")

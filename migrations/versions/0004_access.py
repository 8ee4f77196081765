"""access: subscriptions, embedding origins, IP ranges, contacts, assertion and playback keys, nonces,
playback sessions, monthly plays and opening windows; institutions get ISIL, monthly limits and a CAS server

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 10:58:08.154281
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "opening_window",
        sa.Column("subject", sa.String(length=120), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("subject", "window_start"),
    )
    op.create_table(
        "playback_key",
        sa.Column("kid", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("kid"),
    )
    op.create_table(
        "assertion_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("kid", sa.String(length=40), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kid"),
    )
    with op.batch_alter_table("assertion_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assertion_key_institution_id"), ["institution_id"], unique=False)

    op.create_table(
        "assertion_nonce",
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(length=128), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("institution_id", "nonce"),
    )
    with op.batch_alter_table("assertion_nonce", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assertion_nonce_expires_at"), ["expires_at"], unique=False)

    op.create_table(
        "embed_origin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("institution_id", "origin"),
    )
    with op.batch_alter_table("embed_origin", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_embed_origin_institution_id"), ["institution_id"], unique=False)

    op.create_table(
        "institution_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("institution_contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_institution_contact_institution_id"), ["institution_id"], unique=False)

    op.create_table(
        "ip_range",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("cidr", sa.String(length=50), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("institution_id", "cidr"),
    )
    with op.batch_alter_table("ip_range", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ip_range_institution_id"), ["institution_id"], unique=False)

    op.create_table(
        "subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subscription_institution_id"), ["institution_id"], unique=False)

    op.create_table(
        "monthly_play",
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("viewer", sa.String(length=80), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["film_id"], ["film.id"]),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("institution_id", "month", "viewer", "film_id"),
    )
    op.create_table(
        "playback_session",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("storage_prefix", sa.String(length=300), nullable=False),
        sa.Column("patron", sa.String(length=64), nullable=True),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("kid", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["asset_id"], ["media_asset.id"]),
        sa.ForeignKeyConstraint(["film_id"], ["film.id"]),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("playback_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_playback_session_film_id"), ["film_id"], unique=False)
        batch_op.create_index("ix_playback_session_institution_created", ["institution_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_playback_session_patron"), ["patron"], unique=False)

    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.add_column(sa.Column("isil", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("patron_monthly_limit", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("monthly_ceiling", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("cas_server_url", sa.String(length=500), nullable=True))
        batch_op.create_index(batch_op.f("ix_institution_isil"), ["isil"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_institution_isil"))
        batch_op.drop_column("cas_server_url")
        batch_op.drop_column("monthly_ceiling")
        batch_op.drop_column("patron_monthly_limit")
        batch_op.drop_column("isil")

    with op.batch_alter_table("playback_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_playback_session_patron"))
        batch_op.drop_index("ix_playback_session_institution_created")
        batch_op.drop_index(batch_op.f("ix_playback_session_film_id"))

    op.drop_table("playback_session")
    op.drop_table("monthly_play")
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscription_institution_id"))

    op.drop_table("subscription")
    with op.batch_alter_table("ip_range", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ip_range_institution_id"))

    op.drop_table("ip_range")
    with op.batch_alter_table("institution_contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_institution_contact_institution_id"))

    op.drop_table("institution_contact")
    with op.batch_alter_table("embed_origin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_embed_origin_institution_id"))

    op.drop_table("embed_origin")
    with op.batch_alter_table("assertion_nonce", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assertion_nonce_expires_at"))

    op.drop_table("assertion_nonce")
    with op.batch_alter_table("assertion_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assertion_key_institution_id"))

    op.drop_table("assertion_key")
    op.drop_table("playback_key")
    op.drop_table("opening_window")

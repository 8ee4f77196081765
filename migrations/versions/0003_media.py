"""media: packaged versions of a film, the pointer to the published one, packaging jobs

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 10:40:53.826614
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "media_asset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("storage_prefix", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("duration_seconds", sa.Float(), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("frame_rate", sa.Float(), nullable=True),
        sa.Column("video_codec", sa.String(length=40), nullable=True),
        sa.Column("audio_codec", sa.String(length=40), nullable=True),
        sa.Column("renditions", sa.Text(), nullable=False),
        sa.Column("has_captions", sa.Boolean(), nullable=False),
        sa.Column("has_audio_description", sa.Boolean(), nullable=False),
        sa.Column("subtitle_languages", sa.String(length=200), nullable=False),
        sa.Column("total_bytes", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["film_id"],
            ["film.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("film_id", "version"),
        sa.UniqueConstraint("storage_prefix"),
    )
    with op.batch_alter_table("media_asset", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_media_asset_film_id"), ["film_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_media_asset_status"), ["status"], unique=False)

    op.create_table(
        "film_media",
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("previous_asset_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["media_asset.id"],
        ),
        sa.ForeignKeyConstraint(
            ["film_id"],
            ["film.id"],
        ),
        sa.ForeignKeyConstraint(
            ["previous_asset_id"],
            ["media_asset.id"],
        ),
        sa.PrimaryKeyConstraint("film_id"),
    )
    op.create_table(
        "packaging_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("master_path", sa.String(length=1000), nullable=False),
        sa.Column("captions_path", sa.String(length=1000), nullable=True),
        sa.Column("audio_description_path", sa.String(length=1000), nullable=True),
        sa.Column("subtitles", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_params", sa.Text(), nullable=False),
        sa.Column("warnings", sa.Text(), nullable=False),
        sa.Column("log", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("timeout_seconds", sa.Integer(), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("runner", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["media_asset.id"],
        ),
        sa.ForeignKeyConstraint(
            ["film_id"],
            ["film.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("packaging_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_packaging_job_film_id"), ["film_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_packaging_job_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("packaging_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_packaging_job_status"))
        batch_op.drop_index(batch_op.f("ix_packaging_job_film_id"))

    op.drop_table("packaging_job")
    op.drop_table("film_media")
    with op.batch_alter_table("media_asset", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_media_asset_status"))
        batch_op.drop_index(batch_op.f("ix_media_asset_film_id"))

    op.drop_table("media_asset")

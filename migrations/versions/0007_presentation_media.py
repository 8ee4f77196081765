"""presentation media: a film's presentation video kept apart from its own media (purpose column, own pointer)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 13:16:48.988831
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "presentation_media",
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("previous_asset_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["media_asset.id"]),
        sa.ForeignKeyConstraint(["film_id"], ["film.id"]),
        sa.ForeignKeyConstraint(["previous_asset_id"], ["media_asset.id"]),
        sa.PrimaryKeyConstraint("film_id"),
    )
    # Existing versions and jobs are the films' own media: the server default makes them so.
    with op.batch_alter_table("media_asset", schema=None) as batch_op:
        batch_op.add_column(sa.Column("purpose", sa.String(length=16), server_default="film", nullable=False))
    with op.batch_alter_table("packaging_job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("purpose", sa.String(length=16), server_default="film", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("packaging_job", schema=None) as batch_op:
        batch_op.drop_column("purpose")
    with op.batch_alter_table("media_asset", schema=None) as batch_op:
        batch_op.drop_column("purpose")
    op.drop_table("presentation_media")

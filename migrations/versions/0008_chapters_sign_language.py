"""chapters and French Sign Language: a media version may carry a chapter track and a signed video

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Versions packaged before carry neither: the server default says so.
    with op.batch_alter_table("media_asset", schema=None) as batch_op:
        batch_op.add_column(sa.Column("has_chapters", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("has_sign_language", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("packaging_job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chapters_path", sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column("sign_language_path", sa.String(length=1000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("packaging_job", schema=None) as batch_op:
        batch_op.drop_column("sign_language_path")
        batch_op.drop_column("chapters_path")
    with op.batch_alter_table("media_asset", schema=None) as batch_op:
        batch_op.drop_column("has_sign_language")
        batch_op.drop_column("has_chapters")

"""foundation: staff accounts, institutions, catalogue

Revision ID: 0001
Revises:
Create Date: 2026-11-25 10:22:40.907013
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "institution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_institution_category"), ["category"], unique=False)

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "subject",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("label"),
    )
    op.create_table(
        "staff_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_user_institution_id"), ["institution_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_user_role"), ["role"], unique=False)

    op.create_table(
        "film",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("original_title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("synopsis", sa.Text(), nullable=False),
        sa.Column("age_advice", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("has_sme_captions", sa.Boolean(), nullable=False),
        sa.Column("has_audio_description", sa.Boolean(), nullable=False),
        sa.Column("has_lsf", sa.Boolean(), nullable=False),
        sa.Column("isan", sa.String(length=40), nullable=True),
        sa.Column("national_number", sa.String(length=40), nullable=True),
        sa.Column("poster_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("trailer_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("retired_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["retired_by_id"],
            ["staff_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("isan"),
        sa.UniqueConstraint("national_number"),
    )
    with op.batch_alter_table("film", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_film_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_film_title"), ["title"], unique=False)
        batch_op.create_index(batch_op.f("ix_film_year"), ["year"], unique=False)

    op.create_table(
        "credit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["film_id"], ["film.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("film_id", "person_id", "role"),
    )
    with op.batch_alter_table("credit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_credit_film_id"), ["film_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_credit_person_id"), ["person_id"], unique=False)

    op.create_table(
        "film_country",
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(["film_id"], ["film.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("film_id", "code"),
    )
    with op.batch_alter_table("film_country", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_film_country_code"), ["code"], unique=False)

    op.create_table(
        "film_language",
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(["film_id"], ["film.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("film_id", "code"),
    )
    with op.batch_alter_table("film_language", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_film_language_code"), ["code"], unique=False)

    op.create_table(
        "film_subject",
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["film_id"], ["film.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subject.id"],
        ),
        sa.PrimaryKeyConstraint("film_id", "subject_id"),
    )
    with op.batch_alter_table("film_subject", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_film_subject_subject_id"), ["subject_id"], unique=False)

    op.create_table(
        "catalogue_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    create_search_index()


def create_search_index() -> None:
    """The full-text index is dialect-specific, so no model describes it: FTS5 on SQLite, tsvector on PostgreSQL."""
    if op.get_bind().dialect.name == "sqlite":
        # remove_diacritics 2 folds every accent, so that "cinema" finds "cinéma" whatever the stored text.
        op.execute(
            "CREATE VIRTUAL TABLE film_fts USING fts5(heading, body, tokenize = 'unicode61 remove_diacritics 2')"
        )
    else:
        # The title words get a column of their own: "title matches first" reads them without rechecking the
        # weights of every matching document.
        op.execute(
            "CREATE TABLE film_search (film_id integer PRIMARY KEY REFERENCES film(id) ON DELETE CASCADE, "
            "document tsvector NOT NULL, heading tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX ix_film_search_document ON film_search USING gin (document)")
        op.execute("CREATE INDEX ix_film_search_heading ON film_search USING gin (heading)")


def downgrade() -> None:
    op.drop_table("catalogue_revision")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE film_fts")
    else:
        op.execute("DROP TABLE film_search")
    with op.batch_alter_table("film_subject", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_film_subject_subject_id"))

    op.drop_table("film_subject")
    with op.batch_alter_table("film_language", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_film_language_code"))

    op.drop_table("film_language")
    with op.batch_alter_table("film_country", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_film_country_code"))

    op.drop_table("film_country")
    with op.batch_alter_table("credit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_person_id"))
        batch_op.drop_index(batch_op.f("ix_credit_film_id"))

    op.drop_table("credit")
    with op.batch_alter_table("film", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_film_year"))
        batch_op.drop_index(batch_op.f("ix_film_title"))
        batch_op.drop_index(batch_op.f("ix_film_status"))

    op.drop_table("film")
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_user_role"))
        batch_op.drop_index(batch_op.f("ix_staff_user_institution_id"))

    op.drop_table("staff_user")
    op.drop_table("subject")
    op.drop_table("person")
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_institution_category"))

    op.drop_table("institution")

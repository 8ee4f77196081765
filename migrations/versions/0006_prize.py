"""audience prize: editions, nominees, ballots of both rounds, frozen counts, append-only audit

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 13:16:30.826193
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "prize_edition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("partners", sa.Text(), nullable=False),
        sa.Column("award_cents", sa.BigInteger(), nullable=False),
        sa.Column("pick_count", sa.Integer(), nullable=False),
        sa.Column("shortlist_size", sa.Integer(), nullable=False),
        sa.Column("ballot_scope", sa.String(length=16), nullable=False),
        sa.Column("allow_vote_change", sa.Boolean(), nullable=False),
        sa.Column("require_watched", sa.Boolean(), nullable=False),
        sa.Column("nominations_start", sa.Date(), nullable=False),
        sa.Column("nominations_end", sa.Date(), nullable=False),
        sa.Column("librarians_start", sa.Date(), nullable=False),
        sa.Column("librarians_end", sa.Date(), nullable=False),
        sa.Column("preparation_start", sa.Date(), nullable=False),
        sa.Column("preparation_end", sa.Date(), nullable=False),
        sa.Column("public_start", sa.Date(), nullable=False),
        sa.Column("public_end", sa.Date(), nullable=False),
        sa.Column("result_date", sa.Date(), nullable=False),
        sa.Column("shortlist_seed", sa.String(length=32), nullable=True),
        sa.Column("shortlisted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("result_seed", sa.String(length=32), nullable=True),
        sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("winner_film_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["winner_film_id"],
            ["film.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year"),
    )
    op.create_table(
        "librarian_ballot",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("voter", sa.String(length=24), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("staff_user_id", sa.Integer(), nullable=False),
        sa.Column("cast_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["edition_id"], ["prize_edition.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["staff_user_id"],
            ["staff_user.id"],
        ),
        sa.PrimaryKeyConstraint("edition_id", "voter"),
    )
    with op.batch_alter_table("librarian_ballot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_librarian_ballot_institution_id"), ["institution_id"], unique=False)

    op.create_table(
        "librarian_choice",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("voter", sa.String(length=24), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["edition_id"], ["prize_edition.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["film_id"],
            ["film.id"],
        ),
        sa.PrimaryKeyConstraint("edition_id", "voter", "film_id"),
    )
    op.create_table(
        "prize_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("voter", sa.String(length=64), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("films", sa.String(length=200), nullable=False),
        sa.Column("previous_films", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["edition_id"],
            ["prize_edition.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("prize_audit", schema=None) as batch_op:
        batch_op.create_index("ix_prize_audit_edition", ["edition_id", "id"], unique=False)
    # The audit trail is append-only in the database itself (the statements of audience/prize_audit.py, frozen here).
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION prize_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'prize_audit is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER prize_audit_append_only BEFORE UPDATE OR DELETE ON prize_audit "
            "FOR EACH ROW EXECUTE FUNCTION prize_audit_append_only()"
        )
    else:
        op.execute(
            "CREATE TRIGGER prize_audit_no_update BEFORE UPDATE ON prize_audit "
            "BEGIN SELECT RAISE(ABORT, 'prize_audit is append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER prize_audit_no_delete BEFORE DELETE ON prize_audit "
            "BEGIN SELECT RAISE(ABORT, 'prize_audit is append-only'); END"
        )

    op.create_table(
        "prize_nominee",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["edition_id"], ["prize_edition.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["film_id"],
            ["film.id"],
        ),
        sa.PrimaryKeyConstraint("edition_id", "film_id"),
    )
    op.create_table(
        "prize_participation",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.String(length=16), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("ballots", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["edition_id"], ["prize_edition.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("edition_id", "round", "institution_id"),
    )
    op.create_table(
        "prize_tally",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.String(length=16), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("ballots", sa.Integer(), nullable=False),
        sa.Column("institutions", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["edition_id"], ["prize_edition.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["film_id"],
            ["film.id"],
        ),
        sa.PrimaryKeyConstraint("edition_id", "round", "film_id"),
    )
    op.create_table(
        "public_ballot",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("voter", sa.String(length=64), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("cast_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cast_day", sa.Date(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["edition_id"], ["prize_edition.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["film_id"],
            ["film.id"],
        ),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("edition_id", "institution_id", "voter"),
    )
    with op.batch_alter_table("public_ballot", schema=None) as batch_op:
        batch_op.create_index("ix_public_ballot_film", ["edition_id", "film_id", "institution_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("public_ballot", schema=None) as batch_op:
        batch_op.drop_index("ix_public_ballot_film")

    op.drop_table("public_ballot")
    op.drop_table("prize_tally")
    op.drop_table("prize_participation")
    op.drop_table("prize_nominee")
    with op.batch_alter_table("prize_audit", schema=None) as batch_op:
        batch_op.drop_index("ix_prize_audit_edition")

    op.drop_table("prize_audit")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION prize_audit_append_only()")
    op.drop_table("librarian_choice")
    with op.batch_alter_table("librarian_ballot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_librarian_ballot_institution_id"))

    op.drop_table("librarian_ballot")
    op.drop_table("prize_edition")

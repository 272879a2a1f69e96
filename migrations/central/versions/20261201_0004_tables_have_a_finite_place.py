"""tables: a place on the plan that is a finite number (no NaN, no infinity).

A table stored at NaN or infinity was served by every pull as ``null``, which no
desk can read, so no desk of the venue could sync again. Rows that are already
out of range are put back at the origin (and re-sent to the desks, under a new
version of their venue) before the check is added. The bounds are the domain's
(app/domain/limits.py); tests/server/test_one_rule.py holds the two together.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 12:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLACE = (
    "x BETWEEN -100000 AND 100000 AND y BETWEEN -100000 AND 100000 "
    "AND width > 0 AND width <= 2000 AND height > 0 AND height <= 2000 "
    "AND rotation BETWEEN -360 AND 360"
)


def upgrade() -> None:
    op.execute(
        f"""
        WITH bad AS (SELECT id, venue_id FROM tables WHERE NOT ({PLACE})),
        bumped AS (
            UPDATE venue_versions v SET version = version + 1
            WHERE v.venue_id IN (SELECT venue_id FROM bad) RETURNING v.venue_id, v.version
        )
        UPDATE tables t SET
            x = CASE WHEN x BETWEEN -100000 AND 100000 THEN x ELSE 0 END,
            y = CASE WHEN y BETWEEN -100000 AND 100000 THEN y ELSE 0 END,
            width = CASE WHEN width > 0 AND width <= 2000 THEN width ELSE 60 END,
            height = CASE WHEN height > 0 AND height <= 2000 THEN height ELSE 60 END,
            rotation = CASE WHEN rotation BETWEEN -360 AND 360 THEN rotation ELSE 0 END,
            version = bumped.version
        FROM bumped WHERE t.venue_id = bumped.venue_id AND t.id IN (SELECT id FROM bad)
        """
    )
    op.create_check_constraint("place", "tables", PLACE)


def downgrade() -> None:
    op.drop_constraint("place", "tables", type_="check")

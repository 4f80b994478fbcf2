"""PostgreSQL's backstop against double booking: no two active bookings on
one desk may share a moment. SQLite has only the unique constraint of 0001;
there, transactions that write take the database lock first (IMMEDIATE),
so booking.py's re-check cannot be raced."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE booking_booking ADD CONSTRAINT booking_no_overlap_on_desk
    EXCLUDE USING gist (desk_id WITH =, tstzrange("start", "end", '[)') WITH &&)
    WHERE (status IN ('booked', 'checked_in') AND desk_id IS NOT NULL);
"""
DROP = "ALTER TABLE booking_booking DROP CONSTRAINT booking_no_overlap_on_desk;"


def add_constraint(apps: object, schema_editor: object) -> None:
    if schema_editor.connection.vendor == "postgresql":  # type: ignore[attr-defined]
        schema_editor.execute(CREATE)  # type: ignore[attr-defined]


def drop_constraint(apps: object, schema_editor: object) -> None:
    if schema_editor.connection.vendor == "postgresql":  # type: ignore[attr-defined]
        schema_editor.execute(DROP)  # type: ignore[attr-defined]


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]
    operations = [migrations.RunPython(add_constraint, drop_constraint)]

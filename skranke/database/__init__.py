"""Helpers over the database that Django's ORM does not give: plain SQL for
bulk reads and writes (sql.py), seconds between two timestamps on either
database (seconds_between.py), and results kept per fingerprint of the rows
they were made from (kept.py)."""

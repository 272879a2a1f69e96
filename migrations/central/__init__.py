"""Alembic environment: see env.py and alembic.ini."""

"""The central Backroom server: FastAPI over PostgreSQL, the source of truth."""

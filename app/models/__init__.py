"""SQLAlchemy 2 ORM on the desk's SQLite file, with repositories and a unit of work."""

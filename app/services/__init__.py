"""Use cases: each one unit of work that writes rows, audit event and outbox intent together."""

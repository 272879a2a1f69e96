"""Guests' data-protection requests: what the server holds about a guest
(docs/data-protection.md)."""

"""Backroom: an offline-first venue desk for a bar that sells table bookings."""

__version__ = "0.1.0"

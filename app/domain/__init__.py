"""Pure rules of the venue: no Qt, no SQLAlchemy, no httpx.

Everything here is plain dataclasses and functions, so the same rules judge a
booking on the desk and on the central server, and tests run in microseconds.
"""

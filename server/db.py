"""The engine, sessions and declarative base of the central database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any, ClassVar

from fastapi import Depends, Request
from sqlalchemy import DateTime, MetaData, create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True)}


def make_engine(url: str, pool_size: int = 10) -> Engine:
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        # No pre-ping: it costs a round trip per request. A connection broken by
        # a database restart fails one request and the pool is then refreshed.
        pool_recycle=1800,
        # Every request is short; waiting longer than this for a connection
        # means the server is overloaded, which a 503 says better than a hang.
        pool_timeout=20,
    )


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False, autoflush=False)


def end_read(session: Session) -> None:
    """End a transaction that only read: COMMIT, not ROLLBACK.

    For PostgreSQL the two are the same after reads, but psycopg forgets every
    statement it prepared on the connection when it rolls back, and the connection goes
    back to the pool the pushes use. Desks pull after every change, so each pull that
    rolled back cost the next pushes on that connection their prepared statements: a
    push and a pull in turn took 6.6–7.0 ms of PostgreSQL's CPU, 3.9–4.2 ms with COMMIT
    (``benchmarks/push_profile.py --pulls``; docs/benchmarks.md, "Plans kept").
    """
    session.commit()


def get_session(request: Request) -> Iterator[Session]:
    factory: sessionmaker[Session] = request.app.state.sessions
    with factory() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]

"""The store (one SQLite file) and the unit of work each use case runs in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from sqlalchemy.orm import Session

from app.models.cancels import CancelRecords
from app.models.engine import make_engine
from app.models.faults import NoDatabase
from app.models.history_repository import HistoryRepository
from app.models.journal import Journal
from app.models.ledger_repository import LedgerRepository
from app.models.link_repository import LinkRepository
from app.models.message_repository import MessageRepository
from app.models.migrate import check_file, newest_revision, upgrade
from app.models.notice_repository import NoticeRepository
from app.models.offers import OfferRepository
from app.models.repositories import (
    BookingRepository,
    CustomerRepository,
    DeviceRepository,
    OutboxRepository,
    VenueRepository,
)
from app.models.review_repository import ReviewRepository
from app.models.staff_repository import StaffRepository
from app.models.sync_repositories import ConflictRepository, HoldRepository, RefusalRepository


class Store:
    """A desk's database file: migrated on open, one writer engine, one reader engine.

    ``create=False`` opens only a desk that exists: a missing file (a mistyped
    ``--db``), or one that is not a Backroom desk, is refused with a
    ``NoDatabase`` and nothing is written — no file, no folder.
    """

    def __init__(self, path: Path, *, migrate: bool = True, create: bool = True) -> None:
        self.path = path
        current = None
        if not path.exists():
            if not create:
                raise no_database(path)
            path.parent.mkdir(parents=True, exist_ok=True)
        elif path.is_dir():
            raise NoDatabase(f"{path} is a folder, not a desk's database file.")
        elif path.stat().st_size:
            current = check_file(path, create=create)
        elif not create:
            raise NoDatabase(
                f"{path} is an empty file, not a desk's database; nothing was changed."
            )
        self.writer = make_engine(path, writer=True)
        self.reader = make_engine(path, writer=False)
        # A file already at the newest schema has nothing to upgrade: Alembic is not asked.
        if migrate and current != newest_revision():
            upgrade(self.writer)

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self)

    @contextmanager
    def read(self) -> Iterator[Reader]:
        with Session(self.reader) as session, session.begin():
            yield Reader(session)

    def close(self) -> None:
        self.writer.dispose()
        self.reader.dispose()


def no_database(path: Path) -> NoDatabase:
    return NoDatabase(
        f"There is no desk database at {path}. Check the path (--db or BACKROOM_DB); "
        "nothing was created. To start a new desk there, run `backroom db upgrade "
        "--create` (or `backroom demo` for the demo venue)."
    )


class Reader:
    """Repositories over a read-only snapshot."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.venue = VenueRepository(session)
        self.bookings = BookingRepository(session)
        self.customers = CustomerRepository(session)
        self.staff = StaffRepository(session)
        self.outbox = OutboxRepository(session)
        self.holds = HoldRepository(session)
        self.offers = OfferRepository(session)
        self.conflicts = ConflictRepository(session)
        self.refusals = RefusalRepository(session)
        self.notices = NoticeRepository(session)
        self.device = DeviceRepository(session)
        self.cancels = CancelRecords(session)
        self.ledger = LedgerRepository(session)
        self.links = LinkRepository(session)
        self.messages = MessageRepository(session)
        self.review = ReviewRepository(session)
        self.history = HistoryRepository(session)


class UnitOfWork(Reader):
    """``with store.unit_of_work() as uow: ...; uow.commit()`` — all or nothing."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        session = Session(self._store.writer, expire_on_commit=False, autoflush=True)
        session.begin()
        super().__init__(session)
        self.journal = Journal(session)
        return self

    def commit(self) -> None:
        self.session.commit()
        self._committed = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._committed:
            self.session.rollback()
        self.session.close()

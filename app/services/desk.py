"""Everything the desk's UI and CLI call, built once around one store and one clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.domain.permissions import Staff
from app.models.uow import Store
from app.services.as_kept import AsKept
from app.services.auth import StaffAuth
from app.services.backups import AutoBackups
from app.services.booking_changes import BookingEditing
from app.services.booking_create import BookingCreation
from app.services.booking_edit import BookingEdits
from app.services.booking_status import BookingLifecycle
from app.services.common import Clock, system_clock
from app.services.conflicts import ConflictInbox
from app.services.data_requests import GuestRequests
from app.services.deposit_actions import DepositActions
from app.services.deposit_links import DepositLinks
from app.services.deposits import DepositSettling
from app.services.desk_repair import DeskRepair
from app.services.desk_sync import DeskSync
from app.services.floor import FloorEditing
from app.services.give_back import GivingBack
from app.services.guest_edit import GuestEdits
from app.services.guest_messages import GuestMessages
from app.services.lost_bookings import LostBookings
from app.services.money_due import MoneyToSee
from app.services.night_plan import NightPlanning
from app.services.prices import Prices
from app.services.queries import Queries
from app.services.refusals import Refusals
from app.services.spend import SpendRecording
from app.services.staff import StaffAdmin
from app.services.waitlist_offers import WaitlistOffers
from app.sync.status import SyncState

# The states in which this desk's last sync step reached the server.
ONLINE = frozenset({SyncState.SYNCING, SyncState.UP_TO_DATE, SyncState.NEEDS_ATTENTION})


@dataclass
class Desk:
    """Holds the narrow services; widgets are handed the one they need, not this."""

    store: Store
    clock: Clock = system_clock
    # None: this desk works alone, on its own file.
    sync: DeskSync | None = None
    create: BookingCreation = field(init=False)
    lifecycle: BookingLifecycle = field(init=False)
    offers: WaitlistOffers = field(init=False)
    edits: BookingEdits = field(init=False)
    guests: GuestEdits = field(init=False)
    editing: BookingEditing = field(init=False)
    floor: FloorEditing = field(init=False)
    queries: Queries = field(init=False)
    night_plan: NightPlanning = field(init=False)
    auth: StaffAuth = field(init=False)
    staff_admin: StaffAdmin = field(init=False)
    conflicts: ConflictInbox = field(init=False)
    refusals: Refusals = field(init=False)
    backups: AutoBackups = field(init=False)
    deposits: DepositSettling = field(init=False)
    links: DepositLinks = field(init=False)
    deposit_actions: DepositActions = field(init=False)
    messages: GuestMessages = field(init=False)
    money: MoneyToSee = field(init=False)
    giving_back: GivingBack = field(init=False)
    data_requests: GuestRequests = field(init=False)
    spend: SpendRecording = field(init=False)
    prices: Prices = field(init=False)
    lost: LostBookings = field(init=False)
    as_kept: AsKept = field(init=False)
    # None: a desk that works alone has nothing to put right with a server.
    repair: DeskRepair | None = field(init=False)

    def __post_init__(self) -> None:
        self.offers = WaitlistOffers(self.store, self.clock)
        self.create = BookingCreation(self.store, self.clock, self.offers)
        self.lifecycle = BookingLifecycle(self.store, self.clock, self.offers)
        self.deposits = DepositSettling(self.store, self.clock, self.offers)
        self.links = DepositLinks(self.store, self.clock, self._online)
        self.deposit_actions = DepositActions(self.store, self.clock, self._online)
        self.messages = GuestMessages(self.store, self.clock, self._online)
        self.money = MoneyToSee(self.store, self.clock)
        self.giving_back = GivingBack(self.store, self.clock)
        self.edits = BookingEdits(self.store, self.clock)
        self.spend = SpendRecording(self.store, self.clock)
        self.prices = Prices(self.store, self.clock)
        self.lost = LostBookings(self.store, self.clock)
        self.as_kept = AsKept(self.store, self.lifecycle, self.edits, self.lost)
        self.guests = GuestEdits(self.store, self.clock)
        self.editing = BookingEditing(self.store, self.edits, self.guests)
        self.floor = FloorEditing(self.store, self.clock)
        self.queries = Queries(self.store, self.clock)
        self.night_plan = NightPlanning(self.store, self.clock)
        self.auth = StaffAuth(self.store, self.clock)
        self.staff_admin = StaffAdmin(self.store, self.clock)
        self.conflicts = ConflictInbox(self.store, self.clock)
        self.backups = AutoBackups.for_desk(self.store.path, self.clock)
        restate = self.sync.restate if self.sync is not None else lambda: None
        self.refusals = Refusals(self.store, restate, self.clock)
        nudge = self.sync.nudge if self.sync is not None else lambda: None
        self.data_requests = GuestRequests(self.store, self.clock, nudge)
        self.repair = DeskRepair(self.store, self.clock, self.sync) if self.sync else None

    def _online(self) -> bool:
        """This desk reached its server on its last try (standalone: never)."""
        if self.sync is None:
            return False
        return self.sync.monitor.status.state in ONLINE

    def hold_as(self, signed_in: Callable[[], Staff | None]) -> None:
        """Put whoever is signed in on the server holds this desk takes.

        The other desks read it as "Sam on Reception is holding table 7"; it is
        looked up on each hold (off the GUI thread), as sync may re-key staff.
        """
        if self.sync is None or self.sync.holds is None:
            return

        def server_id() -> str | None:
            staff = signed_in()
            return None if staff is None else self.auth.server_id(staff.id)

        self.sync.holds.staff_id = server_id

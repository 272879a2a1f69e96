"""Every table of the central database, for Alembic and the tests."""

from server.auth.models import Device, LoginFailures, StaffMember, Token
from server.db import Base
from server.holds.models import Hold
from server.messages.models import InboundSms, OutboxMessage, Suppression
from server.payments.models import DepositRequest, PaymentEvent
from server.sync.ledger_models import DepositLedgerEntry
from server.sync.models import AuditEvent, Booking, BookingTable, Conflict, Customer, IntentOutcome
from server.venues.models import (
    Area,
    Combination,
    DepositPolicyVersion,
    DiningTable,
    FloorPlan,
    Venue,
    VenueVersion,
)

__all__ = [
    "Area",
    "AuditEvent",
    "Base",
    "Booking",
    "BookingTable",
    "Combination",
    "Conflict",
    "Customer",
    "DepositLedgerEntry",
    "DepositPolicyVersion",
    "DepositRequest",
    "Device",
    "DiningTable",
    "FloorPlan",
    "Hold",
    "InboundSms",
    "IntentOutcome",
    "LoginFailures",
    "OutboxMessage",
    "PaymentEvent",
    "StaffMember",
    "Suppression",
    "Token",
    "Venue",
    "VenueVersion",
]

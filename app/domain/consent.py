"""Marketing consent: per channel, a history of records, the latest one wins.

Transactional messages (a confirmation, a reminder, a deposit link, a waitlist offer)
need no consent: the guest asked for the booking. Marketing (news and offers) needs
the guest's yes, asked for in words we can show later: each record names the wording
(``Wording.id`` and ``version``) the guest heard or read, when (aware UTC) and who
recorded it (a staff member's name, or ``GUEST_BY_SMS`` for a STOP reply). Consent is
opt-in: no record means no. A withdrawal is a record too, so the history is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from app.domain.errors import InvalidInput


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


# Who recorded a withdrawal that came from the guest's own STOP reply.
GUEST_BY_SMS = "guest by SMS"


@dataclass(frozen=True, slots=True)
class Wording:
    """The sentence staff read out, or the form shows, when asking."""

    id: str
    version: int
    channel: Channel
    sentence: str


# Every wording ever used, so an old record can still be shown in its own words. A
# changed sentence is a new version (never an edit of an old one).
WORDINGS: tuple[Wording, ...] = (
    Wording(
        "marketing-email",
        1,
        Channel.EMAIL,
        "May we send you news and offers from The Backroom by email?",
    ),
    Wording(
        "marketing-sms",
        1,
        Channel.SMS,
        "May we send you news and offers from The Backroom by text?",
    ),
    # Version 2 names no venue: version 1 named The Backroom, and so was wrong for every
    # other venue set up on a desk. "We" is whoever the guest is talking to.
    Wording("marketing-email", 2, Channel.EMAIL, "May we send you our news and offers by email?"),
    Wording("marketing-sms", 2, Channel.SMS, "May we send you our news and offers by text?"),
    # Not a question: what a withdrawal by a STOP reply stands on.
    Wording("sms-stop-reply", 1, Channel.SMS, "The guest replied STOP to a text from us."),
)
_BY_KEY = {(w.id, w.version): w for w in WORDINGS}
# What is asked today, per channel: the newest version of each channel's question.
CURRENT: dict[Channel, Wording] = {
    channel: max(
        (w for w in WORDINGS if w.channel is channel and w.id == f"marketing-{channel.value}"),
        key=lambda w: w.version,
    )
    for channel in Channel
}
STOP_WORDING = _BY_KEY[("sms-stop-reply", 1)]


def wording(wording_id: str, version: int) -> Wording | None:
    return _BY_KEY.get((wording_id, version))


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    channel: Channel
    given: bool
    at: datetime
    wording_id: str
    wording_version: int
    recorded_by: str

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise InvalidInput("consent", "A consent record's time must carry its zone.")
        found = wording(self.wording_id, self.wording_version)
        if found is None or found.channel is not self.channel:
            raise InvalidInput(
                "consent",
                f"No {self.channel.value} wording '{self.wording_id}' version "
                f"{self.wording_version} was ever asked.",
            )
        object.__setattr__(self, "at", self.at.astimezone(UTC))

    @property
    def sentence(self) -> str:
        found = wording(self.wording_id, self.wording_version)
        assert found is not None  # checked when made
        return found.sentence


def asked(channel: Channel, given: bool, at: datetime, by: str) -> ConsentRecord:
    """The guest's answer to today's question for ``channel``, as ``by`` recorded it."""
    words = CURRENT[channel]
    return ConsentRecord(channel, given, at, words.id, words.version, by)


def withdrawn_by_stop(at: datetime) -> ConsentRecord:
    """A STOP reply withdraws SMS marketing consent too (it also stops every text)."""
    return ConsentRecord(
        Channel.SMS, False, at, STOP_WORDING.id, STOP_WORDING.version, GUEST_BY_SMS
    )


def latest(records: Iterable[ConsentRecord]) -> dict[Channel, ConsentRecord]:
    """Each channel's latest record. At the same instant a withdrawal wins: in doubt, no."""
    found: dict[Channel, ConsentRecord] = {}
    for r in records:
        kept = found.get(r.channel)
        if kept is None or (r.at, not r.given) > (kept.at, not kept.given):
            found[r.channel] = r
    return found


def current(records: Iterable[ConsentRecord]) -> tuple[ConsentRecord, ...]:
    """The latest record per channel, in channel order: what a guest's record carries."""
    last = latest(records)
    return tuple(last[c] for c in Channel if c in last)


def merged(
    kept: Iterable[ConsentRecord], given: Iterable[ConsentRecord]
) -> tuple[ConsentRecord, ...]:
    """A guest's consent after ``given`` arrives: the latest per channel wins, whichever
    desk recorded it, so two desks' answers converge in any order."""
    return current([*kept, *given])


def may_send_marketing(records: Iterable[ConsentRecord], channel: Channel) -> bool:
    """Only when the guest's latest answer for ``channel`` is yes."""
    last = latest(records).get(channel)
    return last is not None and last.given


def consents(records: Iterable[ConsentRecord]) -> dict[Channel, bool]:
    """Each channel's yes or no (no record: no)."""
    last = latest(records)
    return {c: c in last and last[c].given for c in Channel}


def changed(
    records: Iterable[ConsentRecord], wanted: Mapping[Channel, bool], at: datetime, by: str
) -> tuple[ConsentRecord, ...]:
    """The records a form's boxes make: one for each channel whose box differs from the
    guest's current answer (ticked or unticked), in today's wording."""
    now = consents(records)
    return tuple(
        asked(c, wanted[c], at, by) for c in Channel if c in wanted and wanted[c] != now[c]
    )


def to_json(records: Iterable[ConsentRecord]) -> list[dict[str, Any]]:
    return [
        {
            "channel": r.channel.value,
            "given": r.given,
            "at": r.at.isoformat(),
            "wording_id": r.wording_id,
            "wording_version": r.wording_version,
            "recorded_by": r.recorded_by,
        }
        for r in records
    ]


def from_json(items: Iterable[Mapping[str, Any] | Any] | None) -> tuple[ConsentRecord, ...]:
    """Records from their JSON (or anything with the same fields: a wire model)."""
    out = []
    for item in items or ():
        get = item.get if isinstance(item, Mapping) else lambda n, i=item: getattr(i, n)
        at = get("at")
        out.append(
            ConsentRecord(
                Channel(get("channel")),
                bool(get("given")),
                at if isinstance(at, datetime) else datetime.fromisoformat(str(at)),
                str(get("wording_id")),
                int(get("wording_version")),
                str(get("recorded_by")),
            )
        )
    return tuple(out)

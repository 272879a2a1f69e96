"""Rendering a guest message: plain text and HTML email, and the SMS.

The HTML is made from the same words as the plain text (each paragraph escaped, the
link made clickable), so a venue writes its wording once and a guest's name can
never inject markup.
"""

from __future__ import annotations

import html
import string
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from app.domain.errors import InvalidInput
from app.domain.messages.facts import FIELDS, Facts, fields
from app.domain.messages.gsm import SMS_SEPTETS, not_gsm, septets
from app.domain.messages.wording import DEFAULTS, StaffTemplate, TemplateName, Wording
from app.domain.venue import Venue

_FORMAT = string.Formatter()


@dataclass(frozen=True, slots=True)
class Rendered:
    template: TemplateName | StaffTemplate
    subject: str
    text: str
    html: str
    sms: str
    # Marketing (not about a booking the guest made): the outbox sends it only with the
    # guest's consent for the channel.
    marketing: bool = False


@dataclass(frozen=True, slots=True)
class Templates:
    """A venue's wording: the defaults, with the venue's own where it wrote them."""

    own: dict[TemplateName, Wording] = field(default_factory=dict)

    def wording(self, name: TemplateName) -> Wording:
        return self.own.get(name, DEFAULTS[name])

    def render(
        self,
        name: TemplateName,
        facts: Facts,
        values: dict[str, str] | None = None,
        *,
        email: bool = True,
    ) -> Rendered:
        """``values``: ``fields(facts)`` if the caller has them (several messages about
        one change say the same facts; working them out is most of the cost).
        ``email=False`` for a guest who gave no email address: the email's subject, text
        and HTML are left empty, since nothing will send them (the HTML is most of a
        render's cost)."""
        words = self.wording(name)
        values = values if values is not None else fields(facts)
        return Rendered(
            template=name,
            subject=words.subject.format_map(values) if email else "",
            text=words.body.format_map(values) if email else "",
            html=_html(words.body, values, facts.venue.name) if email else "",
            sms=words.sms.format_map(values),
            marketing=name.marketing,
        )


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in _FORMAT.parse(text) if name is not None}


def _html(body: str, values: dict[str, str], title: str) -> str:
    parts = []
    for literal, name, _, _ in _FORMAT.parse(body):
        parts.append(html.escape(literal))
        if name is None:
            continue
        value = html.escape(values[name])
        if name == "link" and value:
            value = f'<a href="{value}">{value}</a>'
        parts.append(value)
    paragraphs = "".join(
        f"<p>{p.replace(chr(10), '<br>')}</p>\n" for p in "".join(parts).split("\n\n")
    )
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>\n<body>\n{paragraphs}</body>\n</html>\n"
    )


# The longest values an SMS field can take, to check a venue's own wording before it is
# used: a 20-character name, a 16-character sender name, a 32-character link, a time on
# the October night (``01:30 GMT``) and four-figure pounds.
_WORST = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def worst_case(venue: Venue) -> Facts:
    return Facts(
        venue=venue,
        guest_name="W" * 20,
        venue_sms_name="W" * 16,
        reference="7KQ2M9XPRT4",
        start=_WORST,
        party_size=100,
        previous_start=_WORST,
        deposit_pence=999_999,
        refund_pence=999_999,
        link="https://" + "w" * 24,
        short_link="https://" + "w" * 24,
        deadline=_WORST,
        package="W" * 80 + " for 100, £99,999.99",
    )


def check_wording(name: TemplateName, words: Wording, venue: Venue) -> None:
    """A venue's own wording for ``name`` may be used; else why not (nothing is saved)."""
    for part, text in (("subject", words.subject), ("body", words.body), ("sms", words.sms)):
        try:
            unknown = placeholders(text) - FIELDS
        except ValueError as e:
            raise InvalidInput(part, f"The {part} of '{name}' has a stray brace: {e}.") from None
        if unknown:
            raise InvalidInput(
                part, f"The {part} of '{name}' uses unknown {{{', '.join(sorted(unknown))}}}."
            )
    if "\n" in words.subject:
        raise InvalidInput("subject", "A subject is one line.")
    missing = not_gsm(words.sms)
    if missing:
        raise InvalidInput(
            "sms",
            f"The text message of '{name}' uses {''.join(missing)!r}, which an SMS cannot "
            "carry without shrinking it to 70 characters.",
        )
    longest = septets(words.sms.format_map(fields(worst_case(venue))))
    if longest > SMS_SEPTETS:
        raise InvalidInput(
            "sms",
            f"The text message of '{name}' can reach {longest} characters; one SMS "
            f"holds {SMS_SEPTETS}.",
        )


WORDING_PARTS = ("subject", "body", "sms")


def templates_from_dict(data: Mapping[str, Any], venue: Venue) -> Templates:
    """A venue's own wording as stored (``{"booking_created": {"sms": "…"}, …}``): each
    message it names, the parts it gives in place of the default's, each checked by
    ``check_wording``; else why not (nothing is saved)."""
    if not isinstance(data, Mapping):
        raise InvalidInput("wording", "The wording is an object of messages by name.")
    own: dict[TemplateName, Wording] = {}
    for key, parts in data.items():
        try:
            name = TemplateName(key)
        except ValueError:
            known = ", ".join(t.value for t in TemplateName)
            raise InvalidInput(
                "wording", f"There is no message '{key}'; they are: {known}."
            ) from None
        if not isinstance(parts, Mapping) or not set(parts) <= set(WORDING_PARTS):
            raise InvalidInput(
                "wording", f"'{key}' gives its {', '.join(WORDING_PARTS)} (any of them)."
            )
        if not all(isinstance(v, str) for v in parts.values()):
            raise InvalidInput("wording", f"The parts of '{key}' are text.")
        words = replace(DEFAULTS[name], **parts)
        check_wording(name, words, venue)
        own[name] = words
    return Templates(own)


def templates_to_dict(templates: Templates) -> dict[str, dict[str, str]]:
    return {
        name.value: {part: getattr(words, part) for part in WORDING_PARTS}
        for name, words in templates.own.items()
    }

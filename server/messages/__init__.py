"""Guest messages leaving the server: channels behind ports, the outbox, the inbound SMS.

The words come from ``app.domain.messages``; this package only delivers them
(docs/messages.md).
"""

"""Pushing intents: the request, one outcome per intent, and why a batch stopped."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from pydantic import Field

from app.protocol.base import MAX_BATCH, Seq, Strict, Version
from app.protocol.intents import Mutation


class OutcomeKind(StrEnum):
    APPLIED = "applied"
    MERGED = "merged"
    CONFLICT = "conflict"
    REJECTED = "rejected"


class Outcome(Strict):
    mutation_id: UUID
    device_seq: Seq
    outcome: OutcomeKind
    reason: str | None = None
    conflict_id: UUID | None = None
    version: Version | None = None


class PushRequest(Strict):
    device_id: UUID
    mutations: list[Mutation] = Field(max_length=MAX_BATCH)


class Refusal(Strict):
    """Why the batch stopped at an intent that was given no outcome."""

    mutation_id: UUID
    device_seq: Seq
    reason: str
    # The seq was already used by another intent of this desk: the desk's file is behind
    # the server (restored from an older backup, or edited) and must be rebuilt from it.
    seq_taken: bool = False


class PushResponse(Strict):
    outcomes: list[Outcome]
    # Set when a gap in device_seq stopped the batch: the next seq expected.
    expected_seq: Seq | None = None
    server_version: Version
    # Set when an intent reused a seq or mutation id with a different body.
    refused: Refusal | None = None

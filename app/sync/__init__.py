"""The desk's side of sync: outbox push, pull and apply, holds, conflicts."""

"""A small Stripe-compatible fake: a real HTTP process for the payment tests (issue 14).

It speaks Stripe's wire format (form-encoded requests, JSON objects with ``object`` and
prefixed ids, Stripe's error objects and statuses) for the few resources deposits need,
honours ``Idempotency-Key`` as Stripe does, and signs webhooks as Stripe signs them.
``/_fake/...`` is its test-only control API. See docs/payments.md.
"""

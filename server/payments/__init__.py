"""Deposits through the payment provider (Stripe): links, webhooks and reconciliation."""

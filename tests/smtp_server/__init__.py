"""A real SMTP server for the message tests: aiosmtpd in a thread, recording what it took."""

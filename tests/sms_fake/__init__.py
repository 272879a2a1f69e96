"""A small fake of Twilio's Messages API: a real HTTP process for the message tests (issue 16).

It takes sends as Twilio does (form-encoded, basic auth with the account sid and auth
token, Twilio's message resource and error objects), records them, lists them with
Twilio's filters, and, at a test's word, posts delivery callbacks and inbound replies
signed as Twilio signs them (``X-Twilio-Signature``). ``/_fake/...`` is its test-only
control API. See docs/messages.md.
"""

"""Guest messages: what is said (templates), how long an SMS is (GSM-7), what a reply means.

Pure: the server's outbox and channels (server/messages) call these; nothing here sends.
See docs/messages.md.
"""

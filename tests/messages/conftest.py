from tests.sms_fake.plugin import *  # noqa: F403  (the SMS fake and a webhook receiver)
from tests.smtp_server.plugin import *  # noqa: F403  (a real SMTP server)

from tests.sms_fake.plugin import *  # noqa: F403

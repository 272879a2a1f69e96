"""The inbound webhook's signature, checked against Twilio's documented example and
against HMACs worked out here from the definition."""

import base64
import hashlib
import hmac

from server.messages.signature import twilio_signature, valid_signature

# Twilio's example (https://www.twilio.com/docs/usage/webhooks/webhooks-security):
# auth token 12345, this URL and these parameters sign to 0/KCTR6DLpKmkAf8muzZqo1nDgQ=.
DOC_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
DOC_PARAMS = [
    ("CallSid", "CA1234567890ABCDE"),
    ("Caller", "+12349013030"),
    ("Digits", "1234"),
    ("From", "+12349013030"),
    ("To", "+18005551212"),
]
DOC_SIGNATURE = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


def by_hand(token: str, signed: str) -> str:
    return base64.b64encode(
        hmac.new(token.encode(), signed.encode(), hashlib.sha1).digest()
    ).decode()


def test_twilios_documented_example_signs_as_documented():
    assert twilio_signature("12345", DOC_URL, DOC_PARAMS) == DOC_SIGNATURE
    assert valid_signature("12345", DOC_URL, list(reversed(DOC_PARAMS)), DOC_SIGNATURE)


def test_the_parameters_are_signed_sorted_by_name_after_the_url():
    params = [("To", "+447700900000"), ("Body", "1"), ("From", "+447700900123")]
    expected = by_hand(
        "tok", "https://x.example/v1/messages/sms/inbound?a=1Body1From+447700900123To+447700900000"
    )

    assert (
        twilio_signature("tok", "https://x.example/v1/messages/sms/inbound?a=1", params) == expected
    )


def test_a_repeated_parameter_signs_each_value_in_order():
    expected = by_hand("tok", "https://x.example/hookMediaaMediabTo+1")

    assert (
        twilio_signature(
            "tok", "https://x.example/hook", [("To", "+1"), ("Media", "b"), ("Media", "a")]
        )
        == expected
    )


def test_a_forged_changed_or_missing_signature_is_refused():
    assert not valid_signature("54321", DOC_URL, DOC_PARAMS, DOC_SIGNATURE)
    assert not valid_signature(
        "12345", DOC_URL, [*DOC_PARAMS[:-1], ("To", "+18005551213")], DOC_SIGNATURE
    )
    assert not valid_signature("12345", DOC_URL.replace("https", "http"), DOC_PARAMS, DOC_SIGNATURE)
    assert not valid_signature("12345", DOC_URL, DOC_PARAMS, None)
    assert not valid_signature("12345", DOC_URL, DOC_PARAMS, "")
    assert not valid_signature("", DOC_URL, DOC_PARAMS, by_hand("", DOC_URL))

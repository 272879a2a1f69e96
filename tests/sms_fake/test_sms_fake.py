"""The SMS fake answers as Twilio's Messages API does, over plain HTTP (no adapter of ours)."""

import httpx

GUEST = "+447700900123"


def create(fake, **form):
    data = {"To": GUEST, "From": fake.from_number, "Body": "hello"} | form
    url = f"{fake.url}/2010-04-01/Accounts/{fake.account_sid}/Messages.json"
    return httpx.post(url, data=data, auth=(fake.account_sid, fake.auth_token))


def test_a_send_is_answered_with_a_queued_message_resource(sms_fake):
    answer = create(sms_fake)

    body = answer.json()
    assert answer.status_code == 201
    assert body["sid"].startswith("SM") and len(body["sid"]) == 34
    assert (body["status"], body["direction"], body["to"]) == ("queued", "outbound-api", GUEST)
    assert body["uri"] == f"/2010-04-01/Accounts/{sms_fake.account_sid}/Messages/{body['sid']}.json"
    assert sms_fake.sent() == [body]


def test_errors_are_twilio_error_objects(sms_fake):
    bad_to = create(sms_fake, To="07700 900123").json()
    no_body = create(sms_fake, Body=" ").json()
    wrong_from = create(sms_fake, From="+447700900999").json()

    assert (bad_to["status"], bad_to["code"]) == (400, 21211)
    assert no_body["code"] == 21602
    assert wrong_from["code"] == 21606
    assert sms_fake.sent() == []


def test_a_list_filters_by_number_and_day_newest_first(sms_fake):
    create(sms_fake, Body="first")
    create(sms_fake, Body="second")
    create(sms_fake, To="+447700900456", Body="elsewhere")
    url = f"{sms_fake.url}/2010-04-01/Accounts/{sms_fake.account_sid}/Messages.json"

    listed = httpx.get(
        url,
        params={"To": GUEST, "DateSent>": "2000-01-01"},
        auth=(sms_fake.account_sid, sms_fake.auth_token),
    ).json()

    assert [m["body"] for m in listed["messages"]] == ["second", "first"]


def test_stop_opts_a_number_out_and_start_back_in(sms_fake, sms_receiver):
    sms_fake.reply(GUEST, "stop", sms_receiver.url)
    refused = create(sms_fake).json()
    sms_fake.reply(GUEST, "START", sms_receiver.url)

    assert refused["code"] == 21610
    assert create(sms_fake).status_code == 201
    assert [dict(p)["Body"] for _, p, _ in sms_receiver.posts] == ["stop", "START"]


def test_stop_with_more_words_does_not_opt_out_at_the_provider(sms_fake, sms_receiver):
    sms_fake.reply(GUEST, "Stop please", sms_receiver.url)

    assert sms_fake.opted_out() == []


def test_a_replayed_inbound_webhook_is_the_same_message_and_signature(sms_fake, sms_receiver):
    first = sms_fake.reply(GUEST, "1", sms_receiver.url)

    sms_fake.replay(first["sid"], sms_receiver.url)

    [one, again] = sms_receiver.posts
    assert one == again

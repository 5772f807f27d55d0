"""Alerts reach supervisors once, by email (a local SMTP server) and a signed webhook.

Each test has a database of its own (a new SQLite file or PostgreSQL schema), so a sweep
finds only its own deliveries. The outlets are Parley's real ones (smtplib, requests) talking
to local stand-ins; nothing is patched.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask

from bot.channels.alert_webhook import verify
from bot.ports import AlertNotice
from bot.scheduling.states import ItemStatus, RunOutcome
from bot.services.alert_delivery import deliver_alert, sweep_alerts
from bot.services.runtime import Runtime
from bot.services.tokens import SCOPES, create_token
from storage.models import Alert, AlertDelivery
from tests.alert_standins import MailStandIn, WebhookStandIn, mail_standin, webhook_standin
from tests.support import FakeClock
from tests.web.helpers import post_sms, random_number, reply
from tests.web.pages import make_user

SECRET = "whsec-" + "k" * 32  # a test key
SENDER = "parley@police.example"
# A resident who answers the respect question with 1 and writes of being pushed.
ANSWERS = ("yes", "1", "4", "3", "4", "He pushed me against the car")
RULES = {"score:respect", "words:comment:force"}


@pytest.fixture()
def mail() -> Iterator[MailStandIn]:
    """Serve a local SMTP server."""
    with mail_standin() as standin:
        yield standin


@pytest.fixture()
def hook() -> Iterator[WebhookStandIn]:
    """Serve a local webhook receiver."""
    with webhook_standin() as standin:
        yield standin


@pytest.fixture()
def alerting_app(
    make_app: Callable[..., Flask],
    own_database_url: str,
    mail: MailStandIn,
    hook: WebhookStandIn,
) -> Callable[..., Flask]:
    """Return a builder of apps whose alerts go to the stand-ins."""

    def build(**overrides: Any) -> Flask:
        outlets = {
            "smtp_url": mail.url,
            "alert_from": SENDER,
            "alert_webhook_url": hook.url,
            "alert_webhook_secret": SECRET,
        }
        return make_app(own_database_url, **{**outlets, **overrides})

    return build


def staff(app: Flask) -> tuple[str, str, str]:
    """Create an officer, their unit's supervisor and another unit's; return officer id, emails."""
    unit, officer = f"north-{secrets.token_hex(3)}", f"B{secrets.token_hex(3)}"
    make_user(app, "officer", officer_id=officer, unit=unit)
    supervisor = make_user(app, "supervisor", unit=unit)
    elsewhere = make_user(app, "supervisor", unit="south")
    return officer, supervisor, elsewhere


def answer_survey(app: Flask, officer: str, answers: tuple[str, ...] = ANSWERS) -> str:
    """Start a survey about `officer` and have the resident answer; return their number."""
    rt: Runtime = app.extensions["parley.runtime"]
    client, number = app.test_client(), random_number()
    token = create_token(rt.uow, f"cad-{secrets.token_hex(3)}", rt.clock(), SCOPES)
    payload = {"channel": "sms", "flow": "post_contact", "language": "en", "address": number}
    created = client.post(
        "/api/v1/surveys",
        json={**payload, "officer_id": officer, "incident_id": secrets.token_hex(4)},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert created.status_code == 201, created.get_json()
    for said in answers:
        reply(post_sms(client, number, said))
    return number


def rows(rt: Runtime, kind: type[Any]) -> list[Any]:
    """Return every row of a table."""
    from sqlalchemy import select

    with rt.uow() as uow:
        return list(uow.alerts._session.scalars(select(kind)))  # type: ignore[attr-defined]


def assert_anonymous(number: str, *bodies: str) -> None:
    """Check that no body holds the resident's number, with or without its +."""
    for body in bodies:
        assert number not in body and number.lstrip("+") not in body


def test_an_alert_reaches_the_units_supervisor_once_by_email_and_signed_webhook(
    alerting_app: Callable[..., Flask], mail: MailStandIn, hook: WebhookStandIn
) -> None:
    app = alerting_app()
    rt: Runtime = app.extensions["parley.runtime"]
    officer, supervisor, elsewhere = staff(app)

    number = answer_survey(app, officer)
    assert rt.dispatcher.drain(timeout=30)  # type: ignore[union-attr]
    sweep_alerts(replace(rt, dispatcher=None))  # a later sweep finds nothing left to send

    alerts = rows(rt, Alert)
    assert {a.rule for a in alerts} == RULES
    assert {(a.officer_id, a.kind) for a in alerts} == {(officer, "alert")}
    assert sorted(map(tuple, mail.recipients)) == [(supervisor,), (supervisor,)]
    assert len(hook.received) == 2
    mails = [m.get_content() for m in mail.messages]
    posts = [body.decode() for body, _ in hook.received]
    assert_anonymous(number, *mails, *posts, *(str(m) for m in mail.messages))
    assert all("/admin/alerts#alert-" in text for text in mails + posts)
    assert elsewhere not in str(mail.recipients)
    assert {json.loads(p)["rule"] for p in posts} == RULES
    assert {d.status for d in rows(rt, AlertDelivery)} == {ItemStatus.DONE}


def test_the_webhook_signature_is_an_hmac_of_the_body(
    alerting_app: Callable[..., Flask], hook: WebhookStandIn
) -> None:
    app = alerting_app()
    officer, _, _ = staff(app)
    answer_survey(app, officer, ("yes", "1"))
    assert app.extensions["parley.runtime"].dispatcher.drain(timeout=30)

    [(body, headers)] = hook.received
    signature = headers["X-Parley-Signature"]
    assert signature.startswith("sha256=")
    assert verify(SECRET, body, signature)
    assert not verify(SECRET, body.replace(b"respect", b"patient"), signature)
    assert not verify("another-key", body, signature)
    assert int(headers["X-Parley-Timestamp"]) == json.loads(body)["timestamp"]
    assert uuid.UUID(headers["X-Parley-Delivery"]) == uuid.UUID(json.loads(body)["delivery_id"])


class Dying:
    """An outlet whose process dies as it is called (the worker was killed mid-delivery)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def send(self, notice: AlertNotice) -> None:
        """Die."""
        raise SystemExit("worker killed")


def test_a_delivery_abandoned_by_a_dead_worker_is_sent_once_after_the_sweep(
    alerting_app: Callable[..., Flask],
    redis_url: str,
    clock: FakeClock,
    mail: MailStandIn,
    hook: WebhookStandIn,
) -> None:
    # The jobs go to Redis, where no worker takes them; then Redis loses them.
    app = alerting_app(redis_url=redis_url)
    rt: Runtime = app.extensions["parley.runtime"]
    officer, _, _ = staff(app)
    answer_survey(app, officer, ("yes", "1"))
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    with rt.uow() as uow:
        due = uow.alerts.due_deliveries(clock(), 10)
    assert len(due) == 2 and not mail.messages and not hook.received
    assert rt.alerting is not None
    dying = replace(
        rt,
        dispatcher=None,
        alerting=replace(rt.alerting, outlets={n: Dying(n) for n in rt.alerting.outlets}),
    )
    for delivery_id in due:
        with pytest.raises(SystemExit):
            deliver_alert(dying, delivery_id)

    restarted = replace(rt, dispatcher=None)
    assert sweep_alerts(restarted) == 0  # claimed a moment ago: not yet taken for dead
    assert [deliver_alert(restarted, d) for d in due] == [RunOutcome.SKIPPED] * 2
    clock.advance(minutes=3)
    assert sweep_alerts(restarted) == 2
    clock.advance(minutes=3)
    assert sweep_alerts(restarted) == 0

    assert len(mail.messages) == 1 and len(hook.received) == 1
    assert {d.status for d in rows(rt, AlertDelivery)} == {ItemStatus.DONE}


def test_a_refused_webhook_is_retried_after_a_backoff_and_a_rejected_one_given_up(
    alerting_app: Callable[..., Flask], clock: FakeClock, hook: WebhookStandIn
) -> None:
    app = alerting_app(smtp_url="", alert_from="")
    rt: Runtime = app.extensions["parley.runtime"]
    hook.statuses = [503, 404]
    officer, _, _ = staff(app)
    answer_survey(app, officer, ("yes", "1"))
    assert rt.dispatcher.drain(timeout=30)  # type: ignore[union-attr]
    inline = replace(rt, dispatcher=None)
    [delivery] = rows(rt, AlertDelivery)
    assert (delivery.status, delivery.attempts) == (ItemStatus.PENDING, 1)

    assert sweep_alerts(inline) == 0  # the backoff has not passed
    clock.advance(seconds=10)
    assert sweep_alerts(inline) == 1

    [delivery] = rows(rt, AlertDelivery)
    assert (delivery.status, delivery.attempts) == (ItemStatus.FAILED, 2)
    assert delivery.last_error == "webhook answered 404"
    ids = {headers["X-Parley-Delivery"] for _, headers in hook.received}
    assert len(hook.received) == 2 and ids == {str(delivery.id)}


def test_evaluating_again_raises_nothing_new(
    alerting_app: Callable[..., Flask], mail: MailStandIn
) -> None:
    from bot.services.alerts import raise_alerts

    app = alerting_app(alert_webhook_url="", alert_webhook_secret="")
    rt: Runtime = app.extensions["parley.runtime"]
    officer, _, _ = staff(app)
    answer_survey(app, officer)
    assert rt.dispatcher.drain(timeout=30)  # type: ignore[union-attr]
    [conversation_id] = {a.conversation_id for a in rows(rt, Alert)}

    with rt.uow() as uow:
        conversation = uow.conversations.get(conversation_id)
        assert conversation is not None
        raise_alerts(rt, uow, conversation, rt.clock())
        uow.commit()
    assert rt.dispatcher.drain(timeout=30)  # type: ignore[union-attr]

    assert {a.rule for a in rows(rt, Alert)} == RULES
    assert len(mail.messages) == 2


def test_top_marks_with_a_kind_comment_send_a_commendation(
    alerting_app: Callable[..., Flask], mail: MailStandIn, hook: WebhookStandIn
) -> None:
    app = alerting_app()
    rt: Runtime = app.extensions["parley.runtime"]
    officer, supervisor, _ = staff(app)

    answer_survey(app, officer, ("yes", "5", "5", "5", "5", "Patient and kind, thank you"))
    assert rt.dispatcher.drain(timeout=30)  # type: ignore[union-attr]

    [alert] = rows(rt, Alert)
    assert (alert.kind, alert.rule) == ("commendation", "commendation")
    [message] = mail.messages
    assert str(message["Subject"]).strip().startswith("Parley commendation:")
    assert mail.recipients == [[supervisor]]
    assert json.loads(hook.received[0][0])["kind"] == "commendation"


def test_a_unit_without_a_supervisor_has_its_alerts_sent_to_the_admins(
    alerting_app: Callable[..., Flask], mail: MailStandIn
) -> None:
    app = alerting_app(alert_webhook_url="", alert_webhook_secret="")
    rt: Runtime = app.extensions["parley.runtime"]
    officer = f"D{secrets.token_hex(3)}"
    make_user(app, "officer", officer_id=officer, unit="nobody-leads-this-unit")
    admin = make_user(app, "admin")

    answer_survey(app, officer, ("yes", "1"))
    assert rt.dispatcher.drain(timeout=30)  # type: ignore[union-attr]

    assert mail.recipients == [[admin]]


def test_the_smtp_url_signs_in_with_its_user_and_password(
    make_app: Callable[..., Flask], own_database_url: str
) -> None:
    with mail_standin(credentials=("parley@police.example", "p@ss word:1")) as server:
        host = server.url.removeprefix("smtp://")
        url = f"smtp://parley%40police.example:p%40ss%20word%3A1@{host}"
        app = make_app(own_database_url, smtp_url=url, alert_from=SENDER)
        officer, supervisor, _ = staff(app)
        answer_survey(app, officer, ("yes", "1"))
        assert app.extensions["parley.runtime"].dispatcher.drain(timeout=30)

        assert server.logins == ["parley@police.example"]
        assert server.recipients == [[supervisor]]

"""Two messages from one resident at the same moment must not corrupt the conversation."""

from __future__ import annotations

import threading
from collections.abc import Callable

from flask import Flask

from tests.web.helpers import post_sms, random_number, reply


def test_simultaneous_replies_are_serialised(
    database_url: str, make_app: Callable[[str], Flask]
) -> None:
    app = make_app(database_url)
    rt = app.extensions["parley.runtime"]
    rounds = 5
    numbers = [random_number() for _ in range(rounds)]
    for number in numbers:
        reply(post_sms(app.test_client(), number, "SURVEY"))
    statuses: list[int] = []
    for number in numbers:
        barrier = threading.Barrier(2)

        def send(number: str = number, barrier: threading.Barrier = barrier) -> None:
            client = app.test_client()
            barrier.wait()
            # Unparseable by every question kind but a free-text one: each costs one retry.
            statuses.append(post_sms(client, number, "???").status_code)

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert statuses == [200] * 2 * rounds
    with rt.uow() as uow:
        for number in numbers:
            respondent = uow.respondents.find("sms", number)
            conversation = uow.conversations.open_for(respondent.id)
            # Serialised, the second message sees the first one's retry: a lost update shows 1.
            assert conversation.retries == 2, "both replies must be counted"

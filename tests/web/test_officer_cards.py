"""The officer page's "Hand over a card": a CSRF-protected form, then the QR code to scan."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.helpers import post_sms, random_number, reply
from tests.web.pages import csrf_token, log_in, make_user, sqlite, text

CODE = re.compile(r"data-code>([0-9A-Z]{8})<")


@pytest.fixture()
def site(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    """Return the app on SQLite, with a Telegram bot to link cards to."""
    return make_app(sqlite(tmp_path), telegram_bot_username="SpringPDBot")


def officer(app: Flask) -> FlaskClient:
    """Return a client signed in as officer B77."""
    client = app.test_client()
    assert log_in(client, make_user(app, officer_id="B77")).status_code == 302
    return client


def hand_over(client: FlaskClient, **fields: str) -> str:
    """Submit the card form and return the card page's HTML."""
    form = {"language": "", "incident": "", "call_type": "", **fields}
    form["csrf_token"] = csrf_token(client, "/officer/card")
    made = client.post("/officer/card", data=form)
    assert made.status_code == 303, text(made)
    return text(client.get(made.headers["Location"]))


def decode_svg_qr(svg: str) -> str:
    """Decode a QR code drawn as segno's SVG, by redrawing its modules into a PNG."""
    import segno
    import zxingcpp
    from PIL import Image

    # segno draws the modules as one path of horizontal runs: read them back into a matrix.
    path = re.search(r'class="qrline"[^>]* d="([^"]+)"', svg)
    assert path is not None
    image = Image.new("L", (60, 60), 255)
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmhv])(-?[\d.]+)(?:\s(-?[\d.]+))?", path.group(1)):
        if op in "Mm":
            x, y = (float(a), float(b)) if op == "M" else (x + float(a), y + float(b))
        elif op == "h":
            for dx in range(int(float(a))):
                image.putpixel((int(x) + dx, int(y)), 0)
            x += float(a)
    big = image.resize((600, 600), Image.Resampling.NEAREST)
    (found,) = zxingcpp.read_barcodes(big)
    assert segno  # the library that drew it is installed beside the decoder
    return str(found.text)


def test_an_officer_hands_over_a_card_the_resident_scans_and_texts(site: Flask) -> None:
    client = officer(site)
    assert "Hand over a card" in text(client.get("/officer"))
    page = hand_over(client, language="es", incident="24-501", call_type="Theft report")
    found = CODE.search(page)
    assert found is not None
    code = found.group(1)
    assert f"SURVEY {code}" in page and "<svg" in page
    svg = page[page.index("<svg") : page.index("</svg>") + 6]
    assert decode_svg_qr(svg) == f"https://t.me/SpringPDBot?start={code}"
    # A reload shows the same card: no second card is made.
    assert code in text(client.get("/officer/card/show"))
    resident = site.test_client()
    assert "encuesta" in reply(post_sms(resident, random_number(), f"SURVEY {code}"))


def test_a_card_carries_the_officers_unit_to_the_contact(site: Flask) -> None:
    client = site.test_client()
    assert log_in(client, make_user(site, officer_id="B78", unit="Precinct 5")).status_code == 302
    found = CODE.search(hand_over(client, incident="24-502"))
    assert found is not None
    number = random_number()
    assert "please help us" in reply(post_sms(site.test_client(), number, f"SURVEY {found[1]}"))
    rt = site.extensions["parley.runtime"]
    with rt.uow() as uow:
        respondent = uow.respondents.for_update("sms", number, rt.clock())
        conversation = uow.contacts.conversation_for_contact(respondent.id, "24-502", None)
        assert conversation is not None and conversation.contact_id is not None
        contact = uow.contacts.get(conversation.contact_id)
    assert contact is not None and (contact.officer_id, contact.unit) == ("B78", "Precinct 5")


def test_an_excluded_call_type_makes_no_card(site: Flask) -> None:
    client = officer(site)
    form = {"language": "", "incident": "1", "call_type": "Domestic violence"}
    form["csrf_token"] = csrf_token(client, "/officer/card")
    refused = client.post("/officer/card", data=form)
    assert refused.status_code == 400
    assert "excluded" in text(refused) and "data-code" not in text(refused)


def test_the_card_form_needs_its_csrf_token_and_a_signed_in_officer(site: Flask) -> None:
    assert site.test_client().get("/officer/card").status_code == 302
    client = officer(site)
    refused = client.post("/officer/card", data={"language": "", "incident": "", "call_type": ""})
    assert refused.status_code == 400


def test_the_qr_code_decodes_from_a_png_to_the_link() -> None:
    import segno
    import zxingcpp
    from PIL import Image

    link = "https://t.me/SpringPDBot?start=K7M4Q2HX"
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=8, border=4)
    out.seek(0)
    (found,) = zxingcpp.read_barcodes(Image.open(out))
    assert found.text == link

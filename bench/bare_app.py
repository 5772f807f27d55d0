"""The floor of the stack: a bare Flask endpoint served like Parley (bench/webhooks.py)."""

from flask import Flask, Response, request

app = Flask(__name__)


@app.post("/webhooks/twilio/sms")
def sms() -> Response:
    """Read the form and answer fixed TwiML, doing nothing else."""
    body = request.form.get("Body", "")
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><Response><Message>{len(body)}</Message></Response>'
    )
    return Response(xml, mimetype="text/xml")

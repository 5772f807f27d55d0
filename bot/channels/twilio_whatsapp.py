"""WhatsApp through Twilio: the SMS sender's REST code, with WhatsApp's numbers and templates."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta

from twilio.rest import Client

from bot.channels.twilio_client import WHATSAPP_PREFIX, rest_client, status_callback
from bot.channels.twilio_sms import TwilioSender
from bot.config.settings import Settings
from bot.config.whatsapp import template_for
from bot.ports import DeliveryError
from bot.scheduling.states import DeliveryFailure

# WhatsApp's customer-service window: free-form messages only this long after the resident's.
SERVICE_WINDOW = timedelta(hours=24)


class TwilioWhatsAppSender(TwilioSender):
    """Send WhatsApp messages through Twilio: plain within the window, a template to open one."""

    def __init__(
        self,
        client: Client,
        from_number: str,
        templates: Mapping[str, str],
        agency_name: str,
        callback: str | None = None,
    ) -> None:
        super().__init__(client, WHATSAPP_PREFIX + from_number, callback)
        self._templates = dict(templates)
        self._agency_name = agency_name

    @classmethod
    def from_settings(cls, config: Settings) -> TwilioWhatsAppSender:
        """Build the WhatsApp sender from settings: WHATSAPP_FROM and the templates."""
        return cls(
            rest_client(config),
            config.whatsapp_from,
            config.whatsapp_templates,
            config.agency_name,
            status_callback(config),
        )

    @property
    def window(self) -> timedelta:
        """Return how long after a resident's last message free-form messages may be sent."""
        return SERVICE_WINDOW

    def cost(self, body: str) -> int:
        """Return 1: WhatsApp paces by message, whatever its length (no SMS segments)."""
        return 1

    def _to(self, address: str) -> str:
        """Write a resident's E.164 number as Twilio's WhatsApp `To`."""
        return WHATSAPP_PREFIX + address

    def has_template(self, language: str) -> bool:
        """Say whether an approved template (its own, or the default) opens `language`."""
        return template_for(self._templates, language) is not None

    def find_template(self, address: str, since: datetime) -> str | None:
        """Return the SID of a template sent to `address` since `since`, if Twilio took it.

        Twilio's copy holds the template's text, not Parley's: any message to the resident
        is it, as outside the window nothing else can have gone (no plain message may, and no
        reply goes without the resident's message, which opens the window).
        """
        sent = self._sent_since(address, since)
        return sent[0][0] if sent else None

    def send_template(self, address: str, body: str, language: str) -> str | None:
        """Open a conversation with the approved template for `language` (`body` is Parley's)."""
        sid = template_for(self._templates, language)
        if sid is None:
            raise DeliveryError(
                f"no WhatsApp template for {language!r}", kind=DeliveryFailure.PERMANENT
            )
        # Templates may name the agency as their variable {{1}} (README: WhatsApp).
        variables = json.dumps({"1": self._agency_name})
        return self._create(address, content_sid=sid, content_variables=variables)

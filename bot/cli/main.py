"""Command line: python -m bot cards|db|keys|retention|respondent|token|flows|survey|export…"""

from __future__ import annotations

import click

from bot.cli.cards import cards
from bot.cli.chat import chat
from bot.cli.contacts import contacts
from bot.cli.db import db
from bot.cli.export import export
from bot.cli.flows import flows
from bot.cli.keys import keys
from bot.cli.respondents import respondent
from bot.cli.retention import retention
from bot.cli.surveys import survey
from bot.cli.telegram import telegram
from bot.cli.tokens import token
from bot.cli.users import user
from bot.cli.worker import worker


@click.group()
def main() -> None:
    """Parley: multilingual post-contact surveys by SMS and chat."""


for command in (cards, chat, contacts, db, export, flows, keys, respondent, retention, survey):
    main.add_command(command)
for command in (telegram, token, user, worker):
    main.add_command(command)

"""Parley: multilingual post-contact survey bot for police agencies."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from bot.config.settings import Settings
    from bot.services.runtime import Runtime


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> Flask:
    """Build the Flask app: settings from the environment unless given, wired by bootstrap()."""
    from bot.web.app import build_app

    return build_app(settings, runtime)

"""Reach the runtime and settings the app was built with, from inside a request."""

from __future__ import annotations

from typing import cast

from flask import current_app

from bot.config.settings import Settings
from bot.services.runtime import Runtime


def runtime() -> Runtime:
    """Return the service-layer runtime of the current app."""
    return cast(Runtime, current_app.extensions["parley.runtime"])


def settings() -> Settings:
    """Return the settings of the current app."""
    return cast(Settings, current_app.extensions["parley.settings"])

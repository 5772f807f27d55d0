"""Internationalisation: locale catalogs, SMS segment counting and reply language detection."""

from bot.i18n.detect import detect_language

__all__ = ["detect_language"]

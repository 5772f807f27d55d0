"""The public transparency page and its open data: no sign-in, cacheable, embeddable."""

from bot.web.transparency.routes import bp

__all__ = ["bp"]

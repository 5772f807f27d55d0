"""WSGI entry point: gunicorn wsgi:app (settings from the environment)."""

from bot import create_app

app = create_app()

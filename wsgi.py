"""WSGI entry point: gunicorn wsgi:app (settings from the environment)."""

import sys

from bot import create_app
from bot.errors import ConfigError, DefinitionFileError

try:
    app = create_app()
except (ConfigError, DefinitionFileError) as exc:
    # A bad setting or flow file stops start-up with one clear line (file:line: reason).
    print(f"parley: {exc}", file=sys.stderr)
    raise SystemExit(1) from exc

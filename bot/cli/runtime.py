"""The one way a command opens and closes the runtime (or uses the one a caller handed over)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from bot.config.settings import Settings
from bot.errors import ConfigError, DefinitionFileError

if TYPE_CHECKING:
    from bot.services.runtime import Runtime


@contextmanager
def opened_runtime(
    migrate: bool = True, overrides: Mapping[str, Any] | None = None
) -> Iterator[Runtime]:
    """Yield the runtime for a command, closing it afterwards unless the caller owns it.

    A caller (a test, a host application) may hand its own runtime over as click's context
    object; it is used as is and left open. Otherwise the runtime is wired from the environment
    and `overrides`, and a configuration error exits with its message, not a traceback.
    """
    from bot.services.runtime import Runtime

    context = click.get_current_context(silent=True)
    handed = context.obj if context is not None else None
    if isinstance(handed, Runtime):
        yield handed
        return
    rt = _bootstrap(migrate, overrides)
    try:
        yield rt
    finally:
        rt.close()


def _bootstrap(migrate: bool, overrides: Mapping[str, Any] | None) -> Runtime:
    """Bootstrap from the environment; configuration errors become a clean click error."""
    from bot.bootstrap import bootstrap, configure_logging

    try:
        settings = Settings.from_env().with_overrides(**(overrides or {}))
        configure_logging(settings)
        return bootstrap(settings, migrate=migrate)
    except (ConfigError, DefinitionFileError) as exc:
        raise click.ClickException(str(exc)) from exc

"""`python -m bot token …`: API tokens, printed once and stored only as a hash."""

from __future__ import annotations

import click

from bot.cli.runtime import opened_runtime


@click.group()
def token() -> None:
    """Manage API tokens."""


@token.command("create")
@click.option(
    "--name", required=True, type=click.STRING, help="Who or what will use the token (≤ 100)."
)
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice(["surveys:write", "results:read", "responses:read"]),
    help="What it may do (repeatable): surveys:write (the default) starts surveys and reads"
    " their status; results:read reads residents' answers; responses:read exports every"
    " survey's responses (GET /api/v1/responses).",
)
def token_create(name: str, scopes: tuple[str, ...]) -> None:
    """Create an API token; it is printed once and stored only as a hash."""
    from bot.services.audit import command_line
    from bot.services.tokens import DEFAULT_SCOPES, TokenError, create_token

    with opened_runtime() as rt:
        try:
            raw = create_token(
                rt.uow, name, rt.clock(), scopes or DEFAULT_SCOPES, actor=command_line()
            )
        except TokenError as exc:
            raise click.BadParameter(str(exc), param_hint="--name") from exc
    click.echo(raw)
    click.echo("Store it now: Parley keeps only its hash.", err=True)


@token.command("list")
def token_list() -> None:
    """List API tokens: id, name, scopes, created, last used, revoked (never the token)."""
    from bot.services.tokens import list_tokens

    with opened_runtime() as rt:
        found = list_tokens(rt.uow)
    for info in found:
        used = info.last_used_at.isoformat() if info.last_used_at else "never used"
        state = f"revoked {info.revoked_at.isoformat()}" if info.revoked_at else "live"
        click.echo(
            f"{info.id}  {info.name}  {','.join(info.scopes)}"
            f"  created {info.created_at.isoformat()}  {used}  {state}"
        )


@token.command("revoke")
@click.argument("name_or_id")
def token_revoke(name_or_id: str) -> None:
    """Revoke API tokens by name or id; requests with them get 401 at once."""
    from bot.services.audit import command_line
    from bot.services.tokens import revoke_tokens

    with opened_runtime() as rt:
        count = revoke_tokens(rt.uow, name_or_id, rt.clock(), actor=command_line())
    if count == 0:
        raise click.ClickException(f"no live token named {name_or_id!r}")
    click.echo(f"revoked {count} token{'s' if count != 1 else ''}")

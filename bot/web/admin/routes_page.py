"""The routing page: which flow a survey starts when none is named, by call type, and the default.

Supervisors read it; admins add, change and remove routes (audited by bot.services.flow_routes).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from bot.services.flow_admin import FlowAdminError
from bot.services.flow_routes import read_routes, remove_route, set_route
from bot.web.admin.blueprint import READERS, WRITERS, bp
from bot.web.auth import role_required, signed_in
from bot.web.context import runtime

DEFAULT = "*"


def _stripped(value: str | None) -> str | None:
    """Return a typed value without the spaces around it."""
    return value.strip() if isinstance(value, str) else value


class RouteForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    """A call type and the flow its surveys start ("*": the default flow)."""

    # Stripped, so a blank call type is a mistake rather than the default route ("*" is).
    call_type = StringField(
        "Call type",
        filters=[_stripped],
        validators=[DataRequired("Enter a call type, or * for the default flow."), Length(max=64)],
    )
    flow = SelectField("Flow", choices=[], validate_choice=False)


class RemoveForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    """Stop routing a call type to a flow of its own."""

    call_type = HiddenField(validators=[InputRequired()])


@bp.get("/routing")
@role_required(*READERS)
def routing() -> ResponseReturnValue:
    """Show the routing table and, for admins, the form to change it."""
    return _page(_form(), 200)


@bp.post("/routing")
@role_required(*WRITERS)
def change_route() -> ResponseReturnValue:
    """Route a call type (or the default) to a flow; a mistake shows beside its field."""
    form = _form()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        key = set_route(runtime(), form.call_type.data, form.flow.data, signed_in().account.email)
    except FlowAdminError as exc:
        form.call_type.errors = [exc.fields["call_type"]] if "call_type" in exc.fields else []
        form.flow.errors = [exc.fields["flow"]] if "flow" in exc.fields else []
        return _page(form, 400)
    named = "The default flow" if key == DEFAULT else f"Call type {key}"
    flash(f"{named} now starts flow {form.flow.data}.", "done")
    return redirect(url_for("admin.routing"), 303)


@bp.post("/routing/remove")
@role_required(*WRITERS)
def drop_route() -> ResponseReturnValue:
    """Send a call type back to the default flow."""
    form = RemoveForm()
    if not form.validate_on_submit() or form.call_type.data.strip() in ("", DEFAULT):
        flash("Pick a call type's route to remove (the default flow stays).", "error")
        return redirect(url_for("admin.routing"), 303)
    try:
        removed = remove_route(runtime(), form.call_type.data, signed_in().account.email)
    except FlowAdminError as exc:
        flash("; ".join(exc.fields.values()), "error")
        return redirect(url_for("admin.routing"), 303)
    if removed:
        flash(f"Call type {form.call_type.data} now starts the default flow.", "done")
    else:
        flash(f"Call type {form.call_type.data} had no route of its own.", "error")
    return redirect(url_for("admin.routing"), 303)


def _form() -> RouteForm:
    """Return the route form, its flow choices the live flows."""
    form = RouteForm()
    form.flow.choices = [(flow_id, flow_id) for flow_id in sorted(runtime().flows)]
    return form


def _page(form: RouteForm, status: int) -> tuple[str, int]:
    """Render the routing table with the form as it was sent."""
    page = render_template(
        "admin/routing.html",
        routes=read_routes(runtime()),
        form=form,
        remove=RemoveForm(formdata=None),
        can_write=signed_in().account.role in WRITERS,
        default=DEFAULT,
    )
    return page, status

"""Only storage.lifecycle changes a conversation's status or disposition: an AST scan of bot/.

Outside storage, `x.status = …` is allowed only on a message (its delivery status); anything
named otherwise is taken for a conversation, so a status change cannot hide behind a short
variable name. `.disposition` and `.refusal_reason` belong to conversations alone.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUARDED = frozenset({"status", "disposition", "refusal_reason"})
# Variables whose `.status` is not a conversation's: a message's delivery status.
OTHER_STATUS = frozenset({"message"})


def _targets(node: ast.AST) -> Iterator[ast.expr]:
    """Yield every expression an assignment statement writes to, tuples unpacked."""
    if isinstance(node, ast.Assign):
        pending = list(node.targets)
    elif isinstance(node, ast.AugAssign | ast.AnnAssign):
        pending = [node.target]
    else:
        return
    while pending:
        target = pending.pop()
        if isinstance(target, ast.Tuple | ast.List):
            pending.extend(target.elts)
        elif isinstance(target, ast.Starred):
            pending.append(target.value)
        else:
            yield target


def _guarded_write(target: ast.expr) -> str | None:
    """Name the guarded attribute a target writes, unless it is a message's status."""
    if not isinstance(target, ast.Attribute) or target.attr not in GUARDED:
        return None
    owner = target.value
    if target.attr == "status" and isinstance(owner, ast.Name) and owner.id in OTHER_STATUS:
        return None
    return f"{ast.unparse(target)} ="


def _setattr_write(node: ast.AST) -> str | None:
    """Name a setattr(…, "status", …) call on a guarded attribute."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        return None
    if node.func.id != "setattr" or len(node.args) < 2:
        return None
    name = node.args[1]
    if isinstance(name, ast.Constant) and name.value in GUARDED:
        return f"setattr(…, {name.value!r}, …)"
    return None


def violations(source: str) -> list[str]:
    """List each write of a conversation's status, disposition or refusal reason, by line."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        writes = [_guarded_write(target) for target in _targets(node)] + [_setattr_write(node)]
        found.extend(f"line {node.lineno}: {w}" for w in writes if w is not None)  # type: ignore[attr-defined]
    return found


def test_no_module_outside_storage_changes_a_conversations_status() -> None:
    found = {
        str(path.relative_to(ROOT)): problems
        for path in sorted((ROOT / "bot").rglob("*.py"))
        if (problems := violations(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "use the Conversation lifecycle methods (storage/lifecycle.py)"


@pytest.mark.parametrize(
    "source",
    [
        "conversation.status = Status.EXPIRED",
        "latest.disposition = 'complete'",
        "c.status, c.updated_at = 'refused', now",
        "conversation.refusal_reason: str = reason",
        "self.conversation.status = 'active'",
        "setattr(conversation, 'disposition', value)",
        "for x in xs:\n    x.status += 'ed'",
    ],
)
def test_the_scan_finds_a_status_change_however_it_is_written(source: str) -> None:
    assert len(violations(source)) == 1


@pytest.mark.parametrize(
    "source",
    [
        "message.status = MessageStatus.SENT",
        "message.status, message.error_code = MessageStatus.FAILED, code",
        "conversation.activate(now)",
        "status = conversation.status",
        "Conversation(status=Status.SCHEDULED)",
        "answer.translation_status = 'done'",
    ],
)
def test_the_scan_leaves_other_writes_alone(source: str) -> None:
    assert violations(source) == []

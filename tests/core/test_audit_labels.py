"""Issue 12, item 9: 操作记录 reads as Chinese labels. Every verb a service records has a label registered
by its app; a new verb without one fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

from xietong.core import audit_labels
from xietong.core.models import AuditEvent

SRC = Path(__file__).resolve().parents[2] / "src" / "xietong"
VERB = re.compile(r"^[a-z_]+\.[a-z_]+$")
# verbs built at run time: the f-string's shape and the values it is filled with
DYNAMIC = {
    "transfer/services.py": [f"{kind}.{what}" for kind in ("achievement", "demand")
                             for what in ("published", "updated", "withdrawn")]
                            + [f"intent.{s}" for s in ("accepted", "declined")],
    "evaluation/execution.py": [f"evaluation.run_{s}" for s in ("done", "failed")],
}  # fmt: skip


def _recorded_verbs() -> dict[str, str]:
    """verb → module, for every string passed as `verb=` to a call, or as the verb argument of the order
    services' `_save(actor, order, "<verb>", ...)`; f-strings are listed in DYNAMIC."""
    found: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        rel = path.relative_to(SRC).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            candidates = [kw.value for kw in node.keywords if kw.arg == "verb"]
            if getattr(node.func, "id", None) == "_save" and len(node.args) >= 3:
                candidates.append(node.args[2])
            for value in candidates:
                if isinstance(value, ast.JoinedStr):
                    assert rel in DYNAMIC, f"{rel}: a verb built at run time; list its values in DYNAMIC"
                    continue
                for part in ast.walk(value):  # a constant, or both arms of `"a.b" if … else "a.c"`
                    if (
                        isinstance(part, ast.Constant)
                        and isinstance(part.value, str)
                        and VERB.match(part.value)
                    ):
                        found[part.value] = rel
        for verb in DYNAMIC.get(rel, []):
            found[verb] = rel
    return found


def test_the_scan_finds_the_verbs_of_every_app():
    verbs = _recorded_verbs()
    assert {"order.booked", "org.approved", "voucher.claimed", "intent.accepted", "zone.created",
            "evaluation.run_done", "account.password_changed"} <= set(verbs)  # fmt: skip
    assert all(VERB.match(v) for v in verbs)


def test_every_recorded_verb_has_a_chinese_label():
    labels = audit_labels.registered()
    missing = {verb: module for verb, module in _recorded_verbs().items() if verb not in labels}
    assert missing == {}, "add a label to the app's audit_verbs.py: " + repr(missing)


def test_every_label_has_its_english():
    with translation.override("en"):
        untranslated = [
            str(v) for v in audit_labels.registered().values() if re.search(r"[\u4e00-\u9fff]", str(v))
        ]
    assert untranslated == []


@pytest.mark.django_db
def test_an_event_reads_as_a_label_and_a_name():
    from tests.factories import UserFactory

    user = UserFactory(username="org_admin", first_name="", last_name="")
    user.first_name = "张伟"
    user.save(update_fields=["first_name"])
    event = AuditEvent(verb="order.booked", actor_user=user, actor_label="org_admin")
    assert (event.verb_display, event.actor_display) == ("预约下单", "张伟")
    assert AuditEvent(verb="order.booked", actor_label="system").actor_display == "系统"
    assert AuditEvent(verb="x.unknown", actor_label="").verb_display == "其他操作"

"""The one way services record a state change."""

from __future__ import annotations

from typing import Any

from django.db import models

from xietong.core import hotsql
from xietong.core.actor import Actor
from xietong.core.models import AuditEvent


def record(
    *, actor: Actor, verb: str, target: models.Model, data: dict[str, Any] | None = None
) -> AuditEvent:
    return hotsql.create(
        AuditEvent,
        actor_user_id=actor.user_id,
        actor_label=actor.label,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data or {},
    )


def record_many(*, actor: Actor, verb: str, model: type[models.Model], target_ids: list) -> None:
    """One event per row of a bulk write (imports), in batches: a thousand-row import is not a thousand INSERTs."""
    AuditEvent.objects.bulk_create(  # tenancy-ok: audit events of the rows a service just wrote
        [
            AuditEvent(
                actor_user_id=actor.user_id,
                actor_label=actor.label,
                verb=verb,
                target_type=model._meta.label_lower,
                target_id=str(pk),
            )
            for pk in target_ids
        ],
        batch_size=500,
    )


def events_for(target: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.select_related("actor_user").filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    )  # tenancy-ok: the audit trail of a target its caller already resolved through a selector

"""Uploading chain models: each valid upload becomes the model's next version."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kuaiji.platform.access.services import authorize
from kuaiji.platform.audit.services import record
from kuaiji.platform.chains.definitions import compile_model
from kuaiji.platform.chains.models import ChainDefinition, ChainVersion
from kuaiji.platform.core.crypto import sm3
from kuaiji.platform.core.errors import InvalidInput


@transaction.atomic
def upload_model(*, actor: Any, source: bytes, shipped: bool = False) -> ChainVersion:
    """Validate a BPMN model and store it as the next version of its chain (the process id
    names the chain). Running instances keep the version they started with."""
    authorize(actor, "chains.model.manage")
    compiled = compile_model(source)
    digest = sm3(source)
    definition, created = ChainDefinition.objects.select_for_update().get_or_create(
        key=compiled.process_id,
        defaults={"name": compiled.name[:200], "name_en": compiled.name_en[:200]},
    )
    latest = definition.versions.order_by("-number").first()
    if latest is not None and latest.digest == digest:
        raise InvalidInput(fields={"source": _("This model is the same as the latest version.")})
    if not created:
        definition.name, definition.name_en = compiled.name[:200], compiled.name_en[:200]
        definition.save(update_fields=["name", "name_en"])
    version = ChainVersion.objects.create(
        definition=definition,
        number=(latest.number + 1) if latest else 1,
        source=source.decode("utf-8"),
        digest=digest,
        spec=compiled.spec,
        lanes=compiled.lanes_json(),
        steps=compiled.steps_json(),
        shipped=shipped,
        uploaded_by_id=getattr(actor, "pk", None),
    )
    record(
        actor=actor,
        action="chains.model.upload",
        object_type="chains.chainversion",
        object_id=str(version.pk),
        object_label=str(version)[:200],
        changes={"key": [None, definition.key], "number": [None, version.number],
                 "digest": [None, digest]},
    )  # fmt: skip
    return version

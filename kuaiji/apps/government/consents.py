"""The applicant's data consents (授权): what shared data the platform obtained for which
application, and their withdrawal.

A consent is given when the applicant lets the platform obtain a 免提交 material from shared data
for one application (`materials.obtain_shared`). Withdrawing it records `withdrawn_at`: the
platform makes no further use of that data for that application. The record already obtained
stays with the application as the basis of what was handled, and the read stays in the data
platform's call log.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.apps.government.models import Consent
from kuaiji.platform.audit.services import record
from kuaiji.platform.core.errors import Conflict, NotFound


def my_consents(actor: Any) -> QuerySet[Consent]:
    """The consents the actor gave, newest first, with their application and data resource."""
    owner = actor.pk if isinstance(actor, get_user_model()) else None
    if owner is None:
        return Consent.objects.none()
    return (
        Consent.objects.filter(applicant_id=owner)
        .select_related("application__bundle", "application__item", "resource")
        .order_by("-given_at", "-pk")
    )


@transaction.atomic
def withdraw_consent(*, actor: Any, consent: Consent | int) -> Consent:
    """The applicant withdraws a consent they gave, once; anyone else's consent answers
    NotFound, one already withdrawn Conflict. Audited (`government.consent.withdraw`)."""
    pk = consent.pk if isinstance(consent, Consent) else int(consent)
    owner = actor.pk if isinstance(actor, get_user_model()) else None
    found = (
        Consent.objects.select_for_update(of=("self",))
        .select_related("application", "resource")
        .filter(pk=pk, applicant_id=owner)
        .first()
    )
    if owner is None or found is None:
        raise NotFound()
    if found.withdrawn_at is not None:
        raise Conflict(_("This consent has already been withdrawn."))
    found.withdrawn_at = timezone.now()
    found.save(update_fields=["withdrawn_at"])
    record(
        actor=actor,
        action="government.consent.withdraw",
        obj=found,
        changes={
            "withdrawn_at": [None, found.withdrawn_at.isoformat()],
            "application": [None, found.application.number],
            "resource": [None, found.resource.code],
        },
        region_path=found.application.region_path,
    )
    return found

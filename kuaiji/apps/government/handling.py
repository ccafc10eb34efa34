"""Handling an application: acceptance or the one correction request (一次性告知) by the service
window, the applicant's resubmission, the departments' parallel handling, the decision, and the
applicant's withdrawal before it.

Each service locks the application row, checks the actor and the application's state, completes
the chain task the step waits on (the chain's listener keeps the statuses in step) and writes
the audit log; a step that lost a race (withdrawn meanwhile, decided already) answers Conflict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.apps.government import materials as supplied
from kuaiji.apps.government.applying import clean_answers, form_of
from kuaiji.apps.government.casework import (
    audit,
    authorized,
    is_applicant,
    locked,
    open_task,
    tell_applicant,
)
from kuaiji.apps.government.models import (
    Application,
    ApplicationItem,
    ApplicationStatus,
    Correction,
    ItemStatus,
    ServiceItem,
)
from kuaiji.platform.access.scoping import grants_with, is_unrestricted
from kuaiji.platform.chains import services as chains
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import Conflict, InvalidInput, NotFound
from kuaiji.platform.workdays.calendar import UnpublishedYear, WorkCalendar

TEXT_MAX = 2000
PROBLEMS_MAX = 50
DECIDED = (
    ApplicationStatus.DECIDED,
    ApplicationStatus.DELIVERED,
    ApplicationStatus.REJECTED,
)


def _text(value: str, name: str, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(fields={name: _("This field is required.")})
    if len(text) > TEXT_MAX:
        raise InvalidInput(fields={name: _("At most %(count)d characters.") % {"count": TEXT_MAX}})
    return text


def _items_of(application: Application) -> list[ServiceItem]:
    return [entry.item for entry in application.items.select_related("item__department")]


def promised_date(application: Application, accepted_at: datetime) -> date | None:
    """The promised date: the longest promised limit of the items, in working days from
    acceptance; None while the calendar of a year it reaches into is not published."""
    days = application.items.aggregate(longest=Max("item__promised_days"))["longest"] or 0
    if days < 1:
        return timezone.localtime(accepted_at).date()
    try:
        return timezone.localtime(WorkCalendar.load().add_working_days(accepted_at, days)).date()
    except UnpublishedYear:
        return None


def _settled(application: Application) -> None:
    if application.status == ApplicationStatus.WITHDRAWN:
        raise Conflict(_("The application has been withdrawn."))
    if application.status in DECIDED or application.decided_at is not None:
        raise Conflict(_("The application has already been decided."))


@transaction.atomic
def accept(*, actor: Any, application: Application) -> Application:
    """The service window accepts the application (受理); the departments start handling it,
    and the promised date is set."""
    found = authorized(actor, application, "government.application.accept")
    _settled(found)
    task = open_task(found, "accept")
    chains.complete(actor=actor, task=task.pk, form={"decision": "accept"})
    now = timezone.now()
    promised = promised_date(found, now)
    Application.objects.filter(pk=found.pk).update(
        accepted_at=now, promised_by=promised, revision=F("revision") + 1
    )
    found.refresh_from_db()
    audit(
        actor,
        "accept",
        found,
        {"status": [None, found.status], "promised_by": [None, str(promised)]},
    )
    tell_applicant(
        actor,
        found,
        _("Application accepted"),
        _("Promised by %(date)s.") % {"date": promised} if promised else "",
    )
    return found


def _problems(
    application: Application, problems: Sequence[Mapping[str, Any]]
) -> list[dict[str, str]]:
    """Every problem checked: it names a material of the application or a field of its form,
    and says what to do."""
    if not isinstance(problems, Sequence) or not problems or len(problems) > PROBLEMS_MAX:
        raise InvalidInput(fields={"problems": _("List every problem (1 to 50), at once.")})
    codes = set(supplied.needed(_items_of(application)))
    fields = {str(field["name"]) for field in form_of(application.item, application.bundle)}
    cleaned: list[dict[str, str]] = []
    for index, problem in enumerate(problems):
        name = f"problems[{index}]"
        if not isinstance(problem, Mapping):
            raise InvalidInput(fields={name: _("Name a material or a field, and what to do.")})
        material = str(problem.get("material") or "").strip()
        field = str(problem.get("field") or "").strip()
        what = str(problem.get("what") or "").strip()
        if bool(material) == bool(field):
            raise InvalidInput(fields={name: _("Name one material or one field.")})
        if material and material not in codes:
            raise InvalidInput(fields={name: _("The application has no such material.")})
        if field and field not in fields:
            raise InvalidInput(fields={name: _("The form has no such field.")})
        if not what or len(what) > 500:
            raise InvalidInput(fields={name: _("Say what to do (at most 500 characters).")})
        cleaned.append(
            {"material": material, "what": what} if material else {"field": field, "what": what}
        )
    return cleaned


@transaction.atomic
def request_correction(
    *, actor: Any, application: Application, problems: Sequence[Mapping[str, Any]]
) -> Correction:
    """Ask the applicant, once, to correct the application, listing every problem at once
    (一次性告知); a second request answers Conflict."""
    found = authorized(actor, application, "government.application.accept")
    _settled(found)
    if Correction.objects.filter(application=found).exists():
        raise Conflict(_("A correction has already been requested; every problem is told at once."))
    task = open_task(found, "accept")
    cleaned = _problems(found, problems)
    summary = "; ".join(
        f"{problem.get('material') or problem.get('field')}: {problem['what']}"
        for problem in cleaned
    )
    chains.complete(
        actor=actor, task=task.pk, form={"decision": "correct", "opinion": summary[:TEXT_MAX]}
    )
    correction = Correction.objects.create(application=found, problems=cleaned, requested_by=actor)
    for problem in cleaned:
        if problem.get("material"):
            found.materials.filter(code=problem["material"]).update(problem=problem["what"][:300])
    Application.objects.filter(pk=found.pk).update(revision=F("revision") + 1)
    audit(actor, "correction", found, {"problems": [None, len(cleaned)]})
    tell_applicant(actor, found, _("Please correct your application"), summary)
    return correction


@transaction.atomic
def resubmit(
    *,
    actor: Any,
    application: Application,
    answers: Mapping[str, Any],
    uploads: Mapping[str, UploadedFile[bytes]],
) -> Application:
    """The applicant answers the correction request: every field and material it named must be
    sent again (other answers are kept); the application goes back to the service window."""
    if not is_applicant(actor, application):
        raise NotFound()
    found = locked(application)
    if found.status != ApplicationStatus.CORRECTION:
        raise Conflict(_("The application does not wait for a correction."))
    correction = Correction.objects.get(application=found)
    needed = supplied.needed(_items_of(found))
    supplied.check_uploads(uploads, needed)
    errors: dict[str, str] = {}
    for problem in correction.problems:
        if problem.get("material") and problem["material"] not in uploads:
            errors[problem["material"]] = _("Upload this material again: %(what)s") % {
                "what": problem["what"]
            }
        if problem.get("field") and problem["field"] not in (answers or {}):
            errors[problem["field"]] = _("Answer this field again: %(what)s") % {
                "what": problem["what"]
            }
    if errors:
        raise InvalidInput(fields=errors)
    values = clean_answers(
        form_of(found.item, found.bundle), {**(found.answers or {}), **dict(answers or {})}
    )
    task = open_task(found, "resubmit")
    for code, upload in uploads.items():
        supplied.store_upload(found, needed[code], upload)
    chains.complete(actor=actor, task=task.pk, form={"opinion": _("Corrected and resubmitted.")})
    Application.objects.filter(pk=found.pk).update(answers=values, revision=F("revision") + 1)
    Correction.objects.filter(pk=correction.pk).update(answered_at=timezone.now())
    found.refresh_from_db()
    audit(actor, "resubmit", found, {"materials": [None, sorted(uploads)]})
    return found


def _handles(actor: Any, item: ApplicationItem) -> bool:
    if is_unrestricted(actor):
        return True
    path = item.department.path
    return any(
        grant.department is not None and path.startswith(grant.department.path)
        for grant in grants_with(actor, "government.application.handle")
    )


@transaction.atomic
def handle(
    *, actor: Any, application_item: ApplicationItem, opinion: str, refused: bool = False
) -> ApplicationItem:
    """An officer of the item's department handles it with an opinion (or refuses it); when
    every item of the department is handled, the department's parallel task is completed."""
    item = ApplicationItem.objects.select_related("department", "item").get(pk=application_item.pk)
    if not _handles(actor, item):
        raise NotFound()
    found = locked(item.application)
    _settled(found)
    opinion = _text(opinion, "opinion")
    item = ApplicationItem.objects.select_related("department", "item").get(pk=item.pk)
    if item.status not in (ItemStatus.WAITING, ItemStatus.HANDLING):
        raise Conflict(_("This item has already been handled."))
    task = open_task(found, "handle_departments", department_id=item.department_id)
    now = timezone.now()
    ApplicationItem.objects.filter(pk=item.pk).update(
        status=ItemStatus.REFUSED if refused else ItemStatus.DONE,
        opinion=opinion,
        handled_by=actor,
        handled_at=now,
    )
    siblings = ApplicationItem.objects.filter(application=found, department_id=item.department_id)
    if not siblings.filter(status__in=(ItemStatus.WAITING, ItemStatus.HANDLING)).exists():
        joined = "\n".join(
            f"{sibling.item.name}: {sibling.opinion}" for sibling in siblings.select_related("item")
        )
        chains.complete(actor=actor, task=task.pk, form={"opinion": joined[:TEXT_MAX]})
    Application.objects.filter(pk=found.pk).update(revision=F("revision") + 1)
    audit(
        actor,
        "handle",
        found,
        {"item": [None, item.item.code], "refused": [None, refused]},
    )
    item.refresh_from_db()
    return item


@transaction.atomic
def decide(
    *,
    actor: Any,
    application: Application,
    approve: bool,
    note: str,
    revision: int | None = None,
) -> Application:
    """Approve or reject the application once every department has handled it. Conflict when
    it was withdrawn meanwhile, is already decided, or (given `revision`) changed since read."""
    found = authorized(actor, application, "government.application.decide")
    _settled(found)
    if revision is not None and revision != found.revision:
        raise Conflict(_("The application changed meanwhile; reload it and decide again."))
    note = _text(note, "note")
    task = open_task(found, "decision")
    if approve:
        refused = found.items.filter(status=ItemStatus.REFUSED).select_related("item")
        if refused.exists():
            raise InvalidInput(
                fields={
                    "approve": _(
                        "A department refused %(item)s; the application cannot be approved."
                    )
                    % {"item": refused[0].item.name}
                }
            )
    chains.complete(
        actor=actor,
        task=task.pk,
        form={"decision": "approve" if approve else "reject", "opinion": note},
    )
    Application.objects.filter(pk=found.pk).update(
        decided_at=timezone.now(), decision_note=note, revision=F("revision") + 1
    )
    found.refresh_from_db()
    audit(actor, "decide", found, {"approve": [None, approve], "status": [None, found.status]})
    tell_applicant(
        actor,
        found,
        _("Application approved") if approve else _("Application not approved"),
        note,
    )
    return found


@transaction.atomic
def withdraw(*, actor: Any, application: Application, reason: str) -> Application:
    """The applicant takes the application back before it is decided; its chain is withdrawn
    (or, once staff acted on it, cancelled)."""
    if not is_applicant(actor, application):
        raise NotFound()
    found = locked(application)
    _settled(found)
    reason = _text(reason, "reason")
    instance = found.chain
    if instance is not None:
        if instance.touched or instance.starter_id != actor.pk:
            chains.cancel(actor=SYSTEM, instance=instance.pk, reason=reason)
        else:
            chains.withdraw(actor=actor, instance=instance.pk, reason=reason)
    Application.objects.filter(pk=found.pk).update(
        status=ApplicationStatus.WITHDRAWN,
        withdrawn_at=timezone.now(),
        revision=F("revision") + 1,
    )
    found.refresh_from_db()
    audit(actor, "withdraw", found, {"status": [None, ApplicationStatus.WITHDRAWN]})
    return found

"""Good/bad ratings (好差评): the applicant rates a decided or delivered application once, from
1 (very bad) to 5 (very good). A bad rating (2 or below) starts a ``service_rectification``
chain: the handling department rectifies within 5 working days, then the county's service
window revisits the applicant within 3 and records how they rate the service now; the chain's
listener (`follow_rectification`) copies that revisit onto the rating.

Ratings are read within the reader's scope (`government.rating.view`): a region grant sees the
ratings of applications under its region, a department grant those of applications with one
of its items.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.apps.government.models import (
    Application,
    ApplicationItem,
    ApplicationStatus,
    Rating,
    RatingLevel,
)
from kuaiji.platform.access.scoping import NOTHING, grants_with, is_unrestricted
from kuaiji.platform.audit.services import record
from kuaiji.platform.chains import runtime
from kuaiji.platform.chains import services as chains
from kuaiji.platform.chains.models import ChainInstance, TaskStatus, WorkTask
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import Conflict, InvalidInput, NotFound
from kuaiji.platform.directory.models import Department, Region, RegionLevel
from kuaiji.platform.messaging.models import NotificationKind

CHAIN_KEY = "service_rectification"
BUSINESS_TYPE = "government.rating"
RECTIFY_STEP = "rectify"
REVISIT_STEP = "revisit"
COMMENT_MAX = 1000
RATEABLE = (ApplicationStatus.DECIDED, ApplicationStatus.DELIVERED)
VIEW = "government.rating.view"


# ---------------------------------------------------------------------------------------------
# Scope


def application_scope(actor: Any, code: str, prefix: str = "") -> Q:
    """The filter selecting the applications (through `prefix`, e.g. ``"application__"``) the
    actor may see with permission `code`: under a granted region, or with an item of a granted
    department (or of a department below it)."""
    if is_unrestricted(actor):
        return Q()
    combined = NOTHING
    for grant in grants_with(actor, code):
        if grant.region is not None:
            combined |= Q(**{f"{prefix}region_path__startswith": grant.region.path})
        elif grant.department is not None:
            items = ApplicationItem.objects.filter(
                application=OuterRef(f"{prefix}pk" if prefix else "pk"),
                department__path__startswith=grant.department.path,
            )
            combined |= Q(Exists(items))
        elif grant.grid is not None:
            combined |= Q(**{f"{prefix}region_path__startswith": grant.grid.region.path})
    return combined


def ratings(actor: Any) -> QuerySet[Rating]:
    """The ratings in the actor's scope, newest first."""
    return (
        Rating.objects.filter(application_scope(actor, VIEW, "application__"))
        .select_related("application__item__department", "rectification")
        .order_by("-rated_at", "-pk")
    )


# ---------------------------------------------------------------------------------------------
# Rating


def _department(application: Application) -> Department:
    """The department answering for the application: its item's, or its first item's."""
    first = (
        ApplicationItem.objects.filter(application=application)
        .select_related("department__region")
        .order_by("pk")
        .first()
    )
    if first is not None:
        return first.department
    if application.item is not None:
        return Department.objects.select_related("region").get(pk=application.item.department_id)
    raise Conflict(_("This application names no department to rectify it."))


def _chain_region(application: Application, department: Department) -> Region:
    """Where the rectification runs: the application's region when it lies in a county (the
    revisit goes to that county's service window), else the department's."""
    region = application.region
    if region.level != RegionLevel.CITY:
        return region
    return department.region


def _start_rectification(rating: Rating, application: Application, actor: Any) -> ChainInstance:
    department = _department(application)
    title = _("Bad rating of application %(number)s: rectification") % {
        "number": application.number
    }
    instance = chains.start(
        actor=SYSTEM,
        definition=CHAIN_KEY,
        title=title[:200],
        business_type=BUSINESS_TYPE,
        business_id=str(rating.pk),
        region=_chain_region(application, department),
        department=department,
        data={
            "application": application.number,
            "level": rating.level,
            "comment": rating.comment,
        },
        starter=actor,
    )
    rectify = WorkTask.objects.filter(
        instance=instance, step=RECTIFY_STEP, status=TaskStatus.OPEN
    ).first()
    if rectify is not None:
        headline = _("Bad rating (%(level)d of 5) of application %(number)s") % {
            "level": rating.level,
            "number": application.number,
        }
        runtime.tell_handlers(
            SYSTEM, rectify, NotificationKind.NOTICE, headline, rating.comment or ""
        )
    return instance


def _level(level: Any) -> int:
    try:
        value = int(level)
    except (TypeError, ValueError):
        value = 0
    if value not in RatingLevel.values or isinstance(level, bool):
        raise InvalidInput(fields={"level": _("A rating is a whole number from 1 to 5.")})
    return value


@transaction.atomic
def rate(*, actor: Any, application: Application | str, level: int, comment: str = "") -> Rating:
    """The applicant rates their decided or delivered application, once.

    Anyone else's application answers NotFound, as a missing one; an application not yet
    decided, or already rated, answers Conflict. A bad rating (2 or below) starts the
    ``service_rectification`` chain in the department of the (first) item, stored in
    `Rating.rectification`, and tells that department."""
    number = application.number if isinstance(application, Application) else str(application)
    owner = actor.pk if isinstance(actor, get_user_model()) else None
    found = (
        Application.objects.select_for_update()
        .select_related("region")
        .filter(number=number, applicant_id=owner)
        .first()
    )
    if owner is None or found is None:
        raise NotFound()
    value = _level(level)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise InvalidInput(
            fields={"comment": _("At most %(count)d characters.") % {"count": COMMENT_MAX}}
        )
    if found.status not in RATEABLE:
        raise Conflict(_("An application can be rated once it has been decided."))
    if Rating.objects.filter(application=found).exists():
        raise Conflict(_("This application has already been rated."))
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                application=found, level=value, comment=comment, rated_at=timezone.now()
            )
    except IntegrityError as error:
        raise Conflict(_("This application has already been rated.")) from error
    if rating.is_bad:
        rating.rectification = _start_rectification(rating, found, actor)
        rating.save(update_fields=["rectification"])
    record(
        actor=actor,
        action="government.rating.create",
        obj=rating,
        changes={
            "level": [None, value],
            "comment": [None, comment],
            "rectification": [None, rating.rectification_id],
        },
        region_path=found.region_path,
    )
    return rating


# ---------------------------------------------------------------------------------------------
# The rectification chain's listener


def follow_rectification(instance: ChainInstance, open_tasks: list[WorkTask]) -> None:
    """Copy the revisit onto the rating once its task is done (a chains listener)."""
    if not instance.business_id.isdigit():
        return
    revisit = (
        WorkTask.objects.filter(instance=instance, step=REVISIT_STEP, status=TaskStatus.DONE)
        .order_by("-completed_at", "-pk")
        .first()
    )
    if revisit is None:
        return
    rating = (
        Rating.objects.select_for_update()
        .select_related("application")
        .filter(pk=int(instance.business_id), revisited_at__isnull=True)
        .first()
    )
    if rating is None:
        return
    form = revisit.form or {}
    try:
        level = int(form.get("revisit_level", ""))
    except (TypeError, ValueError):
        level = None
    rating.revisited_at = revisit.completed_at or timezone.now()
    rating.revisit_level = level if level in RatingLevel.values else None
    rating.revisit_note = str(form.get("opinion", "") or "")
    rating.save(update_fields=["revisited_at", "revisit_level", "revisit_note"])
    record(
        actor=revisit.completed_by or SYSTEM,
        action="government.rating.revisit",
        obj=rating,
        changes={
            "revisit_level": [None, rating.revisit_level],
            "revisit_note": [None, rating.revisit_note],
        },
        region_path=rating.application.region_path,
    )

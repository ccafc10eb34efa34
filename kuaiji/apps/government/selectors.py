"""Reads of the one-stop services.

The catalog section is public: everyone, signed in or not, may read the active service items
and bundles with their guides (the service front and the public API read them here).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.apps.government.casework import is_applicant, staff_scope
from kuaiji.apps.government.models import (
    ApplicantKind,
    Application,
    ApplicationItem,
    ApplicationStatus,
    Bundle,
    BundleItem,
    ItemKind,
    ItemMaterial,
    ItemStatus,
    ServiceItem,
)
from kuaiji.platform.access.scoping import grants_with, is_unrestricted
from kuaiji.platform.chains.models import StepAction, TimelineEntry
from kuaiji.platform.core.errors import NotFound
from kuaiji.platform.data.models import DataResource
from kuaiji.platform.workdays.calendar import UnpublishedYear, WorkCalendar

# =============================================================================================
# The service item catalog and the one-thing bundles (public).

SEARCH_LENGTH = 100


def _material_rows() -> QuerySet[ItemMaterial]:
    return ItemMaterial.objects.select_related("data_resource__department").order_by("position")


def _applicants_filter(applicants: str) -> Q:
    """Items for citizens also include those for both; the same for enterprises."""
    if applicants in (ApplicantKind.CITIZEN, ApplicantKind.ENTERPRISE):
        return Q(applicants__in=[applicants, ApplicantKind.BOTH])
    if applicants == ApplicantKind.BOTH:
        return Q(applicants=ApplicantKind.BOTH)
    return Q()


def _searched(q: str) -> Q:
    text = q.strip()[:SEARCH_LENGTH]
    if not text:
        return Q()
    return (
        Q(name__icontains=text)
        | Q(name_en__icontains=text)
        | Q(guide__icontains=text)
        | Q(code__iexact=text)
    )


def public_items(
    q: str = "", department: str = "", kind: str = "", applicants: str = ""
) -> QuerySet[ServiceItem]:
    """The active items containing `q` in their names or guide, of the department with code
    `department`, of `kind` and for `applicants` (empty: any), by department and code."""
    found = ServiceItem.objects.filter(active=True).filter(_searched(q))
    if department:
        found = found.filter(department__code=department)
    if kind:
        found = found.filter(kind=kind)
    return (
        found.filter(_applicants_filter(applicants))
        .select_related("department")
        .order_by("department__path", "code")
    )


@dataclass(frozen=True)
class Facet:
    """One value to narrow the item list by, with the number of items it would keep."""

    value: str
    label: str
    label_en: str
    count: int


@dataclass(frozen=True)
class ItemFacets:
    """Counts of the items a search keeps, by department and by kind; each facet counts with
    the other criteria applied, so choosing a kind still shows the other kinds."""

    departments: list[Facet]
    kinds: list[Facet]


def item_facets(
    q: str = "", department: str = "", kind: str = "", applicants: str = ""
) -> ItemFacets:
    """The department and kind facets of `public_items` for these criteria (two queries)."""
    by_department = Counter(
        public_items(q, "", kind, applicants).values_list(
            "department__code", "department__name", "department__name_en"
        )
    )
    by_kind = Counter(public_items(q, department, "", applicants).values_list("kind", flat=True))
    labels = dict(ItemKind.choices)
    return ItemFacets(
        departments=[
            Facet(code, name, name_en or name, count)
            for (code, name, name_en), count in sorted(by_department.items())
        ],
        kinds=[
            Facet(value, str(labels.get(value, value)), str(labels.get(value, value)), count)
            for value, count in sorted(by_kind.items())
        ],
    )


def item(code: str) -> ServiceItem:
    """The active item with this code and its materials in order; `NotFound` for any other."""
    found = (
        ServiceItem.objects.filter(active=True, code=code)
        .select_related("department")
        .prefetch_related(Prefetch("materials", queryset=_material_rows()))
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def public_bundles() -> QuerySet[Bundle]:
    """The active bundles with their items in order."""
    entries = BundleItem.objects.select_related("item__department").order_by("position")
    return (
        Bundle.objects.filter(active=True)
        .prefetch_related(Prefetch("entries", queryset=entries))
        .order_by("code")
    )


@dataclass
class MergedMaterial:
    """A material of a bundle, asked once whichever of its items need it. It comes from shared
    data (免提交) when an item obtains it from there."""

    code: str
    name: str
    name_en: str
    required: bool
    data_resource: DataResource | None
    lookup_field: str
    lookup: str
    items: list[ServiceItem] = field(default_factory=list)

    @property
    def from_shared_data(self) -> bool:
        """Whether the applicant need not submit it (免提交)."""
        return self.data_resource is not None


@dataclass(frozen=True)
class BundleGuide:
    """A bundle with its items in order, the merged materials and the limits of the whole."""

    bundle: Bundle
    items: list[ServiceItem]
    materials: list[MergedMaterial]

    @property
    def promised_days(self) -> int:
        """The items are handled in parallel: the longest promised limit."""
        return max((entry.promised_days for entry in self.items), default=0)

    @property
    def statutory_days(self) -> int:
        return max((entry.statutory_days for entry in self.items), default=0)

    @property
    def one_visit(self) -> bool:
        return all(entry.one_visit for entry in self.items)

    @property
    def online_level(self) -> int:
        """As far online as its least online item."""
        return min((entry.online_level for entry in self.items), default=0)

    @property
    def fee(self) -> Decimal:
        return sum((entry.fee for entry in self.items), Decimal("0"))

    @property
    def shared_count(self) -> int:
        return sum(material.from_shared_data for material in self.materials)


def merge_materials(items: list[ServiceItem]) -> list[MergedMaterial]:
    """The materials of `items` (prefetched), each code once in the order first met."""
    merged: dict[str, MergedMaterial] = {}
    for entry in items:
        for material in entry.materials.all():
            found = merged.get(material.code)
            if found is None:
                merged[material.code] = MergedMaterial(
                    code=material.code,
                    name=material.name,
                    name_en=material.name_en,
                    required=material.required,
                    data_resource=material.data_resource,
                    lookup_field=material.lookup_field,
                    lookup=material.lookup,
                    items=[entry],
                )
                continue
            found.items.append(entry)
            found.required = found.required or material.required
            if found.data_resource is None and material.data_resource is not None:
                found.data_resource = material.data_resource
                found.lookup_field, found.lookup = material.lookup_field, material.lookup
    return list(merged.values())


def bundle(code: str) -> BundleGuide:
    """The active bundle with this code, its items in order and merged materials; `NotFound`
    for any other."""
    entries = (
        BundleItem.objects.select_related("item__department")
        .prefetch_related(Prefetch("item__materials", queryset=_material_rows()))
        .order_by("position")
    )
    found = (
        Bundle.objects.filter(active=True, code=code)
        .prefetch_related(Prefetch("entries", queryset=entries))
        .first()
    )
    if found is None:
        raise NotFound()
    items = [entry.item for entry in found.entries.all()]
    return BundleGuide(bundle=found, items=items, materials=merge_materials(items))


# =============================================================================================
# Applications (办件): the applicant's own, and those in a member of staff's scope.
#
# An applicant sees their applications (an enterprise's operators those of the enterprise);
# staff see those in their scope with ``government.application.view``: the service window by
# region, departments those with an item of theirs. Anyone else gets NotFound, as for a number
# that does not exist.

OPEN_APPLICATION = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.CORRECTION,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.HANDLING,
)


def _applications() -> QuerySet[Application]:
    return Application.objects.select_related(
        "item__department", "bundle", "region", "enterprise", "chain"
    )


def my_applications(actor: Any) -> QuerySet[Application]:
    """The applications the actor made or that enterprises they operate made, newest first."""
    pk = getattr(actor, "pk", None)
    if pk is None:
        return Application.objects.none()
    return _applications().filter(Q(applicant_id=pk) | Q(enterprise__operators=pk)).distinct()


def applications_in_scope(
    actor: Any, code: str = "government.application.view"
) -> QuerySet[Application]:
    """The applications a member of staff reaches with permission `code`."""
    return _applications().filter(staff_scope(actor, code))


def application_of(actor: Any, number: str) -> Application:
    """The application with this number, for its applicant or staff in scope; NotFound else."""
    found = (
        _applications()
        .prefetch_related(
            Prefetch(
                "items", queryset=ApplicationItem.objects.select_related("item", "department")
            ),
            "materials",
        )
        .filter(number=number)
        .first()
    )
    if found is None:
        raise NotFound()
    if is_applicant(actor, found):
        return found
    if not applications_in_scope(actor).filter(pk=found.pk).exists():
        raise NotFound()
    return found


def acceptance_queue(actor: Any) -> QuerySet[Application]:
    """Submitted applications waiting for the actor's service window, oldest first."""
    return (
        applications_in_scope(actor, "government.application.accept")
        .filter(status=ApplicationStatus.SUBMITTED)
        .order_by("submitted_at", "pk")
    )


def department_queue(actor: Any) -> QuerySet[ApplicationItem]:
    """The items of accepted applications the actor's departments handle now, oldest first."""
    departments = [
        grant.department.path
        for grant in grants_with(actor, "government.application.handle")
        if grant.department is not None
    ]
    condition = Q() if is_unrestricted(actor) else Q(pk__in=[])
    for path in departments:
        condition |= Q(department__path__startswith=path)
    return (
        ApplicationItem.objects.filter(condition, status=ItemStatus.HANDLING)
        .exclude(application__status=ApplicationStatus.WITHDRAWN)
        .select_related("application", "item", "department")
        .order_by("application__accepted_at", "pk")
    )


def _limit(days: int) -> date:
    today = timezone.localdate()
    if days < 1:
        return today
    try:
        moment = WorkCalendar.load().add_working_days(timezone.now(), days)
        return timezone.localtime(moment).date()
    except UnpublishedYear:
        return today + timedelta(days=days)


def near_limit(actor: Any, days: int = 2) -> QuerySet[Application]:
    """Undecided applications in scope whose promised date is within `days` working days or
    past, the most pressing first."""
    return (
        applications_in_scope(actor)
        .filter(status__in=OPEN_APPLICATION, promised_by__isnull=False)
        .filter(promised_by__lte=_limit(days))
        .order_by("promised_by", "pk")
    )


@dataclass(frozen=True)
class TimelineStep:
    """One step of an application's way: `kind` is submitted, correction, resubmitted, accepted,
    handled, refused, approved, rejected, delivered or withdrawn; `unit` the department or
    window that acted."""

    at: datetime
    kind: str
    label: str
    unit: str = ""
    comment: str = ""


def _completed(entry: TimelineEntry) -> tuple[str, str] | None:
    task = entry.task
    if task is None:
        return None
    form = (entry.details or {}).get("form") or task.form or {}
    if task.step == "accept":
        if form.get("decision") == "correct":
            return "correction", _("Correction requested")
        return "accepted", _("Accepted")
    if task.step == "resubmit":
        return "resubmitted", _("Corrected and resubmitted")
    if task.step.startswith("handle_departments"):
        return "handled", _("Handled by the department")
    if task.step == "decision":
        if form.get("decision") == "reject":
            return "rejected", _("Not approved")
        return "approved", _("Approved")
    if task.step == "deliver":
        return "delivered", _("Delivered")
    return None


def timeline(application: Application) -> list[TimelineStep]:
    """The application's way from submission to delivery, from its chain's timeline."""
    steps = [TimelineStep(application.submitted_at, "submitted", _("Submitted"))]
    if application.chain_id is not None:
        entries = (
            TimelineEntry.objects.filter(
                instance_id=application.chain_id,
                action__in=(StepAction.COMPLETE, StepAction.WITHDRAW, StepAction.CANCEL),
            )
            .select_related("task")
            .order_by("at", "pk")
        )
        for entry in entries:
            if entry.action != StepAction.COMPLETE:
                steps.append(TimelineStep(entry.at, "withdrawn", _("Withdrawn"), "", entry.comment))
                continue
            found = _completed(entry)
            if found is not None:
                unit = entry.task.unit_label if entry.task is not None else ""
                form = (entry.details or {}).get("form") or {}
                comment = str(form.get("opinion") or entry.comment)
                steps.append(TimelineStep(entry.at, found[0], found[1], unit, comment))
    elif application.withdrawn_at is not None:
        steps.append(TimelineStep(application.withdrawn_at, "withdrawn", _("Withdrawn")))
    return steps

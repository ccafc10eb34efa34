"""An application follows its ``one_thing_service`` chain: its status and its items' statuses are
read from the chain each time the chain moves (a listener called in the chain's transaction,
registered in the app's ready())."""

from __future__ import annotations

from django.utils import timezone

from kuaiji.apps.government.casework import BUSINESS_TYPE
from kuaiji.apps.government.models import (
    Application,
    ApplicationItem,
    ApplicationStatus,
    ItemStatus,
)
from kuaiji.platform.chains.models import ChainInstance, InstanceStatus, TaskStatus, WorkTask

__all__ = ["BUSINESS_TYPE", "follow_chain"]

ENDED_OTHERWISE = (InstanceStatus.WITHDRAWN, InstanceStatus.CANCELLED)


def _decision(instance: ChainInstance) -> str:
    task = (
        instance.tasks.filter(step="decision", status=TaskStatus.DONE)
        .order_by("-completed_at", "-pk")
        .first()
    )
    return str(task.form.get("decision", "")) if task is not None else ""


def _status(
    application: Application, instance: ChainInstance, open_tasks: list[WorkTask]
) -> ApplicationStatus:
    if instance.status in ENDED_OTHERWISE:
        return ApplicationStatus.WITHDRAWN
    if instance.status == InstanceStatus.COMPLETED:
        if _decision(instance) == "reject":
            return ApplicationStatus.REJECTED
        return ApplicationStatus.DELIVERED
    steps = {task.step.partition(" ")[0] for task in open_tasks}
    if "resubmit" in steps:
        return ApplicationStatus.CORRECTION
    if "accept" in steps:
        return ApplicationStatus.SUBMITTED
    if "handle_departments" in steps:
        handled = application.items.exclude(status__in=(ItemStatus.WAITING, ItemStatus.HANDLING))
        return ApplicationStatus.HANDLING if handled.exists() else ApplicationStatus.ACCEPTED
    if "decision" in steps:
        return ApplicationStatus.HANDLING
    if "deliver" in steps:
        if _decision(instance) == "reject":
            return ApplicationStatus.REJECTED
        return ApplicationStatus.DECIDED
    return ApplicationStatus(application.status)


def _items(application: Application, open_tasks: list[WorkTask]) -> None:
    """Items of departments with an open handling task are being handled."""
    handling = [
        int(task.candidate_key.rpartition(":")[2])
        for task in open_tasks
        if task.step.startswith("handle_departments")
        and task.candidate_key.rpartition(":")[2].isdigit()
    ]
    if handling:
        ApplicationItem.objects.filter(
            application=application, department_id__in=handling, status=ItemStatus.WAITING
        ).update(status=ItemStatus.HANDLING)


def follow_chain(instance: ChainInstance, open_tasks: list[WorkTask]) -> None:
    """Bring the application of `instance` in line with where its chain stands."""
    if not instance.business_id.isdigit():
        return
    application = Application.objects.filter(pk=int(instance.business_id)).first()
    if application is None:
        return
    _items(application, open_tasks)
    status = _status(application, instance, open_tasks)
    changes: dict[str, object] = {}
    if application.chain_id != instance.pk:
        changes["chain"] = instance
    if status != application.status:
        changes["status"] = status
    if status == ApplicationStatus.WITHDRAWN and application.withdrawn_at is None:
        changes["withdrawn_at"] = instance.ended_at or timezone.now()
    if changes:
        Application.objects.filter(pk=application.pk).update(**changes)

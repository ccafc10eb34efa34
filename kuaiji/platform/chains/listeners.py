"""Apps follow the chains of their business objects.

An app registers a listener for its business type (in its AppConfig.ready); each time an
instance of that type moves — started, a step completed or returned, a timer fired, suspended,
resumed, withdrawn, ended — the listener is called inside the same transaction with the instance
and its open tasks, so the app's own record (an event's status, an application's stage) never
disagrees with its chain.
"""

from __future__ import annotations

from collections.abc import Callable

from kuaiji.platform.chains.models import OPEN_STATUSES, ChainInstance, WorkTask

Listener = Callable[[ChainInstance, list[WorkTask]], None]

_LISTENERS: dict[str, list[Listener]] = {}


def listen(business_type: str, listener: Listener) -> None:
    """Call `listener` whenever an instance about `business_type` moves (once per listener)."""
    registered = _LISTENERS.setdefault(business_type, [])
    if listener not in registered:
        registered.append(listener)


def moved(instance: ChainInstance) -> None:
    """Tell the listeners of the instance's business type that it moved."""
    listeners = _LISTENERS.get(instance.business_type)
    if not listeners:
        return
    open_tasks = list(
        WorkTask.objects.filter(instance=instance, status__in=OPEN_STATUSES).order_by("pk")
    )
    for listener in listeners:
        listener(instance, open_tasks)

"""SpiffWorkflow behind one small surface: new, load, dump, ready tasks, timers.

An instance's stored state is SpiffWorkflow's own serialization minus the process
specification, which every instance of a version shares: the version keeps it once, each
process keeps the restored specification of the versions it has used, and loading an instance
only restores its task tree.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from datetime import UTC, datetime
from threading import Lock
from typing import Any

from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnWorkflowConverter,
    WorkflowConverter,
)
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from kuaiji.platform.chains.models import ChainVersion


class SharedSpecWorkflowConverter(BpmnWorkflowConverter):  # type: ignore[misc]
    """Writes a workflow without its specification (the version holds it)."""

    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct: dict[str, Any] = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct


SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
STATE_SERIALIZER = BpmnWorkflowSerializer(
    BpmnWorkflowSerializer.configure({**SPIFF_CONFIG, BpmnWorkflow: SharedSpecWorkflowConverter})
)


class _SpecCache:
    """Restored specifications by version, least recently used dropped first."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self.items: OrderedDict[int, tuple[Any, dict[str, Any]]] = OrderedDict()
        self.lock = Lock()

    def get(self, version: ChainVersion) -> tuple[Any, dict[str, Any]]:
        with self.lock:
            found = self.items.get(version.pk)
            if found is not None:
                self.items.move_to_end(version.pk)
                return found
        stored = json.loads(version.spec)
        restored = (
            SERIALIZER.from_dict(stored["spec"]),
            {
                name: SERIALIZER.from_dict(value)
                for name, value in stored["subprocess_specs"].items()
            },
        )
        with self.lock:
            self.items[version.pk] = restored
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return restored


SPECS = _SpecCache()


def new_workflow(version: ChainVersion, data: dict[str, Any]) -> BpmnWorkflow:
    """A workflow of `version` with `data` as its start data, run up to its first waits."""
    spec, subprocess_specs = SPECS.get(version)
    workflow = BpmnWorkflow(spec, subprocess_specs)
    workflow.task_tree.data.update(data)
    workflow.do_engine_steps()
    return workflow


def load(version: ChainVersion, state: str) -> BpmnWorkflow:
    """The workflow stored in `state` (written by `dump`)."""
    spec, subprocess_specs = SPECS.get(version)
    dct = json.loads(state, cls=STATE_SERIALIZER.json_decoder_cls)
    STATE_SERIALIZER.migrate(dct)
    # Objects that are not serialized dictionaries pass through the converter unchanged.
    dct["spec"] = spec
    dct["subprocess_specs"] = subprocess_specs
    return STATE_SERIALIZER.from_dict(dct)


def dump(workflow: BpmnWorkflow) -> str:
    """The workflow's state without its specification, as JSON text."""
    return str(STATE_SERIALIZER.serialize_json(workflow))


def ready_user_tasks(workflow: BpmnWorkflow) -> list[Task]:
    """The user tasks waiting for a person."""
    return [
        task
        for task in workflow.get_tasks(state=TaskState.READY)
        if isinstance(task.task_spec, UserTask)
    ]


def find_task(workflow: BpmnWorkflow, task_id: Any) -> Task | None:
    """A task of the workflow (or of its subprocesses) by id."""
    return workflow.get_task_from_id(task_id)


def refresh(workflow: BpmnWorkflow) -> None:
    """Fire the timers that are due and run what follows them."""
    workflow.refresh_timers()
    workflow.do_engine_steps()


def next_wake(workflow: BpmnWorkflow) -> datetime | None:
    """When the earliest waiting timer fires, if any timer waits."""
    moments = []
    for pending in workflow.waiting_events():
        value = pending.value
        if isinstance(value, dict):  # a cycle: {"next": ..., "cycles": ...}
            value = value.get("next")
        if not isinstance(value, str):
            continue
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            continue
        moments.append(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    return min(moments, default=None)


def completed_user_tasks(workflow: BpmnWorkflow) -> list[Task]:
    """The user tasks already completed on the path the workflow took, oldest first."""
    done = [
        task
        for task in workflow.get_tasks(state=TaskState.COMPLETED)
        if isinstance(task.task_spec, UserTask)
    ]
    return sorted(done, key=lambda task: task.last_state_change)

"""Reading a BPMN 2.0 chain model: validation, compilation, and what Kuaiji reads from it.

A model is one executable process. SpiffWorkflow parses and validates it against the BPMN
schema; Kuaiji then reads its own conventions from the `spiffworkflow:properties` extensions:

- each lane: `assignee` (``<role>@<scope>`` or ``starter``), optional `supervisor` (where
  overdue work of the lane escalates, ``county_officer@county`` by default) and `name_en`;
- each user task: `name_en`, `time_limit` (``3d`` working days, ``8h`` working hours) and form
  fields ``field:<name>`` = ``text``, ``text?`` (optional) or ``choice:a,b,c``.

Every problem is reported with the id of the element it is about.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from kuaiji.platform.core.errors import InvalidInput

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN, "spiffworkflow": SPIFF}

SCOPES = ("grid", "village", "township", "county", "city", "department")
STARTER = "starter"
DEFAULT_SUPERVISOR = "county_officer@county"
TIME_LIMIT = re.compile(r"^(?P<amount>[1-9]\d{0,2})(?P<unit>[dh])$")
IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
CHOICE = re.compile(r"^[a-z0-9][a-z0-9_]{0,39}$")  # a choice may be a number: rating levels
MAX_SOURCE_BYTES = 2 * 1024 * 1024


class InvalidModel(InvalidInput):
    """The uploaded model cannot run; the message names the element at fault."""

    code = "invalid_model"


@dataclass(frozen=True)
class Assignment:
    """Who a lane's tasks go to: a role in a unit found from the instance, or the starter."""

    role: str
    scope: str

    @classmethod
    def parse(cls, text: str) -> Assignment:
        if text == STARTER:
            return cls(role="", scope=STARTER)
        role, _sep, scope = text.partition("@")
        if not IDENTIFIER.match(role) or scope not in SCOPES:
            raise ValueError(text)
        return cls(role=role, scope=scope)

    def __str__(self) -> str:
        return STARTER if self.scope == STARTER else f"{self.role}@{self.scope}"


@dataclass(frozen=True)
class FormField:
    """One field a user task asks for when it is completed."""

    name: str
    kind: str  # "text" or "choice"
    required: bool = True
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    """A user task of the model as the worklist shows it."""

    id: str
    name: str
    name_en: str
    lane: str
    time_limit: str = ""
    fields: tuple[FormField, ...] = ()


@dataclass(frozen=True)
class Lane:
    """A lane of the model and who its tasks go to."""

    name: str
    name_en: str
    assignee: Assignment
    supervisor: Assignment


@dataclass
class CompiledModel:
    """A valid model, ready to be stored as a version."""

    process_id: str
    name: str
    name_en: str
    spec: str
    lanes: dict[str, Lane] = field(default_factory=dict)
    steps: dict[str, Step] = field(default_factory=dict)

    def lanes_json(self) -> dict[str, Any]:
        return {name: _lane_json(lane) for name, lane in self.lanes.items()}

    def steps_json(self) -> dict[str, Any]:
        return {step_id: asdict(step) for step_id, step in self.steps.items()}


def _lane_json(lane: Lane) -> dict[str, str]:
    return {
        "name": lane.name,
        "name_en": lane.name_en,
        "assignee": str(lane.assignee),
        "supervisor": str(lane.supervisor),
    }


def lane_from_json(data: dict[str, str]) -> Lane:
    return Lane(
        name=data["name"],
        name_en=data.get("name_en", ""),
        assignee=Assignment.parse(data["assignee"]),
        supervisor=Assignment.parse(data["supervisor"]),
    )


def step_from_json(data: dict[str, Any]) -> Step:
    fields = tuple(
        FormField(
            name=item["name"],
            kind=item["kind"],
            required=item["required"],
            choices=tuple(item["choices"]),
        )
        for item in data.get("fields", ())
    )
    return Step(**{**data, "fields": fields})


def _fail(message: str, element: str = "") -> InvalidModel:
    text = f"{element}: {message}" if element else message
    return InvalidModel(text, fields={"source": text})


def _properties(node: Any) -> dict[str, str]:
    found = node.xpath(
        "bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", namespaces=NS
    )
    return {item.get("name", ""): item.get("value", "") for item in found}


def _parse_xml(source: bytes) -> Any:
    if len(source) > MAX_SOURCE_BYTES:
        raise _fail(_("The model is larger than 2 MB."))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(source, parser=parser)
    except etree.XMLSyntaxError as error:
        raise _fail(_("Not well-formed XML (line %(line)s): %(error)s")
                    % {"line": error.lineno, "error": error.msg}) from error  # fmt: skip


def compile_model(source: bytes) -> CompiledModel:
    """Validate a BPMN model and compile it; raises `InvalidModel` naming the element at fault."""
    root = _parse_xml(source)
    parser = SpiffBpmnParser(validator=VALIDATOR)
    try:
        parser.add_bpmn_xml(root, filename="model.bpmn")
        process_ids = parser.get_process_ids()
        if len(process_ids) != 1:
            raise _fail(_("A chain model has exactly one executable process."))
        process_id = process_ids[0]
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except ValidationException as error:
        element = getattr(error, "id", "") or (
            _("line %(line)s") % {"line": error.line_number} if error.line_number else ""
        )
        raise _fail(str(error).splitlines()[0], element) from error
    except SpiffWorkflowException as error:
        raise _fail(str(error)) from error
    if not IDENTIFIER.match(process_id):
        raise _fail(_("A process id is lower-case letters, digits and _."), process_id)
    process = root.xpath("//bpmn:process[@id=$pid]", pid=process_id, namespaces=NS)[0]
    lanes = _read_lanes(process)
    steps = _read_steps(spec, lanes)
    serialized = _serialize_spec(spec, subprocess_specs)
    return CompiledModel(
        process_id=process_id,
        name=process.get("name") or process_id,
        name_en=_properties(process).get("name_en", ""),
        spec=serialized,
        lanes=lanes,
        steps=steps,
    )


def _read_lanes(process: Any) -> dict[str, Lane]:
    lanes: dict[str, Lane] = {}
    for node in process.xpath(".//bpmn:lane", namespaces=NS):
        lane_id, name = node.get("id", ""), node.get("name", "")
        if not name:
            raise _fail(_("Every lane needs a name."), lane_id)
        if name in lanes:
            raise _fail(_("Two lanes are named “%(name)s”.") % {"name": name}, lane_id)
        props = _properties(node)
        try:
            assignee = Assignment.parse(props.get("assignee", ""))
            supervisor = Assignment.parse(props.get("supervisor", DEFAULT_SUPERVISOR))
        except ValueError as error:
            raise _fail(
                _(
                    "A lane's assignee and supervisor are written role@scope (scopes: "
                    "%(scopes)s) or starter; “%(value)s” is neither."
                )
                % {"scopes": ", ".join(SCOPES), "value": error.args[0]},
                lane_id,
            ) from error
        if supervisor.scope == STARTER:
            raise _fail(_("A lane's supervisor is a unit, not the starter."), lane_id)
        lanes[name] = Lane(name, props.get("name_en", ""), assignee, supervisor)
    return lanes


def _read_steps(spec: Any, lanes: dict[str, Lane]) -> dict[str, Step]:
    steps: dict[str, Step] = {}
    for task_spec in spec.task_specs.values():
        if not isinstance(task_spec, UserTask):
            continue
        element = task_spec.name
        if task_spec.lane not in lanes:
            raise _fail(_("Every user task must lie in a lane with an assignee."), element)
        props = task_spec.extensions.get("properties", {})
        time_limit = props.get("time_limit", "")
        if time_limit and not TIME_LIMIT.match(time_limit):
            raise _fail(
                _("A time limit is written like 3d (working days) or 8h (working hours)."),
                element,
            )
        steps[element] = Step(
            id=element,
            name=task_spec.bpmn_name or element,
            name_en=props.get("name_en", ""),
            lane=task_spec.lane,
            time_limit=time_limit,
            fields=tuple(
                _read_field(key.removeprefix("field:"), value, element)
                for key, value in props.items()
                if key.startswith("field:")
            ),
        )
    if not steps:
        raise _fail(_("A chain model needs at least one user task."))
    return steps


def _read_field(name: str, value: str, element: str) -> FormField:
    if not IDENTIFIER.match(name):
        raise _fail(_("A field name is lower-case letters, digits and _."), element)
    if value in ("text", "text?"):
        return FormField(name=name, kind="text", required=value == "text")
    if value.startswith("choice:"):
        choices = tuple(choice.strip() for choice in value.removeprefix("choice:").split(","))
        if choices and all(CHOICE.match(choice) for choice in choices):
            return FormField(name=name, kind="choice", choices=choices)
    raise _fail(
        _("Field “%(name)s” is text, text? or choice:a,b,c.") % {"name": name},
        element,
    )


def _serialize_spec(spec: Any, subprocess_specs: dict[str, Any]) -> str:
    """The process specification in SpiffWorkflow's own serialization (taken from an empty
    workflow, so the engine's serializer reads it back exactly)."""
    from kuaiji.platform.chains.engine import SERIALIZER

    whole = json.loads(SERIALIZER.serialize_json(BpmnWorkflow(spec, subprocess_specs)))
    return json.dumps({"spec": whole["spec"], "subprocess_specs": whole["subprocess_specs"]})

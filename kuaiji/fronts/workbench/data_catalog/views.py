"""The catalog screens: every resource of the catalog (for holders of `data.resource.view`),
filtered a page at a time; a resource's page with its description and schema; and the form that
registers a resource of one's department, or describes one anew as its next version (for holders
of `data.resource.manage`). Refusals of the record or the services are shown next to the fields
they concern, never as an error page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import BaseFormSet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.shell.language import english
from kuaiji.fronts.workbench.data_catalog.forms import (
    FieldFormSet,
    FilterForm,
    ResourceForm,
)
from kuaiji.platform.access.services import authorize, has_permission
from kuaiji.platform.core.errors import Forbidden, InvalidInput, KuaijiError, NotFound
from kuaiji.platform.data import selectors, services
from kuaiji.platform.data.models import DataResource, SharingType
from kuaiji.platform.data.records import ResourceRecord
from kuaiji.platform.directory.models import Department

PER_PAGE = 20
MANAGE = "data.resource.manage"
PREFIX = "fields"
FIELD_NAMES = ("name", "type", "description", "standard", "level", "primary_key", "required")

# What `ResourceRecord`'s whole-record checks say, as the form shows it and where.
RECORD_RULES = {
    "field names must be unique": (PREFIX, gettext_lazy("Give each field its own name.")),
    "at least one field must be part of the primary key": (
        PREFIX,
        gettext_lazy("Mark at least one field as part of the primary key."),
    ),
    "a resource that is not shared needs the legal basis for it": (
        "sharing_basis",
        gettext_lazy("Give the legal basis for not sharing the resource."),
    ),
    "a resource that is not shared cannot be open to the public": (
        "opening",
        gettext_lazy("A resource that is not shared cannot be open to the public."),
    ),
}
PATTERNS = {
    "code": gettext_lazy(
        "Use 2 to 60 lower-case letters, digits and hyphens, starting with a letter or digit."
    ),
    "name": gettext_lazy(
        "Use up to 60 lower-case letters, digits and underscores, starting with a letter."
    ),
}


def _department_name(department: Department) -> str:
    return department.name_en if english() and department.name_en else department.name


def _title(resource: DataResource) -> str:
    return resource.title_en if english() and resource.title_en else resource.title


# ---------------------------------------------------------------------------------------------
# The list and a resource's page


def _matches(resource: DataResource, text: str) -> bool:
    wanted = text.casefold()
    seen = [resource.code, resource.title, resource.title_en, *resource.tags, *resource.themes]
    return any(wanted in str(word).casefold() for word in seen)


@require_safe
@staff_required
def catalog_list(request: HttpRequest) -> HttpResponse:
    """One page of the catalog, by words (code, title, tag), theme, department, sharing type
    and opening type."""
    user = request.user
    every = selectors.catalog(user)
    themes = sorted({theme for item in every for theme in item.themes})
    owners = Department.objects.filter(data_resources__isnull=False).distinct().order_by("code")
    departments = [(department.code, _department_name(department)) for department in owners]
    form = FilterForm(request.GET, themes=themes, departments=departments)
    if not form.is_valid():
        raise InvalidInput(
            fields={name: " ".join(map(str, errors)) for name, errors in form.errors.items()}
        )
    data = form.cleaned_data
    found = every
    if data["department"]:
        found = found.filter(department__code=data["department"])
    for name in ("sharing", "opening"):
        if data[name]:
            found = found.filter(**{name: data[name]})
    text = data["q"].strip()
    chosen = [
        item
        for item in found
        if (not text or _matches(item, text))
        and (not data["theme"] or data["theme"] in item.themes)
    ]
    page = Paginator(chosen, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"resource": item, "title": _title(item), "department": _department_name(item.department)}
        for item in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "may_register": bool(_manageable(user)),
    }
    return render(request, "workbench/data_catalog/list.html", context)


def _may_manage(user: Any, resource: DataResource) -> bool:
    return DataResource.objects.visible_to(user, MANAGE).filter(pk=resource.pk).exists()


@require_safe
@staff_required
def resource(request: HttpRequest, code: str) -> HttpResponse:
    """A resource's description, sharing and opening, versions and schema."""
    found = selectors.resource(request.user, code)
    may_manage = _may_manage(request.user, found)
    description = found.description_en if english() and found.description_en else ""
    context = {
        "resource": found,
        "title": _title(found),
        "description": description or found.description,
        "department": _department_name(found.department),
        "fields": list(found.fields.all()),
        "may_manage": may_manage,
        "may_apply": not may_manage
        and found.sharing != SharingType.NOT_SHARED
        and has_permission(request.user, "data.sharing.apply"),
        "may_see_quality": has_permission(request.user, "data.quality.view"),
    }
    return render(request, "workbench/data_catalog/resource.html", context)


# ---------------------------------------------------------------------------------------------
# Registering and describing anew


def _manageable(user: Any) -> list[tuple[str, str]]:
    """The departments whose resources the user registers, as choices."""
    if not has_permission(user, MANAGE):
        return []
    found = Department.objects.visible_to(user, MANAGE).order_by("code")
    return [(item.code, f"{_department_name(item)} ({item.code})") for item in found]


def _initial(resource: DataResource) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    description = {
        name: getattr(resource, name)
        for name in (*services.DESCRIBED, "code")
        if name not in ("themes", "tags")
    }
    description["themes"] = ", ".join(resource.themes)
    description["tags"] = ", ".join(resource.tags)
    description["department_code"] = resource.department.code
    schema = [
        {name: getattr(item, name) for name in FIELD_NAMES}
        for item in resource.fields.order_by("position")
    ]
    return description, schema


def _posted_initial(post: QueryDict) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """What was typed, as the initial values of a form with one more field row (adding a row
    must neither lose nor judge what is there)."""
    description = {name: post.get(name, "") for name in ResourceForm.base_fields}
    try:
        total = min(int(post.get(f"{PREFIX}-TOTAL_FORMS", "0")), 300)
    except ValueError:
        total = 0
    schema = []
    for number in range(total):
        key = f"{PREFIX}-{number}-"
        if post.get(f"{key}DELETE") or not post.get(f"{key}name", "").strip():
            continue
        row: dict[str, Any] = {name: post.get(f"{key}{name}", "") for name in FIELD_NAMES}
        row["primary_key"] = bool(post.get(f"{key}primary_key"))
        row["required"] = bool(post.get(f"{key}required"))
        schema.append(row)
    return description, schema


def _record_fields(formset: BaseFormSet[Any]) -> tuple[list[dict[str, Any]], list[int]]:
    """The schema rows kept (not removed, not left empty) and the form each came from."""
    kept: list[dict[str, Any]] = []
    origins: list[int] = []
    for number, form in enumerate(formset.forms):
        if not form.cleaned_data or form.cleaned_data.get("DELETE"):
            continue
        kept.append(form.record())
        origins.append(number)
    return kept, origins


def _message(error: ErrorDetails, place: str) -> str:
    kind = error.get("type", "")
    if kind == "string_pattern_mismatch" and place in PATTERNS:
        return str(PATTERNS[place])
    if kind == "value_error" and place in ("themes", "tags"):
        return _("Each theme or tag is a word of up to 30 letters, digits, spaces or hyphens.")
    if kind == "too_short" and place == PREFIX:
        return _("Describe at least one field.")
    return _("Not valid: %(detail)s") % {"detail": error.get("msg", "")}


def _show_record_errors(
    problem: ValidationError,
    form: ResourceForm,
    formset: BaseFormSet[Any],
    origins: list[int],
) -> list[str]:
    """Put each complaint of `ResourceRecord` next to the field it concerns; those about the
    schema as a whole are returned, to be shown above it."""
    schema_errors: list[str] = []
    for error in problem.errors():
        place = error.get("loc", ())
        if not place:
            text = str((error.get("ctx") or {}).get("error", error["msg"]))
            target, message = RECORD_RULES.get(
                text, (None, _("Not valid: %(detail)s") % {"detail": text})
            )
            if target == PREFIX:
                schema_errors.append(str(message))
            else:
                form.add_error(target, str(message))
            continue
        head = str(place[0])
        if head == PREFIX and len(place) >= 3 and isinstance(place[1], int):
            name = str(place[2])
            row = formset.forms[origins[place[1]]]
            row.add_error(name if name in row.fields else None, _message(error, name))
        elif head == PREFIX:
            schema_errors.append(_message(error, PREFIX))
        elif head in form.fields:
            form.add_error(head, _message(error, head))
        else:
            form.add_error(None, _message(error, head))
    return schema_errors


def _show_service_error(error: KuaijiError, form: ResourceForm) -> None:
    if not error.fields:
        form.add_error(None, str(error.message))
    for name, text in error.fields.items():
        form.add_error(name if name in form.fields else None, str(text))


def _page(
    request: HttpRequest,
    form: ResourceForm,
    formset: BaseFormSet[Any],
    existing: DataResource | None,
    status: int = 200,
    schema_errors: list[str] | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "formset": formset,
        "existing": existing,
        "schema_errors": [*formset.non_form_errors(), *(schema_errors or [])]
        if formset.is_bound
        else [],
    }
    return render(request, "workbench/data_catalog/register.html", context, status=status)


def _editor(request: HttpRequest, existing: DataResource | None) -> HttpResponse:
    user = request.user
    departments = _manageable(user)
    if not departments:
        raise Forbidden()
    editing = existing is not None
    if existing is not None and existing.department.code not in dict(departments):
        departments.append((existing.department.code, _department_name(existing.department)))
    if request.method != "POST":
        if existing is not None:
            description, schema = _initial(existing)
        else:
            description, schema = {}, []
        form = ResourceForm(initial=description, departments=departments, editing=editing)
        formset = FieldFormSet(initial=schema or None, prefix=PREFIX)
        return _page(request, form, formset, existing)
    if "add_field" in request.POST:
        description, schema = _posted_initial(request.POST)
        if existing is not None:
            description["code"] = existing.code
        form = ResourceForm(initial=description, departments=departments, editing=editing)
        formset = FieldFormSet(initial=schema or None, prefix=PREFIX)
        return _page(request, form, formset, existing)
    initial = {"code": existing.code} if existing is not None else None
    form = ResourceForm(request.POST, initial=initial, departments=departments, editing=editing)
    formset = FieldFormSet(request.POST, prefix=PREFIX)
    if not (form.is_valid() & formset.is_valid()):
        return _page(request, form, formset, existing, status=400)
    fields, origins = _record_fields(formset)
    code = existing.code if existing is not None else form.cleaned_data["code"]
    if existing is None and DataResource.objects.filter(code=code).exists():
        form.add_error("code", _("A resource with this code is registered already."))
        return _page(request, form, formset, existing, status=400)
    try:
        record = ResourceRecord(**{**form.description_fields(), "code": code, "fields": fields})
    except ValidationError as problem:
        schema_errors = _show_record_errors(problem, form, formset, origins)
        return _page(request, form, formset, existing, 400, schema_errors)
    before = existing.version if existing is not None else 0
    try:
        saved = services.register_resource(actor=user, resource=record)
    except (InvalidInput, NotFound) as error:
        _show_service_error(error, form)
        return _page(request, form, formset, existing, status=400)
    if saved.version == before:
        messages.info(
            request,
            _("Nothing changed: the resource stays at version %(version)s.")
            % {"version": saved.version},
        )
    elif before:
        messages.success(
            request, _("Version %(version)s of the resource is saved.") % {"version": saved.version}
        )
    else:
        messages.success(request, _("The resource is registered."))
    return redirect("workbench:data_catalog:resource", code=saved.code)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def register(request: HttpRequest) -> HttpResponse:
    """Register a resource of one's department: its description and its schema."""
    authorize(request.user, MANAGE)
    return _editor(request, None)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def edit(request: HttpRequest, code: str) -> HttpResponse:
    """Describe a resource anew (404 for resources one does not answer for): saving a change
    makes its next version."""
    authorize(request.user, MANAGE)
    found = (
        DataResource.objects.visible_to(request.user, MANAGE)
        .select_related("department")
        .filter(code=code)
        .first()
    )
    if found is None:
        raise NotFound()
    return _editor(request, found)

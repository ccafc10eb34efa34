"""Directory screens of the work front: the organisation tree, the grid map and the staff
lookup. Every read goes through the directory's selectors, so each screen shows only what the
signed-in person's data scope allows; a region or grid outside it answers 404."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.workbench.directory.forms import AreaForm, StaffSearchForm
from kuaiji.fronts.workbench.directory.geojson import feature_collection
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.directory import selectors
from kuaiji.platform.directory.models import Region, RegionLevel

STAFF_LIMIT = 50
MAP_LEVELS = (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE)


def _is_partial(request: HttpRequest) -> bool:
    """Whether htmx asks for a fragment (a history restore wants the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _valid(form: forms.Form) -> dict[str, str]:
    """The form's cleaned data, or a 400 naming the bad fields."""
    if not form.is_valid():
        raise InvalidInput(
            fields={name: " ".join(map(str, errors)) for name, errors in form.errors.items()}
        )
    return form.cleaned_data


def _map_area(request: HttpRequest, code: str) -> Region:
    """A township or village the actor may see (404 if it may not, 400 for another level)."""
    area = selectors.region(request.user, code)
    if area.level not in MAP_LEVELS:
        raise InvalidInput(_("The grid map shows one township or village at a time."))
    return area


@staff_required
def tree(request: HttpRequest) -> HttpResponse:
    """The organisation tree and the reform bodies the actor may see."""
    context = {
        "roots": selectors.organisation_tree(request.user),
        "bodies": selectors.reform_bodies(request.user),
    }
    return render(request, "workbench/directory/tree.html", context)


@staff_required
def region_children(request: HttpRequest, code: str) -> HttpResponse:
    """The tree nodes right below one region, loaded when that node is opened."""
    nodes = selectors.region_children(request.user, code)
    return render(request, "workbench/directory/_region_nodes.html", {"nodes": nodes})


@staff_required
def grid_map(request: HttpRequest) -> HttpResponse:
    """The map of one township's or village's grids, with a list of the same grids."""
    code = _valid(AreaForm(request.GET))["region"]
    areas = selectors.map_regions(request.user)
    chosen = _map_area(request, code) if code else (areas[0] if areas else None)
    grids = (
        selectors.grids(request.user, region_code=chosen.code, with_boundary=False)
        if chosen
        else []
    )
    context = {"areas": areas, "chosen": chosen, "grids": grids}
    return render(request, "workbench/directory/grid_map.html", context)


@staff_required
def grid_geojson(request: HttpRequest) -> JsonResponse:
    """The grids of one township or village as GeoJSON, with the area's outline."""
    code = _valid(AreaForm(request.GET))["region"]
    if not code:
        raise InvalidInput(fields={"region": _("Choose a township or village.")})
    area = _map_area(request, code)
    grids = selectors.grids(request.user, region_code=area.code)
    response = JsonResponse(feature_collection(area, grids))
    response["Content-Type"] = "application/geo+json"
    return response


@staff_required
def grid_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One grid's figures and members: the map's side panel, or a page of its own."""
    card = selectors.grid_card(request.user, code)
    template = "_grid_card.html" if _is_partial(request) else "grid_detail.html"
    return render(request, f"workbench/directory/{template}", {"card": card})


@staff_required
def staff(request: HttpRequest) -> HttpResponse:
    """Staff lookup by name, position or employee number, within one department if chosen."""
    search = _valid(StaffSearchForm(request.GET))
    context: dict[str, object] = {
        "results": selectors.staff(
            request.user,
            query=search["q"],
            department_code=search["department"],
            limit=STAFF_LIMIT,
        ),
        "limit": STAFF_LIMIT,
    }
    if _is_partial(request):
        return render(request, "workbench/directory/_staff_results.html", context)
    context["search"] = search
    context["departments"] = selectors.departments(request.user).values_list(
        "code", "name", "region__name"
    )
    return render(request, "workbench/directory/staff.html", context)

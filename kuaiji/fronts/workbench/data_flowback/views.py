"""Data flow-back on the work front: the subscriptions of the regions in one's scope, a form to
subscribe one's region to a resource, and the rows each delivery brought (with a CSV)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kuaiji.fronts.shell.access import staff_required
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.data import flowback
from kuaiji.platform.data.models import DataResource, Delivery, SharingType
from kuaiji.platform.directory.models import Region

SHOWN_ROWS = 500
RECENT_DELIVERIES = 20


class SubscribeForm(forms.Form):
    """Subscribe a region of one's scope to the rows of a resource that concern it."""

    resource = forms.ModelChoiceField(
        label=gettext_lazy("Resource"),
        queryset=DataResource.objects.exclude(sharing=SharingType.NOT_SHARED).order_by("code"),
        to_field_name="code",
    )
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"), queryset=Region.objects.none(), to_field_name="code"
    )
    region_field = forms.CharField(
        label=gettext_lazy("Field holding region codes"), max_length=60, initial="region_code"
    )
    every_minutes = forms.IntegerField(
        label=gettext_lazy("Deliver every (minutes)"),
        min_value=flowback.MIN_MINUTES,
        max_value=flowback.MAX_MINUTES,
        initial=1440,
    )

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = Region.objects.filter(pk__in=[region.pk for region in regions])
        if len(regions) == 1:
            field.initial = regions[0].code


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def subscriptions(request: HttpRequest) -> HttpResponse:
    """My region's subscriptions and recent deliveries; POST subscribes."""
    mine = flowback.my_subscriptions(request.user)
    form = SubscribeForm(request.POST or None, regions=flowback.home_regions(request.user))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                flowback.subscribe(
                    actor=request.user,
                    resource=form.cleaned_data["resource"],
                    region=form.cleaned_data["region"],
                    region_field=form.cleaned_data["region_field"],
                    every_minutes=form.cleaned_data["every_minutes"],
                )
            except InvalidInput as error:
                for name, message in error.fields.items():
                    form.add_error(name if name in form.fields else None, str(message))
            else:
                messages.success(request, _("Subscribed."))
                return redirect("workbench:data_flowback:list")
        status = 400
    recent = (
        Delivery.objects.filter(subscription__in=mine.values("pk"))
        .select_related("subscription__resource", "subscription__region")
        .defer("rows")
        .order_by("-at", "-pk")[:RECENT_DELIVERIES]
    )
    context = {"subscriptions": mine, "deliveries": recent, "form": form}
    return render(request, "workbench/data_flowback/list.html", context, status=status)


@require_POST
@staff_required
def stop(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop a subscription (its deliveries stay)."""
    flowback.unsubscribe(actor=request.user, subscription=pk)
    messages.success(request, _("The subscription is stopped."))
    return redirect("workbench:data_flowback:list")


@require_safe
@staff_required
def delivery(request: HttpRequest, pk: int) -> HttpResponse:
    """The rows of one delivery (the first 500 shown; all in the CSV)."""
    found = flowback.delivery(request.user, pk)
    names = flowback.columns(found)
    rows = [[row.get(name) for name in names] for row in found.rows[:SHOWN_ROWS]]
    context = {
        "delivery": found,
        "subscription": found.subscription,
        "names": names,
        "rows": rows,
        "shown": len(rows),
        "csv_url": reverse("api-v1:delivery_csv", kwargs={"delivery_id": found.pk}),
    }
    return render(request, "workbench/data_flowback/delivery.html", context)

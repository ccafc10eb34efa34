"""Importing the 12345 hotline's CSV export: all tickets or none, problems listed by line."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from kuaiji.apps.grassroots.hotline import MAX_BYTES, HotlineImport, import_hotline
from kuaiji.apps.grassroots.models import EventSource
from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.workbench.events.common import source_choices
from kuaiji.platform.core.errors import Forbidden, InvalidInput


class HotlineForm(forms.Form):
    file = forms.FileField(
        label=_("CSV export of the hotline system"),
        help_text=_(
            "Columns 工单编号, 受理时间, 诉求内容, 事发地址, 经度, 纬度, 来电人, 联系电话, "
            "紧急程度; UTF-8 or GB18030."
        ),
    )


def takes_calls(user: object) -> bool:
    """Whether the user records hotline calls (township staff and wider)."""
    return EventSource.HOTLINE in [value for value, _label in source_choices(user)]


@staff_required
def hotline(request: HttpRequest) -> HttpResponse:
    if not takes_calls(request.user):
        raise Forbidden()
    form = HotlineForm(request.POST or None, request.FILES or None)
    done: HotlineImport | None = None
    problems: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > MAX_BYTES:
                    raise InvalidInput(fields={"file": _("The file is larger than 5 MB.")})
                done = import_hotline(actor=request.user, data=upload.read())
                status = 200
            except InvalidInput as error:
                problems = {name: str(text) for name, text in error.fields.items()}
    context = {"form": form, "done": done, "problems": problems}
    return render(request, "workbench/events/hotline.html", context, status=status)

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.platform.workdays.calendar import unpublished_years_ahead
from kuaiji.platform.workdays.models import PublishedYear, SpecialDay


@admin.register(PublishedYear)
class PublishedYearAdmin(admin.ModelAdmin[PublishedYear]):
    """Published years; the list warns about this year or next missing."""

    list_display = ("year", "source", "published_at")

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        for year in unpublished_years_ahead(timezone.localdate()):
            messages.warning(
                request,
                _(
                    "The holiday schedule of %(year)d is not published: time limits cannot reach "
                    "into it until it is entered."
                )
                % {"year": year},
            )
        return super().changelist_view(request, extra_context)


@admin.register(SpecialDay)
class SpecialDayAdmin(admin.ModelAdmin[SpecialDay]):
    """Holidays on weekdays and make-up workdays at weekends."""

    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"

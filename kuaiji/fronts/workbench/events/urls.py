"""The grid-event screens, under /work/events/ ("workbench:events:<name>")."""

from django.urls import path

from kuaiji.fronts.workbench.events import (
    views_dispatch,
    views_event,
    views_hotline,
    views_list,
    views_report,
)

app_name = "events"
urlpatterns = [
    path("", views_list.event_list, name="list"),
    path("new/", views_report.report, name="new"),
    path("hotline/", views_hotline.hotline, name="hotline"),
    path("dispatch/", views_dispatch.console, name="dispatch"),
    path("dispatch/act/", views_dispatch.act, name="dispatch_act"),
    path("dispatch/assign/", views_dispatch.assign, name="dispatch_assign"),
    path("<int:event_id>/", views_event.detail, name="detail"),
    path("<int:event_id>/classify/", views_list.classify, name="classify"),
    path("<int:event_id>/merge/", views_event.merge, name="merge"),
    path("photos/<int:photo_id>/", views_event.photo, name="photo"),
    path("photos/<int:photo_id>/thumbnail/", views_event.thumbnail, name="thumbnail"),
]

"""The citizens' event screens, under /events/ ("portal:events:<name>")."""

from django.urls import path

from kuaiji.fronts.portal.events import views_report, views_track

app_name = "events"
urlpatterns = [
    path("", views_track.my_reports, name="list"),
    path("new/", views_report.report, name="new"),
    path("<int:event_id>/", views_track.detail, name="detail"),
    path("<int:event_id>/rate/", views_track.rate, name="rate"),
    path("photos/<int:photo_id>/", views_track.photo, name="photo"),
    path("photos/<int:photo_id>/thumbnail/", views_track.thumbnail, name="thumbnail"),
]

"""The inbox screens, under /work/inbox/ ("workbench:inbox:<name>")."""

from django.urls import path

from kuaiji.fronts.workbench.inbox import views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox_list, name="list"),
    path("<int:notification_id>/read/", views.mark_read, name="read"),
]

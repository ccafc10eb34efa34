"""The audit log screens, under /work/audit/ ("workbench:audit:<name>"); all read-only."""

from django.urls import path

from kuaiji.fronts.workbench.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("verify/", views.verify, name="verify"),
    path("<int:sequence>/", views.entry_detail, name="detail"),
]

"""The data sharing screens, under /work/data/sharing/ ("workbench:data_sharing:<name>")."""

from django.urls import path

from kuaiji.fronts.workbench.data_sharing import views

app_name = "data_sharing"
urlpatterns = [
    path("", views.sharing_list, name="list"),
    path("apply/<slug:code>/", views.apply, name="apply"),
    path("grants/<int:pk>/", views.grant_detail, name="grant"),
]

from django.urls import path

from kuaiji.fronts.workbench.accounts import views

app_name = "accounts"
urlpatterns = [
    path("real-name/", views.awaiting, name="awaiting"),
    path("real-name/<int:citizen_id>/verify/", views.verify, name="verify"),
]

from django.urls import path

from kuaiji.fronts.workbench.data_flowback import views

app_name = "data_flowback"
urlpatterns = [
    path("", views.subscriptions, name="list"),
    path("subscriptions/<int:pk>/stop/", views.stop, name="stop"),
    path("deliveries/<int:pk>/", views.delivery, name="delivery"),
]

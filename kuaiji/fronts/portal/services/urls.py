"""The service screens, under /services/ ("portal:services:<name>")."""

from django.urls import path

from kuaiji.fronts.portal.services import views, views_apply, views_mine

app_name = "services"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("items/<slug:code>/", views.item, name="item"),
    path("bundles/<slug:code>/", views.bundle, name="bundle"),
    path("items/<slug:code>/apply/", views_apply.apply_item, name="apply-item"),
    path("bundles/<slug:code>/apply/", views_apply.apply_bundle, name="apply-bundle"),
    path("mine/", views_mine.mine, name="mine"),
    path("applications/<slug:number>/", views_mine.application, name="application"),
    path("applications/<slug:number>/resubmit/", views_mine.resubmit, name="resubmit"),
    path("applications/<slug:number>/withdraw/", views_mine.withdraw, name="withdraw"),
    path("applications/<slug:number>/rate/", views_mine.rate_application, name="rate"),
    path("applications/<slug:number>/certificate/", views_mine.certificate, name="certificate"),
    path("consents/", views_mine.consents, name="consents"),
    path(
        "consents/<int:consent_id>/withdraw/",
        views_mine.withdraw_consent,
        name="withdraw-consent",
    ),
    path("verify/", views_mine.verify, name="verify"),
]

from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from config import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("", account_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("cases/", include("cases.urls")),
    path("referrals/", include("referral.urls")),
    path("statistics/", include("stats.urls")),
    path("duplicates/", include("duplicates.urls")),
    path("notices/", include("notices.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

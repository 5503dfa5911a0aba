from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from config import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("", account_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("cases/", include("cases.urls")),
    path("cases/", include("plans.urls")),
    path("cases/", include("documents.urls")),
    path("cases/", include("proceedings.urls")),
    path("referrals/", include("referral.urls")),
    path("statistics/", include("stats.urls")),
    path("duplicates/", include("duplicates.urls")),
    path("notices/", include("notices.urls")),
    path("break-glass/", include("breakglass.urls")),
    path("tasks/", include("tasks.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

# The project's own error pages, and the API's JSON errors under /api/ (config/views.py).
handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error

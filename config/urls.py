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
    # The language switcher: the choice kept in a cookie, and on the account after the login.
    path("i18n/setlang/", account_views.set_language, name="set_language"),
]

# The project's own error pages, and the API's JSON errors under /api/ (config/views.py).
handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error

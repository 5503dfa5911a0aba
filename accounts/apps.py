from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("Accounts and organisations")


class NRMAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "accounts.admin_site.NRMAdminSite"

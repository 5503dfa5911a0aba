from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("JSON API")

    def ready(self):
        # Function-level: models can be imported only once the app registry is ready.
        from auditlog.registry import auditlog

        # Imported for its side effect: drf-spectacular finds extensions by subclassing.
        from api import schema  # noqa: F401
        from api.models import ApiToken

        # Issuing and revoking tokens is audited; the hash stays out of the entry.
        auditlog.register(ApiToken, exclude_fields=["key_hash"], serialize_data=False)

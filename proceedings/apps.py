from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceedingsConfig(AppConfig):
    name = "proceedings"
    verbose_name = _("Proceedings")

    def ready(self):
        # Function-level: models can be imported only once the app registry is ready.
        from audit.registry import register
        from proceedings.models import Hearing, Proceeding, ProtectionMeasure

        register(Proceeding)
        register(Hearing)
        register(ProtectionMeasure)

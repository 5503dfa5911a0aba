from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BreakGlassConfig(AppConfig):
    name = "breakglass"
    verbose_name = _("Break-glass access")

    def ready(self):
        # Function-level: models can be imported only once the app registry is ready.
        from audit.registry import register
        from breakglass.models import BreakGlass

        register(BreakGlass)

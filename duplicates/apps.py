from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuplicatesConfig(AppConfig):
    name = "duplicates"
    verbose_name = _("Possible duplicates")

    def ready(self):
        # Function-level: models can be imported only once the app registry is ready.
        from audit.registry import register
        from duplicates import models

        register(models.PossibleDuplicate)

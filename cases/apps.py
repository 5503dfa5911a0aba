from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        # Function-level: models can be imported only once the app registry is ready.
        from audit.registry import register
        from cases import models

        post_migrate.connect(models.forget_permission_ids, dispatch_uid="forget_permission_ids")
        register(models.Person)
        register(models.Case, m2m_fields={"exploitation_forms"})
        for model in (
            models.Consent,
            models.Note,
            models.ServiceRecord,
            models.CaseTransition,
            models.ConsentOverride,
            models.CaseCorrection,
        ):
            register(model)

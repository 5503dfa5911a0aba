from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Assistance plans and risk")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Function-level: models can be imported only once the app registry is ready.
        from audit.registry import register
        from plans import models

        register(models.AssistancePlan)
        register(models.Need, m2m_fields={"referrals", "services"})
        register(models.RiskAssessment)

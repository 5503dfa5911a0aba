from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralConfig(AppConfig):
    name = "referral"
    verbose_name = _("Referrals")

    def ready(self):
        # Function-level: models can be imported only once the app registry is ready.
        from audit.registry import register
        from referral.models import Referral

        register(Referral, m2m_fields={"services"})

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralConfig(AppConfig):
    name = "referral"
    verbose_name = _("Referrals")

    def ready(self):
        from cases.audit import register
        from referral.models import Referral

        register(Referral, m2m_fields={"services"})

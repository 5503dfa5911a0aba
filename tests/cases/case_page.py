"""Cases brought to a state for the case page's tests (through the services, as people would).

``consented_case`` is re-exported from tests.scenarios for these modules."""

from cases.models import Case
from referral.transitions import accept_referral
from tests.factories import make_case
from tests.scenarios import consented_case, refer


def accepted(case, sender, receiver, *codes, **options):
    """A referral from the ``sender`` user to the ``receiver`` user's organisation, accepted."""
    return accept_referral(refer(case, sender, receiver, *codes, **options), actor=receiver)


def in_assistance(cast, *, consent=True):
    """NGO A's case, in assistance through health's accepted medical referral, with a status
    decision referral accepted by the authority. Without consent, NGO A's supervisor refers
    on an override."""
    if consent:
        case, sender, extra = consented_case(cast), cast.ngo_a, {}
    else:
        case, sender = make_case(cast.ngo_a), cast.ngo_a_supervisor
        extra = {"consent_override_reason": "Urgent medical need"}
    accepted(case, sender, cast.health, "Medical", **extra)
    accepted(case, sender, cast.authority, "StatusDecision", **extra)
    return Case.objects.get(pk=case.pk)


def page(client, case):
    return client.get(f"/cases/{case.pk}/")

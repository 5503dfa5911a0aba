"""Who may answer, withdraw or end a referral: the receiving, the sending or the lead
organisation."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.roles import FRONTLINE_KINDS, FRONTLINE_ROLES, OPERATIONAL_ROLES
from cases.rules import LEAD_CASEWORKERS, Rule, allows, can_access_cases
from referral.models import ReferralState

# The kinds of organisation that take assistance referrals (the frontline kinds); the status
# authority takes status decisions only.
ASSISTANCE_KINDS = FRONTLINE_KINDS

# Relations between a user's organisation and a referral.
SENDING = "sending"
RECEIVING = "receiving"
# The organisation leading the referral's case: it may end a partner's accepted referral.
CASE_LEAD = "case_lead"

NOT_YOURS = _("This action on the referral is not yours to take.")

REFERRAL_RULES: dict[str, Rule] = {
    "accept": Rule(OPERATIONAL_ROLES, frozenset({RECEIVING}), NOT_YOURS),
    "decline": Rule(OPERATIONAL_ROLES, frozenset({RECEIVING}), NOT_YOURS),
    "complete": Rule(OPERATIONAL_ROLES, frozenset({RECEIVING}), NOT_YOURS),
    "cancel": Rule(OPERATIONAL_ROLES, frozenset({SENDING}), NOT_YOURS),
    "end": Rule(
        LEAD_CASEWORKERS,
        frozenset({CASE_LEAD}),
        _("Only a caseworker or supervisor of the lead organisation may end a referral."),
    ),
}


def referral_relations(user, referral) -> frozenset[str]:
    org = getattr(user, "organisation_id", None)
    relations = set()
    if org and referral.from_organisation_id == org:
        relations.add(SENDING)
    if org and referral.to_organisation_id == org:
        relations.add(RECEIVING)
    if org and referral.case_id and referral.case.lead_organisation_id == org:
        relations.add(CASE_LEAD)
    return frozenset(relations)


def may_on_referral(user, action: str, referral) -> bool:
    return allows(REFERRAL_RULES[action], user, referral_relations(user, referral))


def require_on_referral(user, action: str, referral) -> None:
    """Raise PermissionDenied with the rule's message unless ``may_on_referral`` allows it."""
    if not may_on_referral(user, action, referral):
        raise PermissionDenied(REFERRAL_RULES[action].message)


# The printable slip (what the receiving organisation needs, on one page): the sender's
# frontline users while the referral is open, the receiver's users once it has accepted.
SLIP_SENDER_STATES = frozenset({ReferralState.PENDING, ReferralState.ACCEPTED})


def may_print_slip(user, referral) -> bool:
    """Whether the user may print the referral's slip, the case's identity access aside (the
    selector asks it at the moment of reading)."""
    if not can_access_cases(user):
        return False
    relations = referral_relations(user, referral)
    if SENDING in relations and user.role in FRONTLINE_ROLES:
        return referral.state in SLIP_SENDER_STATES
    return RECEIVING in relations and referral.state == ReferralState.ACCEPTED

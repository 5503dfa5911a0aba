"""Who may answer, withdraw or end a referral: the receiving, the sending or the lead
organisation."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.roles import FRONTLINE_KINDS, OPERATIONAL_ROLES
from cases.rules import LEAD_CASEWORKERS, Rule, allows

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

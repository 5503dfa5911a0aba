"""Cases where a persona's organisation stands in one relation to the case's proceedings,
built through the services; and the expectations of each, written from the issue (never read
from proceedings.rules).

Issue 12: "Seen by the lead organisation, organisations with an accepted Legal referral, and
the status authority while it holds its referral." Writers: the frontline roles of the first
two. Everyone else who sees the case is refused (403); an organisation that does not see the
case gets 404.
"""

import datetime

from django.utils import timezone

from proceedings.services import add_proceeding
from tests import personas
from tests.cases.case_page import accepted
from tests.scenarios import consented_case, refer

LEAD = "lead"
LEAD_SUPERVISOR = "lead_supervisor"
LEGAL = "accepted_legal"
LEGAL_AMONG_OTHERS = "accepted_shelter_and_legal"
STATUS_DECIDER = "status_decider"
REGISTERING_ONLY = "registering_only"
PENDING = "pending_legal"
OTHER_ACCEPTED = "accepted_medical"
OTHER_ORGANISATION = "other_organisation"
COMMISSION = "commission"

# relation → (persona, may read, may write)
TABLE = {
    LEAD: (personas.NGO_A, True, True),
    LEAD_SUPERVISOR: (personas.NGO_A_SUPERVISOR, True, True),
    LEGAL: (personas.NGO_B, True, True),
    LEGAL_AMONG_OTHERS: (personas.NGO_B, True, True),
    STATUS_DECIDER: (personas.AUTHORITY, True, False),
    REGISTERING_ONLY: (personas.POLICE, False, False),
    PENDING: (personas.NGO_B, False, False),
    OTHER_ACCEPTED: (personas.HEALTH, False, False),
    OTHER_ORGANISATION: (personas.POLICE, False, False),
    COMMISSION: (personas.COMMISSION, False, False),
}
# Those that do not see the case at all (404 for everything, as for a missing case).
BLIND = {OTHER_ORGANISATION}
# Roles with no access to cases at all (403 for every case URL).
NO_CASES = {COMMISSION}


def case_for(cast, relation: str):
    """A case led by NGO A (registered by the police for ``registering_only``) where the
    relation's persona stands in that relation."""
    if relation == REGISTERING_ONLY:
        case = consented_case(cast, personas.POLICE)
        accepted(case, cast.police, cast.ngo_a, "Shelter", transfers_lead=True)
    else:
        case = consented_case(cast)
    if relation == LEGAL:
        accepted(case, cast.ngo_a, cast.ngo_b, "Legal")
    elif relation == LEGAL_AMONG_OTHERS:
        accepted(case, cast.ngo_a, cast.ngo_b, "Shelter", "Legal")
    elif relation == STATUS_DECIDER:
        accepted(case, cast.ngo_a, cast.authority, "StatusDecision")
    elif relation == PENDING:
        refer(case, cast.ngo_a, cast.ngo_b, "Legal")
    elif relation == OTHER_ACCEPTED:
        accepted(case, cast.ngo_a, cast.health, "Medical")
    return type(case).objects.get(pk=case.pk)


def a_proceeding(case, actor, **values):
    """A criminal proceeding recorded on the case by ``actor``."""
    fields = {
        "kind": "criminal",
        "court_or_prosecutor": "Tribunal de première instance, Casablanca",
        "role": "victim",
        "reference": "PROC-2026-0042",
        "legal_representation": "Maître Benali",
    }
    fields.update(values)
    return add_proceeding(case, actor=actor, **fields)


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)

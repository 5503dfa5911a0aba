"""Cases and referrals brought to a given state through the services, as people would."""

from accounts.models import Organisation
from cases.consent import record_consent
from cases.dispatch import take_transition
from cases.models import CaseGroupObjectPermission
from plans.models import FACTORS
from plans.services import record_risk_assessment
from reference.models import ServiceType
from referral.creation import create_referral
from referral.transitions import (
    accept_referral,
    cancel_referral,
    complete_referral,
    decline_referral,
)
from tests import design_table as design
from tests import personas
from tests.factories import make_case


def org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def service(code: str) -> ServiceType:
    return ServiceType.objects.get(code=code)


def refer(case, actor, to, *codes, **options):
    """The one way tests refer: ``actor`` refers ``case`` to ``to`` (an organisation's name, or
    a user of the receiving organisation) for ``codes`` (Shelter by default)."""
    return create_referral(
        case,
        actor=actor,
        to_organisation=to.organisation if hasattr(to, "organisation") else org(to),
        services=[service(c) for c in codes or ("Shelter",)],
        **options,
    )


def consented_case(cast, username=personas.NGO_A, **kwargs):
    """A case registered by the persona, with the person's referral consent recorded."""
    case = make_case(cast[username], **kwargs)
    record_consent(case, actor=cast[username], scope="referral", given=True)
    return case


def assess_risk(case, actor, level="low", **options):
    """A risk assessment of the case by ``actor``, every factor at ``level``."""
    return record_risk_assessment(
        case, actor=actor, factors=dict.fromkeys(FACTORS, level), level=level, **options
    )


def case_led_by_ngo_a(cast, *, stage="identification", status="presumed", assessed=None):
    """NGO A registers and leads; the prosecutor holds an accepted StatusDecision referral; the
    health unit has a Medical referral (accepted from assistance on, pending at identification).

    A status decided here completes the prosecutor's referral, so NGO A sends it a new one
    (as for a reconsideration) which it accepts; closing the case ends both partners' parts.
    From assistance on, NGO A has assessed the risk (reintegration needs it) unless
    ``assessed=False``.
    """
    if assessed is None:
        assessed = stage != "identification"
    case = make_case(cast.ngo_a)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    decision = refer(case, cast.ngo_a, "Prosecutor's office", "StatusDecision")
    accept_referral(decision, actor=cast.authority)
    medical = refer(case, cast.ngo_a, "Health unit — Casablanca", "Medical")
    if stage != "identification":
        accept_referral(medical, actor=cast.health)
    if status == "confirmed":
        take_transition(case, "confirm_status", actor=cast.authority, reason="evidence")
    if status == "not_confirmed":
        take_transition(case, "reject_status", actor=cast.authority, reason="no evidence")
    if status != "presumed":
        again = refer(case, cast.ngo_a, "Prosecutor's office", "StatusDecision")
        accept_referral(again, actor=cast.authority)
    if assessed:
        assess_risk(case, cast.ngo_a)
    if stage in ("reintegration", "closed"):
        take_transition(case, "start_reintegration", actor=cast.ngo_a)
    if stage == "closed":
        take_transition(
            case, "close", actor=cast.ngo_a_supervisor, reason="done", closure_reason="goals_met"
        )
    return type(case).objects.get(pk=case.pk)


def referral_in_state(cast, state: str):
    """A Shelter referral from NGO A (registering, lead) to NGO B, brought to ``state``."""
    case = make_case(cast.ngo_a)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    referral = refer(case, cast.ngo_a, "NGO B", "Shelter")
    if state in ("accepted", "completed", "ended"):
        accept_referral(referral, actor=cast.ngo_b)
    if state == "ended":
        record_consent(case, actor=cast.ngo_a, scope="referral", given=False)
    if state == "completed":
        complete_referral(referral, actor=cast.ngo_b)
    if state == "declined":
        decline_referral(referral, actor=cast.ngo_b, reason="no beds")
    if state == "cancelled":
        cancel_referral(referral, actor=cast.ngo_a)
    return type(referral).objects.get(pk=referral.pk)


def organisation_permissions(case, organisation) -> set[str]:
    """The codenames an organisation holds on a case, read from the permission rows."""
    return set(
        CaseGroupObjectPermission.objects.filter(
            content_object=case, group_id=organisation.group_id
        ).values_list("permission__codename", flat=True)
    )


# The relations an organisation can hold to a case, each built by ``case_where`` below.
NONE = "none"
PENDING = "pending"
ACCEPTED = "accepted"
REGISTERING_AND_LEAD = "registering_and_lead"
LEAD_ONLY = "lead_only"
REGISTERING_ONLY = "registering_only"
RELATIONS = (NONE, PENDING, ACCEPTED, REGISTERING_AND_LEAD, LEAD_ONLY, REGISTERING_ONLY)
# What each of them gives in DESIGN.md's terms (a pending receiver may do nothing yet).
RELATIONS_GIVEN = {
    NONE: set(),
    PENDING: set(),
    ACCEPTED: {design.ACCEPTED_REFERRAL},
    REGISTERING_AND_LEAD: {design.REGISTERING, design.LEAD},
    LEAD_ONLY: {design.LEAD},
    REGISTERING_ONLY: {design.REGISTERING},
}


def relations_given(cast, persona: str, relation: str) -> set[str]:
    """The relations ``case_where`` gives; the status authority's referral is a StatusDecision."""
    given = set(RELATIONS_GIVEN[relation])
    if relation == ACCEPTED and cast[persona].organisation.kind == "authority":
        given.add(design.STATUS_DECIDER)
    return given


def other_frontline(cast, user):
    """A frontline persona of another organisation than the user's (police, or NGO B)."""
    return cast.ngo_b if user.organisation_id == cast.police.organisation_id else cast.police


def case_where(cast, persona: str, relation: str):
    """A case to which the persona's organisation stands in ``relation``, and in no other.

    none: another organisation's case; pending: a referral to it waits; accepted: it accepted
    a referral (a StatusDecision one for the status authority); registering_and_lead: it
    registered the case; lead_only: the lead was handed to it by a referral it then completed;
    registering_only: it registered the case and handed the lead on.
    """
    user = cast[persona]
    other = other_frontline(cast, user)
    if relation in (REGISTERING_AND_LEAD, REGISTERING_ONLY):
        case = make_case(user)
        if relation == REGISTERING_ONLY:
            record_consent(case, actor=user, scope="referral", given=True)
            handover = refer(case, user, other.organisation.name, transfers_lead=True)
            accept_referral(handover, actor=other)
        return type(case).objects.get(pk=case.pk)
    case = make_case(other)
    if relation == NONE:
        return case
    record_consent(case, actor=other, scope="referral", given=True)
    code = "StatusDecision" if user.organisation.kind == "authority" else "Shelter"
    referral = refer(
        case, other, user.organisation.name, code, transfers_lead=relation == LEAD_ONLY
    )
    if relation in (ACCEPTED, LEAD_ONLY):
        accept_referral(referral, actor=user)
    if relation == LEAD_ONLY:
        complete_referral(referral, actor=user)
    return type(case).objects.get(pk=case.pk)


def free_target(case, user) -> Organisation:
    """An organisation the user may refer the case to: not its own, with no open referral."""
    busy = set(
        case.referrals.filter(state__in=["pending", "accepted"]).values_list(
            "to_organisation_id", flat=True
        )
    )
    names = ("NGO B", "Health unit — Casablanca", "NGO A", "Police — Casablanca")
    candidates = [org(name) for name in names]
    return next(o for o in candidates if o.pk != user.organisation_id and o.pk not in busy)

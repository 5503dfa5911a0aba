"""Cases and referrals brought to a given state through the services, as people would."""

from accounts.models import Organisation
from cases.consent import record_consent
from cases.dispatch import take_transition
from cases.models import CaseGroupObjectPermission
from reference.models import ServiceType
from referral.creation import create_referral
from referral.transitions import (
    accept_referral,
    cancel_referral,
    complete_referral,
    decline_referral,
)
from tests.factories import make_case


def org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def service(code: str) -> ServiceType:
    return ServiceType.objects.get(code=code)


def refer(case, actor, to: str, *codes, **options):
    return create_referral(
        case,
        actor=actor,
        to_organisation=org(to),
        services=[service(c) for c in codes or ("Shelter",)],
        **options,
    )


def case_led_by_ngo_a(cast, *, stage="identification", status="presumed"):
    """NGO A registers and leads; the prosecutor accepted a StatusDecision referral; the health
    unit has a Medical referral (accepted from assistance on, pending at identification).
    """
    case = make_case(cast.ngo_a)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    decision = refer(case, cast.ngo_a, "Prosecutor's office", "StatusDecision")
    accept_referral(decision, actor=cast.authority)
    medical = refer(case, cast.ngo_a, "Health unit — Casablanca", "Medical")
    if stage != "identification":
        accept_referral(medical, actor=cast.health)
    if stage in ("reintegration", "closed"):
        take_transition(case, "start_reintegration", actor=cast.ngo_a)
    if stage == "closed":
        take_transition(
            case, "close", actor=cast.ngo_a_supervisor, reason="done", closure_reason="goals_met"
        )
    if status == "confirmed":
        take_transition(case, "confirm_status", actor=cast.authority, reason="evidence")
    if status == "not_confirmed":
        take_transition(case, "reject_status", actor=cast.authority, reason="no evidence")
    return type(case).objects.get(pk=case.pk)


def referral_in_state(cast, state: str):
    """A Shelter referral from NGO A (registering, lead) to NGO B, brought to ``state``."""
    case = make_case(cast.ngo_a)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    referral = refer(case, cast.ngo_a, "NGO B", "Shelter")
    if state in ("accepted", "completed"):
        accept_referral(referral, actor=cast.ngo_b)
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

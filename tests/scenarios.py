"""Cases and referrals brought to a given state through the services, as people would."""

from accounts.models import Organisation
from cases import workflow
from cases.models import CaseGroupObjectPermission
from reference.models import ServiceType
from referral import services as referrals
from tests.factories import make_case


def org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def service(code: str) -> ServiceType:
    return ServiceType.objects.get(code=code)


def refer(case, actor, to: str, *codes, **options):
    return referrals.create_referral(
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
    workflow.record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    decision = refer(case, cast.ngo_a, "Prosecutor's office", "StatusDecision")
    referrals.accept_referral(decision, actor=cast.authority)
    medical = refer(case, cast.ngo_a, "Health unit — Casablanca", "Medical")
    if stage != "identification":
        referrals.accept_referral(medical, actor=cast.health)
    if stage in ("reintegration", "closed"):
        workflow.transition_case(case, "start_reintegration", actor=cast.ngo_a)
    if stage == "closed":
        workflow.transition_case(
            case, "close", actor=cast.ngo_a_supervisor, reason="done", closure_reason="goals_met"
        )
    if status == "confirmed":
        workflow.transition_case(case, "confirm_status", actor=cast.authority, reason="evidence")
    if status == "not_confirmed":
        workflow.transition_case(case, "reject_status", actor=cast.authority, reason="no evidence")
    return type(case).objects.get(pk=case.pk)


def referral_in_state(cast, state: str):
    """A Shelter referral from NGO A (registering, lead) to NGO B, brought to ``state``."""
    case = make_case(cast.ngo_a)
    workflow.record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    referral = refer(case, cast.ngo_a, "NGO B", "Shelter")
    if state in ("accepted", "completed"):
        referrals.accept_referral(referral, actor=cast.ngo_b)
    if state == "completed":
        referrals.complete_referral(referral, actor=cast.ngo_b)
    if state == "declined":
        referrals.decline_referral(referral, actor=cast.ngo_b, reason="no beds")
    if state == "cancelled":
        referrals.cancel_referral(referral, actor=cast.ngo_a)
    return type(referral).objects.get(pk=referral.pk)


def organisation_permissions(case, organisation) -> set[str]:
    """The codenames an organisation holds on a case, read from the permission rows."""
    return set(
        CaseGroupObjectPermission.objects.filter(
            content_object=case, group_id=organisation.group_id
        ).values_list("permission__codename", flat=True)
    )

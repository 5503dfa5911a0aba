"""A deactivated organisation: its members keep their accounts and lose every case at once.

They get what roles without cases get: 403 on every case and referral page and endpoint, the
visibility querysets are empty, and every service refuses them (PermissionDenied), for the
cases their organisation registered, leads, was referred or holds a pending referral for.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from accounts.models import Organisation, User
from audit.models import AuditEntry
from cases.casework import add_note, record_service
from cases.consent import record_consent
from cases.dispatch import take_transition
from cases.models import Case, Consent, Note, ServiceRecord
from cases.registration import register_case
from cases.selectors import case_for_work, cases_for_list, read_case_and_log_access
from reference.models import ServiceType
from referral.creation import create_referral
from referral.models import Referral
from referral.transitions import (
    accept_referral,
    cancel_referral,
    complete_referral,
    decline_referral,
)
from tests import personas
from tests.api.conftest import case_url, post_json, referral_url
from tests.factories import case_data, make_case, person_data
from tests.scenarios import org, refer

MEMBERS = [personas.NGO_A, personas.NGO_A_SUPERVISOR, personas.NGO_B]


@pytest.fixture
def world(cast):
    """Before deactivation: NGO A registered and leads ``own`` (consented, a Shelter referral to
    NGO B pending) and ``bare`` (no consent), and accepted a referral of the police's
    ``referred``."""
    own = make_case(cast.ngo_a)
    record_consent(own, actor=cast.ngo_a, scope="referral", given=True)
    pending = refer(own, cast.ngo_a, "NGO B")
    referred = make_case(cast.police)
    record_consent(referred, actor=cast.police, scope="referral", given=True)
    accepted = accept_referral(refer(referred, cast.police, "NGO A"), actor=cast.ngo_a)
    bare = make_case(cast.ngo_a)  # no consent recorded: only an override refers it
    return {
        "own": own,
        "referred": referred,
        "pending": pending,
        "accepted": accepted,
        "bare": bare,
    }


def deactivate(*names: str) -> None:
    Organisation.objects.filter(name__in=names).update(active=False)


def fresh(username: str) -> User:
    """The member as the next request loads them (the cast's objects are from before)."""
    return User.objects.select_related("organisation").get(username=username)


def snapshot() -> tuple:
    """What any case work would change."""
    return (
        Case.objects.count(),
        Note.objects.count(),
        ServiceRecord.objects.count(),
        Consent.objects.count(),
        sorted(Referral.objects.values_list("state", flat=True)),
        sorted(Case.objects.values_list("stage", flat=True)),
    )


# --- Visibility ---------------------------------------------------------------------------------
def test_the_visibility_querysets_are_empty_once_the_organisation_is_deactivated(world):
    before = {
        name: sorted(Case.objects.visible_to(fresh(name)).values_list("pk", flat=True))
        for name in MEMBERS
    }
    deactivate("NGO A", "NGO B")
    after = {
        name: list(Case.objects.visible_to(fresh(name)).values_list("pk", flat=True))
        for name in MEMBERS
    }
    own, referred, bare = world["own"].pk, world["referred"].pk, world["bare"].pk
    assert before == {
        personas.NGO_A: sorted([own, referred, bare]),
        personas.NGO_A_SUPERVISOR: sorted([own, referred, bare]),
        personas.NGO_B: [own],
    }
    assert after == dict.fromkeys(MEMBERS, [])
    flags = Case.objects.with_identity_flag(fresh(personas.NGO_A)).filter(pk__in=[own, referred])
    assert sorted(flags.values_list("can_view_identity", flat=True)) == [False, False]


@pytest.mark.parametrize("username", MEMBERS)
def test_the_case_selectors_find_nothing_for_a_member(world, username):
    deactivate("NGO A", "NGO B")
    member = fresh(username)
    own = world["own"].pk
    assert list(cases_for_list(member)) == []
    with pytest.raises(Http404):
        read_case_and_log_access(member, own, channel="ui")
    with pytest.raises(Http404):
        case_for_work(member, own)


def test_other_organisations_still_see_the_cases(world, cast):
    deactivate("NGO A", "NGO B")
    visible = Case.objects.visible_to(fresh(personas.POLICE)).values_list("pk", flat=True)
    assert list(visible) == [world["referred"].pk]


# --- UI and API: 403 on every page, as for roles without cases ----------------------------------
def pages(world) -> list[str]:
    own, pending = world["own"], world["pending"]
    return [
        "/cases/",
        f"/cases/{own.pk}/",
        f"/cases/{world['referred'].pk}/",
        "/cases/register/",
        "/referrals/",
        f"/referrals/{pending.pk}/",
        "/api/v1/cases/",
        case_url(own),
        case_url(world["referred"]),
        "/api/v1/referrals/",
        referral_url(pending),
    ]


@pytest.mark.parametrize("username", MEMBERS)
def test_members_see_no_case_page_or_endpoint(world, client_for, api_for, username):
    deactivate("NGO A", "NGO B")
    statuses = {}
    for path in pages(world):
        client = api_for(username) if path.startswith("/api/") else client_for(username)
        statuses[path] = client.get(path).status_code
    assert statuses == dict.fromkeys(pages(world), 403)
    # No read of a case was logged for them.
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).count() == 0


def ui_posts(world, cast) -> list[tuple[str, str, dict]]:
    """(persona, path, form data) for each action a member could try in the UI."""
    own, pending, accepted = world["own"], world["pending"], world["accepted"]
    today = timezone.localdate().isoformat()
    return [
        (
            personas.NGO_A,
            "/cases/register/",
            {
                "given_name": "Amina",
                "sex": "female",
                "identified_on": today,
                "region": "MA-06",
                "exploitation_forms": ["ForcedLabour"],
            },
        ),
        (personas.NGO_A, f"/cases/{own.pk}/notes/", {"note-kind": "general", "note-body": "x"}),
        (
            personas.NGO_A,
            f"/cases/{own.pk}/consent/",
            {"consent-scope": "referral", "consent-given": "no"},
        ),
        (
            personas.NGO_A,
            f"/cases/{own.pk}/refer/",
            {
                "refer-to_organisation": org("Health unit — Casablanca").pk,
                "refer-services": ["Medical"],
                "refer-urgency": "routine",
            },
        ),
        (
            personas.NGO_A,
            f"/cases/{own.pk}/services/",
            {"service-service_type": "Shelter", "service-started_on": today},
        ),
        (
            personas.NGO_A_SUPERVISOR,
            f"/cases/{own.pk}/transitions/close/",
            {"close-closure_reason": "goals_met", "close-reason": "done"},
        ),
        (personas.NGO_B, f"/referrals/{pending.pk}/accept/", {}),
        (personas.NGO_B, f"/referrals/{pending.pk}/decline/", {"reason": "no beds"}),
        (personas.NGO_A, f"/referrals/{pending.pk}/cancel/", {}),
        (personas.NGO_A, f"/referrals/{accepted.pk}/complete/", {}),
    ]


def test_members_can_act_on_nothing_in_the_ui(world, cast, client_for):
    deactivate("NGO A", "NGO B")
    before = snapshot()
    statuses = [
        client_for(username).post(path, data).status_code
        for username, path, data in ui_posts(world, cast)
    ]
    assert (statuses, snapshot()) == ([403] * len(ui_posts(world, cast)), before)


def api_posts(world) -> list[tuple[str, str, dict]]:
    own, pending, accepted = world["own"], world["pending"], world["accepted"]
    return [
        (
            personas.NGO_A,
            "/api/v1/cases/",
            {
                "person": {"given_name": "Amina", "sex": "female"},
                "identified_on": timezone.localdate().isoformat(),
                "region": "MA-06",
                "exploitation_forms": ["ForcedLabour"],
            },
        ),
        (personas.NGO_A, case_url(own, "consents"), {"scope": "referral", "given": False}),
        (
            personas.NGO_A,
            case_url(own, "referrals"),
            {"to_organisation": org("Health unit — Casablanca").pk, "services": ["Medical"]},
        ),
        (
            personas.NGO_A_SUPERVISOR,
            case_url(own, "transitions", "close"),
            {"reason": "done", "closure_reason": "goals_met"},
        ),
        (personas.NGO_B, referral_url(pending, "accept"), {}),
        (personas.NGO_B, referral_url(pending, "decline"), {"reason": "no beds"}),
        (personas.NGO_A, referral_url(pending, "cancel"), {}),
        (personas.NGO_A, referral_url(accepted, "complete"), {}),
    ]


def test_members_can_act_on_nothing_through_the_api(world, api_for):
    deactivate("NGO A", "NGO B")
    before = snapshot()
    statuses = [
        post_json(api_for(username), path, body).status_code
        for username, path, body in api_posts(world)
    ]
    assert (statuses, snapshot()) == ([403] * len(api_posts(world)), before)


# --- Services -----------------------------------------------------------------------------------
def shelter():
    return ServiceType.objects.get(code="Shelter")


SERVICE_CALLS = {
    "register": lambda w, user: register_case(actor=user, person=person_data(), case=case_data()),
    "add_note": lambda w, user: add_note(w["own"], actor=user, body="A note"),
    "record_service": lambda w, user: record_service(
        w["own"], actor=user, service_type=shelter(), started_on=timezone.localdate()
    ),
    "record_consent": lambda w, user: record_consent(
        w["own"], actor=user, scope="referral", given=False
    ),
    "refer": lambda w, user: create_referral(
        w["own"],
        actor=user,
        to_organisation=org("Health unit — Casablanca"),
        services=[ServiceType.objects.get(code="Medical")],
    ),
    "refer_on": lambda w, user: create_referral(
        w["referred"],
        actor=user,
        to_organisation=org("Health unit — Casablanca"),
        services=[ServiceType.objects.get(code="Medical")],
    ),
    "complete": lambda w, user: complete_referral(w["accepted"], actor=user),
    "cancel": lambda w, user: cancel_referral(w["pending"], actor=user),
}
RECEIVER_CALLS = {
    "accept": lambda w, user: accept_referral(w["pending"], actor=user),
    "decline": lambda w, user: decline_referral(w["pending"], actor=user, reason="no beds"),
}
SUPERVISOR_CALLS = {
    "close": lambda w, user: take_transition(
        w["own"], "close", actor=user, reason="done", closure_reason="goals_met"
    ),
    "override": lambda w, user: create_referral(
        w["bare"],
        actor=user,
        to_organisation=org("NGO B"),
        services=[shelter()],
        consent_override_reason="urgent",
    ),
}
CALLS = [
    *[(personas.NGO_A, name) for name in SERVICE_CALLS],
    *[(personas.NGO_B, name) for name in RECEIVER_CALLS],
    *[(personas.NGO_A_SUPERVISOR, name) for name in SUPERVISOR_CALLS],
]


@pytest.mark.parametrize(("username", "name"), CALLS)
def test_every_service_refuses_a_member(world, username, name):
    call = {**SERVICE_CALLS, **RECEIVER_CALLS, **SUPERVISOR_CALLS}[name]
    deactivate("NGO A", "NGO B")
    before = snapshot()
    with pytest.raises(PermissionDenied):
        call(world, fresh(username))
    assert snapshot() == before


@pytest.mark.parametrize(("username", "name"), CALLS)
def test_every_service_call_above_succeeds_while_the_organisation_is_active(world, username, name):
    call = {**SERVICE_CALLS, **RECEIVER_CALLS, **SUPERVISOR_CALLS}[name]
    before = snapshot()
    call(world, fresh(username))
    assert snapshot() != before

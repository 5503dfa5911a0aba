"""The case page's refer form and what referring from it does (cases.views → referral.creation)."""

import pytest

from referral.models import Referral, ReferralState
from tests import personas
from tests.cases.case_page import accepted, consented_case, in_assistance, page
from tests.factories import make_case
from tests.scenarios import refer

CONSENT_REQUIRED = "consent to referral is not recorded"


def test_case_page_lists_the_cases_referrals_for_identity_access(client_for, cast):
    case = consented_case(cast)
    accepted(case, cast.ngo_a, cast.health, "Medical")
    pending = refer(case, cast.ngo_a, cast.ngo_b, "Shelter", "Legal")
    response = page(client_for(personas.NGO_A), case)
    referrals = response.context["work"].referrals
    assert [(r.to_organisation.name, r.state) for r in referrals] == [
        ("NGO B", "pending"),
        ("Health unit — Casablanca", "accepted"),
    ]
    body = response.content.decode()
    assert "Legal assistance, Shelter" in body
    assert f'href="/referrals/{pending.pk}/"' in body
    # The pending receiver sees the profile only: no list of referrals, no forms.
    response = page(client_for(personas.NGO_B), case)
    assert response.context["work"].referrals == []
    assert "Legal assistance, Shelter" not in response.content.decode()
    assert [response.context[key] for key in ("refer_form", "note_form", "service_form")] == [
        None,
        None,
        None,
    ]


@pytest.mark.parametrize(
    ("username", "refer", "override"),
    [
        (personas.NGO_A, True, False),
        (personas.NGO_A_SUPERVISOR, True, True),
        (personas.HEALTH, True, False),
        (personas.AUTHORITY, False, False),
    ],
)
def test_refer_form_and_override_field_follow_the_rules(
    client_for, cast, username, refer, override
):
    case = in_assistance(cast, consent=False)
    form = page(client_for(username), case).context["refer_form"]
    assert (form is not None) is refer
    if form is not None:
        assert ("consent_override_reason" in form.fields) is override
        organisations = list(form.fields["to_organisation"].queryset)
        assert cast[username].organisation not in organisations
        assert cast.ngo_b.organisation in organisations


def test_override_field_is_not_offered_once_consent_is_recorded(client_for, cast):
    case = consented_case(cast)
    form = page(client_for(personas.NGO_A_SUPERVISOR), case).context["refer_form"]
    assert "consent_override_reason" not in form.fields


def _refer_data(cast, **overrides):
    data = {
        "refer-to_organisation": cast.ngo_b.organisation.pk,
        "refer-services": ["Shelter"],
        "refer-urgency": "urgent",
        "refer-reason": "Needs shelter",
    }
    data.update(overrides)
    return data


def test_refer_without_consent_keeps_the_form_with_one_message(client_for, cast):
    case = make_case(cast.ngo_a)
    response = client_for(personas.NGO_A).post(f"/cases/{case.pk}/refer/", _refer_data(cast))
    assert response.status_code == 409
    form = response.context["refer_form"]
    # What was typed is still there, and the refusal is the form's one message.
    assert form["reason"].value() == "Needs shelter"
    assert form["urgency"].value() == "urgent"
    [message] = form.non_field_errors()
    assert CONSENT_REQUIRED in message
    body = response.content.decode()
    assert body.count(CONSENT_REQUIRED) == 1
    assert Referral.objects.count() == 0


def test_a_supervisor_without_consent_is_asked_for_the_override_reason(client_for, cast):
    case = make_case(cast.ngo_a)
    response = client_for(personas.NGO_A_SUPERVISOR).post(
        f"/cases/{case.pk}/refer/", _refer_data(cast)
    )
    assert response.status_code == 409
    form = response.context["refer_form"]
    assert list(form.errors) == ["consent_override_reason"]
    [error] = form.errors["consent_override_reason"]
    assert "give the reason to refer without it" in error
    assert "ask a supervisor" not in response.content.decode()
    assert Referral.objects.count() == 0


def test_a_caseworkers_override_reason_is_ignored(client_for, cast):
    case = make_case(cast.ngo_a)
    data = _refer_data(cast, **{"refer-consent_override_reason": "I say so"})
    response = client_for(personas.NGO_A).post(f"/cases/{case.pk}/refer/", data, follow=True)
    assert CONSENT_REQUIRED in response.content.decode()
    assert Referral.objects.count() == 0


def test_supervisor_override_creates_the_referral(client_for, cast):
    case = make_case(cast.ngo_a)
    data = _refer_data(cast, **{"refer-consent_override_reason": "Immediate danger"})
    response = client_for(personas.NGO_A_SUPERVISOR).post(
        f"/cases/{case.pk}/refer/", data, follow=True
    )
    assert "Referral sent." in response.content.decode()
    referral = Referral.objects.get()
    assert (referral.case_id, referral.to_organisation, referral.state, referral.urgency) == (
        case.pk,
        cast.ngo_b.organisation,
        ReferralState.PENDING,
        "urgent",
    )
    assert referral.consent_override.reason == "Immediate danger"
    assert list(referral.services.values_list("code", flat=True)) == ["Shelter"]


def test_refer_with_consent_creates_the_referral(client_for, cast):
    case = consented_case(cast)
    data = _refer_data(cast, **{"refer-transfers_lead": "on"})
    client_for(personas.NGO_A).post(f"/cases/{case.pk}/refer/", data)
    referral = Referral.objects.get()
    assert (referral.transfers_lead, referral.consent_override, referral.reason) == (
        True,
        None,
        "Needs shelter",
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"refer-services": []}, "services"),
        ({"refer-to_organisation": ""}, "to_organisation"),
        ({"refer-urgency": "whenever"}, "urgency"),
        # The service's own validation comes back onto the form.
        ({"refer-services": ["StatusDecision"]}, "services"),
    ],
)
def test_refer_with_bad_input_shows_form_errors_and_creates_nothing(
    client_for, cast, overrides, field
):
    case = consented_case(cast)
    response = client_for(personas.NGO_A).post(
        f"/cases/{case.pk}/refer/", _refer_data(cast, **overrides)
    )
    assert response.status_code == 400
    assert list(response.context["refer_form"].errors) == [field]
    assert Referral.objects.count() == 0

"""cases.consent: consent and its withdrawal, which ends every partner's part at once."""

import pytest
from django.core.exceptions import ValidationError

from cases.consent import record_consent
from cases.models import Case
from core.errors import InvalidTransition
from referral.models import Referral
from referral.transitions import (
    accept_referral,
)
from tests import personas
from tests.factories import make_case
from tests.scenarios import (
    case_led_by_ngo_a,
    org,
    organisation_permissions,
    refer,
)


def test_guardian_consent_is_refused_for_an_adult(cast):
    case = make_case(cast.ngo_a)
    with pytest.raises(ValidationError):
        record_consent(case, actor=cast.ngo_a, scope="referral", given=True, given_by="guardian")


def test_a_childs_form_asks_for_the_guardians_decision_first(client_for, cast):
    case = make_case(cast.ngo_a, is_child=True)
    form = client_for(personas.NGO_A).get(f"/cases/{case.pk}/").context["consent_form"]
    assert form["given_by"].value() == "guardian"
    assert "guardian" in str(form["given_by"].help_text)
    adult = make_case(cast.ngo_a)
    form = client_for(personas.NGO_A).get(f"/cases/{adult.pk}/").context["consent_form"]
    assert "given_by" not in form.fields


def test_a_closed_case_takes_no_consent(cast):
    case = case_led_by_ngo_a(cast, stage="closed")
    with pytest.raises(InvalidTransition):
        record_consent(case, actor=cast.ngo_a, scope="statistics", given=False)
    assert Case.objects.get(pk=case.pk).statistics_consent is False


def test_consent_withdrawal_cancels_ends_and_revokes_at_once(cast):
    case = make_case(cast.police)
    record_consent(case, actor=cast.police, scope="referral", given=True)
    accepted = refer(case, cast.police, "NGO A", "Shelter")
    accept_referral(accepted, actor=cast.ngo_a)
    pending = refer(case, cast.police, "NGO B", "Legal")
    onward = refer(case, cast.ngo_a, "Health unit — Casablanca", "Medical")
    accept_referral(onward, actor=cast.health)
    record_consent(case, actor=cast.police, scope="referral", given=False)
    states = {
        r.to_organisation.name: (r.state, r.end_reason) for r in Referral.objects.filter(case=case)
    }
    assert states == {
        "NGO A": ("ended", "consent_withdrawn"),
        "NGO B": ("cancelled", "consent_withdrawn"),
        "Health unit — Casablanca": ("ended", "consent_withdrawn"),
    }
    for name in ("NGO A", "NGO B", "Health unit — Casablanca"):
        assert organisation_permissions(case, org(name)) == set()
    assert organisation_permissions(case, org("Police — Casablanca")) == {
        "view_case",
        "view_identity",
    }
    assert pending.pk in {r.pk for r in Referral.objects.filter(state="cancelled")}


def test_withdrawal_keeps_the_lead_organisations_access(cast):
    case = make_case(cast.police)
    record_consent(case, actor=cast.police, scope="referral", given=True)
    referral = refer(case, cast.police, "NGO A", "Shelter", transfers_lead=True)
    accept_referral(referral, actor=cast.ngo_a)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=False)
    assert Case.objects.get(pk=case.pk).lead_organisation == org("NGO A")
    assert organisation_permissions(case, org("NGO A")) == {"view_case", "view_identity"}

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from cases.consent import record_consent
from cases.corrections import correct_case
from cases.models import Case, Stage
from core import crypto
from reference.models import sort_key
from tests import personas
from tests.factories import make_case, person_data
from tests.scenarios import refer

FORM = {
    "given_name": "Amina",
    "family_name": "Doe",
    "date_of_birth": "2001-04-03",
    "sex": "female",
    "nationality": "NG",
    "document_number": "A1234567",
    "phone": "+212600000000",
    "address": "Derb Sultan",
    "identified_on": "2026-11-20",
    "region": "MA-06",
    "exploitation_forms": ["SexualExploitation", "ForcedLabour"],
    "summary": "Found at a checkpoint.",
}


def test_register_creates_the_case_and_shows_it(client_for, cast):
    client = client_for(personas.POLICE)
    response = client.post("/cases/register/", FORM)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert (case.stage, case.trafficking_status) == ("identification", "presumed")
    assert case.lead_organisation == cast.police.organisation
    assert sorted(case.exploitation_forms.values_list("code", flat=True)) == [
        "ForcedLabour",
        "SexualExploitation",
    ]
    assert case.person.given_name == "Amina"
    assert case.reference == f"MA-{timezone.localdate().year}-000001"
    page = client.get(response["Location"]).content.decode()
    assert "Amina" in page
    assert "Derb Sultan" in page


def test_register_records_the_trafficking_context(client_for):
    client = client_for(personas.POLICE)
    context = {
        "means_of_control": ["FalsePromises", "RestrictsMovement"],
        "recruitment_method": "PersonalContact",
        "trafficker_relationship": "Acquaintance",
        "exploitation_country": "MA",
    }
    response = client.post("/cases/register/", {**FORM, **context})
    case = Case.objects.get()
    assert response.status_code == 302
    assert sorted(case.means_of_control.values_list("code", flat=True)) == [
        "FalsePromises",
        "RestrictsMovement",
    ]
    assert (
        case.recruitment_method_id,
        case.trafficker_relationship_id,
        case.exploitation_country_id,
    ) == ("PersonalContact", "Acquaintance", "MA")


def test_register_without_the_trafficking_context_leaves_it_unknown(client_for):
    form = client_for(personas.POLICE).get("/cases/register/").content.decode()
    for name in ("means_of_control", "recruitment_method", "trafficker_relationship"):
        assert f'name="{name}"' in form
    client_for(personas.POLICE).post("/cases/register/", FORM)
    case = Case.objects.get()
    assert not case.means_of_control.exists()
    assert (case.recruitment_method_id, case.trafficker_relationship_id) == (None, None)
    assert case.exploitation_country_id is None


def test_the_form_chooses_no_sex_in_advance_and_sorts_its_lists(client_for):
    form = client_for(personas.NGO_A).get("/cases/register/").context["form"]
    assert form["sex"].value() in (None, "")
    assert form.fields["sex"].choices[0][0] == ""
    for name in (
        "nationality",
        "region",
        "exploitation_forms",
        "languages",
        "means_of_control",
        "recruitment_method",
        "trafficker_relationship",
        "exploitation_country",
    ):
        # As offered: by label in the user's language, accents aside (reference.choices).
        labels = [str(label) for value, label in form.fields[name].choices if value]
        assert labels == sorted(labels, key=sort_key), name


def test_a_child_by_the_date_of_birth_is_a_child(client_for):
    client_for(personas.NGO_A).post("/cases/register/", {**FORM, "date_of_birth": "2012-05-01"})
    assert Case.objects.get().is_child


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"given_name": ""}, "given_name"),
        ({"given_name": "x" * 201}, "given_name"),
        ({"sex": "robot"}, "sex"),
        ({"region": "MA-99"}, "region"),
        ({"nationality": "XX"}, "nationality"),
        ({"exploitation_forms": []}, "exploitation_forms"),
        ({"exploitation_forms": ["Juggling"]}, "exploitation_forms"),
        ({"identified_on": "2999-01-01"}, "identified_on"),
        ({"identified_on": "not a date"}, "identified_on"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"summary": "x" * 10001}, "summary"),
        # Data that makes sense (cases.consistency).
        ({"date_of_birth": "2026-11-21"}, "date_of_birth"),
        ({"date_of_birth": "1899-12-31"}, "date_of_birth"),
        ({"identified_on": "1999-12-31", "date_of_birth": "1980-01-01"}, "identified_on"),
        ({"is_child": "on"}, "is_child"),
        ({"sex": ""}, "sex"),
        ({"languages": ["xx"]}, "languages"),
        ({"means_of_control": ["Juggling"]}, "means_of_control"),
        ({"means_of_control": ["Threats", "Juggling"]}, "means_of_control"),
        ({"recruitment_method": "Pigeon"}, "recruitment_method"),
        ({"trafficker_relationship": "Threats"}, "trafficker_relationship"),
        ({"exploitation_country": "XX"}, "exploitation_country"),
    ],
)
def test_register_refuses_bad_input_and_saves_nothing(client_for, change, field):
    response = client_for(personas.NGO_A).post("/cases/register/", {**FORM, **change})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert Case.objects.count() == 0


@pytest.mark.parametrize("username", [personas.AUTHORITY])
def test_register_is_refused_to_non_frontline_roles(client_for, username):
    client = client_for(username)
    assert client.get("/cases/register/").status_code == 403
    assert client.post("/cases/register/", FORM).status_code == 403
    assert Case.objects.count() == 0


def test_a_match_the_registrant_already_sees_links_to_that_case(client_for, cast):
    earlier = make_case(
        cast.police,
        person=person_data(
            given_name="Amina", family_name="DOE", date_of_birth=datetime.date(2001, 4, 3)
        ),
    )
    client = client_for(personas.POLICE)
    response = client.post("/cases/register/", {**FORM, "document_number": ""}, follow=True)
    body = response.content.decode()
    new = Case.objects.exclude(pk=earlier.pk).get()
    assert new.possible_duplicate is True
    # Told once (on the case page, not also in a message), with the link and the two answers.
    assert body.count("may be the person of case") == 1
    assert f'href="/cases/{earlier.pk}/"' in body
    assert 'value="same_person"' in body and 'value="different_people"' in body


def test_a_different_person_is_not_a_duplicate(cast):
    make_case(cast.ngo_b)
    assert make_case(cast.police).possible_duplicate is False


def test_list_shows_only_visible_cases_filters_and_searches(client_for, cast):
    mine = [make_case(cast.ngo_a) for _ in range(3)]
    make_case(cast.ngo_b)
    client = client_for(personas.NGO_A_SUPERVISOR)
    response = client.get("/cases/")
    assert [c.pk for c in response.context["page"].object_list] == [c.pk for c in reversed(mine)]
    response = client.get("/cases/", {"q": mine[1].reference.lower()})
    assert [c.pk for c in response.context["page"].object_list] == [mine[1].pk]
    response = client.get("/cases/", {"stage": Stage.ASSISTANCE})
    assert list(response.context["page"].object_list) == []
    assert "No case matches these filters." in response.content.decode()


def test_list_shows_the_name_only_with_identity_access(client_for, cast):
    case = make_case(cast.ngo_a, person=person_data(given_name="Zainab"))
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    refer(case, cast.ngo_a, "NGO B")
    assert "Zainab" in client_for(personas.NGO_A).get("/cases/").content.decode()
    # The receiver of the pending referral sees the case in its list, not the person's name.
    body = client_for(personas.NGO_B).get("/cases/").content.decode()
    assert case.reference in body
    assert "Zainab" not in body


def test_list_has_an_empty_state(client_for):
    body = client_for(personas.HEALTH).get("/cases/").content.decode()
    assert "No cases yet." in body


def test_list_paginates(client_for, cast):
    for _ in range(51):
        make_case(cast.health)
    client = client_for(personas.HEALTH)
    first = client.get("/cases/")
    second = client.get("/cases/", {"page": 2})
    assert (len(first.context["page"].object_list), len(second.context["page"].object_list)) == (
        50,
        1,
    )


def test_list_uses_a_constant_number_of_queries(client_for, cast, django_assert_max_num_queries):
    client = client_for(personas.NGO_A)
    make_case(cast.ngo_a)
    with django_assert_max_num_queries(20) as few:
        one = client.get("/cases/")
    for _ in range(10):
        make_case(cast.ngo_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        eleven = client.get("/cases/")
    assert (len(one.context["page"].object_list), len(eleven.context["page"].object_list)) == (
        1,
        11,
    )


def test_list_decrypts_only_the_names_of_its_page(client_for, cast, monkeypatch, settings):
    for _ in range(3):
        make_case(cast.ngo_a)
    make_case(cast.police)
    client = client_for(personas.NGO_A)
    opened = []
    real = crypto.decrypt

    def spy(*args, **kwargs):
        opened.append(kwargs["context"])
        return real(*args, **kwargs)

    monkeypatch.setattr(crypto, "decrypt", spy)
    monkeypatch.setattr("cases.views.PAGE_SIZE", 2)
    response = client.get("/cases/")
    assert (response.status_code, len(response.context["page"].object_list)) == (200, 2)
    assert sorted(opened) == ["cases.Person.family_name"] * 2 + ["cases.Person.given_name"] * 2


def test_detail_records_one_access_entry(client_for, cast):
    case = make_case(cast.ngo_a)
    client_for(personas.NGO_A).get(f"/cases/{case.pk}/", REMOTE_ADDR="10.1.2.3")
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, object_pk=str(case.pk))
    assert [(e.actor_id, e.remote_addr, e.additional_data) for e in entries] == [
        (cast.ngo_a.pk, "10.1.2.3", {"organisation": cast.ngo_a.organisation_id, "channel": "ui"})
    ]


def test_detail_shows_history_to_the_lead_organisation(client_for, cast):
    case = make_case(cast.ngo_a)
    response = client_for(personas.NGO_A_SUPERVISOR).get(f"/cases/{case.pk}/")
    history = response.context["history"]
    # Registration: the identity, the case, then the exploitation forms set on the case.
    assert [(line.what, line.fields) for line in reversed(history.changes.object_list)] == [
        ("Identity recorded", []),
        ("Case registered", []),
        ("Case updated", ["Exploitation forms"]),
    ]
    assert 'id="history"' in response.content.decode()


def test_history_names_fields_but_never_values(client_for, cast):
    case = make_case(cast.ngo_a, person=person_data(given_name="Khadija"))
    correct_case(case, actor=cast.ngo_a, reason="Misspelt", changes={"given_name": "Khadija B"})
    body = client_for(personas.NGO_A).get(f"/cases/{case.pk}/").content.decode()
    history_part = body.split('id="history"', 1)[1]
    assert "Given name or alias" in history_part
    assert "given_name" not in history_part
    assert "Khadija" not in history_part
    assert "Misspelt" not in history_part


def test_foreign_and_missing_cases_are_404(client_for, cast):
    case = make_case(cast.ngo_a)
    client = client_for(personas.NGO_B)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.get("/cases/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/cases/not-a-uuid/").status_code == 404
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).count() == 0


def test_case_pages_are_not_cached(client_for, cast):
    case = make_case(cast.ngo_a)
    response = client_for(personas.NGO_A).get(f"/cases/{case.pk}/")
    assert "no-store" in response["Cache-Control"]


def test_possible_duplicate_warning_is_for_the_registering_organisation_only(client_for, cast):
    earlier = make_case(cast.ngo_a, person=person_data(document_number="ZX-1"))
    case = make_case(cast.ngo_a, person=person_data(document_number="ZX-1"))
    assert case.possible_duplicate is True
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    refer(case, cast.ngo_a, "Health unit — Casablanca")
    link = f'href="/cases/{earlier.pk}/"'
    assert link in client_for(personas.NGO_A).get(f"/cases/{case.pk}/").content.decode()
    assert link not in client_for(personas.HEALTH).get(f"/cases/{case.pk}/").content.decode()

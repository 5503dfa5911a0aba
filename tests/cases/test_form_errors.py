"""Forms that keep what was typed: errors tied to their fields by aria-describedby ids that
exist, the invalid fields marked, and one message for a refusal by state (templates/includes/
field.html, field_group.html, form_errors.html; cases.views._act)."""

from html.parser import HTMLParser

import pytest

from tests import personas
from tests.cases.case_page import consented_case
from tests.factories import make_case
from tests.scenarios import case_led_by_ngo_a


class Ids(HTMLParser):
    """Every element id of a page, and every id an aria-describedby names."""

    def __init__(self, html: str):
        super().__init__()
        self.ids, self.described_by, self.invalid = [], [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if attrs.get("aria-describedby"):
            self.described_by += attrs["aria-describedby"].split()
        if attrs.get("aria-invalid") == "true":
            self.invalid.append(attrs.get("name") or tag)


def note(cast):
    return consented_case(cast), personas.NGO_A, "notes/", {"note-kind": "x", "note-body": ""}


def consent(cast):
    return make_case(cast.police), personas.POLICE, "consent/", {"consent-scope": "referral"}


def refer(cast):
    data = {"refer-to_organisation": "", "refer-urgency": "urgent"}
    return consented_case(cast), personas.NGO_A, "refer/", data


def close(cast):
    return make_case(cast.ngo_a), personas.NGO_A_SUPERVISOR, "transitions/close/", {}


@pytest.mark.parametrize("form", [note, consent, refer, close], ids=lambda f: f.__name__)
def test_every_error_is_tied_to_its_field_by_an_id_that_exists(client_for, cast, form):
    case, username, path, data = form(cast)
    response = client_for(username).post(f"/cases/{case.pk}/{path}", data)
    assert response.status_code == 400
    page = Ids(response.content.decode())
    assert page.invalid, "an invalid field is marked aria-invalid"
    errors = [ref for ref in page.described_by if ref.endswith("_error")]
    assert errors
    for ref in page.described_by:
        assert page.ids.count(ref) == 1, ref


def test_the_help_of_a_field_is_tied_to_it(client_for, cast):
    case = make_case(cast.ngo_a)
    page = Ids(client_for(personas.NGO_A_SUPERVISOR).get(f"/cases/{case.pk}/").content.decode())
    assert "id_close-reason_helptext" in page.described_by
    assert "id_close-reason_helptext" in page.ids


def test_a_refusal_by_state_is_one_message_and_keeps_the_form(client_for, cast):
    case = case_led_by_ngo_a(cast, stage="assistance")
    client = client_for(personas.NGO_A_SUPERVISOR)
    data = {"close-closure_reason": "goals_met", "close-reason": "Goals met, she is home"}
    assert client.post(f"/cases/{case.pk}/transitions/close/", data).status_code == 302
    # A second tab still shows "reopen"… and its caseworker posts a note to the closed case.
    response = client.post(
        f"/cases/{case.pk}/notes/", {"note-kind": "general", "note-body": "Called her today"}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert body.count("The case is closed. Reopen it to add notes.") == 1
    assert "Please correct the errors below." not in body


def test_the_page_loads_the_script_that_focuses_the_first_error(client_for, cast):
    case = make_case(cast.ngo_a)
    body = client_for(personas.NGO_A).get(f"/cases/{case.pk}/").content.decode()
    assert '<script src="/static/js/forms.js" defer></script>' in body

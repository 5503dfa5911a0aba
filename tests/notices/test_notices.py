"""notices: an organisation's notices in its inbox and the API; marked read once, by its own
members only."""

import uuid

import pytest

from notices.models import Notice, NoticeKind
from notices.services import post_notice
from tests import personas
from tests.api.conftest import post_json
from tests.factories import make_case


@pytest.fixture
def notice(cast):
    case = make_case(cast.ngo_a)
    return post_notice(
        organisation=cast.ngo_a.organisation,
        kind=NoticeKind.SAME_PERSON,
        case=case,
        reference=case.reference,
        other_reference="MA-2026-999999",
        other_organisation="NGO B",
    )


def test_the_inbox_shows_the_notice_and_marks_it_read(client_for, cast, notice):
    client = client_for(personas.NGO_A_SUPERVISOR)
    body = client.get("/referrals/").content.decode()
    assert "MA-2026-999999" in body
    assert f'action="/notices/{notice.pk}/read/"' in body
    client.post(f"/notices/{notice.pk}/read/")
    stored = Notice.objects.get()
    assert (stored.read_by, stored.unread) == (cast.ngo_a_supervisor, False)
    assert f'action="/notices/{notice.pk}/read/"' not in client.get("/referrals/").content.decode()


def test_the_api_lists_and_marks_read(api_for, notice):
    client = api_for(personas.NGO_A)
    [row] = client.get("/api/v1/notifications/").json()["results"]
    assert (row["id"], row["unread"], row["link"]) == (
        str(notice.pk),
        True,
        f"/api/v1/cases/{notice.case_id}/",
    )
    response = post_json(client, f"/api/v1/notifications/{notice.pk}/read/", {})
    assert (response.status_code, response.json()["unread"]) == (200, False)


@pytest.mark.parametrize("username", [personas.NGO_B, personas.POLICE])
def test_another_organisation_neither_sees_nor_reads_it(api_for, client_for, notice, username):
    assert api_for(username).get("/api/v1/notifications/").json()["count"] == 0
    assert (
        post_json(api_for(username), f"/api/v1/notifications/{notice.pk}/read/", {}).status_code
        == 404
    )
    assert client_for(username).post(f"/notices/{notice.pk}/read/").status_code == 404
    assert "MA-2026-999999" not in client_for(username).get("/referrals/").content.decode()
    assert Notice.objects.get().unread


@pytest.mark.parametrize("username", [personas.COMMISSION, personas.COORDINATOR, personas.ADMIN])
def test_roles_without_case_work_have_no_notices(api_for, username):
    assert api_for(username).get("/api/v1/notifications/").status_code == 403


def test_an_unknown_notice_is_a_404(api_for, notice):
    client = api_for(personas.NGO_A)
    for notice_id in (uuid.uuid4(), "nope"):
        response = post_json(client, f"/api/v1/notifications/{notice_id}/read/", {})
        assert response.status_code == 404

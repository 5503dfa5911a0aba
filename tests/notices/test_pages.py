"""notices.views and the API: the notifications page, mark read / all read, the badge, a
member's own notice invisible to colleagues, mail settings; constant queries on the list."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.assignment import assign_case
from notices.models import MailPreference, Notice
from notices.services import mail_wanted
from tests import personas
from tests.api.conftest import post_json
from tests.factories import make_case
from tests.scenarios import consented_case, refer


@pytest.fixture
def assigned(cast):
    """A case of NGO A assigned to its caseworker: a notice to that member only."""
    case = make_case(cast.ngo_a)
    assign_case(case, actor=cast.ngo_a_supervisor, assignee=cast.ngo_a)
    return case


def _received(cast, count=1):
    for _ in range(count):
        refer(consented_case(cast), cast.ngo_a, "NGO B")


def test_the_page_lists_marks_read_and_all_read(client_for, cast):
    _received(cast, 2)
    client = client_for(personas.NGO_B)
    body = client.get("/notices/").content.decode()
    first, second = Notice.objects.all()
    assert body.count('class="unread"') == 2
    assert f'action="/notices/{first.pk}/read/"' in body
    response = client.post(f"/notices/{first.pk}/read/", {"next": "list"})
    assert response["Location"] == "/notices/"
    assert client.get("/notices/").content.decode().count('class="unread"') == 1
    client.post("/notices/read/")
    assert list(Notice.objects.unread()) == []
    assert Notice.objects.filter(read_by=cast.ngo_b).count() == 2


def test_the_badge_counts_the_unread_in_one_query(client_for, cast):
    _received(cast, 3)
    Notice.objects.filter(pk=Notice.objects.first().pk).update(read_at="2026-12-01T10:00Z")
    body = client_for(personas.NGO_B).get("/").content.decode()
    assert 'href="/notices/">Notifications <span class="badge">2</span>' in body
    assert '<span class="badge">' not in client_for(personas.NGO_A).get("/").content.decode()


@pytest.mark.parametrize("username", [personas.POLICE, personas.HEALTH, personas.AUTHORITY])
def test_every_operational_role_has_the_link(client_for, username):
    assert 'href="/notices/"' in client_for(username).get("/").content.decode()


@pytest.mark.parametrize("username", [personas.COMMISSION, personas.COORDINATOR])
def test_roles_without_case_work_have_no_page(client_for, username):
    client = client_for(username)
    assert client.get("/notices/").status_code == 403
    assert 'href="/notices/"' not in client.get("/").content.decode()


def test_a_members_notice_is_invisible_to_colleagues(client_for, api_for, cast, assigned):
    notice = Notice.objects.get()
    assert assigned.reference in client_for(personas.NGO_A).get("/notices/").content.decode()
    colleague = client_for(personas.NGO_A_SUPERVISOR)
    assert assigned.reference not in colleague.get("/notices/").content.decode()
    assert colleague.post(f"/notices/{notice.pk}/read/").status_code == 404
    colleague.post("/notices/read/")
    assert api_for(personas.NGO_A_SUPERVISOR).get("/api/v1/notifications/").json()["count"] == 0
    assert Notice.objects.get().unread


def test_the_api_shape(api_for, cast, assigned):
    [row] = api_for(personas.NGO_A).get("/api/v1/notifications/").json()["results"]
    assert set(row) == {
        "id",
        "kind",
        "message",
        "case",
        "reference",
        "link",
        "unread",
        "created_at",
    }
    assert (row["kind"], row["case"], row["unread"]) == ("case_assigned", str(assigned.pk), True)


def test_a_notice_without_access_has_no_case(api_for, cast):
    case = consented_case(cast)
    referral = refer(case, cast.ngo_a, "NGO B")
    post_json(api_for(personas.NGO_A), f"/api/v1/referrals/{referral.pk}/cancel/", {})
    rows = api_for(personas.NGO_B).get("/api/v1/notifications/").json()["results"]
    assert [(r["kind"], r["case"], r["link"]) for r in rows] == [
        ("referral_cancelled", None, None),
        ("referral_received", str(case.pk), f"/api/v1/cases/{case.pk}/"),
    ]


@pytest.mark.parametrize("channel", ["page", "api"])
def test_the_list_reads_in_constant_queries(client_for, api_for, cast, channel):
    client = client_for(personas.NGO_B) if channel == "page" else api_for(personas.NGO_B)
    url = "/notices/" if channel == "page" else "/api/v1/notifications/"

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    _received(cast)
    one = queries()
    _received(cast, 4)
    assert queries() == one


def test_mail_settings_are_saved_and_respected(
    client_for, cast, django_capture_on_commit_callbacks
):
    assert mail_wanted(cast.ngo_b)["referral_received"] is True
    assert mail_wanted(cast.ngo_b)["referral_declined"] is False
    client = client_for(personas.NGO_B)
    page = client.get("/notices/settings/").content.decode()
    checked = {kind for kind in mail_wanted(cast.ngo_b) if f'value="{kind}" id' in page}
    assert checked == set(mail_wanted(cast.ngo_b))
    assert page.count(" checked>") == 4
    client.post("/notices/settings/", {"kinds": ["referral_accepted"]})
    assert (
        dict(MailPreference.objects.filter(user=cast.ngo_b).values_list("kind", "enabled"))[
            "referral_received"
        ]
        is False
    )
    cast.ngo_b.email = "ngo.b@example.org"
    cast.ngo_b.save()
    with django_capture_on_commit_callbacks(execute=True):
        _received(cast)
    assert (Notice.objects.count(), mail.outbox) == (1, [])


def test_mail_links_the_site_and_nothing_else(cast, settings, django_capture_on_commit_callbacks):
    settings.NRM_SITE_URL = "https://nrm.example.org/"
    cast.ngo_b.email = "ngo.b@example.org"
    cast.ngo_b.save()
    with django_capture_on_commit_callbacks(execute=True):
        _received(cast)
    [message] = mail.outbox
    assert "https://nrm.example.org/notices/\n" in message.body
    assert "NGO A" not in message.subject + message.body


def test_the_api_reads_and_sets_mail_preferences(api_for, cast):
    client = api_for(personas.NGO_B)
    url = "/api/v1/notifications/preferences/"
    assert client.get(url).json() == {
        "mail": ["referral_received", "case_assigned", "task_assigned", "task_due"]
    }
    response = client.put(url, {"mail": ["referral_declined"]}, content_type="application/json")
    assert (response.status_code, response.json()) == (200, {"mail": ["referral_declined"]})
    assert mail_wanted(cast.ngo_b)["referral_received"] is False
    for bad in ({"mail": ["same_person"]}, {"mail": "referral_declined"}, {}):
        assert client.put(url, bad, content_type="application/json").status_code == 400
    assert client.get(url).json() == {"mail": ["referral_declined"]}
    assert api_for(personas.COMMISSION).get(url).status_code == 403


def test_the_schema_describes_the_preferences(api_for):
    schema = api_for(personas.COMMISSION).get("/api/v1/schema/", {"format": "json"}).json()
    assert set(schema["paths"]["/api/v1/notifications/preferences/"]) == {"get", "put"}

"""Break-glass: a supervisor opens a case outside their organisation's visibility by its
reference, with a reason, read-only, for one hour, behind a recent second factor; the lead
organisation's supervisors are told at once and the national coordinator reviews every use."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from accounts.roles import Role
from accounts.services import create_user
from accounts.sessions import VERIFIED_AT
from audit.models import AuditEntry
from breakglass.models import BreakGlass
from breakglass.services import open_break_glass
from notices.models import Notice, NoticeKind
from tests import personas
from tests.factories import UNKNOWN_ID, make_case, person_data
from tests.logins import verified_login

OPEN = "/break-glass/"
REVIEW_LIST = "/break-glass/review/"
REASON = "Shelter reports the person missing tonight; NGO B unreachable by phone since 18:00"
SECRET_NAME = "Zephyrine"


def case_url(use):
    return f"/break-glass/{use.pk}/"


@pytest.fixture
def case(cast):
    """A case NGO B registered and leads: NGO A (the supervisor's organisation) cannot see it."""
    return make_case(cast.ngo_b, person=person_data(given_name=SECRET_NAME))


@pytest.fixture
def lead_supervisor(cast):
    return create_user(
        username="ngo_b_supervisor",
        role=Role.SUPERVISOR,
        organisation=cast.ngo_b.organisation,
        email="ngo.b.supervisor@example.org",
    )


@pytest.fixture
def supervisor(client_for):
    return client_for(personas.NGO_A_SUPERVISOR)


def open_use(client, case, reason=REASON):
    return client.post(OPEN, {"reference": case.reference, "reason": reason})


def events(name):
    return AuditEntry.objects.filter(additional_data__event=name)


NOT_SUPERVISORS = [p for p in personas.ALL if p != personas.NGO_A_SUPERVISOR]


@pytest.mark.parametrize("username", NOT_SUPERVISORS)
def test_only_a_supervisor_breaks_the_glass(client_for, case, username):
    client = client_for(username)
    assert client.get(OPEN).status_code == 403
    assert open_use(client, case).status_code == 403
    assert not BreakGlass.objects.exists()


def test_an_anonymous_visitor_is_sent_to_the_login(client, case):
    response = client.get(OPEN)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Give a reason."),
        ("   ", "Give a reason."),
        ("urgent", "at least 20 characters"),
    ],
    ids=["missing", "blank", "short"],
)
def test_without_a_reason_nothing_opens(supervisor, case, reason, message):
    response = open_use(supervisor, case, reason=reason)
    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    # What was typed stays on the form.
    assert case.reference in response.content.decode()
    assert not BreakGlass.objects.exists()
    assert not events("break_glass_opened").exists()
    assert not Notice.objects.exists()


@pytest.mark.parametrize(
    ("reference", "message"),
    [("", "Give the case's reference."), ("MA-0000-000000", "No case has this reference.")],
    ids=["missing", "unknown"],
)
def test_a_reference_must_name_a_case(supervisor, case, reference, message):
    response = supervisor.post(OPEN, {"reference": reference, "reason": REASON})
    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    assert REASON in response.content.decode()
    assert not BreakGlass.objects.exists()


def test_a_case_the_organisation_already_sees_needs_no_glass(cast, supervisor):
    own = make_case(cast.ngo_a)
    response = open_use(supervisor, own)
    assert response.status_code == 400
    assert "already sees this case" in response.content.decode()
    assert not BreakGlass.objects.exists()


def test_with_a_reason_the_case_opens_for_one_hour(cast, supervisor, case):
    response = open_use(supervisor, case)
    use = BreakGlass.objects.get()
    assert response.status_code == 302
    assert response["Location"] == case_url(use)
    assert use.expires_at - use.opened_at == timedelta(hours=1)
    assert (use.case, use.opened_by, use.organisation) == (
        case,
        cast.ngo_a_supervisor,
        cast.ngo_a_supervisor.organisation,
    )
    assert use.reason == REASON
    page = supervisor.get(case_url(use))
    assert page.status_code == 200
    assert SECRET_NAME in page.content.decode()
    assert "no-store" in page["Cache-Control"]


def test_the_reason_is_encrypted_at_rest(supervisor, case):
    open_use(supervisor, case)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason::text FROM breakglass_breakglass")
        [(stored,)] = cursor.fetchall()
    assert "Shelter" not in stored


def test_the_opening_is_its_own_audit_event_without_the_reason(cast, supervisor, case):
    open_use(supervisor, case)
    use = BreakGlass.objects.get()
    [entry] = events("break_glass_opened")
    assert entry.actor == cast.ngo_a_supervisor
    assert entry.object_pk == str(case.pk)
    assert entry.additional_data["break_glass"] == str(use.pk)
    assert entry.additional_data["reason_ref"] == f"breakglass.BreakGlass.reason:{use.pk}"
    every_entry = " ".join(
        str(e.changes) + str(e.additional_data) for e in AuditEntry.objects.all()
    )
    assert "Shelter" not in every_entry
    assert SECRET_NAME not in every_entry


def test_each_read_is_logged_as_a_break_glass_read(cast, supervisor, case):
    open_use(supervisor, case)
    use = BreakGlass.objects.get()
    supervisor.get(case_url(use))
    supervisor.get(case_url(use))
    reads = AuditEntry.objects.filter(
        action=AuditEntry.Action.ACCESS, object_pk=str(case.pk), actor=cast.ngo_a_supervisor
    )
    assert reads.count() == 2
    assert {e.additional_data["channel"] for e in reads} == {"break_glass"}
    assert {e.additional_data["break_glass"] for e in reads} == {str(use.pk)}


def test_the_lead_organisation_is_told_at_once(
    cast, supervisor, case, lead_supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        open_use(supervisor, case)
    [notice] = Notice.objects.all()
    assert (notice.organisation, notice.kind, notice.case) == (
        cast.ngo_b.organisation,
        NoticeKind.BREAK_GLASS,
        case,
    )
    assert case.reference in notice.message
    assert cast.ngo_a_supervisor.organisation.name in notice.message
    # The caseworker of NGO B (no supervisor) gets no mail; the supervisor does.
    [message] = mail.outbox
    assert message.to == [lead_supervisor.email]
    assert "/referrals/" in message.body
    for value in (SECRET_NAME, case.reference, "Shelter"):
        assert value not in message.subject + message.body


def test_no_mail_before_the_opening_commits(supervisor, case, lead_supervisor):
    # Without the on-commit callbacks run (the test's transaction never commits), no mail.
    open_use(supervisor, case)
    assert mail.outbox == []


def test_the_lead_sees_the_notice_in_its_inbox(cast, supervisor, case, client_for, api_for):
    open_use(supervisor, case)
    inbox = client_for(personas.NGO_B).get("/referrals/")
    assert "under break-glass" in inbox.content.decode()
    [notice] = api_for(personas.NGO_B).get("/api/v1/notifications/").json()["results"]
    assert case.reference in notice["message"]
    assert api_for(personas.NGO_A).get("/api/v1/notifications/").json()["results"] == []


def test_break_glass_is_read_only_and_widens_nothing(cast, supervisor, case):
    open_use(supervisor, case)
    # The case page, the forms and the list of the organisation stay closed.
    assert supervisor.get(f"/cases/{case.pk}/").status_code == 404
    note = supervisor.post(f"/cases/{case.pk}/notes/", {"text": "A note"})
    assert note.status_code == 404
    assert case.reference not in supervisor.get("/cases/").content.decode()
    page = supervisor.get(case_url(BreakGlass.objects.get())).content.decode()
    assert "<form" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert not case.notes.exists()


def test_the_use_ends_after_an_hour(cast, supervisor, case):
    open_use(supervisor, case)
    use = BreakGlass.objects.get()
    # An hour and a minute later (the row's times moved back, as the clock would move on).
    BreakGlass.objects.filter(pk=use.pk).update(
        opened_at=use.opened_at - timedelta(minutes=61),
        expires_at=use.expires_at - timedelta(minutes=61),
    )
    reads_before = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).count()
    page = supervisor.get(case_url(use))
    assert page.status_code == 410
    assert SECRET_NAME not in page.content.decode()
    assert "has ended" in page.content.decode()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).count() == reads_before


def test_a_minute_before_the_end_it_still_reads(supervisor, case):
    open_use(supervisor, case)
    use = BreakGlass.objects.get()
    BreakGlass.objects.filter(pk=use.pk).update(
        opened_at=use.opened_at - timedelta(minutes=59),
        expires_at=use.expires_at - timedelta(minutes=59),
    )
    assert supervisor.get(case_url(use)).status_code == 200


def test_a_use_is_its_openers_alone(cast, supervisor, case, lead_supervisor):
    open_use(supervisor, case)
    use = BreakGlass.objects.get()
    other = verified_login(Client(), lead_supervisor)
    assert other.get(case_url(use)).status_code == 404
    assert supervisor.get(f"/break-glass/{UNKNOWN_ID}/").status_code == 404


def test_a_supervisor_moved_off_the_role_reads_no_more(cast, supervisor, case):
    open_use(supervisor, case)
    use = BreakGlass.objects.get()
    cast.ngo_a_supervisor.role = Role.CASEWORKER
    cast.ngo_a_supervisor.save(update_fields=["role"])
    assert supervisor.get(case_url(use)).status_code == 403


def _age_second_factor(client, seconds):
    session = client.session
    session[VERIFIED_AT] = int(time.time()) - seconds
    session.save()


@pytest.mark.parametrize("page", ["form", "case"])
def test_the_reveal_needs_a_second_factor_within_ten_minutes(supervisor, case, page):
    open_use(supervisor, case)
    url = OPEN if page == "form" else case_url(BreakGlass.objects.get())
    _age_second_factor(supervisor, 10 * 60 + 5)
    response = supervisor.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/verify/")
    _age_second_factor(supervisor, 60)
    assert supervisor.get(url).status_code == 200


def test_opening_is_limited_per_hour(settings, supervisor, cast):
    settings.NRM_THROTTLE_RATES = {**settings.NRM_THROTTLE_RATES, "break_glass": 1}
    first, second = make_case(cast.ngo_b), make_case(cast.ngo_b)
    assert open_use(supervisor, first).status_code == 302
    refused = open_use(supervisor, second)
    assert refused.status_code == 429
    assert refused["Retry-After"]
    assert second.reference in refused.content.decode()
    assert BreakGlass.objects.count() == 1


def test_the_supervisor_sees_their_own_uses(supervisor, case):
    assert "You have not opened any case" in supervisor.get(OPEN).content.decode()
    open_use(supervisor, case)
    page = supervisor.get(OPEN).content.decode()
    assert case.reference in page
    assert "Awaiting review" in page


# --- The national coordinator's review -------------------------------------------------------

NOT_COORDINATOR = [p for p in personas.ALL if p != personas.COORDINATOR]


@pytest.fixture
def use(cast, case):
    return open_break_glass(actor=cast.ngo_a_supervisor, reference=case.reference, reason=REASON)


@pytest.mark.parametrize("username", NOT_COORDINATOR)
def test_only_the_coordinator_reviews(client_for, use, username):
    client = client_for(username)
    assert client.get(REVIEW_LIST).status_code == 403
    response = client.post(
        f"/break-glass/review/{use.pk}/", {"outcome": "justified", "note": "Checked."}
    )
    assert response.status_code == 403
    assert BreakGlass.objects.get().review_outcome == ""


def test_every_use_is_on_the_review_list(client_for, use, case, cast):
    page = client_for(personas.COORDINATOR).get(REVIEW_LIST)
    body = page.content.decode()
    assert page.status_code == 200
    for shown in (case.reference, REASON, cast.ngo_a_supervisor.username, "NGO A", "NGO B"):
        assert shown in body
    # References, organisations and dates, never identity.
    assert SECRET_NAME not in body


def test_the_coordinator_records_a_finding(client_for, use, cast):
    coordinator = client_for(personas.COORDINATOR)
    response = coordinator.post(
        f"/break-glass/review/{use.pk}/", {"outcome": "not_justified", "note": "Lead was open."}
    )
    assert response.status_code == 302
    use.refresh_from_db()
    assert (use.review_outcome, use.review_note, use.reviewed_by) == (
        "not_justified",
        "Lead was open.",
        cast.coordinator,
    )
    [entry] = events("break_glass_reviewed")
    assert entry.additional_data["outcome"] == "not_justified"
    assert "Lead was open." not in str(entry.additional_data) + str(entry.changes)
    assert "No break-glass use awaits review." in coordinator.get(REVIEW_LIST).content.decode()
    reviewed = coordinator.get(REVIEW_LIST, {"status": "reviewed"}).content.decode()
    assert "Not justified" in reviewed
    # A second finding changes nothing.
    again = coordinator.post(
        f"/break-glass/review/{use.pk}/", {"outcome": "justified", "note": "Changed my mind."}
    )
    assert again.status_code == 302
    use.refresh_from_db()
    assert use.review_outcome == "not_justified"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": "", "note": "Checked."}, "Choose"),
        ({"outcome": "maybe", "note": "Checked."}, "Choose"),
        ({"outcome": "justified", "note": ""}, "Give a reason."),
    ],
    ids=["no-outcome", "bad-outcome", "no-note"],
)
def test_a_finding_needs_an_outcome_and_a_note(client_for, use, data, message):
    response = client_for(personas.COORDINATOR).post(f"/break-glass/review/{use.pk}/", data)
    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    assert BreakGlass.objects.get().review_outcome == ""


def test_the_coordinators_navigation_counts_uses_awaiting_review(client_for, use):
    home = client_for(personas.COORDINATOR).get("/").content.decode()
    assert 'href="/break-glass/review/"' in home
    assert '<span class="badge">1</span>' in home


def test_the_review_list_reads_in_constant_queries(cast, client_for, django_assert_max_num_queries):
    coordinator = client_for(personas.COORDINATOR)

    def queries_for_list():
        with CaptureQueriesContext(connection) as captured:
            assert coordinator.get(REVIEW_LIST).status_code == 200
        return len(captured)

    def one_more():
        case = make_case(cast.ngo_b)
        open_break_glass(actor=cast.ngo_a_supervisor, reference=case.reference, reason=REASON)

    one_more()
    few = queries_for_list()
    for _ in range(4):
        one_more()
    assert queries_for_list() == few

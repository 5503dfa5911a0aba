"""The mechanism from one end to the other in a real browser, once in French and once in
Arabic, every person logging in with their password and the code of their authenticator app:

the police register a person and refer them to NGO A; NGO A accepts, records a service and a
note, and asks the status authority for a decision; the authority decides; NGO A's supervisor
closes the case; the commission opens the statistics, picks a release and downloads a table
and the synthetic dataset; the administrator approves an account.

Every page on the way is in the language chosen, and what each step saved is read back from
the database at the end.
"""

import csv
import io
import time
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.oath import TOTP

from accounts.approvals import request_account
from accounts.models import AccountChange, ChangeState, Organisation
from accounts.roles import Role
from accounts.second_factor import give_demo_totp
from accounts.services import create_user
from cases.models import Case, Note, ServiceRecord
from referral.models import Referral
from stats.ctdc import CTDC_COLUMNS
from tests import personas
from tests.accounts.otp import DEMO_SECRET
from tests.browser.site import publish_test_release

pytestmark = pytest.mark.django_db
EMPTIES_THE_DATABASE = True  # the site's rows (tests/browser/conftest.py)

LANGUAGES = ["fr", "ar"]
ACTORS = [
    personas.POLICE,
    personas.NGO_A,
    personas.AUTHORITY,
    personas.NGO_A_SUPERVISOR,
    personas.COMMISSION,
    personas.ADMIN,
]
SECOND_ADMIN = "second_admin"


@pytest.fixture(scope="module")
def journey(site, django_db_blocker):
    """Committed for the live server: an authenticator for each actor, a second release for
    the picker, and for each language an account the other administrator asked for."""
    with django_db_blocker.unblock():
        cast = personas.ensure_cast()
        devices = {
            username: give_demo_totp(user=cast[username], secret_base32=DEMO_SECRET)
            for username in ACTORS
        }
        publish_test_release()
        other_admin = create_user(username=SECOND_ADMIN, role=Role.ADMINISTRATOR, organisation=None)
        commission = Organisation.objects.get(name="National Commission")
        changes = {
            language: request_account(
                actor=other_admin,
                username=f"journey.member.{language}",
                email=f"journey.{language}@example.org",
                role=Role.COMMISSION_MEMBER,
                organisation=commission,
            )
            for language in LANGUAGES
        }
        yield {"devices": devices, "changes": changes}


def fresh_code(device) -> str:
    """The code the person's app shows, for a time step the device has not used yet (each
    language's journey logs the same people in, and a code is good once)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    while totp.t() <= device.last_t:
        time.sleep(0.5)
        totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


class Person:
    """One actor in a browser context of their own, in the journey's language."""

    def __init__(self, journey, site, browser, username, language):
        self.site, self.language = site, language
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.add_cookies([{"name": "django_language", "value": language, "url": site.url}])
        self.page = self.context.new_page()
        page = self.page
        page.goto(site.url + "/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", personas.PASSWORD)
        with page.expect_navigation():
            page.press("input[name=password]", "Enter")
        assert "/accounts/login/verify/" in page.url
        page.fill("input[name=otp_token]", fresh_code(journey["devices"][username]))
        with page.expect_navigation():
            page.press("input[name=otp_token]", "Enter")
        # Home, or the administration for the administrator.
        assert page.url in (site.url + "/", site.url + "/admin/"), page.url
        self.in_language()

    def in_language(self):
        assert self.page.locator("html").get_attribute("lang") == self.language
        assert self.page.locator("html").get_attribute("dir") == (
            "rtl" if self.language == "ar" else "ltr"
        )

    def go(self, path):
        response = self.page.goto(self.site.url + path)
        assert response.status == 200, (path, response.status)
        self.in_language()

    def submit(self, form):
        """Send ``form`` and land on a page that says it worked (a success message)."""
        with self.page.expect_navigation():
            form.locator("button[type=submit]").first.click()
        self.in_language()
        assert self.page.locator(".messages .success, .messages li").count() >= 1, self.page.url

    def open_form(self, action_suffix):
        """The form posting to ``action_suffix``, its disclosure opened as a person would."""
        form = self.page.locator(f"form[action$='{action_suffix}']").first
        details = self.page.locator("details", has=form).first
        if details.count() and details.get_attribute("open") is None:
            details.locator("summary").first.click()
        return form

    def close(self):
        self.context.close()


def today_typed() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")  # as the date inputs ask (config/formats)


@pytest.mark.parametrize("language", LANGUAGES)
def test_from_registration_to_statistics_and_an_approved_account(site, journey, browser, language):
    def person(username):
        return Person(journey, site, browser, username, language)

    family = f"Journey-{language}"
    # The police register the person, record consent and refer to NGO A.
    police = person(personas.POLICE)
    police.go("/cases/register/")
    page = police.page
    page.fill("input[name=given_name]", "Amina")
    page.fill("input[name=family_name]", family)
    page.select_option("select[name=sex]", "female")
    page.fill("input[name=identified_on]", today_typed())
    page.select_option("select[name=region]", "MA-06")
    page.check("input[name=exploitation_forms][value=ForcedLabour]")
    page.fill("textarea[name=summary]", "Found at a farm near Berrechid.")
    police.submit(page.locator("form:has(input[name=family_name])"))
    case_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    consent = police.open_form("/consent/")
    consent.locator("select[name=consent-scope]").select_option("referral")
    consent.locator("input[name=consent-given][value=yes]").check()
    police.submit(consent)
    refer = police.open_form("/refer/")
    refer.locator("select[name=refer-to_organisation]").select_option(label="NGO A")
    refer.locator("input[name=refer-services][value=Shelter]").check()
    refer.locator("textarea[name=refer-reason]").fill("Needs a shelter tonight.")
    refer.locator("input[name=refer-transfers_lead]").check()  # NGO A leads from acceptance
    police.submit(refer)
    police.close()

    # NGO A accepts, records a service and a note, and asks the authority for a decision.
    ngo = person(personas.NGO_A)
    shelter = Referral.objects.get(case_id=case_id, to_organisation__name="NGO A")
    ngo.go(f"/referrals/{shelter.pk}/")
    ngo.submit(ngo.page.locator("form[action$='/accept/']"))
    ngo.go(f"/cases/{case_id}/")
    service = ngo.open_form("/services/")
    service.locator("select[name=service-service_type]").select_option("Shelter")
    service.locator("input[name=service-started_on]").fill(today_typed())
    ngo.submit(service)
    note = ngo.open_form("/notes/")
    note.locator("textarea[name=note-body]").fill("Settled in; an interpreter comes tomorrow.")
    ngo.submit(note)
    refer = ngo.open_form("/refer/")
    refer.locator("select[name=refer-to_organisation]").select_option(label="Prosecutor's office")
    refer.locator("input[name=refer-services][value=StatusDecision]").check()
    refer.locator("textarea[name=refer-reason]").fill("Formal identification, please.")
    ngo.submit(refer)
    ngo.close()

    # The status authority accepts the request and confirms the status.
    authority = person(personas.AUTHORITY)
    decision = Referral.objects.get(case_id=case_id, services__code="StatusDecision")
    authority.go(f"/referrals/{decision.pk}/")
    authority.submit(authority.page.locator("form[action$='/accept/']"))
    authority.go(f"/cases/{case_id}/")
    confirm = authority.open_form("/transitions/confirm_status/")
    confirm.locator("textarea[name=confirm_status-reason]").fill("Indicators of forced labour.")
    authority.submit(confirm)
    authority.close()

    # NGO A's supervisor closes the case.
    supervisor = person(personas.NGO_A_SUPERVISOR)
    supervisor.go(f"/cases/{case_id}/")
    close = supervisor.open_form("/transitions/close/")
    close.locator("select[name=close-closure_reason]").select_option(index=1)
    close.locator("textarea[name=close-reason]").fill("Assistance completed, person safe.")
    supervisor.submit(close)
    assert supervisor.page.locator("form[action$='/transitions/reopen/']").count() == 1
    supervisor.close()

    # The commission reads the statistics: the release picker, a table and the dataset.
    commission = person(personas.COMMISSION)
    commission.go("/statistics/")
    page = commission.page
    assert page.locator(".stats-table").count() >= 1
    assert page.locator(".table-note").first.inner_text().count("±") >= 1
    picker = page.locator("select[name=release]")
    releases = picker.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert len(releases) >= 2
    picker.select_option(releases[-1])
    with page.expect_navigation():
        page.locator("form.stats-filters button[type=submit]").click()
    commission.in_language()
    assert f"release={releases[-1]}" in page.url
    assert page.locator("#release h2").inner_text().endswith(releases[-1])
    with page.expect_download() as table:
        page.locator("a[href*='export.csv'][href*='by=year,region']").first.click()
    rows = list(csv.reader(io.StringIO(Path(table.value.path()).read_text(encoding="utf-8"))))
    assert rows[0][:2] == ["year", "region"] and len(rows) > 1
    assert f"release={releases[-1]}" in table.value.url
    with page.expect_download() as extract:
        page.locator("a[href*='extract.csv']").click()
    header = Path(extract.value.path()).read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == list(CTDC_COLUMNS)
    commission.close()

    # The administrator approves the account the other administrator asked for.
    admin = person(personas.ADMIN)
    change = journey["changes"][language]
    admin.go("/admin/accounts/accountchange/")
    page = admin.page
    page.check(f"input[name=_selected_action][value='{change.pk}']")
    page.select_option("select[name=action]", "approve")
    with page.expect_navigation():
        page.locator(".actions button[name=index]").click()
    admin.in_language()
    assert page.locator(".messagelist .success").count() == 1
    admin.close()

    # What each step saved (read committed: the server thread's commits are seen).
    case = Case.objects.get(pk=case_id)
    assert (case.stage, case.trafficking_status) == ("closed", "confirmed")
    assert ServiceRecord.objects.filter(case=case, service_type_id="Shelter").count() == 1
    assert Note.objects.filter(case=case).count() == 1
    assert AccountChange.objects.get(pk=change.pk).state == ChangeState.APPROVED

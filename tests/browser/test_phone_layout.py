"""Phone first: at 375 px wide no main page scrolls sideways, in English and in Arabic (right to
left), for the roles that reach it (Debian's chromium, driven by Playwright).

The pages are full (a case with referrals, notes, services and history; waiting referrals,
duplicates, break-glass uses and account changes) and carry long unbroken words, as real
addresses, references and organisation names do: an empty page fits any screen.

The data is written once for the module and committed, so that one live server of the module's
own serves every page; the module empties the database after itself, as pytest-django does after
a transactional test. (pytest-django's ``live_server`` would make every test transactional and
empty the database after each one, data included.)

``.ci/run`` installs Debian's chromium; without it here the tests are skipped, saying so.
"""

import datetime
import os
import shutil
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.approvals import request_account, request_role_change
from accounts.roles import Role
from accounts.second_factor import pending_totp_device
from accounts.services import create_user
from breakglass.services import open_break_glass
from cases.casework import add_note, record_service
from cases.consent import record_consent
from stats.releases import publish_release
from tests import personas
from tests.accounts.otp import code_for
from tests.factories import make_case, person_data
from tests.logins import verified_login
from tests.scenarios import case_led_by_ngo_a, refer, service

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does it)",
    ),
    # Only so that pytest-django sets up the test database when this module runs alone: each
    # test's transaction is empty (the module's rows are committed before, for the server).
    pytest.mark.django_db,
]
# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
# itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# tests/conftest.py runs this module after every other: it empties the database at its end.
EMPTIES_THE_DATABASE = True

PHONE = {"width": 375, "height": 800}
MAX_HEADER_HEIGHT = 80  # px: the brand and the menu's button (unfolded, 290 px for a supervisor)
# French uses the layout of English (left to right): Arabic is the other direction to check.
LANGUAGES = ["en", "ar"]
# Words with no place to break, as long as real ones get: a street and an e-mail address.
LONG_ADDRESS = "Résidence-Al-Amal-Bloc-C-Appartement-12-Quartier-Hay-Mohammadi-Casablanca-20570"
LONG_EMAIL = "coordination.regionale.casablanca-settat.protection@association-example.org"
LONG_NOTE = (
    "Called the shelter at https://shelter.example.org/intake/casablanca/emergency-placements "
    "and agreed an interview tomorrow; the person asked for an interpreter."
)


@dataclass(frozen=True)
class Page:
    name: str
    persona: str | None  # None: an anonymous visitor
    path: str  # with {placeholders} for the rows the module makes
    status: int = 200


PAGES = [
    Page("login", None, "/accounts/login/"),
    Page("forgotten-password", None, "/accounts/password/forgotten/"),
    *[
        Page(f"home-{persona}", persona, "/")
        for persona in (
            personas.POLICE,
            personas.HEALTH,
            personas.NGO_A,
            personas.NGO_A_SUPERVISOR,
            personas.AUTHORITY,
            personas.COMMISSION,
            personas.COORDINATOR,
        )
    ],
    Page("case-list", personas.NGO_A, "/cases/"),
    Page("register", personas.NGO_A, "/cases/register/"),
    Page("case", personas.NGO_A, "/cases/{case}/"),
    Page("case-of-partner", personas.HEALTH, "/cases/{case}/"),
    Page("inbox-incoming", personas.NGO_B, "/referrals/"),
    Page("inbox-outgoing", personas.NGO_A, "/referrals/?direction=outgoing"),
    Page("inbox-authority", personas.AUTHORITY, "/referrals/"),
    Page("referral", personas.HEALTH, "/referrals/{referral}/"),
    Page("duplicates", personas.COORDINATOR, "/duplicates/"),
    Page("break-glass", personas.NGO_A_SUPERVISOR, "/break-glass/"),
    Page("break-glass-case", personas.NGO_A_SUPERVISOR, "/break-glass/{use}/"),
    Page("break-glass-review", personas.COORDINATOR, "/break-glass/review/"),
    Page("statistics", personas.COMMISSION, "/statistics/"),
    Page("approvals", personas.NGO_A_SUPERVISOR, "/accounts/approvals/"),
    Page("activity", personas.NGO_A_SUPERVISOR, "/accounts/activity/"),
    Page("password-change", personas.NGO_A, "/accounts/password/"),
    Page("not-found", personas.NGO_A_SUPERVISOR, "/no-such-page/", status=404),
]
# The second factor's pages, for a session that has passed the password only.
VERIFY = "/accounts/login/verify/"
ENROL = "/accounts/two-factor/"

# Everything wider than the screen, for the failure's message: what to fix, not only that.
MEASURE = """() => {
  const width = window.innerWidth;
  const rtl = document.documentElement.dir === "rtl";
  const wide = [];
  for (const element of document.body.querySelectorAll("*")) {
    // Only the side a page scrolls to: the end of the line (the skip link waits on the start).
    const box = element.getBoundingClientRect();
    if (box.width && (rtl ? box.left < -0.5 : box.right > width + 0.5)) {
      const classes = element.getAttribute("class");
      const name = element.tagName.toLowerCase() + (classes ? "." + classes : "");
      wide.push(`${name} ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  return {
    width,
    html: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
    header: document.querySelector(".site-header").getBoundingClientRect().height,
    dir: document.documentElement.dir,
    lang: document.documentElement.lang,
    wide: wide.slice(0, 12),
  };
}"""


@dataclass
class Site:
    url: str
    ids: dict
    sessions: dict = field(default_factory=dict)  # persona -> session key, both factors passed
    # For each language: a session of NGO A's caseworker at the second step of the login,
    # and a new caseworker (without a second factor yet) with a session at the first step.
    second_step: dict = field(default_factory=dict)
    newcomers: dict = field(default_factory=dict)


def password_only_session(user) -> str:
    """The session key of a login that has passed the password, not yet the second factor."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def fill_the_pages(cast) -> dict:
    """Rows that fill every page, and the ids the pages' paths need."""
    person = person_data(
        given_name="Marie-Clémentine-Adaeze", family_name="Okonkwo-Benali", address=LONG_ADDRESS
    )
    # The prosecutor's decisions to take, the health unit's accepted referral.
    case_led_by_ngo_a(cast, stage="assistance")
    case = make_case(cast.ngo_a, person=person)
    record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
    record_consent(case, actor=cast.ngo_a, scope="statistics", given=True)
    for partner, codes in (("Prosecutor's office", ["StatusDecision"]), ("NGO B", ["Shelter"])):
        refer(case, cast.ngo_a, partner, *codes, reason=LONG_NOTE)
    waiting = refer(case, cast.ngo_a, "Health unit — Casablanca", "Medical", "Psychological")
    add_note(case, actor=cast.ngo_a, body=LONG_NOTE)
    add_note(case, actor=cast.ngo_a, body="Medical check done.", kind="medical")
    record_service(
        case,
        actor=cast.ngo_a,
        service_type=service("Interpretation"),
        started_on=datetime.date(2026, 11, 3),
    )
    # A person NGO B registered, registered again by the police: a pair for the coordinator;
    # NGO A's supervisor opens NGO B's case under break-glass: a use to review.
    twin = {"given_name": "Quetzalia", "family_name": "Doe", "document_number": "QZ-42"}
    elsewhere = make_case(cast.ngo_b, person=person_data(**twin))
    make_case(cast.police, person=person_data(**twin))
    use = open_break_glass(
        actor=cast.ngo_a_supervisor, reference=elsewhere.reference, reason=LONG_NOTE
    )
    # Counted cases over eight years: the statistics' tables have a column per year.
    for year in range(2019, 2027):
        counted = make_case(cast.ngo_a, identified_on=datetime.date(year, 3, 1))
        record_consent(counted, actor=cast.ngo_a, scope="statistics", given=True)
    # The statistics page shows a release: one of every case made above.
    publish_release(actor=None, cut_off=timezone.localdate())
    # Account changes waiting for NGO A's supervisor.
    organisation = cast.ngo_a.organisation
    request_role_change(cast.ngo_a, actor=cast.admin, role=Role.SUPERVISOR)
    request_account(
        actor=cast.admin,
        username="new.caseworker.of.the.casablanca.office",
        email=LONG_EMAIL,
        role=Role.CASEWORKER,
        organisation=organisation,
        first_name="Fatima-Zahra",
        last_name="El Idrissi-Bennani",
    )
    return {"case": case.pk, "referral": waiting.pk, "use": use.pk}


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    from pytest_django.live_server_helper import LiveServer  # noqa: PLC0415 (as pytest-django's)

    with django_db_blocker.unblock():
        # The rows are committed and the module flushes the database at the end: never the
        # development database (pytest-django sets the test one up only when a test asks).
        assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict
        cast = personas.ensure_cast()
        server = LiveServer("localhost:0")
        try:
            site = Site(url=server.url, ids=fill_the_pages(cast))
            for persona in {page.persona for page in PAGES} - {None}:
                client = verified_login(Client(), cast[persona])
                site.sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
            for number, language in enumerate(LANGUAGES, start=1):
                site.second_step[language] = password_only_session(cast.ngo_a)
                user = create_user(
                    username=f"phone_newcomer_{number}",
                    role=Role.CASEWORKER,
                    organisation=cast.ngo_a.organisation,
                )
                site.newcomers[language] = (user, password_only_session(user))
            yield site
        finally:
            server.stop()
            # What pytest-django does after a transactional test (TransactionTestCase).
            call_command("flush", verbosity=0, interactive=False)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 (only where chromium is)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def phone(site, browser):
    """A phone-sized page; ``phone(language, session_key)`` sets its cookies."""
    contexts = []

    def open_page(language: str, session_key: str | None = None):
        context = browser.new_context(viewport=PHONE)
        contexts.append(context)
        # LocaleMiddleware reads the language cookie first (no language prefix in the URLs).
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": site.url}]
        if session_key:
            cookies.append(
                {"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": site.url}
            )
        context.add_cookies(cookies)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def assert_fits(page, language: str):
    measured = page.evaluate(MEASURE)
    assert (measured["lang"], measured["dir"]) == (language, "rtl" if language == "ar" else "ltr")
    assert measured["width"] == PHONE["width"]
    # Neither the document nor the body is wider than the screen: nothing scrolls sideways.
    assert max(measured["html"], measured["body"]) <= PHONE["width"], measured
    # The header is folded: one line of the screen, not a third of it.
    assert measured["header"] <= MAX_HEADER_HEIGHT, measured


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.name)
def test_the_page_fits_a_phone(site, phone, spec, language):
    page = phone(language, site.sessions.get(spec.persona))
    path = spec.path.format(**site.ids)
    response = page.goto(site.url + path)
    # The page asked for, not a redirect to the login or an error in its place.
    assert response.status == spec.status
    assert page.url == site.url + path
    assert_fits(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_second_step_of_the_login_fits_a_phone(site, phone, language):
    page = phone(language, site.second_step[language])
    page.goto(site.url + VERIFY)
    assert page.url == site.url + VERIFY
    assert_fits(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_enrolment_and_the_backup_codes_fit_a_phone(site, phone, language):
    user, session_key = site.newcomers[language]
    page = phone(language, session_key)
    page.goto(site.url + ENROL)
    assert page.url == site.url + ENROL
    assert page.locator(".qr-code svg").count() == 1
    assert_fits(page, language)
    # The code the newcomer's app would show for the secret on the page, as a person types it.
    page.fill("input[name=otp_token]", code_for(pending_totp_device(user)))
    page.press("input[name=otp_token]", "Enter")
    page.wait_for_load_state()
    assert page.locator(".backup-codes li").count() == 10
    assert_fits(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_form_comes_back_open_with_the_focus_on_its_first_error(site, phone, language):
    page = phone(language, site.sessions[personas.NGO_A])
    path = f"/cases/{site.ids['case']}/"
    page.goto(site.url + path)
    note = page.locator("details.action", has=page.locator("textarea[name=note-body]"))
    assert note.get_attribute("open") is None
    note.locator("summary").click()
    assert_fits(page, language)
    # An empty note: refused, nothing saved, the form shown again.
    with page.expect_navigation():
        note.locator("button[type=submit]").click()
    focused = page.evaluate(
        "() => [document.activeElement.name, document.activeElement.getAttribute('aria-invalid')]"
    )
    assert focused == ["note-body", "true"]
    described = page.get_attribute("textarea[name=note-body]", "aria-describedby")
    assert page.locator(f"#{described}").inner_text().strip()
    assert_fits(page, language)

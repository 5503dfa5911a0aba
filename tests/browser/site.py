"""The site the browser tests open: rows that fill every main page, committed for a live
server of the tests' own (tests/browser/conftest.py), and the pages themselves.

The pages are full (a case with referrals, notes, services and history; waiting referrals,
duplicates, break-glass uses and account changes) and carry long unbroken words, as real
addresses, references and organisation names do: an empty page fits any screen and passes
any check.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from accounts.approvals import request_account, request_role_change
from accounts.roles import Role
from breakglass.services import open_break_glass
from cases.casework import add_note, record_service
from cases.consent import record_consent
from stats.releases import publish_release
from tests import personas
from tests.factories import make_case, person_data
from tests.scenarios import case_led_by_ngo_a, refer, service

# Words with no place to break, as long as real ones get: a street and an e-mail address.
LONG_ADDRESS = "Résidence-Al-Amal-Bloc-C-Appartement-12-Quartier-Hay-Mohammadi-Casablanca-20570"
LONG_EMAIL = "coordination.regionale.casablanca-settat.protection@association-example.org"
LONG_NOTE = (
    "Called the shelter at https://shelter.example.org/intake/casablanca/emergency-placements "
    "and agreed an interview tomorrow; the person asked for an interpreter."
)


COUNTED_THIS_YEAR = 30


def publish_test_release():
    """A release whose noise is too small to hide the site's few cases: the pages show their
    tables, margins and downloads every time (the privacy of a real release is tested in
    tests/stats, at the configured budget)."""
    with override_settings(NRM_STATS_RELEASE_EPSILON=400.0, NRM_STATS_YEARLY_EPSILON=10_000.0):
        return publish_release(actor=None, cut_off=timezone.localdate())


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
    # Counted cases over eight years (the statistics' tables have a column per year), and
    # enough of them this year for figures above k.
    years = [*range(2019, 2027), *[timezone.localdate().year] * COUNTED_THIS_YEAR]
    for year in years:
        counted = make_case(cast.ngo_a, identified_on=datetime.date(year, 1, 5))
        record_consent(counted, actor=cast.ngo_a, scope="statistics", given=True)
    # The statistics page shows a release: one of every case made above.
    publish_test_release()
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

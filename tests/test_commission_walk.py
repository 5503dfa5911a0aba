"""The commission member walks every URL of the project and finds no case data.

DESIGN.md: a commission member "sees anonymized statistics only; never a case, a name or a
note". Every URL pattern (``get_resolver().url_patterns``, recursively) is requested with GET
and POST as the commission member (logged in, and with an API token), with each path
parameter replaced in turn by the id of every kind of object of a populated scenario (a case,
its person, referrals in several states, notes, a service record, a consent, a stage change,
an organisation, a user, an audit entry) and by a random UUID. Each generated request is its
own test, named after the URL with the kind of id it carries, e.g.
``GET /api/v1/cases/<case>/``.

Every URL answers 403, 404 or 405 (the method is not the view's: no data), or redirects to a
page that is itself allowed below — except these, which may answer 200 because they hold no
case data:

- ``/`` (home): the commission's home page, a link to the statistics;
- ``/statistics/…`` and ``/api/v1/stats/…``: the anonymized statistics, the commission's work;
- ``/accounts/login/`` and ``/accounts/logout/``: signing in and out;
- ``/accounts/password/…``: the user's own password (changing it, asking for a reset link, the
  page that follows setting it); a mailed one-time link (``/accounts/reset/…``,
  ``/accounts/activate/…``) that is not valid answers 404;
- ``/accounts/login/verify/…``, ``/accounts/two-factor/…``: the user's own second factor (the
  second step of the login, with a code or a passkey; setting up an authenticator, new backup
  codes; the user's own passkeys);
- ``/i18n/setlang/``: choosing the interface language;
- ``/healthz``: the health check (database up or down);
- ``/api/v1/schema/``: the OpenAPI description (every authenticated user may read it);
- ``/api/v1/me/``: the caller's own username, organisation, role and permissions;
- ``/api/v1/organisations/``: the names, kinds and regions of the active organisations
  (public directory information, no case data).

Whatever the status, no response body contains the scenario's markers (names, document number,
phone, address, case summary, note bodies, free-text reasons, case references), and no 200
body contains the id of a case, person, referral or note. (Ids are not checked in error pages:
they echo the requested path in the language switcher.)

The scenario is built once for the module inside a transaction that is rolled back at the
end, the national coordinator publishing a statistics release of it (with k = 2, so that its
cases can show as counts); each test runs in a savepoint inside it (pytest-django's ``db``).
"""

import datetime
import itertools
import re
import uuid
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone

from accounts.models import Organisation
from api.tokens import issue_token
from audit.models import AuditEntry
from cases.casework import add_note, record_service
from cases.consent import record_consent
from cases.dispatch import CASE_TRANSITIONS, take_transition
from cases.models import CaseTransition, Consent
from referral.transitions import accept_referral, decline_referral
from stats.dimensions import release_tables
from stats.releases import publish_release
from tests import personas
from tests.factories import make_case, person_data
from tests.logins import verified_login
from tests.scenarios import refer, service

# --- Markers ----------------------------------------------------------------------------------
TAG = uuid.uuid4().hex[:10]
GIVEN = f"Walkgiven{TAG}"
FAMILY = f"Walkfamily{TAG}"
OTHER_GIVEN = f"Walkother{TAG}"
DOCUMENT = f"WD{TAG}".upper()
PHONE = "+2126" + str(int(TAG, 16))[-8:].rjust(8, "7")
ADDRESS = f"{TAG} rue du marqueur"
SUMMARY = f"Summary marker {TAG}"
NOTE_SHARED = f"Shared note marker {TAG}"
NOTE_OWN = f"Medical note marker {TAG}"
REFERRAL_REASON = f"Referral reason marker {TAG}"
DECLINE_REASON = f"Decline reason marker {TAG}"
DECISION_REASON = f"Decision reason marker {TAG}"
TEXT_MARKERS = [
    GIVEN,
    FAMILY,
    OTHER_GIVEN,
    DOCUMENT,
    PHONE,
    ADDRESS,
    SUMMARY,
    NOTE_SHARED,
    NOTE_OWN,
    REFERRAL_REASON,
    DECLINE_REASON,
    DECISION_REASON,
]

# --- Which URLs may answer 200 (see the module docstring) --------------------------------------
ALLOWED_NAMES = {
    "home",
    "healthz",
    "set_language",
    "accounts:login",
    "accounts:logout",
    "accounts:password_change",
    "accounts:password_change_done",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
    "accounts:verify",
    "accounts:enrol",
    "accounts:backup_codes",
    "accounts:passkeys",
    "accounts:passkey_register_begin",
    "accounts:passkey_register_complete",
    "accounts:passkey_remove",
    "accounts:passkey_verify_begin",
    "accounts:passkey_verify_complete",
    "api:me",
    "api:organisations",
    "api:schema",
}
ALLOWED_PREFIXES = ("/statistics/", "/api/v1/stats/")
NO_DATA_STATUSES = {403, 404, 405}

# --- The kinds of ids substituted for path parameters -----------------------------------------
# kind -> the model whose primary key it is (its shape decides which converters it fits).
ID_KINDS = {
    "case": "cases.Case",
    "other-case": "cases.Case",
    "person": "cases.Person",
    "referral-pending": "referral.Referral",
    "referral-accepted": "referral.Referral",
    "referral-declined": "referral.Referral",
    "note": "cases.Note",
    "note-own": "cases.Note",
    "service-record": "cases.ServiceRecord",
    "consent": "cases.Consent",
    "stage-change": "cases.CaseTransition",
    "organisation": "accounts.Organisation",
    "user": "accounts.User",
    "audit-entry": "audit.AuditEntry",
    "random-uuid": "cases.Case",
}
CONTENT_TYPE_KINDS = {
    f"ct-{label}": label
    for label in ("cases.Case", "cases.Person", "cases.Note", "referral.Referral")
}


def _sample(model_label: str) -> str:
    """A value of the shape of the model's primary key, to test a converter's regex with."""
    field = apps.get_model(model_label)._meta.pk
    if field.get_internal_type() == "UUIDField":
        return str(uuid.uuid4())
    if field.get_internal_type() in ("CharField", "SlugField"):
        return "code"
    return "12"


def _candidates(name: str, regex: str) -> list[str]:
    """The values (kinds, or literals for non-id parameters) tried for one path parameter."""
    if name == "name":
        values = [*CASE_TRANSITIONS, "no-such-transition"]
        return [v for v in values if re.fullmatch(regex, v)]
    if name == "app_label":
        values = sorted({c.label for c in apps.get_app_configs()})
        return [v for v in values if re.fullmatch(regex, v)]
    if name == "content_type_id":
        return [k for k in CONTENT_TYPE_KINDS if re.fullmatch(regex, "12")]
    return [k for k, label in ID_KINDS.items() if re.fullmatch(regex, _sample(label))]


NAMED_GROUP = re.compile(r"\(\?P<(\w+)>")


def _regex_groups(regex: str):
    """(start, end, name, inner regex) of each top-level named group of a regex."""
    position = 0
    while (match := NAMED_GROUP.search(regex, position)) is not None:
        depth, i = 1, match.end()
        while depth:
            char = regex[i]
            if char == "\\":
                i += 2
                continue
            depth += {"(": 1, ")": -1}.get(char, 0)
            i += 1
        yield match.start(), i, match.group(1), regex[match.end() : i - 1]
        position = i


def _template(pattern) -> tuple[str, dict[str, list[str]]]:
    """A pattern as a format string with ``{name}`` fields, and the candidates of each field."""
    params: dict[str, list[str]] = {}
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        text = ""
        position = 0
        for match in re.finditer(r"<(?:(?P<conv>[^>:]+):)?(?P<name>\w+)>", route):
            name = match.group("name")
            converter = pattern.converters[name]
            params[name] = _candidates(name, converter.regex)
            text += route[position : match.start()].replace("{", "{{").replace("}", "}}")
            text += "{" + name + "}"
            position = match.end()
        text += route[position:].replace("{", "{{").replace("}", "}}")
        return text, params
    if isinstance(pattern, RegexPattern):
        regex = str(pattern).lstrip("^").rstrip("$")
        text = ""
        position = 0
        for start, end, name, inner in _regex_groups(regex):
            params[name] = _candidates(name, inner)
            text += regex[position:start] + "{" + name + "}"
            position = end
        text += regex[position:]
        return text.replace("\\", ""), params
    raise TypeError(f"Unknown pattern type {type(pattern)!r}")


def _walk(patterns, prefix=""):
    """(URL template, callback, candidates of each parameter) of every pattern, recursively."""
    for entry in patterns:
        text, params = _template(entry.pattern)
        if isinstance(entry, URLResolver):
            for route, callback, child_params in _walk(entry.url_patterns):
                yield prefix + text + route, callback, {**params, **child_params}
        elif isinstance(entry, URLPattern):
            yield prefix + text, entry.callback, params


def _collect():
    """Every (method, URL template, parameter values, view) to request, with its test id; and
    the templates no value could be found for (there must be none)."""
    requests, unwalked = [], []
    for template, callback, params in _walk(get_resolver().url_patterns):
        names = list(params)
        combinations = list(itertools.product(*(params[n] for n in names)))
        if not combinations:
            unwalked.append(template)
        for values in combinations:
            assignment = dict(zip(names, values, strict=True))
            label = "/" + template.format(**{n: f"<{v}>" for n, v in assignment.items()})
            for method in ("GET", "POST"):
                requests.append(
                    pytest.param(
                        method, "/" + template, assignment, callback, id=f"{method} {label}"
                    )
                )
    return requests, unwalked


WALK, UNWALKED = _collect()


# --- The scenario -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def scenario(django_db_setup, django_db_blocker):
    """A populated case file, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        cast = personas.ensure_cast()
        case = make_case(
            cast.ngo_a,
            person=person_data(
                given_name=GIVEN,
                family_name=FAMILY,
                document_number=DOCUMENT,
                phone=PHONE,
                address=ADDRESS,
            ),
            summary=SUMMARY,
        )
        record_consent(case, actor=cast.ngo_a, scope="referral", given=True)
        record_consent(case, actor=cast.ngo_a, scope="statistics", given=True)
        decision = refer(case, cast.ngo_a, "Prosecutor's office", "StatusDecision")
        accept_referral(decision, actor=cast.authority)
        medical = refer(
            case, cast.ngo_a, "Health unit — Casablanca", "Medical", reason=REFERRAL_REASON
        )
        accept_referral(medical, actor=cast.health)
        pending = refer(case, cast.ngo_a, "NGO B", "Shelter", reason=REFERRAL_REASON)
        declined = refer(case, cast.ngo_a, "Police — Casablanca", "Legal")
        decline_referral(declined, actor=cast.police, reason=DECLINE_REASON)
        note = add_note(case, actor=cast.ngo_a, body=NOTE_SHARED)
        note_own = add_note(case, actor=cast.health, body=NOTE_OWN, kind="medical")
        record = record_service(
            case,
            actor=cast.ngo_a,
            service_type=service("Shelter"),
            started_on=timezone.localdate() - datetime.timedelta(days=1),
        )
        take_transition(case, "confirm_status", actor=cast.authority, reason=DECISION_REASON)
        other = make_case(cast.police, person=person_data(given_name=OTHER_GIVEN))
        with override_settings(NRM_STATS_K=2):
            publish_release(actor=cast.coordinator, cut_off=timezone.localdate())
        ids = {
            "case": case.pk,
            "other-case": other.pk,
            "person": case.person_id,
            "referral-pending": pending.pk,
            "referral-accepted": medical.pk,
            "referral-declined": declined.pk,
            "note": note.pk,
            "note-own": note_own.pk,
            "service-record": record.pk,
            "consent": Consent.objects.filter(case=case).latest("pk").pk,
            "stage-change": CaseTransition.objects.filter(case=case).first().pk,
            "organisation": cast.ngo_a.organisation_id,
            "user": cast.ngo_a.pk,
            "audit-entry": AuditEntry.objects.latest("pk").pk,
            "random-uuid": uuid.uuid4(),
        }
        ids.update(
            {
                kind: ContentType.objects.get_for_model(apps.get_model(label)).pk
                for kind, label in CONTENT_TYPE_KINDS.items()
            }
        )
        data = {
            "ids": {k: str(v) for k, v in ids.items()},
            "references": [case.reference, other.reference],
            "ngo_b": Organisation.objects.get(name="NGO B").pk,
        }
        yield data
        transaction.set_rollback(True)


def _post_body(scenario) -> dict:
    """A body that would do something if a view let the commission member through."""
    return {
        "scope": "statistics",
        "given": True,
        "given_by": "person",
        "to_organisation": scenario["ngo_b"],
        "services": ["Shelter"],
        "reason": "walk",
        "closure_reason": "goals_met",
        "body": "walk",
        "kind": "general",
        "service_type": "Shelter",
        "started_on": timezone.localdate().isoformat(),
        "status": "ongoing",
    }


def response_text(response) -> str:
    """The body, whether it was rendered at once or streamed (the CSV downloads)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def _allowed(url: str) -> bool:
    path = urlsplit(url).path
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.view_name in ALLOWED_NAMES or path.startswith(ALLOWED_PREFIXES)


@pytest.fixture
def commission(cast):
    """The commission member, logged in and carrying an API token (the API tries the token)."""
    user = cast[personas.COMMISSION]
    client = Client(headers={"Authorization": f"Token {issue_token(user=user)[1]}"})
    verified_login(client, user)
    return client


@pytest.mark.parametrize(("method", "template", "assignment", "callback"), WALK)
def test_commission_member_reaches_no_case_data(
    scenario, commission, method, template, assignment, callback
):
    ids = scenario["ids"]
    path = template.format(**{n: ids.get(v, v) for n, v in assignment.items()})
    assert resolve(path).func is callback, f"{path} does not resolve to the walked pattern"

    if method == "GET":
        response = commission.get(path)
    elif path.startswith("/api/"):
        response = commission.post(path, _post_body(scenario), content_type="application/json")
    else:
        response = commission.post(path, _post_body(scenario))

    status = response.status_code
    body = response_text(response)
    assert status < 500, f"{method} {path}: {status}"

    leaked = [m for m in [*TEXT_MARKERS, *scenario["references"]] if m in body]
    assert not leaked, f"{method} {path} ({status}) shows {leaked}"

    if _allowed(path):
        if status == 200:
            shown = [kind for kind, value in ids.items() if value in body and len(value) > 8]
            assert not shown, f"{method} {path} shows the id of {shown}"
        return

    if 300 <= status < 400:
        location = response["Location"]
        assert _allowed(location), f"{method} {path} redirects to {location}"
        return
    assert status in NO_DATA_STATUSES, f"{method} {path}: {status} for the commission member"


def test_the_walk_covers_every_pattern_and_kind():
    """The walk is not vacuous: every pattern, and the id kinds on case and referral URLs."""
    assert not UNWALKED
    labels = {p.id for p in WALK}
    for expected in (
        "GET /cases/<case>/",
        "POST /cases/<case>/notes/",
        "GET /cases/<random-uuid>/",
        "POST /referrals/<referral-pending>/accept/",
        "GET /api/v1/cases/<case>/",
        "GET /api/v1/cases/<note>/",
        "POST /api/v1/cases/<case>/transitions/<close>/",
        "GET /api/v1/referrals/<referral-accepted>/",
        "GET /admin/accounts/user/<user>/change/",
        "GET /admin/r/<ct-cases.Case>/<case>/",
        "GET /admin/<accounts>/",
        "GET /statistics/",
        "GET /api/v1/stats/cases/",
    ):
        assert expected in labels, expected


def test_the_commission_member_does_reach_the_statistics(scenario, commission):
    """The allowed URLs work for the commission member (so the walk's 200s mean something)."""
    for path in ("/statistics/", "/statistics/releases/", "/statistics/extract.csv"):
        assert commission.get(path).status_code == 200, path
    response = commission.get("/api/v1/stats/cases/", {"by": "year,region"})
    assert response.status_code == 200
    assert set(response.json()) == TABLE_KEYS
    assert commission.get("/api/v1/stats/releases/").json()["count"] == 1
    assert commission.get("/").status_code == 200


TABLE_KEYS = {"k", "release", "rows", "total", "total_margin"}
# Every table a release publishes, and coarser ones under each filter.
STATISTICS_QUERIES = [{"by": ",".join(spec.dims)} for spec in release_tables()] + [
    {"by": "exploitation_form", "region": "MA-06"},
    {"by": "sex", "year": "2026"},
    {"by": "region"},
]


@pytest.mark.parametrize("query", STATISTICS_QUERIES, ids=lambda q: "&".join(q.values()))
def test_no_statistics_table_shows_case_data(scenario, commission, query):
    """The statistics URLs answer 200; walked without a query the API is a 400, so every
    table of the release is asked for here too."""
    response = commission.get("/api/v1/stats/cases/", query)
    assert response.status_code == 200, response.content
    body = response_text(response)
    leaked = [m for m in [*TEXT_MARKERS, *scenario["references"]] if m in body]
    assert not leaked
    shown = [kind for kind, value in scenario["ids"].items() if len(value) > 8 and value in body]
    assert not shown
    assert set(response.json()) == TABLE_KEYS
    assert response.json()["k"] == 2

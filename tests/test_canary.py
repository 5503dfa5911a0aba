"""A canary: a unique marker in every protected field must never appear in clear anywhere.

Registers a person through the UI and the API with the marker in every protected field, walks
the list, detail, referral and note paths, then searches every column of every table
(information_schema: audit, session and lockout tables included) for the marker in plain and
hex-encoded form, and the application and PostgreSQL logs. Zero hits. The persons' blind indexes
(derived from identity) must likewise appear in no column but their own.
"""

import logging
import secrets
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from audit.models import AuditEntry
from cases.casework import add_note
from cases.dispatch import take_transition
from cases.models import Case, Person
from referral.creation import create_referral
from referral.transitions import decline_referral
from tests import personas
from tests.scenarios import org, service

MARKER = f"Qz{secrets.token_hex(5)}"
DOB = "1911-11-11"


def protected_values(prefix: str) -> dict:
    return {
        "given_name": f"{prefix}{MARKER}given",
        "family_name": f"{prefix}{MARKER}family",
        "document_number": f"{prefix}{MARKER}doc",
        "phone": f"{prefix}{MARKER}phone",
        "address": f"{prefix}{MARKER}address",
    }


def exercise_every_path(client_for, cast):
    ui = client_for(personas.NGO_A)
    form = {
        **protected_values("ui"),
        "date_of_birth": DOB,
        "sex": "female",
        "nationality": "NG",
        "identified_on": "2026-11-20",
        "region": "MA-06",
        "exploitation_forms": ["SexualExploitation"],
        "summary": f"ui{MARKER}summary",
    }
    assert ui.post("/cases/register/", form).status_code == 302
    api = client_for(personas.POLICE)
    body = {
        "person": {**protected_values("api"), "date_of_birth": DOB, "sex": "male"},
        "is_child": False,
        "identified_on": "2026-11-21",
        "region": "MA-01",
        "exploitation_forms": ["ForcedLabour"],
        "summary": f"api{MARKER}summary",
    }
    response = api.post("/api/v1/cases/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    for case in Case.objects.all():
        owner = cast.ngo_a if case.registering_organisation == org("NGO A") else cast.police
        client = client_for(owner.username)
        assert client.get(f"/cases/{case.pk}/").status_code == 200
        assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 200
        assert MARKER in client.get(f"/cases/{case.pk}/").content.decode()
    assert ui.get("/cases/").status_code == 200
    assert api.get("/api/v1/cases/").status_code == 200
    # Case work with protected free text: notes, referral and decline reasons, an override,
    # a closure reason.
    case = Case.objects.get(registering_organisation=org("NGO A"))
    add_note(case, actor=cast.ngo_a, body=f"{MARKER}note", kind="medical")
    notes = f"/api/v1/cases/{case.pk}/notes/"
    api_note = {"kind": "social", "visibility": "shared", "text": f"{MARKER}api-note"}
    assert ui.post(notes, api_note, content_type="application/json").status_code == 201
    too_long = {"text": f"{MARKER}too-long" * 1000}
    assert ui.post(notes, too_long, content_type="application/json").status_code == 400
    assert MARKER in ui.get(notes).content.decode()
    referral = create_referral(
        case,
        actor=cast.ngo_a_supervisor,
        to_organisation=org("NGO B"),
        services=[service("Shelter")],
        reason=f"{MARKER}referral-reason",
        consent_override_reason=f"{MARKER}override",
    )
    decline_referral(referral, actor=cast.ngo_b, reason=f"{MARKER}decline")
    take_transition(
        case,
        "close",
        actor=cast.ngo_a_supervisor,
        reason=f"{MARKER}closure",
        closure_reason="lost_contact",
    )
    # A failed login with the marker as username lands in the lockout table: that is expected
    # to be searched too, so use a password only.
    client_for(personas.NGO_B).get("/referrals/")


BLIND_INDEXES = ("name_dob_index", "document_index")


def blind_index_values() -> list[str]:
    rows = Person.objects.values_list(*BLIND_INDEXES)
    return sorted({value for row in rows for value in row if value})


def find_marker_in_database(*, also: list[str] = ()) -> list[str]:
    """Columns holding the marker, the date of birth or a value of ``also`` (the blind indexes,
    which are allowed in their own columns only)."""
    also = [value.lower() for value in also]
    needles = [MARKER.lower(), MARKER.encode().hex(), DOB, *also]
    own = {(Person._meta.db_table, name) for name in BLIND_INDEXES}
    hits = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY table_name, column_name"
        )
        columns = cursor.fetchall()
        for table, column in columns:
            for needle in needles:
                if needle in also and (table, column) in own:
                    continue
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" WHERE lower("{column}"::text) LIKE %s',  # noqa: S608
                    [f"%{needle}%"],
                )
                if cursor.fetchone()[0]:
                    hits.append(f"{table}.{column} contains {needle}")
    return hits


def test_canary_marker_is_in_no_column_and_no_application_log(client_for, cast, caplog):
    caplog.set_level(logging.DEBUG)
    exercise_every_path(client_for, cast)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' "
            "AND table_name IN ('audit_entry', 'django_session', 'axes_accessattempt')"
        )
        assert cursor.fetchone()[0] > 10  # the search really covers those tables
    indexes = blind_index_values()
    assert len(indexes) == 4  # both indexes of both persons, searched in every other column
    assert find_marker_in_database(also=indexes) == []
    assert MARKER.lower() not in caplog.text.lower()


def test_canary_search_finds_a_planted_clear_value(cast):
    """The search itself works: a value stored in clear is found."""

    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Case),
        object_pk="x",
        object_repr=f"{MARKER}planted",
        action=0,
    )
    assert find_marker_in_database() == [f"audit_entry.object_repr contains {MARKER.lower()}"]


def postgres_log() -> Path:
    return Path(settings.VAR_DIR) / "pgdata" / "log"


@pytest.mark.skipif(
    bool(__import__("os").environ.get("DATABASE_URL")),
    reason="the server's log is only readable here for the embedded PostgreSQL",
)
def test_canary_marker_never_reaches_postgresql(client_for, cast):
    log = postgres_log()
    assert log.exists()
    start = log.stat().st_size
    with connection.cursor() as cursor:
        # Log every statement with its parameters: what the server receives, not only errors.
        cursor.execute("SET log_statement = 'all'")
        cursor.execute("SELECT 'canary-log-probe'")
    exercise_every_path(client_for, cast)
    with connection.cursor() as cursor:
        cursor.execute("RESET log_statement")
    with log.open("rb") as handle:
        handle.seek(start)
        written = handle.read().decode("utf-8", errors="replace")
    assert "canary-log-probe" in written  # statements were logged
    assert "INSERT INTO" in written
    assert MARKER.lower() not in written.lower()
    assert MARKER.encode().hex() not in written.lower()

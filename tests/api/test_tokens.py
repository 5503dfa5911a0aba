import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from api.tokens import hash_key, issue_token
from audit.models import AuditEntry
from tests import personas

ME = "/api/v1/me/"


def run(*args) -> list[str]:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().splitlines()


def me_with(key: str):
    return Client().get(ME, headers={"Authorization": f"Token {key}"})


def tables_containing(text: str) -> list[str]:
    """Every table with a row whose text form contains ``text`` (the whole database)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"SELECT count(*) FROM {quoted} AS r WHERE strpos(r::text, %s) > 0",  # noqa: S608
                [text],
            )
            if cursor.fetchone()[0]:
                found.append(table)
    return found


def test_issue_api_token_prints_the_key_alone_on_the_last_line(cast):
    lines = run("issue_api_token", personas.POLICE)
    key = lines[-1]
    token = ApiToken.objects.get(user=cast.police)
    assert key.strip() == key
    assert " " not in key
    assert len(key) >= 40
    assert token.key_hash == hash_key(key)
    assert token.prefix == key[:8]
    assert me_with(key).json()["username"] == personas.POLICE


def test_issued_key_is_stored_only_as_its_hash(cast):
    key = run("issue_api_token", personas.NGO_A)[-1]
    token = ApiToken.objects.get(user=cast.ngo_a)
    assert token.key_hash == hash_key(key)
    assert len(token.key_hash) == 64
    assert tables_containing(key) == []
    assert "api_apitoken" in tables_containing(token.key_hash)


def test_token_expires_after_30_days_by_default(cast):
    before = timezone.now()
    run("issue_api_token", personas.POLICE)
    token = ApiToken.objects.get(user=cast.police)
    assert before + datetime.timedelta(days=30) <= token.expires_at
    assert token.expires_at <= timezone.now() + datetime.timedelta(days=30)


def test_days_option_sets_the_lifetime(cast):
    run("issue_api_token", personas.POLICE, "--days", "2")
    token = ApiToken.objects.get(user=cast.police)
    assert token.expires_at - token.created_at == pytest.approx(
        datetime.timedelta(days=2), abs=datetime.timedelta(seconds=5)
    )


@pytest.mark.parametrize("days", ["0", "-1", "366"])
def test_days_outside_the_allowed_range_is_a_command_error(cast, days):
    with pytest.raises(CommandError, match="between 1 and 365"):
        run("issue_api_token", personas.POLICE, "--days", days)
    assert ApiToken.objects.count() == 0


def test_issue_for_unknown_user_is_a_command_error(cast):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run("issue_api_token", "nobody")


def test_issue_for_inactive_user_is_a_command_error(cast):
    cast.ngo_b.is_active = False
    cast.ngo_b.save()
    with pytest.raises(CommandError, match="not active"):
        run("issue_api_token", personas.NGO_B)
    assert ApiToken.objects.count() == 0


def test_revoke_api_tokens_revokes_every_active_token_and_says_how_many(cast):
    keys = [issue_token(user=cast.police)[1] for _ in range(2)]
    other = issue_token(user=cast.ngo_a)[1]
    lines = run("revoke_api_tokens", personas.POLICE)
    assert lines == ["Revoked 2 token(s) of police."]
    assert [me_with(key).status_code for key in keys] == [401, 401]
    assert me_with(other).status_code == 200
    assert run("revoke_api_tokens", personas.POLICE) == ["Revoked 0 token(s) of police."]


def test_revoke_for_unknown_user_is_a_command_error(cast):
    with pytest.raises(CommandError, match="No user named"):
        run("revoke_api_tokens", "nobody")


def test_expired_token_is_refused(cast):
    token, key = issue_token(user=cast.police)
    token.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    token.save()
    response = me_with(key)
    assert (response.status_code, response["WWW-Authenticate"]) == (401, "Token")
    assert response.json() == {"detail": "Invalid, expired or revoked token."}


def test_token_of_a_deactivated_user_is_refused(cast):
    key = issue_token(user=cast.police)[1]
    cast.police.is_active = False
    cast.police.save()
    assert me_with(key).status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "Token",
        "Token ",
        "Token a b",
        "Token not-a-real-key",
        "Token \x00",
        "token " + "x" * 10_000,
        "Token é",
        "Bearer abc",
        "Basic YWRtaW46YWRtaW4=",
    ],
)
def test_bad_authorization_headers_are_401(cast, header):
    response = Client().get(ME, headers={"Authorization": header})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert list(response.json()) == ["detail"]


def test_token_issue_and_revocation_are_audited_without_the_hash(cast):

    token, key = issue_token(user=cast.police)
    run("revoke_api_tokens", personas.POLICE)
    entries = AuditEntry.objects.filter(object_pk=str(token.pk)).order_by("id")
    assert [e.action for e in entries] == [AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE]
    assert [set(e.changes_dict) for e in entries][1] == {"revoked_at"}
    assert all("key_hash" not in e.changes_dict for e in entries)
    assert all(key not in str(e.changes) for e in entries)

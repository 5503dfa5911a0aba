"""accounts/passkeys.py and its pages: passkeys as the phishing-resistant second factor.

The ceremonies run for real through the test client: ``tests.accounts.webauthn.SoftPasskey``
answers with a real "none" attestation and real ECDSA signatures, which py_webauthn verifies.
A passkey completes the second step exactly as a TOTP code does; a password-only session
registers nothing; an anonymous request gets nothing; every change is an audit entry that
names the passkey by id, never by the name its owner gave it.
"""

import datetime
import json
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp_webauthn.models import WebAuthnCredential

from accounts import passkeys, views
from accounts.second_factor import give_demo_totp
from accounts.sessions import VERIFIED_AT
from audit.models import AuditEntry
from stats.releases import publish_release
from tests import personas
from tests.accounts.otp import DEMO_SECRET
from tests.accounts.webauthn import SoftPasskey, b64url

LOGIN = "/accounts/login/"
VERIFY = "/accounts/login/verify/"
PAGE = "/accounts/two-factor/passkeys/"
REGISTER_BEGIN = "/accounts/two-factor/passkeys/register/begin/"
REGISTER_COMPLETE = "/accounts/two-factor/passkeys/register/complete/"
VERIFY_BEGIN = "/accounts/login/verify/passkey/begin/"
VERIFY_COMPLETE = "/accounts/login/verify/passkey/complete/"
NAME = "Laptop of Samira Canary"  # a name a person might give: it must stay out of the audit


def post_json(client: Client, url: str, data: dict | None = None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def soft_passkey() -> SoftPasskey:
    return SoftPasskey(rp_id=settings.OTP_WEBAUTHN_RP_ID, origin=allowed_origin())


def allowed_origin() -> str:
    return settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0]


def register(client: Client, key: SoftPasskey, name: str = NAME):
    options = post_json(client, REGISTER_BEGIN, {"name": name})
    assert options.status_code == 200, options.content
    return post_json(client, REGISTER_COMPLETE, key.create(options.json()))


def password_step(username: str) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": personas.PASSWORD})
    assert response.status_code == 302
    return client


def events(user, *names) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_pk=str(user.pk), additional_data__event__in=[str(n) for n in names]
        ).order_by("pk")
    )


@pytest.fixture
def key():
    return soft_passkey()


@pytest.fixture
def ngo_a_passkey(cast, client_for, key):
    """ngo_a with an authenticator app and one passkey, registered through the pages."""
    give_demo_totp(user=cast.ngo_a, secret_base32=DEMO_SECRET)
    assert register(client_for(personas.NGO_A), key).status_code == 200
    return key


# --- Registration ---------------------------------------------------------------------------
def test_a_verified_user_registers_a_named_passkey(cast, client_for, key):
    client = client_for(personas.NGO_A)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert 'name="name"' in page.content.decode()
    options = post_json(client, REGISTER_BEGIN, {"name": NAME}).json()
    assert options["rp"] == {"id": settings.OTP_WEBAUTHN_RP_ID, "name": "NRM"}
    done = post_json(client, REGISTER_COMPLETE, key.create(options))
    assert (done.status_code, done.json()) == (200, {"redirect_url": PAGE})
    [passkey] = WebAuthnCredential.objects.filter(user=cast.ngo_a)
    assert (passkey.name, passkey.confirmed, passkey.credential_id) == (
        NAME,
        True,
        key.credential_id,
    )
    listed = client.get(PAGE).content.decode()
    assert NAME in listed
    assert f"Passkey “{NAME}” added." in listed


def test_registration_is_an_audit_entry_with_the_id_and_without_the_name(cast, ngo_a_passkey):
    passkey = WebAuthnCredential.objects.get(user=cast.ngo_a)
    [entry] = events(cast.ngo_a, "passkey_registered")
    assert entry.actor == cast.ngo_a
    assert entry.additional_data["passkey"] == passkey.pk
    assert entry.additional_data["concerns"] == [cast.ngo_a.organisation_id]
    assert "Samira" not in json.dumps(entry.additional_data) + entry.object_repr


@pytest.mark.parametrize("name", ["", "   ", "x" * 65])
def test_a_passkey_needs_a_name_before_the_browser_makes_one(client_for, name):
    client = client_for(personas.NGO_A)
    response = post_json(client, REGISTER_BEGIN, {"name": name})
    assert response.status_code == 400
    assert response.json()["detail"]
    assert passkeys.REGISTRATION_STATE not in client.session


def test_a_credential_for_another_origin_is_refused_and_nothing_is_stored(cast, client_for, key):
    client = client_for(personas.NGO_A)
    options = post_json(client, REGISTER_BEGIN, {"name": NAME}).json()
    forged = key.create(options, origin="https://nrm.example.evil")
    response = post_json(client, REGISTER_COMPLETE, forged)
    assert response.status_code == 422
    assert not WebAuthnCredential.objects.filter(user=cast.ngo_a).exists()
    assert events(cast.ngo_a, "passkey_registered") == []


def test_a_registration_challenge_serves_once(cast, client_for, key):
    client = client_for(personas.NGO_A)
    options = post_json(client, REGISTER_BEGIN, {"name": NAME}).json()
    wrong = key.create(options, origin="https://nrm.example.evil")
    assert post_json(client, REGISTER_COMPLETE, wrong).status_code == 422
    # The good answer to the same challenge comes too late: the challenge is gone.
    late = post_json(client, REGISTER_COMPLETE, key.create(options))
    assert late.status_code == 400
    assert not WebAuthnCredential.objects.filter(user=cast.ngo_a).exists()


def test_a_password_only_session_cannot_register(cast, key):
    give_demo_totp(user=cast.ngo_a, secret_base32=DEMO_SECRET)
    client = password_step(personas.NGO_A)
    for url in (PAGE, REGISTER_BEGIN, REGISTER_COMPLETE):
        response = client.get(url) if url == PAGE else post_json(client, url, {"name": NAME})
        assert response.status_code == 302
        assert response["Location"].startswith(VERIFY)
    assert passkeys.REGISTRATION_STATE not in client.session
    assert not WebAuthnCredential.objects.exists()


def test_the_rule_refuses_a_session_without_the_second_factor_even_past_the_middleware(cast, rf):
    session = Client().session
    session[VERIFIED_AT] = int(time.time())  # recent: only the rule can refuse
    cast.ngo_a.is_verified = lambda: False  # what django-otp's middleware sets before step two
    for user in (AnonymousUser(), cast.ngo_a):
        request = rf.post(REGISTER_BEGIN, json.dumps({"name": NAME}), "application/json")
        request.user, request.session = user, session
        for view in (views.passkey_register_begin, views.passkey_register_complete):
            response = view(request)
            assert response.status_code == 403
            assert json.loads(response.content) == {
                "detail": "Complete the login with your second factor first."
            }
    assert passkeys.REGISTRATION_STATE not in session


@pytest.mark.parametrize("url", [REGISTER_BEGIN, REGISTER_COMPLETE, VERIFY_BEGIN, VERIFY_COMPLETE])
def test_an_anonymous_request_gets_nothing(url):
    response = post_json(Client(), url, {"name": NAME})
    assert response.status_code == 403
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("url", [PAGE, "/accounts/two-factor/passkeys/1/remove/"])
def test_an_anonymous_visitor_is_sent_to_the_login(url):
    client = Client()
    response = client.post(url) if url.endswith("remove/") else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("url", [REGISTER_BEGIN, REGISTER_COMPLETE, VERIFY_BEGIN, VERIFY_COMPLETE])
def test_the_json_endpoints_take_post_only(client_for, url):
    assert client_for(personas.NGO_A).get(url).status_code == 405


def test_changing_passkeys_asks_for_the_second_factor_again_after_10_minutes(client_for, key):
    client = client_for(personas.NGO_A)
    session = client.session
    session[VERIFIED_AT] = int(time.time()) - 10 * 60 - 1
    session.save()
    assert client.get(PAGE)["Location"] == f"{VERIFY}?next=%2Faccounts%2Ftwo-factor%2Fpasskeys%2F"
    assert post_json(client, REGISTER_BEGIN, {"name": NAME}).status_code == 403
    assert not WebAuthnCredential.objects.exists()


# --- Removal ----------------------------------------------------------------------------------
def test_the_owner_removes_a_passkey_and_it_is_audited(cast, client_for, ngo_a_passkey):
    passkey = WebAuthnCredential.objects.get(user=cast.ngo_a)
    client = client_for(personas.NGO_A)
    response = client.post(f"{PAGE}{passkey.pk}/remove/")
    assert (response.status_code, response["Location"]) == (302, PAGE)
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    [entry] = events(cast.ngo_a, "passkey_removed")
    assert (entry.actor, entry.additional_data["passkey"]) == (cast.ngo_a, passkey.pk)
    assert "Samira" not in json.dumps(entry.additional_data)
    assert "You have no passkey yet." in client.get(PAGE).content.decode()


def test_nobody_removes_another_users_passkey(cast, client_for, ngo_a_passkey):
    passkey = WebAuthnCredential.objects.get(user=cast.ngo_a)
    other = client_for(personas.NGO_A_SUPERVISOR)
    assert other.post(f"{PAGE}{passkey.pk}/remove/").status_code == 404
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert NAME not in other.get(PAGE).content.decode()
    assert events(cast.ngo_a, "passkey_removed") == []


def test_removal_takes_post_only(cast, client_for, ngo_a_passkey):
    passkey = WebAuthnCredential.objects.get(user=cast.ngo_a)
    assert client_for(personas.NGO_A).get(f"{PAGE}{passkey.pk}/remove/").status_code == 405
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


# --- The second step of the login -------------------------------------------------------------
def test_a_passkey_completes_the_second_step_as_a_code_does(cast, ngo_a_passkey):
    client = password_step(personas.NGO_A)
    page = client.get(f"{VERIFY}?next=/cases/").content.decode()
    assert "Use a passkey" in page and 'name="otp_token"' in page
    assert client.get("/cases/").status_code == 302
    options = post_json(client, VERIFY_BEGIN).json()
    assert [c["id"] for c in options["allowCredentials"]] == [b64url(ngo_a_passkey.credential_id)]
    done = post_json(client, f"{VERIFY_COMPLETE}?next=/cases/", ngo_a_passkey.get(options))
    assert (done.status_code, done.json()) == (200, {"redirect_url": "/cases/"})
    passkey = WebAuthnCredential.objects.get(user=cast.ngo_a)
    assert client.session[DEVICE_ID_SESSION_KEY] == passkey.persistent_id
    assert time.time() - client.session[VERIFIED_AT] < 60
    assert client.get("/cases/").status_code == 200
    assert passkey.last_used_at is not None and passkey.sign_count == 1


def test_a_next_address_off_the_site_is_not_followed(ngo_a_passkey):
    client = password_step(personas.NGO_A)
    options = post_json(client, VERIFY_BEGIN).json()
    url = f"{VERIFY_COMPLETE}?next=https://evil.example/"
    assert post_json(client, url, ngo_a_passkey.get(options)).json() == {"redirect_url": "/"}


def test_a_passkey_verifies_the_step_up_too(cast, released_statistics, ngo_a_passkey, client_for):
    give_demo_totp(user=cast.commission, secret_base32=DEMO_SECRET)
    key = soft_passkey()
    client = client_for(personas.COMMISSION)
    assert register(client, key).status_code == 200
    session = client.session
    session[VERIFIED_AT] = int(time.time()) - 10 * 60 - 1
    session.save()
    assert client.get("/statistics/extract.csv").status_code == 302
    options = post_json(client, VERIFY_BEGIN).json()
    url = f"{VERIFY_COMPLETE}?next=/statistics/extract.csv"
    assert post_json(client, url, key.get(options)).json() == {
        "redirect_url": "/statistics/extract.csv"
    }
    assert client.get("/statistics/extract.csv").status_code == 200


def test_a_forged_signature_is_refused_and_audited(cast, ngo_a_passkey):
    client = password_step(personas.NGO_A)
    options = post_json(client, VERIFY_BEGIN).json()
    answer = ngo_a_passkey.get(options)
    answer["response"]["signature"] = soft_passkey().get(options)["response"]["signature"]
    refused = post_json(client, VERIFY_COMPLETE, answer)
    assert refused.status_code == 403
    assert client.get("/cases/").status_code == 302
    [entry] = events(cast.ngo_a, "second_factor_failed")
    assert entry.additional_data["factor"] == "passkey"


@pytest.mark.parametrize(
    "change", [{"origin": "https://nrm.example.evil"}, {"rp_id": "example.evil"}]
)
def test_an_assertion_for_another_site_is_refused(ngo_a_passkey, change):
    # What a phishing page relaying the login would obtain: signed for its own origin or id.
    client = password_step(personas.NGO_A)
    options = post_json(client, VERIFY_BEGIN).json()
    assert (
        post_json(client, VERIFY_COMPLETE, ngo_a_passkey.get(options, **change)).status_code == 403
    )
    assert client.get("/cases/").status_code == 302


def test_an_assertion_serves_once(ngo_a_passkey):
    client = password_step(personas.NGO_A)
    options = post_json(client, VERIFY_BEGIN).json()
    answer = ngo_a_passkey.get(options)
    assert post_json(client, VERIFY_COMPLETE, answer).status_code == 200
    # Replayed in another half-logged-in session: the challenge was this session's, and is gone.
    other = password_step(personas.NGO_A)
    assert post_json(other, VERIFY_COMPLETE, answer).status_code == 400
    post_json(other, VERIFY_BEGIN)
    assert post_json(other, VERIFY_COMPLETE, answer).status_code == 403
    assert other.get("/cases/").status_code == 302


def test_another_users_passkey_does_not_verify_this_session(cast, ngo_a_passkey):
    give_demo_totp(user=cast.ngo_b, secret_base32=DEMO_SECRET)
    client = password_step(personas.NGO_B)
    options = post_json(client, VERIFY_BEGIN)
    assert options.status_code == 404  # ngo_b has no passkey
    # Even with a challenge of ngo_b's own session, ngo_a's passkey is not ngo_b's.
    session = client.session
    session[passkeys.AUTHENTICATION_STATE] = {
        "challenge": "c2FtZS1jaGFsbGVuZ2U",
        "require_user_verification": False,
    }
    session.save()
    answer = ngo_a_passkey.get({"challenge": "c2FtZS1jaGFsbGVuZ2U"})
    assert post_json(client, VERIFY_COMPLETE, answer).status_code == 403
    assert client.get("/cases/").status_code == 302


def test_a_user_without_a_passkey_sees_no_passkey_button(cast):
    give_demo_totp(user=cast.ngo_b, secret_base32=DEMO_SECRET)
    page = password_step(personas.NGO_B).get(VERIFY).content.decode()
    assert "Use a passkey" not in page and "passkeys.js" not in page
    assert 'name="otp_token"' in page


def test_removing_the_passkey_that_verified_the_session_asks_for_the_second_factor_again(
    cast, ngo_a_passkey
):
    client = password_step(personas.NGO_A)
    options = post_json(client, VERIFY_BEGIN).json()
    post_json(client, VERIFY_COMPLETE, ngo_a_passkey.get(options))
    passkey = WebAuthnCredential.objects.get(user=cast.ngo_a)
    assert client.post(f"{PAGE}{passkey.pk}/remove/")["Location"] == PAGE
    assert client.get("/cases/")["Location"].startswith(VERIFY)


def test_the_account_activity_names_passkey_events(cast, ngo_a_passkey, client_for):
    body = client_for(personas.NGO_A_SUPERVISOR).get("/accounts/activity/").content.decode()
    assert "Passkey added" in body
    assert NAME not in body


@pytest.fixture
def released_statistics(db):
    """The extract is a release's: one published (of no case) for it to serve."""
    return publish_release(actor=None, cut_off=datetime.date.today())

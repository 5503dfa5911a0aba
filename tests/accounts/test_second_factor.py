"""accounts/second_factor.py and its pages: a password alone reaches no case data.

The login is two steps (API.md): the password form, then a form with ``otp_token`` (a TOTP
code or a backup code). A replayed code is refused; a backup code works once; a session that
passed only the first step gets no page with case data and no API answer through the session;
an API token is the non-interactive path and is untouched.
"""

import datetime
import re
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import second_factor
from accounts.second_factor import give_demo_totp
from accounts.sessions import VERIFIED_AT
from stats.releases import publish_release
from tests import personas
from tests.accounts.otp import DEMO_SECRET, code_for
from tests.factories import make_case
from tests.html import inline_scripts

LOGIN = "/accounts/login/"
VERIFY = "/accounts/login/verify/"
ENROL = "/accounts/two-factor/"


def password_step(username: str) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": personas.PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def device(cast):
    return give_demo_totp(user=cast.ngo_a, secret_base32=DEMO_SECRET)


# URLs with case data, a page each and the API through the session.
GUARDED = ["/", "/cases/", "/referrals/", "/cases/register/", "/admin/", "/accounts/activity/"]


@pytest.mark.parametrize("path", GUARDED)
def test_a_password_only_session_reaches_no_page(device, path):
    client = password_step(personas.NGO_A)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_a_password_only_session_reaches_no_case(cast, device):
    case = make_case(cast.ngo_a)
    client = password_step(personas.NGO_A)
    assert client.get(f"/cases/{case.pk}/")["Location"].startswith(VERIFY)
    for path in ("/api/v1/cases/", f"/api/v1/cases/{case.pk}/", "/api/v1/me/"):
        response = client.get(path)
        assert response.status_code == 403
        assert "second factor" in response.json()["detail"]


def test_the_code_completes_the_login_and_goes_where_asked(cast, device):
    client = Client()
    response = client.post(
        f"{LOGIN}?next=/cases/",
        {"username": "ngo_a", "password": personas.PASSWORD, "next": "/cases/"},
    )
    assert response["Location"] == f"{VERIFY}?next=%2Fcases%2F"
    form = client.get(response["Location"])
    assert 'name="otp_token"' in form.content.decode()
    done = client.post(VERIFY, {"otp_token": code_for(device), "next": "/cases/"})
    assert (done.status_code, done["Location"]) == (302, "/cases/")
    assert client.get("/cases/").status_code == 200


def test_a_replayed_code_is_refused(device):
    code = code_for(device)
    first = password_step(personas.NGO_A)
    assert first.post(VERIFY, {"otp_token": code})["Location"] == "/"
    second = password_step(personas.NGO_A)
    refused = second.post(VERIFY, {"otp_token": code})
    assert refused.status_code == 200
    assert "already used" in refused.content.decode()
    assert second.get("/cases/").status_code == 302


@pytest.mark.parametrize("token", ["000000", "12345", "abcdef", "", " ", "9" * 20])
def test_a_wrong_code_is_refused_with_a_clear_message(device, token):
    client = password_step(personas.NGO_A)
    response = client.post(VERIFY, {"otp_token": token})
    assert response.status_code == 200
    assert client.get("/cases/").status_code == 302


def test_a_next_address_off_the_site_is_not_followed(device):
    client = password_step(personas.NGO_A)
    done = client.post(VERIFY, {"otp_token": code_for(device), "next": "https://evil.example/"})
    assert done["Location"] == "/"


def test_a_backup_code_works_once(cast, device):
    codes = second_factor.issue_backup_codes(user=cast.ngo_a)
    assert len(set(codes)) == 10
    first = password_step(personas.NGO_A)
    assert first.post(VERIFY, {"otp_token": codes[0]})["Location"] == "/"
    again = password_step(personas.NGO_A)
    assert again.post(VERIFY, {"otp_token": codes[0]}).status_code == 200
    assert again.get("/").status_code == 302


def test_new_backup_codes_replace_the_old_ones(cast, device):
    old = second_factor.issue_backup_codes(user=cast.ngo_a)
    new = second_factor.issue_backup_codes(user=cast.ngo_a)
    # The new one first: a failed attempt throttles the next one (1 s, then doubling).
    assert second_factor.verify_second_factor(user=cast.ngo_a, token=new[1]) is not None
    assert second_factor.verify_second_factor(user=cast.ngo_a, token=old[1]) is None


def test_a_user_without_a_device_enrols_first(cast):
    client = password_step(personas.NGO_B)
    response = client.get(VERIFY)
    assert response["Location"].startswith(ENROL)
    page = client.get(ENROL)
    body = page.content.decode()
    assert "<svg" in body and inline_scripts(body) == []
    secret = re.search(r'<code class="secret" dir="ltr">([A-Z2-7]+)</code>', body).group(1)
    assert "Inbox" not in body  # no navigation, no count, before the second step
    pending = TOTPDevice.objects.get(user=cast.ngo_b, confirmed=False)
    assert secret == second_factor.secret_of(pending)
    assert client.get("/cases/").status_code == 302  # not yet
    done = client.post(ENROL, {"otp_token": code_for(pending)})
    codes = re.findall(r'<li><code dir="ltr">([0-9a-f]+)</code></li>', done.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=cast.ngo_b).confirmed
    assert client.get("/cases/").status_code == 200


def test_a_wrong_enrolment_code_is_refused_and_confirms_nothing(cast):
    client = password_step(personas.NGO_B)
    client.get(ENROL)
    wrong = client.post(ENROL, {"otp_token": "000000"})
    assert "does not match" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=cast.ngo_b, confirmed=True).exists()
    assert client.get("/cases/").status_code == 302


def test_a_user_with_a_device_cannot_enrol_another_before_verifying(device):
    client = password_step(personas.NGO_A)
    assert client.get(ENROL)["Location"] == "/accounts/login/verify/"


def test_an_api_token_is_untouched_by_the_second_factor(api_for, cast):
    assert api_for(personas.NGO_A).get("/api/v1/cases/").status_code == 200


def test_seed_demo_gives_every_demo_user_the_totp_secret(cast, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--totp-secret", DEMO_SECRET.lower())
    for username in personas.ALL:
        device = TOTPDevice.objects.get(user=cast[username], confirmed=True)
        assert second_factor.secret_of(device) == DEMO_SECRET


# Not base32; a digit base32 lacks; valid base32 but only 40 bits.
@pytest.mark.parametrize("secret", ["not base32!", "ABCDEFG1", "ABCDEFGH"])
def test_seed_demo_refuses_a_bad_secret_before_creating_anything(cast, settings, secret):
    settings.DEBUG = True
    with pytest.raises(CommandError):
        call_command("seed_demo", "--totp-secret", secret)
    assert not TOTPDevice.objects.exists()


def test_seed_demo_refuses_to_run_with_debug_off(cast, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo", "--totp-secret", DEMO_SECRET)
    assert not TOTPDevice.objects.exists()


def test_the_synthetic_extract_asks_for_the_second_factor_again_after_10_minutes(
    cast, released_statistics, client_for
):
    device = give_demo_totp(user=cast.commission, secret_base32=DEMO_SECRET)
    client = client_for(personas.COMMISSION)
    assert client.get("/statistics/extract.csv").status_code == 200
    session = client.session
    session[VERIFIED_AT] = int(time.time()) - 10 * 60 - 1
    session.save()
    response = client.get("/statistics/extract.csv")
    assert response["Location"] == "/accounts/login/verify/?next=%2Fstatistics%2Fextract.csv"
    # The rest of the session goes on; only the extract waits for the step-up.
    assert client.get("/statistics/").status_code == 200
    form = client.get(response["Location"])
    assert 'name="otp_token"' in form.content.decode()
    done = client.post(
        "/accounts/login/verify/",
        {"otp_token": code_for(device), "next": "/statistics/extract.csv"},
    )
    assert done["Location"] == "/statistics/extract.csv"
    assert client.get("/statistics/extract.csv").status_code == 200


@pytest.fixture
def released_statistics(db):
    """The extract is a release's: one published (of no case) for it to serve."""
    return publish_release(actor=None, cut_off=datetime.date.today())

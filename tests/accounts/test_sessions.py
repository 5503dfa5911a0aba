"""accounts/sessions.py and the session settings: sessions that end.

Idle 15 minutes (sliding), absolute 12 hours from the login; logout ends the user's sessions in
every browser, a password change the others, a deactivation all of them.
"""

import subprocess
import sys
import time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from accounts.services import deactivate_user
from accounts.sessions import LOGIN_AT
from tests import personas
from tests.logins import verified_login


def logged_in(cast, username=personas.NGO_A) -> Client:
    client = verified_login(Client(), cast[username])
    assert client.get("/cases/").status_code == 200
    return client


def logged_in_since(cast, seconds: int) -> Client:
    """A session whose login happened ``seconds`` ago."""
    client = logged_in(cast)
    session = client.session
    session[LOGIN_AT] = int(time.time()) - seconds
    session.save()
    return client


def test_the_idle_timeout_is_15_minutes_and_slides_with_every_request(cast):
    assert settings.SESSION_COOKIE_AGE == 15 * 60
    client = logged_in(cast)
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    time.sleep(1.1)
    client.get("/cases/")
    later = Session.objects.get(session_key=key).expire_date
    assert later > first
    assert abs((later - timezone.now()).total_seconds() - 15 * 60) < 5


def test_an_idle_session_expires(cast):
    client = logged_in(cast)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timezone.timedelta(seconds=1)
    )
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/cases/").status_code in (401, 403)


def test_the_absolute_limit_ends_an_active_session_after_12_hours(cast):
    client = logged_in_since(cast, 12 * 3600 + 1)
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert client.get("/cases/").status_code == 302


def test_the_absolute_limit_answers_401_on_the_api(cast):
    client = logged_in_since(cast, 12 * 3600 + 1)
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401


def test_a_session_younger_than_the_limit_goes_on(cast):
    client = logged_in_since(cast, 11 * 3600)
    assert client.get("/cases/").status_code == 200


def test_logout_ends_the_users_sessions_in_every_browser(cast):
    office, phone = logged_in(cast), logged_in(cast)
    other_user = logged_in(cast, personas.NGO_B)
    office.post("/accounts/logout/")
    assert office.get("/cases/").status_code == 302
    assert phone.get("/cases/").status_code == 302
    assert other_user.get("/cases/").status_code == 200


def test_a_password_change_ends_the_other_sessions(cast):
    here, elsewhere = logged_in(cast), logged_in(cast)
    response = here.post(
        "/accounts/password/",
        {
            "old_password": personas.PASSWORD,
            "new_password1": personas.NEW_PASSWORD,
            "new_password2": personas.NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert here.get("/cases/").status_code == 200
    assert elsewhere.get("/cases/").status_code == 302


def test_a_deactivation_ends_every_session(cast):
    client = logged_in(cast, personas.NGO_B)
    deactivate_user(cast.ngo_b, actor=cast.admin)
    assert client.get("/cases/").status_code == 302


def test_secure_cookies_take_the_host_prefix():
    """Production (NRM_SECURE_COOKIES on) names the cookies __Host-…, which browsers accept
    only over HTTPS from this host; the test settings turn Secure off, so they are plain."""
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE)"
    )
    env = {
        "NRM_SECURE_COOKIES": "1",
        "DJANGO_DEBUG": "1",
        "PATH": "/usr/bin:/bin",
        "NRM_VAR_DIR": str(settings.VAR_DIR),
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.split() == ["__Host-sessionid", "__Host-csrftoken", "True"]

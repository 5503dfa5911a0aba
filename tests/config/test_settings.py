"""config/settings.py: the security headers on pages and the API, HSTS and the HTTPS redirect,
and ``check --deploy`` under production settings (a subprocess with DEBUG off and keys from the
environment, as tests/config/test_env.py starts one)."""

import base64
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from core import signing
from tests import personas

ROOT = Path(__file__).resolve().parents[2]

CSP = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def parse_csp(header: str) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return dict(directives)


@pytest.mark.parametrize(
    ("username", "url", "status"),
    [
        (None, "/accounts/login/", 200),
        (personas.NGO_A, "/cases/", 200),
        (personas.NGO_A, "/no/such/page/", 404),
        (personas.ADMIN, "/admin/accounts/user/", 200),
        ("api", "/api/v1/me/", 200),
        ("api", "/api/v1/cases/?stage=nonsense", 400),
    ],
)
def test_pages_and_api_carry_the_security_headers(client_for, api_for, username, url, status):
    if username == "api":
        client = api_for(personas.NGO_A)
    else:
        client = client_for(username) if username else Client()
    response = client.get(url)
    assert response.status_code == status
    assert parse_csp(response["Content-Security-Policy"]) == CSP
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert {
        name: response[name]
        for name in (
            "X-Content-Type-Options",
            "Referrer-Policy",
            "Cross-Origin-Opener-Policy",
            "X-Frame-Options",
        )
    } == {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    assert response["Permissions-Policy"].startswith("accelerometer=(), camera=()")
    assert response["Cache-Control"].startswith("no-store")


def test_hsts_is_sent_over_https(settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = Client().get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_plain_http_is_redirected_to_https_but_not_the_health_check(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    response = client.get("/accounts/login/")
    assert (response.status_code, response["Location"]) == (
        301,
        "https://testserver/accounts/login/",
    )
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/", secure=True).status_code == 200


def test_behind_the_proxy_its_forwarded_proto_counts_as_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = Client().get("/accounts/login/", headers={"x-forwarded-proto": "https"})
    assert response.status_code == 200


# --- Production settings, in a subprocess ----------------------------------------------------


def production_environ(tmp_path: Path, **overrides: str) -> dict[str, str]:
    environ = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "NRM_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": "k1:" + base64.b64encode(os.urandom(32)).decode(),
        "BLIND_INDEX_KEY": base64.b64encode(os.urandom(32)).decode(),
        "NRM_AUDIT_SIGNING_KEY": signing.generate_private_key(),
        # Never connected to: the checks below need no database.
        "DATABASE_URL": "postgres://nrm_app:secret@db.invalid:5432/nrm",
        "DATABASE_OWNER_URL": "postgres://nrm:owner-secret@db.invalid:5432/nrm",
        "ALLOWED_HOSTS": "nrm.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://nrm.example.org",
        "NRM_BEHIND_TLS_PROXY": "1",
    }
    environ.update(overrides)
    return {name: value for name, value in environ.items() if value is not None}


def run_python(code: str, environ: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def check_deploy(environ: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_under_production_settings(tmp_path):
    result = check_deploy(production_environ(tmp_path))
    assert (result.returncode, result.stdout.strip()) == (
        0,
        "System check identified no issues (1 silenced).",
    ), result.stderr


@pytest.mark.parametrize(
    ("overrides", "warning"),
    [
        ({"NRM_HSTS_SECONDS": "0"}, "security.W004"),
        ({"DJANGO_DEBUG": "1"}, "security.W018"),
        # The application would serve as the owner of the audit tables.
        ({"DATABASE_OWNER_URL": None}, "database.W001"),
        ({"DATABASE_OWNER_URL": "postgres://nrm_app:x@db.invalid/nrm"}, "database.W001"),
    ],
)
def test_check_deploy_fails_when_production_settings_are_weakened(tmp_path, overrides, warning):
    result = check_deploy(production_environ(tmp_path, **overrides))
    assert result.returncode != 0
    assert warning in result.stderr


def test_production_defaults_turn_on_hsts_and_the_redirect(tmp_path):
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SILENCED_SYSTEM_CHECKS]))"
    )
    result = run_python(code, production_environ(tmp_path))
    assert json.loads(result.stdout) == [True, 31536000, True, False, ["security.W021"]]
    switched = run_python(
        code, production_environ(tmp_path, NRM_SSL_REDIRECT="0", NRM_HSTS_PRELOAD="1")
    )
    assert json.loads(switched.stdout) == [False, 31536000, True, True, ["security.W008"]]


# --- Secrets from files ----------------------------------------------------------------------

SECRETS = [
    "DJANGO_SECRET_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "BLIND_INDEX_KEY",
    "DATABASE_URL",
    "DATABASE_OWNER_URL",
    "EMAIL_HOST_PASSWORD",
]


def test_every_secret_is_read_from_its_file(tmp_path):
    environ = production_environ(tmp_path, EMAIL_HOST_PASSWORD="smtp-secret")
    for name in SECRETS:
        path = tmp_path / name.lower()
        path.write_text(f"  {environ.pop(name)}\n")
        environ[f"{name}_FILE"] = str(path)
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SECRET_KEY, s.FIELD_ENCRYPTION_KEYS, s.BLIND_INDEX_KEY.hex(), "
        "s.DATABASES['default']['PASSWORD'], s.EMAIL_HOST_PASSWORD, "
        "s.NRM_DATABASE_OWNER['PASSWORD']]))"
    )
    result = run_python(code, environ)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    files = {name: (tmp_path / name.lower()).read_text().strip() for name in SECRETS}
    assert [values[0], values[1], values[3], values[4]] == [
        files["DJANGO_SECRET_KEY"],
        files["FIELD_ENCRYPTION_KEYS"],
        "secret",
        "smtp-secret",
    ]
    assert values[5] == "owner-secret"
    assert values[2] == base64.b64decode(files["BLIND_INDEX_KEY"]).hex()


@pytest.mark.parametrize("name", SECRETS)
def test_a_secret_set_both_ways_stops_start_up(tmp_path, name):
    path = tmp_path / "secret"
    path.write_text("from-a-file\n")
    environ = production_environ(tmp_path, EMAIL_HOST_PASSWORD="smtp-secret")
    environ[f"{name}_FILE"] = str(path)
    result = run_python("import django; django.setup()", environ)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: Set {name} or {name}_FILE, not both." in result.stderr


# --- The two database roles ------------------------------------------------------------------


def test_the_owner_and_the_serving_role_are_read_apart(tmp_path):
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DATABASES['default']['USER'], s.NRM_DATABASE_APP_ROLE, "
        "s.NRM_DATABASE_OWNER['USER'], sorted(s.DATABASES)]))"
    )
    result = run_python(code, production_environ(tmp_path))
    assert json.loads(result.stdout) == ["nrm_app", "nrm_app", "nrm", ["default"]]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"DATABASE_OWNER_URL": "postgres://nrm:x@db.invalid/other"},
            "DATABASE_OWNER_URL and DATABASE_URL must name the same database.",
        ),
        (
            {"DATABASE_OWNER_URL": "mysql://nrm:x@db.invalid/nrm"},
            "DATABASE_OWNER_URL must start with postgres://",
        ),
        (
            {"DATABASE_URL": None},
            "DATABASE_OWNER_URL is set without DATABASE_URL",
        ),
        (
            {"DATABASE_URL": "postgres://db.invalid/nrm"},
            "DATABASE_URL must name its user when DATABASE_OWNER_URL is set",
        ),
    ],
)
def test_inconsistent_database_urls_stop_start_up(tmp_path, overrides, message):
    result = run_python("import django; django.setup()", production_environ(tmp_path, **overrides))
    assert result.returncode != 0
    assert message in result.stderr

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_ok_with_the_database_up(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


def without_a_database(tmp_path, script: str) -> dict:
    """Run ``script`` (which prints one JSON line) in a process of its own whose database is
    a real server that is not there: a refused TCP port."""
    environ = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://nrm@127.0.0.1:1/nrm?connect_timeout=2",
        "ALLOWED_HOSTS": "testserver",
        "FIELD_ENCRYPTION_KEYS": os.environ["FIELD_ENCRYPTION_KEYS"],
        "BLIND_INDEX_KEY": os.environ["BLIND_INDEX_KEY"],
        "NRM_AUDIT_SIGNING_KEY": os.environ["NRM_AUDIT_SIGNING_KEY"],
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django, json; django.setup();" + script],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    answer = without_a_database(
        tmp_path,
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))",
    )
    assert answer == {"status": 503, "body": {"status": "error", "database": "unreachable"}}


def test_pages_and_the_api_answer_503_while_the_database_is_unreachable(tmp_path):
    # The project's page and the API's JSON, saying to try again (config.views.server_error);
    # a session cookie makes the page reach the database before any view runs.
    answer = without_a_database(
        tmp_path,
        "from django.test import Client;"
        "c = Client(raise_request_exception=False);"
        "from django.conf import settings;"
        "c.cookies[settings.SESSION_COOKIE_NAME] = 'x' * 32;"
        "page = c.get('/cases/', secure=True);"
        "api = c.get('/api/v1/cases/', secure=True, HTTP_AUTHORIZATION='Token x');"
        "print(json.dumps({'page': [page.status_code, page['Retry-After'],"
        " page.content.decode()], 'api': [api.status_code, api.json()]}))",
    )
    status, retry, page = answer["page"]
    assert (status, retry) == (503, "30")
    assert "The service is unavailable for a moment" in page
    assert answer["api"] == [
        503,
        {
            "detail": "The service is unavailable for a moment: the database cannot be "
            "reached. Nothing was saved. Try again in a minute."
        },
    ]


def test_healthz_only_answers_get(client, db):
    assert client.post("/healthz").status_code == 405

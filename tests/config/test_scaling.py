"""config/settings.py for more than one machine (README "Scaling past one machine").

The replica alias read from ``DATABASE_REPLICA_URL`` (or its file), and an application that keeps
nothing in one process that another would need: sessions, lockouts and throttles in PostgreSQL,
and no in-process cache. Any number of gunicorn processes, on any number of machines, then serve
the same users.
"""

import json
import re

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from guardian.conf import settings as guardian_settings
from rest_framework.throttling import SimpleRateThrottle

from tests.config.test_settings import production_environ, run_python

REPLICA_URL = "postgres://nrm_app:replica-secret@replica.invalid:5433/nrm?sslmode=require"
READ_REPLICA = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps(s.DATABASES.get('replica')))"
)
# Where a cache would live in the process that wrote it: a second process never sees it.
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
USES_THE_CACHE = re.compile(r"django\.core\.cache|cache_page|caches\[")


# --- The replica -------------------------------------------------------------------------------


def test_the_replica_is_read_from_its_file_like_the_primary(tmp_path):
    secret = tmp_path / "replica_url"
    secret.write_text(REPLICA_URL + "\n")
    environ = production_environ(
        tmp_path, DATABASE_REPLICA_URL_FILE=str(secret), NRM_DB_CONN_MAX_AGE="30"
    )
    result = run_python(READ_REPLICA, environ)
    assert result.returncode == 0, result.stderr
    replica = json.loads(result.stdout)
    # The test runner points the alias at the test database instead of creating a second one.
    assert replica.pop("TEST")["MIRROR"] == "default"
    del replica["AUTOCOMMIT"], replica["TIME_ZONE"]  # Django's defaults, filled in
    assert replica == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "nrm",
        "USER": "nrm_app",
        "PASSWORD": "replica-secret",
        "HOST": "replica.invalid",
        "PORT": "5433",
        # Read-only at the server too, should the URL ever reach a primary.
        "OPTIONS": {"sslmode": "require", "options": "-c default_transaction_read_only=on"},
        "CONN_MAX_AGE": 30,
        "CONN_HEALTH_CHECKS": True,
        "ATOMIC_REQUESTS": False,
    }


def test_without_a_replica_there_is_no_alias(tmp_path):
    result = run_python(READ_REPLICA, production_environ(tmp_path))
    assert (result.returncode, result.stdout.strip()) == (0, "null"), result.stderr


def test_a_replica_of_another_database_stops_start_up(tmp_path):
    environ = production_environ(tmp_path, DATABASE_REPLICA_URL="postgres://r.invalid/other")
    result = run_python("import django; django.setup()", environ)
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL and DATABASE_URL must name the same database" in result.stderr


# --- Nothing kept in one process ---------------------------------------------------------------


def test_sessions_and_lockouts_are_kept_in_the_database():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert isinstance(AxesProxyHandler.get_implementation(), AxesDatabaseHandler)
    # django-guardian keeps its anonymous user in the cache only when given a lifetime for it.
    assert guardian_settings.ANONYMOUS_USER_CACHE_TTL == 0


def api_views(patterns=None) -> list:
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            found.extend(api_views(pattern.url_patterns))
        elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
            found.append(pattern.callback.cls)
    return found


def test_no_api_throttle_counts_in_the_cache():
    # DRF's rate throttles count in the cache (per process with the default one); the API's
    # count in PostgreSQL (limits.throttle), as the pages do.
    views = api_views()
    assert views
    assert "DEFAULT_THROTTLE_CLASSES" not in settings.REST_FRAMEWORK
    cached = [
        (view.__name__, throttle.__name__)
        for view in views
        for throttle in getattr(view, "throttle_classes", ())
        if issubclass(throttle, SimpleRateThrottle)
    ]
    assert cached == []


def first_party_modules() -> list:
    packages = [
        path
        for path in settings.BASE_DIR.iterdir()
        if (path / "__init__.py").exists() and path.name != "tests"
    ]
    return [module for package in packages for module in sorted(package.rglob("*.py"))]


def test_the_cache_is_unused_or_shared_between_processes():
    # CACHES is left at Django's default, a cache in each process's memory: harmless while no
    # code uses it. Code that starts to must configure a shared one (a database cache or Redis).
    users = [
        str(module.relative_to(settings.BASE_DIR))
        for module in first_party_modules()
        if USES_THE_CACHE.search(module.read_text(encoding="utf-8"))
    ]
    backend = settings.CACHES["default"]["BACKEND"]
    assert not users or backend not in PROCESS_LOCAL_CACHES, (users, backend)

"""Browser tests: Debian's chromium driven by Playwright (never a browser download).

``.ci/run`` installs chromium. Without it, or when it cannot start, the browser tests fail
saying so: CI must run them, so a missing browser is an error, not a skip.

One live server per worker serves the site of tests/browser/site.py for every module that asks
for ``site``; its rows are committed, and the database is emptied after the package, as
pytest-django does after a transactional test (modules that use it say
``EMPTIES_THE_DATABASE = True``, which tests/conftest.py runs last).
"""

import os
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client

from accounts.roles import Role
from accounts.services import create_user
from tests import personas
from tests.browser.site import PAGES, Site, fill_the_pages, password_only_session
from tests.logins import verified_login

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests
# themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
LANGUAGES = ["en", "fr", "ar"]


@pytest.fixture(scope="session")
def browser():
    yield from launched_chromium()


def launched_chromium():
    """Debian's chromium under Playwright, closed afterwards; a failure, saying why, when it is
    missing or does not start."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"The browser tests need Debian's chromium at {CHROMIUM}: apt-get install chromium "
            "(.ci/run does it). They are part of make test and are never skipped.",
            pytrace=False,
        )
    from playwright.sync_api import Error, sync_playwright  # noqa: PLC0415 (after the check)

    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
        except Error as error:
            pytest.fail(f"Chromium ({CHROMIUM}) did not start: {error}", pytrace=False)
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def site(django_db_setup, django_db_blocker):
    from pytest_django.live_server_helper import LiveServer  # noqa: PLC0415 (as pytest-django's)

    with django_db_blocker.unblock():
        # The rows are committed and the package flushes the database at the end: never the
        # development database (pytest-django sets the test one up only when a test asks).
        assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict
        cast = personas.ensure_cast()
        server = LiveServer("localhost:0")
        try:
            site = Site(url=server.url, ids=fill_the_pages(cast))
            for persona in {page.persona for page in PAGES} - {None}:
                client = verified_login(Client(), cast[persona])
                site.sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
            for number, language in enumerate(LANGUAGES, start=1):
                site.second_step[language] = password_only_session(cast.ngo_a)
                user = create_user(
                    username=f"browser_newcomer_{number}",
                    role=Role.CASEWORKER,
                    organisation=cast.ngo_a.organisation,
                )
                site.newcomers[language] = (user, password_only_session(user))
            yield site
        finally:
            server.stop()
            # What pytest-django does after a transactional test (TransactionTestCase).
            call_command("flush", verbosity=0, interactive=False)


@pytest.fixture
def open_page(site, browser):
    """``open_page(language, session_key=None, viewport=None)``: a new browser context with
    the language's cookie (and the session's), and a page in it."""
    contexts = []

    def open_one(language: str, session_key: str | None = None, viewport: dict | None = None):
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
        contexts.append(context)
        # LocaleMiddleware reads the language cookie first (no language prefix in the URLs).
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": site.url}]
        if session_key:
            cookies.append(
                {"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": site.url}
            )
        context.add_cookies(cookies)
        return context.new_page()

    yield open_one
    for context in contexts:
        context.close()

import pytest
from django.db import connection
from django.test import Client

from api.tokens import issue_token
from tests import personas
from tests.logins import verified_login


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """A module that commits rows for a server of its own and empties the database after it
    (``EMPTIES_THE_DATABASE = True``) runs last, after pytest-django's order (regular, then
    transactional, then database-free tests): no test after it expects the session's cast.
    The sort is stable and the same in every pytest-xdist worker."""
    items.sort(key=lambda item: getattr(item.module, "EMPTIES_THE_DATABASE", False))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The cast is created once per session; each test's transaction rolls back around it.
    with django_db_blocker.unblock():
        allow_audit_truncation()
        personas.ensure_cast()


def allow_audit_truncation():
    """Let this test database's audit tables be emptied by TRUNCATE, as pytest-django does
    between transactional tests (migration audit 0003; production never holds the row)."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO audit_truncate_allowed DEFAULT VALUES ON CONFLICT DO NOTHING")


@pytest.fixture
def cast(db):
    return personas.ensure_cast()


@pytest.fixture
def live_cast(transactional_db):
    """The cast in a transactional test (committed rows, for threads with their own connection)."""
    return personas.ensure_cast()


@pytest.fixture
def client_for(cast):
    """A test client of a persona logged in with both factors (tests.logins)."""

    def make(username: str) -> Client:
        return verified_login(Client(), cast[username])

    return make


@pytest.fixture
def token_for(cast):
    """Issue a token for a persona and return its key."""

    def make(username: str, **kwargs) -> str:
        return issue_token(user=cast[username], **kwargs)[1]

    return make


@pytest.fixture
def api_for(token_for):
    """A test client that sends a fresh token of the persona with every request."""

    def make(username: str) -> Client:
        return Client(headers={"Authorization": f"Token {token_for(username)}"})

    return make

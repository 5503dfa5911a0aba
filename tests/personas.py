"""The fixed cast every test uses: the demo cast of API.md, one persona per role."""

import secrets
from dataclasses import dataclass

from accounts.models import User
from demo.cast import ensure_demo_cast
from reference.loading import load_reference_data
from reference.models import Region

# One random password per test run, shared by every persona; and another, for the tests that
# set a new one. Nothing a test logs in with is written in the code.
PASSWORD = secrets.token_urlsafe(16)
NEW_PASSWORD = secrets.token_urlsafe(16)

POLICE = "police"
HEALTH = "health"
NGO_A = "ngo_a"
NGO_A_SUPERVISOR = "ngo_a_supervisor"
NGO_B = "ngo_b"
AUTHORITY = "authority"
COMMISSION = "commission"
COORDINATOR = "coordinator"
ADMIN = "admin"

ALL = [POLICE, HEALTH, NGO_A, NGO_A_SUPERVISOR, NGO_B, AUTHORITY, COMMISSION, COORDINATOR, ADMIN]
# The personas of frontline organisations (they register, refer and are referred to).
FRONTLINE = [POLICE, HEALTH, NGO_A, NGO_A_SUPERVISOR, NGO_B]


@dataclass
class Cast:
    users: dict

    def __getitem__(self, username):
        return self.users[username]

    def __getattr__(self, username):
        try:
            return self.users[username]
        except KeyError:
            raise AttributeError(username) from None


def ensure_cast() -> Cast:

    # Transactional tests truncate every table, the data migration's rows included.
    if not Region.objects.exists():
        load_reference_data()
    ensure_demo_cast(password=PASSWORD)
    users = {
        u.username: u for u in User.objects.select_related("organisation").filter(username__in=ALL)
    }
    return Cast(users)

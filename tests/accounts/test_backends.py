"""accounts.backends.RoleBackend: an account waiting for approval is refused as an inactive one."""

import pytest
from django.utils import timezone

from accounts.backends import RoleBackend
from accounts.models import User

NOW = timezone.now()


@pytest.mark.parametrize(
    ("active", "approved_at", "allowed"),
    [(True, NOW, True), (True, None, False), (False, NOW, False), (False, None, False)],
)
def test_only_an_active_approved_account_authenticates(active, approved_at, allowed):
    user = User(username="someone", role="caseworker", is_active=active, approved_at=approved_at)
    assert RoleBackend().user_can_authenticate(user) is allowed

"""Sessions that end: everywhere at logout, and after 12 hours whatever the activity.

The idle timeout (15 minutes, sliding) is Django's own: ``SESSION_COOKIE_AGE`` with
``SESSION_SAVE_EVERY_REQUEST``. A password change or reset ends the user's other sessions
(the session hash covers the password), a deactivation ends them all (the backend refuses an
inactive user).
"""

import time

from django.db.models import F

from accounts.models import User

# When the session's login happened (seconds since the epoch), for the absolute limit.
LOGIN_AT = "nrm_login_at"
# When the session last passed the second factor, for the step-up of the riskiest actions.
VERIFIED_AT = "nrm_verified_at"
STEP_UP_SECONDS = 10 * 60


def note_second_factor(request) -> None:
    request.session[VERIFIED_AT] = int(time.time())


def recently_verified(request) -> bool:
    """Whether the session passed the second factor within the last 10 minutes."""
    verified_at = request.session.get(VERIFIED_AT)
    return bool(verified_at) and time.time() - verified_at <= STEP_UP_SECONDS


def end_all_sessions(user) -> None:
    """End every session of ``user``, in every browser (the session generation goes up, so no
    stored session's hash matches any more)."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)

"""Sessions that end: everywhere at logout, and after 12 hours whatever the activity.

The idle timeout (15 minutes, sliding) is Django's own: ``SESSION_COOKIE_AGE`` with
``SESSION_SAVE_EVERY_REQUEST``. A password change or reset ends the user's other sessions
(the session hash covers the password), a deactivation ends them all (the backend refuses an
inactive user).
"""

from django.db.models import F

from accounts.models import User

# When the session's login happened (seconds since the epoch), for the absolute limit.
LOGIN_AT = "nrm_login_at"


def end_all_sessions(user) -> None:
    """End every session of ``user``, in every browser (the session generation goes up, so no
    stored session's hash matches any more)."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)

"""The navigation each role sees: data, so the base layout has no role logic of its own."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

_OPERATIONAL = [
    ("home", _("Home")),
    ("cases:list", _("Cases")),
    ("referral:inbox", _("Inbox")),
]

NAVIGATION = {
    Role.POLICE_OFFICER: [
        ("home", _("Home")),
        ("cases:register", _("Register a case")),
        ("cases:list", _("My cases")),
        ("referral:inbox", _("Referrals")),
    ],
    Role.HEALTH_WORKER: _OPERATIONAL,
    Role.CASEWORKER: [*_OPERATIONAL, ("cases:register", _("Register a case"))],
    Role.SUPERVISOR: [*_OPERATIONAL, ("cases:register", _("Register a case"))],
    Role.STATUS_AUTHORITY: [
        ("home", _("Home")),
        ("referral:inbox", _("Decisions to take")),
        ("cases:list", _("Cases")),
    ],
    Role.COMMISSION_MEMBER: [("home", _("Home")), ("stats:dashboard", _("Statistics"))],
    Role.ADMINISTRATOR: [("admin:index", _("Administration"))],
}


def _pending_referrals(user) -> int:
    from referral.selectors import pending_incoming_count

    return pending_incoming_count(user)


# Counts shown beside a link (one query each, for operational roles only).
BADGES = {"referral:inbox": _pending_referrals}


def navigation_for(user) -> list[dict]:
    """Links for the user's role; a route not installed (yet) is left out rather than broken."""
    from cases.rules import can_access_cases

    counted = can_access_cases(user)
    items = []
    for url_name, label in NAVIGATION.get(getattr(user, "role", None), []):
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        badge = BADGES[url_name](user) if counted and url_name in BADGES else None
        items.append({"url": url, "label": label, "name": url_name, "badge": badge})
    return items

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


def navigation_for(user) -> list[dict]:
    """Links for the user's role; a route not installed (yet) is left out rather than broken."""
    items = []
    for url_name, label in NAVIGATION.get(getattr(user, "role", None), []):
        try:
            items.append({"url": reverse(url_name), "label": label, "name": url_name})
        except NoReverseMatch:
            continue
    return items

"""The navigation each role sees: data, so the base layout has no role logic of its own.

It lives in ``config`` (the composition root, above every app) because it links the apps'
pages and counts an app's rows; the context processor at the end puts it in every template.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from breakglass.rules import can_review_break_glass
from breakglass.selectors import awaiting_review as break_glass_awaiting_review
from cases.rules import can_access_cases
from core.counts import count_each
from duplicates.rules import can_review_duplicates
from duplicates.selectors import awaiting_review as duplicates_awaiting_review
from notices.services import unread_notices
from referral.selectors import awaiting_answer
from tasks.selectors import overdue_for_organisation

_NOTIFICATIONS = ("notices:list", _("Notifications"))
_TASKS = ("tasks:list", _("Tasks"))
_OPERATIONAL = [
    ("home", _("Home")),
    ("cases:list", _("Cases")),
    ("referral:inbox", _("Inbox")),
    _TASKS,
    _NOTIFICATIONS,
]

NAVIGATION = {
    Role.POLICE_OFFICER: [
        ("home", _("Home")),
        ("cases:register", _("Register a case")),
        ("cases:list", _("My cases")),
        ("referral:inbox", _("Referrals")),
        _TASKS,
        _NOTIFICATIONS,
    ],
    Role.HEALTH_WORKER: _OPERATIONAL,
    Role.CASEWORKER: [*_OPERATIONAL, ("cases:register", _("Register a case"))],
    Role.SUPERVISOR: [
        *_OPERATIONAL,
        ("cases:register", _("Register a case")),
        ("accounts:approvals", _("Account approvals")),
        ("accounts:activity", _("Account activity")),
        ("breakglass:open", _("Break-glass access")),
    ],
    Role.STATUS_AUTHORITY: [
        ("home", _("Home")),
        ("referral:inbox", _("Decisions to take")),
        ("cases:list", _("Cases")),
        _TASKS,
        _NOTIFICATIONS,
    ],
    Role.COMMISSION_MEMBER: [
        ("home", _("Home")),
        ("stats:dashboard", _("Statistics")),
        ("stats:releases", _("Releases")),
    ],
    Role.COORDINATOR: [
        ("home", _("Home")),
        ("duplicates:list", _("Possible duplicates")),
        ("breakglass:review_list", _("Break-glass uses")),
        ("stats:releases", _("Statistics releases")),
    ],
    Role.ADMINISTRATOR: [("admin:index", _("Administration"))],
}


# Counts shown beside a link: the rule the user must pass to be counted, and the rows counted
# (all of a page's counts in one statement, core.counts).
BADGES = {
    "referral:inbox": (can_access_cases, awaiting_answer),
    "notices:list": (can_access_cases, unread_notices),
    # The overdue follow-ups given to the user's organisation.
    "tasks:list": (can_access_cases, overdue_for_organisation),
    "duplicates:list": (can_review_duplicates, duplicates_awaiting_review),
    "breakglass:review_list": (can_review_break_glass, break_glass_awaiting_review),
}


def navigation_for(user) -> list[dict]:
    """Links for the user's role, with their counts (None where the user is not counted)."""
    links = NAVIGATION.get(getattr(user, "role", None), [])
    counted = {}
    for url_name, _label in links:
        rule, rows = BADGES.get(url_name, (None, None))
        if rule and rule(user):
            counted[url_name] = rows(user)
    counts = count_each(counted)
    return [
        {"url": reverse(url_name), "label": label, "name": url_name, "badge": counts.get(url_name)}
        for url_name, label in links
    ]


def navigation(request):
    """Context processor: the navigation of the logged-in user (none before login)."""
    user = getattr(request, "user", None)
    # Nothing before both steps of the login: not even a count of waiting referrals.
    verified = getattr(user, "is_verified", None)
    if user is None or not user.is_authenticated or not (verified and verified()):
        return {"navigation": [], "navigation_waiting": 0}
    items = navigation_for(user)
    # The sum of the counts, for the phone's folded menu (the counts themselves are inside it).
    return {"navigation": items, "navigation_waiting": sum(item["badge"] or 0 for item in items)}

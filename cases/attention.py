"""What needs attention, for the home pages: by role, a few cards, each a count and its first
rows, linking to the full list.

Every card starts from what the user's organisation sees (``Case.objects.visible_to``, its own
incoming referrals). Rows carry references, never a person's identity, whoever looks: a home
page is the screen most often open on a shared desk or a phone in a corridor. A page reads in
a constant number of queries: one aggregate for the case counts, one for the referral counts,
one for the follow-ups' counts, one per card for its rows.

Follow-ups (tasks) due today or overdue are those given to the user's organisation, the
user's own first, the overdue flagged (``tasks.selectors.due_for_attention``).
"""

import datetime
import functools
import operator
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from cases.models import Case, Stage
from cases.rules import can_access_cases
from cases.selectors import reflection_flag_q, reflection_period_flag
from referral import selectors as referral_selectors
from tasks import selectors as task_selectors

ROWS_SHOWN = 5

REFERRALS = "referrals"
REFLECTION = "reflection"
CONSENT = "consent"
MY_CASES = "my_cases"
TASKS = "tasks"
HIGH_RISK = "high_risk"

# The cards of each role, in the order shown. A status authority never leads a case nor is
# assigned one (the lead assigns its own members): only the decisions waiting for it.
_FRONTLINE = (HIGH_RISK, REFERRALS, TASKS, REFLECTION, CONSENT, MY_CASES)
CARDS_BY_ROLE = {
    Role.POLICE_OFFICER: _FRONTLINE,
    Role.HEALTH_WORKER: _FRONTLINE,
    Role.CASEWORKER: _FRONTLINE,
    Role.SUPERVISOR: _FRONTLINE,
    Role.STATUS_AUTHORITY: (REFERRALS, TASKS),
}

# What each card says: its title, what it says when nothing needs attention, its full list.
CARD_TEXTS = {
    HIGH_RISK: (
        _("Cases at high risk"),
        _("No open case your organisation works on is assessed at high risk."),
        _("All of them"),
    ),
    TASKS: (
        _("Follow-ups due"),
        _("No follow-up of your organisation is due today."),
        _("All follow-ups due this week"),
    ),
    REFERRALS: (
        _("Referrals waiting for your answer"),
        _("No referral is waiting for your organisation's answer."),
        _("All waiting referrals"),
    ),
    REFLECTION: (
        _("Reflection periods ending"),
        _("No reflection and recovery period of your cases ends soon."),
        _("All the cases your organisation leads"),
    ),
    CONSENT: (
        _("Cases without referral consent"),
        _("Every open case your organisation leads has the person's referral consent."),
        _("All of them"),
    ),
    MY_CASES: (
        _("My cases"),
        _("No open case is assigned to you."),
        _("All my cases"),
    ),
}


def _list_url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


# The full list behind each card (the case list's filters take "on", as its checkboxes send).
CARD_LINKS = {
    HIGH_RISK: lambda: _list_url("cases:list", risk_level="high"),
    TASKS: lambda: _list_url("tasks:list", due="week"),
    REFERRALS: lambda: _list_url("referral:inbox", direction="incoming", state="pending"),
    # The case list has no filter by reflection period yet: the cases the organisation leads.
    REFLECTION: lambda: _list_url("cases:list", led_by_me="on"),
    CONSENT: lambda: _list_url("cases:list", consent_missing="on", led_by_me="on"),
    MY_CASES: lambda: _list_url("cases:list", assigned_to_me="on"),
}


@dataclass
class Card:
    name: str
    count: int
    rows: list
    url: str
    title: str
    empty: str
    link_label: str
    # Of the referrals and follow-ups cards: how many of those shown are overdue.
    overdue: int = 0


@dataclass
class Attention:
    cards: list[Card] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        """Whether every card is empty (the page then says so once)."""
        return all(card.count == 0 for card in self.cards)


def _case_conditions(user, today: datetime.date) -> dict[str, Q]:
    open_case = ~Q(stage=Stage.CLOSED)
    led = Q(lead_organisation_id=user.organisation_id)
    return {
        # Every organisation on the case is told (plans/: its latest risk assessment).
        HIGH_RISK: open_case & Q(risk_level="high"),
        REFLECTION: led & reflection_flag_q(today=today),
        CONSENT: led & open_case & Q(referral_consent=False),
        MY_CASES: open_case & Q(assigned_to_id=user.pk),
    }


# Each case card's rows: the most pressing first.
_CASE_ORDER = {
    HIGH_RISK: ("-updated_at", "-reference"),
    REFLECTION: ("reflection_period_ends_on", "reference"),
    CONSENT: ("created_at", "reference"),
    MY_CASES: ("-created_at", "-reference"),
}


def _case_counts(visible, conditions: dict[str, Q]) -> dict[str, int]:
    """Each card's count, in one aggregate over the cases that meet a card's condition (a
    bitmap of the cards' indexes, ``Case.Meta.indexes``). Over every case the organisation
    sees, it read them all (``make bench``, NGO A: 35,000 cases, 36 -> 23 ms)."""
    meets_one = functools.reduce(operator.or_, conditions.values())
    return visible.filter(meets_one).aggregate(
        **{name: Count("pk", filter=q) for name, q in conditions.items()}
    )


def needs_attention(user, *, now: datetime.datetime | None = None) -> Attention:
    """The cards of the user's role, each with its count and first ``ROWS_SHOWN`` rows."""
    names = CARDS_BY_ROLE.get(getattr(user, "role", None), ()) if can_access_cases(user) else ()
    if not names:
        return Attention()
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts, rows, overdue = {}, {}, {}
    if TASKS in names:
        due = task_selectors.due_for_attention(user, now=now, rows=ROWS_SHOWN)
        counts[TASKS], overdue[TASKS], rows[TASKS] = due.count, due.overdue, due.rows
    if REFERRALS in names:
        referral_counts = referral_selectors.pending_incoming_counts(user, now=now)
        counts[REFERRALS] = referral_counts["pending"]
        overdue[REFERRALS] = referral_counts["overdue"]
        rows[REFERRALS] = list(
            referral_selectors.pending_incoming(user, now=now).prefetch_related(None)[:ROWS_SHOWN]
        )
    conditions = {name: q for name, q in _case_conditions(user, today).items() if name in names}
    if conditions:
        visible = Case.objects.visible_to(user)
        counts.update(_case_counts(visible, conditions))
        for name, q in conditions.items():
            rows[name] = list(
                visible.filter(q)
                .only("pk", "reference", "stage", "reflection_period_ends_on", "created_at")
                .order_by(*_CASE_ORDER[name])[:ROWS_SHOWN]
            )
    for case in rows.get(REFLECTION, []):
        case.reflection_flag = reflection_period_flag(case, today=today)
    cards = []
    for name in names:
        title, empty, link_label = CARD_TEXTS[name]
        cards.append(
            Card(
                name=name,
                count=counts[name],
                rows=rows[name],
                url=CARD_LINKS[name](),
                title=title,
                empty=empty,
                link_label=link_label,
                overdue=overdue.get(name, 0),
            )
        )
    return Attention(cards=cards)

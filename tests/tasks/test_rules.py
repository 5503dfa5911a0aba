"""tasks.rules: who adds a follow-up to a case, who sees a task, who settles it — the whole
persona × relation table, with expectations written out here, not read from the code."""

import pytest
from django.core.exceptions import PermissionDenied

from tasks import rules, selectors
from tasks.models import Task
from tests import personas
from tests import scenarios as s
from tests.tasks.helpers import in_days

OPERATIONAL = [
    personas.POLICE,
    personas.HEALTH,
    personas.NGO_A,
    personas.NGO_A_SUPERVISOR,
    personas.NGO_B,
    personas.AUTHORITY,
]
# Who may add a follow-up: frontline case workers of the lead or an accepted referral.
ADDS = {
    (persona, relation)
    for persona in (personas.POLICE, personas.HEALTH, personas.NGO_A, personas.NGO_B)
    + (personas.NGO_A_SUPERVISOR,)
    for relation in (s.ACCEPTED, s.REGISTERING_AND_LEAD, s.LEAD_ONLY)
}


# The status authority registers no case and is handed no lead: its relations are fewer.
WHO_WITH_WHAT = [
    (persona, relation)
    for persona in OPERATIONAL
    for relation in s.RELATIONS
    if persona != personas.AUTHORITY or relation in (s.NONE, s.PENDING, s.ACCEPTED)
]


@pytest.mark.parametrize(("persona", "relation"), WHO_WITH_WHAT)
def test_who_adds_a_follow_up(cast, persona, relation):
    case = s.case_where(cast, persona, relation)
    assert rules.may_on_case(cast[persona], "add_task", case) == ((persona, relation) in ADDS)


@pytest.mark.parametrize("persona", [personas.COMMISSION, personas.COORDINATOR, personas.ADMIN])
def test_roles_without_cases_add_nothing_and_see_nothing(cast, persona):
    case = s.case_where(cast, personas.NGO_A, s.REGISTERING_AND_LEAD)
    assert rules.may_on_case(cast[persona], "add_task", case) is False
    assert list(selectors.visible_tasks(cast[persona])) == []


# Who sees a task given to the case's lead (NGO A), and one given to the accepted partner
# (NGO B): the organisation it is given to, and the lead; nobody else, the registering
# organisation that handed the lead on included.
@pytest.mark.parametrize(
    ("persona", "sees_leads", "sees_partners"),
    [
        (personas.NGO_A, True, True),
        (personas.NGO_A_SUPERVISOR, True, True),
        (personas.NGO_B, False, True),
        (personas.POLICE, False, False),
        (personas.HEALTH, False, False),
        (personas.AUTHORITY, False, False),
    ],
)
def test_who_sees_a_task(cast, persona, sees_leads, sees_partners):
    case = s.consented_case(cast)
    s.accept_referral(s.refer(case, cast.ngo_a, "NGO B"), actor=cast.ngo_b)
    leads = Task.objects.create(
        case=case, title="lead's", due_on=in_days(1), organisation=cast.ngo_a.organisation
    )
    partners = Task.objects.create(
        case=case, title="partner's", due_on=in_days(1), organisation=cast.ngo_b.organisation
    )
    mine = selectors.visible_tasks(cast[persona]).filter(pk__in=[leads.pk, partners.pk])
    seen = set(mine.values_list("pk", flat=True))
    assert seen == {t.pk for t, sees in ((leads, sees_leads), (partners, sees_partners)) if sees}


def test_a_task_is_not_seen_once_the_case_is_not(cast):
    referral = s.referral_in_state(cast, "accepted")
    task = Task.objects.create(
        case=referral.case, title="t", due_on=in_days(1), organisation=cast.ngo_b.organisation
    )
    assert selectors.visible_tasks(cast.ngo_b).filter(pk=task.pk).exists() is True
    s.complete_referral(referral, actor=cast.ngo_b)
    assert selectors.visible_tasks(cast.ngo_b).filter(pk=task.pk).exists() is False


@pytest.mark.parametrize("action", sorted(rules.TASK_RULES))
@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        (personas.NGO_B, True),
        (personas.NGO_A, False),
        (personas.NGO_A_SUPERVISOR, False),
        (personas.POLICE, False),
        (personas.COMMISSION, False),
    ],
)
def test_only_the_assigned_organisation_settles_or_passes_on(cast, action, persona, allowed):
    referral = s.referral_in_state(cast, "accepted")
    task = Task.objects.create(
        case=referral.case, title="t", due_on=in_days(1), organisation=cast.ngo_b.organisation
    )
    assert rules.may(cast[persona], action, task) is allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            rules.require(cast[persona], action, task)


def test_where_a_task_may_go(cast):
    case = s.consented_case(cast)
    s.accept_referral(s.refer(case, cast.ngo_a, "NGO B"), actor=cast.ngo_b)
    working = rules.working_organisations(case)
    a, b, police = (
        cast.ngo_a.organisation_id,
        cast.ngo_b.organisation_id,
        cast.police.organisation_id,
    )
    assert working == {a, b}
    # The lead gives to itself or a partner; a partner only to itself; nobody to an outsider.
    assert [rules.assignable(cast.ngo_a, case, org, working=working) for org in (a, b, police)] == [
        True,
        True,
        False,
    ]
    assert [rules.assignable(cast.ngo_b, case, org, working=working) for org in (a, b, police)] == [
        False,
        True,
        False,
    ]

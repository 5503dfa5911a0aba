"""demo.tasks: the demo's follow-ups — the system's for what the bulk seeder wrote, and a few
by hand for NGO A (one overdue, one due today for ngo_a) — added once."""

from demo.tasks import seed_demo_tasks
from tasks.models import Task, TaskKind
from tests import scenarios as s


def test_the_demo_adds_its_follow_ups_once(cast):
    for _ in range(4):
        s.consented_case(cast)
    first = seed_demo_tasks()
    assert first["manual"] == 4
    again = seed_demo_tasks()
    assert again == {"referral_response": 0, "reflection_period_end": 0, "manual": 0}
    manual = Task.objects.filter(kind=TaskKind.MANUAL, organisation=cast.ngo_a.organisation)
    assert sorted(manual.values_list("state", flat=True)) == ["done", "open", "open", "open"]
    assert manual.filter(assignee=cast.ngo_a).count() == 1
